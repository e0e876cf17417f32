// The units page: the tree of administrative units (filter by name or code, by a day), a KATO
// import that is checked first (what would be added, changed, skipped, refused) and written only on
// "Load", adding a unit by hand, and renaming or abolishing one (valid_to).

import { announce, showAlert } from "./alerts.js";
import { onLangChange, t, tn } from "./i18n.js";
import { dayText, kindName, nameOf, planError, rights } from "./planner-format.js";
import { ReviewError, call } from "./review-api.js";
import { $, el, reviewError, startPage } from "./review-page.js";

const state = { items: [], kinds: [], imports: [], can: { plan: false }, report: null, file: null };
const errorText = (err) => planError(err, reviewError);

async function load() {
  $("units-main").setAttribute("aria-busy", "true");
  try {
    const on = $("units-on").value;
    const [units, imports] = await Promise.all([call("GET", `/api/v1/units${on ? `?on=${on}` : ""}`), call("GET", "/api/v1/units/imports")]);
    state.items = units.items;
    state.kinds = units.kinds;
    state.imports = imports.items;
  } catch (err) {
    showAlert(errorText(err));
  } finally {
    $("units-main").setAttribute("aria-busy", "false");
  }
  render();
}

function validText(u) {
  if (u.valid_from && u.valid_to) return t("units.valid_between", { from: dayText(u.valid_from), to: dayText(u.valid_to) });
  if (u.valid_from) return t("units.valid_from", { from: dayText(u.valid_from) });
  if (u.valid_to) return t("units.valid_to", { to: dayText(u.valid_to) });
  return t("units.valid_always");
}

function render() {
  const query = $("units-filter").value.trim().toLowerCase();
  const shown = state.items.filter((u) => !query || [u.name_ru, u.name_kk, u.kato || "", u.id].some((v) => (v || "").toLowerCase().includes(query)));
  $("units-empty").hidden = state.items.length > 0;
  $("units-summary").textContent = state.items.length ? tn("units.summary", state.items.length) : "";
  $("units-body").replaceChildren(...shown.slice(0, 3000).map((u) => {
    const actions = [];
    if (state.can.plan) {
      const b = el("button", { type: "button", class: "btn-small", "data-testid": `edit-${u.id}` }, t("units.edit"));
      b.addEventListener("click", () => edit(u));
      actions.push(b);
    }
    return el("tr", { "data-unit": u.id, "data-gone": String(Boolean(u.valid_to && u.valid_to < today())) },
      el("td", { class: `depth-${Math.min(u.depth || 0, 4)}` }, nameOf(u)),
      el("td", {}, kindName(state.kinds, u.kind)),
      el("td", { class: "num" }, u.kato || u.id),
      el("td", {}, validText(u)),
      el("td", { class: "row-actions" }, ...actions));
  }));
  $("imports-list").replaceChildren(...state.imports.map((i) => el("li", {},
    el("span", { class: "ev-kind" }, i.filename),
    el("span", {}, t("units.import_line", { at: dayText(i.at), actor: i.actor, created: i.created, updated: i.updated, skipped: i.skipped.length })))));
  renderAddForm();
}

function today() {
  return new Date().toISOString().slice(0, 10);
}

function renderAddForm() {
  const kind = $("add-kind");
  const chosen = kind.value;
  kind.replaceChildren(...state.kinds.map((k) => el("option", { value: k.id }, nameOf(k))));
  kind.value = chosen || "village";
  const parents = (state.kinds.find((k) => k.id === kind.value) || { parents: [] }).parents;
  const parent = $("add-parent");
  const before = parent.value;
  const options = state.items.filter((u) => parents.includes(u.kind));
  parent.replaceChildren(...(parents.length ? [] : [el("option", { value: "" }, t("units.top_level"))]),
    ...options.map((u) => el("option", { value: u.id }, `${nameOf(u)} (${u.kato || u.id})`)));
  if (options.some((u) => u.id === before)) parent.value = before;
  $("add-form").hidden = !state.can.plan;
}

function reportView(body, refused) {
  const box = $("import-report");
  const list = (items, render, cls = "") => items.length ? el("ul", { class: cls }, ...items.slice(0, 200).map((x) => el("li", {}, render(x)))) : null;
  box.replaceChildren(
    el("p", { class: refused ? "field-error" : "" }, refused ? t("units.report_refused") : body.dry_run ? t("units.report_ok") : t("units.report_done")),
    el("dl", {},
      el("dt", {}, t("units.r_new")), el("dd", { "data-testid": "report-new" }, String(body.new.length)),
      el("dt", {}, t("units.r_changed")), el("dd", {}, String(body.changed.length)),
      el("dt", {}, t("units.r_unchanged")), el("dd", {}, String(body.unchanged)),
      el("dt", {}, t("units.r_skipped")), el("dd", { "data-testid": "report-skipped" }, String(body.skipped.length)),
      el("dt", {}, t("units.r_errors")), el("dd", { "data-testid": "report-errors" }, String(body.errors.length + body.refused.length))),
    body.errors.length ? el("h3", {}, t("units.r_errors")) : null,
    list(body.errors, (e) => t("units.error_line", { line: e.line, column: e.column, message: e.message }), "errors"),
    body.refused.length ? el("h3", {}, t("units.r_refused")) : null,
    list(body.refused, (r) => `${r.unit_id}: ${r.message}`, "errors"),
    body.skipped.length ? el("h3", {}, t("units.r_skipped")) : null,
    list(body.skipped, (s) => t("units.skip_line", { line: s.line, code: s.code, name: s.name, reason: s.reason })),
  );
}

async function upload(dryRun) {
  const file = $("import-file").files[0];
  if (!file) {
    showAlert(t("units.no_file"));
    return;
  }
  const data = new FormData();
  data.append("file", file, file.name);
  let res;
  try {
    res = await fetch(`/api/v1/units/import${dryRun ? "?dry_run=1" : ""}`, { method: "POST", body: data, credentials: "same-origin" });
  } catch (err) {
    showAlert(t("errors.network"));
    return;
  }
  const body = await res.json().catch(() => ({}));
  if (res.ok) {
    reportView(body, false);
    $("btn-load").disabled = !dryRun;
    if (!dryRun) {
      showAlert(t("units.loaded", { n: body.import.created }), "success");
      $("btn-load").disabled = true;
      await load();
    }
    return;
  }
  $("btn-load").disabled = true;
  if (body.report) reportView(body.report, true);
  showAlert(errorText(new ReviewError(res.status, body)));
}

async function add(ev) {
  ev.preventDefault();
  $("add-error").textContent = "";
  const body = { kind: $("add-kind").value, parent_id: $("add-parent").value || null, name_ru: $("add-ru").value, name_kk: $("add-kk").value };
  if ($("add-kato").value.trim()) body.kato = $("add-kato").value.trim();
  else body.id = `u${Date.now().toString(36)}`;
  if ($("add-from").value) body.valid_from = $("add-from").value;
  try {
    const unit = await call("POST", "/api/v1/units", body);
    showAlert(t("units.added", { name: nameOf(unit) }), "success");
    for (const id of ["add-kato", "add-ru", "add-kk", "add-from"]) $(id).value = "";
    await load();
  } catch (err) {
    $("add-error").textContent = errorText(err);
  }
}

function edit(unit) {
  const dialog = $("edit-dialog");
  $("edit-title").textContent = t("units.edit_title", { name: nameOf(unit) });
  $("edit-ru").value = unit.name_ru;
  $("edit-kk").value = unit.name_kk;
  $("edit-from").value = unit.valid_from || "";
  $("edit-to").value = unit.valid_to || "";
  $("edit-error").textContent = "";
  const close = () => dialog.close();
  $("edit-cancel").onclick = close;
  $("edit-form").onsubmit = async (ev) => {
    ev.preventDefault();
    try {
      await call("PATCH", `/api/v1/units/${encodeURIComponent(unit.id)}`, { name_ru: $("edit-ru").value, name_kk: $("edit-kk").value,
        valid_from: $("edit-from").value || null, valid_to: $("edit-to").value || null });
      close();
      showAlert(t("units.saved"), "success");
      await load();
    } catch (err) {
      $("edit-error").textContent = errorText(err);
    }
  };
  dialog.showModal();
}

async function main() {
  const meta = await startPage();
  state.can = rights(meta);
  $("btn-check").hidden = !state.can.plan;
  $("btn-load").hidden = !state.can.plan;
  $("import-file").disabled = !state.can.plan;
  $("units-filter").addEventListener("input", render);
  $("units-on").addEventListener("change", load);
  $("add-kind").addEventListener("change", renderAddForm);
  $("add-form").addEventListener("submit", add);
  $("import-file").addEventListener("change", () => {
    $("btn-load").disabled = true;
    $("import-report").replaceChildren();
  });
  $("btn-check").addEventListener("click", () => upload(true));
  $("btn-load").addEventListener("click", () => upload(false));
  onLangChange(render);
  await load();
  announce(t("units.ready"));
}

main();
