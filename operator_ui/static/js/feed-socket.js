// The live link to a meeting's comment feed over socket.io ("/feed"): join on every connect (the
// server's snapshot is the truth after a reconnect), batched pushes, moderation commands with an ack.

import { emitAck } from "./live.js";

const ACK_TIMEOUT_MS = 10000;

const same = (a, b) => a !== null && a !== undefined && String(a) === String(b);

/**
 * Open the link. Callbacks: onState(state), onJoin(ack, {rejoin}), onJoinError(error),
 * onComments(list), onUpdate(comment), onQuestion(question|null), onHealth(sources).
 */
export function connectFeed(options) {
  const { limit = 2000, onState = () => {}, onJoin = () => {}, onJoinError = () => {} } = options;
  const { onComments = () => {}, onUpdate = () => {}, onQuestion = () => {}, onHealth = () => {} } = options;
  let meetingId = null;
  let joinedOnce = false;

  const socket = window.io("/feed", { transports: ["websocket", "polling"], autoConnect: false });

  const join = () => {
    if (meetingId === null) return;
    const asked = meetingId;
    const rejoin = joinedOnce;
    socket.timeout(ACK_TIMEOUT_MS).emit("join", { meeting_id: Number(asked), limit }, (err, ack) => {
      if (!same(asked, meetingId)) return;
      if (err) onJoinError({ code: "timeout", message: "join: no answer" });
      else if (ack && ack.ok) {
        joinedOnce = true;
        onJoin(ack, { rejoin });
      } else onJoinError((ack && ack.error) || { code: "join_failed", message: "" });
    });
  };

  socket.on("connect", () => {
    onState("connected");
    join();
  });
  socket.on("disconnect", (reason) => {
    if (reason !== "io client disconnect") onState("reconnecting");
  });
  socket.on("connect_error", (err) => {
    const msg = err && err.message ? err.message : "";
    onState(/unauthori[sz]ed|forbidden/i.test(msg) ? "unauthorized" : "reconnecting");
  });
  socket.on("comments", (list) => {
    if (!Array.isArray(list)) return;
    const mine = list.filter((c) => c && same(c.meeting_id, meetingId));
    if (mine.length) onComments(mine);
  });
  socket.on("comment_update", (c) => {
    if (c && same(c.meeting_id, meetingId)) onUpdate(c);
  });
  socket.on("labels", (body) => {
    // NLP labels arrive after the comment itself: merge them into what is loaded.
    if (!body || !same(body.meeting_id, meetingId) || !Array.isArray(body.items)) return;
    for (const item of body.items) onUpdate({ ...item, meeting_id: body.meeting_id, partial: true });
  });
  socket.on("current_question", (body) => {
    if (body && same(body.meeting_id, meetingId)) onQuestion(body.question || null);
  });
  socket.on("source_health", (body) => {
    if (body && same(body.meeting_id, meetingId)) onHealth(body.sources || []);
  });

  return {
    socket,
    /** Follow another meeting (null: none); the server's join leaves the previous room. */
    setMeeting(id) {
      meetingId = id;
      joinedOnce = false;
      if (id === null) return;
      if (socket.connected) join();
      else if (!socket.active) socket.connect();
    },
    /** A moderation command: pin, unpin, answered, unanswered, hide, unhide, current, floor. */
    command(verb, payload = {}) {
      return emitAck(socket, "command", { verb, meeting_id: Number(meetingId), ...payload }, ACK_TIMEOUT_MS);
    },
    /** Comments before id `before` (oldest first) and the next cursor. */
    older(before, count = limit) {
      return emitAck(socket, "older", { meeting_id: Number(meetingId), before, limit: count }, ACK_TIMEOUT_MS);
    },
  };
}
