// Words the planner pages share: unit names in the UI language, period headers, dates, the API's dates.

import { lang, t } from "./i18n.js";
import { can } from "./permissions.js";

const ROMAN = ["I", "II", "III", "IV"];

/** A unit's (or organiser's) name in the UI language, falling back to the other. */
export function nameOf(item) {
  if (!item) return "";
  return lang() === "kk" ? item.name_kk || item.name_ru || "" : item.name_ru || item.name_kk || "";
}

/** A short column header: "I кв. 2026" / "2026 ж. I тоқсан". */
export function periodShort(period) {
  const key = period.kind === "quarter" ? "planner.period_quarter" : "planner.period_half";
  return t(key, { roman: ROMAN[period.index - 1], year: period.first_day.slice(0, 4) });
}

/** A period's full label in the UI language. */
export function periodLong(period) {
  return lang() === "kk" ? period.label_kk : period.label_ru;
}

/** "2026-03-15" → "15.03.2026"; "" for nothing. */
export function dayText(iso) {
  if (!iso) return "";
  const [y, m, d] = iso.slice(0, 10).split("-");
  return `${d}.${m}.${y}`;
}

/** "2026-03-15" → "15.03". */
export function dayShort(iso) {
  return iso ? dayText(iso).slice(0, 5) : "";
}

/** Today's date in Almaty as "2026-12-02". */
export function todayAlmaty() {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Almaty", year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(new Date());
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** An organiser's kind of unit in words ("сельский округ"), from the units' kinds list. */
export function kindName(kinds, id) {
  const kind = kinds.find((k) => k.id === id);
  return kind ? nameOf(kind) : id || "";
}

/** Whether the caller may plan (units, calendars) or record (meetings from the calendar, receptions). */
export function rights(meta) {
  return { plan: can(meta, "planning.edit"), record: can(meta, "planning.organise") };
}

/** A server refusal in words: the planner's own texts by code first, then the shared ones. */
export function planError(err, fallback) {
  const key = `planner.errors.${err && err.code}`;
  const text = t(key, { fields: Object.keys((err && err.fields) || {}).join(", ") || "—" });
  if (text !== key) return text;
  return fallback(err);
}
