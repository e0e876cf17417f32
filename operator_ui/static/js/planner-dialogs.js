// The planner's three dialogs: a visit (where and when), the maslikhat's agreement (approve or
// adjust: its date, number and — for an adjustment — why), and creating the meeting of a visit.
// Each resolves to the values entered, or null when the person cancels.

import { t } from "./i18n.js";
import { dayText } from "./planner-format.js";
import { $, el } from "./review-page.js";

function open(dialogId, formId, cancelId, read) {
  const dialog = $(dialogId);
  const form = $(formId);
  return new Promise((resolve) => {
    const done = (value) => {
      form.removeEventListener("submit", submit);
      $(cancelId).removeEventListener("click", cancel);
      dialog.removeEventListener("cancel", cancel);
      if (dialog.open) dialog.close();
      resolve(value);
    };
    const submit = (ev) => {
      ev.preventDefault();
      const value = read();
      if (value) done(value);
    };
    const cancel = (ev) => {
      if (ev) ev.preventDefault();
      done(null);
    };
    form.addEventListener("submit", submit);
    $(cancelId).addEventListener("click", cancel);
    dialog.addEventListener("cancel", cancel);
    dialog.showModal();
  });
}

function fieldError(input, errorId, text) {
  input.setAttribute("aria-invalid", text ? "true" : "false");
  $(errorId).textContent = text || "";
  if (text) input.focus();
  return !text;
}

/** Where and when: `places` [{id, label}], `period` bounds, `visit` when moving one. */
export function visitDialog({ title, places, place, first, last, day, mode }) {
  $("visit-title").textContent = title;
  const select = $("visit-place");
  select.replaceChildren(...places.map((p) => el("option", { value: p.id }, p.label)));
  select.value = place || (places[0] && places[0].id) || "";
  const input = $("visit-day");
  input.min = first || "";
  input.max = last || "";
  input.value = day || "";
  $("visit-day-hint").textContent = first && last ? t("planner.f_day_hint", { first: dayText(first), last: dayText(last) }) : "";
  $("visit-note").value = "";
  $("visit-mode").textContent = mode;
  fieldError(input, "visit-day-error", "");
  return open("visit-dialog", "visit-form", "visit-cancel", () => {
    const value = input.value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return fieldError(input, "visit-day-error", t("planner.f_day_required")) && null;
    if ((first && value < first) || (last && value > last)) return fieldError(input, "visit-day-error", t("planner.f_day_outside")) && null;
    return { place: select.value || null, day: value, note: $("visit-note").value.trim() };
  });
}

/** The maslikhat's agreement; ``withReason`` for an adjustment (the decree asks why). */
export function agreeDialog({ title, text, withReason, central = false }) {
  $("agree-title").textContent = title;
  document.querySelector("label[for=agree-date]").textContent = t(central ? "planner.f_approval_date_central" : "planner.f_maslikhat_date");
  document.querySelector("label[for=agree-ref]").textContent = t(central ? "planner.f_approval_ref_central" : "planner.f_maslikhat_ref");
  $("agree-text").textContent = text;
  $("agree-reason-field").hidden = !withReason;
  for (const id of ["agree-date", "agree-ref", "agree-reason"]) $(id).value = "";
  fieldError($("agree-date"), "agree-date-error", "");
  fieldError($("agree-reason"), "agree-reason-error", "");
  return open("agree-dialog", "agree-form", "agree-cancel", () => {
    const date = $("agree-date").value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return fieldError($("agree-date"), "agree-date-error", t("planner.f_maslikhat_required")) && null;
    const reason = $("agree-reason").value.trim();
    if (withReason && !reason) return fieldError($("agree-reason"), "agree-reason-error", t("planner.f_reason_required")) && null;
    return { date, ref: $("agree-ref").value.trim(), reason };
  });
}

/** Time and duration of the meeting a visit becomes. */
export function meetingDialog({ what }) {
  $("meeting-what").textContent = what;
  $("meeting-error").textContent = "";
  return open("meeting-dialog", "meeting-form", "meeting-cancel", () => {
    const time = $("meeting-time").value;
    const minutes = Number($("meeting-minutes").value);
    if (!/^\d{2}:\d{2}$/.test(time) || !Number.isInteger(minutes) || minutes < 1 || minutes > 720) {
      $("meeting-error").textContent = t("planner.m_invalid");
      return null;
    }
    return { time, minutes };
  });
}

/** Show a server refusal inside the open dialog's form, or nowhere when none is open. */
export function dialogError(text) {
  const open = [...document.querySelectorAll("dialog[open] .field-error")];
  if (open.length) open[open.length - 1].textContent = text;
}
