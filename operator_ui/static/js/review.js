// The secretaries' review workspace: pick a meeting (or a round), review its problems live with
// colleagues, triage the unsure comments by keyboard, and export the 10-day publication package.

import { announce, showAlert } from "./alerts.js";
import { dateTime } from "./format.js";
import { lang, meetingTitle, onLangChange, t, tn } from "./i18n.js";
import { call } from "./review-api.js";
import { closeProblem, initDetail, openProblemId, openProblem, relabelDetail } from "./review-detail.js";
import { initExport, relabelExport } from "./review-export.js";
import { fillFilters, initList, renderList } from "./review-list.js";
import { setVocabulary } from "./review-model.js";
import { $, el, meetingsFromUrl, reviewError, setConnection, startPage } from "./review-page.js";
import { can } from "./permissions.js";
import { connectReview } from "./review-socket.js";
import { loadProblems, meetingOf, refreshProblems, store, subscribe, undoLast } from "./review-store.js";
import { initTriage, loadQueue, relabelTriage, showTriage, undoTriage } from "./review-triage.js";

const TABS = ["problems", "triage", "export"];

function selectTab(name, { focus = false } = {}) {
  for (const tab of TABS) {
    const on = tab === name;
    const button = $(`tab-${tab}`);
    button.setAttribute("aria-selected", String(on));
    button.tabIndex = on ? 0 : -1;
    $(`panel-${tab}`).hidden = !on;
    if (on && focus) button.focus();
  }
  document.body.dataset.tab = name;
  if (name === "triage") showTriage();
}

function bindTabs() {
  const list = document.querySelector("[role='tablist']");
  list.addEventListener("click", (ev) => {
    const tab = ev.target.closest("[role='tab']");
    if (tab && !tab.hidden) selectTab(tab.dataset.tab);
  });
  list.addEventListener("keydown", (ev) => {
    if (!["ArrowLeft", "ArrowRight", "Home", "End"].includes(ev.key)) return;
    const visible = TABS.filter((n) => !$(`tab-${n}`).hidden);
    const at = visible.indexOf(document.body.dataset.tab);
    const next = ev.key === "Home" ? 0 : ev.key === "End" ? visible.length - 1 : (at + (ev.key === "ArrowRight" ? 1 : -1) + visible.length) % visible.length;
    selectTab(visible[next], { focus: true });
    ev.preventDefault();
  });
}

function meetingLabel(m) {
  return `${meetingTitle(m)} — ${dateTime(m.starts_at, lang()).split(",")[0]}`;
}

function renderScope() {
  const select = $("meeting-select");
  const options = [];
  if (!store.meetings.length) options.push(el("option", { value: "" }, t("review.no_meetings")));
  if (store.scope.length > 1) options.push(el("option", { value: "round" }, tn("review.round_option", store.scope.length)));
  for (const m of store.meetings) options.push(el("option", { value: String(m.id) }, meetingLabel(m)));
  select.replaceChildren(...options);
  select.value = store.scope.length > 1 ? "round" : String(store.scope[0] ?? "");
  $("round-list").replaceChildren(...store.meetings.map((m) => el("li", {},
    el("label", { class: "check" }, el("input", { type: "checkbox", value: String(m.id), checked: store.scope.includes(m.id) }), ` ${meetingLabel(m)}`))));
  const picked = store.scope.map(meetingOf).filter(Boolean);
  if (picked.length === 1) {
    const m = picked[0];
    $("scope-title").textContent = meetingTitle(m);
    $("scope-meta").textContent = [dateTime(m.starts_at, lang()), m.place, t(`akim_level.${m.akim_level}`)].filter(Boolean).join(" · ");
  } else if (picked.length > 1) {
    $("scope-title").textContent = tn("review.round_title", picked.length);
    $("scope-meta").textContent = picked.map(meetingTitle).join(" · ");
  } else {
    $("scope-title").textContent = t(store.meetings.length ? "review.no_meeting" : "review.no_meetings");
    $("scope-meta").textContent = "";
  }
  document.title = `${$("scope-title").textContent} — ${t("review.title")} — ${t("app.name")}`;
}

function goTo(ids) {
  const url = new URL("/review", location.origin);
  if (ids.length === 1) url.searchParams.set("meeting", String(ids[0]));
  else if (ids.length > 1) url.searchParams.set("meetings", ids.join(","));
  location.assign(url);
}

async function undo() {
  if (!store.canEdit || !store.scope.length) return;
  if (document.body.dataset.tab === "triage") {
    await undoTriage();
    return;
  }
  const btn = $("btn-undo");
  btn.disabled = true;
  try {
    const { result } = await undoLast();
    const text = t("review.undone", { what: t(`review.action.${result.undone}`) });
    showAlert(text, "info");
    announce(text);
    if (["classify", "not_problem"].includes(result.undone)) loadQueue();
  } catch (err) {
    showAlert(reviewError(err));
  } finally {
    btn.disabled = false;
  }
}

function onGlobalKey(ev) {
  if (!(ev.ctrlKey || ev.metaKey) || ev.shiftKey || ev.altKey || ev.code !== "KeyZ") return;
  if (ev.target.closest && ev.target.closest("input, textarea, select, [contenteditable='true']")) return;
  ev.preventDefault();
  undo();
}

function openFromAnywhere(id) {
  selectTab("problems");
  openProblem(id);
}

function problemFromHash() {
  const m = /^#problem-(\d+)$/.exec(location.hash);
  return m ? Number(m[1]) : null;
}

async function main() {
  const meta = await startPage();
  store.canEdit = can(meta, "review.decide");
  $("read-only").hidden = store.canEdit;
  $("btn-undo").hidden = !store.canEdit;
  $("tab-triage").hidden = !store.canEdit;
  $("tab-export").hidden = !can(meta, "report.export");
  document.body.dataset.canEdit = String(store.canEdit);
  try {
    const [vocabulary, meetings] = await Promise.all([call("GET", "/api/v1/vocabulary"), call("GET", "/api/v1/meetings")]);
    setVocabulary(vocabulary);
    store.meetings = (meetings && meetings.items) || [];
  } catch (err) {
    showAlert(reviewError(err));
  }
  const known = new Set(store.meetings.map((m) => m.id));
  let scope = meetingsFromUrl().filter((id) => known.has(id));
  if (!scope.length && store.meetings.length && !meetingsFromUrl().length) {
    scope = [store.meetings[0].id];
    history.replaceState(null, "", `/review?meeting=${scope[0]}${location.hash}`);
  } else if (meetingsFromUrl().length && !scope.length) {
    showAlert(t("review.errors.no_meeting"));
  }
  store.scope = scope;
  renderScope();
  initList((id) => openProblem(id));
  initDetail();
  initTriage();
  initExport(openFromAnywhere);
  bindTabs();
  subscribe(() => renderList());
  $("meeting-select").addEventListener("change", (ev) => {
    if (ev.target.value && ev.target.value !== "round") goTo([Number(ev.target.value)]);
  });
  $("btn-round").addEventListener("click", () => {
    const ids = [...$("round-list").querySelectorAll("input:checked")].map((i) => Number(i.value));
    if (ids.length) goTo(ids);
  });
  $("btn-undo").addEventListener("click", undo);
  document.addEventListener("keydown", onGlobalKey);
  window.addEventListener("hashchange", () => {
    const id = problemFromHash();
    if (id !== null && id !== openProblemId()) openFromAnywhere(id);
  });
  onLangChange(() => {
    renderScope();
    fillFilters();
    renderList();
    relabelDetail();
    relabelTriage();
    relabelExport();
  });
  if (!scope.length) {
    setConnection("connected");
    renderList();
    return;
  }
  connectReview(scope, {
    onState: setConnection,
    onChanged: (meetingId, ids) => {
      if (ids.length) refreshProblems(meetingId, ids).catch((err) => showAlert(reviewError(err)));
      if (store.canEdit) loadQueue();
    },
    onRejoin: () => loadProblems().catch((err) => showAlert(reviewError(err))),
  });
  try {
    await loadProblems();
  } catch (err) {
    showAlert(reviewError(err));
  }
  fillFilters();
  renderList();
  relabelExport();
  if (store.canEdit) loadQueue();
  const hash = location.hash;
  if (hash === "#triage" || hash === "#export") selectTab(hash.slice(1));
  const first = problemFromHash();
  if (first !== null) openProblem(first, undefined, { focus: false });
  else closeProblem();
}

main();
