"""The 10-day publication package as one self-contained HTML page for the akimat's website.

No scripts, no external resources (a Content-Security-Policy forbids them too), CSS inline in
the page, semantic tables with captions and column headers, and every text HTML-escaped.
"""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from tyndau.reports.deadlines import almaty_date, last_event_end, publication_deadline
from tyndau.reports.i18n import Strings
from tyndau.reports.model import Round
from tyndau.reports.planning_tables import planning_tables
from tyndau.reports.tables import (
    Column,
    Table,
    Value,
    action_plan_table,
    display,
    fallback_note,
    meetings_table,
    problems_table,
    sources_table,
    summary_items,
    timing_sentence,
)
from tyndau.reports.text import fmt_date, fmt_datetime, one_line
from tyndau.reports.validate import ensure_exportable

CSS = """
.tyndau-report{font:16px/1.45 "Times New Roman",Times,serif;color:#111;max-width:1200px;margin:0 auto;padding:1rem}
.tyndau-report h1{font-size:1.5rem;text-align:center;margin:.5rem 0}
.tyndau-report h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
.tyndau-report .subtitle{text-align:center;font-style:italic;margin:0 0 1rem}
.tyndau-report .meta{text-align:right;font-size:.9rem;margin:0}
.tyndau-report .draft{border:2px solid #b00000;color:#b00000;padding:.5rem 1rem;font-weight:bold;text-align:center}
.tyndau-report dl.summary{display:grid;grid-template-columns:minmax(12rem,max-content) 1fr;gap:.25rem 1rem;margin:0 0 1rem}
.tyndau-report dt{font-weight:bold}.tyndau-report dd{margin:0}
.tyndau-report .table-wrap{overflow-x:auto;margin:0 0 1.25rem}
.tyndau-report table{border-collapse:collapse;width:100%;font-size:.9rem}
.tyndau-report caption{text-align:left;font-weight:bold;padding:.25rem 0}
.tyndau-report th,.tyndau-report td{border:1px solid #777;padding:.3rem .4rem;vertical-align:top;text-align:left}
.tyndau-report thead th{background:#e7e6e6;text-align:center;vertical-align:middle}
.tyndau-report tfoot td{font-weight:bold}
.tyndau-report td.n{text-align:right;white-space:nowrap}.tyndau-report td.c{text-align:center;white-space:nowrap}
@media print{.tyndau-report .table-wrap{overflow:visible}.tyndau-report thead{display:table-header-group}}
""".strip()
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def package_html(round_: Round, lang: str, *, fragment: bool = False) -> str:
    """The package as a full HTML page, or (``fragment=True``) as an ``<article>`` to embed in a CMS page."""
    ensure_exportable(round_)
    s = Strings(lang)
    title = one_line(round_.heading(lang), 300)
    out: list[str] = [f'<article class="tyndau-report" lang="{lang}">']
    if fragment:
        out.append(f"<style>{CSS}</style>")
    if not round_.final:
        out.append(f'<p class="draft" role="note">{_e(s.t("doc.draft"))}. {_e(s.t("doc.draft_note"))}</p>')
    out.append(f"<header><h1>{_e(title)}</h1><p class=\"subtitle\">{_e(s.t('package.subtitle'))}</p>")
    out.append(f'<p class="meta">{_e(s.t("doc.generated", when=fmt_datetime(round_.generated_at)))}</p>')
    end = last_event_end(round_.events)
    if not round_.final and end is not None:
        out.append(f'<p class="meta">{_e(s.t("package.publication_deadline", date=fmt_date(publication_deadline(end))))}</p>')
    out.append("</header>")

    meetings = sorted(round_.meetings, key=lambda m: m.starts_at)
    tables = _Counter()
    out.append(_section_open("summary", s.t("section.summary_one" if len(meetings) <= 1 else "section.summary_many")))
    out.append('<dl class="summary">')
    out.extend(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>" for label, value in summary_items(round_, s))
    out.append("</dl>")
    for m in meetings:
        sentence = timing_sentence(m, s)
        prefix = "" if len(meetings) == 1 else f"{one_line(m.title, 200)} ({fmt_date(m.starts_at)}). "
        out.append(f"<p>{_e(prefix + sentence)}</p>")
    if len(meetings) > 1:
        out.append(html_table(meetings_table(round_, s).view("doc"), s, tables.next()))
    out.append(html_table(sources_table(round_, s).view("doc"), s, tables.next()))
    for table in planning_tables(round_, s):
        out.append(html_table(table.view("doc"), s, tables.next()))
    out.append("</section>")
    out.append(_section_open("problems", s.t("section.problems")))
    note = fallback_note(round_, s)
    if note:
        out.append(f'<p class="note" role="note"><em>{_e(note)}</em></p>')
    out.append(html_table(problems_table(round_, s).view("doc"), s, tables.next()))
    out.append("</section>")
    out.append(_section_open("action-plan", s.t("section.action_plan")))
    out.append(html_table(action_plan_table(round_, s).view("doc"), s, tables.next()))
    out.append("</section></article>")
    body = "\n".join(out)
    if fragment:
        return body
    heading = title if round_.final else f"{s.t('doc.draft')}: {title}"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{_e(heading)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def html_table(table: Table, s: Strings, number: int) -> str:
    """A captioned, scrollable table; numbers right-aligned, dates in ``<time>``."""
    caption = s.t("table.caption", n=number, title=table.caption)
    parts = [f'<div class="table-wrap"><table id="table-{table.name}"><caption>{_e(caption)}</caption><thead><tr>']
    parts.extend(f'<th scope="col">{_e(c.header)}</th>' for c in table.columns)
    parts.append("</tr></thead><tbody>")
    for row in table.rows:
        parts.append("<tr>" + "".join(_cell(v, c, s) for c, v in zip(table.columns, row)) + "</tr>")
    parts.append("</tbody>")
    if table.footer is not None and table.rows:
        parts.append("<tfoot><tr>" + "".join(_cell(v, c, s) for c, v in zip(table.columns, table.footer)) + "</tr></tfoot>")
    parts.append("</table></div>")
    return "".join(parts)


def _cell(value: Value, col: Column, s: Strings) -> str:
    text = display(value, col, s)
    cls = ' class="n"' if col.kind in ("int", "money", "percent") else ' class="c"' if col.kind in ("date", "bool") else ""
    inner = "<br>".join(_e(line) for line in text.split("\n"))
    if isinstance(value, (date, datetime)):
        inner = f'<time datetime="{almaty_date(value).isoformat()}">{inner}</time>'
    return f"<td{cls}>{inner}</td>"


def _section_open(anchor: str, heading: str) -> str:
    return f'<section aria-labelledby="h-{anchor}"><h2 id="h-{anchor}">{_e(heading)}</h2>'


def _e(text: str) -> str:
    return escape(text, quote=True)


class _Counter:
    """Numbers the tables in the order they appear."""

    def __init__(self) -> None:
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return self.n
