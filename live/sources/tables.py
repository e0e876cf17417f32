"""Read CSV and XLSX exports into a header and rows: encoding detection, delimiter sniffing, cell values."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import charset_normalizer

CYRILLIC_CODEPAGES = ["utf_8", "utf_16", "cp1251", "kz1048", "koi8_r", "cp866", "mac_cyrillic"]
"""What Kazakh and Russian exports come in; kz1048 is cp1251 plus the Kazakh letters."""

DELIMITERS = (";", ",", "\t", "|")
FIELD_LIMIT = 16 << 20


class FileImportError(ValueError):
    """A file that cannot be imported as it is; the message says what to fix."""


class UnsupportedFileError(FileImportError):
    """A format we do not read (say, old ``.xls``)."""


@dataclass(slots=True)
class Table:
    """A sheet: the header, the data rows with their row numbers (header = row 1), and how it was read."""

    columns: list[str]
    rows: list[tuple[int, list[Any]]]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    problems: list[str] = field(default_factory=list)


def decode_bytes(data: bytes) -> tuple[str, str, list[str]]:
    """Text, encoding name and problems: BOMs first, then strict UTF-8, then charset-normalizer."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace")
        return text, "utf-8-sig", _replaced(text)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", "replace")
        return text, "utf-16", _replaced(text)
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", "replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for ch in lenient if ord(ch) > 127 and ch != "\ufffd")
    if good > 4 * bad:  # UTF-8 with a few broken bytes, not another encoding
        return lenient, "utf-8", [f"{bad} invalid UTF-8 byte sequence(s) replaced with \ufffd"]
    best = charset_normalizer.from_bytes(data, cp_isolation=CYRILLIC_CODEPAGES).best()
    if best is None:
        text = data.decode("cp1251", "replace")
        return text, "cp1251", ["encoding not recognised; read as cp1251"]
    return str(best), best.encoding, []


def _replaced(text: str) -> list[str]:
    bad = text.count("\ufffd")
    return [f"{bad} undecodable byte sequence(s) replaced with \ufffd"] if bad else []


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most, and most consistent, columns."""
    sample = text[: 64 * 1024]
    best, best_score = ",", (0, 0)
    for delim in DELIMITERS:
        try:
            reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delim)
            rows = list(itertools.islice(reader, 30))
        except csv.Error:
            continue
        rows = [r for r in rows if any(c.strip() for c in r)]
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        consistent = sum(1 for r in rows if len(r) == width)
        score = (consistent, width)
        if score > best_score:
            best, best_score = delim, score
    return best


def read_csv_bytes(data: bytes) -> Table:
    """Parse CSV bytes in whatever encoding and delimiter they came in."""
    text, encoding, problems = decode_bytes(data)
    if "\x00" in text:
        text = text.replace("\x00", "")
        problems.append("NUL characters removed")
    delimiter = sniff_delimiter(text)
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))  # over-long texts are kept, not refused
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    number = 0
    try:
        for record in reader:
            number += 1
            if columns is None:
                if any(c.strip() for c in record):
                    columns = [c.strip() for c in record]
                continue
            if any(c.strip() for c in record):
                rows.append((number, list(record)))
    except csv.Error as exc:
        problems.append(f"row {number + 1}: unreadable CSV ({exc}); the rest of the file was not read")
    if columns is None:
        raise FileImportError("the file is empty: no header row")
    return Table(columns, rows, encoding, delimiter, None, problems)


def read_xlsx(path: Path, sheet: str | None = None) -> Table:
    """The first (or named) sheet of an XLSX workbook; the first non-empty row is the header."""
    import openpyxl  # heavy import, only when a workbook is read

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileImportError(f"not a readable XLSX workbook ({type(exc).__name__})") from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise FileImportError(f'no sheet "{sheet}"; sheets are: {", ".join(wb.sheetnames)}')
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        columns: list[str] | None = None
        rows: list[tuple[int, list[Any]]] = []
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = list(values)
            if not any(v is not None and str(v).strip() for v in cells):
                continue
            if columns is None:
                columns = [cell_text(v).strip() for v in cells]
                continue
            rows.append((number, cells))
        if columns is None:
            raise FileImportError("the sheet is empty: no header row")
        return Table(columns, rows, None, None, ws.title, [])
    finally:
        wb.close()


def read_table_sync(path: Path, sheet: str | None = None) -> Table:
    """CSV (any extension but .xlsx/.xlsm) or XLSX, by extension and magic bytes."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise UnsupportedFileError("old Excel .xls is not supported: save the file as .xlsx or .csv")
    with path.open("rb") as handle:
        head = handle.read(4)
    if suffix in (".xlsx", ".xlsm") or head == b"PK\x03\x04":
        return read_xlsx(path, sheet)
    return read_csv_bytes(path.read_bytes())


def cell_text(value: Any) -> str:
    """A cell as text: integral floats without ``.0`` (phone numbers, ids), dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)
