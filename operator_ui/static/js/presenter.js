// The presenter screen: a read-only projector view of the presentation time left, the
// moderator's message and the question on screen. Works with the session cookie or with
// /presenter/{id}#token=XYZ.

import { errorText } from "./alerts.js";
import { measureOffset, project } from "./clock-model.js";
import { duration } from "./format.js";
import { initialLang, lang, localMarks, onLangChange, setLang, t } from "./i18n.js";
import { connectClock } from "./live.js";
import { registerOffline } from "./offline-support.js";

const $ = (id) => document.getElementById(id);

const ICON = { calm: "clock", warning: "warning", over: "over" };

const state = { view: null, offsetMs: 0, meeting: null, message: "", conn: "connecting", problem: null, question: null };

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** The meeting id from /presenter/{id}. */
export function meetingIdFromPath(pathname = location.pathname) {
  const parts = pathname.split("/").filter(Boolean);
  const raw = decodeURIComponent(parts[parts.length - 1] || "");
  if (!raw || raw === "presenter") return null;
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}

/** The API token from #token=XYZ, if the link carries one. */
export function tokenFromHash(hash = location.hash) {
  return new URLSearchParams(hash.replace(/^#/, "")).get("token");
}

/** What the big reading shows in a phase: the presentation countdown, the meeting's time in Q&A, "ПАУЗА". */
export function reading(p) {
  if (p.phase === "pause") {
    return { state: "pause", icon: "pause", label: t("phase.pause"), big: t("presenter.pause_big"),
      sub: t("presenter.pause_sub", { time: duration(p.phase_seconds), phase: t(`phase.${p.paused_phase || "presentation"}`) }) };
  }
  if (p.phase === "ended") {
    return { state: "ended", icon: "stop", label: t("phase.ended"), big: t("presenter.ended"), sub: "" };
  }
  if (p.phase === "qa") {
    // The presentation is over: its overrun belongs to the record, not to the hall's screen.
    const over = p.remaining_seconds !== null && p.remaining_seconds !== undefined && p.remaining_seconds < 0;
    const left = p.remaining_seconds === null || p.remaining_seconds === undefined ? "--:--"
      : over ? `+${duration(-p.remaining_seconds)}` : duration(p.remaining_seconds, "ceil");
    return { state: over ? "qa-over" : "qa", icon: "qa", label: t(over ? "presenter.qa_over" : "presenter.qa_left"), big: left,
      sub: t("presenter.qa_sub", { time: duration(p.qa_seconds) }), seconds: Math.round(p.remaining_seconds ?? 0) };
  }
  const big = p.cap_state === "over" ? `+${duration(p.over_cap_seconds)}` : duration(p.presentation_left_seconds, "ceil");
  return { state: p.cap_state, icon: ICON[p.cap_state], label: t(`presenter.${p.cap_state}`), big,
    sub: t("presenter.used", { used: duration(p.presentation_seconds), cap: duration(p.cap_seconds) }),
    seconds: Math.round(p.cap_state === "over" ? -p.over_cap_seconds : p.presentation_left_seconds) };
}

function render() {
  const root = $("presenter");
  root.dataset.conn = state.conn;
  if (state.problem) {
    root.dataset.state = "problem";
    setText($("presenter-phase"), "");
    setText($("presenter-label-text"), state.problem);
    setText($("presenter-countdown"), "--:--");
    setText($("presenter-sub"), "");
    return;
  }
  const p = state.view ? project(state.view, Date.now(), state.offsetMs) : null;
  setText($("presenter-conn"), state.conn === "connected" ? "" : t(`conn.${state.conn}`));
  if (!p) return;
  const r = reading(p);
  root.dataset.state = r.state;
  root.dataset.phase = p.phase;
  setText($("presenter-phase"), t(`phase.${p.phase}`));
  $("presenter-icon").setAttribute("href", `/static/img/icons.svg#${r.icon}`);
  setText($("presenter-label-text"), r.label);
  setText($("presenter-countdown"), r.big);
  // Long readings ("+1:02:03", "ҮЗІЛІС") get a smaller size so they never spill off the screen.
  $("presenter-countdown").dataset.len = String(r.big.length);
  $("presenter-countdown").dataset.seconds = r.seconds === undefined ? "" : String(r.seconds);
  setText($("presenter-sub"), r.sub);

  let left = "";
  if (["presentation", "pause"].includes(p.phase) && p.remaining_seconds !== null && p.remaining_seconds !== undefined) {
    left = p.running_over
      ? t("presenter.meeting_over", { time: duration(-p.remaining_seconds) })
      : t("presenter.meeting_left", { time: duration(p.remaining_seconds, "ceil") });
  }
  setText($("presenter-meeting-left"), left);
  $("presenter-meeting-left").dataset.over = String(Boolean(p.running_over && left));
}

function renderMeeting() {
  const m = state.meeting;
  // The Kazakh screen shows the Kazakh title when the moderator gave one.
  setText($("presenter-title"), m ? (lang() === "kk" && m.title_kk) || m.title || "" : "");
}

/** The question on screen (from the moderator's queue); a hall question never shows the asker's name. */
function renderQuestion() {
  const q = state.question;
  const box = $("presenter-question");
  box.dataset.empty = q ? "false" : "true";
  $("presenter").dataset.question = q ? "true" : "false";
  const fromHall = q && q.source === "floor";
  setText($("presenter-question-label"), t(fromHall ? "presenter.question_from_hall" : "presenter.question"));
  setText($("presenter-question-author"), q && !fromHall ? q.author || "" : "");
  setText($("presenter-question-text"), q ? localMarks(q.text || "") : "");
  $("presenter-question-text").dataset.long = String(Boolean(q && (q.text || "").length > 160));
}

function renderMessage() {
  const box = $("presenter-message-box");
  box.dataset.empty = state.message ? "false" : "true";
  setText($("presenter-message"), state.message);
}

function applyMeeting(meeting) {
  state.meeting = meeting;
  const m = meeting.presenter_message;
  if (m !== undefined) {
    state.message = !m ? "" : typeof m === "string" ? m : m.text || "";
    renderMessage();
  }
  renderMeeting();
}

function applyClock(view) {
  if (!view) return;
  if (state.view && view.meeting_id === state.view.meeting_id && Number(view.version) < Number(state.view.version)) return;
  state.offsetMs = measureOffset(view, Date.now());
  state.view = view;
  render();
}

async function keepAwake() {
  try {
    if ("wakeLock" in navigator && document.visibilityState === "visible") await navigator.wakeLock.request("screen");
  } catch {
    /* not allowed here: the projector's own power settings apply */
  }
}

function hideIdleCursor() {
  let timer = null;
  const show = () => {
    document.body.classList.remove("idle");
    clearTimeout(timer);
    timer = setTimeout(() => document.body.classList.add("idle"), 3000);
  };
  document.addEventListener("mousemove", show);
  show();
}

async function main() {
  registerOffline();
  await setLang(initialLang(), { remember: false });
  onLangChange(() => {
    renderQuestion();
    render();
    renderMeeting();
  });
  const meetingId = meetingIdFromPath();
  if (meetingId === null) {
    state.problem = t("presenter.no_meeting");
    render();
    return;
  }
  const link = connectClock({
    meetingId,
    token: tokenFromHash(),
    onState: (conn) => {
      state.conn = conn;
      if (conn === "unauthorized") state.problem = t("presenter.unauthorized");
      render();
    },
    onJoin: (ack) => {
      state.problem = null;
      if ("question" in ack) {
        state.question = ack.question || null;
        renderQuestion();
      }
      if (ack.meeting) applyMeeting(ack.meeting);
      state.view = null;
      applyClock(ack.clock);
    },
    onJoinError: (error) => {
      state.problem = error && error.code === "not_found" ? t("presenter.not_found") : errorText(error);
      render();
    },
    onClock: applyClock,
    onMeeting: applyMeeting,
    onMessage: (msg) => {
      state.message = msg && msg.text ? msg.text : "";
      renderMessage();
    },
  });
  link.socket.on("current_question", (body) => {
    if (!body || String(body.meeting_id) !== String(meetingId)) return;
    state.question = body.question || null;
    renderQuestion();
  });
  document.addEventListener("dblclick", () => {
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen().catch(() => {});
  });
  document.addEventListener("visibilitychange", keepAwake);
  keepAwake();
  hideIdleCursor();
  setInterval(render, 250);
}

main();
