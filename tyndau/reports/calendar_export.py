"""The calendar, its coverage matrix and its versions as DOCX and XLSX, in Russian or Kazakh.

A calendar still in draft is marked ПРОЕКТ/ЖОБА like a draft package; an approved one is not. Both
formats read the same tables (:mod:`tyndau.reports.calendar_tables`).
"""

from __future__ import annotations

from tyndau.reports.calendar_tables import (
    CalendarDoc,
    coverage_notes,
    coverage_table,
    milestones_table,
    plan_table,
    summary_rows,
    versions_table,
)
from tyndau.reports.docx_writer import DocxWriter
from tyndau.reports.i18n import Strings
from tyndau.reports.tables import Column, Table
from tyndau.reports.text import fmt_datetime, one_line
from tyndau.reports.xlsx_writer import XlsxWriter
from tyndau.timeutil import utcnow


def _title(doc: CalendarDoc, s: Strings) -> str:
    return s.t("calendar.doc_title", year=doc.bundle.year)


def calendar_docx(doc: CalendarDoc, lang: str) -> bytes:
    """The calendar document: summary, approval steps, the plan, the coverage matrix, the versions."""
    s = Strings(lang)
    title = _title(doc, s)
    w = DocxWriter(s, final=doc.bundle.state.status != "draft", title=title)
    w.title_block(title, one_line(doc.bundle.organiser.name(lang)), [s.t("doc.generated", when=fmt_datetime(utcnow()))])
    for label, value in summary_rows(doc, s):
        if label:
            w.labelled(label, value)
        else:
            w.paragraph(value)
    w.heading(s.t("calendar.section_milestones"))
    w.table(milestones_table(doc, s))
    w.landscape_section()
    w.heading(s.t("calendar.section_plan"))
    plan = plan_table(doc, s)
    if plan.rows:
        w.table(plan, font_pt=9)
    else:
        w.paragraph(s.t("calendar.no_visits"))
    w.heading(s.t("calendar.section_coverage"))
    w.table(coverage_table(doc, s), font_pt=9)
    for line in coverage_notes(doc, s):
        w.paragraph(line)
    w.heading(s.t("calendar.section_versions"))
    versions = versions_table(doc, s)
    if versions.rows:
        w.table(versions, font_pt=9)
    else:
        w.paragraph(s.t("calendar.no_versions"))
    return w.to_bytes()


def calendar_xlsx(doc: CalendarDoc, lang: str) -> bytes:
    """The calendar workbook: summary, plan, coverage, versions and approval steps, a sheet each."""
    s = Strings(lang)
    w = XlsxWriter(s, final=doc.bundle.state.status != "draft", title=_title(doc, s))
    rows = [(s.t("col.name"), _title(doc, s)), *((label or s.t("summary.note"), value) for label, value in summary_rows(doc, s))]
    rows += [(s.t("summary.note"), line) for line in coverage_notes(doc, s)]
    rows.append((s.t("doc.generated", when="").rstrip(": "), fmt_datetime(utcnow())))
    cols = (Column("indicator", s.t("col.indicator"), "text", 40), Column("value", s.t("col.value"), "text", 90))
    w.sheet(Table("summary", s.t("sheet.summary"), cols, tuple(rows)), s.t("sheet.summary"))
    w.sheet(plan_table(doc, s), s.t("calendar.sheet_plan"))
    w.sheet(coverage_table(doc, s), s.t("calendar.sheet_coverage"))
    w.sheet(versions_table(doc, s), s.t("calendar.sheet_versions"))
    w.sheet(milestones_table(doc, s), s.t("calendar.sheet_milestones"))
    return w.to_bytes()
