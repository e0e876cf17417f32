// The Sources box: each platform source of the meeting with its health (state in words, icon and
// colour; last message; counts), stop/start, and the form to add one (drawn from the kinds' options
// the server serves: source-form.js).

import { errorText, showAlert } from "./alerts.js";
import { api } from "./api.js";
import { t } from "./i18n.js";
import { icon, when } from "./feed-row.js";
import { kindFields, kindName, kindOption, readConfig } from "./source-form.js";
import { loadVocabulary, sourceForms } from "./vocabulary.js";

const $ = (id) => document.getElementById(id);

const STATE_ICON = { connected: "dot", starting: "sync", waiting: "sync", lagging: "warning", down: "over", failed: "over", stopped: "stop", finished: "check" };
// A source kind's icon is its platform's: "instagram_webhook" → "src-instagram".
const kindIcon = (kind) => `src-${String(kind || "").split("_")[0]}`;

/** Why a source is in its state, from the server's reason code and parameters (English detail as a last resort). */
export function reasonText(h) {
  if (!h || !h.code) return (h && h.detail) || "";
  const key = `sources.code_${h.code}`;
  const text = t(key, h.params || {});
  const out = text === key ? h.detail || "" : text;
  return h.restarts ? `${out} (${t("sources.restarts", { n: h.restarts })})` : out;
}

/** Our words for an error, plus the server's own explanation of invalid input (it names the field). */
export function failText(err) {
  const base = errorText(err);
  return err && err.code === "invalid" && err.message ? `${base} ${err.message}` : base;
}

/** What a source follows: its kind's form options that are set and not the default (never a secret; a path by its file name). */
function summary(s) {
  const c = s.config || {};
  const form = sourceForms().find((f) => f.kind === s.kind);
  const options = form ? form.options : Object.keys(c).map((name) => ({ name }));
  return options
    .filter((o) => o.type !== "secret" && c[o.name] !== undefined && c[o.name] !== "" && c[o.name] !== o.default && c[o.name] !== "***")
    .map((o) => {
      const value = String(c[o.name]);
      return o.type !== "url" && value.includes("/") && !/^https?:/.test(value) ? value.split("/").pop() : value;
    })
    .join(" · ");
}

function ago(iso) {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return "";
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 60 ? t("sources.ago_s", { n: s }) : t("sources.ago_m", { n: Math.floor(s / 60) });
}

export class SourcesView {
  /** `canOperate()`: may this user start and stop sources; `meetingId()`: the followed meeting. */
  constructor({ canOperate, meetingId }) {
    this.canOperate = canOperate;
    this.meetingId = meetingId;
    this.items = [];
    this.elements = new Map();
    $("source-list").addEventListener("click", (ev) => this.onClick(ev));
    $("source-form").addEventListener("submit", (ev) => this.onSubmit(ev));
    $("source-kind").addEventListener("change", () => this.showFields());
    loadVocabulary().then(() => this.drawForm());
    setInterval(() => this.items.length && this.render(), 5000);
  }

  /** One group of fields per kind the server runs, from its option schema. */
  drawForm() {
    const forms = sourceForms();
    $("source-kind").replaceChildren(...forms.map(kindOption));
    $("source-fields").replaceChildren(...forms.map(kindFields));
    this.showFields();
  }

  showFields() {
    const kind = $("source-kind").value;
    for (const el of $("source-fields").children) {
      const on = el.dataset.kind === kind;
      el.hidden = !on;
      for (const input of el.querySelectorAll("input, select")) input.disabled = !on;
    }
  }

  /** Load the meeting's sources (all of them, stopped ones too). */
  async load() {
    const id = this.meetingId();
    if (id === null) return;
    try {
      const data = await api("GET", `/api/v1/meetings/${encodeURIComponent(id)}/sources`);
      if (String(id) === String(this.meetingId())) {
        this.items = (data && data.items) || [];
        this.render();
      }
    } catch (err) {
      $("sources-status").textContent = failText(err);
    }
  }

  clear() {
    this.items = [];
    this.render();
  }

  /** Live health of running sources (pushed every few seconds). */
  applyHealth(list) {
    let unknown = false;
    for (const h of list || []) {
      const s = this.items.find((x) => x.id === h.id);
      if (s) s.health = h;
      else unknown = true;
    }
    if (unknown) this.load();
    else this.render();
  }

  /** One source's element, made once and updated in place (its button must not vanish mid-click). */
  element(s) {
    let el = this.elements.get(s.id);
    if (el) return el;
    const li = document.createElement("li");
    li.className = "source";
    li.dataset.id = String(s.id);
    const top = document.createElement("div");
    top.className = "source-top";
    const kind = document.createElement("span");
    kind.className = "source-kind";
    kind.append(icon(s.kind ? kindIcon(s.kind) : "message"));
    const name = document.createElement("span");
    kind.append(name);
    const chip = document.createElement("span");
    chip.className = "source-state";
    const chipIcon = icon("info");
    const word = document.createElement("span");
    chip.append(chipIcon, word);
    top.append(kind, chip);
    const what = document.createElement("p");
    what.className = "source-what";
    const facts = document.createElement("p");
    facts.className = "source-facts muted";
    const detail = document.createElement("p");
    detail.className = "source-detail";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn-small btn-quiet";
    const buttonIcon = icon("stop");
    const label = document.createElement("span");
    button.append(buttonIcon, label);
    li.append(top, what, facts, detail, button);
    el = { li, name, chip, chipIcon, word, what, facts, detail, button, buttonIcon, label };
    this.elements.set(s.id, el);
    return el;
  }

  render() {
    const operate = this.canOperate();
    const list = $("source-list");
    const wanted = this.items.map((s) => {
      const h = s.health || {};
      const state = h.state || (s.running ? "starting" : "stopped");
      const el = this.element(s);
      el.li.dataset.state = state;
      el.name.textContent = kindName(s.kind);
      el.chip.dataset.state = state;
      el.chipIcon.firstChild.setAttribute("href", `/static/img/icons.svg#${STATE_ICON[state] || "info"}`);
      el.word.textContent = t(`sources.state_${state}`);
      el.what.textContent = summary(s);
      el.what.title = el.what.textContent;
      const last = h.last_message_at ? t("sources.last", { time: when(h.last_message_at, true), ago: ago(h.last_message_at) }) : t("sources.no_messages");
      el.facts.textContent = `${last} · ${t("sources.counts", { received: h.received ?? 0, skipped: h.skipped ?? 0 })}`;
      el.detail.textContent = reasonText(h);
      el.detail.hidden = !el.detail.textContent;
      const running = s.running && !["stopped", "finished", "failed"].includes(state);
      el.button.hidden = !operate;
      el.button.dataset.verb = running ? "stop" : "start";
      el.buttonIcon.firstChild.setAttribute("href", `/static/img/icons.svg#${running ? "stop" : "play"}`);
      el.label.textContent = t(running ? "sources.stop" : "sources.start");
      return el.li;
    });
    const ids = new Set(this.items.map((s) => s.id));
    for (const id of [...this.elements.keys()]) if (!ids.has(id)) this.elements.delete(id);
    if (wanted.length !== list.children.length || wanted.some((li, i) => list.children[i] !== li)) list.replaceChildren(...wanted);
    $("sources-empty").hidden = this.items.length > 0;
    $("source-add").hidden = !operate;
  }

  async onClick(ev) {
    const btn = ev.target.closest("button[data-verb]");
    const li = ev.target.closest(".source");
    if (!btn || !li) return;
    btn.disabled = true;
    try {
      const id = this.meetingId();
      const s = await api("POST", `/api/v1/meetings/${encodeURIComponent(id)}/sources/${li.dataset.id}/${btn.dataset.verb}`, {});
      const i = this.items.findIndex((x) => x.id === s.id);
      if (i >= 0) this.items[i] = s;
      this.render();
    } catch (err) {
      showAlert(errorText(err));
    } finally {
      btn.disabled = false;
    }
  }

  async onSubmit(ev) {
    ev.preventDefault();
    const form = $("source-form");
    const kind = $("source-kind").value;
    const box = [...$("source-fields").children].find((el) => el.dataset.kind === kind);
    // The kind's group holds exactly the options the server takes for it.
    const config = box ? readConfig(box) : {};
    const status = $("sources-status");
    status.textContent = "";
    const submit = form.querySelector("[type=submit]");
    submit.disabled = true;
    try {
      await api("POST", `/api/v1/meetings/${encodeURIComponent(this.meetingId())}/sources`, { kind, config });
      form.reset();
      this.showFields();
      $("source-add").open = false;
      showAlert(t("sources.added"), "success");
      await this.load();
    } catch (err) {
      status.textContent = failText(err);
    } finally {
      submit.disabled = false;
    }
  }
}
