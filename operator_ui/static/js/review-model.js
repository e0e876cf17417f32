// Pure helpers of the review workspace: vocabulary names, the editable fields and their diff,
// ranking, deadline states, and the dd.mm.yyyy / tenge formats the documents use.

import { isoToAlmatyDate, locale } from "./format.js";
import { isClosedStatus } from "./vocabulary.js";

export const TEXT_FIELDS = ["title_ru", "title_kk", "place", "place_kk", "measures", "notes"];
export const EDITABLE = [
  "title_ru", "title_kk", "category", "place", "place_kk", "executor", "deadline", "competence", "funding_need",
  "funding_allocated", "funding_source", "status", "measures", "notes", "central_list", "accepted",
];
export const DUE_SOON_DAYS = 7;

export {
  categories, categoryName, competences, departments, executorName, fundingSources, knownExecutor, setVocabulary, statuses,
  suggestedDepartments,
} from "./vocabulary.js";

/** Today's date in Almaty as "YYYY-MM-DD". */
export function todayAlmaty(now = Date.now()) {
  return isoToAlmatyDate(new Date(now).toISOString());
}

function addDays(day, n) {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** "overdue", "due_soon" (within 7 days) or null, for an open problem with a deadline. */
export function deadlineState(problem, today = todayAlmaty()) {
  if (!problem.deadline || isClosedStatus(problem.status)) return null;
  if (problem.deadline < today) return "overdue";
  return problem.deadline <= addDays(today, DUE_SOON_DAYS) ? "due_soon" : null;
}

/** "2027-06-30" → "30.06.2027" (the documents' date format). */
export function dmy(day) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day || "");
  return m ? `${m[3]}.${m[2]}.${m[1]}` : "—";
}

/** Whole tenge with digit groups ("85 000 000 ₸"); "—" for none. */
export function tenge(value, lang, sign = true) {
  if (value === null || value === undefined || value === "") return "—";
  const text = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 0 }).format(value);
  return sign ? `${text} ₸` : text;
}

/** A typed amount ("85 000 000", "85000000") as an integer; null when empty; NaN when not a number. */
export function parseTenge(raw) {
  const text = String(raw ?? "").replace(/[\s\u00a0\u202f₸]/g, "");
  if (!text) return null;
  return /^-?\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
}

/** A problem's editable fields in comparable form. */
export function fieldsOf(problem) {
  const out = {};
  for (const key of EDITABLE) {
    let v = problem[key];
    if (TEXT_FIELDS.includes(key) || key === "executor") v = (v || "").trim();
    else if (key === "central_list" || key === "accepted") v = Boolean(v);
    else if (v === undefined || v === "") v = null;
    out[key] = v;
  }
  return out;
}

/** The keys whose values differ between two field sets. */
export function changedKeys(a, b) {
  return EDITABLE.filter((k) => k in a && k in b && !sameValue(a[k], b[k]));
}

function sameValue(x, y) {
  if (typeof x === "number" && typeof y === "number" && Number.isNaN(x) && Number.isNaN(y)) return true;
  return x === y;
}

/** The server's ranking: mentions, then the latest mention, newest first; ties by id. */
export function rank(problems) {
  return [...problems].sort((a, b) => {
    if (b.mentions !== a.mentions) return b.mentions - a.mentions;
    const la = a.last_seen || "";
    const lb = b.last_seen || "";
    if (la !== lb) return la < lb ? 1 : -1;
    return a.id - b.id;
  });
}

/** The wording in a language, falling back to the other one ("" when the problem has neither). */
export function titleIn(problem, lang) {
  return lang === "kk" ? problem.title_kk || problem.title_ru || "" : problem.title_ru || problem.title_kk || "";
}

/** The place in a language, falling back to the other spelling (old problems and half-filled forms have one). */
export function placeName(problem, lang) {
  return lang === "kk" ? problem.place_kk || problem.place || "" : problem.place || problem.place_kk || "";
}

/** Source ids map to icons; webhooks share one. */
export function sourceIcon(source) {
  const base = String(source || "").split(":")[0];
  return ["youtube", "telegram", "instagram", "facebook", "floor", "file", "replay", "webhook"].includes(base) ? `src-${base}` : "src-webhook";
}

const CONTENT_FIELDS = ["title_ru", "title_kk", "category", "place", "place_kk"];

/** Whether a person has decided something about the problem's wording or contents (an assigned executor alone is not that). */
export function humanEdited(problem) {
  return problem.origin === "human" || (problem.human_fields || []).some((f) => CONTENT_FIELDS.includes(f));
}

/** A problem missing what a final export needs. */
export function missingForFinal(problem) {
  const out = [];
  if (!problem.executor) out.push("executor");
  if (!problem.deadline) out.push("deadline");
  return out;
}
