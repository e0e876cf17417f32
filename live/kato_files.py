"""Read KATO exports (CSV or XLSX, as stat.gov.kz and data.egov.kz publish them) into units.

These are the explicit loader functions: they read bytes, find the header row (a title may sit
above it), map the columns onto our names and hand the rows to :func:`units_from_rows`. Column
names are matched without regard to case, spaces or underscores, so ``name_rus``, ``nameRus``
and ``namerus`` are the same column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

from tyndau.domain.kato import KatoImport, KatoRow, units_from_rows

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
HEADER_SCAN = 30

# Our column → the spellings seen in exports (normalised: lower case, no spaces/underscores/dots).
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("te", "code", "kato", "katocode", "код", "кодкато", "като"),
    "ab": ("ab",), "cd": ("cd",), "ef": ("ef",), "hij": ("hij",),
    "k": ("k", "areatype"),
    "name_kk": ("namekaz", "kazname", "namekk", "namekz", "наименованиенаказахскомязыке", "атауы"),
    "name_ru": ("namerus", "rusname", "nameru", "наименованиенарусскомязыке", "наименование"),
    "nn": ("nn",),
    "kind": ("kind",), "parent": ("parent", "parentcode"),
    "valid_from": ("validfrom",), "valid_to": ("validto",),
}
_ALIAS = {alias: ours for ours, aliases in COLUMNS.items() for alias in aliases}


class KatoFileError(ValueError):
    """The file as a whole cannot be read (format, size, no header)."""


def read_kato_file(path: str | Path, *, valid_from: date | None = None) -> KatoImport:
    """Load a .csv/.tsv/.txt or .xlsx KATO export from disk."""
    p = Path(path)
    if p.stat().st_size > MAX_BYTES:
        raise KatoFileError(f"{p.name} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    return read_kato_bytes(p.read_bytes(), p.name, valid_from=valid_from)


def read_kato_bytes(data: bytes, filename: str, *, valid_from: date | None = None) -> KatoImport:
    """Load an export from bytes (an upload), choosing the reader by the file's extension."""
    if len(data) > MAX_BYTES:
        raise KatoFileError(f"{filename} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(data)
    elif suffix in (".csv", ".tsv", ".txt"):
        rows = _csv_rows(data)
    else:
        raise KatoFileError(f"{filename}: expected a .csv or .xlsx export of KATO, not {suffix or 'no extension'}")
    return units_from_rows(_records(rows, filename), valid_from=valid_from)


def _normal(header: object) -> str:
    return re.sub(r"[\s_.\-]+", "", str(header or "")).lower().replace("ё", "е")


def _records(rows: Iterable[tuple[int, Sequence[str]]], filename: str) -> Iterator[KatoRow]:
    """Find the header within the first rows, then yield each non-blank row under our names."""
    columns: list[str | None] | None = None
    count = 0
    for line, cells in rows:
        if columns is None:
            mapped = [_ALIAS.get(_normal(c)) for c in cells]
            if "code" in mapped and ("name_ru" in mapped or "name_kk" in mapped):
                columns = mapped
            elif line >= HEADER_SCAN:
                break
            continue
        if not any(c.strip() for c in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise KatoFileError(f"{filename} has more than {MAX_ROWS} rows")
        yield KatoRow(line, {name: cells[i] for i, name in enumerate(columns) if name and i < len(cells)})
    if columns is None:
        raise KatoFileError(
            f"{filename}: no header row in the first {HEADER_SCAN} rows with a code column (te, code or kato) "
            "and a name column (name_rus / nameRus or name_kaz / nameKaz)"
        )


def _csv_rows(data: bytes) -> Iterator[tuple[int, Sequence[str]]]:
    """CSV rows with their line numbers: UTF-8 (with or without BOM), else KZ-1048.

    KZ-1048 is the Kazakh Windows code page: Windows-1251 with Қ, Ә, Ң, Ғ, Ү, Ұ, Ө, Һ, І in the
    slots of rarely used letters, so a Russian-only Windows-1251 file decodes the same way.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("kz1048", errors="replace")
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as exc:
        raise KatoFileError(f"line {reader.line_num}: not readable as CSV ({exc})") from None


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, Sequence[str]]]:
    """Rows of the first sheet that has a header, cells as text (numbers without '.0')."""
    from openpyxl import load_workbook  # the spreadsheet library loads only when a sheet is read

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises several unrelated types for a broken file
        raise KatoFileError(f"not a readable .xlsx file ({type(exc).__name__})") from None
    try:
        for sheet in book.worksheets:
            rows = [(i, [_cell(v) for v in values]) for i, values in enumerate(sheet.iter_rows(values_only=True), 1)]
            head = [cells for i, cells in rows if i <= HEADER_SCAN]
            if any("code" in {_ALIAS.get(_normal(c)) for c in cells} for cells in head):
                yield from rows
                return
        yield from ()
    finally:
        book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
