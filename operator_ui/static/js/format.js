// Formatting of durations and Almaty wall time, so every page shows time the same way.

export const ZONE = "Asia/Almaty";

// Numbers are written the same way in Russian and Kazakh in Kazakhstan ("1 234 567", "6,3 %"), but
// Chromium's Kazakh locale data formats them the English way ("1,234,567", "6.3%"): numbers always
// use the Russian rules.
const NUMBER_LOCALE = "ru-RU";

/** The Intl locale for numbers in a UI language. */
export function locale(lang) {
  return NUMBER_LOCALE;
}

/** A number with digit groups and a decimal comma ("1 234,5"), at most `digits` decimals. */
export function number(value, lang, digits = 0) {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return "—";
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits }).format(Number(value));
}

function pad(n) {
  return String(n).padStart(2, "0");
}

/** Whole seconds as "mm:ss", or "h:mm:ss" from an hour; `round` picks floor (count up) or ceil (count down). */
export function duration(seconds, round = "floor") {
  if (seconds === null || seconds === undefined || !Number.isFinite(Number(seconds))) return "—";
  const value = Math.max(0, Number(seconds));
  const whole = round === "ceil" ? Math.ceil(value - 1e-6) : Math.floor(value + 1e-6);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

/** A share 0..1 as a percentage, "6,3 %" in both languages (one decimal, dropped when zero: "80 %"). */
export function percent(share, lang, digits = 1) {
  if (share === null || share === undefined || !Number.isFinite(Number(share))) return "—";
  return new Intl.NumberFormat(locale(lang), { style: "percent", maximumFractionDigits: digits }).format(share);
}

let wallFormat = null;

function wallParts(ms) {
  wallFormat = wallFormat || new Intl.DateTimeFormat("en-US", {
    timeZone: ZONE, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  const parts = {};
  for (const p of wallFormat.formatToParts(new Date(ms))) parts[p.type] = p.value;
  return parts;
}

/** Minutes Almaty is ahead of UTC at the instant `ms` (from the browser's time-zone data). */
export function almatyOffsetMinutes(ms) {
  const p = wallParts(ms);
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

function offsetText(minutes) {
  const sign = minutes >= 0 ? "+" : "-";
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A datetime-local value ("2026-11-21T10:00") read as Almaty time, as ISO 8601 with offset. */
export function almatyInputToIso(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value || "");
  if (!m) return null;
  const naive = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
  let offset = almatyOffsetMinutes(naive);
  offset = almatyOffsetMinutes(naive - offset * 60000);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] || "00"}${offsetText(offset)}`;
}

/** A date input value ("2026-11-07") as the start of that day in Almaty, ISO 8601 with offset. */
export function almatyDateToIso(value) {
  return /^\d{4}-\d{2}-\d{2}$/.test(value || "") ? almatyInputToIso(`${value}T00:00`) : null;
}

/** An ISO instant as a datetime-local value in Almaty ("2026-11-21T10:00"). */
export function isoToAlmatyInput(iso) {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return "";
  const p = wallParts(ms);
  return `${p.year}-${p.month}-${p.day}T${pad(+p.hour % 24)}:${p.minute}`;
}

/** An ISO instant (or a plain date) as a date input value in Almaty ("2026-11-07"). */
export function isoToAlmatyDate(iso) {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso || "")) return iso;
  return isoToAlmatyInput(iso).slice(0, 10);
}

/** "14:05" (or "14:05:09") in Almaty. */
export function clockTime(iso, lang, seconds = false) {
  const ms = typeof iso === "number" ? iso : Date.parse(iso);
  if (!Number.isFinite(ms)) return "—";
  const p = wallParts(ms);
  return `${pad(+p.hour % 24)}:${p.minute}${seconds ? `:${p.second}` : ""}`;
}

// Month names are our own: browsers ship uneven locale data (Chromium may lack Kazakh months).
const MONTHS = {
  ru: ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"],
  kk: ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"],
};

function instantMs(iso) {
  if (typeof iso === "number") return iso;
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso || "")) return Date.parse(`${iso}T12:00:00+05:00`);
  return Date.parse(iso);
}

/** "24 ноября 2026 г." / "2026 ж. 24 қараша" for an instant or a plain date, in Almaty. */
export function longDate(iso, lang) {
  const ms = instantMs(iso);
  if (!Number.isFinite(ms)) return "—";
  const p = wallParts(ms);
  const month = (MONTHS[lang] || MONTHS.ru)[+p.month - 1];
  return lang === "kk" ? `${p.year} ж. ${+p.day} ${month}` : `${+p.day} ${month} ${p.year} г.`;
}

/** "02.12 23:31" for an earlier day of this year (Almaty wall time), else the full dateTime: a feed row's width. */
export function shortDateTime(iso, lang) {
  const ms = instantMs(iso);
  if (!Number.isFinite(ms)) return "—";
  const p = wallParts(ms);
  if (p.year !== wallParts(Date.now()).year) return dateTime(ms, lang);
  return `${p.day}.${p.month} ${pad(+p.hour % 24)}:${p.minute}`;
}

/** "21.11.2026, 10:00" in Almaty. */
export function dateTime(iso, lang) {
  const ms = instantMs(iso);
  if (!Number.isFinite(ms)) return "—";
  const p = wallParts(ms);
  return `${p.day}.${p.month}.${p.year}, ${pad(+p.hour % 24)}:${p.minute}`;
}
