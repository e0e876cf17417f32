// The clock between server pushes: pure functions that tick a ClockView forward locally.
// The server sends its state only when it changes; browsers add the time elapsed since
// `server_time` (corrected by their measured offset to the server's clock) to the running phase.

/** Phases whose time accumulates, with the ClockView total each one feeds. */
export const TOTAL_OF = Object.freeze({
  presentation: "presentation_seconds",
  qa: "qa_seconds",
  pause: "pause_seconds",
});

/** Phases during which the meeting itself is under way (planned end counts down). */
export const UNDER_WAY = Object.freeze(["presentation", "qa", "pause"]);

function num(value, fallback = 0) {
  const n = Number(value);
  return value === null || value === undefined || !Number.isFinite(n) ? fallback : n;
}

/** Milliseconds the server's clock is ahead of ours, measured when a view arrives. */
export function measureOffset(view, receivedAtMs) {
  const serverMs = Date.parse(view && view.server_time);
  return Number.isFinite(serverMs) ? serverMs - receivedAtMs : 0;
}

/** The cap state for presentation seconds: "over" past the cap, "warning" from warning_seconds. */
export function capState(presentationSeconds, capSeconds, warningSeconds) {
  if (presentationSeconds > capSeconds) return "over";
  if (presentationSeconds >= warningSeconds) return "warning";
  return "calm";
}

/**
 * The view as of `nowMs` (our clock) given our `offsetMs` to the server: the running phase's
 * total grows, and everything derived from it is recomputed. Never mutates `view`.
 */
export function project(view, nowMs, offsetMs = 0) {
  if (!view) return null;
  const serverMs = Date.parse(view.server_time);
  const serverNow = nowMs + offsetMs;
  const elapsed = Number.isFinite(serverMs) ? Math.max(0, (serverNow - serverMs) / 1000) : 0;
  const out = { ...view, elapsed_since_server: elapsed };

  const key = TOTAL_OF[view.phase];
  if (key) out[key] = num(view[key]) + elapsed;
  const presentation = num(out.presentation_seconds);
  const qa = num(out.qa_seconds);

  const cap = num(view.cap_seconds);
  const warning = num(view.warning_seconds, cap * 0.8);
  out.presentation_seconds = presentation;
  out.qa_seconds = qa;
  out.pause_seconds = num(out.pause_seconds);
  out.over_cap_seconds = Math.max(0, presentation - cap);
  out.presentation_left_seconds = Math.max(0, cap - presentation);
  out.cap_state = capState(presentation, cap, warning);
  out.cap_ratio = cap > 0 ? presentation / cap : 0;

  const phaseStart = Date.parse(view.phase_started_at);
  out.phase_seconds = Number.isFinite(phaseStart) ? Math.max(0, (serverNow - phaseStart) / 1000) : null;

  if (UNDER_WAY.includes(view.phase)) {
    const endMs = Date.parse(view.planned_end_at);
    if (Number.isFinite(endMs)) out.remaining_seconds = (endMs - serverNow) / 1000;
    else if (view.remaining_seconds !== null && view.remaining_seconds !== undefined) {
      out.remaining_seconds = num(view.remaining_seconds) - elapsed;
    }
    // As the server defines it: the time spent so far exceeds the plan.
    out.running_over = presentation + qa + out.pause_seconds > num(view.planned_seconds);
  }
  const spoken = presentation + qa;
  out.qa_share = spoken > 0 ? qa / spoken : (view.qa_share ?? null);
  return out;
}

/** Which console actions make sense in a phase (the server still has the last word). */
export function allowedActions(view) {
  const phase = view ? view.phase : null;
  const canUndo = view ? (view.can_undo ?? (phase !== "not_started" && phase !== null)) : false;
  const allowed = {
    start_presentation: phase === "not_started" || phase === "qa" || phase === "pause",
    start_qa: phase === "not_started" || phase === "presentation" || phase === "pause",
    pause: phase === "presentation" || phase === "qa",
    resume: phase === "pause",
    end: phase === "presentation" || phase === "qa" || phase === "pause",
    undo: Boolean(canUndo),
  };
  return allowed;
}

/** Whether `next` should replace `current`: newer version, or a fresh snapshot after join. */
export function isNewer(current, next) {
  if (!current || !next) return Boolean(next);
  if (current.meeting_id !== next.meeting_id) return true;
  return num(next.version) >= num(current.version);
}
