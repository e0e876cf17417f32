// The import dialog: pooled requests from a CSV/XLSX export (or a saved YouTube chat). Choose a
// file, see the first rows as they would be imported, fix the column mapping, then import.

import { ApiError, toLogin } from "./api.js";
import { showAlert } from "./alerts.js";
import { t } from "./i18n.js";
import { failText } from "./feed-sources.js";

const $ = (id) => document.getElementById(id);

export const FIELDS = ["text", "author", "created_at", "external_id", "contact", "lang"];

/** POST a multipart form; resolves to the JSON answer, rejects with ApiError. */
async function upload(path, form) {
  let res;
  try {
    res = await fetch(path, { method: "POST", body: form, credentials: "same-origin", headers: { Accept: "application/json" } });
  } catch (err) {
    throw new ApiError(0, { code: "network", message: String(err && err.message ? err.message : err) });
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (res.status === 401) {
    toLogin();
    throw new ApiError(401, data && data.error);
  }
  if (!res.ok) throw new ApiError(res.status, data && data.error ? data.error : { message: `HTTP ${res.status}` });
  return data;
}

/** The server's row notes in the UI language where we know the phrase; anything else as sent. */
export function problemText(text) {
  let m = /^(row|line) (\d+): (.*)$/s.exec(text || "");
  if (m) return t(`import.${m[1]}_prefix`, { n: m[2] }) + problemText(m[3]);
  if (text === "empty text: row skipped") return t("import.p_empty");
  m = /^unreadable date "(.*)": import time used$/s.exec(text || "");
  if (m) return t("import.p_date", { value: m[1] });
  m = /^(contact|external_id) "(.*)" is in scientific notation/s.exec(text || "");
  if (m) return t("import.p_scientific", { field: t(`import.field_${m[1]}`), value: m[2] });
  return text;
}

/** What the server detected about the file and why, one line each, in the UI language. */
export function detectedLines(detected) {
  const out = [];
  for (const name of ["encoding", "delimiter", "sheet", "header_row", "header_rows", "title_rows", "footer_rows", "dates"]) {
    const d = detected[name];
    if (!d) continue;
    if (name === "header_rows" && d.value === 1 && d.code !== "given") continue;
    const params = d.params || {};
    const why = t(`import.why_${d.code}`, params);
    const value = d.value === "\t" ? "Tab" : Array.isArray(d.value) ? d.value.join(", ") : d.value;
    out.push(t(`import.d_${name}`, { ...params, value, why }));
  }
  return out;
}

function cell(text, tag = "td") {
  const el = document.createElement(tag);
  el.textContent = text ?? "";
  if (tag === "td") el.dir = "auto";
  return el;
}

export class ImportDialog {
  constructor({ meetingId }) {
    this.meetingId = meetingId;
    this.preview = null;
    this.busy = false;
    const dialog = $("import-dialog");
    $("import-file").addEventListener("change", () => this.refresh(true));
    $("import-sheet").addEventListener("change", () => this.refresh(false));
    $("import-mapping").addEventListener("change", () => this.refresh(false));
    $("import-read").addEventListener("change", () => this.refresh(false));
    $("import-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.run();
    });
    $("import-close").addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => this.reset());
    this.buildMapping();
  }

  open() {
    this.reset();
    $("import-dialog").showModal();
    $("import-file").focus();
  }

  reset() {
    $("import-form").reset();
    this.preview = null;
    $("import-mapping").hidden = true;
    $("import-read").hidden = true;
    $("import-detected").replaceChildren();
    $("import-meta").textContent = "";
    $("import-problems").replaceChildren();
    $("import-preview").hidden = true;
    $("import-result").textContent = "";
    $("import-result").dataset.kind = "";
    $("import-submit").disabled = true;
  }

  buildMapping() {
    const grid = $("import-map-grid");
    grid.replaceChildren(...FIELDS.map((field) => {
      const wrap = document.createElement("div");
      wrap.className = "field";
      const label = document.createElement("label");
      label.htmlFor = `import-map-${field}`;
      label.dataset.field = field;
      const select = document.createElement("select");
      select.id = `import-map-${field}`;
      select.dataset.field = field;
      wrap.append(label, select);
      return wrap;
    }));
    this.relabel();
  }

  /** Labels after a language change. */
  relabel() {
    for (const label of $("import-map-grid").querySelectorAll("label[data-field]")) {
      label.textContent = t(`import.field_${label.dataset.field}`) + (label.dataset.field === "text" ? " *" : "");
    }
    for (const select of $("import-map-grid").querySelectorAll("select")) {
      if (select.options.length) select.options[0].textContent = t("import.auto");
    }
    if (this.preview) this.renderPreview();
  }

  mapping() {
    const out = {};
    for (const select of $("import-map-grid").querySelectorAll("select")) if (select.value) out[select.dataset.field] = select.value;
    return out;
  }

  /** The operator's corrections of how the file is read (empty: let the server detect). */
  options() {
    const out = {};
    for (const el of $("import-read").querySelectorAll("[data-option]")) {
      if (el.value === "") continue;
      out[el.dataset.option] = ["header_row", "header_rows"].includes(el.dataset.option) ? Number(el.value) : el.value;
    }
    return out;
  }

  form(withMapping) {
    const form = new FormData();
    const file = $("import-file").files[0];
    form.append("file", file, file.name);
    if (withMapping) form.append("mapping", JSON.stringify(this.mapping()));
    form.append("options", JSON.stringify(this.options()));
    const sheet = $("import-sheet").value.trim();
    if (sheet) form.append("sheet", sheet);
    return form;
  }

  /** Ask for a preview (`fresh`: a new file, let the server guess the mapping). */
  async refresh(fresh) {
    const file = $("import-file").files[0];
    $("import-result").textContent = "";
    if (!file) return;
    const status = $("import-meta");
    status.textContent = t("import.reading");
    $("import-submit").disabled = true;
    try {
      this.preview = await upload(`/api/v1/meetings/${encodeURIComponent(this.meetingId())}/imports?preview=1`, this.form(!fresh));
      this.renderPreview(fresh);
    } catch (err) {
      this.preview = null;
      status.textContent = "";
      this.say(failText(err), "error");
    }
  }

  renderPreview(fillSelects = false) {
    const p = this.preview;
    const table = p.kind !== "live_chat";
    $("import-mapping").hidden = !table;
    if (table && (fillSelects || !$("import-map-grid").querySelector("option[value]:not([value=''])"))) {
      for (const select of $("import-map-grid").querySelectorAll("select")) {
        const auto = document.createElement("option");
        auto.value = "";
        auto.textContent = t("import.auto");
        select.replaceChildren(auto, ...p.columns.map((col) => {
          const o = document.createElement("option");
          o.value = col;
          o.textContent = col;
          return o;
        }));
        select.value = (p.mapping || {})[select.dataset.field] || "";
      }
    }
    const facts = [t(`import.kind_${p.kind}`), t("import.rows", { n: p.total_rows })];
    if (p.encoding) facts.push(t("import.encoding", { encoding: p.encoding }));
    if (p.delimiter) facts.push(t("import.delimiter", { delimiter: p.delimiter === "\t" ? "Tab" : p.delimiter }));
    $("import-meta").textContent = facts.join(" · ");
    $("import-problems").replaceChildren(...(p.problems || []).slice(0, 30).map((text) => cell(problemText(text), "li")));
    $("import-read").hidden = !table;
    for (const el of $("import-read").querySelectorAll("[data-csv]")) el.hidden = p.kind !== "csv";
    $("import-detected").replaceChildren(...detectedLines(p.detected || {}).map((text) => cell(text, "li")));
    const mapped = p.kind === "live_chat" || Object.keys(p.mapping || {}).length > 0;
    const heads = mapped ? ["row", ...FIELDS, "problems"] : ["row", ...p.columns];
    const thead = document.createElement("tr");
    thead.append(...heads.map((h) => cell(mapped || h === "row" ? t(`import.col_${h}`) : h, "th")));
    $("import-preview-head").replaceChildren(thead);
    $("import-preview-body").replaceChildren(...(p.rows || []).map((r) => {
      const tr = document.createElement("tr");
      if (mapped && !r.comment) tr.dataset.skipped = "true";
      const values = r.values || {};
      tr.append(cell(String(r.row ?? r.number ?? "")));
      if (mapped) {
        for (const f of FIELDS) tr.append(cell(values[f] || ""));
        tr.append(cell((r.problems || []).map(problemText).join("; ")));
      } else for (const col of p.columns) tr.append(cell(values[col] || ""));
      return tr;
    }));
    $("import-preview").hidden = false;
    $("import-submit").disabled = !mapped || !p.total_rows;
    $("import-submit").textContent = t("import.submit", { n: p.total_rows });
  }

  say(text, kind) {
    const out = $("import-result");
    out.textContent = text;
    out.dataset.kind = kind;
  }

  async run() {
    if (this.busy || !$("import-file").files[0]) return;
    this.busy = true;
    $("import-submit").disabled = true;
    this.say(t("import.importing"), "info");
    try {
      const r = await upload(`/api/v1/meetings/${encodeURIComponent(this.meetingId())}/imports`, this.form(true));
      this.say(t("import.done", { rows: r.rows, imported: r.imported, duplicates: r.duplicates, skipped: r.skipped }), "success");
      $("import-problems").replaceChildren(...(r.problems || []).slice(0, 50).map((text) => cell(problemText(text), "li")));
      showAlert(t("import.done_short", { imported: r.imported }), "success");
    } catch (err) {
      this.say(failText(err), "error");
      $("import-submit").disabled = false;
    } finally {
      this.busy = false;
    }
  }
}
