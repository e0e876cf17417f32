// The ranked problem list: filters, counters, badges, selection and "merge into…".

import { announce, showAlert } from "./alerts.js";
import { lang, localMarks, meetingTitle, t, tn } from "./i18n.js";
import {
  categories, statuses, categoryName, deadlineState, departments, dmy, executorName, humanEdited, missingForFinal, placeName, sourceIcon,
  titleIn, todayAlmaty,
} from "./review-model.js";
import { $, el, icon, reviewError, sourceName } from "./review-page.js";
import { matchesQuery, queryWords, skeleton } from "./search-fold.js";
import { act, meetingOf, mergedCount, store } from "./review-store.js";

const PAGE = 200;
const selected = new Set();
let onOpen = () => {};
let openId = null;
let limit = PAGE;

function option(value, text, selectedValue) {
  const o = el("option", { value }, text);
  if (String(value) === String(selectedValue)) o.selected = true;
  return o;
}

/** Fill the filter selects in the UI language, keeping what is chosen. */
export function fillFilters() {
  const keepCat = $("f-category").value;
  const keepStatus = $("f-status").value;
  const keepExec = $("f-executor").value;
  const keepFlag = $("f-flag").value;
  $("f-category").replaceChildren(option("", t("review.all_categories"), keepCat),
    ...categories().map((c) => option(c.id, c[lang()] || c.ru, keepCat)));
  $("f-status").replaceChildren(option("", t("review.all_statuses"), keepStatus),
    ...statuses().map((s) => option(s, t(`review.status.${s}`), keepStatus)));
  const used = new Set([...store.problems.values()].map((p) => p.executor).filter(Boolean));
  const names = [...new Set([...departments().map((d) => d.ru), ...used])];
  $("f-executor").replaceChildren(option("", t("review.all_executors"), keepExec), option("-", t("review.no_executor"), keepExec),
    ...names.map((n) => option(n, executorName(n, lang()), keepExec)));
  const flags = ["attention", "overdue", "due_soon", "central", "not_accepted", "accepted", "human"];
  $("f-flag").replaceChildren(option("", t("review.all_flags"), keepFlag), ...flags.map((f) => option(f, t(`review.flag.${f}`), keepFlag)));
}

function matches(p, f, today) {
  if (f.category && p.category !== f.category) return false;
  if (f.status && p.status !== f.status) return false;
  if (f.executor === "-" ? Boolean(p.executor) : f.executor && p.executor !== f.executor) return false;
  const state = deadlineState(p, today);
  switch (f.flag) {
    case "attention": if (!missingForFinal(p).length) return false; break;
    case "overdue": if (state !== "overdue") return false; break;
    case "due_soon": if (state !== "due_soon") return false; break;
    case "central": if (!p.central_list) return false; break;
    case "not_accepted": if (p.accepted) return false; break;
    case "accepted": if (!p.accepted) return false; break;
    case "human": if (!humanEdited(p)) return false; break;
    default: break;
  }
  if (f.search.length) {
    const hay = skeleton([p.title_ru, p.title_kk, p.place, p.place_kk, p.executor, executorName(p.executor, "kk"), p.measures, p.notes,
      categoryName(p.category, "ru"), categoryName(p.category, "kk")].join("\n"));
    if (!matchesQuery(hay, f.search)) return false;
  }
  return true;
}

function filters() {
  return {
    search: queryWords($("f-search").value),
    category: $("f-category").value,
    status: $("f-status").value,
    executor: $("f-executor").value,
    flag: $("f-flag").value,
  };
}

function badge(kind, text) {
  return el("span", { class: `badge badge-${kind}`, dataset: { badge: kind } }, text);
}

/** The badges of a problem (shared with the detail pane). */
export function badgesOf(p, today = todayAlmaty()) {
  const out = [];
  const state = deadlineState(p, today);
  if (state === "overdue") out.push(badge("overdue", t("review.badge.overdue")));
  if (state === "due_soon") out.push(badge("due-soon", t("review.badge.due_soon")));
  if (p.accepted) out.push(badge("accepted", t("review.badge.accepted")));
  if (humanEdited(p)) out.push(badge("human", t(p.origin === "human" ? "review.badge.human_made" : "review.badge.human")));
  const merged = mergedCount(p.id);
  if (merged) out.push(badge("merged", t("review.badge.merged", { n: merged })));
  if (p.central_list) out.push(badge("central", t("review.badge.central")));
  const missing = missingForFinal(p);
  if (missing.length) out.push(badge("missing", t(`review.badge.missing_${missing.join("_")}`)));
  return out;
}

/** Mentions as a number plus one icon and count per source. */
export function mentionsOf(p) {
  const sources = Object.entries(p.mentions_by_source || {}).sort((a, b) => b[1] - a[1]);
  return el("span", { class: "mentions" },
    el("span", { class: "mentions-total num", title: t("review.mentions") }, String(p.mentions),
      el("span", { class: "visually-hidden" }, ` ${t("review.mentions")}`)),
    ...sources.map(([src, n]) => el("span", { class: "src-count", title: sourceName(src) },
      icon(sourceIcon(src)), el("span", { class: "visually-hidden" }, sourceName(src)), el("span", { class: "num" }, String(n)))));
}

function row(p, today) {
  const id = String(p.id);
  const box = el("input", { type: "checkbox", class: "pick", dataset: { id }, "aria-label": t("review.pick", { n: p.rank }) });
  box.checked = selected.has(p.id);
  box.hidden = !store.canEdit;
  const title = lang() === "kk" && p.title_kk ? p.title_kk : p.title_ru;
  const other = lang() === "kk" ? p.title_ru : p.title_kk;
  const meta = [categoryName(p.category, lang()) || t("review.no_category"), placeName(p, lang())].filter(Boolean).join(" · ");
  const meeting = store.scope.length > 1 ? meetingOf(p.meeting_id) : null;
  const open = el("button", { type: "button", class: "problem-open", dataset: { id }, "aria-current": openId === p.id ? "true" : null },
    el("span", { class: "rank num" }, String(p.rank)),
    el("span", { class: "problem-main" },
      el("span", { class: "problem-title", lang: title === p.title_kk ? "kk" : "ru" }, localMarks(title) || t("review.untitled")),
      other ? el("span", { class: "problem-other", lang: other === p.title_kk ? "kk" : "ru" }, localMarks(other)) : null,
      el("span", { class: "problem-meta" }, meta),
      el("span", { class: "problem-exec", dataset: { empty: p.executor ? "false" : "true" }, title: p.executor ? executorName(p.executor, lang()) : null },
        p.executor ? executorName(p.executor, lang()) : t("review.no_executor")),
      meeting ? el("span", { class: "problem-meeting muted" }, meetingTitle(meeting)) : null));
  const side = el("span", { class: "problem-side" },
    mentionsOf(p),
    el("span", { class: "problem-deadline", dataset: { state: deadlineState(p, today) || "none" } },
      icon("clock"), el("span", { class: "num" }, p.deadline ? dmy(p.deadline) : t("review.no_deadline"))),
    el("span", { class: "status-chip", dataset: { status: p.status }, title: t(`review.status.${p.status}`) }, t(`review.status.${p.status}`)));
  return el("li", { class: "problem", dataset: { id, status: p.status, selected: selected.has(p.id) ? "true" : "false" } },
    box, open, side, el("span", { class: "badges" }, badgesOf(p, today)));
}

/** Draw the list and the counters from the store and the filters. */
export function renderList() {
  const today = todayAlmaty();
  const shown = visible();
  for (const id of [...selected]) if (!store.problems.has(id)) selected.delete(id);
  // A big round draws its first rows at once and the rest on request (the open one is always drawn).
  const drawn = shown.slice(0, limit);
  const open = shown.find((p) => p.id === openId);
  if (open && !drawn.includes(open)) drawn.push(open);
  const rows = drawn.map((p) => row(p, today));
  if (shown.length > drawn.length) {
    const more = el("button", { type: "button", class: "btn-small", id: "btn-more" }, t("review.show_more", { n: Math.min(PAGE, shown.length - limit), left: shown.length - limit }));
    rows.push(el("li", { class: "more" }, more));
  }
  $("problem-list").replaceChildren(...rows);
  const all = store.ranked;
  const empty = $("list-empty");
  empty.hidden = shown.length > 0;
  empty.textContent = all.length ? t("review.none_match") : store.scope.length ? t("review.no_problems") : t("review.pick_meeting");
  const count = (fn) => all.filter(fn).length;
  const parts = [
    t("review.count_shown", { shown: shown.length, total: all.length }),
    t("review.count_accepted", { n: count((p) => p.accepted) }),
    t("review.count_missing", { n: count((p) => missingForFinal(p).length > 0) }),
    t("review.count_overdue", { n: count((p) => deadlineState(p, today) === "overdue") }),
    t("review.count_due_soon", { n: count((p) => deadlineState(p, today) === "due_soon") }),
    t("review.count_central", { n: count((p) => p.central_list) }),
  ];
  $("counters").replaceChildren(...parts.map((text) => el("span", { class: "counter" }, text)));
  $("tab-problems-count").textContent = all.length ? String(all.length) : "";
  renderBulk();
}

function renderBulk() {
  const bar = $("bulk-bar");
  const picked = [...selected].map((id) => store.problems.get(id)).filter(Boolean);
  bar.hidden = picked.length < 1 || !store.canEdit;
  const shown = visible();
  const box = $("pick-all");
  box.closest(".pick-all-row").hidden = !store.canEdit || shown.length === 0;
  box.checked = shown.length > 0 && shown.every((p) => selected.has(p.id));
  box.indeterminate = !box.checked && shown.some((p) => selected.has(p.id));
  $("pick-all-text").textContent = t("review.pick_all_n", { n: shown.length });
  if (bar.hidden) return;
  $("bulk-count").textContent = tn("review.selected", picked.length);
  $("btn-accept-selected").querySelector("span").textContent = t("review.bulk_accept_n", { n: picked.length });
  $("btn-dismiss-selected").textContent = t("review.bulk_dismiss_n", { n: picked.length });
  $("merge-controls").hidden = picked.length < 2;
  const keep = $("merge-target").value;
  const ranked = picked.sort((a, b) => a.rank - b.rank);
  $("merge-target").replaceChildren(...ranked.map((p) => option(p.id, `${p.rank}. ${titleIn(p, lang())}`, keep || ranked[0].id)));
}

/** The problems the filters show now. */
function visible() {
  const today = todayAlmaty();
  const f = filters();
  return store.ranked.filter((p) => matches(p, f, today));
}

/** Run one bulk decision per meeting of the selection (a round spans meetings). */
async function bulk(verb, payloadOf, doneKey, button) {
  const picked = [...selected].map((id) => store.problems.get(id)).filter(Boolean);
  if (!picked.length) return;
  const byMeeting = new Map();
  for (const p of picked) byMeeting.set(p.meeting_id, [...(byMeeting.get(p.meeting_id) || []), p.id]);
  button.disabled = true;
  try {
    for (const [meetingId, ids] of byMeeting) await act(meetingId, verb, payloadOf(ids), ids);
    selected.clear();
    const text = t(doneKey, { n: picked.length });
    showAlert(text, "success");
    announce(text);
  } catch (err) {
    showAlert(reviewError(err));
  } finally {
    button.disabled = false;
    renderList();
  }
}

async function merge() {
  const target = Number($("merge-target").value);
  const picked = [...selected].map((id) => store.problems.get(id)).filter(Boolean);
  const meetingIds = new Set(picked.map((p) => p.meeting_id));
  if (meetingIds.size > 1) {
    showAlert(t("review.merge_one_meeting"));
    return;
  }
  const sources = picked.map((p) => p.id).filter((id) => id !== target);
  const btn = $("btn-merge");
  btn.disabled = true;
  try {
    await act(picked[0].meeting_id, "merge", { target_id: target, source_ids: sources }, [target, ...sources]);
    selected.clear();
    announce(t("review.merged_done", { n: sources.length + 1 }));
    onOpen(target);
  } catch (err) {
    showAlert(reviewError(err));
  } finally {
    btn.disabled = false;
    renderList();
  }
}

/** Mark the open problem in the list. */
export function markOpen(id) {
  openId = id;
  for (const b of $("problem-list").querySelectorAll(".problem-open")) {
    if (Number(b.dataset.id) === id) b.setAttribute("aria-current", "true");
    else b.removeAttribute("aria-current");
  }
}

/** Wire filters, rows and the merge bar; `open(id)` shows a problem in the detail pane. */
export function initList(open) {
  onOpen = open;
  fillFilters();
  const refilter = () => {
    limit = PAGE;
    renderList();
  };
  for (const id of ["f-category", "f-status", "f-executor", "f-flag"]) $(id).addEventListener("change", refilter);
  let timer = null;
  $("f-search").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refilter, 120);
  });
  $("filters").addEventListener("submit", (ev) => ev.preventDefault());
  $("problem-list").addEventListener("click", (ev) => {
    const btn = ev.target.closest(".problem-open");
    if (btn) open(Number(btn.dataset.id));
    if (ev.target.closest("#btn-more")) {
      limit += PAGE;
      renderList();
    }
  });
  $("problem-list").addEventListener("change", (ev) => {
    const box = ev.target.closest("input.pick");
    if (!box) return;
    const id = Number(box.dataset.id);
    if (box.checked) selected.add(id);
    else selected.delete(id);
    box.closest(".problem").dataset.selected = box.checked ? "true" : "false";
    renderBulk();
  });
  $("btn-merge").addEventListener("click", merge);
  $("btn-accept-selected").addEventListener("click", (ev) =>
    bulk("accept", (ids) => ({ problem_ids: ids, accepted: true }), "review.bulk_accept_done", ev.currentTarget));
  $("btn-dismiss-selected").addEventListener("click", (ev) =>
    bulk("dismiss", (ids) => ({ problem_ids: ids }), "review.bulk_dismiss_done", ev.currentTarget));
  $("pick-all").addEventListener("change", (ev) => {
    for (const p of visible()) {
      if (ev.target.checked) selected.add(p.id);
      else selected.delete(p.id);
    }
    renderList();
  });
  $("btn-unselect").addEventListener("click", () => {
    selected.clear();
    renderList();
  });
}
