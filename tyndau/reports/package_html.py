"""The 10-day publication package as one self-contained HTML page for the akimat's website.

No scripts, no external resources (a Content-Security-Policy forbids them too), CSS inline in
the page, semantic tables with captions and column headers, and every text HTML-escaped: the page
is ``templates/package.html``, rendered by jinja2 with autoescape.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import jinja2
from markupsafe import Markup

from tyndau.domain.deadlines import almaty_date, last_event_end, publication_deadline
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


@functools.cache
def _templates() -> jinja2.Environment:
    """The report's templates, HTML-escaped by default (built once: they never change at run time)."""
    return jinja2.Environment(loader=jinja2.PackageLoader("tyndau.reports", "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def package_html(round_: Round, lang: str, *, fragment: bool = False) -> str:
    """The package as a full HTML page, or (``fragment=True``) as an ``<article>`` to embed in a CMS page."""
    ensure_exportable(round_)
    s = Strings(lang)
    title = one_line(round_.heading(lang), 300)
    meta = [s.t("doc.generated", when=fmt_datetime(round_.generated_at))]
    end = last_event_end(round_.events)
    if not round_.final and end is not None:
        meta.append(s.t("package.publication_deadline", date=fmt_date(publication_deadline(end))))
    meetings = sorted(round_.meetings, key=lambda m: m.starts_at)
    timing = [("" if len(meetings) == 1 else f"{one_line(m.title, 200)} ({fmt_date(m.starts_at)}). ") + timing_sentence(m, s) for m in meetings]
    tables = [meetings_table(round_, s)] if len(meetings) > 1 else []
    tables += [sources_table(round_, s), *planning_tables(round_, s), problems_table(round_, s), action_plan_table(round_, s)]
    views = [_table_view(t.view("doc"), s, n) for n, t in enumerate(tables, start=1)]
    return _templates().get_template("package.html").render(
        lang=lang, fragment=fragment, css=Markup(CSS), csp=Markup(CSP), title=title, subtitle=s.t("package.subtitle"), meta=meta,
        draft="" if round_.final else f"{s.t('doc.draft')}. {s.t('doc.draft_note')}",
        heading=title if round_.final else f"{s.t('doc.draft')}: {title}",
        summary_heading=s.t("section.summary_one" if len(meetings) <= 1 else "section.summary_many"),
        summary=summary_items(round_, s), timing=timing, summary_tables=views[:-2],
        problems_heading=s.t("section.problems"), note=fallback_note(round_, s), problems=views[-2],
        plan_heading=s.t("section.action_plan"), plan=views[-1],
    )


@dataclass(frozen=True, slots=True)
class _Cell:
    """One table cell as the template writes it: its lines, its alignment class, its date."""

    lines: list[str]
    cls: str = ""
    when: str = ""


def _table_view(table: Table, s: Strings, number: int) -> dict[str, Any]:
    """A table in the template's terms: caption numbered in order of appearance, cells prepared."""
    def cells(row: Sequence[Value]) -> list[_Cell]:
        return [_cell(v, c, s) for c, v in zip(table.columns, row)]

    return {
        "name": table.name, "caption": s.t("table.caption", n=number, title=table.caption),
        "headers": [c.header for c in table.columns], "rows": [cells(row) for row in table.rows],
        "footer": cells(table.footer) if table.footer is not None and table.rows else None,
    }


def _cell(value: Value, col: Column, s: Strings) -> _Cell:
    cls = "n" if col.kind in ("int", "money", "percent") else "c" if col.kind in ("date", "bool") else ""
    when = almaty_date(value).isoformat() if isinstance(value, (date, datetime)) else ""
    return _Cell(display(value, col, s).split("\n"), cls, when)
