// The national page's two lists: the central-level list (analysis counts and sums, each item's
// analysis editable by those allowed) and the compliance monitor (who is late now, by how much).

import { showAlert } from "./alerts.js";
import { lang, t } from "./i18n.js";
import { number } from "./format.js";
import { dayText, nameOf } from "./planner-format.js";
import { call, fetchFile, saveFile } from "./review-api.js";
import { $, el, reviewError } from "./review-page.js";

const money = (v) => number(v || 0, lang());
const CHECKS = ["coverage", "announcements", "quarter_rule", "package", "progress"];

function analysisSelect(item, analyses, onSaved) {
  const select = el("select", { "data-testid": `analysis-${item.problem_id}`, "aria-label": t("national.col_analysis") },
    ...analyses.map((a) => el("option", { value: a, selected: a === item.analysis }, t(`national.analysis.${a}`))));
  select.addEventListener("change", async () => {
    try {
      await call("PATCH", `/api/v1/central-list/${item.problem_id}`, { version: item.version, analysis: select.value });
      onSaved();
    } catch (err) {
      showAlert(reviewError(err));
    }
  });
  return select;
}

/** The central-level list: the summary by analysis, then the items. */
export function renderCentral(body, { canEdit, onSaved }) {
  $("central-deadlines").textContent = t("national.central_deadlines", { next: dayText(body.deadlines.next), after: dayText(body.deadlines.after) });
  const rows = body.analysis.map((a) => el("tr", { "data-testid": `central-${a}` },
    el("td", {}, t(`national.analysis.${a}`)),
    el("td", { class: "num" }, money(body.summary.by_analysis[a].count)),
    el("td", { class: "num" }, money(body.summary.by_analysis[a].sum))));
  rows.push(el("tr", {}, el("th", { scope: "row" }, t("national.central_selected")),
    el("td", { class: "num" }, money(body.summary.selected.count)), el("td", { class: "num" }, money(body.summary.selected.sum))));
  rows.push(el("tr", {}, el("th", { scope: "row" }, t("national.central_total")),
    el("td", { class: "num" }, money(body.summary.total.count)), el("td", { class: "num" }, money(body.summary.total.sum))));
  $("central-summary").replaceChildren(...rows);
  $("central-body").replaceChildren(...body.items.map((item) => el("tr", { "data-problem": String(item.problem_id) },
    el("td", {}, (lang() === "kk" ? item.title_kk || item.title_ru : item.title_ru || item.title_kk) || "—"),
    el("td", {}, lang() === "kk" ? item.unit_name_kk || item.unit_name_ru : item.unit_name_ru || item.unit_name_kk),
    el("td", { class: "num" }, money(item.sum)),
    el("td", {}, canEdit ? analysisSelect(item, body.analysis, onSaved) : t(`national.analysis.${item.analysis}`),
      item.due_for_update ? el("span", { class: "muted" }, ` · ${t("national.due_update")}`) : null),
    el("td", {}, item.body_id || "—"))));
}

function lateText(row) {
  if (!row.late.length) return t("national.on_time");
  return row.late.map((name) => t(`national.check.${name}`)).join(", ");
}

/** The compliance monitor of the same scope, with its exports. */
export function renderCompliance(body, state) {
  $("compliance-summary").textContent = t("national.compliance_summary", {
    late: body.late_organisers, total: body.organisers.length, year: body.year, quarter: body.quarter, today: dayText(body.today) });
  const buttons = ["csv", "xlsx"].map((fmt) => {
    const params = new URLSearchParams({ year: String(body.year), quarter: String(body.quarter), lang: lang() });
    if (state.unit) params.set("unit", state.unit);
    const b = el("button", { type: "button", class: "btn-small", "data-testid": `dl-compliance-${fmt}` }, t(`national.dl_compliance_${fmt}`));
    b.addEventListener("click", async () => {
      try {
        saveFile(await fetchFile(`/api/v1/compliance.${fmt}?${params}`, `compliance.${fmt}`));
      } catch (err) {
        showAlert(reviewError(err));
      }
    });
    return b;
  });
  $("compliance-downloads").replaceChildren(...buttons);
  $("compliance-body").replaceChildren(...body.organisers.map((row) => el("tr", { "data-late": String(row.late.length > 0), "data-testid": `late-${row.organiser_id}` },
    el("td", {}, nameOf(row)),
    el("td", { title: CHECKS.map((c) => `${t(`national.check.${c}`)}: ${row.checks[c].ok}/${row.checks[c].total}`).join("; ") }, lateText(row)),
    el("td", { class: "num" }, money(row.days_late)))));
}
