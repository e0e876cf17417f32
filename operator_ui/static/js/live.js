// The live link to one meeting's clock over socket.io ("/clock"): join on every connect, since
// the server's state is the truth after any reconnect; commands are sent with an ack and a timeout.

const ACK_TIMEOUT_MS = 8000;

function same(a, b) {
  return a !== null && a !== undefined && String(a) === String(b);
}

/** A random UUID; crypto.randomUUID exists only on https/localhost, a hall LAN may be plain http. */
export function uuid4() {
  if (crypto.randomUUID && window.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** An error for a command that did not reach the server or was refused by it. */
export class LiveError extends Error {
  constructor(code, message, clock) {
    super(message || code);
    this.code = code;
    this.clock = clock || null;
  }
}

/**
 * Send an event and wait for the server's ack: it resolves with an ``ok`` ack and rejects with a
 * LiveError when the link is down, the ack is late or the server refused (with the clock it holds).
 */
export function emitAck(socket, event, payload, timeoutMs = ACK_TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    if (!socket.connected) {
      reject(new LiveError("not_connected", ""));
      return;
    }
    socket.timeout(timeoutMs).emit(event, payload, (err, ack) => {
      if (err) reject(new LiveError("timeout", ""));
      else if (ack && ack.ok) resolve(ack);
      else {
        const e = (ack && ack.error) || {};
        reject(new LiveError(e.code || "error", e.message || "", ack && ack.clock));
      }
    });
  });
}

/**
 * Open the link. Callbacks: onState(state) with "connecting" | "connected" | "reconnecting" |
 * "offline" | "unauthorized"; onJoin(ack) after each successful join; onJoinError(error);
 * onClock(view); onMeeting(meeting); onMessage({text, at}).
 */
export function connectClock(options) {
  const { token = null, onState = () => {}, onJoin = () => {}, onJoinError = () => {} } = options;
  const { onClock = () => {}, onMeeting = () => {}, onMessage = () => {} } = options;
  let meetingId = options.meetingId ?? null;
  let retryTimer = null;

  const socket = window.io("/clock", {
    auth: token ? { token } : {},
    transports: ["websocket", "polling"],
    autoConnect: false,
  });

  const join = () => {
    if (meetingId === null) return;
    const asked = meetingId;
    socket.timeout(ACK_TIMEOUT_MS).emit("join", { meeting_id: asked }, (err, ack) => {
      if (!same(asked, meetingId)) return;
      if (err) onJoinError({ code: "timeout", message: "join: no answer" });
      else if (ack && ack.ok) onJoin(ack);
      else onJoinError((ack && ack.error) || { code: "join_failed", message: "" });
    });
  };

  socket.on("connect", () => {
    onState("connected");
    join();
  });
  socket.on("disconnect", (reason) => {
    if (reason === "io client disconnect") return;
    onState(socket.active ? "reconnecting" : "offline");
    if (!socket.active) scheduleRetry();
  });
  socket.on("connect_error", (err) => {
    const msg = err && err.message ? err.message : "";
    if (/unauthori[sz]ed|forbidden/i.test(msg)) {
      onState("unauthorized");
      return;
    }
    onState("reconnecting");
    if (!socket.active) scheduleRetry();
  });
  socket.on("clock", (view) => {
    if (view && same(view.meeting_id, meetingId)) onClock(view);
  });
  socket.on("meeting", (meeting) => {
    if (meeting && same(meeting.id, meetingId)) onMeeting(meeting);
  });
  socket.on("presenter_message", (msg) => {
    if (!msg || (msg.meeting_id !== undefined && !same(msg.meeting_id, meetingId))) return;
    onMessage(msg);
  });

  function scheduleRetry() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => socket.connect(), 3000);
  }

  onState("connecting");
  if (meetingId !== null) socket.connect();

  return {
    socket,
    /** Follow another meeting: joining leaves the previous meeting's room on the server. */
    setMeeting(id) {
      meetingId = id;
      if (id === null) return;
      if (socket.connected) join();
      else if (!socket.active) socket.connect();
    },
    /** Send a clock command with the version we see; resolves to the ack. */
    command(action, version) {
      return emitAck(socket, "command", { meeting_id: meetingId, action, version, command_id: uuid4() });
    },
    /** Show `text` on the presenter screen ("" clears it). */
    presenterMessage(text) {
      return emitAck(socket, "presenter_message", { meeting_id: meetingId, text });
    },
  };
}
