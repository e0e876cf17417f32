// The live link to "/review": the server says which problems anyone changed, and we re-read them.
// The server's join follows one meeting per connection, so a round opens one connection per meeting.

const ACK_TIMEOUT_MS = 8000;

/**
 * Follow `meetingIds`. Callbacks: onState(state) with the worst state of the connections,
 * onChanged(meetingId, problemIds), onRejoin(meetingId) after a reconnect (re-read everything).
 */
export function connectReview(meetingIds, { onState = () => {}, onChanged = () => {}, onRejoin = () => {} } = {}) {
  const states = new Map();
  const report = () => {
    const all = [...states.values()];
    const order = ["unauthorized", "offline", "reconnecting", "connecting", "connected"];
    onState(order.find((s) => all.includes(s)) || "connecting");
  };
  const sockets = meetingIds.map((meetingId) => {
    const socket = window.io("/review", { transports: ["websocket", "polling"], forceNew: true });
    let joined = false;
    states.set(meetingId, "connecting");
    socket.on("connect", () => {
      socket.timeout(ACK_TIMEOUT_MS).emit("join", { meeting_id: meetingId }, (err, ack) => {
        states.set(meetingId, !err && ack && ack.ok ? "connected" : "offline");
        report();
        if (joined) onRejoin(meetingId);
        joined = true;
      });
    });
    socket.on("disconnect", (reason) => {
      if (reason === "io client disconnect") return;
      states.set(meetingId, "reconnecting");
      report();
    });
    socket.on("connect_error", (err) => {
      const msg = (err && err.message) || "";
      states.set(meetingId, /unauthori[sz]ed|forbidden/i.test(msg) ? "unauthorized" : "reconnecting");
      report();
    });
    socket.on("problems_changed", (body) => {
      if (body && Number(body.meeting_id) === meetingId) onChanged(meetingId, (body.problem_ids || []).map(Number));
    });
    return socket;
  });
  report();
  return {
    close() {
      for (const s of sockets) s.disconnect();
    },
  };
}
