// The stream overlay (/overlay/{id}#token=XYZ): a transparent page for an OBS or vMix browser
// source that shows only the question on screen as a lower third, sliding in and out. With no
// question it shows nothing at all; ?debug=1 adds a small connection line for setting it up.

import { initialLang, localMarks, setLang, t } from "./i18n.js";
import { connectClock } from "./live.js";
import { registerOffline } from "./offline-support.js";

const $ = (id) => document.getElementById(id);
const OUT_MS = 450;

const state = { question: null, shown: null, timer: null };

function meetingIdFromPath() {
  const raw = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");
  return /^\d+$/.test(raw) ? Number(raw) : null;
}

function tokenFromHash() {
  return new URLSearchParams(location.hash.replace(/^#/, "")).get("token");
}

const debugging = new URLSearchParams(location.search).has("debug");

function debug(text) {
  const el = $("overlay-debug");
  el.hidden = !debugging;
  el.textContent = text;
}

function key(q) {
  return q ? `${q.comment_id}\u0001${q.author}\u0001${q.text}` : "";
}

function fill(q) {
  const fromHall = q.source === "floor";
  // A question asked in the hall never carries the asker's name onto the stream.
  $("overlay-label").textContent = t(fromHall ? "overlay.from_hall" : "overlay.label");
  $("overlay-author").textContent = fromHall ? "" : q.author || "";
  $("overlay-text").textContent = localMarks(q.text || "");
  $("overlay-text").dataset.long = String((q.text || "").length > 180);
  $("overlay-card").dataset.commentId = String(q.comment_id);
}

/** Animate to question `q` (null: nothing): out first if another one is showing. */
function show(q) {
  state.question = q;
  const card = $("overlay-card");
  if (key(q) === key(state.shown) && card.dataset.state === (q ? "in" : "out")) return;
  clearTimeout(state.timer);
  const wasIn = card.dataset.state === "in";
  card.dataset.state = "out";
  const enter = () => {
    state.shown = q;
    if (!q) {
      delete card.dataset.commentId;
      return;
    }
    fill(q);
    // Two frames: the "out" position must be painted before the "in" transition starts.
    requestAnimationFrame(() => requestAnimationFrame(() => {
      card.dataset.state = "in";
    }));
  };
  if (wasIn) state.timer = setTimeout(enter, OUT_MS);
  else enter();
}

async function main() {
  registerOffline();
  await setLang(initialLang(), { remember: false });
  const meetingId = meetingIdFromPath();
  if (meetingId === null) {
    debug(t("presenter.no_meeting"));
    return;
  }
  const link = connectClock({
    meetingId,
    token: tokenFromHash(),
    onState: (conn) => debug(t(`conn.${conn}`)),
    onJoin: (ack) => {
      debug(`${t("conn.connected")} · ${ack.meeting ? ack.meeting.title : ""}`);
      show(ack.question || null);
    },
    onJoinError: (error) => debug(error && error.code === "not_found" ? t("presenter.not_found") : String((error && error.message) || "")),
  });
  link.socket.on("current_question", (body) => {
    if (body && String(body.meeting_id) === String(meetingId)) show(body.question || null);
  });
}

main();
