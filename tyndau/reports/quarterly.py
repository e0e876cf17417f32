"""The quarterly progress report's content: figures, tables and the JSON for the open-data portal.

Published by the 25th of the month after each quarter: per problem, its status now against the
end of last quarter; counts by status, the share resolved, funding needed vs allocated, and the
same by executor and by category. DOCX and XLSX writers live in ``quarterly_docx``/``quarterly_xlsx``.
"""

from __future__ import annotations

from typing import Any

from tyndau.domain.deadlines import quarter_bounds, quarterly_report_deadline
from tyndau.reports.figures import Item, figures_for, ratio
from tyndau.reports.i18n import Strings
from tyndau.reports.model import STATUSES, ProgressEntry, ProgressReport
from tyndau.reports.tables import Column, Table
from tyndau.reports.text import (
    TEXT_LIMIT,
    TITLE_LIMIT,
    clean,
    fmt_int,
    fmt_percent,
    one_line,
)
from tyndau.timeutil import iso

SCHEMA = "tyndau.quarterly/1"


def _entries(report: ProgressReport) -> list[ProgressEntry]:
    return sorted(report.entries, key=lambda e: e.problem.number)


def quarterly_figures(report: ProgressReport, *, lang: str = "ru") -> dict[str, Any]:
    """Totals now and at the end of last quarter, what changed, funding, by status/executor/category."""
    s = Strings(lang)
    entries = _entries(report)
    now = figures_for([Item(e.problem, e.current_status) for e in entries], s)
    before = [e for e in entries if e.previous_status is not None]
    resolved_before = sum(1 for e in before if e.previous_status == "resolved")
    first, last = quarter_bounds(report.year, report.quarter)
    now.update(
        period={
            "year": report.year, "quarter": report.quarter, "first_day": first.isoformat(), "last_day": last.isoformat(),
            "report_deadline": quarterly_report_deadline(report.year, report.quarter).isoformat(),
        },
        changed=sum(1 for e in entries if e.changed),
        new=sum(1 for e in entries if e.previous_status is None),
        resolved_this_quarter=sum(1 for e in entries if e.current_status == "resolved" and e.previous_status != "resolved"),
        previous={
            "problems_total": len(before),
            "resolved": resolved_before,
            "share_resolved": ratio(resolved_before, len(before)),
            "by_status": {st: sum(1 for e in before if e.previous_status == st) for st in STATUSES},
        },
    )
    return now


def summary_sentences(figures: dict[str, Any], s: Strings) -> list[str]:
    """The report's opening sentences: how many, how many resolved, what changed, the money."""
    f = figures["funding"]
    return [
        s.t("quarterly.sentence_total", total=fmt_int(figures["problems_total"]), resolved=fmt_int(figures["resolved"]),
            share=fmt_percent(figures["share_resolved"]) or "—"),
        s.t("quarterly.sentence_changed", changed=fmt_int(figures["changed"]), new=fmt_int(figures["new"])),
        s.t("quarterly.sentence_funding", need=fmt_int(f["need_tenge"]), allocated=fmt_int(f["allocated_tenge"]),
            percent=fmt_percent(f["share"]) or "—"),
    ]


def progress_table(report: ProgressReport, s: Strings) -> Table:
    """Per problem: executor, deadline, last quarter's status, today's status, whether it moved, the note."""
    cols = (
        Column("number", s.t("col.number"), "int", 5),
        Column("problem", s.t("col.problem"), "text", 40),
        Column("category", s.t("col.category"), "text", 20),
        Column("executor", s.t("col.executor"), "text", 28, missing=s.t("value.unassigned")),
        Column("deadline", s.t("col.deadline"), "date", 15, missing=s.t("value.no_deadline")),
        Column("previous_status", s.t("col.previous_status"), "text", 20),
        Column("current_status", s.t("col.current_status"), "text", 20),
        Column("change", s.t("col.change"), "bool", 11),
        Column("note", s.t("col.note"), "text", 36),
    )
    rows = tuple(
        (
            e.problem.number, clean(e.problem.title(s.lang), TITLE_LIMIT, s.lang), one_line(e.problem.category_name(s.lang), 120),
            one_line(e.problem.executor_name(s.lang)) or None, e.problem.deadline, s.status(e.previous_status),
            s.status(e.current_status), e.changed, clean(e.note or e.problem.status_note, TEXT_LIMIT, s.lang),
        )
        for e in _entries(report)
    )
    return Table("progress", s.t("table.progress"), cols, rows, landscape=True)


def by_status_table(figures: dict[str, Any], s: Strings) -> Table:
    """Counts by status now and last quarter, with today's shares."""
    cols = (
        Column("status", s.t("col.status"), "text", 40),
        Column("previous", s.t("col.previous_status"), "int", 18),
        Column("count", s.t("col.current_status"), "int", 18),
        Column("share", s.t("col.share"), "percent", 12),
    )
    prev = figures["previous"]["by_status"]
    rows = tuple((r["label"], prev[r["status"]], r["count"], r["share"]) for r in figures["by_status"])
    footer = (s.t("col.total"), figures["previous"]["problems_total"], figures["problems_total"], 1.0 if figures["problems_total"] else None)
    return Table("by_status", s.t("table.by_status"), cols, rows, footer)


def group_table(figures: dict[str, Any], s: Strings, which: str) -> Table:
    """By executor or by category: total, resolved and share, funding needed, allocated and percent."""
    key = {"by_executor": ("executor", "col.executor", "table.by_executor"), "by_category": ("category", "col.category", "table.by_category")}[which]
    cols = (
        Column(key[0], s.t(key[1]), "text", 40),
        Column("total", s.t("col.total"), "int", 10),
        Column("resolved", s.t("col.resolved"), "int", 10),
        Column("share_resolved", s.t("col.share_resolved"), "percent", 12),
        Column("need_tenge", s.t("col.funding_need"), "money", 18),
        Column("allocated_tenge", s.t("col.funding_allocated"), "money", 18),
        Column("funding_share", s.t("col.funding_percent"), "percent", 17),
    )
    rows = tuple(
        (r["label"], r["total"], r["resolved"], r["share_resolved"], r["need_tenge"], r["allocated_tenge"],
         None if r["funding_percent"] is None else r["funding_percent"] / 100)
        for r in figures[which]
    )
    f = figures["funding"]
    footer = (s.t("col.total"), figures["problems_total"], figures["resolved"], figures["share_resolved"], f["need_tenge"], f["allocated_tenge"], f["share"])
    return Table(which, s.t(key[2]), cols, rows, footer)


def quarterly_json(report: ProgressReport, lang: str) -> dict[str, Any]:
    """The quarterly report as a JSON-able dict with stable keys and ISO dates."""
    s = Strings(lang)
    figures = quarterly_figures(report, lang=lang)
    return {
        "schema": SCHEMA,
        "lang": lang,
        "final": report.final,
        "generated_at": iso(report.generated_at),
        "title": one_line(report.heading(lang)),
        "akim": one_line(report.akim),
        "figures": figures,
        "entries": [
            {
                "number": e.problem.number,
                "title": clean(e.problem.title(lang), TITLE_LIMIT, lang),
                "title_ru": clean(e.problem.title_ru, TITLE_LIMIT),
                "title_kk": clean(e.problem.title_kk, TITLE_LIMIT, "kk"),
                "category": e.problem.category,
                "executor": one_line(e.problem.executor_name(lang)) or None,
                "deadline": e.problem.deadline.isoformat() if e.problem.deadline else None,
                "previous_status": e.previous_status,
                "current_status": e.current_status,
                "current_status_label": s.status(e.current_status),
                "changed": e.changed,
                "note": clean(e.note or e.problem.status_note, TEXT_LIMIT, s.lang),
                "funding_need_tenge": e.problem.funding_need_tenge,
                "funding_allocated_tenge": e.problem.funding_allocated_tenge,
            }
            for e in _entries(report)
        ],
    }
