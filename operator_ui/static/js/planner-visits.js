// The calendar's visits, period by period: the day, the place, what became of it, and the actions
// (create the meeting, move, cancel) the reader's role allows.

import { t, tn } from "./i18n.js";
import { dayText, nameOf, periodLong } from "./planner-format.js";
import { el } from "./review-page.js";

function stateOf(visit, today) {
  if (visit.status === "cancelled") return "cancelled";
  if (visit.meeting && visit.meeting.held) return "held";
  if (visit.meeting) return "scheduled";
  return visit.planned_on < today ? "overdue" : "planned";
}

function placeText(visit, organiser) {
  if (!visit.place) return nameOf(organiser);
  const parent = visit.place.parent_ru || visit.place.parent_kk ? nameOf({ name_ru: visit.place.parent_ru, name_kk: visit.place.parent_kk }) : "";
  return parent ? `${nameOf(visit.place)} (${parent})` : nameOf(visit.place);
}

/** Render every visit grouped by period; `actions` has createMeeting, move, cancel (each optional). */
export function renderVisits(calendar, coverage, today, actions) {
  const box = document.getElementById("visit-groups");
  const all = [...calendar.visits, ...calendar.cancelled];
  if (!all.length) {
    box.replaceChildren(el("p", { class: "note" }, t("planner.visits_empty")));
    return;
  }
  const groups = coverage.periods.map((p) => ({ period: p, visits: all.filter((v) => v.period === p.key) })).filter((g) => g.visits.length);
  box.replaceChildren(...groups.map(({ period, visits }) => el("section", { class: "visit-group", "aria-label": periodLong(period) },
    el("h3", {}, `${periodLong(period)} · ${tn("planner.n_visits", visits.filter((v) => v.status !== "cancelled").length)}`),
    el("table", { class: "grid visits" },
      el("thead", {}, el("tr", {},
        el("th", { scope: "col" }, t("planner.col_day")), el("th", { scope: "col" }, t("planner.col_place")),
        el("th", { scope: "col" }, t("planner.col_note")), el("th", { scope: "col" }, t("planner.col_state")),
        el("th", { scope: "col" }, t("planner.col_actions")))),
      el("tbody", {}, ...visits.sort((a, b) => a.planned_on.localeCompare(b.planned_on) || a.visit_id.localeCompare(b.visit_id))
        .map((v) => visitRow(v, calendar, today, actions)))))));
}

function visitRow(visit, calendar, today, actions) {
  const state = stateOf(visit, today);
  const stateCell = el("td", { "data-state": state }, t(`planner.visit_${state}`));
  if (visit.approved_on) stateCell.append(el("span", { class: "muted moved" }, ` ${t("planner.moved_from", { day: dayText(visit.approved_on) })}`));
  const buttons = [];
  if (visit.meeting) {
    buttons.push(el("a", { class: "btn-link", href: `/console?meeting=${visit.meeting.id}`, "data-testid": `open-meeting-${visit.visit_id}` },
      t("planner.open_meeting", { id: visit.meeting.id })));
    buttons.push(el("a", { class: "btn-link", href: `/round?meeting=${visit.meeting.id}` }, t("planner.open_round")));
  } else if (state !== "cancelled") {
    if (actions.createMeeting) buttons.push(button(t("planner.create_meeting"), `create-meeting-${visit.visit_id}`, () => actions.createMeeting(visit), "btn-primary"));
    if (actions.move) buttons.push(button(t("planner.move"), `move-${visit.visit_id}`, () => actions.move(visit)));
    if (actions.cancel) buttons.push(button(t("planner.cancel_visit"), `cancel-${visit.visit_id}`, () => actions.cancel(visit)));
  }
  return el("tr", { "data-visit": visit.visit_id, "data-state": state },
    el("td", { class: "num" }, dayText(visit.planned_on)),
    el("td", {}, placeText(visit, calendar.organiser)),
    el("td", {}, visit.note || ""),
    stateCell,
    el("td", { class: "row-actions" }, ...buttons));
}

function button(text, testid, onClick, extra = "") {
  const b = el("button", { type: "button", class: `btn-small ${extra}`.trim(), "data-testid": testid }, text);
  b.addEventListener("click", onClick);
  return b;
}
