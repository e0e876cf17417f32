// Names of hall askers as the person at this console typed them. The server never sends a hall
// asker's name to a moderator (and never to a screen, the overlay, an export or a viewer); this
// browser remembers what it typed itself, so the one who typed it sees it in this console only.

const KEY = "tyndau.floorNames";
const MAX = 2000;

function read() {
  try {
    return JSON.parse(localStorage.getItem(KEY) || "{}") || {};
  } catch {
    return {};
  }
}

/** Remember the name typed for hall question `commentId` of `meetingId`. */
export function rememberFloorName(meetingId, commentId, name) {
  if (!name || meetingId === null || meetingId === undefined || !commentId) return;
  const all = read();
  all[`${meetingId}:${commentId}`] = name;
  const keys = Object.keys(all);
  for (const k of keys.slice(0, Math.max(0, keys.length - MAX))) delete all[k];
  try {
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    /* private mode or full: the name is simply not remembered */
  }
}

/** The names typed here for a meeting's hall questions: comment id → name. */
export function floorNames(meetingId) {
  const out = new Map();
  const prefix = `${meetingId}:`;
  for (const [k, v] of Object.entries(read())) if (k.startsWith(prefix)) out.set(Number(k.slice(prefix.length)), v);
  return out;
}
