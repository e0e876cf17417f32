// The meeting form (create / edit) and the announcement verdict against the decree's notice.

import { api } from "./api.js";
import { errorText, showAlert } from "./alerts.js";
import {
  almatyDateToIso, almatyInputToIso, duration, isoToAlmatyDate, isoToAlmatyInput, longDate,
} from "./format.js";
import { t, tn } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const FIELDS = ["title", "title_kk", "akim_name", "akim_level", "place", "starts_at", "planned_minutes", "announced_at", "stream_links", "amend_reason"];
// After the meeting has ended these are part of its record: changed only with a reason, visibly.
const PLAN_FIELDS = ["planned_minutes", "starts_at", "akim_level", "announced_at"];

const form = {
  levels: [],
  meeting: null,
  dirty: false,
  editable: false,
  locked: false,
  amending: false,
  onSaved: () => {},
};

function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

/** Fill the akim level options (names from the catalogue, notice days from /meta). */
function renderLevels() {
  const select = $("f-akim_level");
  const current = select.value;
  select.replaceChildren();
  const blank = document.createElement("option");
  blank.value = "";
  blank.textContent = t("form.akim_level_choose");
  select.append(blank);
  for (const level of form.levels) {
    const opt = document.createElement("option");
    opt.value = level.id;
    opt.textContent = t("form.level_option", {
      level: capitalise(t(`akim_level.${level.id}`)), notice: tn("unit.days", level.notice_days),
    });
    select.append(opt);
  }
  select.value = current;
}

function dayNumber(ymd) {
  const [y, m, d] = ymd.split("-").map(Number);
  return Date.UTC(y, m - 1, d) / 86400000;
}

function ymdFromDay(day) {
  return new Date(day * 86400000).toISOString().slice(0, 10);
}

/** The decree check computed from the form as typed (same rule as the server: Almaty days). */
function previewAnnouncement() {
  const level = form.levels.find((l) => l.id === $("f-akim_level").value);
  const starts = $("f-starts_at").value;
  if (!level || !/^\d{4}-\d{2}-\d{2}T/.test(starts)) return null;
  const meetingDay = dayNumber(starts.slice(0, 10));
  const deadline = ymdFromDay(meetingDay - level.notice_days);
  const announced = $("f-announced_at").value;
  if (!announced) return { notice_days: level.notice_days, deadline, announced_at: null, days_ahead: null, met: null };
  const ahead = meetingDay - dayNumber(announced);
  return { notice_days: level.notice_days, deadline, announced_at: announced, days_ahead: ahead, met: ahead >= level.notice_days };
}

/** Render an announcement verdict into `el` (colour via data-met, plus an icon and words). */
export function renderAnnouncement(el, a, code, { compact = false } = {}) {
  el.replaceChildren();
  if (!a) {
    el.dataset.met = "none";
    return;
  }
  const met = a.met === true ? "true" : a.met === false ? "false" : "unknown";
  el.dataset.met = met;
  const icon = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  icon.setAttribute("class", "icon");
  icon.setAttribute("aria-hidden", "true");
  const use = document.createElementNS("http://www.w3.org/2000/svg", "use");
  use.setAttribute("href", `/static/img/icons.svg#${met === "true" ? "check" : met === "false" ? "over" : "question"}`);
  icon.append(use);
  const badge = document.createElement("strong");
  badge.textContent = t(`announce.badge_${met === "true" ? "met" : met === "false" ? "late" : "unknown"}`);
  const text = document.createElement("span");
  const params = {
    ahead: a.days_ahead === null || a.days_ahead === undefined ? "—" : tn("unit.days", a.days_ahead),
    notice: tn("unit.days", a.notice_days),
    deadline: longDate(a.deadline, code),
  };
  const kind = met === "true" ? "met" : met === "false" ? "late" : "unknown";
  text.textContent = t(compact ? `announce.short_${kind}` : `announce.${kind}`, params);
  el.append(icon, badge, document.createTextNode(" "), text);
  if (compact) el.title = text.textContent;
}

function renderPreview() {
  const code = document.documentElement.lang;
  const saved = form.meeting && !form.dirty ? form.meeting.announcement : null;
  renderAnnouncement($("announcement"), saved || previewAnnouncement(), code);
  const minutes = Number($("f-planned_minutes").value);
  $("planned-hint").textContent = minutes > 0
    ? t("form.planned_minutes_hint", { cap: duration(minutes * 15) })
    : t("form.planned_minutes_hint_empty");
}

function clearError(name) {
  const input = $(`f-${name}`);
  if (input) input.removeAttribute("aria-invalid");
  const box = $(`err-${name}`);
  if (box) box.textContent = "";
}

function clearErrors() {
  for (const name of FIELDS) clearError(name);
}

function showFieldErrors(fields) {
  let first = null;
  const unknown = [];
  for (const [name, message] of Object.entries(fields || {})) {
    const input = $(`f-${name}`);
    if (!input) {
      unknown.push(`${name}: ${message}`);
      continue;
    }
    input.setAttribute("aria-invalid", "true");
    const known = t(`field_error.${name}`);
    $(`err-${name}`).textContent = known !== `field_error.${name}` ? known : message;
    first = first || input;
  }
  if (first) first.focus();
  return unknown;
}

function payload() {
  const minutes = $("f-planned_minutes").value.trim();
  const data = {
    title: $("f-title").value.trim(),
    title_kk: $("f-title_kk").value.trim(),
    akim_name: $("f-akim_name").value.trim(),
    akim_level: $("f-akim_level").value,
    place: $("f-place").value.trim(),
    starts_at: almatyInputToIso($("f-starts_at").value),
    planned_minutes: /^\d+$/.test(minutes) ? Number(minutes) : minutes === "" ? null : Number(minutes),
    announced_at: almatyDateToIso($("f-announced_at").value),
    stream_links: $("f-stream_links").value.split(/\r?\n/).map((s) => s.trim()).filter(Boolean),
  };
  if (form.locked) {
    if (form.amending) data.amend_reason = $("f-amend_reason").value.trim();
    else for (const name of PLAN_FIELDS) delete data[name];
  }
  return data;
}

/** Check what the browser can before sending; returns field messages. */
function localErrors(data) {
  const errors = {};
  if (!data.title) errors.title = t("form.required");
  if (!data.akim_level) errors.akim_level = t("form.required");
  if (!data.starts_at) errors.starts_at = t("form.required");
  if (data.planned_minutes === null) errors.planned_minutes = t("form.required");
  if (form.locked && form.amending && !data.amend_reason) errors.amend_reason = t("form.amend_reason_required");
  return errors;
}

async function submit(ev) {
  ev.preventDefault();
  clearErrors();
  const data = payload();
  const local = localErrors(data);
  if (Object.keys(local).length) {
    for (const [name, msg] of Object.entries(local)) {
      $(`f-${name}`).setAttribute("aria-invalid", "true");
      $(`err-${name}`).textContent = msg;
    }
    $(`f-${Object.keys(local)[0]}`).focus();
    showAlert(t("form.has_errors"));
    return;
  }
  const editing = form.meeting !== null;
  const button = $("meeting-submit");
  if (button.disabled) return;
  button.disabled = true;
  try {
    const path = editing ? `/api/v1/meetings/${encodeURIComponent(form.meeting.id)}` : "/api/v1/meetings";
    const meeting = await api(editing ? "PATCH" : "POST", path, data);
    form.dirty = false;
    showAlert(t(editing ? "form.saved" : "form.created"), "success");
    form.onSaved(meeting, !editing);
  } catch (err) {
    if (err.code === "plan_locked") {
      form.amending = false;
      applyEditable();
      showAlert(t("form.plan_locked_error"));
      return;
    }
    const unknown = showFieldErrors(err.fields);
    const extra = unknown.length ? ` ${unknown.join("; ")}` : "";
    showAlert(Object.keys(err.fields || {}).length ? t("form.has_errors") + extra : errorText(err));
  } finally {
    button.disabled = false;
  }
}

/** Show `meeting` for editing, or an empty form for a new one (null). */
export function fillForm(meeting) {
  form.meeting = meeting;
  form.dirty = false;
  clearErrors();
  $("f-title").value = meeting ? meeting.title || "" : "";
  $("f-title_kk").value = meeting ? meeting.title_kk || "" : "";
  $("f-akim_name").value = meeting ? meeting.akim_name || "" : "";
  $("f-amend_reason").value = "";
  $("f-akim_level").value = meeting ? meeting.akim_level || "" : "";
  $("f-place").value = meeting ? meeting.place || "" : "";
  $("f-starts_at").value = meeting && meeting.starts_at ? isoToAlmatyInput(meeting.starts_at) : "";
  $("f-planned_minutes").value = meeting && meeting.planned_minutes ? String(meeting.planned_minutes) : "";
  $("f-announced_at").value = meeting && meeting.announced_at ? isoToAlmatyDate(meeting.announced_at) : "";
  $("f-stream_links").value = meeting && meeting.stream_links ? meeting.stream_links.join("\n") : "";
  $("form-heading").textContent = t(meeting ? "form.heading_edit" : "form.heading_new");
  $("meeting-submit").textContent = t(meeting ? "form.save" : "form.create");
  $("meeting-panel").dataset.mode = meeting ? "edit" : "new";
  form.amending = false;
  applyEditable();
  renderPreview();
}

function applyEditable() {
  for (const el of $("meeting-form").elements) {
    const plan = PLAN_FIELDS.includes(el.name);
    el.disabled = !form.editable || (plan && form.locked && !form.amending);
  }
  $("plan-lock").hidden = !form.locked || !form.meeting;
  $("btn-amend").hidden = !form.editable || form.amending;
  $("amend-box").hidden = !form.amending;
}

/** Let the user edit (admin, moderator) or only read the form (secretary, viewer). */
export function setFormEditable(editable) {
  form.editable = editable;
  applyEditable();
}

/** After the meeting ended its plan is locked: changed only through "amend", with a reason. */
export function setPlanLocked(locked) {
  if (form.locked === locked) return;
  form.locked = locked;
  if (!locked) form.amending = false;
  applyEditable();
}

/** Whether the user has unsaved edits (then a pushed update must not overwrite them). */
export function isDirty() {
  return form.dirty;
}

/** Re-render the parts that depend on the language. */
export function relabelForm() {
  renderLevels();
  $("form-heading").textContent = t(form.meeting ? "form.heading_edit" : "form.heading_new");
  $("meeting-submit").textContent = t(form.meeting ? "form.save" : "form.create");
  renderPreview();
}

/** Wire the form once: levels from /meta, `onSaved(meeting, created)` after a successful save. */
export function initForm(levels, onSaved) {
  form.levels = levels || [];
  form.onSaved = onSaved;
  renderLevels();
  const el = $("meeting-form");
  el.addEventListener("submit", submit);
  el.addEventListener("input", (ev) => {
    form.dirty = true;
    // A field's message goes as soon as the field is being fixed.
    const name = ev.target && ev.target.name;
    if (name && ev.target.getAttribute("aria-invalid") === "true") clearError(name);
    renderPreview();
  });
  $("btn-amend").addEventListener("click", () => {
    form.amending = true;
    applyEditable();
    $("f-amend_reason").focus();
  });
  el.addEventListener("change", renderPreview);
  fillForm(null);
}
