// The Q&A queue: pinned questions not yet answered, the oldest pin first, each with "on screen"
// and "answered"; operated by keyboard too (arrows move, Enter or S puts on screen, A answers).

import { lang, localMarks, t, tn } from "./i18n.js";
import { icon, sourceIcon, sourceName, when } from "./feed-row.js";
import { authorOf } from "./feed-store.js";

const $ = (id) => document.getElementById(id);

function actionButton(act, iconName, label, extraClass = "") {
  const b = document.createElement("button");
  b.type = "button";
  b.className = `btn-small ${extraClass}`.trim();
  b.dataset.act = act;
  b.tabIndex = -1;
  b.append(icon(iconName));
  const span = document.createElement("span");
  span.textContent = label;
  b.append(span);
  return b;
}

function item(c, n, ctx, answeredList) {
  const li = document.createElement("li");
  li.className = "queue-item";
  li.dataset.id = String(c.id);
  li.dataset.onscreen = String(ctx.currentId === c.id);
  li.tabIndex = -1;
  const head = document.createElement("div");
  head.className = "queue-head";
  const num = document.createElement("span");
  num.className = "queue-n num";
  num.textContent = answeredList ? "✓" : String(n);
  const src = document.createElement("span");
  src.className = "row-src";
  src.dataset.source = sourceIcon(c.source);
  src.title = sourceName(c.source);
  src.append(icon(sourceIcon(c.source)));
  const author = document.createElement("span");
  author.className = "row-author";
  author.dir = "auto";
  author.textContent = authorOf(c, t("feed.anonymous"));
  if (c.author_local && !c.author) {
    author.classList.add("local-only");
    author.title = t("feed.name_here_only");
  }
  const time = document.createElement("span");
  time.className = "row-time num";
  time.textContent = when(answeredList ? c.answered_at : c.pinned_at);
  head.append(num, src, author, time);
  if (ctx.currentId === c.id) {
    const b = document.createElement("span");
    b.className = "badge badge-onscreen";
    b.textContent = t("feed.on_screen");
    head.append(b);
  }
  const text = document.createElement("p");
  text.className = "queue-text";
  text.dir = "auto";
  text.textContent = localMarks(c.display || "");
  text.id = `queue-text-${c.id}`;
  li.setAttribute("aria-describedby", text.id);
  li.setAttribute("aria-label", `${answeredList ? "" : `${n}. `}${author.textContent}`);
  const actions = document.createElement("div");
  actions.className = "queue-actions";
  if (answeredList) {
    if (ctx.can.answered) actions.append(actionButton("unanswered", "undo", t("queue.back")));
  } else {
    if (ctx.can.current) {
      const on = ctx.currentId === c.id;
      const b = actionButton(on ? "clear" : "current", "screen", t(on ? "queue.off_screen" : "queue.on_screen"), on ? "" : "btn-onair");
      b.setAttribute("aria-keyshortcuts", "S");
      actions.append(b);
    }
    if (ctx.can.answered) {
      const b = actionButton("answered", "check", t("queue.answered"));
      b.setAttribute("aria-keyshortcuts", "A");
      actions.append(b);
    }
    if (ctx.can.pin) {
      const b = actionButton("unpin", "unpin", t("queue.unpin"), "btn-quiet");
      b.setAttribute("aria-keyshortcuts", "Delete");
      actions.append(b);
    }
  }
  li.append(head, text, actions);
  return li;
}

/** The queue box; `run(verb, comment)` performs an action, `ctx()` gives {currentId, can}. */
export class QueueView {
  constructor({ run, ctx }) {
    this.run = run;
    this.ctx = ctx;
    this.queue = [];
    this.answered = [];
    this.focusId = null;
    const list = $("queue-list");
    list.addEventListener("click", (ev) => this.onClick(ev));
    $("answered-list").addEventListener("click", (ev) => this.onClick(ev));
    list.addEventListener("keydown", (ev) => this.onKey(ev));
    list.addEventListener("focusin", (ev) => {
      const li = ev.target.closest(".queue-item");
      if (li) this.focusId = Number(li.dataset.id);
    });
  }

  onClick(ev) {
    const btn = ev.target.closest("button[data-act]");
    const li = ev.target.closest(".queue-item");
    if (!btn || !li) return;
    const c = [...this.queue, ...this.answered].find((x) => String(x.id) === li.dataset.id);
    if (c) this.run(btn.dataset.act, c);
  }

  onKey(ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || !this.queue.length) return;
    const li = ev.target.closest(".queue-item");
    let i = li ? this.queue.findIndex((c) => String(c.id) === li.dataset.id) : 0;
    if (i < 0) i = 0;
    const c = this.queue[i];
    const ctx = this.ctx();
    let handled = true;
    if (ev.key === "ArrowDown") this.focusAt(Math.min(this.queue.length - 1, i + 1));
    else if (ev.key === "ArrowUp") this.focusAt(Math.max(0, i - 1));
    else if (ev.key === "Home") this.focusAt(0);
    else if (ev.key === "End") this.focusAt(this.queue.length - 1);
    else if (((ev.key === "Enter" && ev.target === li) || ev.code === "KeyS") && ctx.can.current) this.run(ctx.currentId === c.id ? "clear" : "current", c);
    else if (ev.code === "KeyA" && ctx.can.answered) this.run("answered", c);
    else if ((ev.key === "Delete" || ev.key === "Backspace") && ctx.can.pin) this.run("unpin", c);
    else handled = false;
    if (handled) ev.preventDefault();
  }

  focusAt(i) {
    const c = this.queue[i];
    if (!c) return;
    this.focusId = c.id;
    const li = $("queue-list").querySelector(`[data-id="${c.id}"]`);
    if (li) li.focus();
  }

  /** Re-render the queue and the answered list. */
  render(queue, answered) {
    this.queue = queue;
    this.answered = answered;
    const ctx = this.ctx();
    // Rebuild only on a real change: a batch of new comments must not swap buttons under the mouse.
    const sig = [lang(), ctx.currentId, JSON.stringify(ctx.can), ...queue.map((c) => `${c.id}:${c.version}`), "|",
      ...answered.slice(0, 50).map((c) => `${c.id}:${c.version}`)].join(",");
    if (sig === this.sig) return;
    this.sig = sig;
    const list = $("queue-list");
    const hadFocus = list.contains(document.activeElement);
    list.replaceChildren(...queue.map((c, i) => item(c, i + 1, ctx, false)));
    // One stop for Tab: the focused (or first) question; arrows move within the list.
    const target = list.querySelector(`[data-id="${this.focusId}"]`) || list.firstElementChild;
    if (target) target.tabIndex = 0;
    if (hadFocus && target) target.focus();
    $("queue-empty").hidden = queue.length > 0;
    $("queue-count").textContent = queue.length ? String(queue.length) : "";
    const box = $("answered-box");
    box.hidden = answered.length === 0;
    $("answered-summary").textContent = tn("queue.answered_count", answered.length);
    $("answered-list").replaceChildren(...answered.slice(0, 50).map((c) => item(c, 0, ctx, true)));
  }
}
