// What the review and dashboard pages share: the top bar (who I am, language, log out, connection),
// and small DOM builders that only ever put text in with textContent.

import { errorText, showAlert } from "./alerts.js";
import { toLogin } from "./api.js";
import { bindLangSwitch, initialLang, onLangChange, setLang, t } from "./i18n.js";
import { call } from "./review-api.js";
import { registerOffline } from "./offline-support.js";
import { renderTopbarUser } from "./topbar-user.js";

/** `document.getElementById`. */
export const $ = (id) => document.getElementById(id);

/** An element with a class, attributes and children (strings become text nodes, never HTML). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "hidden") node.hidden = Boolean(value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An icon from the sprite, hidden from screen readers (the words next to it carry the meaning). */
export function icon(name, extra = "") {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", `icon ${extra}`.trim());
  svg.setAttribute("aria-hidden", "true");
  const use = document.createElementNS("http://www.w3.org/2000/svg", "use");
  use.setAttribute("href", `/static/img/icons.svg#${name}`);
  svg.append(use);
  return svg;
}

/** The top bar's connection pill: "connecting" | "connected" | "reconnecting" | "offline" | "unauthorized". */
export function setConnection(state) {
  const box = $("connection");
  if (!box) return;
  box.dataset.state = state;
  $("connection-text").textContent = t(`conn.${state}`);
  const name = state === "connected" ? "dot" : state === "offline" || state === "unauthorized" ? "over" : "sync";
  box.querySelector("use").setAttribute("href", `/static/img/icons.svg#${name}`);
  if (state === "unauthorized") {
    showAlert(t("conn.unauthorized"));
    setTimeout(toLogin, 1500);
  }
}

async function logout() {
  try {
    await fetch("/logout", { method: "POST", credentials: "same-origin" });
  } finally {
    location.assign("/login");
  }
}

/** Load the language and who I am, wire the top bar; resolves to /api/v1/meta (user may be null). */
export async function startPage() {
  registerOffline();
  await setLang(initialLang());
  bindLangSwitch($("lang-switch"));
  $("btn-logout").addEventListener("click", logout);
  let meta = { user: null };
  try {
    meta = await call("GET", "/api/v1/meta");
  } catch (err) {
    if (err.status !== 401) showAlert(err.message);
  }
  const renderUser = () => renderTopbarUser(meta.user);
  renderUser();
  onLangChange(() => {
    renderUser();
    const box = $("connection");
    if (box && box.dataset.state) $("connection-text").textContent = t(`conn.${box.dataset.state}`);
  });
  return meta;
}

/** A refusal in words: our review catalogue by code first, then the shared error texts. */
export function reviewError(err) {
  const key = `review.errors.${err && err.code}`;
  const text = t(key);
  return text !== key ? text : errorText(err);
}

/** A comment source in words ("youtube" → "YouTube", "webhook:site" → "Webhook: site"). */
export function sourceName(source) {
  const [base, ...rest] = String(source || "").split(":");
  const key = `source.${base}`;
  const text = t(key);
  if (text !== key) return rest.length ? `${text}: ${rest.join(":")}` : text;
  return base === "webhook" ? t("review.source_webhook", { name: rest.join(":") }) : String(source || "");
}

/** Meeting ids from the address: `?meeting=3` or `?meetings=1,2` (a round). */
export function meetingsFromUrl(search = location.search) {
  const q = new URLSearchParams(search);
  const raw = q.get("meetings") || q.get("meeting") || "";
  return [...new Set(raw.split(",").map((s) => s.trim()).filter((s) => /^\d+$/.test(s)).map(Number))];
}
