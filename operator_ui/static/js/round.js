// The round page: the meetings and personal receptions of one round, the 10-day publication clock
// (it runs from the end of the last meeting or reception), recording a reception and its questions,
// the commission that pools requests, the wide-audience record, and the announcement text.

import { announce, showAlert } from "./alerts.js";
import { almatyInputToIso, dateTime, isoToAlmatyInput } from "./format.js";
import { lang, meetingTitle, onLangChange, t, tn } from "./i18n.js";
import { dayText, planError, rights } from "./planner-format.js";
import { entryRow, memberRow, personRow, questionRow, readEntries, readMembers, readPeople, readQuestions, renderIssues, setCommissionRoles } from "./round-forms.js";
import { renderPlace, setupPlace } from "./round-place.js";
import { call } from "./review-api.js";
import { $, el, meetingsFromUrl, reviewError, startPage } from "./review-page.js";

const state = { meetingId: null, meeting: null, round: null, clock: null, editing: null, can: { plan: false, record: false } };
const errorText = (err) => planError(err, reviewError);

async function load() {
  $("round-main").setAttribute("aria-busy", "true");
  try {
    const body = await call("GET", `/api/v1/meetings/${state.meetingId}/round`);
    state.meeting = body.meeting;
    state.round = body.round;
    state.clock = body.clock;
  } catch (err) {
    showAlert(errorText(err));
    return;
  } finally {
    $("round-main").setAttribute("aria-busy", "false");
  }
  render();
  await Promise.all([loadCommission(), loadAttendance(), loadPlace()]);
}

async function loadPlace(meetingId) {
  const list = meetings().map((m) => ({ id: m.id, label: `${meetingTitle(m)} — ${dateTime(m.starts_at).split(",")[0]}` }));
  await setupPlace(list, loadPlace);
  const id = meetingId || Number($("place-meeting").value) || state.meetingId;
  $("place-meeting").value = String(id);
  const meeting = id === state.meetingId ? state.meeting : (await call("GET", `/api/v1/meetings/${id}`));
  await renderPlace(meeting, state.can.record);
}

function meetings() {
  return state.round ? state.round.meetings : [{ ...state.meeting, ended_at: state.meeting.ended_at }];
}

function render() {
  const r = state.round;
  const first = meetings()[0];
  const own = r && r.title && (!first || r.title !== first.title) ? r.title : "";
  $("round-heading").textContent = t("round.heading", { title: own || (first ? meetingTitle(first) : "") });
  $("round-sub").textContent = r ? tn("round.sub", r.meetings.length, { receptions: r.receptions.length }) : t("round.sub_none");
  $("link-console").href = `/console?meeting=${state.meetingId}`;
  $("link-review").href = `/review?meetings=${(r ? r.meeting_ids : [state.meetingId]).join(",")}`;
  renderClock(r ? r.clock : state.clock || { state: "no_events" });
  renderEvents();
  for (const id of ["ann-meeting", "att-meeting"]) {
    const box = $(id);
    const before = box.value;
    box.replaceChildren(...meetings().map((m) => el("option", { value: String(m.id) }, `${meetingTitle(m)} — ${dateTime(m.starts_at).split(",")[0]}`)));
    box.value = before || String(state.meetingId);
  }
  $("btn-published").hidden = !(state.can.plan && r && ["running", "overdue"].includes(r.clock.state));
  $("reception-form").hidden = !state.can.record;
}

function renderClock(clock) {
  const tile = $("clock");
  tile.dataset.state = clock.state;
  $("clock-deadline").textContent = clock.deadline ? dayText(clock.deadline) : "—";
  let left = "";
  if (clock.state === "running") left = clock.days_left === 0 ? t("round.clock_today") : t("round.clock_left", { days: tn("planner.n_days", clock.days_left) });
  else if (clock.state === "overdue") left = t("round.clock_overdue", { days: tn("planner.n_days", -clock.days_left) });
  else if (clock.state === "waiting") left = t("round.clock_waiting");
  else if (clock.state === "published") left = t("round.clock_published", { day: dayText(state.round.published_at) });
  else if (clock.state === "published_late") left = t("round.clock_published_late", { day: dayText(state.round.published_at) });
  else left = t("round.clock_no_events");
  $("clock-left").textContent = left;
  let from = "";
  if (clock.anchor_id && clock.last_end) {
    const kind = clock.anchor_id.startsWith("r") ? t("round.from_reception") : t("round.from_meeting");
    from = t("round.clock_from", { what: kind, when: dateTime(clock.last_end) });
  }
  if (clock.outside_round && clock.outside_round.length) from += ` ${t("round.outside_round")}`;
  $("clock-from").textContent = from.trim();
}

function renderEvents() {
  const items = [];
  for (const m of meetings()) {
    items.push(el("li", { "data-open": String(!m.ended_at), "data-event": `m${m.id}` },
      el("span", { class: "ev-kind" }, t("round.ev_meeting")),
      el("a", { href: `/console?meeting=${m.id}` }, meetingTitle(m)),
      el("span", {}, dateTime(m.starts_at)),
      el("span", { class: "ev-end" }, m.ended_at ? t("round.ended", { when: dateTime(m.ended_at) }) : t("round.not_ended_meeting"))));
  }
  for (const r of state.round ? state.round.receptions : []) {
    const actions = [];
    if (state.can.record && !r.cancelled) {
      if (!r.ended_at) actions.push(button(t("round.end_now"), `end-reception-${r.id}`, () => endNow(r), "btn-primary"));
      actions.push(button(t("round.edit_reception"), `edit-reception-${r.id}`, () => editReception(r)));
    }
    items.push(el("li", { "data-open": String(!r.ended_at && !r.cancelled), "data-event": `r${r.id}` },
      el("span", { class: "ev-kind" }, t("round.ev_reception")),
      el("span", {}, dateTime(r.starts_at)),
      el("span", {}, r.place),
      el("span", { class: "ev-end" }, r.cancelled ? t("round.cancelled") : r.ended_at ? t("round.ended", { when: dateTime(r.ended_at) }) : t("round.not_ended_reception")),
      el("span", { class: "muted" }, tn("round.n_questions", r.questions.length)),
      ...actions));
  }
  $("events").replaceChildren(...items);
}

function button(text, testid, onClick, extra = "") {
  const b = el("button", { type: "button", class: `btn-small ${extra}`.trim(), "data-testid": testid }, text);
  b.addEventListener("click", onClick);
  return b;
}

function resetForm() {
  state.editing = null;
  $("rec-start").value = "";
  $("rec-end").value = "";
  $("rec-place").value = "";
  $("rec-citizens").value = "";
  $("rec-people").replaceChildren();
  $("rec-questions").replaceChildren();
  personRow($("rec-people"), { role: "akim" });
  questionRow($("rec-questions"));
  $("rec-error").textContent = "";
  $("rec-reset").hidden = true;
  $("reception-heading").textContent = t("round.reception_heading");
}

function editReception(r) {
  state.editing = r;
  $("rec-start").value = isoToAlmatyInput(r.starts_at);
  $("rec-end").value = r.ended_at ? isoToAlmatyInput(r.ended_at) : "";
  $("rec-place").value = r.place;
  $("rec-citizens").value = r.citizens_received ?? "";
  $("rec-people").replaceChildren();
  $("rec-questions").replaceChildren();
  for (const p of r.participants) personRow($("rec-people"), p);
  for (const q of r.questions) questionRow($("rec-questions"), q);
  $("rec-reset").hidden = false;
  $("reception-heading").textContent = t("round.reception_edit", { when: dateTime(r.starts_at) });
  $("rec-start").focus();
}

async function saveReception(ev) {
  ev.preventDefault();
  $("rec-error").textContent = "";
  const start = almatyInputToIso($("rec-start").value);
  if (!start) {
    $("rec-error").textContent = t("round.start_required");
    $("rec-start").focus();
    return;
  }
  const body = { starts_at: start, ended_at: almatyInputToIso($("rec-end").value), place: $("rec-place").value.trim(),
    citizens_received: $("rec-citizens").value === "" ? null : Number($("rec-citizens").value),
    participants: readPeople($("rec-people")), questions: readQuestions($("rec-questions")) };
  try {
    state.round = state.editing
      ? await call("PATCH", `/api/v1/receptions/${state.editing.id}`, { ...body, version: state.editing.version })
      : await call("POST", `/api/v1/meetings/${state.meetingId}/receptions`, body);
    showAlert(t("round.reception_saved"), "success");
    resetForm();
    render();
    if ($("commission-form").hidden) await loadCommission();
    announce(t("round.clock_now", { text: $("clock-left").textContent }));
  } catch (err) {
    $("rec-error").textContent = errorText(err);
    if (err.code === "stale_version") await load();
  }
}

async function endNow(r) {
  try {
    state.round = await call("PATCH", `/api/v1/receptions/${r.id}`, { version: r.version, ended_at: new Date().toISOString() });
    render();
    showAlert(t("round.reception_ended"), "success");
    announce(t("round.clock_now", { text: $("clock-left").textContent }));
  } catch (err) {
    showAlert(errorText(err));
  }
}

async function markPublished() {
  try {
    state.round = await call("PATCH", `/api/v1/rounds/${state.round.id}`, { published_at: new Date().toISOString() });
    render();
  } catch (err) {
    showAlert(errorText(err));
  }
}

async function loadCommission() {
  $("commission-rows").replaceChildren();
  $("commission-form").hidden = !state.round;
  if (!state.round) return;
  const body = await call("GET", `/api/v1/rounds/${state.round.id}/commission`);
  setCommissionRoles(body.roles);
  for (const m of body.members) memberRow($("commission-rows"), m);
  if (!body.members.length) memberRow($("commission-rows"), { role: "chair" });
  renderIssues($("commission-issues"), body.issues);
}

async function saveCommission(ev) {
  ev.preventDefault();
  try {
    const body = await call("PUT", `/api/v1/rounds/${state.round.id}/commission`, { members: readMembers($("commission-rows")) });
    renderIssues($("commission-issues"), body.issues);
    showAlert(t("round.saved"), "success");
  } catch (err) {
    $("commission-issues").replaceChildren(el("li", { "data-level": "error" }, errorText(err)));
  }
}

async function loadAttendance() {
  const id = $("att-meeting").value || state.meetingId;
  const body = await call("GET", `/api/v1/meetings/${id}/attendance`);
  $("attendance-rows").replaceChildren();
  for (const e of body.entries) entryRow($("attendance-rows"), e);
  if (!body.entries.length) entryRow($("attendance-rows"), { category: "maslikhat_deputy" });
  renderIssues($("attendance-issues"), body.issues);
}

async function saveAttendance(ev) {
  ev.preventDefault();
  try {
    const body = await call("PUT", `/api/v1/meetings/${$("att-meeting").value}/attendance`, { entries: readEntries($("attendance-rows")) });
    renderIssues($("attendance-issues"), body.issues);
    showAlert(t("round.saved"), "success");
  } catch (err) {
    $("attendance-issues").replaceChildren(el("li", { "data-level": "error" }, errorText(err)));
  }
}

async function draftAnnouncement() {
  const channels = $("ann-channels").value.split("\n").map((s) => s.trim()).filter(Boolean).slice(0, 10);
  const body = { channels_ru: channels, channels_kk: channels };
  if ($("ann-until").value) body.questions_until = $("ann-until").value;
  try {
    const texts = await call("POST", `/api/v1/meetings/${$("ann-meeting").value}/announcement`, body);
    $("ann-ru").value = texts.ru;
    $("ann-kk").value = texts.kk;
    if (!$("ann-until").value && texts.questions_until) $("ann-until").value = texts.questions_until;
  } catch (err) {
    showAlert(errorText(err));
  }
}

async function main() {
  const meta = await startPage();
  state.can = rights(meta);
  const q = new URLSearchParams(location.search);
  state.meetingId = meetingsFromUrl()[0] || null;
  if (!state.meetingId && /^\d+$/.test(q.get("round") || "")) {
    try {
      state.meetingId = (await call("GET", `/api/v1/rounds/${q.get("round")}`)).meeting_ids[0] || null;
    } catch (err) {
      showAlert(errorText(err));
    }
  }
  if (!state.meetingId) {
    $("round-heading").textContent = t("round.no_meeting");
    $("round-main").setAttribute("aria-busy", "false");
    return;
  }
  $("rec-add-person").addEventListener("click", () => personRow($("rec-people")));
  $("rec-add-question").addEventListener("click", () => questionRow($("rec-questions")));
  $("rec-reset").addEventListener("click", resetForm);
  $("reception-form").addEventListener("submit", saveReception);
  $("commission-add").addEventListener("click", () => memberRow($("commission-rows")));
  $("commission-form").addEventListener("submit", saveCommission);
  $("attendance-add").addEventListener("click", () => entryRow($("attendance-rows")));
  $("attendance-form").addEventListener("submit", saveAttendance);
  $("att-meeting").addEventListener("change", loadAttendance);
  $("btn-announce").addEventListener("click", draftAnnouncement);
  $("btn-published").addEventListener("click", markPublished);
  onLangChange(() => {
    render();
    loadCommission();
    loadAttendance();
  });
  resetForm();
  await load();
}

main();
