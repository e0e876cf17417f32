// The server's vocabularies from /api/v1/vocabulary (categories, departments, problem statuses,
// competences, funding sources, source kinds and their options), shared by the console's feed and the review: the
// pages never list them themselves, and a category is always shown by its name, never by its id.

import { t } from "./i18n.js";

const vocab = {
  loaded: false, categories: [], departments: [], byCategory: new Map(), byDept: new Map(), pending: null,
  statuses: [], closed: new Set(), competences: [], fundingSources: [], sourceKinds: [], sourceForms: [],
};

/** Keep the categories and departments of /api/v1/vocabulary (departments deduplicated by name). */
export function setVocabulary(data) {
  vocab.categories = (data && data.categories) || [];
  vocab.byCategory = new Map(vocab.categories.map((c) => [c.id, c]));
  vocab.byDept = new Map();
  for (const d of (data && data.departments) || []) {
    const key = d.ru;
    if (!key) continue;
    const known = vocab.byDept.get(key);
    if (known) known.categories.push(d.category);
    else vocab.byDept.set(key, { ru: d.ru, kk: d.kk || d.ru, categories: [d.category] });
  }
  vocab.departments = [...vocab.byDept.values()];
  vocab.statuses = (data && data.statuses) || [];
  vocab.closed = new Set((data && data.closed_statuses) || []);
  vocab.competences = (data && data.competences) || [];
  vocab.fundingSources = (data && data.funding_sources) || [];
  vocab.sourceKinds = (data && data.source_kinds) || [];
  vocab.sourceForms = (data && data.source_forms) || [];
  vocab.loaded = true;
}

/** Read the vocabulary once (later calls share the first read). */
export function loadVocabulary() {
  if (!vocab.pending) {
    vocab.pending = fetch("/api/v1/vocabulary", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((res) => (res.ok ? res.json() : null))
      .then((data) => {
        if (data) setVocabulary(data);
        return vocab.loaded;
      })
      .catch(() => false);
  }
  return vocab.pending;
}

export const categories = () => vocab.categories;
export const departments = () => vocab.departments;
export const vocabularyLoaded = () => vocab.loaded;
export const statuses = () => vocab.statuses;
export const isClosedStatus = (status) => vocab.closed.has(status);
export const competences = () => vocab.competences;
export const fundingSources = () => vocab.fundingSources;
export const sourceKinds = () => vocab.sourceKinds;
/** Each source kind's options ({kind, push, options: [{name, type, required, default?, choices?, …}]}): the console's form. */
export const sourceForms = () => vocab.sourceForms;

/** A category's name in the UI language ("" for none; a catalogue word for an id the taxonomy lacks). */
export function categoryName(id, lang) {
  if (!id) return "";
  const c = vocab.byCategory.get(id);
  if (c) return c[lang] || c.ru;
  return vocab.loaded ? t("category.unknown") : "";
}

/** An executor (stored by its Russian name) in the UI language. */
export function executorName(name, lang) {
  if (!name) return "";
  const d = vocab.byDept.get(name);
  return d ? d[lang] || d.ru : name;
}

/** Whether an executor is one of the configured departments. */
export const knownExecutor = (name) => vocab.byDept.has(name);

/** Departments that usually answer a category (suggested first in the select). */
export function suggestedDepartments(category) {
  return vocab.departments.filter((d) => category && d.categories.includes(category));
}
