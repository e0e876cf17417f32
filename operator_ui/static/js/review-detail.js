// The detail pane: one problem's wording and action-plan fields, saved with its version; a stale save
// shows what the other person changed and keeps ours in the form to apply again.

import { announce, clearAlert, showAlert } from "./alerts.js";
import { isoToAlmatyDate } from "./format.js";
import { lang, t } from "./i18n.js";
import { renderComments, initComments } from "./review-comments.js";
import { clearFieldError, fillExecutor, fillForm, readForm, setFormEditable, showFieldErrors, valueText } from "./review-fields.js";
import { badgesOf, markOpen } from "./review-list.js";
import { changedKeys, fieldsOf, suggestedDepartments, titleIn, todayAlmaty } from "./review-model.js";
import { $, el, reviewError } from "./review-page.js";
import { act, fetchDetail, meetingOf, store, subscribe } from "./review-store.js";

const pane = { id: null, meetingId: null, problem: null, comments: [], similar: [], base: null, busy: false, token: 0, autoExecutor: null };

/** The open problem's id (null when none). */
export const openProblemId = () => pane.id;

function dirtyKeys() {
  return pane.base ? changedKeys(readForm(), pane.base) : [];
}

function updateDirty() {
  const dirty = dirtyKeys().length > 0;
  $("btn-save").disabled = !dirty || pane.busy;
  $("btn-revert").disabled = !dirty || pane.busy;
  const state = $("save-state");
  if (dirty) {
    state.dataset.state = "dirty";
    state.textContent = t("review.unsaved");
  } else if (state.dataset.state === "dirty") {
    state.dataset.state = "";
    state.textContent = "";
  }
}

const titleOf = (p) => titleIn(p, lang()) || t("review.untitled");

function renderHead() {
  const p = pane.problem;
  const title = titleOf(p);
  $("detail-title").textContent = title;
  $("detail-title").lang = title === p.title_kk ? "kk" : "ru";
  const ranked = store.problems.get(p.id);
  $("detail-rank").textContent = ranked ? t("review.rank", { n: ranked.rank }) : "";
  const inRound = store.scope.length > 1 ? meetingOf(p.meeting_id) : null;
  $("detail-meeting").textContent = inRound ? inRound.title : "";
  $("detail-badges").replaceChildren(...badgesOf(ranked || p, todayAlmaty()));
  const meeting = meetingOf(p.meeting_id);
  $("pf-deadline").min = meeting && meeting.starts_at ? isoToAlmatyDate(meeting.starts_at) : "";
}

function adopt(problem) {
  pane.problem = problem;
  pane.autoExecutor = null;
  pane.base = fieldsOf(problem);
  fillForm(pane.base);
  showFieldErrors({});
  $("live-note").hidden = true;
  updateDirty();
}

function showMerged(targetId) {
  const note = $("merged-note");
  const target = store.problems.get(targetId);
  const link = el("button", { type: "button", class: "btn-small", dataset: { open: String(targetId) } },
    target ? t("review.open_rank", { n: target.rank }) : t("review.open_target"));
  note.replaceChildren(el("span", {}, t("review.merged_note")), " ", link);
  note.hidden = false;
}

/** The merges a secretary may want: problems of the same issue whose places do not disagree. */
function renderSimilar(items) {
  pane.similar = items || [];
  const box = $("similar");
  const list = pane.similar.filter((p) => p.id !== pane.id && store.problems.has(p.id));
  box.hidden = list.length === 0;
  $("similar-list").replaceChildren(...list.map((p) => el("li", { dataset: { problemId: String(p.id) } },
    el("button", { type: "button", class: "link-button", dataset: { open: String(p.id) } },
      t("review.similar_item", { title: titleOf(p), n: p.mentions })),
    p.shared_place ? el("span", { class: "badge" }, t("review.similar_shared_place")) : "",
    el("button", { type: "button", class: "btn-small", dataset: { mergeWith: String(p.id) } }, t("review.similar_merge")))));
}

/** Merge the open problem and a similar one: the comments go to the one more people named. */
async function mergeWithSimilar(otherId, button) {
  const mine = pane.problem;
  const other = store.problems.get(otherId);
  if (!mine || !other) return;
  const [target, source] = (other.mentions > mine.mentions || (other.mentions === mine.mentions && other.place && !mine.place))
    ? [other, mine] : [mine, other];
  button.disabled = true;
  try {
    await act(pane.meetingId, "merge", { target_id: target.id, source_ids: [source.id] }, [target.id, source.id]);
    announce(t("review.similar_merged", { source: titleOf(source), target: titleOf(target) }));
    await openProblem(target.id, pane.meetingId);
  } catch (err) {
    showAlert(reviewError(err));
  } finally {
    button.disabled = false;
  }
}

/** Show problem `id` (of `meetingId`); reads it with all its comments. */
export async function openProblem(id, meetingId, { focus = true } = {}) {
  const token = ++pane.token;
  const known = store.problems.get(id);
  const mid = meetingId ?? (known && known.meeting_id);
  if (!mid) return;
  let data;
  try {
    data = await fetchDetail(mid, id);
  } catch (err) {
    showAlert(reviewError(err));
    return;
  }
  if (token !== pane.token) return;
  if (pane.id === id && pane.problem && dirtyKeys().length) {
    // Re-opening the problem being edited (after a merge into it): keep the unsaved changes.
    pane.comments = data.comments || [];
    renderComments(pane);
    renderHead();
    renderSimilar(data.similar);
    return;
  }
  pane.id = id;
  pane.meetingId = mid;
  $("detail").dataset.problemId = String(id);
  pane.comments = data.comments || [];
  $("detail-empty").hidden = true;
  $("detail-body").hidden = false;
  $("conflict").hidden = true;
  $("merged-note").hidden = true;
  const state = $("save-state");
  state.textContent = "";
  state.dataset.state = "";
  adopt(data.problem);
  renderHead();
  renderComments(pane);
  renderSimilar(data.similar);
  markOpen(id);
  if (data.problem.merged_into) showMerged(data.problem.merged_into);
  if (focus) $("detail-title").focus();
  const url = new URL(location.href);
  url.hash = `problem-${id}`;
  history.replaceState(history.state, "", url);
}

/** Close the pane. */
export function closeProblem() {
  pane.id = null;
  pane.token += 1;
  delete $("detail").dataset.problemId;
  $("detail-body").hidden = true;
  $("detail-empty").hidden = false;
  markOpen(null);
  const url = new URL(location.href);
  url.hash = "";
  history.replaceState(history.state, "", url);
}

async function save() {
  const mine = readForm();
  const keys = changedKeys(mine, pane.base);
  if (!keys.length || pane.busy) return;
  const local = {};
  for (const key of ["funding_need", "funding_allocated"]) if (keys.includes(key) && Number.isNaN(mine[key])) local[key] = t("review.err.tenge");
  if (Object.keys(local).length) {
    showFieldErrors(local).focus();
    return;
  }
  const fields = Object.fromEntries(keys.map((k) => [k, mine[k]]));
  // The executor that only followed the new category is the server's suggestion, not a person's choice.
  if ("category" in fields && pane.autoExecutor !== null && fields.executor === pane.autoExecutor) delete fields.executor;
  pane.busy = true;
  updateDirty();
  const state = $("save-state");
  state.dataset.state = "saving";
  state.textContent = t("review.saving");
  try {
    const result = await act(pane.meetingId, "edit", { problem_id: pane.id, version: pane.problem.version, fields }, [pane.id]);
    clearAlert();
    $("conflict").hidden = true;
    adopt(result.problem);
    renderHead();
    state.dataset.state = "saved";
    state.textContent = t("review.saved");
    announce(t("review.saved"));
  } catch (err) {
    state.dataset.state = "error";
    state.textContent = "";
    if (err.status === 409 && err.body && err.body.problem) {
      showConflict(err.body.problem, mine);
    } else if (err.status === 422 && Object.keys(err.fields).length) {
      const first = showFieldErrors(err.fields);
      showAlert(t("review.errors.invalid"));
      if (first) first.focus();
    } else {
      showAlert(reviewError(err));
    }
  } finally {
    pane.busy = false;
    updateDirty();
  }
}

function showConflict(current, mine) {
  const theirs = changedKeys(fieldsOf(current), pane.base);
  const mineKeys = changedKeys(mine, pane.base);
  const before = pane.base;
  pane.problem = current;
  pane.base = fieldsOf(current);
  const merged = { ...pane.base };
  for (const key of mineKeys) merged[key] = mine[key];
  fillForm(merged);
  const items = theirs.map((key) => el("li", { dataset: { field: key } },
    el("strong", {}, `${t(`review.f_${key}`)}: `),
    el("span", { class: "was" }, valueText(key, before[key])), " → ",
    el("span", { class: "now" }, valueText(key, pane.base[key])),
    mineKeys.includes(key) ? el("span", { class: "also-mine" }, ` ${t("review.conflict_also_mine", { value: valueText(key, mine[key]) })}`) : null));
  if (!items.length) items.push(el("li", {}, t("review.conflict_other")));
  $("conflict-list").replaceChildren(...items);
  $("conflict").hidden = false;
  $("live-note").hidden = true;
  renderHead();
  updateDirty();
  $("conflict").scrollIntoView({ block: "nearest" });
  $("btn-reapply").focus();
}

async function onStore(kind, detail) {
  if (pane.id === null) return;
  if (kind === "removed" && detail.ids.includes(pane.id)) {
    const target = store.mergedInto.get(pane.id);
    if (target) showMerged(target);
    else {
      showAlert(t("review.removed_note"), "info");
      closeProblem();
    }
    return;
  }
  if (kind === "list" || (kind === "changed" && detail.ids.includes(pane.id))) {
    const token = pane.token;
    let data;
    try {
      data = await fetchDetail(pane.meetingId, pane.id);
    } catch {
      return;
    }
    if (token !== pane.token || pane.busy) return;
    pane.comments = data.comments || [];
    renderComments(pane);
    if (data.problem.version !== pane.problem.version) {
      if (dirtyKeys().length || !$("conflict").hidden) {
        $("live-note").textContent = t("review.live_note");
        $("live-note").hidden = false;
      } else {
        adopt(data.problem);
      }
    }
    renderHead();
    renderSimilar(data.similar);
  } else if (kind === "changed" || kind === "removed") {
    renderHead();
    renderSimilar(pane.similar);  // an offered problem merged or emptied by someone else goes
  }
}

/** A new category brings its usual department as the executor, unless a person chose the executor. */
function followCategory(category) {
  const current = $("pf-executor").value;
  const chosen = (pane.problem && (pane.problem.human_fields || []).includes("executor")) || current !== (pane.base && pane.base.executor);
  const usual = suggestedDepartments(category)[0];
  const follow = !chosen || (pane.autoExecutor !== null && current === pane.autoExecutor);
  pane.autoExecutor = follow && usual ? usual.ru : null;
  fillExecutor(category, pane.autoExecutor ?? current);
}

/** Re-label the pane after a language change. */
export function relabelDetail() {
  if (pane.id === null) return;
  const mine = readForm();
  fillForm(mine);
  renderHead();
  renderComments(pane);
  renderSimilar(pane.similar);
  updateDirty();
}

/** Wire the form, the conflict box and live updates. */
export function initDetail() {
  setFormEditable(store.canEdit);
  const form = $("problem-form");
  form.addEventListener("input", (ev) => {
    clearFieldError(ev.target);
    updateDirty();
  });
  form.addEventListener("change", (ev) => {
    if (ev.target.id === "pf-competence" && ev.target.value === "central") $("pf-central_list").checked = true;
    clearFieldError(ev.target);
    if (ev.target.id === "pf-category") followCategory(ev.target.value);
    if (ev.target.id === "pf-executor") pane.autoExecutor = null;
    updateDirty();
  });
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    save();
  });
  form.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      save();
    }
  });
  $("btn-revert").addEventListener("click", () => {
    fillForm(pane.base);
    showFieldErrors({});
    updateDirty();
  });
  $("btn-reapply").addEventListener("click", save);
  $("btn-discard").addEventListener("click", () => {
    fillForm(pane.base);
    $("conflict").hidden = true;
    updateDirty();
  });
  $("btn-close-detail").addEventListener("click", closeProblem);
  $("merged-note").addEventListener("click", (ev) => {
    const btn = ev.target.closest("[data-open]");
    if (btn) openProblem(Number(btn.dataset.open));
  });
  $("similar-list").addEventListener("click", (ev) => {
    const merge = ev.target.closest("[data-merge-with]");
    if (merge) {
      mergeWithSimilar(Number(merge.dataset.mergeWith), merge);
      return;
    }
    const open = ev.target.closest("[data-open]");
    if (open) openProblem(Number(open.dataset.open));
  });
  initComments(pane);
  subscribe(onStore);
}
