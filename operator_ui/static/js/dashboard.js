// The dashboard: problems by category, status and executor; share resolved; funding needed vs
// allocated; overdue and due soon; the 10-day publication countdown. All meetings by default.

import { announce, showAlert } from "./alerts.js";
import { dateTime } from "./format.js";
import { lang, meetingTitle, onLangChange, t, tn } from "./i18n.js";
import { call } from "./review-api.js";
import { $, el, meetingsFromUrl, reviewError, startPage } from "./review-page.js";
import { renderCharts, renderTables, renderTiles } from "./dashboard-render.js";

const state = { meetings: [], picked: [], data: null, token: 0 };

function renderPicker() {
  const all = state.picked.length === 0;
  $("all-meetings").checked = all;
  $("meeting-checks").replaceChildren(...state.meetings.map((m) => el("li", {},
    el("label", { class: "check" },
      el("input", { type: "checkbox", value: String(m.id), checked: all || state.picked.includes(m.id) }),
      ` ${meetingTitle(m)} — ${dateTime(m.starts_at, lang()).split(",")[0]}`))));
  $("picked-summary").textContent = all ? t("dashboard.all_meetings") : tn("dashboard.n_meetings", state.picked.length);
  const titles = all ? [] : state.picked.map((id) => state.meetings.find((m) => m.id === id)).filter(Boolean).map(meetingTitle);
  $("dash-scope").textContent = all ? tn("dashboard.scope_all", state.meetings.length) : titles.join(" · ");
}

async function load() {
  const token = ++state.token;
  const main = $("dash");
  main.setAttribute("aria-busy", "true");
  const q = new URLSearchParams({ lang: lang() });
  if (state.picked.length) q.set("meetings", state.picked.join(","));
  let data;
  try {
    data = await call("GET", `/api/v1/dashboard?${q}`);
  } catch (err) {
    if (token !== state.token) return;
    main.setAttribute("aria-busy", "false");
    const empty = $("dash-empty");
    empty.textContent = err.status === 403 ? t("dashboard.forbidden") : reviewError(err);
    empty.hidden = false;
    showSections(false);
    if (err.status !== 403) showAlert(reviewError(err));
    return;
  }
  if (token !== state.token) return;
  state.data = data;
  render();
  main.setAttribute("aria-busy", "false");
  announce(t("dashboard.loaded"));
}

function showSections(on) {
  for (const id of ["tiles", "charts", "tables"]) ($(id).closest(".charts, .tables") || $(id)).hidden = !on;
}

function render() {
  const data = state.data;
  const empty = $("dash-empty");
  const f = data && data.figures;
  empty.hidden = Boolean(f && f.problems_total);
  showSections(Boolean(f));
  if (!f || !f.problems_total) {
    empty.textContent = !state.meetings.length ? t("dashboard.no_meetings")
      : f && f.drafts_pending ? t("dashboard.no_accepted", { n: f.drafts_pending }) : t("dashboard.no_problems");
    $("tiles").replaceChildren($("tiles-heading"));
    $("charts").replaceChildren();
    $("tables").replaceChildren();
    if (!f) return;
  }
  renderTiles($("tiles"), f, lang());
  renderCharts($("charts"), data.charts);
  renderTables($("tables"), f, lang());
  $("dash-generated").textContent = t("dashboard.generated", { when: dateTime(new Date().toISOString(), lang()) });
}

function apply() {
  const boxes = [...$("meeting-checks").querySelectorAll("input")];
  const checked = boxes.filter((b) => b.checked).map((b) => Number(b.value));
  state.picked = $("all-meetings").checked || checked.length === boxes.length || !checked.length ? [] : checked;
  const url = new URL(location.href);
  if (state.picked.length) url.searchParams.set("meetings", state.picked.join(","));
  else url.searchParams.delete("meetings");
  history.replaceState(null, "", url);
  $("meeting-picker").open = false;
  renderPicker();
  load();
}

async function main() {
  await startPage();
  try {
    const data = await call("GET", "/api/v1/meetings");
    state.meetings = (data && data.items) || [];
  } catch (err) {
    showAlert(reviewError(err));
  }
  const known = new Set(state.meetings.map((m) => m.id));
  state.picked = meetingsFromUrl().filter((id) => known.has(id));
  renderPicker();
  $("all-meetings").addEventListener("change", (ev) => {
    for (const box of $("meeting-checks").querySelectorAll("input")) box.checked = ev.target.checked;
  });
  $("meeting-checks").addEventListener("change", () => {
    const boxes = [...$("meeting-checks").querySelectorAll("input")];
    $("all-meetings").checked = boxes.every((b) => b.checked);
  });
  $("btn-apply").addEventListener("click", apply);
  $("btn-print").addEventListener("click", () => window.print());
  onLangChange(() => {
    renderPicker();
    load();
  });
  await load();
}

main();
