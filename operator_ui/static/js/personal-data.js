// Personal data in a comment: the marker that something was hidden, the warning before such a
// comment goes on screen, and the audited reveal of the original (secretaries and admins only).
// The server redacts every text it sends; the original only ever comes back from a reveal.

import { api } from "./api.js";
import { t } from "./i18n.js";

/** "телефон, ИИН" — the kinds of personal data a comment had hidden, in words. */
export function kindsText(kinds) {
  return (kinds || []).map((k) => {
    const key = `pd.kind_${k}`;
    const text = t(key);
    return text === key ? k : text;
  }).join(", ");
}

/** The marker badge for a comment that had personal data hidden (null when it had none). */
export function personalBadge(c) {
  if (!c.personal_data || !c.personal_data.length) return null;
  const el = document.createElement("span");
  el.className = "badge badge-personal";
  el.dataset.testid = "pd-badge";
  el.textContent = c._revealed !== undefined ? t("pd.revealed") : t("pd.hidden", { kinds: kindsText(c.personal_data) });
  el.title = c._revealed !== undefined ? t("pd.revealed_hint") : t("pd.hidden_hint");
  return el;
}

/** Ask before a comment with personal data goes on the presenter screen and the stream. */
export function confirmOnScreen(c) {
  if (!c.personal_data || !c.personal_data.length) return true;
  return window.confirm(t("pd.confirm_on_screen", { kinds: kindsText(c.personal_data) }));
}

/** Fetch the original text of a comment (the server checks the role and writes the audit log). */
export async function revealOriginal(meetingId, commentId) {
  const body = await api("POST", `/api/v1/meetings/${encodeURIComponent(meetingId)}/comments/${encodeURIComponent(commentId)}/reveal`, {});
  return body || null;
}
