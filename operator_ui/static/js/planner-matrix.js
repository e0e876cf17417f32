// The coverage matrix: a row per unit the organiser must visit, a column per quarter or half-year.
// Each cell says what it is in words and an icon (colour only repeats them): held with the day,
// planned with the day, no meeting (with the plan that was missed), not required.

import { t, tn } from "./i18n.js";
import { dayShort, nameOf, periodLong, periodShort } from "./planner-format.js";
import { el } from "./review-page.js";

const ICON = { held: "✓", planned: "◷", missing: "✖", not_required: "—" };

function cellText(cell, ctx) {
  if (cell.status === "held") {
    const days = cell.held.map((id) => ctx.meetings.get(id)).filter(Boolean).map((m) => m.starts_at).sort();
    const onDemand = cell.on_demand.length && cell.on_demand.length === cell.held.length;
    return `${t("planner.cell_held")} ${days.length ? dayShort(ctx.almatyDay(days[0])) : ""}${onDemand ? ` · ${t("planner.cell_on_demand")}` : ""}`.trim();
  }
  if (cell.status === "planned") {
    const days = cell.planned.map((id) => ctx.visits.get(id)).filter(Boolean).map((v) => v.planned_on).sort();
    return `${t("planner.cell_planned")} ${days.length ? dayShort(days[0]) : ""}`.trim();
  }
  return t(`planner.cell_${cell.status}`);
}

function missedPlan(cell, ctx) {
  const days = cell.overdue.map((id) => ctx.visits.get(id)).filter(Boolean).map((v) => v.planned_on).sort();
  return days.length ? t("planner.cell_missed_plan", { day: dayShort(days[0]) }) : "";
}

/** Fill the matrix table from the coverage answer; `onPlan(targetId, period)` adds a visit where allowed. */
export function renderMatrix(coverage, ctx, { onPlan, onlyGaps = false } = {}) {
  const head = document.getElementById("matrix-head");
  head.replaceChildren(
    el("th", { scope: "col", class: "unit-col" }, t("planner.col_unit")),
    ...coverage.periods.map((p) => el("th", { scope: "col", title: periodLong(p), "data-open": String(p.open) }, periodShort(p))),
  );
  document.getElementById("matrix-caption").textContent = t("planner.matrix_caption");
  const shown = onlyGaps ? coverage.rows.filter((r) => r.cells.some((c) => c.status === "missing")) : coverage.rows;
  const rows = shown.map((row) => {
    const unit = row.unit;
    const name = unit ? nameOf(unit) : t("planner.organiser_itself");
    const header = el("th", { scope: "row", class: "unit-col", style: null, "data-depth": String(Math.min(row.depth, 4)) },
      el("span", { class: "unit-name" }, name),
      unit ? el("span", { class: "unit-kind" }, ctx.kindName(unit.kind)) : null);
    const cells = row.cells.map((cell, i) => {
      const period = coverage.periods[i];
      const missed = cell.status === "missing" ? missedPlan(cell, ctx) : "";
      const td = el("td", { "data-status": cell.status, "data-testid": `cell-${row.target_id}-${cell.period}`,
        "data-open": String(cell.period_open), title: `${name} — ${periodLong(period)}: ${cellText(cell, ctx)}${missed ? ` (${missed})` : ""}` },
        el("span", { class: "cell-icon", "aria-hidden": "true" }, ICON[cell.status] || ""),
        el("span", { class: "cell-text" }, cellText(cell, ctx)),
        missed ? el("span", { class: "cell-missed" }, missed) : null);
      if (onPlan && cell.required && cell.status === "missing" && cell.period_open) {
        const button = el("button", { type: "button", class: "cell-plan", "data-testid": `plan-${row.target_id}-${cell.period}`,
          "aria-label": t("planner.plan_here_aria", { unit: name, period: periodLong(period) }) }, t("planner.plan_here"));
        button.addEventListener("click", () => onPlan(row, period));
        td.append(button);
      }
      return td;
    });
    return el("tr", { "data-target": row.target_id, "data-gap": String(row.cells.some((c) => c.status === "missing" && !c.period_open)) },
      header, ...cells);
  });
  document.getElementById("matrix-body").replaceChildren(...rows);
  const c = coverage.counts;
  document.getElementById("matrix-counts").textContent = t("planner.counts", {
    held: c.held, planned: c.planned, missing: c.missing, not_required: c.not_required,
    units: coverage.rows.length && coverage.rows[0].unit ? tn("planner.n_units", coverage.rows.length) : t("planner.organiser_itself"),
  });
}

/** The warnings: periods ending soon with units not yet visited, and periods that ended with gaps. */
export function warningItems(coverage, ctx) {
  const names = (ids) => ids.map((id) => ctx.unitName(id)).join(", ");
  const byKey = new Map(coverage.periods.map((p) => [p.key, p]));
  const out = [];
  for (const gap of groupGaps(coverage.gaps)) {
    out.push({ kind: "gap", text: t("planner.warn_gap", { period: periodLong(byKey.get(gap.period)), units: names(gap.targets) }) });
  }
  for (const w of coverage.warnings) {
    const text = t("planner.warn_soon", { period: periodLong(byKey.get(w.period)), days: tn("planner.n_days", w.days_left),
      count: w.uncovered.length, total: coverage.rows.length });
    const extra = w.unplanned.length ? ` ${t("planner.warn_unplanned", { units: names(w.unplanned) })}` : ` ${t("planner.warn_all_planned")}`;
    out.push({ kind: "soon", text: text + extra });
  }
  return out;
}

function groupGaps(gaps) {
  const map = new Map();
  for (const g of gaps) {
    if (!map.has(g.period)) map.set(g.period, []);
    map.get(g.period).push(g.target_id);
  }
  return [...map.entries()].map(([period, targets]) => ({ period, targets }));
}
