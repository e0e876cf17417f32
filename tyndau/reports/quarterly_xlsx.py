"""The quarterly progress report as an XLSX workbook: one sheet per table."""

from __future__ import annotations

from tyndau.reports.i18n import Strings
from tyndau.reports.model import ProgressReport
from tyndau.reports.quarterly import (
    by_status_table,
    group_table,
    progress_table,
    quarterly_figures,
)
from tyndau.reports.text import one_line
from tyndau.reports.xlsx_writer import XlsxWriter


def quarterly_xlsx(report: ProgressReport, lang: str) -> bytes:
    """Sheets: progress per problem, by status, by executor, by category (real dates, filters, frozen header)."""
    s = Strings(lang)
    figures = quarterly_figures(report, lang=lang)
    title = s.t("quarterly.title", period=s.quarter(report.year, report.quarter)) + f" — {one_line(report.heading(lang), 200)}"
    w = XlsxWriter(s, final=report.final, title=title)
    w.sheet(progress_table(report, s), s.t("sheet.progress"))
    w.sheet(by_status_table(figures, s), s.t("sheet.by_status"))
    w.sheet(group_table(figures, s, "by_executor"), s.t("sheet.by_executor"))
    w.sheet(group_table(figures, s, "by_category"), s.t("sheet.by_category"))
    return w.to_bytes()
