// The feed's data in the browser: every loaded comment by id (merged by version), kept in id order
// (the order the server committed them), with the filters and the Q&A queue computed from it.

import { matchesQuery, queryWords, skeleton } from "./search-fold.js";

const KK_LETTERS = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/;
const CYRILLIC = /[а-яёА-ЯЁ]/;
const LATIN = /[a-zA-Z]/;

/** A language guess from the letters alone ("kk", "ru", "lat" or null) when the server has none. */
export function guessLang(text) {
  if (!text) return null;
  if (KK_LETTERS.test(text)) return "kk";
  if (CYRILLIC.test(text)) return "ru";
  if (LATIN.test(text)) return "lat";
  return null;
}

/** What the search box compares: the script-blind skeleton (see search-fold.js). */
export function fold(text) {
  return skeleton(text);
}

/** The filters the console starts with: everything but hidden and flooding comments. */
export function defaultFilter() {
  return { source: "", lang: "", problem: false, category: "", hidden: false, throttled: false, search: "" };
}

/** Whether comment `c` passes filter `f` (`f.search` already split into skeleton words). */
export function matches(c, f) {
  if (c.hidden && !f.hidden) return false;
  if (c.throttled && !f.throttled) return false;
  if (f.source && c.source !== f.source) return false;
  if (f.lang && c._lang !== f.lang) return false;
  if (f.problem && c.is_problem !== true) return false;
  if (f.category && c.category !== f.category) return false;
  if (f.search && f.search.length && !matchesQuery(c._haystack, f.search)) return false;
  return true;
}

/** The Q&A queue: pinned, not answered, not hidden; the oldest pin first. */
export function queueOf(items) {
  return items
    .filter((c) => c.pinned_at && !c.answered_at && !c.hidden)
    .sort((a, b) => Date.parse(a.pinned_at) - Date.parse(b.pinned_at) || a.id - b.id);
}

/** Answered questions, the latest answer first. */
export function answeredOf(items) {
  return items
    .filter((c) => c.pinned_at && c.answered_at && !c.hidden)
    .sort((a, b) => Date.parse(b.answered_at) - Date.parse(a.answered_at) || b.id - a.id);
}

function prepare(c, previous, localNames) {
  if (previous && previous.contact !== undefined && c.contact === undefined) c.contact = previous.contact;
  if (previous && previous._revealed !== undefined && c._revealed === undefined) c._revealed = previous._revealed;
  // A hall asker's name reaches this console only if it was typed here (see floor-names.js).
  if (c.source === "floor" && !c.author && localNames && localNames.has(c.id)) c.author_local = localNames.get(c.id);
  const shown = c.display ?? c.text ?? "";
  c._lang = c.lang || guessLang(shown);
  c._langGuessed = !c.lang && c._lang !== null;
  c._haystack = fold(`${c.author_display ?? c.author ?? c.author_local ?? ""}\n${shown}`);
  return c;
}

/** The author as the console shows it: the platform name, a hall asker's name typed here, or "anonymous". */
export function authorOf(c, anonymous) {
  return c.author_display || c.author || c.author_local || anonymous;
}

/** The first index in sorted `ids` whose id is >= `id`. */
export function lowerBound(ids, id) {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class FeedStore {
  constructor() {
    this.clear();
  }

  /** Forget everything (another meeting was chosen). */
  clear() {
    this.byId = new Map();
    this.ids = [];
    this.floor = null; // the oldest id of the contiguous newest run loaded from the server
    this.older = null; // the cursor to page back from, null when the start was reached
    this.sources = new Set();
    this.categories = new Set();
    this.hasProblemLabels = false;
    this.retracted = new Set();
    this.localNames = new Map();
  }

  /** Names of hall askers typed at this console (comment id → name). */
  setLocalNames(names) {
    this.localNames = names;
    for (const c of this.byId.values()) prepare(c, null, names);
  }

  /** Merge comments; returns the ids that were new. A stale version never replaces a newer one. */
  upsert(list) {
    const added = [];
    for (const item of list || []) {
      if (!item || typeof item.id !== "number") continue;
      const old = this.byId.get(item.id);
      if (item.partial && !old) continue; // labels for a comment not loaded here
      const raw = item.partial ? { ...old, ...item, version: old.version, partial: undefined } : item;
      if (old && !item.partial && Number(raw.version || 0) < Number(old.version || 0)) continue;
      const c = prepare({ ...raw }, old, this.localNames);
      this.byId.set(c.id, c);
      if (!old) {
        added.push(c.id);
        const last = this.ids.length ? this.ids[this.ids.length - 1] : -Infinity;
        if (c.id > last) this.ids.push(c.id);
        else this.ids.splice(lowerBound(this.ids, c.id), 0, c.id);
      }
      if (c.source) this.sources.add(c.source);
      if (c.category) this.categories.add(c.category);
      if (c.is_problem !== null && c.is_problem !== undefined) this.hasProblemLabels = true;
      if (c.kind === "deleted" && c.extra && c.extra.target_id) this.retracted.add(String(c.extra.target_id));
    }
    return added;
  }

  /** Record the first page from a join: everything from its oldest id up is loaded. */
  markLoaded(items, older) {
    if (this.floor !== null) return; // a re-join: the caller filled any gap with older pages
    this.older = older ?? null;
    this.floor = this.older === null || !items || !items.length ? 0 : items[0].id;
  }

  /** Record an older page: the contiguous run now starts at its oldest id. */
  markOlder(items, older) {
    if (items && items.length) this.floor = Math.min(this.floor ?? items[0].id, items[0].id);
    this.older = older ?? null;
    if (this.older === null) this.floor = 0;
  }

  get(id) {
    return this.byId.get(id);
  }

  get newestId() {
    return this.ids.length ? this.ids[this.ids.length - 1] : null;
  }

  /** Comments that pass `filter`, oldest first (only the contiguous loaded run, not stray pinned ones). */
  view(filter) {
    const f = { ...filter, search: queryWords(filter.search || "") };
    const start = this.floor ? lowerBound(this.ids, this.floor) : 0;
    const out = [];
    for (let i = start; i < this.ids.length; i += 1) {
      const c = this.byId.get(this.ids[i]);
      if (matches(c, f)) out.push(c);
    }
    return out;
  }

  /** How many loaded comments a filter leaves out because they are hidden or flooding. */
  tucked(filter) {
    let hidden = 0;
    let throttled = 0;
    for (const c of this.byId.values()) {
      if (c.hidden && !filter.hidden) hidden += 1;
      else if (c.throttled && !filter.throttled) throttled += 1;
    }
    return { hidden, throttled };
  }

  all() {
    return Array.from(this.byId.values());
  }

  /** Whether a platform later retracted this comment (a YouTube deletion naming its id). */
  isRetracted(c) {
    return Boolean(c.external_id) && this.retracted.has(String(c.external_id));
  }
}
