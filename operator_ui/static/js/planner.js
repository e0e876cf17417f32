// The planner: an organiser's calendar of a year — its status and approval steps, the coverage
// matrix with warnings before a period ends uncovered, the visits (each can become a meeting), and
// the versions. A draft changes at once; an approved calendar collects changes into an adjustment
// that is saved, as a new version, with the maslikhat's agreement and a reason.

import { announce, showAlert } from "./alerts.js";
import { almatyInputToIso } from "./format.js";
import { lang, onLangChange, t, tn } from "./i18n.js";
import { agreeDialog, dialogError, meetingDialog, visitDialog } from "./planner-dialogs.js";
import { dayText, kindName, nameOf, periodLong, planError, rights, todayAlmaty } from "./planner-format.js";
import { renderMatrix, warningItems } from "./planner-matrix.js";
import { renderVisits } from "./planner-visits.js";
import { call, fetchFile, saveFile } from "./review-api.js";
import { $, el, reviewError, startPage } from "./review-page.js";

const state = { meta: null, can: { plan: false, record: false }, organisers: [], kinds: [], organiser: null, year: 0,
  calendar: null, coverage: null, pending: [], tab: "coverage", token: 0 };

const errorText = (err) => planError(err, reviewError);
const base = () => `/api/v1/organisers/${encodeURIComponent(state.organiser.id)}/calendars/${state.year}`;

function context() {
  const visits = new Map((state.calendar ? state.calendar.visits : []).map((v) => [v.visit_id, v]));
  const meetings = new Map((state.calendar ? state.calendar.meetings : []).map((m) => [m.id, m]));
  const units = new Map((state.coverage ? state.coverage.rows : []).filter((r) => r.unit).map((r) => [r.target_id, r.unit]));
  return {
    visits, meetings,
    almatyDay: (iso) => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Almaty" }).format(new Date(iso)),
    kindName: (id) => kindName(state.kinds, id),
    unitName: (id) => (units.has(id) ? nameOf(units.get(id)) : nameOf(state.organiser)),
  };
}

async function load() {
  const token = ++state.token;
  $("plan-main").setAttribute("aria-busy", "true");
  try {
    const [calendar, coverage] = await Promise.all([call("GET", base()), call("GET", `${base()}/coverage?within_days=30`)]);
    if (token !== state.token) return;
    state.calendar = calendar;
    state.coverage = coverage;
  } catch (err) {
    if (token === state.token) showAlert(errorText(err));
    return;
  } finally {
    if (token === state.token) $("plan-main").setAttribute("aria-busy", "false");
  }
  render();
  announce(t("planner.loaded"));
}

function render() {
  const cal = state.calendar;
  const cov = state.coverage;
  if (!cal || !cov) return;
  $("plan-heading").textContent = t("planner.heading", { year: cal.year, organiser: nameOf(cal.organiser) });
  $("plan-rule").textContent = `${t("planner.rule_label")}: ${t(`planner.rule.${cal.organiser.level}`)}`;
  const badge = $("plan-status");
  badge.dataset.status = cal.status;
  const status = t(cal.central && cal.status !== "draft" ? "planner.status_approved_central" : `planner.status_${cal.status}`);
  badge.textContent = cal.version ? t("planner.status_version", { status, version: cal.version }) : status;
  $("milestones").replaceChildren(...(cal.central ? centralItems(cal.central) : cal.milestones.filter((m) => m.state !== "not_applicable").map((m) => el("li", { "data-state": m.state },
    el("span", { class: "ms-name" }, t(`planner.milestone_${m.name}`)),
    el("span", { class: "ms-state" }, t(`planner.ms_${m.state}`, { day: dayText(m.done_on || m.due), days: m.days_left ?? "" }))))));
  const draft = cal.status === "draft";
  $("btn-fill").hidden = !state.can.plan || !cov.rows.length;
  $("btn-approve").hidden = !state.can.plan || !draft || !cal.visits.length;
  $("btn-submit").hidden = !state.can.plan || cal.status !== "approved" || !cal.milestones.some((m) => m.name === "government" && m.state !== "not_applicable");
  $("btn-add-visit").hidden = !state.can.plan;
  renderMatrix(cov, context(), { onPlan: state.can.plan ? planCell : null, onlyGaps: $("only-gaps").checked });
  const warnings = warningItems(cov, context());
  $("warnings").hidden = !warnings.length;
  $("warning-list").replaceChildren(...warnings.map((w) => el("li", { "data-kind": w.kind }, w.text)));
  renderVisits(cal, cov, todayAlmaty(), {
    createMeeting: state.can.record ? createMeeting : null,
    move: state.can.plan ? moveVisit : null,
    cancel: state.can.plan ? cancelVisit : null,
  });
  renderVersions(cal);
  renderPending();
}

/** A central body's next reporting dates (it has no maslikhat): the generalised report and the authorised body's. */
function centralItems(central) {
  const next = central.deadlines.filter((d) => d.days_left >= 0).slice(0, 2);
  const items = next.map((d) => el("li", { "data-state": "pending" },
    el("span", { class: "ms-name" }, t(`planner.central_${d.kind}`)),
    el("span", { class: "ms-state" }, t("planner.ms_pending", { day: dayText(d.due), days: d.days_left }))));
  if (central.exempt) items.unshift(el("li", { "data-state": "done" }, t("planner.central_exempt")));
  return items;
}

function renderVersions(cal) {
  $("versions-empty").hidden = cal.versions.length > 0;
  $("versions-body").replaceChildren(...cal.versions.map((v) => {
    const counts = { add: 0, move: 0, cancel: 0 };
    for (const op of v.operations) counts[op.op] += 1;
    return el("tr", {},
      el("td", { class: "num" }, String(v.number)), el("td", {}, t(`planner.v_kind_${v.kind}`)),
      el("td", { class: "num" }, dayText(v.at)), el("td", {}, v.actor),
      el("td", {}, v.maslikhat_agreed_on ? `${dayText(v.maslikhat_agreed_on)} ${v.maslikhat_ref}`.trim() : ""),
      el("td", {}, v.reason), el("td", {}, v.kind === "approval" ? tn("planner.n_visits", v.visits)
        : t("planner.v_changes_text", { add: counts.add, move: counts.move, cancel: counts.cancel })));
  }));
}

function renderPending() {
  $("pending").hidden = !state.pending.length;
  $("pending-list").replaceChildren(...state.pending.map((p) => el("li", {}, p.label)));
}

async function change(body) {
  try {
    state.calendar = await call("POST", `${base()}/changes`, { ...body, last_seq: state.calendar.last_seq });
    state.coverage = await call("GET", `${base()}/coverage?within_days=30`);
    render();
    return true;
  } catch (err) {
    showAlert(errorText(err));
    if (err.code === "stale_calendar") await load();
    return false;
  }
}

/** A draft changes at once; an approved calendar queues the operations for the next adjustment. */
async function apply(operations, label) {
  if (state.calendar.status === "draft") {
    if (await change({ kind: "draft", operations })) showAlert(t("planner.saved_draft"), "success");
    return;
  }
  state.pending.push({ ops: operations, label });
  renderPending();
  showAlert(t("planner.queued"), "info");
}

function periodBounds(key) {
  return state.coverage.periods.find((p) => p.key === key);
}

function placesFor(row) {
  if (!row || !row.unit) return [{ id: "", label: nameOf(state.organiser) }];
  const below = state.coverage.rows.filter((r) => r.unit && (r.target_id === row.target_id || r.unit.parent_id === row.target_id));
  return below.map((r) => ({ id: r.target_id, label: nameOf(r.unit) }));
}

async function planCell(row, period) {
  const p = periodBounds(period.key);
  const first = p.first_day > todayAlmaty() ? p.first_day : todayAlmaty();
  const chosen = await visitDialog({ title: t("planner.plan_title", { unit: row.unit ? nameOf(row.unit) : nameOf(state.organiser), period: periodLong(p) }),
    places: placesFor(row), place: row.target_id, first, last: p.last_day, day: first,
    mode: state.calendar.status === "draft" ? t("planner.mode_draft") : t("planner.mode_adjust") });
  if (!chosen) return;
  const op = { op: "add", planned_on: chosen.day, place_unit_id: chosen.place || null, note: chosen.note };
  await apply([op], t("planner.pending_add", { day: dayText(chosen.day), unit: labelOf(chosen.place) }));
}

function labelOf(unitId) {
  return unitId ? context().unitName(unitId) : nameOf(state.organiser);
}

async function addVisit() {
  const rows = state.coverage.rows;
  const places = rows.length && rows[0].unit ? rows.map((r) => ({ id: r.target_id, label: nameOf(r.unit) })) : placesFor(null);
  const chosen = await visitDialog({ title: t("planner.add_title"), places, first: `${state.year}-01-01`, last: `${state.year}-12-31`,
    mode: state.calendar.status === "draft" ? t("planner.mode_draft") : t("planner.mode_adjust") });
  if (!chosen) return;
  await apply([{ op: "add", planned_on: chosen.day, place_unit_id: chosen.place || null, note: chosen.note }],
    t("planner.pending_add", { day: dayText(chosen.day), unit: labelOf(chosen.place) }));
}

async function moveVisit(visit) {
  const chosen = await visitDialog({ title: t("planner.move_title", { unit: labelOf(visit.place_unit_id) }),
    places: [{ id: visit.place_unit_id || "", label: labelOf(visit.place_unit_id) }], place: visit.place_unit_id,
    first: `${state.year}-01-01`, last: `${state.year}-12-31`, day: visit.planned_on,
    mode: state.calendar.status === "draft" ? t("planner.mode_draft") : t("planner.mode_adjust") });
  if (!chosen) return;
  await apply([{ op: "move", visit_id: visit.visit_id, planned_on: chosen.day }],
    t("planner.pending_move", { unit: labelOf(visit.place_unit_id), from: dayText(visit.planned_on), to: dayText(chosen.day) }));
}

async function cancelVisit(visit) {
  if (!window.confirm(t("planner.cancel_confirm", { unit: labelOf(visit.place_unit_id), day: dayText(visit.planned_on) }))) return;
  await apply([{ op: "cancel", visit_id: visit.visit_id }], t("planner.pending_cancel", { unit: labelOf(visit.place_unit_id), day: dayText(visit.planned_on) }));
}

async function fillGaps() {
  let answer;
  try {
    answer = await call("GET", `${base()}/proposals`);
  } catch (err) {
    showAlert(errorText(err));
    return;
  }
  if (!answer.operations.length) {
    showAlert(t("planner.fill_nothing"), "info");
    return;
  }
  const ops = answer.operations.map(({ op, planned_on, place_unit_id }) => ({ op, planned_on, place_unit_id }));
  await apply(ops, t("planner.pending_fill", { n: ops.length }));
}

async function approve() {
  const central = Boolean(state.calendar.central);
  const chosen = await agreeDialog({ title: t("planner.approve_title", { year: state.year }),
    text: t(central ? "planner.approve_text_central" : "planner.approve_text"), withReason: false, central });
  if (!chosen) return;
  if (await change({ kind: "approve", maslikhat_agreed_on: chosen.date, maslikhat_ref: chosen.ref })) showAlert(t("planner.approved"), "success");
}

async function sendPending() {
  const chosen = await agreeDialog({ title: t("planner.adjust_title"), text: t("planner.adjust_text", { n: state.pending.reduce((n, p) => n + p.ops.length, 0) }),
    withReason: true, central: Boolean(state.calendar.central) });
  if (!chosen) return;
  const ok = await change({ kind: "adjust", operations: state.pending.flatMap((p) => p.ops), reason: chosen.reason,
    maslikhat_agreed_on: chosen.date, maslikhat_ref: chosen.ref });
  if (ok) {
    state.pending = [];
    renderPending();
    showAlert(t("planner.adjusted", { version: state.calendar.version }), "success");
  }
}

async function createMeeting(visit) {
  const chosen = await meetingDialog({ what: `${labelOf(visit.place_unit_id)} — ${dayText(visit.planned_on)}` });
  if (!chosen) return;
  try {
    const meeting = await call("POST", `${base()}/visits/${encodeURIComponent(visit.visit_id)}/meeting`, {
      starts_at: almatyInputToIso(`${visit.planned_on}T${chosen.time}`), planned_minutes: chosen.minutes });
    showAlert(t("planner.meeting_created", { id: meeting.id }), "success");
    await load();
  } catch (err) {
    dialogError(errorText(err));
    showAlert(errorText(err));
  }
}

async function exportAs(fmt) {
  try {
    saveFile(await fetchFile(`${base()}/calendar.${fmt}?lang=${lang()}`, `calendar-${state.year}.${fmt}`));
  } catch (err) {
    showAlert(errorText(err));
  }
}

function selectTab(name) {
  state.tab = name;
  for (const tab of document.querySelectorAll("[role=tab]")) tab.setAttribute("aria-selected", String(tab.dataset.tab === name));
  for (const id of ["coverage", "visits", "versions"]) $(`panel-${id}`).hidden = id !== name;
}

function renderPickers() {
  $("pick-organiser").replaceChildren(...state.organisers.map((o) => el("option", { value: o.id }, nameOf(o))));
  $("pick-organiser").value = state.organiser ? state.organiser.id : "";
  const years = new Set([...(state.organiser ? state.organiser.years : []), state.year - 1, state.year, state.year + 1]);
  $("pick-year").replaceChildren(...[...years].sort().map((y) => el("option", { value: String(y) }, String(y))));
  $("pick-year").value = String(state.year);
}

function remember() {
  const url = new URL(location.href);
  url.searchParams.set("organiser", state.organiser.id);
  url.searchParams.set("year", String(state.year));
  history.replaceState(null, "", url);
}

async function main() {
  state.meta = await startPage();
  state.can = rights(state.meta);
  try {
    const [organisers, kinds] = await Promise.all([call("GET", "/api/v1/organisers"), call("GET", "/api/v1/units/kinds")]);
    state.organisers = organisers.items;
    state.kinds = kinds.items;
  } catch (err) {
    showAlert(errorText(err));
    return;
  }
  const q = new URLSearchParams(location.search);
  state.organiser = state.organisers.find((o) => o.id === q.get("organiser")) || state.organisers[0] || null;
  state.year = Number(q.get("year")) || Number(todayAlmaty().slice(0, 4));
  if (!state.organiser) {
    $("plan-heading").textContent = t("planner.no_organisers");
    $("plan-main").setAttribute("aria-busy", "false");
    return;
  }
  renderPickers();
  remember();
  $("pick-organiser").addEventListener("change", () => {
    state.organiser = state.organisers.find((o) => o.id === $("pick-organiser").value);
    state.pending = [];
    renderPickers();
    remember();
    load();
  });
  $("pick-year").addEventListener("change", () => {
    state.year = Number($("pick-year").value);
    state.pending = [];
    remember();
    load();
  });
  for (const tab of document.querySelectorAll("[role=tab]")) tab.addEventListener("click", () => selectTab(tab.dataset.tab));
  $("btn-fill").addEventListener("click", fillGaps);
  $("only-gaps").addEventListener("change", render);
  $("btn-approve").addEventListener("click", approve);
  $("btn-submit").addEventListener("click", () => change({ kind: "submit" }));
  $("btn-add-visit").addEventListener("click", addVisit);
  $("btn-pending-send").addEventListener("click", sendPending);
  $("btn-pending-drop").addEventListener("click", () => {
    state.pending = [];
    renderPending();
  });
  $("btn-export-docx").addEventListener("click", () => exportAs("docx"));
  $("btn-export-xlsx").addEventListener("click", () => exportAs("xlsx"));
  onLangChange(() => {
    renderPickers();
    render();
  });
  selectTab("coverage");
  await load();
}

main();
