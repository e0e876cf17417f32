// Row editors of the round page: reception participants and questions, commission members, the
// wide-audience entries. Each row is built from plain inputs; `read…` gives what the API takes.

import { t } from "./i18n.js";
import { el } from "./review-page.js";

export const RECEPTION_ROLES = ["akim", "local_executive_head", "prosecutor", "police", "maslikhat_deputy", "public_council", "other"];
// A commission member's roles come with the commission (GET …/commission answers `roles`).
const commissionRoles = [];

/** The roles a commission member may have, as the server lists them. */
export function setCommissionRoles(roles) {
  commissionRoles.splice(0, commissionRoles.length, ...(roles || []));
}
export const AUDIENCE = ["maslikhat_deputy", "party", "ngo", "opposition", "media", "public_council", "other"];

function select(options, prefix, value, label) {
  const s = el("select", { "aria-label": label }, ...options.map((o) => el("option", { value: o }, t(`${prefix}.${o}`))));
  s.value = value || options[0];
  return s;
}

function input(value, label, extra = {}) {
  return el("input", { value: value ?? "", "aria-label": label, autocomplete: "off", ...extra });
}

function removable(row, box) {
  const b = el("button", { type: "button", class: "btn-small btn-quiet", "aria-label": t("round.remove_row") }, "×");
  b.addEventListener("click", () => {
    row.remove();
    box.dispatchEvent(new Event("rows-changed"));
  });
  row.append(b);
  return row;
}

/** A participant row: role, name, organisation. */
export function personRow(box, p = {}) {
  const row = el("div", { class: "row", "data-row": "person" },
    select(RECEPTION_ROLES, "round.role", p.role, t("round.f_role")),
    input(p.name, t("round.f_name"), { maxlength: "200", placeholder: t("round.f_name") }),
    input(p.organisation, t("round.f_org"), { maxlength: "300", placeholder: t("round.f_org") }));
  box.append(removable(row, box));
}

/** A question row: text, language (its id kept when editing). */
export function questionRow(box, q = {}) {
  const text = el("textarea", { rows: "2", maxlength: "4000", "aria-label": t("round.f_question"), placeholder: t("round.f_question"),
    "data-testid": "rec-question" });
  text.value = q.text || "";
  const lang = el("select", { "aria-label": t("round.f_lang") }, el("option", { value: "ru" }, "RU"), el("option", { value: "kk" }, "KK"));
  lang.value = q.lang === "kk" ? "kk" : "ru";
  const row = el("div", { class: "row q", "data-row": "question", "data-id": q.id || "" }, text, lang);
  box.append(removable(row, box));
}

/** A commission member row. */
export function memberRow(box, m = {}) {
  const row = el("div", { class: "row", "data-row": "member" },
    input(m.name, t("round.f_name"), { maxlength: "200", placeholder: t("round.f_name") }),
    select(commissionRoles, "round.crole", m.role, t("round.f_role")),
    input(m.organisation, t("round.f_org"), { maxlength: "300", placeholder: t("round.f_org") }));
  box.append(removable(row, box));
}

/** A wide-audience row: category, organisation, name (optional), how many. */
export function entryRow(box, e = {}) {
  const row = el("div", { class: "row", "data-row": "entry" },
    select(AUDIENCE, "round.cat", e.category, t("round.f_category")),
    input(e.organisation, t("round.f_org"), { maxlength: "200", placeholder: t("round.f_org") }),
    input(e.count ?? 1, t("round.f_count"), { type: "number", min: "1", max: "100000" }));
  row.dataset.name = e.name || "";
  box.append(removable(row, box));
}

/** The participants in a box. */
export function readPeople(box) {
  return [...box.querySelectorAll("[data-row=person]")].map((r) => {
    const [role, name, organisation] = r.querySelectorAll("select, input");
    return { role: role.value, name: name.value.trim(), organisation: organisation.value.trim() };
  }).filter((p) => p.name);
}

/** The questions in a box (existing ones keep their id). */
export function readQuestions(box) {
  return [...box.querySelectorAll("[data-row=question]")].map((r) => {
    const q = { text: r.querySelector("textarea").value.trim(), lang: r.querySelector("select").value };
    if (r.dataset.id) q.id = r.dataset.id;
    return q;
  }).filter((q) => q.text);
}

/** The commission members in a box. */
export function readMembers(box) {
  return [...box.querySelectorAll("[data-row=member]")].map((r) => {
    const [name, role, organisation] = r.querySelectorAll("input, select");
    return { name: name.value.trim(), role: role.value, organisation: organisation.value.trim() };
  }).filter((m) => m.name);
}

/** The wide-audience entries in a box. */
export function readEntries(box) {
  return [...box.querySelectorAll("[data-row=entry]")].map((r) => {
    const [category, organisation, count] = r.querySelectorAll("select, input");
    return { category: category.value, organisation: organisation.value.trim(), name: r.dataset.name || "", count: Number(count.value) || 1 };
  }).filter((e) => e.organisation || e.name);
}

/** The check's messages under a form (warnings are saved; errors were refused). */
export function renderIssues(list, issues) {
  list.replaceChildren(...issues.map((i) => el("li", { "data-level": i.level }, issueText(i))));
}

function issueText(issue) {
  const m = /^nobody recorded from: (\w+)$/.exec(issue.message);
  if (m) return t("round.issue_nobody", { category: t(`round.cat.${m[1]}`) });
  if (/community assembly|public council/.test(issue.message)) return t("round.issue_public");
  return issue.message;
}
