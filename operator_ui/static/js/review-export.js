// The 10-day publication package: DOCX / XLSX / HTML / JSON / CSV in Russian or Kazakh, draft or
// final; a refused final export lists the problems that block it, each a link to open it.

import { announce, clearAlert, showAlert } from "./alerts.js";
import { t } from "./i18n.js";
import { fetchFile, saveFile } from "./review-api.js";
import { $, el, reviewError } from "./review-page.js";
import { loadProblems, store } from "./review-store.js";

let openProblem = () => {};

function choice(name) {
  const checked = document.querySelector(`input[name='${name}']:checked`);
  return checked ? checked.value : "";
}

/** The export address for the current scope. */
export function reportUrl(fmt, lang, final) {
  const q = new URLSearchParams({ lang });
  if (final) q.set("final", "1");
  if (store.scope.length === 1) return `/api/v1/meetings/${store.scope[0]}/report.${fmt}?${q}`;
  q.set("meetings", store.scope.join(","));
  return `/api/v1/report.${fmt}?${q}`;
}

function fieldNames(fields) {
  const lower = (text) => text.charAt(0).toLocaleLowerCase() + text.slice(1);
  return fields.map((f) => lower(t(`review.f_${f}`))).join(", ");
}

async function showBlocked(missing) {
  // The numbers are ranks in the list as the server sees it now: read it again to link them.
  try {
    await loadProblems();
  } catch {
    /* keep the links we have */
  }
  const items = missing.map((m) => {
    const p = store.ranked[m.number - 1];
    const link = p
      ? el("a", { href: `#problem-${p.id}`, dataset: { open: String(p.id) } }, `${m.number}. ${m.title}`)
      : el("span", {}, `${m.number}. ${m.title}`);
    return el("li", { dataset: { number: String(m.number) } }, link, el("span", { class: "blocked-fields" }, ` — ${t("review.blocked_missing", { fields: fieldNames(m.fields || []) })}`));
  });
  $("blocked-list").replaceChildren(...items);
  $("export-blocked").hidden = false;
  $("export-blocked").querySelector("h3").tabIndex = -1;
  $("export-blocked").querySelector("h3").focus();
}

async function exportAs(fmt, button) {
  if (!store.scope.length) return;
  const lang = choice("export-lang") || "ru";
  const final = choice("export-mode") === "final";
  const result = $("export-result");
  $("export-blocked").hidden = true;
  button.disabled = true;
  result.textContent = t("review.export_working");
  try {
    const file = await fetchFile(reportUrl(fmt, lang, final), `tyndau-${store.scope.join("-")}-${lang}.${fmt}`);
    saveFile(file);
    clearAlert();
    result.textContent = t("review.export_done", { name: file.filename });
    announce(result.textContent);
  } catch (err) {
    result.textContent = "";
    if (err.code === "final_blocked" && Array.isArray(err.body.missing)) await showBlocked(err.body.missing);
    else showAlert(reviewError(err));
  } finally {
    button.disabled = false;
  }
}

/** Wire the format buttons; `open(id)` shows a problem from the blocking list. */
export function initExport(open) {
  openProblem = open;
  for (const button of document.querySelectorAll("[data-format]")) {
    button.addEventListener("click", () => exportAs(button.dataset.format, button));
  }
  $("blocked-list").addEventListener("click", (ev) => {
    const a = ev.target.closest("a[data-open]");
    if (!a) return;
    ev.preventDefault();
    openProblem(Number(a.dataset.open));
  });
}
