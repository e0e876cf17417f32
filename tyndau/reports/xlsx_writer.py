"""Tables as XLSX sheets with openpyxl: header row frozen and filtered, real dates, set widths.

Text cells are forced to the string type, so a citizen's "=HYPERLINK(...)" stays text and
never becomes a formula.
"""

from __future__ import annotations

import io
import re
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tyndau.reports.i18n import Strings
from tyndau.reports.tables import Column, Table, Value
from tyndau.reports.text import one_line

LANG_TAGS = {"ru": "ru-RU", "kk": "kk-KZ"}
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FORMATS = {"date": "DD.MM.YYYY", "int": "#,##0", "money": "#,##0", "percent": "0.0%"}


class XlsxWriter:
    """A workbook of table sheets; styles are registered once and shared by name."""

    def __init__(self, s: Strings, *, final: bool, title: str) -> None:
        self.s = s
        self.final = final
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        props = self.wb.properties
        props.title = one_line(title if final else f"{s.t('doc.draft')}: {title}", 255)
        props.language = LANG_TAGS[s.lang]
        props.creator = "Tyndau"
        for name, fmt, wrap, horizontal, bold in (
            ("t_head", "General", True, "center", True),
            ("t_text", "General", True, "left", False),
            ("t_date", _FORMATS["date"], False, "center", False),
            ("t_int", _FORMATS["int"], False, "right", False),
            ("t_money", _FORMATS["money"], False, "right", False),
            ("t_percent", _FORMATS["percent"], False, "right", False),
            ("t_total", "General", True, "left", True),
        ):
            style = NamedStyle(name=name, number_format=fmt, border=_BORDER, font=Font(name="Calibri", size=10, bold=bold))
            style.alignment = Alignment(wrap_text=wrap, horizontal=horizontal, vertical="center" if bold else "top")
            if name == "t_head":
                style.fill = PatternFill("solid", fgColor="E7E6E6")
            self.wb.add_named_style(style)

    def sheet(self, table: Table, sheet_name: str) -> Worksheet:
        """One sheet for one table: header in row 1, data below, totals (if any) after a blank row."""
        ws = self.wb.create_sheet(self._sheet_title(sheet_name))
        cols = table.columns
        for j, col in enumerate(cols, start=1):
            cell = ws.cell(row=1, column=j, value=col.header)
            cell.data_type = "s"
            cell.style = "t_head"
            ws.column_dimensions[get_column_letter(j)].width = col.width + 2
        styles = [_style_name(c) for c in cols]
        for i, row in enumerate(table.rows, start=2):
            for j, (col, value) in enumerate(zip(cols, row), start=1):
                _put(ws, i, j, _cell_value(value, col, self.s), styles[j - 1])
        last_row = max(1, len(table.rows) + 1)
        last_col = get_column_letter(len(cols))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{last_col}{last_row}"
        if table.footer is not None and table.rows:
            for j, (col, value) in enumerate(zip(cols, table.footer), start=1):
                if value is not None:
                    style = "t_total" if col.kind == "text" else styles[j - 1]
                    cell = _put(ws, last_row + 2, j, _cell_value(value, col, self.s), style)
                    cell.font = Font(name="Calibri", size=10, bold=True)
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape" if table.landscape or len(cols) > 7 else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.oddFooter.center.text = "&P / &N"
        if not self.final:
            ws.oddHeader.center.text = self.s.t("doc.draft")
            ws.sheet_properties.tabColor = "C00000"
        return ws

    def _sheet_title(self, name: str) -> str:
        base = _SHEET_BAD.sub(" ", one_line(name, 31)).strip("' ")[:31] or "Sheet"
        title, n = base, 2
        while title in self.wb.sheetnames:
            suffix = f" ({n})"
            title, n = base[: 31 - len(suffix)] + suffix, n + 1
        return title

    def to_bytes(self) -> bytes:
        """The finished .xlsx file."""
        out = io.BytesIO()
        self.wb.save(out)
        return out.getvalue()


def _style_name(col: Column) -> str:
    return {"date": "t_date", "int": "t_int", "money": "t_money", "percent": "t_percent"}.get(col.kind, "t_text")


def _cell_value(value: Value, col: Column, s: Strings) -> Value:
    """Dates and numbers stay typed (real Excel dates); booleans become да/нет; text stays text."""
    if isinstance(value, bool):
        return s.yes_no(value)
    if isinstance(value, datetime):
        return value.date()
    return value


def _put(ws: Worksheet, row: int, col: int, value: Value, style: str) -> Cell:
    """Write one cell; a string is pinned to the text type (never a formula) and styled as text."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        style = style if style == "t_total" else "t_text"
    cell.style = style
    return cell
