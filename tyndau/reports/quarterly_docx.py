"""The quarterly progress report as a DOCX (summary, breakdowns, a landscape per-problem table)."""

from __future__ import annotations

from tyndau.domain.deadlines import quarterly_report_deadline
from tyndau.reports.docx_writer import DocxWriter
from tyndau.reports.i18n import Strings
from tyndau.reports.model import ProgressReport
from tyndau.reports.quarterly import (
    by_status_table,
    group_table,
    progress_table,
    quarterly_figures,
    summary_sentences,
)
from tyndau.reports.text import fmt_date, fmt_datetime, one_line


def quarterly_docx(report: ProgressReport, lang: str) -> bytes:
    """The quarterly report in Russian or Kazakh; marked ПРОЕКТ/ЖОБА unless final."""
    s = Strings(lang)
    figures = quarterly_figures(report, lang=lang)
    title = s.t("quarterly.title", period=s.quarter(report.year, report.quarter))
    w = DocxWriter(s, final=report.final, title=title)
    meta = [s.t("doc.generated", when=fmt_datetime(report.generated_at))]
    if not report.final:
        meta.append(s.t("quarterly.deadline", date=fmt_date(quarterly_report_deadline(report.year, report.quarter))))
    w.title_block(title, f"{one_line(report.heading(lang), 300)}. {s.t('summary.akim')}: {one_line(report.akim, 200)}", meta)
    w.heading(s.t("quarterly.section_summary"))
    for sentence in summary_sentences(figures, s):
        w.paragraph(sentence)
    w.heading(s.t("quarterly.section_by_status"))
    w.table(by_status_table(figures, s))
    w.heading(s.t("quarterly.section_by_executor"))
    w.table(group_table(figures, s, "by_executor"), font_pt=9)
    w.heading(s.t("quarterly.section_by_category"))
    w.table(group_table(figures, s, "by_category"), font_pt=9)
    w.landscape_section()
    w.heading(s.t("quarterly.section_progress"))
    w.table(progress_table(report, s), font_pt=9)
    return w.to_bytes()
