// The timing record: every phase segment, totals, the presentation share and the ¼ rule, exports.

import { api } from "./api.js";
import { errorText } from "./alerts.js";
import { clockTime, dateTime, duration, percent } from "./format.js";
import { lang, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);

function cell(tag, text, cls) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (cls) el.className = cls;
  return el;
}

function sameDay(a, b) {
  return dateTime(a).slice(0, 10) === dateTime(b).slice(0, 10);
}

/** Fill #timing-table and the summary from a timing record. */
export function renderTiming(record) {
  const code = lang();
  const body = $("timing-body");
  const foot = $("timing-foot");
  body.replaceChildren();
  foot.replaceChildren();
  const segments = (record && record.segments) || [];
  $("timing-empty").hidden = segments.length > 0;
  $("timing-table").hidden = segments.length === 0;
  let first = null;
  segments.forEach((seg, i) => {
    const tr = document.createElement("tr");
    tr.dataset.phase = seg.phase;
    first = first || seg.started_at;
    const startText = first && sameDay(first, seg.started_at) ? clockTime(seg.started_at, code, true) : dateTime(seg.started_at, code);
    tr.append(
      cell("td", String(i + 1), "num"),
      cell("th", t(`phase.${seg.phase}`)),
      cell("td", startText),
      cell("td", seg.ended_at ? clockTime(seg.ended_at, code, true) : t("timing.running")),
      cell("td", duration(seg.seconds), "num"),
      cell("td", seg.restarted ? t("timing.restarted") : ""),
    );
    tr.lastChild.className = seg.restarted ? "seg-note restarted" : "seg-note";
    tr.children[1].setAttribute("scope", "row");
    body.append(tr);
  });

  const totals = (record && record.totals) || {};
  const rows = [
    ["timing.total_presentation", totals.presentation_seconds],
    ["timing.total_qa", totals.qa_seconds],
    ["timing.total_pause", totals.pause_seconds],
    ["timing.total_cap", totals.cap_seconds],
    ["timing.total_planned", totals.planned_seconds],
  ];
  for (const [key, seconds] of rows) {
    const tr = document.createElement("tr");
    const th = cell("th", t(key));
    th.setAttribute("scope", "row");
    th.colSpan = 4;
    tr.append(th, cell("td", duration(seconds), "num"), cell("td", ""));
    foot.append(tr);
  }

  const share = record ? record.presentation_share_shown ?? record.presentation_share_of_planned : null;
  const started = segments.length > 0;
  const final = Boolean(record && record.final);
  // Shown with one decimal, rounded so that it never contradicts the verdict beside it (server side).
  setSummary("timing-share", started ? t("timing.share", { pct: percent(share, code) }) : "");
  const rule = $("timing-rule");
  const held = started ? record.rule_held : null;
  const verdict = held === false ? "false" : held === true && final ? "true" : held === true ? "so_far" : "unknown";
  rule.dataset.held = verdict === "so_far" ? "true" : verdict;
  rule.querySelector("use").setAttribute("href", `/static/img/icons.svg#${held === true ? "check" : held === false ? "over" : "question"}`);
  const over = record && record.totals ? record.totals.over_cap_seconds : 0;
  setSummary("timing-rule-text", !started ? "" : verdict === "false"
    ? t("timing.rule_broken_by", { time: duration(over) })
    : verdict === "true" ? t("timing.rule_held") : t("timing.rule_so_far"));
  renderAmendments(record);
}

/** Plan changes made after the meeting ended: what, from and to, who, when, why; and the verdict as run. */
function renderAmendments(record) {
  const box = $("timing-amendments");
  const items = (record && record.amendments) || [];
  box.hidden = items.length === 0;
  const list = $("timing-amendments-list");
  list.replaceChildren(...items.map((a) => {
    const li = document.createElement("li");
    li.textContent = t("timing.amended_item", {
      field: t(`timing_csv.field.${a.field}`), old: amendedValue(a.field, a.old), new: amendedValue(a.field, a.new),
      actor: a.actor, when: dateTime(a.at, lang()), reason: a.reason,
    });
    return li;
  }));
  const asRun = record ? record.rule_held_as_planned : null;
  $("timing-as-run").textContent = asRun === null || asRun === undefined ? ""
    : t(asRun ? "timing.as_run_held" : "timing.as_run_broken", { minutes: record.planned_minutes_as_run });
}

function amendedValue(field, value) {
  if (value === null || value === undefined || value === "") return "—";
  if (field === "akim_level") return t(`akim_level.${value}`);
  if (field === "starts_at") return dateTime(value, lang());
  if (field === "announced_at") return dateTime(value, lang()).slice(0, 10);
  return String(value);
}

function setSummary(id, text) {
  $(id).textContent = text;
}

/** Point the export links at this meeting (the CSV in the UI language). */
export function setExportLinks(meetingId) {
  const base = `/api/v1/meetings/${encodeURIComponent(meetingId)}/timing`;
  $("timing-csv").href = `${base}.csv?lang=${lang()}`;
  $("timing-json").href = `${base}.json`;
}

/** Load and render the record of `meetingId`; failures show inside the section. */
export async function loadTiming(meetingId) {
  const status = $("timing-status");
  try {
    const record = await api("GET", `/api/v1/meetings/${encodeURIComponent(meetingId)}/timing`);
    status.textContent = "";
    renderTiming(record);
    return record;
  } catch (err) {
    status.textContent = `${t("timing.load_error")} ${errorText(err)}`;
    return null;
  }
}
