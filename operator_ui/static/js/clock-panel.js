// The console's clock: phase, presentation against the cap, Q&A, plan; buttons and shortcuts.

import { allowedActions, project } from "./clock-model.js";
import { clockTime, duration, percent } from "./format.js";
import { lang, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);

const BUTTONS = {
  start_presentation: "btn-start-presentation",
  start_qa: "btn-qa",
  pause: "btn-pause",
  resume: "btn-resume",
  end: "btn-end",
  undo: "btn-undo",
};

const CAP_ICON = { calm: "check", warning: "warning", over: "over" };

/** Set text only when it changed, so a 250 ms tick does not churn the DOM. */
export function setText(el, text) {
  if (el && el.textContent !== text) el.textContent = text;
}

function setAttr(el, name, value) {
  if (el && el.getAttribute(name) !== String(value)) el.setAttribute(name, String(value));
}

function setIcon(svg, name) {
  const use = svg && svg.querySelector("use");
  const href = `/static/img/icons.svg#${name}`;
  if (use && use.getAttribute("href") !== href) use.setAttribute("href", href);
}

/** The localised name of a phase. */
export function phaseName(phase) {
  return t(`phase.${phase || "not_started"}`);
}

/** Render the projected clock (`p` from clock-model.project) into the console. */
export function renderClock(p, { canCommand }) {
  const root = $("clock");
  if (!p) {
    root.dataset.phase = "none";
    return;
  }
  const code = lang();
  root.dataset.phase = p.phase;
  root.dataset.capState = p.cap_state;

  const phaseEl = $("phase");
  setAttr(phaseEl, "data-phase", p.phase);
  setText(phaseEl, phaseName(p.phase));
  setText($("phase-paused"), p.phase === "pause" && p.paused_phase
    ? t("clock.paused_from", { phase: phaseName(p.paused_phase) }) : "");
  const inPhase = p.phase === "not_started" || p.phase === "ended" || p.phase_seconds === null;
  setText($("phase-time"), inPhase ? "—" : duration(p.phase_seconds));
  setText($("phase-since"), p.phase_started_at && p.phase !== "not_started"
    ? t("clock.since", { time: clockTime(p.phase_started_at, code) }) : "");

  const used = $("presentation-used");
  setText(used, duration(p.presentation_seconds));
  setAttr(used, "data-seconds", Math.floor(p.presentation_seconds));
  setText($("presentation-cap"), duration(p.cap_seconds));
  const capEl = $("cap-state");
  setAttr(capEl, "data-state", p.cap_state);
  setIcon(capEl.querySelector("svg"), CAP_ICON[p.cap_state]);
  setText($("cap-state-text"), t(`cap.${p.cap_state}`));
  const left = $("presentation-left");
  if (p.cap_state === "over") {
    setText(left, t("clock.over_by", { time: duration(p.over_cap_seconds) }));
  } else {
    setText(left, t("clock.left", { time: duration(p.presentation_left_seconds, "ceil") }));
  }
  setAttr(left, "data-state", p.cap_state);
  const bar = $("cap-bar");
  const ratio = Math.min(1, p.cap_ratio);
  bar.style.setProperty("--fill", `${(ratio * 100).toFixed(2)}%`);
  bar.style.setProperty("--warn", `${p.cap_seconds > 0 ? (p.warning_seconds / p.cap_seconds) * 100 : 80}%`);
  setAttr(bar, "data-state", p.cap_state);
  setAttr(bar, "aria-valuemax", Math.round(p.cap_seconds));
  setAttr(bar, "aria-valuenow", Math.round(Math.min(p.presentation_seconds, p.cap_seconds)));
  setAttr(bar, "aria-valuetext", t("clock.used_of_cap", {
    used: duration(p.presentation_seconds), cap: duration(p.cap_seconds),
  }));

  setText($("qa-time"), duration(p.qa_seconds));
  setText($("qa-share"), p.qa_share === null || p.qa_share === undefined ? "—" : percent(p.qa_share, code));
  setText($("pause-time"), duration(p.pause_seconds));
  setText($("planned-duration"), duration(p.planned_seconds));
  setText($("planned-end"), p.planned_end_at ? t("clock.planned_until", { time: clockTime(p.planned_end_at, code) }) : "—");
  renderRemaining(p);
  renderRestarts(p.restarts || []);
  renderButtons(p, canCommand);
}

function renderRemaining(p) {
  const box = $("remaining-box");
  let state = "plan";
  let value = "—";
  let note = "";
  const underWay = ["presentation", "qa", "pause"].includes(p.phase);
  if (underWay && p.remaining_seconds !== null && p.remaining_seconds !== undefined) {
    state = p.running_over ? "over" : "ok";
    value = p.running_over ? `+${duration(Math.max(0, -p.remaining_seconds))}` : duration(p.remaining_seconds, "ceil");
    note = t(p.running_over ? "clock.running_over" : "clock.on_schedule");
  } else if (p.phase === "not_started") {
    value = duration(p.planned_seconds);
    note = t("clock.not_started_note");
  } else if (p.phase === "ended") {
    state = p.running_over ? "over" : "ok";
    note = `${t("clock.ended_at", { time: clockTime(p.ended_at, lang()) })} · ${t(p.running_over ? "clock.ended_over" : "clock.ended_ok")}`;
  }
  setText($("remaining"), value);
  setText($("remaining-note"), note);
  setAttr(box, "data-state", state);
  setIcon(box.querySelector("svg"), state === "over" ? "warning" : "clock");
}

let lastRestarts = "";

function renderRestarts(restarts) {
  const key = `${lang()}|${JSON.stringify(restarts)}`;
  if (key === lastRestarts) return;
  lastRestarts = key;
  const list = $("restarts");
  list.replaceChildren();
  for (const r of restarts) {
    const li = document.createElement("li");
    const params = {
      from: clockTime(r.down_from, lang(), true), to: clockTime(r.down_to, lang(), true), phase: phaseName(r.phase),
    };
    li.textContent = r.down_from ? t("clock.restart_range", params) : t("clock.restart_to", params);
    list.append(li);
  }
  list.hidden = restarts.length === 0;
}

function renderButtons(p, canCommand) {
  const allowed = allowedActions(p);
  for (const [action, id] of Object.entries(BUTTONS)) {
    const btn = $(id);
    const disabled = !canCommand || !allowed[action];
    if (btn.disabled !== disabled) btn.disabled = disabled;
  }
  // The undo button names what it would take back ("Отменить: переход к вопросам").
  const undo = $("btn-undo");
  const title = p.undo_action ? t("undo.title", { what: t(`undo.what.${p.undo_action}`) }) : "";
  if (undo.title !== title) undo.title = title;
}

/** Disable every control (no meeting selected, or not allowed to command). */
export function disableControls() {
  for (const id of Object.values(BUTTONS)) $(id).disabled = true;
}

function typing(target) {
  if (!target || !(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  return Boolean(target.closest("input, textarea, select, [contenteditable]"));
}

/**
 * Wire buttons and shortcuts. `run(action)` performs a command; `getView()` returns the current
 * ClockView. P presentation, Q Q&A, Space pause/resume, E end (after confirming), Ctrl+Z undo.
 * Keys are matched by physical position (event.code), so they work in a Cyrillic layout too.
 */
export function bindControls(run, getView, onBlocked = () => {}) {
  const dialog = $("confirm-end");
  const ask = () => {
    if (typeof dialog.showModal === "function") {
      if (!dialog.open) dialog.showModal();
      $("confirm-end-yes").focus();
    } else if (window.confirm(t("confirm_end.title"))) run("end");
  };
  $("confirm-end-yes").addEventListener("click", () => {
    dialog.close();
    run("end");
  });
  $("confirm-end-no").addEventListener("click", () => dialog.close());

  for (const [action, id] of Object.entries(BUTTONS)) {
    $(id).addEventListener("click", (ev) => {
      // After a mouse click, drop focus so Space means pause/resume rather than "click again".
      if (ev.detail > 0) ev.currentTarget.blur();
      if (action === "end") ask();
      else run(action);
    });
  }

  document.addEventListener("keydown", (ev) => {
    if (ev.defaultPrevented || ev.repeat || typing(ev.target) || (dialog && dialog.open)) return;
    const plain = !ev.ctrlKey && !ev.metaKey && !ev.altKey;
    const pressIf = (action) => {
      const btn = $(BUTTONS[action]);
      if (btn.disabled) {
        onBlocked(action);
        return false;
      }
      ev.preventDefault();
      if (action === "end") ask();
      else run(action);
      return true;
    };
    if ((ev.ctrlKey || ev.metaKey) && !ev.altKey && ev.code === "KeyZ" && !ev.shiftKey) {
      pressIf("undo");
      ev.preventDefault();
      return;
    }
    if (!plain) return;
    if (ev.code === "KeyP") pressIf("start_presentation");
    else if (ev.code === "KeyQ") pressIf("start_qa");
    else if (ev.code === "KeyE") pressIf("end");
    else if (ev.code === "Space") {
      // Space on a control reached by keyboard presses that control, as everywhere on the web;
      // a control merely left focused by a mouse click does not steal the shortcut.
      const control = ev.target instanceof Element ? ev.target.closest("button, a, summary, [role=button]") : null;
      if (control && control.matches(":focus-visible")) return;
      if (control) control.blur();
      const view = getView();
      if (!view) return;
      if (!pressIf(view.phase === "pause" ? "resume" : "pause")) ev.preventDefault();
    }
  });
}

/** The projected view for now, or null. */
export function projectNow(view, offsetMs) {
  return view ? project(view, Date.now(), offsetMs) : null;
}
