// Keyboard-first triage of the "needs review" queue: one comment at a time with the system's guess
// and runner-up; 1–9 or arrows + Enter pick a category, N = not a problem, S = skip, U = undo.

import { announce, showAlert } from "./alerts.js";
import { dateTime, percent } from "./format.js";
import { lang, localMarks, t } from "./i18n.js";
import { call } from "./review-api.js";
import { categories, categoryName, sourceIcon } from "./review-model.js";
import { $, el, icon, reviewError, sourceName } from "./review-page.js";
import { act, store, undoLast } from "./review-store.js";

const q = { items: [], pending: 0, reviewed: 0, skipped: new Set(), current: null, shown: null, highlight: 0, busy: false, decided: [], first: null };

const isActive = () => !$("panel-triage").hidden;

function setBusy(busy) {
  // Keys are ignored while a decision is on its way (no double decisions); the panel shows it.
  q.busy = busy;
  $("panel-triage").dataset.busy = String(busy);
}

/** Read the queue of every meeting in scope again. */
export async function loadQueue() {
  if (!store.canEdit || !store.scope.length) return;
  try {
    const parts = await Promise.all(store.scope.map((id) => call("GET", `/api/v1/meetings/${id}/review-queue`)));
    q.items = parts.flatMap((p) => p.items || []);
    q.pending = parts.reduce((n, p) => n + (p.pending || 0), 0);
    q.reviewed = parts.reduce((n, p) => n + (p.reviewed || 0), 0);
  } catch (err) {
    showAlert(reviewError(err));
  }
  render();
}

function nextItem() {
  if (q.first !== null) {
    const found = q.items.find((c) => c.id === q.first);
    if (found) return found;
  }
  return q.items.find((c) => !q.skipped.has(c.id)) || null;
}

function suggestion(c) {
  const labels = c.labels || {};
  const guess = labels.category || c.category || null;
  return { guess, runnerUp: labels.runner_up || null, labels };
}

function renderCats(c) {
  const { guess, runnerUp, labels } = suggestion(c || {});
  const list = categories();
  $("triage-cats").replaceChildren(...list.map((cat, i) => {
    const checked = i === q.highlight;
    const tags = [];
    if (cat.id === guess) tags.push(el("span", { class: "cat-tag cat-guess" }, t("review.triage_guess_tag", { p: percent(labels.category_confidence ?? null, lang()) })));
    if (cat.id === runnerUp) tags.push(el("span", { class: "cat-tag cat-runner" }, t("review.triage_runner_tag", { p: percent(labels.runner_up_confidence ?? null, lang()) })));
    return el("button", {
      type: "button", role: "radio", class: "triage-cat", "aria-checked": checked ? "true" : "false", tabindex: checked ? "0" : "-1",
      dataset: { category: cat.id, guess: cat.id === guess ? "true" : "false", runner: cat.id === runnerUp ? "true" : "false" },
      "aria-keyshortcuts": i < 9 ? String(i + 1) : null,
    }, el("kbd", {}, i < 9 ? String(i + 1) : ""), el("span", { class: "cat-name" }, cat[lang()] || cat.ru), ...tags);
  }));
}

function render() {
  const hadFocus = focusInTriage();
  $("triage-pending").textContent = String(q.pending);
  $("triage-reviewed").textContent = String(q.reviewed);
  $("triage-skipped").textContent = String(q.skipped.size);
  $("triage-skipped-wrap").hidden = q.skipped.size === 0;
  $("tab-triage-count").textContent = q.pending ? String(q.pending) : "";
  const c = nextItem();
  q.current = c;
  if ((c ? c.id : null) !== q.shown) {
    // A new comment starts on the system's guess (Enter accepts it).
    q.shown = c ? c.id : null;
    q.highlight = highlightFor(c);
  }
  const card = $("triage-card");
  const empty = $("triage-empty");
  card.hidden = !c;
  for (const id of ["triage-confirm", "triage-not", "triage-skip"]) $(id).disabled = !c || q.busy;
  $("triage-cats").hidden = !c;
  empty.hidden = Boolean(c);
  if (!c) {
    empty.replaceChildren(el("span", {}, q.items.length ? t("review.triage_only_skipped") : t("review.triage_done")));
    if (q.items.length) {
      const again = el("button", { type: "button", class: "btn-small", id: "triage-restart" }, t("review.triage_restart"));
      again.addEventListener("click", () => {
        q.skipped.clear();
        render();
      });
      empty.append(" ", again);
    }
    return;
  }
  const { guess, runnerUp, labels } = suggestion(c);
  card.dataset.id = String(c.id);
  $("triage-source").replaceChildren(icon(sourceIcon(c.source)), sourceName(c.source));
  $("triage-time").textContent = dateTime(c.created_at, lang());
  $("triage-author").textContent = c.author_display || "";
  $("triage-text").textContent = localMarks(c.display ?? c.text);
  const parts = [];
  if (guess) parts.push(t("review.triage_guess", { name: categoryName(guess, lang()), p: percent(labels.category_confidence ?? null, lang()) }));
  if (runnerUp) parts.push(t("review.triage_runner", { name: categoryName(runnerUp, lang()), p: percent(labels.runner_up_confidence ?? null, lang()) }));
  // The confidence is in the verdict, so the wording follows the verdict: 97 % sure it is NOT a problem
  // reads "looks like no problem: 97 %", never "looks like a problem: 97 %".
  if (labels.problem_confidence !== undefined && labels.problem_confidence !== null) {
    const key = labels.is_problem === false ? "review.triage_not_problem" : "review.triage_problem";
    parts.push(t(key, { p: percent(labels.problem_confidence, lang()) }));
  }
  $("triage-suggest").textContent = parts.join(" · ") || t("review.triage_no_guess");
  renderCats(c);
  if (hadFocus) focusCard();
}

function focusInTriage() {
  const active = document.activeElement;
  return !active || active === document.body || Boolean(active.closest && active.closest("#panel-triage"));
}

function highlightFor(c) {
  const { guess } = suggestion(c || {});
  const i = categories().findIndex((cat) => cat.id === guess);
  return i >= 0 ? i : 0;
}

async function decide(verb, payload, message) {
  const c = q.current;
  if (!c || q.busy) return;
  setBusy(true);
  try {
    await act(c.meeting_id, verb, { comment_ids: [c.id], ...payload });
    q.decided.push(c.id);
    q.first = null;
    q.items = q.items.filter((x) => x.id !== c.id);
    q.pending = Math.max(0, q.pending - 1);
    q.reviewed += 1;
    announce(message);
  } catch (err) {
    showAlert(reviewError(err));
  } finally {
    setBusy(false);
  }
  render();
  focusCard();
  loadQueue(); // the counters as the server has them (a colleague may be triaging too)
}

function classify(index) {
  const cat = categories()[index];
  if (cat) decide("classify", { category: cat.id }, t("review.triage_classified", { name: cat[lang()] || cat.ru }));
}

function skip() {
  if (!q.current) return;
  q.skipped.add(q.current.id);
  q.first = null;
  render();
  focusCard();
}

/** Undo my last decision (anywhere in the workspace); a triage decision brings its comment back first. */
export async function undoTriage() {
  if (q.busy) return;
  setBusy(true);
  try {
    const { result } = await undoLast();
    if (result && ["classify", "not_problem"].includes(result.undone) && q.decided.length) q.first = q.decided.pop();
    showAlert(t("review.undone", { what: t(`review.action.${result.undone}`) }), "info");
    await loadQueue();
  } catch (err) {
    showAlert(reviewError(err));
  } finally {
    setBusy(false);
  }
  render();
  focusCard();
}

function focusCard() {
  if (!isActive()) return;
  const btn = $("triage-cats").querySelector("[aria-checked='true']");
  if (btn) btn.focus();
  else $("triage-empty").focus?.();
}

function move(step) {
  const n = categories().length;
  if (!n || !q.current) return;
  q.highlight = (q.highlight + step + n) % n;
  renderCats(q.current);
  focusCard();
}

function onKey(ev) {
  if (!isActive() || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (q.busy) {
    if (/^(?:Digit|Numpad)[1-9]$|^Key[NSU]$/.test(ev.code || "") || ev.key === "Enter") ev.preventDefault();
    return;
  }
  const target = ev.target;
  if (target.closest && target.closest("input, textarea, select, [contenteditable='true']")) return;
  const inButton = target.closest && target.closest("button");
  // Physical keys (ev.code): the Kazakh layout puts letters on the digit row, Russian moves N/S/U.
  const code = ev.code || "";
  const digit = /^(?:Digit|Numpad)([1-9])$/.exec(code);
  if (digit) classify(Number(digit[1]) - 1);
  else if (ev.key === "ArrowRight" || ev.key === "ArrowDown") move(1);
  else if (ev.key === "ArrowLeft" || ev.key === "ArrowUp") move(-1);
  else if (ev.key === "Enter" && !inButton) classify(q.highlight);
  else if (code === "KeyN") decide("not_problem", {}, t("review.not_problem_done"));
  else if (code === "KeyS") skip();
  else if (code === "KeyU") undoTriage();
  else return;
  ev.preventDefault();
}

/** Show the triage view (reads the queue, focuses the categories). */
export async function showTriage() {
  await loadQueue();
  focusCard();
}

/** Wire the buttons and keys. */
export function initTriage() {
  $("triage-cats").addEventListener("click", (ev) => {
    const btn = ev.target.closest(".triage-cat");
    if (btn) classify(categories().findIndex((c) => c.id === btn.dataset.category));
  });
  $("triage-confirm").addEventListener("click", () => classify(q.highlight));
  $("triage-not").addEventListener("click", () => decide("not_problem", {}, t("review.not_problem_done")));
  $("triage-skip").addEventListener("click", skip);
  $("triage-undo").addEventListener("click", undoTriage);
  document.addEventListener("keydown", onKey);
}

/** Re-label after a language change. */
export const relabelTriage = () => render();
