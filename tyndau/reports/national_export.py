"""The national summary as DOCX and XLSX, and the compliance monitor as XLSX and CSV, in Russian or Kazakh."""

from __future__ import annotations

from typing import Any

from tyndau.reports.docx_writer import DocxWriter
from tyndau.reports.i18n import Strings
from tyndau.reports.package_csv import table_csv
from tyndau.reports.tables import Column, Table
from tyndau.reports.text import fmt_datetime
from tyndau.reports.xlsx_writer import XlsxWriter
from tyndau.rollup.summary import NationalSummary, summary_tables


def summary_docx(s: NationalSummary, lang: str) -> bytes:
    """The review as a document: the paragraph of figures, then the tables."""
    t = Strings(lang)
    title = t.t("national.doc_title", year=s.year)
    w = DocxWriter(t, final=True, title=title)
    w.title_block(title, t.t("national.as_of", day=s.today.strftime("%d.%m.%Y")), [t.t("doc.generated", when=fmt_datetime(s.generated_at))])
    for table in summary_tables(s, t):
        w.heading(table.caption)
        if table.rows:
            w.table(table, font_pt=9)
        else:
            w.paragraph(t.t("national.none"))
    return w.to_bytes()


def summary_xlsx(s: NationalSummary, lang: str) -> bytes:
    """The review as a workbook, a sheet per table."""
    t = Strings(lang)
    w = XlsxWriter(t, final=True, title=t.t("national.doc_title", year=s.year))
    for table in summary_tables(s, t):
        w.sheet(table, table.caption)
    return w.to_bytes()


def monitor_table(result: dict[str, Any], t: Strings, year: int, quarter: int) -> Table:
    """The compliance monitor as one table: a row per organiser, late ones first."""
    checks = ("coverage", "announcements", "quarter_rule", "package", "progress")
    cols = [Column("organiser", t.t("compliance.organiser"), "text", 40), Column("unit", t.t("compliance.unit"), "text", 12)]
    for name in checks:
        cols += [Column(f"{name}_ok", f"{t.t(f'compliance.{name}')}: {t.t('compliance.ok')}", "int", 12),
                 Column(f"{name}_total", f"{t.t(f'compliance.{name}')}: {t.t('compliance.total')}", "int", 12),
                 Column(f"{name}_days", f"{t.t(f'compliance.{name}')}: {t.t('compliance.days_late')}", "int", 12)]
    cols += [Column("late", t.t("compliance.late"), "text", 40), Column("days_late", t.t("compliance.days_late"), "int", 12)]
    rows = []
    for r in result["organisers"]:
        name = r.get(f"name_{t.lang}") or r.get("name_ru") or r["organiser_id"]
        row: list[Any] = [name, r["unit_id"] or ""]
        for check in checks:
            c = r["checks"][check]
            row += [c["ok"], c["total"], c["days_late"]]
        row += [", ".join(t.t(f"compliance.{n}") for n in r["late"]), r["days_late"]]
        rows.append(tuple(row))
    return Table("monitor", t.t("compliance.sheet", year=year, quarter=quarter), tuple(cols), tuple(rows), landscape=True)


def monitor_xlsx(result: dict[str, Any], lang: str, year: int, quarter: int) -> bytes:
    """The monitor as a workbook."""
    t = Strings(lang)
    table = monitor_table(result, t, year, quarter)
    w = XlsxWriter(t, final=True, title=table.caption)
    w.sheet(table, table.caption)
    return w.to_bytes()


def monitor_csv(result: dict[str, Any], lang: str, year: int, quarter: int) -> str:
    """The monitor as CSV, the way the package's CSV files are written (BOM, ``;``, formulas neutralised)."""
    t = Strings(lang)
    return table_csv(monitor_table(result, t, year, quarter), t)
