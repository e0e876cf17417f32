"""Pooled requests from CSV and XLSX exports (e-appeals, the akim's blog, open data, the commission's table).

A mapping names, for each of our fields, the column that holds it, e.g.
``{"text": "Текст обращения", "author": "ФИО", "created_at": "Дата", "external_id": "Номер",
"contact": "Телефон"}``; fields left out are guessed (:mod:`headers`). How the file was read —
encoding, delimiter, header row(s), title and footer rows, the date format — is detected, reported
with reasons in :attr:`Preview.detected`, and can be corrected with :class:`ReadOptions`. The contact
goes to ``extra["contact"]``, private and never published. A row without a number gets a stable id
from its content, so re-importing the same file adds nothing. Reading and mapping run in a worker
thread within :class:`Limits`. ``*.live_chat.json`` files go through the YouTube parser instead.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tyndau.domain.comments import IncomingComment
from tyndau.domain.text_safety import storable
from tyndau.live.sources.base import CommentSink, SourceHealth
from tyndau.live.sources.common import Checkpoint, Clock, HealthTracker, MemoryCheckpoint, chunks, deliver
from tyndau.live.sources.dates import ORDERS, detect_dates, parse_when
from tyndau.live.sources.encodings import Detected
from tyndau.live.sources.headers import FIELDS, MissingColumnsError, guess_mapping, resolve_mapping
from tyndau.live.sources.layout import Table, locate
from tyndau.live.sources.tables import FileImportError, Limits, ReadOptions, TooLargeError, cell_text, read_raw
from tyndau.live.sources.youtube_chat import parse_file as parse_chat_file
from tyndau.timeutil import utcnow

__all__ = [
    "FIELDS", "FileImportError", "MissingColumnsError", "TooLargeError", "Preview", "PreviewRow", "ImportResult",
    "FileSource", "ReadOptions", "Limits", "guess_mapping", "resolve_mapping", "preview", "import_file",
    "read_table", "parse_when",
]

SCIENTIFIC = re.compile(r"^\d[.,]\d+E\+?\d+$", re.IGNORECASE)


@dataclass(slots=True)
class PreviewRow:
    """One row as it would be imported: our fields, the comment (None if skipped) and its problems."""

    row: int
    values: dict[str, str]
    comment: IncomingComment | None
    problems: list[str] = field(default_factory=list)


def row_to_comment(
    cells: Sequence[Any], columns: Sequence[str], mapping: Mapping[str, str], row: int, *,
    source: str = "file", clock: Clock = utcnow, date_order: str = "dmy",
) -> PreviewRow:
    """Map one row; an empty text skips it, a missing or unreadable date is flagged and set to now."""
    index = {col: i for i, col in enumerate(columns)}
    raw = {fld: cells[index[col]] if index[col] < len(cells) else None for fld, col in mapping.items()}
    values = {fld: storable(cell_text(v)).strip() for fld, v in raw.items()}
    problems: list[str] = []
    text = values.get("text", "")
    if not text:
        return PreviewRow(row, values, None, ["empty text: row skipped"])
    created = parse_when(raw.get("created_at"), date_order)
    extra: dict[str, Any] = {"row": row}
    if created is None:
        if values.get("created_at"):
            problems.append(f'unreadable date "{values["created_at"][:40]}": import time used')
        extra["created_at_missing"] = True
        created = clock()
    for fld in ("contact", "external_id"):
        if SCIENTIFIC.match(values.get(fld, "")):
            problems.append(f'{fld} "{values[fld]}" is in scientific notation: Excel cut its digits; format the column as text')
    if values.get("contact"):
        extra["contact"] = values["contact"]
    external_id = values.get("external_id") or None
    if external_id is None:
        key = "\x1f".join(values.get(k, "") for k in ("author", "text", "created_at", "contact"))
        external_id = "row:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    comment = IncomingComment(
        source=source, external_id=external_id[:200], author=values.get("author", "")[:300], text=text,
        created_at=created, lang=(values.get("lang") or None) and values["lang"][:10], kind="request", extra=extra,
    )
    return PreviewRow(row, values, comment, problems)


@dataclass(slots=True)
class Preview:
    """What an import would do: columns, the mapping used, the first rows mapped, problems, and how it was read."""

    kind: str
    columns: list[str]
    mapping: dict[str, str]
    rows: list[PreviewRow]
    total_rows: int
    problems: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    detected: dict[str, Any] = field(default_factory=dict)
    sheet: str | None = None


@dataclass(slots=True)
class ImportResult:
    """The comments of a whole file, plus what was skipped or flagged and why."""

    comments: list[IncomingComment]
    total_rows: int
    skipped: int
    problems: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None
    detected: dict[str, Any] = field(default_factory=dict)


def is_chat_file(path: Path) -> bool:
    """yt-dlp's live chat (saved or still ``.part``)."""
    name = path.name.lower()
    return name.endswith(".live_chat.json") or name.endswith(".live_chat.json.part")


def _options(options: ReadOptions | None, sheet: str | None) -> ReadOptions:
    opts = options or ReadOptions()
    if sheet is not None and opts.sheet is None:
        opts = ReadOptions(opts.encoding, opts.delimiter, opts.header_row, opts.header_rows, opts.date_order, sheet)
    if opts.date_order not in (None, *ORDERS):
        raise FileImportError(f"date_order must be one of {', '.join(ORDERS)}")
    if opts.header_rows not in (None, 1, 2):
        raise FileImportError("header_rows must be 1 or 2")
    return opts


def read_table_sync(path: Path, options: ReadOptions | None = None, limits: Limits = Limits()) -> Table:
    """Read and locate the table (synchronous: call it in a worker thread)."""
    return locate(read_raw(Path(path), options or ReadOptions(), limits), options or ReadOptions())


async def read_table(path: Path, sheet: str | None = None, *, options: ReadOptions | None = None) -> Table:
    """Read a CSV or XLSX file off the event loop."""
    return await asyncio.to_thread(read_table_sync, Path(path), _options(options, sheet))


def _dates(table: Table, mapping: Mapping[str, str], options: ReadOptions) -> Detected | None:
    column = mapping.get("created_at")
    if column is None:
        return None
    at = table.columns.index(column)
    found = detect_dates(cells[at] for _, cells in table.rows[:2000] if at < len(cells))
    if options.date_order:
        return Detected(options.date_order, "given", {}, ())
    return found


def _detected_json(table: Table, dates: Detected | None) -> dict[str, Any]:
    out = {k: v.as_json() for k, v in table.detected.items()}
    if dates is not None:
        out["dates"] = dates.as_json()
    return out


def _date_order(dates: Detected | None) -> str:
    return str(dates.value) if dates is not None and dates.value in ORDERS else "dmy"


def _preview_sync(path: Path, mapping: Mapping[str, str] | None, rows: int, options: ReadOptions, source: str,
                  limits: Limits) -> Preview:
    table = read_table_sync(path, options, limits)
    problems = list(table.problems)
    try:
        resolved = resolve_mapping(table.columns, mapping)
    except FileImportError as exc:
        problems.append(str(exc))
        resolved = {}
    dates = _dates(table, resolved, options)
    out: list[PreviewRow] = []
    for number, cells in table.rows[:rows]:
        if resolved:
            out.append(row_to_comment(cells, table.columns, resolved, number, source=source, date_order=_date_order(dates)))
        else:
            values = {c: cell_text(cells[i]) if i < len(cells) else "" for i, c in enumerate(table.columns)}
            out.append(PreviewRow(number, values, None))
    return Preview(table.kind, table.columns, resolved, out, len(table.rows), problems, table.encoding,
                   table.delimiter, _detected_json(table, dates), table.sheet)


def _import_sync(path: Path, mapping: Mapping[str, str] | None, options: ReadOptions, source: str, clock: Clock,
                 limits: Limits) -> ImportResult:
    table = read_table_sync(path, options, limits)
    resolved = resolve_mapping(table.columns, mapping)
    dates = _dates(table, resolved, options)
    order = _date_order(dates)
    comments: list[IncomingComment] = []
    problems = list(table.problems)
    skipped = 0
    for number, cells in table.rows:
        mapped = row_to_comment(cells, table.columns, resolved, number, source=source, clock=clock, date_order=order)
        problems.extend(f"row {number}: {p}" for p in mapped.problems)
        if mapped.comment is None:
            skipped += 1
        else:
            comments.append(mapped.comment)
    return ImportResult(comments, len(table.rows), skipped, problems, resolved, table.encoding, table.delimiter,
                        _detected_json(table, dates))


async def _chat_rows(path: Path) -> tuple[list[PreviewRow], list[str], int]:
    comments, report = await parse_chat_file(path)
    rows = [
        PreviewRow(i, {"text": c.text, "author": c.author, "created_at": c.created_at.isoformat(),
                       "external_id": c.external_id or ""}, c)
        for i, c in enumerate(comments, start=1)
    ]
    problems = [f"line {p.line}: {p.reason}" for p in report.problems]
    return rows, problems, report.lines


async def preview(path: Path, mapping: Mapping[str, str] | None = None, rows: int = 10, *,
                  sheet: str | None = None, source: str = "file", options: ReadOptions | None = None,
                  limits: Limits = Limits()) -> Preview:
    """The first ``rows`` rows mapped, plus problems; a bad mapping is a problem here, not an error."""
    path = Path(path)
    if is_chat_file(path):
        chat_rows, problems, lines = await _chat_rows(path)
        return Preview("live_chat", [], {}, chat_rows[:rows], lines, problems)
    return await asyncio.to_thread(_preview_sync, path, mapping, rows, _options(options, sheet), source, limits)


async def import_file(path: Path, mapping: Mapping[str, str] | None = None, *, sheet: str | None = None,
                      source: str = "file", clock: Clock = utcnow, options: ReadOptions | None = None,
                      limits: Limits = Limits()) -> ImportResult:
    """Every row of a CSV/XLSX (or every comment of a chat file); raises :class:`FileImportError`."""
    path = Path(path)
    if is_chat_file(path):
        chat, report = await parse_chat_file(path)
        notes = [f"line {p.line}: {p.reason}" for p in report.problems]
        return ImportResult(chat, report.lines, report.skipped, notes)
    return await asyncio.to_thread(_import_sync, path, mapping, _options(options, sheet), source, clock, limits)


class FileSource:
    """``tyndau ingest file``: one file into the sink in batches, resumable by count of rows delivered."""

    name = "file"

    def __init__(
        self,
        path: Path,
        mapping: Mapping[str, str] | None = None,
        *,
        sheet: str | None = None,
        checkpoint: Checkpoint | None = None,
        batch_size: int = 500,
        clock: Clock = utcnow,
    ) -> None:
        self.path = Path(path)
        self.mapping = dict(mapping or {})
        self.sheet = sheet
        self.checkpoint: Checkpoint = checkpoint or MemoryCheckpoint()
        self.batch_size = batch_size
        self.clock = clock
        self.result: ImportResult | None = None
        self._tracker = HealthTracker()

    def health(self) -> SourceHealth:
        """starting → connected while delivering → finished (or down with the error)."""
        return self._tracker.snapshot()

    async def run(self, sink: CommentSink) -> None:
        """Import, deliver in batches after the checkpointed count, then finish."""
        try:
            self.result = await import_file(self.path, self.mapping, sheet=self.sheet, clock=self.clock)
        except (FileImportError, OSError) as exc:
            self._tracker.set("down", "import_failed", error=str(exc))
            raise
        digest = await asyncio.to_thread(lambda: hashlib.sha256(self.path.read_bytes()).hexdigest())
        state = await self.checkpoint.load() or {}
        done = int(state.get("delivered", 0)) if state.get("sha256") == digest else 0
        self._tracker.skipped = self.result.skipped
        self._tracker.set("connected", "importing", file=self.path.name)
        for batch in chunks(self.result.comments[done:], self.batch_size):
            await deliver(sink, batch, self._tracker, self.clock)
            done += len(batch)
            await self.checkpoint.save({"sha256": digest, "delivered": done})
        self._tracker.set("finished", "import_done", imported=done, skipped=self.result.skipped)
