// The 10-day publication package: DOCX / XLSX / HTML / JSON / CSV in Russian or Kazakh, draft or
// final. A final package holds the accepted problems only: the drafts nobody accepted are left out
// and listed here; a refused final export lists the accepted problems that block it, as links.

import { announce, clearAlert, showAlert } from "./alerts.js";
import { lang, t, tn } from "./i18n.js";
import { call, fetchFile, saveFile } from "./review-api.js";
import { titleIn } from "./review-model.js";
import { $, el, reviewError } from "./review-page.js";
import { loadProblems, meetingOf, store, subscribe } from "./review-store.js";

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

function titleOf(p) {
  return titleIn(p, lang()) || t("review.untitled");
}

function link(p, text) {
  return el("a", { href: `#problem-${p.id}`, dataset: { open: String(p.id) } }, text);
}

/** What a final package would hold now: the accepted problems, and the drafts it leaves out. */
function renderScope() {
  const final = choice("export-mode") === "final";
  const box = $("export-scope");
  box.hidden = !final || !store.scope.length;
  if (box.hidden) return;
  const accepted = store.ranked.filter((p) => p.accepted);
  const left = store.ranked.filter((p) => !p.accepted);
  $("export-scope-text").textContent = accepted.length
    ? t("review.final_scope", { n: accepted.length, total: store.ranked.length })
    : t("review.final_none_accepted");
  $("export-left-out").hidden = left.length === 0;
  $("export-left-out-summary").textContent = tn("review.final_left_out", left.length);
  $("export-left-out-list").replaceChildren(...left.map((p) => el("li", { dataset: { id: String(p.id) } }, link(p, `${p.rank}. ${titleOf(p)}`))));
}

async function showBlocked(missing) {
  try {
    await loadProblems();
  } catch {
    /* keep the links we have */
  }
  const items = missing.map((m) => {
    const p = (m.problem_id && store.problems.get(m.problem_id)) || null;
    const text = `${m.number}. ${m.title}`;
    return el("li", { dataset: { number: String(m.number) } }, p ? link(p, text) : el("span", {}, text),
      el("span", { class: "blocked-fields" }, ` — ${t("review.blocked_missing", { fields: fieldNames(m.fields || []) })}`));
  });
  $("blocked-list").replaceChildren(...items);
  $("export-blocked").hidden = false;
  $("export-blocked").querySelector("h3").tabIndex = -1;
  $("export-blocked").querySelector("h3").focus();
}

async function exportAs(fmt, button) {
  if (!store.scope.length) return;
  const docLang = choice("export-lang") || "ru";
  const final = choice("export-mode") === "final";
  const result = $("export-result");
  $("export-blocked").hidden = true;
  button.disabled = true;
  result.textContent = t("review.export_working");
  try {
    const file = await fetchFile(reportUrl(fmt, docLang, final), `tyndau-${store.scope.join("-")}-${docLang}.${fmt}`);
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

function renderAkim() {
  const names = store.scope.map(meetingOf).filter(Boolean).map((m) => m.akim_name).filter(Boolean);
  const input = $("akim-name");
  if (document.activeElement !== input && !input.dataset.dirty) input.value = names[0] || "";
}

async function saveAkim(ev) {
  ev.preventDefault();
  const status = $("akim-status");
  const name = $("akim-name").value.trim();
  $("btn-akim-save").disabled = true;
  try {
    const data = await call("POST", "/api/v1/akim-name", { meeting_ids: store.scope, akim_name: name });
    for (const m of (data && data.meetings) || []) {
      const i = store.meetings.findIndex((x) => x.id === m.id);
      if (i >= 0) store.meetings[i] = m;
    }
    delete $("akim-name").dataset.dirty;
    status.textContent = name ? t("review.akim_saved", { name }) : t("review.akim_cleared");
    announce(status.textContent);
  } catch (err) {
    status.textContent = reviewError(err);
  } finally {
    $("btn-akim-save").disabled = false;
  }
}

/** Wire the format buttons, the akim's name and the final package's scope; `open(id)` shows a problem. */
export function initExport(open) {
  openProblem = open;
  for (const button of document.querySelectorAll("[data-format]")) {
    button.addEventListener("click", () => exportAs(button.dataset.format, button));
  }
  for (const list of [$("blocked-list"), $("export-left-out-list")]) {
    list.addEventListener("click", (ev) => {
      const a = ev.target.closest("a[data-open]");
      if (!a) return;
      ev.preventDefault();
      openProblem(Number(a.dataset.open));
    });
  }
  for (const radio of document.querySelectorAll("input[name='export-mode']")) radio.addEventListener("change", renderScope);
  $("akim-form").addEventListener("submit", saveAkim);
  $("akim-name").addEventListener("input", () => {
    $("akim-name").dataset.dirty = "true";
    $("akim-status").textContent = "";
  });
  subscribe(() => renderScope());
  renderAkim();
  renderScope();
}

/** Re-render what depends on the language or the meetings. */
export function relabelExport() {
  renderAkim();
  renderScope();
}
