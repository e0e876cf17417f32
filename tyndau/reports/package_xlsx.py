"""The 10-day publication package as an XLSX workbook: one sheet per table."""

from __future__ import annotations

from tyndau.domain.deadlines import last_event_end, publication_deadline
from tyndau.reports.i18n import Strings
from tyndau.reports.model import Round
from tyndau.reports.planning_tables import planning_tables
from tyndau.reports.tables import (
    Column,
    Table,
    action_plan_table,
    fallback_note,
    meetings_table,
    problems_table,
    sources_table,
    summary_items,
)
from tyndau.reports.text import fmt_date, fmt_datetime, one_line
from tyndau.reports.validate import ensure_exportable
from tyndau.reports.xlsx_writer import XlsxWriter


def summary_table(round_: Round, s: Strings) -> Table:
    """The results summary as an indicator/value table (with the draft mark and deadline when not final)."""
    rows: list[tuple[str, str]] = []
    if not round_.final:
        rows.append((s.t("doc.status"), f"{s.t('doc.draft')}. {s.t('doc.draft_note')}"))
    rows.append((s.t("col.name"), one_line(round_.heading(s.lang))))
    rows.extend(summary_items(round_, s))
    note = fallback_note(round_, s)
    if note:
        rows.append((s.t("summary.note"), note))
    end = last_event_end(round_.events)
    if not round_.final and end is not None:
        rows.append((s.t("package.publication_deadline", date="").rstrip(": "), fmt_date(publication_deadline(end))))
    rows.append((s.t("doc.generated", when="").rstrip(": "), fmt_datetime(round_.generated_at)))
    cols = (Column("indicator", s.t("col.indicator"), "text", 48), Column("value", s.t("col.value"), "text", 70))
    return Table("summary", s.t("sheet.summary"), cols, tuple(rows))


def package_xlsx(round_: Round, lang: str) -> bytes:
    """The publication package workbook: summary, meetings, sources, problems, action plan."""
    ensure_exportable(round_)
    s = Strings(lang)
    w = XlsxWriter(s, final=round_.final, title=one_line(round_.heading(lang), 300))
    w.sheet(summary_table(round_, s), s.t("sheet.summary"))
    w.sheet(meetings_table(round_, s).view("data"), s.t("sheet.meetings"))
    w.sheet(sources_table(round_, s).view("data"), s.t("sheet.sources"))
    for table in planning_tables(round_, s):
        w.sheet(table.view("data"), s.t(f"sheet.{table.name}"))
    w.sheet(problems_table(round_, s).view("data"), s.t("sheet.problems"))
    w.sheet(action_plan_table(round_, s).view("data"), s.t("sheet.action_plan"))
    return w.to_bytes()
