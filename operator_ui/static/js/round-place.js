// "The meeting in the calendar": a meeting of the calendar says so; any other meeting can be given its
// organiser and unit and marked as held outside the calendar (on the population's demand, or where
// social tension is a risk — for a ministry only the latter), so it counts in the coverage matrix.

import { t } from "./i18n.js";
import { nameOf, planError } from "./planner-format.js";
import { call } from "./review-api.js";
import { $, el, reviewError } from "./review-page.js";

const REASONS = { central: ["social_tension"], other: ["population_demand", "social_tension"] };
const state = { organisers: [], units: [], meeting: null, onSaved: null };

function option(value, text) {
  return el("option", { value }, text);
}

async function unitsOf(organiserId) {
  const org = state.organisers.find((o) => o.id === organiserId);
  if (!org || !org.unit_id) return [];
  return (await call("GET", `/api/v1/units?under=${encodeURIComponent(org.unit_id)}`)).items;
}

async function fillUnits() {
  const org = state.organisers.find((o) => o.id === $("place-organiser").value);
  state.units = org ? await unitsOf(org.id) : [];
  $("place-unit").replaceChildren(option("", t("round.unit_none")), ...state.units.map((u) => option(u.id, `${"  ".repeat(Math.max(0, u.depth - 1))}${nameOf(u)}`)));
  const reasons = org && org.level === "central" ? REASONS.central : REASONS.other;
  $("place-reason").replaceChildren(option("", t("round.reason_none")), ...reasons.map((r) => option(r, t(`round.reason.${r}`))));
  const m = state.meeting;
  if (m && m.organiser_id === $("place-organiser").value) {
    $("place-unit").value = m.place_unit_id || "";
    $("place-reason").value = m.off_calendar_reason || "";
  }
}

/** Show the chosen meeting's place in the year; offer the form unless it is a calendar visit. */
export async function renderPlace(meeting, canRecord) {
  state.meeting = meeting;
  const org = state.organisers.find((o) => o.id === meeting.organiser_id);
  let text = t("round.place_none");
  if (meeting.calendar_visit_id) text = t("round.place_visit", { organiser: nameOf(org) });
  else if (meeting.off_calendar_reason) text = t("round.place_off", { organiser: nameOf(org), reason: t(`round.reason.${meeting.off_calendar_reason}`) });
  else if (org) text = t("round.place_organiser", { organiser: nameOf(org) });
  $("place-state").textContent = text;
  $("place-form").hidden = !canRecord || Boolean(meeting.calendar_visit_id) || !state.organisers.length;
  $("place-organiser").value = meeting.organiser_id || "";
  await fillUnits();
}

/** Load the organisers and wire the form; `reload(meetingId)` is called after a save. */
export async function setupPlace(meetings, reload) {
  state.organisers = (await call("GET", "/api/v1/organisers")).items;
  $("place-organiser").replaceChildren(option("", t("round.organiser_none")), ...state.organisers.map((o) => option(o.id, nameOf(o))));
  $("place-meeting").replaceChildren(...meetings.map((m) => option(String(m.id), m.label)));
  $("place-organiser").onchange = fillUnits;
  $("place-meeting").onchange = () => reload(Number($("place-meeting").value));
  $("place-form").onsubmit = async (ev) => {
    ev.preventDefault();
    $("place-error").textContent = "";
    try {
      const body = { organiser_id: $("place-organiser").value || null, place_unit_id: $("place-unit").value || null,
        off_calendar_reason: $("place-reason").value || null };
      const meeting = await call("PATCH", `/api/v1/meetings/${$("place-meeting").value}/planning`, body);
      await renderPlace(meeting, true);
      $("place-state").textContent = `${$("place-state").textContent} ${t("round.saved")}`;
    } catch (err) {
      $("place-error").textContent = planError(err, reviewError);
    }
  };
}
