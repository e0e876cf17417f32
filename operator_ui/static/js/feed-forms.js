// The feed's two small forms: the hide dialog (a reason is required; nothing is ever deleted) and
// the hall-question box (name and contact stay private; optionally straight into the queue).

import { t } from "./i18n.js";
import { failText } from "./feed-sources.js";

const $ = (id) => document.getElementById(id);

/** The "hide with a reason" dialog; `onHide(comment, reason)` runs after the user confirms. */
export class HideDialog {
  constructor({ onHide, onClose }) {
    this.target = null;
    $("hide-form").addEventListener("submit", (ev) => this.submit(ev));
    $("hide-form").addEventListener("change", () => this.syncOther());
    $("hide-cancel").addEventListener("click", () => {
      $("hide-dialog").close();
      onClose();
    });
    this.onHide = onHide;
    this.onClose = onClose;
  }

  open(c) {
    this.target = c;
    $("hide-form").reset();
    $("hide-quote").textContent = c.display || "";
    $("hide-author").textContent = c.author_display || c.author || t("feed.anonymous");
    $("hide-error").textContent = "";
    this.syncOther();
    $("hide-dialog").showModal();
    $("hide-dialog").querySelector("input[name=reason]").focus();
  }

  syncOther() {
    const other = $("hide-form").querySelector("input[name=reason][value=other]").checked;
    $("hide-other").disabled = !other;
    $("hide-other").required = other;
  }

  async submit(ev) {
    ev.preventDefault();
    const picked = $("hide-form").querySelector("input[name=reason]:checked");
    if (!picked) {
      $("hide-error").textContent = t("hide.pick_reason");
      return;
    }
    let reason = picked.value;
    if (reason === "other") {
      reason = $("hide-other").value.trim();
      if (!reason) {
        $("hide-error").textContent = t("hide.say_why");
        $("hide-other").focus();
        return;
      }
    }
    const c = this.target;
    $("hide-dialog").close();
    if (c) await this.onHide(c, reason);
    this.onClose();
  }
}

/**
 * Wire the hall-question form: `send(payload)` resolves to the ack ({id}); `pin(id)` queues it;
 * `named(id, name)` keeps the name typed here (the server never sends it back to a moderator).
 */
export function bindFloorForm({ send, pin, named = () => {} }) {
  // "Type the question" goes as soon as there is a question.
  $("floor-text").addEventListener("input", () => {
    if ($("floor-text").value.trim() && $("floor-status").textContent === t("floor.need_text")) $("floor-status").textContent = "";
  });
  $("floor-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = $("floor-text").value.trim();
    const status = $("floor-status");
    if (!text) {
      status.textContent = t("floor.need_text");
      $("floor-text").focus();
      return;
    }
    const btn = $("floor-submit");
    btn.disabled = true;
    try {
      const author = $("floor-author").value.trim();
      const ack = await send({ text, author, contact: $("floor-contact").value.trim() });
      if (ack && ack.id && author) named(ack.id, author);
      if ($("floor-pin").checked && ack.id) await pin(ack.id);
      $("floor-form").reset();
      $("floor-pin").checked = true;
      status.textContent = t("floor.added");
      $("floor-text").focus();
    } catch (err) {
      status.textContent = failText(err);
    } finally {
      btn.disabled = false;
    }
  });
}
