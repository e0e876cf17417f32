"""The publication package as CSV files for the open-data portal and Excel.

UTF-8 with a byte-order mark (so Excel detects the encoding), ``;`` as the separator by default
(Excel's list separator in Russian and Kazakh locales, which also use the decimal comma), one file
per table, dates as dd.mm.yyyy, amounts as plain integers. A leading ``= + - @`` in a text cell is
neutralised so the file cannot carry a formula.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

from tyndau.reports.i18n import Strings
from tyndau.reports.model import Round
from tyndau.reports.planning_tables import planning_tables
from tyndau.reports.tables import (
    Column,
    Table,
    Value,
    action_plan_table,
    meetings_table,
    problems_table,
    sources_table,
)
from tyndau.reports.text import fmt_date, spreadsheet_safe
from tyndau.reports.validate import ensure_exportable

BOM = "\ufeff"


def table_csv(table: Table, s: Strings, *, delimiter: str = ";") -> str:
    """One table as CSV text, starting with the BOM; header row of localized column names."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([c.header for c in table.columns])
    for row in table.rows:
        writer.writerow([_value(v, c, s) for c, v in zip(table.columns, row)])
    return out.getvalue()


def package_csv(round_: Round, lang: str, *, delimiter: str = ";") -> dict[str, str]:
    """``{file name: CSV text}`` for the meetings, sources, problems and action-plan tables."""
    ensure_exportable(round_)
    s = Strings(lang)
    tables = (meetings_table(round_, s), sources_table(round_, s), *planning_tables(round_, s), problems_table(round_, s),
              action_plan_table(round_, s))
    return {f"{t.name}_{lang}.csv": table_csv(t.view("data"), s, delimiter=delimiter) for t in tables}


def package_csv_zip(round_: Round, lang: str, *, delimiter: str = ";") -> bytes:
    """The CSV files in one ZIP archive (one download for the portal)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in package_csv(round_, lang, delimiter=delimiter).items():
            archive.writestr(name, text.encode("utf-8"))
    return out.getvalue()


def _value(value: Value, col: Column, s: Strings) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return s.yes_no(value)
    if isinstance(value, (date, datetime)):
        return fmt_date(value)
    if col.kind == "percent" and isinstance(value, (int, float)):
        return f"{value * 100:.1f}".replace(".", ",")
    if isinstance(value, (int, float)):
        return str(value)
    return spreadsheet_safe(value)
