// The national roll-up page: the same dashboard at every level (a rural district, a district, a region,
// the nation), drilling down by clicking a unit; the quarterly reports and the national summary as
// downloads; the central-level list and the compliance monitor of the same scope below.

import { announce, showAlert } from "./alerts.js";
import { lang, onLangChange, t } from "./i18n.js";
import { number } from "./format.js";
import { can } from "./permissions.js";
import { renderCentral, renderCompliance } from "./national-lists.js";
import { nameOf, todayAlmaty } from "./planner-format.js";
import { call, fetchFile, saveFile } from "./review-api.js";
import { $, el, reviewError, startPage } from "./review-page.js";
import { executorName, loadVocabulary } from "./vocabulary.js";

const state = { meta: null, units: [], unit: "", year: 0, quarter: "", rollup: null, central: null, compliance: null };
const money = (v) => number(v || 0, lang());
const pctText = (v) => (v === null || v === undefined ? "—" : `${number(v, lang(), 1)} %`);

function query(extra = {}) {
  const params = new URLSearchParams();
  if (state.unit) params.set("unit", state.unit);
  params.set("year", String(state.year));
  if (state.quarter) params.set("quarter", state.quarter);
  for (const [k, v] of Object.entries(extra)) params.set(k, String(v));
  return params.toString();
}

function readUrl() {
  const params = new URLSearchParams(location.search);
  state.unit = params.get("unit") || "";
  state.year = Number(params.get("year")) || Number(todayAlmaty().slice(0, 4));
  state.quarter = params.get("quarter") || "";
}

async function load() {
  $("national-main").setAttribute("aria-busy", "true");
  try {
    const today = todayAlmaty();
    const quarter = state.quarter || (String(state.year) === today.slice(0, 4) ? "" : "4");
    const monitorQuery = query(quarter ? { quarter } : {});
    [state.rollup, state.central, state.compliance] = await Promise.all([
      call("GET", `/api/v1/rollup?${query()}`),
      call("GET", `/api/v1/central-list?${query()}`),
      call("GET", `/api/v1/compliance?${monitorQuery}`),
    ]);
    announce(t("national.loaded"));
  } catch (err) {
    showAlert(reviewError(err));
  } finally {
    $("national-main").setAttribute("aria-busy", "false");
  }
  render();
}

function figure(label, value, testid) {
  return el("div", { "data-testid": testid }, el("dt", {}, label), el("dd", {}, value));
}

function renderTotals(r) {
  const total = r.total;
  $("totals").replaceChildren(
    figure(t("national.meetings"), `${money(r.meetings.held)} / ${money(r.meetings.planned)}`, "fig-meetings"),
    figure(t("national.problems"), money(total.problems), "fig-problems"),
    figure(t("national.resolved"), `${money(total.resolved)} (${pctText(total.resolved_pct)})`, "fig-resolved"),
    figure(t("national.need"), money(total.funding_need), "fig-need"),
    figure(t("national.allocated"), `${money(total.funding_allocated)} (${pctText(total.funding_pct)})`, "fig-allocated"),
    figure(t("national.central"), money(total.central_list), "fig-central"));
}

function downloadButton(label, path, name, testid) {
  const b = el("button", { type: "button", class: "btn-small", "data-testid": testid }, label);
  b.addEventListener("click", async () => {
    try {
      saveFile(await fetchFile(path, name));
    } catch (err) {
      showAlert(reviewError(err));
    }
  });
  return b;
}

function renderDownloads() {
  const buttons = [];
  const quarter = state.quarter || "4";
  if (state.rollup && state.rollup.unit) {
    for (const fmt of ["docx", "xlsx"]) {
      const base = `/api/v1/rollup/quarterly.${fmt}?unit=${encodeURIComponent(state.rollup.unit.id)}&year=${state.year}&quarter=${quarter}&lang=${lang()}`;
      buttons.push(downloadButton(t(`national.dl_quarterly_${fmt}`), base, `quarterly.${fmt}`, `dl-quarterly-${fmt}`));
      buttons.push(downloadButton(t(`national.dl_consolidated_${fmt}`), `${base}&consolidated=1`, `consolidated.${fmt}`, `dl-consolidated-${fmt}`));
    }
  }
  if (state.meta && state.meta.user && !state.meta.user.scope) {
    for (const fmt of ["docx", "xlsx"]) {
      buttons.push(downloadButton(t(`national.dl_summary_${fmt}`), `/api/v1/national-summary.${fmt}?year=${state.year}&lang=${lang()}`,
        `national.${fmt}`, `dl-summary-${fmt}`));
    }
  }
  $("downloads").replaceChildren(...buttons);
}

function drill(unitId) {
  state.unit = unitId;
  history.pushState(null, "", `/national?${query()}`);
  syncForm();
  load();
}

function renderUnits(r) {
  $("units-empty").hidden = r.units.length > 0;
  $("units-body").replaceChildren(...r.units.map((u) => {
    const name = u.own ? t("national.own", { name: nameOf(u) }) : nameOf(u);
    const link = u.own ? name : el("a", { href: `/national?unit=${encodeURIComponent(u.unit_id)}&year=${state.year}`, "data-unit": u.unit_id }, name);
    if (!u.own) link.addEventListener("click", (e) => { e.preventDefault(); drill(u.unit_id); });
    return el("tr", { "data-own": String(u.own), "data-testid": `unit-${u.unit_id}` },
      el("td", {}, link),
      el("td", { class: "num" }, `${money(u.meetings_held)} / ${money(u.meetings_planned)}`),
      el("td", { class: "num" }, money(u.problems)),
      el("td", { class: "num" }, `${money(u.resolved)} (${pctText(u.resolved_pct)})`),
      el("td", { class: "num" }, money(u.funding_need)),
      el("td", { class: "num" }, `${money(u.funding_allocated)} (${pctText(u.funding_pct)})`),
      el("td", { class: "num" }, money(u.central_list)));
  }));
}

function smallTable(body, lines, label) {
  $(body).replaceChildren(...lines.map((x) => el("tr", {},
    el("td", {}, label(x)), el("td", { class: "num" }, money(x.problems)), el("td", { class: "num" }, pctText(x.resolved_pct)))));
}

function renderCrumbs(r) {
  const chain = [];
  if (r.unit) chain.push(nameOf(r.unit));
  $("national-heading").textContent = r.unit ? t("national.heading_unit", { name: nameOf(r.unit) }) : t("national.heading_nation");
  const up = el("a", { href: "/national" }, t("national.to_top"));
  up.addEventListener("click", (e) => { e.preventDefault(); drill(""); });
  $("national-crumbs").replaceChildren(...(r.unit && !(state.meta.user && state.meta.user.scope) ? [up] : []),
    t("national.period", { from: r.period.from, to: r.period.to }));
}

function render() {
  const r = state.rollup;
  if (!r) return;
  renderCrumbs(r);
  renderTotals(r);
  renderDownloads();
  renderUnits(r);
  smallTable("categories-body", r.categories, (c) => (lang() === "kk" ? c.name_kk : c.name_ru) || t("national.no_category"));
  smallTable("executors-body", r.executors, (x) => executorName(x.key, lang()) || t("national.no_executor"));
  smallTable("quarters-body", r.quarters, (q) => t("national.quarter_n", { n: q.key }));
  if (state.central) renderCentral(state.central, { canEdit: canEdit(), onSaved: load });
  if (state.compliance) renderCompliance(state.compliance, state);
}

function canEdit() {
  return can(state.meta, "central.update");
}

function syncForm() {
  $("f-year").value = String(state.year);
  $("f-quarter").value = state.quarter;
  $("f-unit").value = state.unit;
}

async function loadUnits() {
  const scope = state.meta && state.meta.user ? state.meta.user.scope : null;
  const options = [];
  if (!scope) options.push(el("option", { value: "" }, t("national.nation")));
  if (!scope || scope.unit_id) {
    try {
      const units = await call("GET", "/api/v1/units");
      state.units = units.items.filter((u) => u.akim_level || u.depth === 0);
      for (const u of state.units) options.push(el("option", { value: u.id }, `${"  ".repeat(u.depth || 0)}${nameOf(u)}`));
    } catch (err) {
      showAlert(reviewError(err));
    }
  }
  $("f-unit").replaceChildren(...options);
  if (scope && scope.unit_id && !state.unit) state.unit = scope.unit_id;
}

async function main() {
  state.meta = await startPage();
  loadVocabulary().then(render);  // executors by their names in the UI language
  readUrl();
  await loadUnits();
  syncForm();
  $("period-form").addEventListener("submit", (e) => {
    e.preventDefault();
    state.unit = $("f-unit").value;
    state.year = Number($("f-year").value) || state.year;
    state.quarter = $("f-quarter").value;
    history.pushState(null, "", `/national?${query()}`);
    load();
  });
  window.addEventListener("popstate", () => { readUrl(); syncForm(); load(); });
  onLangChange(() => { loadUnits().then(syncForm); render(); });
  await load();
}

main();
