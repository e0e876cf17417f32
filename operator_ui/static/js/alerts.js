// The visible alert region (#alert, aria-live) and a polite announcer for screen readers.

import { t } from "./i18n.js";

let hideTimer = null;

const ICONS = { error: "over", success: "check", info: "info" };

/** Show `text` in #alert; errors stay until dismissed or replaced, others fade after a while. `code` names what it is about. */
export function showAlert(text, kind = "error", code = "") {
  const box = document.getElementById("alert");
  if (!box) return;
  clearTimeout(hideTimer);
  box.replaceChildren();
  box.dataset.kind = kind;
  if (code) box.dataset.code = code;
  else delete box.dataset.code;
  const icon = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  icon.setAttribute("class", "icon");
  icon.setAttribute("aria-hidden", "true");
  const use = document.createElementNS("http://www.w3.org/2000/svg", "use");
  use.setAttribute("href", `/static/img/icons.svg#${ICONS[kind] || "info"}`);
  icon.append(use);
  const msg = document.createElement("span");
  msg.className = "alert-text";
  msg.textContent = text;
  const close = document.createElement("button");
  close.type = "button";
  close.className = "alert-close";
  close.textContent = "×";
  close.setAttribute("aria-label", t("alert.dismiss"));
  close.addEventListener("click", clearAlert);
  box.append(icon, msg, close);
  if (kind !== "error") hideTimer = setTimeout(clearAlert, 6000);
}

/** Empty and hide #alert. */
export function clearAlert() {
  const box = document.getElementById("alert");
  if (!box) return;
  box.replaceChildren();
  delete box.dataset.kind;
  delete box.dataset.code;
}

/** The code of the alert shown now ("" when none or not named). */
export function alertCode() {
  const box = document.getElementById("alert");
  return (box && box.childElementCount && box.dataset.code) || "";
}

/** Localised text for a server error: our catalogue by code when we have one, else its message. */
export function errorText(error) {
  const code = error && error.code;
  const key = `errors.${code}`;
  const known = code ? t(key) : key;
  if (known !== key) return known;
  const message = error && error.message;
  return message ? t("errors.generic", { message }) : t("errors.unknown");
}

/** Say `text` to screen readers through the polite #announcer region. */
export function announce(text) {
  const el = document.getElementById("announcer");
  if (!el) return;
  el.textContent = "";
  setTimeout(() => {
    el.textContent = text;
  }, 50);
}
