// One comment as a fixed-height row of the feed. Every piece of citizen text goes in through
// textContent: a comment is data, never markup.

import { clockTime, dateTime, shortDateTime } from "./format.js";
import { lang, localMarks, t } from "./i18n.js";
import { personalBadge } from "./personal-data.js";
import { categoryName as vocabularyName } from "./vocabulary.js";
import { authorOf } from "./feed-store.js";

const SVG = "http://www.w3.org/2000/svg";
const PLATFORM_ICONS = { youtube: "src-youtube", telegram: "src-telegram", instagram: "src-instagram", facebook: "src-facebook",
  floor: "src-floor", file: "src-file", replay: "src-replay" };

/** An `<svg class="icon"><use href="…#name"></svg>`. */
export function icon(name, extraClass = "") {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", `icon ${extraClass}`.trim());
  svg.setAttribute("aria-hidden", "true");
  const use = document.createElementNS(SVG, "use");
  use.setAttribute("href", `/static/img/icons.svg#${name}`);
  svg.append(use);
  return svg;
}

/** The icon of a comment source ("webhook:vk" and unknown names get the link icon). */
export function sourceIcon(source) {
  return PLATFORM_ICONS[source] || (String(source || "").startsWith("webhook") ? "src-webhook" : "message");
}

/** A localised source name, or the raw one for sources we do not know. */
export function sourceName(source) {
  const key = `source.${source}`;
  const text = t(key);
  return text === key ? String(source || "") : text;
}

/** A category's name in the UI language (never its id). */
export function categoryName(code) {
  return vocabularyName(code, lang());
}

/** A language's short badge ("рус", "қаз") in the UI language; an unknown code as it is, never a catalogue key. */
export function langBadge(code) {
  const key = `feed.lang_${code}`;
  const text = t(key);
  return text === key ? String(code).toUpperCase() : text;
}

/** A language's full name in the UI language. */
export function langName(code) {
  const key = `feed.lang_name_${code}`;
  const text = t(key);
  return text === key ? String(code) : text;
}

/** The reason a comment was hidden, in words (our codes are translated, free text is shown as is). */
export function reasonName(reason) {
  if (!reason) return "";
  const key = `hide.reason_${reason}`;
  const text = t(key);
  return text === key ? reason : text;
}

/** "14:05" today, "20.11 14:05" on another day of the year (Almaty); `seconds` (the title): ":09" today, the full date otherwise. */
export function when(iso, seconds = false) {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return "—";
  const day = (x) => dateTime(x, lang()).slice(0, 10);
  if (day(ms) === day(Date.now())) return clockTime(ms, lang(), seconds);
  // after midnight the comments of the evening before carry their date, short enough for the row
  return seconds ? dateTime(ms, lang()) : shortDateTime(ms, lang());
}

function badge(text, kind, title = "") {
  const el = document.createElement("span");
  el.className = `badge badge-${kind}`;
  el.textContent = text;
  if (title) el.title = title;
  return el;
}

/**
 * The badges of a comment, most important first: the head line shows as many as fit, whole (the rest
 * are in its title). On screen / answered / hidden, then the category (which implies "a question"),
 * the private contact, what kind of message it is, its flags, the queue state and the language.
 */
export function badgesOf(c, ctx) {
  const out = [];
  if (ctx.currentId === c.id) out.push(badge(t("feed.on_screen"), "onscreen"));
  if (c.answered_at) out.push(badge(t("feed.answered"), "answered"));
  if (c.hidden) out.push(badge(c.hidden_reason ? t("feed.hidden_because", { reason: reasonName(c.hidden_reason) }) : t("feed.hidden"), "hidden"));
  // A comment the analysis read as no problem (a greeting, thanks, chatter) carries no category chip.
  const category = c.is_problem === false ? "" : categoryName(c.category);
  if (category) out.push(badge(category, c.is_problem === true ? "category is-problem" : "category"));
  else if (c.is_problem === true) out.push(badge(t("feed.problem"), "problem"));
  // Only secretaries and admins ever receive a contact; it is for calling back, never for screens.
  if (c.contact) out.push(badge(`☎ ${c.contact}`, "contact", t("feed.contact_private")));
  const pd = personalBadge(c);
  if (pd) out.push(pd);
  const extra = c.extra || {};
  if (c.kind === "paid") out.push(badge(extra.amount ? t("feed.kind_paid_amount", { amount: extra.amount }) : t("feed.kind_paid"), "paid"));
  else if (c.kind === "sticker") out.push(badge(extra.amount ? t("feed.kind_sticker_amount", { amount: extra.amount }) : t("feed.kind_sticker"), "paid"));
  else if (["membership", "deleted", "placeholder", "request", "floor", "media"].includes(c.kind)) out.push(badge(t(`feed.kind_${c.kind}`), c.kind));
  if (extra.own) out.push(badge(t("feed.own"), "own", t("feed.own_hint")));
  for (const flag of c.flags || []) {
    const key = `feed.flag_${flag}`;
    const text = t(key);
    out.push(badge(text === key ? flag : text, "flag"));
  }
  if (c.clipped) out.push(badge(t("feed.clipped"), "flag"));
  if (ctx.isRetracted(c)) out.push(badge(t("feed.retracted"), "flag"));
  if (c.throttled) out.push(badge(t("feed.throttled"), "throttled", t("feed.throttled_hint")));
  if (!c.answered_at && c.pinned_at) out.push(badge(t("feed.in_queue"), "pinned"));
  if (c._lang) {
    const title = c._langGuessed ? t("feed.lang_guessed") : "";
    const b = badge(langBadge(c._lang), "lang", title || langName(c._lang));
    if (c._langGuessed) b.classList.add("guessed");
    out.push(b);
  }
  return out;
}

function button(act, iconName) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "row-btn";
  b.dataset.act = act;
  b.tabIndex = -1;
  b.append(icon(iconName));
  return b;
}

/** An empty row element, filled later by fillRow. */
export function createRow() {
  const row = document.createElement("article");
  row.className = "feed-row";
  row.tabIndex = -1;
  const head = document.createElement("div");
  head.className = "row-head";
  const src = document.createElement("span");
  src.className = "row-src";
  src.append(icon("message"));
  const srcName = document.createElement("span");
  srcName.className = "visually-hidden";
  src.append(srcName);
  const author = document.createElement("span");
  author.className = "row-author";
  author.dir = "auto";
  const time = document.createElement("time");
  time.className = "row-time num";
  const badges = document.createElement("span");
  badges.className = "row-badges";
  head.append(src, author, time, badges);
  const text = document.createElement("p");
  text.className = "row-text";
  text.dir = "auto";
  const actions = document.createElement("div");
  actions.className = "row-actions";
  actions.append(button("pin", "pin"), button("current", "screen"), button("answered", "check"), button("hide", "eye-off"), button("reveal", "eye"));
  row.append(head, text, actions);
  return row;
}

function setLabel(btn, label, shortcut, pressed) {
  btn.setAttribute("aria-label", label);
  btn.title = shortcut ? `${label} (${shortcut})` : label;
  if (pressed === undefined) btn.removeAttribute("aria-pressed");
  else btn.setAttribute("aria-pressed", String(pressed));
}

/** Put comment `c` into row `row`; `ctx` = {currentId, can: {pin, hide, answered, current, reveal}, isRetracted}. */
export function fillRow(row, c, ctx) {
  row.dataset.id = String(c.id);
  row.dataset.kind = c.kind || "text";
  row.dataset.source = c.source || "";
  row.dataset.hidden = String(Boolean(c.hidden));
  row.dataset.throttled = String(Boolean(c.throttled));
  row.dataset.pinned = String(Boolean(c.pinned_at && !c.answered_at));
  row.dataset.answered = String(Boolean(c.answered_at));
  row.dataset.onscreen = String(ctx.currentId === c.id);
  const [head, text, actions] = row.children;
  const [src, author, time, badges] = head.children;
  src.dataset.source = sourceIcon(c.source);
  src.firstChild.firstChild.setAttribute("href", `/static/img/icons.svg#${sourceIcon(c.source)}`);
  src.title = sourceName(c.source);
  src.lastChild.textContent = sourceName(c.source);
  author.textContent = authorOf(c, t("feed.anonymous"));
  author.classList.toggle("anonymous", !(c.author_display || c.author || c.author_local));
  author.classList.toggle("local-only", Boolean(c.author_local && !c.author));
  author.title = c.author_local && !c.author ? t("feed.name_here_only") : "";
  time.dateTime = c.created_at || "";
  time.textContent = when(c.created_at);
  time.title = `${when(c.created_at, true)} · ${t("feed.received_at", { time: when(c.received_at, true) })}`;
  const list = badgesOf(c, ctx);
  badges.replaceChildren(...list);
  badges.title = list.map((b) => b.textContent).join(" · ");
  let shown = c._revealed ?? localMarks(c.display ?? "");
  if (!shown && c.kind === "deleted") shown = (c.extra && c.extra.reason) || t("feed.deleted_text");
  if (!shown && c.kind === "membership") shown = (c.extra && c.extra.header) || "";
  if (!shown && c.kind === "sticker") shown = (c.extra && c.extra.sticker) || "";
  text.textContent = shown;
  text.title = shown.length > 60 ? shown : "";
  const [pin, current, answered, hide, reveal] = actions.children;
  reveal.hidden = !(ctx.can.reveal && c.personal_data && c.personal_data.length && c._revealed === undefined);
  setLabel(reveal, t("pd.reveal"), "", undefined);
  const pinned = Boolean(c.pinned_at);
  pin.hidden = !ctx.can.pin;
  pin.firstChild.firstChild.setAttribute("href", `/static/img/icons.svg#${pinned ? "unpin" : "pin"}`);
  setLabel(pin, t(pinned ? "feed.unpin" : "feed.pin"), "Enter", pinned);
  current.hidden = !ctx.can.current;
  current.disabled = Boolean(c.hidden);
  setLabel(current, t(ctx.currentId === c.id ? "feed.on_screen_now" : "feed.to_screen"), "S", ctx.currentId === c.id);
  answered.hidden = !ctx.can.answered;
  setLabel(answered, t(c.answered_at ? "feed.unanswer" : "feed.answer"), "A", Boolean(c.answered_at));
  hide.hidden = !ctx.can.hide;
  hide.firstChild.firstChild.setAttribute("href", `/static/img/icons.svg#${c.hidden ? "eye" : "eye-off"}`);
  setLabel(hide, t(c.hidden ? "feed.unhide" : "feed.hide"), "H", undefined);
  row.setAttribute("aria-label", `${sourceName(c.source)}, ${author.textContent}, ${time.textContent}`);
  text.id = `feed-text-${c.id}`;
  row.setAttribute("aria-describedby", text.id);
}
