// The comments of the open problem (source, time, text) and what a secretary does with some of
// them: split them off into a new problem, move them to another one, or say "not a problem".

import { announce, showAlert } from "./alerts.js";
import { dateTime } from "./format.js";
import { lang, localMarks, t, tn } from "./i18n.js";
import { langBadge, langName } from "./feed-row.js";
import { sourceIcon, titleIn } from "./review-model.js";
import { $, el, icon, reviewError, sourceName } from "./review-page.js";
import { act, store } from "./review-store.js";

const picked = new Set();
let shownFor = null;

function commentItem(c) {
  const id = String(c.id);
  const box = el("input", { type: "checkbox", class: "pick-comment", dataset: { id }, "aria-label": t("review.pick_comment") });
  box.checked = picked.has(c.id);
  box.hidden = !store.canEdit;
  const src = c.source.split(":")[0];
  return el("li", { class: "comment", dataset: { id, source: src, selected: picked.has(c.id) ? "true" : "false" } },
    box,
    el("div", { class: "comment-body" },
      el("p", { class: "comment-meta" },
        el("span", { class: "src-name" }, icon(sourceIcon(c.source)), sourceName(c.source)),
        el("time", { class: "num", datetime: c.created_at }, dateTime(c.created_at, lang())),
        el("span", { class: "comment-author" }, c.author_display || t("review.anonymous")),
        c.lang ? el("span", { class: "comment-lang", title: langName(c.lang) }, langBadge(c.lang)) : null,
        c.locked ? el("span", { class: "comment-locked", title: t("review.locked_hint") }, t("review.locked")) : null),
      el("p", { class: "comment-text", dir: "auto" }, localMarks(c.display ?? c.text))));
}

function pickedIds(pane) {
  return pane.comments.filter((c) => picked.has(c.id)).map((c) => c.id);
}

function updateTools(pane) {
  const n = pickedIds(pane).length;
  const editable = store.canEdit;
  $("comment-tools").hidden = !editable || !pane.comments.length;
  $("comments-picked").textContent = n ? tn("review.comments_picked", n) : "";
  $("comment-tools").dataset.picked = String(n);
  $("btn-split").disabled = !n || n === pane.comments.length;
  $("btn-move").disabled = !n || !$("move-target").value;
  $("btn-not-problem").disabled = !n;
  const all = $("comments-all");
  all.checked = n > 0 && n === pane.comments.length;
  all.indeterminate = n > 0 && n < pane.comments.length;
}

function fillMoveTargets(pane) {
  const keep = $("move-target").value;
  const others = store.ranked.filter((p) => p.meeting_id === pane.meetingId && p.id !== pane.id);
  const options = [el("option", { value: "" }, t("review.move_to_choose"))];
  for (const p of others) options.push(el("option", { value: String(p.id) }, `${p.rank}. ${titleIn(p, lang())}`));
  $("move-target").replaceChildren(...options);
  $("move-target").value = others.some((p) => String(p.id) === keep) ? keep : "";
}

/** Draw the comment list of the open problem (keeps the ticks of comments still there). */
export function renderComments(pane) {
  if (shownFor !== pane.id) {
    picked.clear();
    shownFor = pane.id;
    $("split-title").value = "";
  }
  const present = new Set(pane.comments.map((c) => c.id));
  for (const id of [...picked]) if (!present.has(id)) picked.delete(id);
  $("comments-heading").textContent = tn("review.comments_heading", pane.comments.length);
  $("comment-list").replaceChildren(...pane.comments.map(commentItem));
  fillMoveTargets(pane);
  updateTools(pane);
}

async function run(pane, verb, payload, touched, done) {
  const buttons = [$("btn-split"), $("btn-move"), $("btn-not-problem")];
  for (const b of buttons) b.disabled = true;
  try {
    const result = await act(pane.meetingId, verb, payload, touched);
    picked.clear();
    renderComments(pane); // the pane re-reads its comments when the store reports the change
    done(result);
  } catch (err) {
    showAlert(reviewError(err));
    updateTools(pane);
  }
}

/** Wire ticks and the split / move / not-a-problem buttons. */
export function initComments(pane) {
  $("comment-list").addEventListener("change", (ev) => {
    const box = ev.target.closest("input.pick-comment");
    if (!box) return;
    const id = Number(box.dataset.id);
    if (box.checked) picked.add(id);
    else picked.delete(id);
    box.closest(".comment").dataset.selected = box.checked ? "true" : "false";
    updateTools(pane);
  });
  $("comments-all").addEventListener("change", (ev) => {
    picked.clear();
    if (ev.target.checked) for (const c of pane.comments) picked.add(c.id);
    renderComments(pane);
  });
  $("move-target").addEventListener("change", () => updateTools(pane));
  $("btn-split").addEventListener("click", () => {
    const ids = pickedIds(pane);
    const title = $("split-title").value.trim();
    const payload = { problem_id: pane.id, comment_ids: ids };
    if (title) payload.title_ru = title;
    run(pane, "split", payload, [pane.id], (result) => {
      $("split-title").value = "";
      const made = store.problems.get(result.problem.id);
      const text = t("review.split_done", { n: made ? made.rank : "" });
      showAlert(text, "success");
      announce(text);
    });
  });
  $("btn-move").addEventListener("click", () => {
    const to = Number($("move-target").value);
    const target = store.problems.get(to);
    run(pane, "move", { to_problem_id: to, comment_ids: pickedIds(pane) }, [pane.id, to], () => {
      const text = t("review.move_done", { n: target ? target.rank : "" });
      showAlert(text, "success");
      announce(text);
    });
  });
  $("btn-not-problem").addEventListener("click", () => {
    run(pane, "not_problem", { comment_ids: pickedIds(pane) }, [pane.id], () => {
      showAlert(t("review.not_problem_done"), "success");
      announce(t("review.not_problem_done"));
    });
  });
}
