// The feed's filters: the source, language and category selects (names, never ids) and the search
// box and check boxes that change what the list shows.

import { t } from "./i18n.js";
import { categoryName, sourceName } from "./feed-row.js";

const $ = (id) => document.getElementById(id);
const SELECTS = ["feed-source", "feed-lang", "feed-category"];

function option(value, label) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label;
  return o;
}

function fillSelect(select, first, values, label) {
  const want = [first, ...values].join("\u0001");
  if (select.dataset.options === want && select.options.length) return;
  const current = select.value;
  select.replaceChildren(option("", first), ...values.map((v) => option(v, label(v))));
  select.value = values.includes(current) ? current : "";
  select.dataset.options = want;
}

/** Fill the selects from what the loaded comments hold. */
export function renderFilterOptions(store) {
  fillSelect($("feed-source"), t("feed.all_sources"), [...store.sources].sort(), sourceName);
  fillSelect($("feed-lang"), t("feed.all_langs"), ["ru", "kk", "lat"], (v) => t(`feed.lang_name_${v}`));
  const cats = [...store.categories].sort((a, b) => categoryName(a).localeCompare(categoryName(b), "ru"));
  $("feed-category-wrap").hidden = cats.length === 0;
  fillSelect($("feed-category"), t("feed.all_categories"), cats, categoryName);
  $("feed-problem-wrap").hidden = !store.hasProblemLabels;
}

/** Draw the selects' labels again (the language or the category names changed). */
export function resetFilterOptions() {
  for (const id of SELECTS) delete $(id).dataset.options;
}

/** Keep `filter` in step with the controls; `changed()` re-renders the list. */
export function bindFilters(filter, changed) {
  let timer = null;
  $("feed-search").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      filter.search = $("feed-search").value;
      changed();
    }, 120);
  });
  $("feed-filters").addEventListener("submit", (ev) => ev.preventDefault());
  $("feed-filters").addEventListener("change", (ev) => {
    const el = ev.target;
    const key = el.dataset.filter;
    if (!key) return;
    filter[key] = el.type === "checkbox" ? el.checked : el.value;
    changed();
  });
}
