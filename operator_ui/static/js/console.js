// The moderator console: meeting list and form, the live clock, presenter messages, timing record.

import { alertCode, announce, clearAlert, errorText, showAlert } from "./alerts.js";
import { api, toLogin } from "./api.js";
import { bindControls, disableControls, phaseName, projectNow, renderClock, setText } from "./clock-panel.js";
import { isNewer, measureOffset } from "./clock-model.js";
import { initFeed, setFeedMeeting } from "./feed.js";
import { dateTime } from "./format.js";
import { bindLangSwitch, initialLang, lang, meetingTitle, onLangChange, setLang, t } from "./i18n.js";
import { connectClock } from "./live.js";
import { renderTopbarUser } from "./topbar-user.js";
import { fillForm, initForm, isDirty, relabelForm, renderAnnouncement, setFormEditable, setPlanLocked } from "./meeting-form.js";
import { bindMessagePanel, messageOfMeeting, relabelMessage, renderMessage } from "./message-panel.js";
import { loadTiming, setExportLinks } from "./timing.js";
import { registerOffline } from "./offline-support.js";
import { can } from "./permissions.js";

// Errors that only mean "the command did not reach the server": a reconnect makes them stale.
const LINK_ERRORS = ["not_connected", "timeout", "network"];

const $ = (id) => document.getElementById(id);

const state = {
  meta: null,
  meetings: [],
  meetingId: null,
  meeting: null,
  view: null,
  offsetMs: 0,
  said: { phase: null, cap: null },
  busy: false,
  conn: "connecting",
  live: null,
  timingTimer: null,
};

const sameId = (a, b) => a !== null && a !== undefined && String(a) === String(b);

function canCommand() {
  return can(state.meta, "clock.run") && state.conn === "connected" && state.view !== null;
}

// ---- meetings -------------------------------------------------------------------------------

function renderMeetingList() {
  const list = $("meeting-list");
  list.replaceChildren();
  $("meetings-empty").hidden = state.meetings.length > 0;
  for (const m of state.meetings) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = `/console?meeting=${encodeURIComponent(m.id)}`;
    a.dataset.meetingId = String(m.id);
    a.className = "meeting-link";
    if (sameId(m.id, state.meetingId)) a.setAttribute("aria-current", "true");
    const title = document.createElement("span");
    title.className = "meeting-link-title";
    title.textContent = meetingTitle(m);
    const when = document.createElement("span");
    when.className = "meeting-link-when";
    when.textContent = `${dateTime(m.starts_at, lang())} · ${t(`akim_level.${m.akim_level}`)}`;
    const met = m.announcement ? m.announcement.met : null;
    a.dataset.met = met === true ? "true" : met === false ? "false" : "unknown";
    a.append(title, when);
    li.append(a);
    list.append(li);
  }
}

async function loadMeetings() {
  try {
    const data = await api("GET", "/api/v1/meetings");
    state.meetings = (data && data.items) || [];
  } catch (err) {
    showAlert(`${t("meetings.load_error")}: ${errorText(err)}`);
  }
  renderMeetingList();
}

function renderMeetingHeader() {
  const m = state.meeting;
  $("clock-title").textContent = m ? meetingTitle(m) : t("clock.no_meeting");
  $("clock-meta").textContent = m
    ? [dateTime(m.starts_at, lang()), m.place, t(`akim_level.${m.akim_level}`)].filter(Boolean).join(" · ")
    : t("meetings.pick_hint");
  $("clock-meta").title = $("clock-meta").textContent;
  $("clock-title").title = $("clock-title").textContent;
  renderAnnouncement($("clock-announcement"), m ? m.announcement : null, lang(), { compact: true });
  const link = $("presenter-link");
  link.hidden = !m;
  if (m) link.href = `/presenter/${encodeURIComponent(m.id)}`;
}

function applyMeeting(meeting) {
  state.meeting = meeting;
  const i = state.meetings.findIndex((m) => sameId(m.id, meeting.id));
  if (i >= 0) state.meetings[i] = meeting;
  else state.meetings.unshift(meeting);
  renderMeetingList();
  renderMeetingHeader();
  if (!isDirty()) fillForm(meeting);
  if (meeting.presenter_message !== undefined) renderMessage(messageOfMeeting(meeting));
  // A changed plan (and an amendment after the end) changes the record: read it again.
  if (sameId(meeting.id, state.meetingId)) scheduleTiming(300);
}

/** Follow meeting `id` (null: none) — the URL, the live link, the form and the record. */
function selectMeeting(id, { history: mode = "push" } = {}) {
  const found = state.meetings.find((m) => sameId(m.id, id));
  const next = found ? found.id : id;
  const url = next === null ? "/console" : `/console?meeting=${encodeURIComponent(next)}`;
  if (mode !== "none" && location.pathname + location.search !== url) {
    if (mode === "replace") history.replaceState({ meeting: next }, "", url);
    else history.pushState({ meeting: next }, "", url);
  }
  state.meetingId = next;
  state.meeting = found || null;
  state.view = null;
  state.said = { phase: null, cap: null };
  $("workspace").dataset.selected = next === null ? "false" : "true";
  renderMeetingList();
  renderMeetingHeader();
  setPlanLocked(false);
  fillForm(found || null);
  renderMessage(messageOfMeeting(found));
  disableControls();
  renderClock(null, {});
  if (next !== null) {
    setExportLinks(next);
    scheduleTiming(0);
  }
  state.live.setMeeting(next);
  setFeedMeeting(next);
}

// ---- live clock -------------------------------------------------------------------------------

function applyClock(view, { fresh = false } = {}) {
  if (!view || !(fresh || isNewer(state.view, view))) return;
  const changed = !state.view || state.view.version !== view.version;
  state.offsetMs = measureOffset(view, Date.now());
  state.view = view;
  setPlanLocked(view.phase === "ended");
  tick();
  if (changed) scheduleTiming(400);
}

function tick() {
  const p = projectNow(state.view, state.offsetMs);
  if (!p) return;
  renderClock(p, { canCommand: canCommand() });
  if (state.said.phase !== p.phase) {
    if (state.said.phase !== null) announce(t("announce_live.phase", { phase: phaseName(p.phase) }));
    state.said.phase = p.phase;
  }
  if (state.said.cap !== p.cap_state) {
    if (state.said.cap !== null) announce(t(`cap.${p.cap_state}`));
    state.said.cap = p.cap_state;
  }
}

function scheduleTiming(delay) {
  clearTimeout(state.timingTimer);
  const id = state.meetingId;
  state.timingTimer = setTimeout(() => {
    if (sameId(id, state.meetingId)) loadTiming(id);
  }, delay);
}

async function run(action) {
  if (state.busy || !state.view) return;
  state.busy = true;
  const undoing = action === "undo" ? state.view.undo_action : null;
  try {
    const ack = await state.live.command(action, state.view.version);
    clearAlert();
    applyClock(ack.clock);
    if (action === "undo") {
      // Say what was taken back and where the clock is now, so an undo is never a guess.
      const text = t("undo.done", { what: t(`undo.what.${undoing || "unknown"}`), phase: phaseName(ack.clock.phase) });
      showAlert(text, "info", "undone");
      announce(text);
    }
  } catch (err) {
    if (err.clock) applyClock(err.clock, { fresh: true });
    showAlert(errorText(err), "error", err.code || "");
  } finally {
    state.busy = false;
  }
}

function setConnection(conn) {
  const was = state.conn;
  state.conn = conn;
  if (conn === "connected" && was !== "connected" && LINK_ERRORS.includes(alertCode())) {
    // The command that did not go is not repeated by itself: say so, instead of a stale error.
    showAlert(t("conn.back_repeat"), "info", "reconnected");
  }
  const el = $("connection");
  el.dataset.state = conn;
  setText($("connection-text"), t(`conn.${conn}`));
  const icon = conn === "connected" ? "dot" : conn === "unauthorized" || conn === "offline" ? "over" : "sync";
  el.querySelector("use").setAttribute("href", `/static/img/icons.svg#${icon}`);
  if (conn === "unauthorized") {
    // The session has gone (expired or logged out elsewhere): sign in and come back here.
    showAlert(t("conn.unauthorized"));
    setTimeout(toLogin, 1500);
  }
  if (state.view) tick();
  else disableControls();
}

// ---- page -----------------------------------------------------------------------------------

function renderUser() {
  const user = state.meta && state.meta.user;
  renderTopbarUser(user);
  const note = $("role-note");
  note.hidden = !user || can(state.meta, "clock.run");
  note.textContent = t("clock.read_only");
}

function relabel() {
  renderUser();
  renderMeetingList();
  renderMeetingHeader();
  relabelForm();
  relabelMessage();
  setConnection(state.conn);
  if (state.meetingId !== null) {
    setExportLinks(state.meetingId);
    scheduleTiming(0);
  }
  tick();
}

function meetingFromUrl() {
  const raw = new URLSearchParams(location.search).get("meeting");
  if (raw === null || raw === "") return null;
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}

async function logout() {
  try {
    await fetch("/logout", { method: "POST", credentials: "same-origin" });
  } finally {
    location.assign("/login");
  }
}

async function main() {
  registerOffline();
  await setLang(initialLang());
  bindLangSwitch($("lang-switch"));
  try {
    state.meta = await api("GET", "/api/v1/meta");
  } catch (err) {
    if (err.status !== 401) showAlert(errorText(err));
    state.meta = { akim_levels: [], user: null };
  }
  renderUser();
  initForm(state.meta.akim_levels, (meeting, created) => {
    applyMeeting(meeting);
    if (created) selectMeeting(meeting.id);
  });
  setFormEditable(can(state.meta, "meeting.edit"));
  initFeed({ meta: state.meta });
  $("btn-new-meeting").hidden = !can(state.meta, "meeting.edit");
  for (const el of $("message-panel").querySelectorAll("input, button")) el.disabled = !can(state.meta, "clock.run");
  bindControls(run, () => state.view, () => {
    if (state.meetingId !== null && state.conn !== "connected") showAlert(t("errors.not_connected"), "error", "not_connected");
  });
  bindMessagePanel((text) => state.live.presenterMessage(text));
  $("btn-logout").addEventListener("click", logout);
  $("btn-new-meeting").addEventListener("click", () => {
    selectMeeting(null);
    $("f-title").focus();
  });
  $("btn-timing-refresh").addEventListener("click", () => state.meetingId !== null && loadTiming(state.meetingId));
  $("meeting-list").addEventListener("click", (ev) => {
    const a = ev.target.closest("a[data-meeting-id]");
    if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
    ev.preventDefault();
    selectMeeting(a.dataset.meetingId);
  });
  window.addEventListener("popstate", () => selectMeeting(meetingFromUrl(), { history: "none" }));
  onLangChange(relabel);

  state.live = connectClock({
    onState: setConnection,
    onJoin: (ack) => {
      if (ack.meeting) applyMeeting(ack.meeting);
      applyClock(ack.clock, { fresh: true });
    },
    onJoinError: (error) => {
      showAlert(errorText(error));
      if (error && error.code === "not_found") selectMeeting(null, { history: "replace" });
    },
    onClock: (view) => applyClock(view),
    onMeeting: applyMeeting,
    onMessage: renderMessage,
  });
  await loadMeetings();
  let first = meetingFromUrl();
  if (first === null && state.meetings.length === 1) first = state.meetings[0].id;
  selectMeeting(first, { history: "replace" });
  setInterval(tick, 250);
}

main();
