// Drawing the dashboard: big-number tiles, the server's SVG charts (parsed, never run), and tables.

import { locale, percent } from "./format.js";
import { t, tn } from "./i18n.js";
import { dmy, tenge } from "./review-model.js";
import { el } from "./review-page.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const CHARTS = ["by_category", "by_status", "funding", "by_region"];

// Our own short units: browsers' compact formats lack Kazakh ("420M" instead of "420 млн").
const UNITS = { ru: [[1e12, "трлн"], [1e9, "млрд"], [1e6, "млн"], [1e3, "тыс."]], kk: [[1e12, "трлн"], [1e9, "млрд"], [1e6, "млн"], [1e3, "мың"]] };

function compactTenge(value, lang) {
  if (value === null || value === undefined) return "—";
  const unit = (UNITS[lang] || UNITS.ru).find(([size]) => Math.abs(value) >= size);
  const number = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 1 }).format(unit ? value / unit[0] : value);
  return unit ? `${number} ${unit[1]} ₸` : `${number} ₸`;
}

function bar(share, kind) {
  const pct = Math.max(0, Math.min(100, Math.round((share || 0) * 100)));
  // A <meter> shows the share without any inline style (the page's CSP allows none).
  const meter = el("meter", { class: `tile-meter meter-${kind}`, min: "0", max: "100", value: String(pct) });
  meter.value = pct;
  return meter;
}

function tile(kind, label, value, sub = [], extra = null) {
  return el("article", { class: "tile", dataset: { kind }, "data-testid": `tile-${kind}` },
    el("h3", { class: "tile-label" }, label),
    el("p", { class: "tile-value num" }, value),
    extra,
    ...sub.map((s) => el("p", { class: "tile-sub" }, s)));
}

function publicationTile(items, lang) {
  const rows = (items || []).map((p) => {
    let state = "pending";
    // One akim's round: its deadline runs from the end of its last meeting.
    let text = (p.meetings || 1) > 1 ? t("dashboard.pub_not_ended_round", { ended: p.ended ?? 0, total: p.meetings }) : t("dashboard.pub_not_ended");
    if (p.deadline) {
      if (p.overdue) {
        state = "overdue";
        text = tn("dashboard.pub_overdue", -p.days_left, { date: dmy(p.deadline) });
      } else if (p.days_left === 0) {
        state = "today";
        text = t("dashboard.pub_today", { date: dmy(p.deadline) });
      } else {
        state = p.days_left <= 3 ? "soon" : "ok";
        text = tn("dashboard.pub_left", p.days_left, { date: dmy(p.deadline) });
      }
    }
    const title = (lang === "kk" && p.title_kk) || p.title;
    const who = p.akim ? t("dashboard.pub_round", { akim: p.akim, meetings: tn("dashboard.n_meetings", p.meetings || 1) }) : title;
    return el("li", { dataset: { state } }, el("span", { class: "pub-title", title }, who), el("span", { class: "pub-when" }, text),
      p.final ? el("span", { class: "badge badge-accepted" }, t("dashboard.pub_final")) : null);
  });
  const body = rows.length ? el("ul", { class: "pub-list" }, rows) : el("p", { class: "tile-sub" }, t("dashboard.pub_none"));
  const first = (items || []).find((p) => p.deadline);
  const value = first ? (first.overdue ? t("dashboard.pub_overdue_short") : tn("dashboard.days", first.days_left)) : "—";
  return el("article", { class: "tile", dataset: { kind: "publication", state: first && first.overdue ? "overdue" : "ok" }, "data-testid": "tile-publication" },
    el("h3", { class: "tile-label" }, t("dashboard.publication")), el("p", { class: "tile-value num" }, value), body);
}

/** The big-number tiles. */
export function renderTiles(box, f, lang) {
  const funding = f.funding || {};
  const tiles = [
    tile("total", t("dashboard.total"), String(f.problems_total), [tn("dashboard.central", f.central_list)]),
    tile("drafts", t("dashboard.drafts"), String(f.drafts_pending ?? 0), [t("dashboard.drafts_sub")]),
    tile("resolved", t("dashboard.resolved"), percent(f.share_resolved, lang),
      [t("dashboard.resolved_of", { n: f.resolved, total: f.problems_total })], bar(f.share_resolved, "calm")),
    tile("funding", t("dashboard.funding"), funding.need_tenge ? percent(funding.share, lang) : "—",
      [t("dashboard.funding_need", { value: compactTenge(funding.need_tenge, lang) }), t("dashboard.funding_allocated", { value: compactTenge(funding.allocated_tenge, lang) }),
        tn("dashboard.funding_problems", funding.problems_with_need || 0)], bar(funding.share, "accent")),
    tile("overdue", t("dashboard.overdue"), String(f.overdue ?? "—"), [t("dashboard.overdue_sub")]),
    tile("due_soon", t("dashboard.due_soon"), String(f.due_soon ?? "—"), [t("dashboard.due_soon_sub")]),
    publicationTile(f.publication, lang),
  ];
  const heading = box.querySelector("h2");
  box.replaceChildren(heading, ...tiles);
  box.querySelector("[data-kind='overdue']").dataset.alarm = f.overdue ? "true" : "false";
}

/** Parse one of our SVG charts into this document: no scripts, no handlers, no inline styles. */
export function importSvg(markup) {
  // Inline style attributes are dropped before parsing: the CSP would refuse (and report) them anyway.
  const clean = String(markup || "").replace(/\sstyle="[^"]*"/g, "");
  const doc = new DOMParser().parseFromString(clean, "image/svg+xml");
  const svg = doc.documentElement;
  if (!svg || svg.namespaceURI !== SVG_NS || svg.localName !== "svg") return null;
  for (const bad of svg.querySelectorAll("script, foreignObject")) bad.remove();
  for (const node of [svg, ...svg.querySelectorAll("*")]) {
    for (const attr of [...node.attributes]) {
      if (/^on/i.test(attr.name) || attr.name === "style" || /^\s*javascript:/i.test(attr.value)) node.removeAttribute(attr.name);
    }
  }
  return document.importNode(svg, true);
}

/** The charts, each in a figure. */
export function renderCharts(box, charts) {
  const figures = [];
  for (const key of CHARTS) {
    if (!charts || !charts[key]) continue;
    const svg = importSvg(charts[key]);
    if (!svg) continue;
    svg.classList.add("chart");
    figures.push(el("figure", { class: "chart-figure", dataset: { chart: key } }, svg));
  }
  box.replaceChildren(...figures);
}

function table(id, caption, head, rows) {
  return el("div", { class: "table-wrap", dataset: { table: id } },
    el("table", { class: "dash-table" },
      el("caption", {}, caption),
      el("thead", {}, el("tr", {}, head.map(([text, num]) => el("th", { scope: "col", class: num ? "num" : null }, text)))),
      el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map(([text, num], i) => el(i === 0 ? "th" : "td", { scope: i === 0 ? "row" : null, class: num ? "num" : null }, text)))))));
}

function groupRows(rows, lang, late) {
  return rows.map((r) => {
    const cells = [[r.label || t("dashboard.unassigned")], [String(r.total), true], [String(r.resolved), true], [percent(r.share_resolved, lang), true],
      [tenge(r.need_tenge || null, lang, false), true], [tenge(r.allocated_tenge || null, lang, false), true],
      [r.funding_percent === null || r.funding_percent === undefined ? "—" : `${String(r.funding_percent).replace(".", ",")} %`, true]];
    if (late) cells.push([String((late[r.executor ?? ""] || []).length), true]);
    return cells;
  });
}

/** Tables by category, status, executor and region. */
export function renderTables(box, f, lang) {
  const groupHead = (first) => [[first], [t("dashboard.col_total"), true], [t("dashboard.col_resolved"), true], [t("dashboard.col_share"), true],
    [t("dashboard.col_need"), true], [t("dashboard.col_allocated"), true], [t("dashboard.col_funding_pct"), true]];
  const tables = [
    table("by_category", t("dashboard.t_category"), groupHead(t("dashboard.col_category")), groupRows(f.by_category || [], lang)),
    table("by_status", t("dashboard.t_status"), [[t("dashboard.col_status")], [t("dashboard.col_count"), true], [t("dashboard.col_share_all"), true]],
      (f.by_status || []).map((r) => [[r.label], [String(r.count), true], [percent(r.share, lang), true]])),
    table("by_executor", t("dashboard.t_executor"), [...groupHead(t("dashboard.col_executor")), [t("dashboard.col_overdue"), true]],
      groupRows(f.by_executor || [], lang, f.overdue_by_executor || {})),
  ];
  if ((f.by_region || []).length) tables.push(table("by_region", t("dashboard.t_region"), groupHead(t("dashboard.col_region")), groupRows(f.by_region, lang)));
  box.replaceChildren(...tables);
}
