// The console's feed panel: the live comment list (virtualised), its filters and search, the
// row actions (pin, answered, hide with a reason, on screen), the Q&A queue, the sources, the
// import dialog and the floor-question form. It follows the meeting the console follows.

import { announce, errorText, showAlert } from "./alerts.js";
import { api } from "./api.js";
import { HideDialog, bindFloorForm } from "./feed-forms.js";
import { ImportDialog } from "./feed-import.js";
import { VirtualList } from "./feed-list.js";
import { createRow, fillRow } from "./feed-row.js";
import { bindFilters, renderFilterOptions, resetFilterOptions } from "./feed-filters.js";
import { connectFeed } from "./feed-socket.js";
import { SourcesView } from "./feed-sources.js";
import { FeedStore, answeredOf, defaultFilter, queueOf } from "./feed-store.js";
import { QueueView } from "./feed-queue.js";
import { localMarks, onLangChange, t } from "./i18n.js";
import { confirmOnScreen, revealOriginal } from "./personal-data.js";
import { can as allowed } from "./permissions.js";
import { loadVocabulary } from "./vocabulary.js";
import { floorNames, rememberFloorName } from "./floor-names.js";

const $ = (id) => document.getElementById(id);
const OLDER_PAGE = 2000;

const state = {
  meta: null,
  meetingId: null,
  store: new FeedStore(),
  filter: defaultFilter(),
  question: null,
  link: null,
  list: null,
  queue: null,
  sources: null,
  importer: null,
  selectedId: null,
  loadingOlder: false,
  frame: 0,
  hideDialog: null,
};

function can() {
  const feed = allowed(state.meta, "feed.moderate");
  const air = allowed(state.meta, "feed.on_air");
  return {
    pin: feed, hide: feed, answered: air, current: air, floor: feed, import: allowed(state.meta, "comments.import"),
    sources: allowed(state.meta, "sources.run"), reveal: allowed(state.meta, "comments.private"),
  };
}

function ctx() {
  return { currentId: state.question ? state.question.comment_id : null, can: can(), isRetracted: (c) => state.store.isRetracted(c) };
}

// ---- rendering --------------------------------------------------------------------------------

function schedule() {
  if (state.frame) return;
  // A background tab gets no animation frames; a timer keeps its list current all the same.
  const later = document.hidden ? (fn) => setTimeout(fn, 100) : requestAnimationFrame;
  state.frame = later(() => {
    state.frame = 0;
    render();
  });
}

function render() {
  const store = state.store;
  const view = store.view(state.filter);
  state.list.setItems(view);
  const all = store.all();
  state.queue.render(queueOf(all), answeredOf(all));
  const total = store.floor ? store.ids.length - store.ids.findIndex((id) => id >= store.floor) : store.ids.length;
  const tucked = store.tucked(state.filter);
  const parts = [t("feed.count", { shown: view.length, total })];
  if (tucked.hidden) parts.push(t("feed.count_hidden", { n: tucked.hidden }));
  if (tucked.throttled) parts.push(t("feed.count_throttled", { n: tucked.throttled }));
  if (store.older !== null && store.floor !== null) parts.push(t("feed.count_more"));
  $("feed-count").textContent = parts.join(" · ");
  $("feed-empty").hidden = view.length > 0;
  $("feed-empty").textContent = store.ids.length ? t("feed.nothing_matches") : t("feed.empty");
  $("feed-list").setAttribute("aria-busy", String(state.loadingOlder));
  $("feed-older").hidden = !state.loadingOlder;
  renderFilterOptions(store);
  renderOnScreen();
}

function renderOnScreen() {
  const q = state.question;
  const out = $("onscreen-text");
  out.textContent = q ? `${q.author ? `${q.author}: ` : ""}${localMarks(q.text)}` : t("queue.nothing_on_screen");
  out.dataset.empty = String(!q);
  $("btn-onscreen-clear").hidden = !q || !can().current;
}

// ---- actions ------------------------------------------------------------------------------------

async function command(verb, payload) {
  try {
    const ack = await state.link.command(verb, payload);
    if (ack.comment) {
      state.store.upsert([ack.comment]);
      schedule();
    }
    if (verb === "current") setQuestion(ack.question || null);
    return ack;
  } catch (err) {
    showAlert(errorText(err), "error", err.code || "");
    return null;
  }
}

function setQuestion(q) {
  state.question = q;
  state.list.refresh();
  schedule();
}

/** Perform a row or queue action on comment `c`. */
async function act(verb, c) {
  const id = c.id;
  if (verb === "pin") {
    if (await command(c.pinned_at ? "unpin" : "pin", { comment_id: id })) announce(t(c.pinned_at ? "feed.unpinned" : "feed.pinned"));
  } else if (verb === "unpin") await command("unpin", { comment_id: id });
  else if (verb === "answered") {
    const onScreen = state.question && state.question.comment_id === id;
    if (c.answered_at) await command("unanswered", { comment_id: id });
    else if (await command("answered", { comment_id: id })) {
      // An answered question leaves the screen: the overlay never shows yesterday's question.
      if (onScreen) await command("current", { comment_id: null });
      announce(t("feed.answered_done"));
    }
  } else if (verb === "unanswered") await command("unanswered", { comment_id: id });
  else if (verb === "current") {
    if (state.question && state.question.comment_id === id) await command("current", { comment_id: null });
    else if (!confirmOnScreen(c)) return;
    else if (await command("current", { comment_id: id, confirm_personal_data: Boolean(c.personal_data && c.personal_data.length) })) announce(t("feed.shown_on_screen"));
  } else if (verb === "reveal") {
    try {
      const original = await revealOriginal(state.meetingId, id);
      if (original) {
        c._revealed = original.display || original.text || "";
        state.list.refresh();
        schedule();
        announce(t("pd.revealed"));
      }
    } catch (err) {
      showAlert(errorText(err));
    }
  } else if (verb === "clear") await command("current", { comment_id: null });
  else if (verb === "hide") {
    if (c.hidden) await command("unhide", { comment_id: id });
    else state.hideDialog.open(c);
  }
}

async function hide(c, reason) {
  if (!(await command("hide", { comment_id: c.id, reason }))) return;
  // Hidden means off every screen too (the server refuses to put a hidden comment on screen).
  if (state.question && state.question.comment_id === c.id && can().current) await command("current", { comment_id: null });
  announce(t("feed.hidden_done"));
}

/** Back to the list after a dialog: the same row, or its neighbour if the row just went away. */
function restoreFocus() {
  if (state.selectedId === null) return;
  render();
  const items = state.list.items;
  if (items.length) select(Math.min(state.list.indexOf(state.selectedId), items.length - 1));
}

// ---- keyboard in the list -----------------------------------------------------------------------

function select(index, focus = true) {
  const items = state.list.items;
  if (!items.length) return;
  const i = Math.max(0, Math.min(items.length - 1, index));
  state.selectedId = items[i].id;
  state.list.reveal(i);
  for (const el of $("feed-list").querySelectorAll(".feed-row.selected")) el.classList.remove("selected");
  const el = state.list.elementOf(state.selectedId);
  if (el) {
    el.classList.add("selected");
    if (focus) el.focus({ preventScroll: true });
  }
}

function onListKey(ev) {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const items = state.list.items;
  if (!items.length) return;
  const row = ev.target.closest ? ev.target.closest(".feed-row") : null;
  let i = row ? state.list.indexOf(Number(row.dataset.id)) : -1;
  if (!row && state.selectedId !== null) i = state.list.indexOf(state.selectedId);
  const page = state.list.pageSize();
  const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
  if (ev.key in moves) select(i < 0 ? (moves[ev.key] > 0 ? 0 : items.length - 1) : i + moves[ev.key]);
  else if (ev.key === "Home") select(0);
  else if (ev.key === "End") select(items.length - 1);
  else {
    const c = i >= 0 ? items[i] : null;
    const allowed = can();
    let verb = null;
    if (ev.key === "Enter" && row && ev.target === row && allowed.pin) verb = "pin";
    else if (ev.code === "KeyS" && allowed.current) verb = "current";
    else if (ev.code === "KeyH" && allowed.hide) verb = "hide";
    else if (ev.code === "KeyA" && allowed.answered) verb = "answered";
    if (!verb || !c) return;
    act(verb, c);
  }
  ev.preventDefault();
}

// ---- loading ------------------------------------------------------------------------------------

async function loadOlder() {
  const store = state.store;
  if (state.loadingOlder || store.older === null || store.floor === null || state.meetingId === null) return;
  state.loadingOlder = true;
  schedule();
  const meeting = state.meetingId;
  try {
    const ack = await state.link.older(store.older, OLDER_PAGE);
    if (meeting !== state.meetingId) return;
    store.upsert(ack.items);
    store.markOlder(ack.items, ack.older ?? null);
  } catch (err) {
    showAlert(errorText(err));
  } finally {
    state.loadingOlder = false;
    schedule();
  }
}

/** After a reconnect: page back until the new snapshot meets what we already had. */
async function fillGap(ack, newestBefore) {
  let older = ack.older;
  let oldest = ack.items.length ? ack.items[0].id : null;
  while (older !== null && older !== undefined && oldest !== null && oldest > newestBefore + 1) {
    const page = await state.link.older(oldest, OLDER_PAGE);
    state.store.upsert(page.items);
    older = page.older;
    oldest = page.items.length ? page.items[0].id : null;
  }
}

async function loadPinned(meeting) {
  // The queue may hold questions older than the loaded part of the feed.
  try {
    const data = await api("GET", `/api/v1/meetings/${encodeURIComponent(meeting)}/comments?pinned=true&limit=10000`);
    if (meeting === state.meetingId) {
      state.store.upsert((data && data.items) || []);
      schedule();
    }
  } catch (err) {
    if (err.status !== 404) showAlert(errorText(err));
  }
}

async function onJoin(ack, { rejoin }) {
  const store = state.store;
  const newestBefore = store.newestId;
  store.upsert(ack.items);
  if (rejoin && newestBefore !== null) {
    try {
      await fillGap(ack, newestBefore);
    } catch (err) {
      showAlert(errorText(err));
    }
  } else store.markLoaded(ack.items, ack.older ?? null);
  state.question = ack.question || null;
  state.list.refresh();
  if (ack.sources && ack.sources.length) state.sources.applyHealth(ack.sources);
  schedule();
}

// ---- public -------------------------------------------------------------------------------------

/** Follow meeting `id` (null: none): clear, join, load the queue and the sources. */
export function setFeedMeeting(id) {
  if (!state.list) return;
  if (state.meetingId !== null && id !== null && String(id) === String(state.meetingId)) return;
  state.meetingId = id === null ? null : Number(id);
  state.store.clear();
  if (state.meetingId !== null) state.store.setLocalNames(floorNames(state.meetingId));
  state.question = null;
  state.selectedId = null;
  state.list.follow = true;
  state.list.setNewCount(0);
  state.sources.clear();
  const overlay = $("overlay-link");
  overlay.hidden = id === null;
  if (id !== null) overlay.href = `/overlay/${encodeURIComponent(id)}`;
  schedule();
  state.link.setMeeting(state.meetingId);
  if (state.meetingId !== null) {
    loadPinned(state.meetingId);
    state.sources.load();
  }
}

/** Set up the panel for the user of `meta` (/api/v1/meta): each control only for who may use it. */
export function initFeed({ meta }) {
  state.meta = meta;
  const role = meta && meta.user ? meta.user.role : null;
  const panel = $("feed-panel");
  const allowed = can();
  panel.dataset.role = role || "none";
  $("floor-box").hidden = !allowed.floor;
  $("btn-import").hidden = !allowed.import;
  // The key hints name only what this role may do (a viewer has no keys at all).
  for (const id of ["feed-keys-hint", "queue-keys-hint"]) {
    const hint = $(id);
    hint.hidden = !allowed.pin;
    if (allowed.pin && !allowed.current) hint.dataset.i18n += "_secretary";
    hint.textContent = t(hint.dataset.i18n);
  }
  state.list = new VirtualList({
    scroller: $("feed-scroller"),
    canvas: $("feed-list"),
    createRow,
    fillRow: (el, c) => {
      fillRow(el, c, ctx());
      el.classList.toggle("selected", c.id === state.selectedId);
    },
    onNewCount: (n) => {
      const btn = $("feed-new");
      btn.hidden = n === 0;
      $("feed-new-text").textContent = t("feed.new_below", { n });
    },
    onTop: loadOlder,
  });
  state.queue = new QueueView({ run: act, ctx });
  state.sources = new SourcesView({ canOperate: () => can().sources, meetingId: () => state.meetingId });
  state.importer = new ImportDialog({ meetingId: () => state.meetingId });
  state.link = connectFeed({
    limit: OLDER_PAGE,
    onState: (s) => {
      panel.dataset.conn = s;
    },
    onJoin,
    onJoinError: (error) => showAlert(errorText(error)),
    onComments: (list) => {
      state.store.upsert(list);
      schedule();
    },
    onUpdate: (c) => {
      state.store.upsert([c]);
      schedule();
    },
    onQuestion: setQuestion,
    onHealth: (list) => state.sources.applyHealth(list),
  });
  bindFilters(state.filter, schedule);
  $("feed-list").addEventListener("click", (ev) => {
    const row = ev.target.closest(".feed-row");
    if (!row) return;
    const c = state.store.get(Number(row.dataset.id));
    if (!c) return;
    state.selectedId = c.id;
    for (const el of $("feed-list").querySelectorAll(".feed-row.selected")) el.classList.remove("selected");
    row.classList.add("selected");
    const btn = ev.target.closest("button[data-act]");
    if (btn) act(btn.dataset.act, c);
  });
  $("feed-scroller").addEventListener("keydown", onListKey);
  $("feed-new").addEventListener("click", () => state.list.toBottom());
  $("btn-onscreen-clear").addEventListener("click", () => command("current", { comment_id: null }));
  $("btn-import").addEventListener("click", () => state.importer.open());
  state.hideDialog = new HideDialog({ onHide: hide, onClose: restoreFocus });
  bindFloorForm({
    send: (payload) => state.link.command("floor", payload),
    named: (id, name) => {
      rememberFloorName(state.meetingId, id, name);
      state.store.setLocalNames(floorNames(state.meetingId));
      state.list.refresh();
      schedule();
    },
    pin: (id) => can().pin && command("pin", { comment_id: id }),
  });
  // Inside a dialog, letters are for the dialog: the clock's P/Q/E/Space shortcuts must not fire.
  for (const id of ["hide-dialog", "import-dialog"]) $(id).addEventListener("keydown", (ev) => ev.stopPropagation());
  onLangChange(() => {
    resetFilterOptions();
    state.importer.relabel();
    state.sources.render();
    state.list.refresh();
    schedule();
  });
  state.list.measure();
  schedule();
  loadVocabulary().then(() => {
    resetFilterOptions();
    state.list.refresh();
    schedule();
  });
}
