"""Read CSV and XLSX exports into raw rows, safely: encodings, ``sep=`` lines, delimiters, and limits.

The 50 MB upload cap bounds the compressed file only, so reading enforces its own limits
(:class:`Limits`): rows, cells, columns, and for XLSX (a ZIP) the uncompressed size of every member
and of the shared strings, checked before parsing; a workbook with a DTD (billion laughs, external
entities) is refused. Everything here is synchronous and meant to run in a worker thread.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tyndau.live.sources.encodings import CHOICES, Detected, decode, detect_encoding

DELIMITERS = (";", ",", "\t", "|")
FIELD_LIMIT = 16 << 20


class FileImportError(ValueError):
    """A file that cannot be imported as it is; the message says what to fix."""

    status = 422


class UnsupportedFileError(FileImportError):
    """A format we do not read (say, old ``.xls``)."""


class TooLargeError(FileImportError):
    """A file over one of the import limits (answered 413)."""

    status = 413


@dataclass(frozen=True, slots=True)
class Limits:
    """What one import may hold."""

    rows: int = 100_000
    cells: int = 3_000_000
    columns: int = 200
    xlsx_uncompressed: int = 400 << 20
    xlsx_member: int = 250 << 20
    shared_strings: int = 64 << 20


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """The operator's corrections of what was detected (None: detect)."""

    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None
    header_rows: int | None = None
    date_order: str | None = None
    sheet: str | None = None


@dataclass(slots=True)
class RawSheet:
    """Non-empty rows with their 1-based row numbers, plus what was detected while reading."""

    rows: list[tuple[int, list[Any]]]
    kind: str
    detected: dict[str, Detected] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    sheet: str | None = None


def sniff_delimiter(text: str) -> tuple[str, int]:
    """The delimiter that splits the first lines into the most, and most consistent, columns; and that width."""
    sample = text[: 64 * 1024]
    best, best_score = ",", (0, 0)
    for delim in DELIMITERS:
        try:
            rows = list(itertools.islice(csv.reader(io.StringIO(sample, newline=""), delimiter=delim), 40))
        except csv.Error:
            continue
        rows = [r for r in rows if sum(1 for c in r if c.strip()) >= 2]
        if not rows:
            continue
        widths = [len(r) for r in rows]
        width = max(set(widths), key=widths.count)
        score = (widths.count(width), width)
        if width >= 2 and score > best_score:
            best, best_score = delim, score
    return best, best_score[1]


def _blank(cells: list[Any]) -> bool:
    return not any(v is not None and str(v).strip() for v in cells)


def _trim(cells: list[Any]) -> list[Any]:
    end = len(cells)
    while end and (cells[end - 1] is None or (isinstance(cells[end - 1], str) and not cells[end - 1].strip())):
        end -= 1
    return cells[:end]


class _Counter:
    """Counts rows and cells against the limits while reading."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.cells = 0

    def take(self, rows: list[tuple[int, list[Any]]], number: int, cells: list[Any]) -> None:
        cells = _trim(cells)
        if not cells or _blank(cells):
            return
        if len(cells) > self.limits.columns:
            raise TooLargeError(f"row {number} has {len(cells)} columns; at most {self.limits.columns} can be imported")
        self.cells += len(cells)
        if len(rows) >= self.limits.rows + 10:  # a title and a footer are not rows of requests
            raise TooLargeError(f"the file has more than {self.limits.rows:,} rows; split it into smaller files")
        if self.cells > self.limits.cells:
            raise TooLargeError(f"the file has more than {self.limits.cells:,} filled cells; split it into smaller files")
        rows.append((number, cells))


def read_csv_bytes(data: bytes, options: ReadOptions = ReadOptions(), limits: Limits = Limits()) -> RawSheet:
    """Parse CSV bytes in whatever encoding and delimiter they came in (or the ones the operator chose)."""
    if options.encoding:
        if options.encoding not in CHOICES:
            raise FileImportError(f"unknown encoding {options.encoding!r}; one of {', '.join(CHOICES)}")
        enc = Detected(options.encoding, "given")
    else:
        enc = detect_encoding(data)
    text, replaced = decode(data, enc.value)
    what = "invalid UTF-8" if enc.code == "enc_utf8_broken" else "undecodable"
    problems = [f"{replaced} {what} byte sequence(s) replaced with \ufffd"] if replaced else []
    if "\x00" in text:
        text = text.replace("\x00", "")
        problems.append("NUL characters removed")
    first_line, _, rest = text.partition("\n")
    first_number = 1
    if first_line.strip().lower().startswith("sep=") and len(first_line.strip()) in (5, 6):
        delim = Detected(first_line.strip()[4:] or ",", "delim_sep_line")
        text, first_number = rest, 2
    elif options.delimiter:
        delim = Detected("\t" if options.delimiter in ("\\t", "tab") else options.delimiter, "given")
    else:
        value, width = sniff_delimiter(text)
        delim = Detected(value, "delim_sniffed", {"columns": width})
    if len(delim.value) != 1:
        raise FileImportError("the delimiter must be one character")
    if options.delimiter and delim.code == "delim_sep_line" and options.delimiter != delim.value:
        delim = Detected(options.delimiter, "given")
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))  # over-long texts are kept, not refused
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim.value)
    rows: list[tuple[int, list[Any]]] = []
    counter = _Counter(limits)
    number = first_number - 1
    try:
        for record in reader:
            number += 1
            counter.take(rows, number, list(record))
    except csv.Error as exc:
        problems.append(f"row {number + 1}: unreadable CSV ({exc}); the rest of the file was not read")
    return RawSheet(rows, "csv", {"encoding": enc, "delimiter": delim}, problems)


def check_workbook(path: Path, limits: Limits = Limits()) -> None:
    """Refuse, before parsing, a ZIP that expands too far, has huge shared strings, or XML with a DTD."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
            names = {m.filename for m in members}
            if "xl/workbook.xml" not in names:
                raise FileImportError("this ZIP is not an Excel workbook (no xl/workbook.xml); save the table as .xlsx or .csv")
            total = sum(m.file_size for m in members)
            if total > limits.xlsx_uncompressed:
                raise TooLargeError(f"the workbook expands to {total >> 20} MB; at most {limits.xlsx_uncompressed >> 20} MB can be read")
            for m in members:
                if m.file_size > limits.xlsx_member:
                    raise TooLargeError(f"{m.filename} expands to {m.file_size >> 20} MB; at most {limits.xlsx_member >> 20} MB")
                if m.filename.endswith("sharedStrings.xml") and m.file_size > limits.shared_strings:
                    raise TooLargeError(f"the workbook's shared strings are {m.file_size >> 20} MB; at most {limits.shared_strings >> 20} MB")
                if m.filename.endswith((".xml", ".rels")):
                    with zf.open(m) as handle:
                        head = handle.read(4096)
                    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                        raise FileImportError(f"{m.filename} declares a DTD/entities, which an Excel workbook never does; refused")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise FileImportError(f"not a readable XLSX workbook ({type(exc).__name__})") from None


def _xlsx_rows(ws: Any) -> Iterator[tuple[int, list[Any]]]:
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        yield number, list(values)


def read_xlsx(path: Path, options: ReadOptions = ReadOptions(), limits: Limits = Limits()) -> RawSheet:
    """The first (or named) sheet of an XLSX workbook, checked first (see :func:`check_workbook`)."""
    check_workbook(path, limits)
    import openpyxl  # heavy import, only when a workbook is read

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for broken files
        raise FileImportError(f"not a readable XLSX workbook ({type(exc).__name__})") from None
    try:
        sheet = options.sheet
        if sheet is not None and sheet not in wb.sheetnames:
            raise FileImportError(f'no sheet "{sheet}"; sheets are: {", ".join(wb.sheetnames)}')
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # a bogus A1:XFD1048576 dimension must not pad every row
        rows: list[tuple[int, list[Any]]] = []
        counter = _Counter(limits)
        try:
            for number, cells in _xlsx_rows(ws):
                counter.take(rows, number, cells)
        except FileImportError:
            raise
        except Exception as exc:  # noqa: BLE001 - a broken sheet XML is the file's fault, not ours
            raise FileImportError(f"the sheet cannot be read ({type(exc).__name__}); open and save it again in Excel") from None
        others = [n for n in wb.sheetnames if n != ws.title]
        detected = {"sheet": Detected(ws.title, "given" if sheet else "sheet_first", {"others": ", ".join(others)})}
        return RawSheet(rows, "xlsx", detected, [], ws.title)
    finally:
        wb.close()


def read_raw(path: Path, options: ReadOptions = ReadOptions(), limits: Limits = Limits()) -> RawSheet:
    """CSV (any extension but .xlsx/.xlsm) or XLSX, by extension and magic bytes."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise UnsupportedFileError("old Excel .xls is not supported: save the file as .xlsx or .csv")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFileError("this is an old Excel .xls (or another OLE) file: save it as .xlsx or .csv")
    if suffix in (".xlsx", ".xlsm") or head.startswith(b"PK\x03\x04"):
        return read_xlsx(path, options, limits)
    return read_csv_bytes(path.read_bytes(), options, limits)


def cell_text(value: Any) -> str:
    """A cell as text: integral floats without ``.0`` (phone numbers, ids), dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)
