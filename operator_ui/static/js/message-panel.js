// The moderator's short message to the presenter screen: free text, quick phrases, clear.

import { errorText, showAlert } from "./alerts.js";
import { clockTime } from "./format.js";
import { lang, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);

let current = null;

/** Show what the presenter screen currently displays. */
export function renderMessage(message) {
  current = message;
  const text = message && message.text ? message.text : "";
  const out = $("message-current");
  out.textContent = text || t("msg.none");
  out.dataset.empty = text ? "false" : "true";
  $("message-at").textContent = text && message.at ? t("msg.since", { time: clockTime(message.at, lang()) }) : "";
  $("btn-message-clear").disabled = !text || $("message-text").disabled;
}

/** The message text from a Meeting's `presenter_message` (a string or {text, at}). */
export function messageOfMeeting(meeting) {
  const m = meeting ? meeting.presenter_message : null;
  if (!m) return { text: "", at: null };
  if (typeof m === "string") return { text: m, at: meeting.presenter_message_at || null };
  return { text: m.text || "", at: m.at || null };
}

/** Wire the message form; `send(text)` resolves when the server acknowledged it. */
export function bindMessagePanel(send) {
  const deliver = async (text) => {
    try {
      await send(text);
      renderMessage({ text, at: new Date().toISOString() });
      showAlert(t(text ? "msg.sent" : "msg.cleared"), "success");
      return true;
    } catch (err) {
      showAlert(errorText(err), "error", err.code || "");
      return false;
    }
  };
  $("message-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const input = $("message-text");
    const text = input.value.trim();
    if (!text) {
      input.focus();
      return;
    }
    if (await deliver(text)) input.value = "";
  });
  for (const btn of document.querySelectorAll("[data-quick]")) {
    btn.addEventListener("click", () => deliver(t(btn.dataset.quick)));
  }
  $("btn-message-clear").addEventListener("click", () => deliver(""));
  renderMessage(current);
}

/** Re-render after a language change. */
export function relabelMessage() {
  renderMessage(current);
}
