// The problem form's fields: the selects in the UI language (executor suggestions first), reading
// and filling the form, field errors, and a value shown in words (for the conflict list).

import { lang, t } from "./i18n.js";
import {
  EDITABLE, TEXT_FIELDS, competences, fundingSources, statuses, categories, categoryName, departments, dmy, executorName,
  knownExecutor, parseTenge, suggestedDepartments, tenge,
} from "./review-model.js";
import { $, el } from "./review-page.js";

const input = (key) => $(`pf-${key}`);

function option(value, text) {
  return el("option", { value }, text);
}

function setOptions(select, options, value) {
  select.replaceChildren(...options);
  select.value = value ?? "";
  if (select.value !== String(value ?? "")) select.value = "";
}

/** The executor select: none, the category's usual departments, every department, and an unknown current one. */
export function fillExecutor(category, value) {
  const select = input("executor");
  const suggested = suggestedDepartments(category);
  const names = new Set(suggested.map((d) => d.ru));
  const rest = departments().filter((d) => !names.has(d.ru));
  const name = (d) => d[lang()] || d.ru;
  const options = [option("", t("review.no_executor_choice"))];
  if (suggested.length) options.push(el("optgroup", { label: t("review.executor_suggested") }, suggested.map((d) => option(d.ru, name(d)))));
  options.push(el("optgroup", { label: t("review.executor_all") }, rest.map((d) => option(d.ru, name(d)))));
  if (value && !knownExecutor(value)) options.push(option(value, `${value} ${t("review.executor_unknown")}`));
  setOptions(select, options, value);
}

/** Every select of the form, in the UI language, set to `fields`. */
export function fillSelects(fields) {
  setOptions(input("category"), [option("", t("review.no_category")), ...categories().map((c) => option(c.id, c[lang()] || c.ru))], fields.category);
  fillExecutor(fields.category, fields.executor);
  setOptions(input("status"), statuses().map((s) => option(s, t(`review.status.${s}`))), fields.status);
  setOptions(input("competence"), competences().map((c) => option(c, t(`review.competence.${c}`))), fields.competence);
  setOptions(input("funding_source"), [option("", t("review.funding_source_none")), ...fundingSources().map((s) => option(s, t(`review.funding_source.${s}`)))], fields.funding_source);
}

/** Put field values into the form. */
export function fillForm(fields) {
  fillSelects(fields);
  for (const key of TEXT_FIELDS) input(key).value = fields[key] || "";
  input("deadline").value = fields.deadline || "";
  for (const key of ["funding_need", "funding_allocated"]) {
    const v = fields[key];
    input(key).value = v === null || v === undefined ? "" : Number.isNaN(v) ? input(key).value : tenge(v, lang(), false);
  }
  input("central_list").checked = Boolean(fields.central_list);
  input("accepted").checked = Boolean(fields.accepted);
}

/** The form's values in the same shape as `fieldsOf(problem)` (a mistyped amount is NaN). */
export function readForm() {
  const out = {};
  for (const key of TEXT_FIELDS) out[key] = input(key).value.trim();
  out.category = input("category").value || null;
  out.executor = input("executor").value.trim();
  out.deadline = input("deadline").value || null;
  out.competence = input("competence").value;
  out.status = input("status").value;
  out.funding_source = input("funding_source").value || null;
  out.funding_need = parseTenge(input("funding_need").value);
  out.funding_allocated = parseTenge(input("funding_allocated").value);
  out.central_list = input("central_list").checked;
  out.accepted = input("accepted").checked;
  return out;
}

/** Show per-field messages (server or ours); clears the others. Returns the first field in error. */
export function showFieldErrors(errors = {}) {
  let first = null;
  for (const key of EDITABLE) {
    const box = $(`err-${key}`);
    const field = input(key);
    const message = errors[key];
    if (box) box.textContent = message ? fieldMessage(key, message) : "";
    if (field) {
      if (message) field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
    }
    if (message && !first) first = field;
  }
  return first;
}

/** Drop a field's message as soon as the field is being fixed. */
export function clearFieldError(control) {
  const key = control && control.id && control.id.startsWith("pf-") ? control.id.slice(3) : null;
  if (!key || control.getAttribute("aria-invalid") !== "true") return;
  control.removeAttribute("aria-invalid");
  const box = $(`err-${key}`);
  if (box) box.textContent = "";
}

function fieldMessage(key, message) {
  if (/before the meeting/.test(message)) return t("review.err.deadline_before_meeting");
  if (/unknown executor/.test(message)) return t("review.err.unknown_executor");
  if (/not negative|whole number/.test(message)) return t("review.err.tenge");
  if (/unknown category/.test(message)) return t("review.err.unknown_category");
  if (/a date like|YYYY-MM-DD/.test(message)) return t("review.err.date");
  if (/at most/.test(message)) return t("review.err.too_long");
  return message;
}

/** A field's value in words, for the conflict list. */
export function valueText(key, value) {
  if (value === null || value === undefined || value === "") return t("review.value_empty");
  switch (key) {
    case "category": return categoryName(value, lang());
    case "executor": return executorName(value, lang());
    case "deadline": return dmy(value);
    case "status": return t(`review.status.${value}`);
    case "competence": return t(`review.competence.${value}`);
    case "funding_source": return t(`review.funding_source.${value}`);
    case "funding_need":
    case "funding_allocated": return Number.isNaN(value) ? String(value) : tenge(value, lang());
    case "central_list":
    case "accepted": return value ? t("review.yes") : t("review.no");
    default: return `«${value}»`;
  }
}

/** Enable or disable every control of the form (a viewer reads only). */
export function setFormEditable(editable) {
  for (const control of $("problem-form").querySelectorAll("input, select, textarea")) control.disabled = !editable;
  $("problem-form").querySelector(".form-actions").hidden = !editable;
}
