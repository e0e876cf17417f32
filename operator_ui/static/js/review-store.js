// The problems of the meeting (or round) being reviewed, kept in step with the server: a full read
// on open, then re-reads of just the problems someone changed; every decision goes through `act`.

import { call, decide } from "./review-api.js";
import { rank } from "./review-model.js";

const BULK = 25;

export const store = {
  canEdit: false,
  meetings: [],
  scope: [],
  problems: new Map(),
  ranked: [],
  mergedInto: new Map(),
  myMeetings: [],
};

const listeners = new Set();

/** Call `fn(kind, detail)` on "list" (everything re-read), "changed" ({ids}) and "removed" ({ids}). */
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function emit(kind, detail = {}) {
  for (const fn of listeners) fn(kind, detail);
}

function rerank() {
  store.ranked = rank([...store.problems.values()]);
  store.ranked.forEach((p, i) => {
    p.rank = i + 1;
  });
}

function keep(problem) {
  if (problem.merged_into) {
    store.problems.delete(problem.id);
    store.mergedInto.set(problem.id, problem.merged_into);
    return false;
  }
  if (!problem.mentions) {
    // Every comment of it is "not a problem" or moved away: it is no longer a problem.
    store.problems.delete(problem.id);
    store.mergedInto.delete(problem.id);
    return false;
  }
  store.mergedInto.delete(problem.id);
  store.problems.set(problem.id, problem);
  return true;
}

/** The meeting of `id` from the meetings list (null if unknown). */
export const meetingOf = (id) => store.meetings.find((m) => Number(m.id) === Number(id)) || null;

/** How many problems were merged into `id`. */
export function mergedCount(id) {
  let n = 0;
  for (const target of store.mergedInto.values()) if (target === id) n += 1;
  return n;
}

function listUrl() {
  return store.scope.length === 1
    ? `/api/v1/meetings/${store.scope[0]}/problems?merged=1`
    : `/api/v1/problems?meetings=${store.scope.join(",")}&merged=1`;
}

/** Read the whole list of the scope again. */
export async function loadProblems() {
  if (!store.scope.length) {
    store.problems = new Map();
    store.mergedInto = new Map();
    rerank();
    emit("list");
    return;
  }
  const data = await call("GET", listUrl());
  store.problems = new Map();
  store.mergedInto = new Map();
  for (const p of (data && data.items) || []) keep(p);
  rerank();
  emit("list");
}

/** One problem with its comments (the detail pane's read). */
export function fetchDetail(meetingId, problemId) {
  return call("GET", `/api/v1/meetings/${encodeURIComponent(meetingId)}/problems/${encodeURIComponent(problemId)}`);
}

/** Re-read the problems `ids` of a meeting after someone's decision (a big change re-reads the list). */
export async function refreshProblems(meetingId, ids) {
  if (!store.scope.includes(Number(meetingId))) return;
  if (ids.length > BULK) {
    await loadProblems();
    return;
  }
  const changed = [];
  const removed = [];
  await Promise.all(ids.map(async (id) => {
    try {
      const data = await fetchDetail(meetingId, id);
      (keep(data.problem) ? changed : removed).push(id);
    } catch (err) {
      if (err.status !== 404) throw err;
      store.problems.delete(id);
      store.mergedInto.delete(id);
      removed.push(id);
    }
  }));
  rerank();
  if (changed.length) emit("changed", { ids: changed, meetingId });
  if (removed.length) emit("removed", { ids: removed, meetingId });
}

/**
 * Take a review decision in a meeting; remembers where, so undo knows which meeting's last decision
 * is ours, and re-reads the problems it touched (the live echo does the same for everyone else).
 */
export async function act(meetingId, verb, payload, touched = []) {
  const result = await decide(meetingId, verb, payload);
  if (verb !== "undo") {
    store.myMeetings = store.myMeetings.filter((m) => m !== Number(meetingId));
    store.myMeetings.push(Number(meetingId));
  }
  const more = [];
  if (result && result.problem) more.push(result.problem.id);
  if (result && Array.isArray(result.problems)) more.push(...result.problems);
  const ids = [...new Set([...touched, ...more].map(Number).filter(Boolean))];
  if (ids.length) await refreshProblems(meetingId, ids);
  return result;
}

/** Undo my last decision: in the meeting I last decided in (the scope's first meeting otherwise). */
export async function undoLast() {
  const meetingId = store.myMeetings.length ? store.myMeetings[store.myMeetings.length - 1] : store.scope[0];
  try {
    return { meetingId, result: await act(meetingId, "undo", {}) };
  } catch (err) {
    if (err.code === "nothing_to_undo" && store.myMeetings.length) {
      store.myMeetings.pop();
      if (store.myMeetings.length || store.scope.length > 1) return undoLast();
    }
    throw err;
  }
}
