"""Pooled requests from CSV and XLSX exports (e-appeals, the akim's blog, open data, the commission's table).

A mapping names, for each of our fields, the column that holds it, e.g.
``{"text": "Текст обращения", "author": "ФИО", "created_at": "Дата", "external_id": "Номер",
"contact": "Телефон"}``; fields left out are guessed from common Russian, Kazakh and English headers.
The contact goes to ``extra["contact"]``, which is private and never published. Naive dates are
Almaty time. A row without a number gets a stable id from its content, so re-importing the same file
adds nothing. ``*.live_chat.json`` files go through the YouTube parser instead.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Mapping, Sequence

from tyndau.live.comments import IncomingComment
from tyndau.live.sources.base import CommentSink, SourceHealth
from tyndau.live.sources.common import (
    Checkpoint,
    Clock,
    HealthTracker,
    MemoryCheckpoint,
    chunks,
    clean_text,
    deliver,
)
from tyndau.live.sources.tables import FileImportError, Table, cell_text, read_table_sync
from tyndau.live.sources.youtube_chat import parse_file as parse_chat_file
from tyndau.timeutil import ALMATY, utcnow

__all__ = [
    "FIELDS", "FileImportError", "MissingColumnsError", "Preview", "PreviewRow", "ImportResult",
    "FileSource", "guess_mapping", "resolve_mapping", "preview", "import_file", "read_table", "parse_when",
]  # fmt: skip

FIELDS = ("text", "author", "created_at", "external_id", "contact", "lang")
PRIORITY = ("contact", "external_id", "created_at", "author", "lang", "text")
"""Tie-break order: "Номер телефона" is a contact before it is a number."""

EXACT: dict[str, tuple[str, ...]] = {
    "text": ("текст", "текст обращения", "обращение", "вопрос", "суть обращения", "содержание", "мәтін",
             "өтініш мәтіні", "сұрақ", "text", "message", "question", "comment", "body"),
    "author": ("фио", "ф и о", "автор", "заявитель", "имя", "аты жөні", "аты-жөні", "өтініш беруші",
               "name", "full name", "author", "applicant"),
    "created_at": ("дата", "дата и время", "время", "күні", "уақыты", "date", "created", "created at",
                   "timestamp", "time"),
    "external_id": ("номер", "№", "n", "id", "нөмірі", "number", "no", "external id", "ref"),
    "contact": ("телефон", "тел", "контакт", "контакты", "email", "e mail", "эл почта", "байланыс", "phone",
                "contact", "mobile"),
    "lang": ("язык", "тіл", "language", "lang"),
}  # fmt: skip
STEMS: dict[str, tuple[str, ...]] = {
    "text": ("текст", "обращени", "вопрос", "содержани", "сообщени", "комментари", "суть", "мәтін", "сұрақ",
             "өтініш", "хабарлама", "пікір", "text", "message", "question", "comment", "content", "request"),
    "author": ("фио", "автор", "заявител", "гражданин", "аты", "name", "author", "sender", "applicant"),
    "created_at": ("дата", "время", "күн", "уақыт", "date", "time", "created", "submitted"),
    "external_id": ("номер", "№", "нөмір", "number", "id"),
    "contact": ("телефон", "контакт", "почт", "email", "байланыс", "phone", "mobile", "contact"),
    "lang": ("язык", "тіл", "language"),
}  # fmt: skip
DATE_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y %H:%M:%S",
                "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y.%m.%d")  # fmt: skip
EXCEL_EPOCH = datetime(1899, 12, 30)


class MissingColumnsError(FileImportError):
    """The mapping names columns the file does not have, or no column holds the text."""

    def __init__(self, missing: Mapping[str, str | None], available: Sequence[str]) -> None:
        parts = [
            f'"{col}" (for {fld})' if col else f"a column for {fld} (e.g. {', '.join(EXACT[fld][:3])})"
            for fld, col in missing.items()
        ]
        super().__init__(
            f"missing {'; '.join(parts)}; the file's columns are: {', '.join(available) or 'none'}"
        )
        self.missing = dict(missing)
        self.available = list(available)


def _norm(header: str) -> str:
    text = header.lower().replace("ё", "е").replace("№", " № ")
    return " ".join(re.sub(r"[^\w№]+", " ", text).split())


def _score(fld: str, header: str) -> float:
    norm = _norm(header)
    if not norm:
        return 0.0
    if norm in EXACT[fld]:
        return 3.0
    hits = sum(1 for tok in norm.split() for stem in STEMS[fld] if tok.startswith(stem))
    return 2.0 + 0.1 * hits if hits else 0.0


def guess_mapping(columns: Sequence[str], taken: Mapping[str, str] | None = None) -> dict[str, str]:
    """Guess a column for each field not in ``taken`` from its header; each column is used once."""
    taken = dict(taken or {})
    used = set(taken.values())
    candidates = sorted(
        (
            (-_score(fld, col), PRIORITY.index(fld), index, fld, col)
            for fld in FIELDS
            if fld not in taken
            for index, col in enumerate(columns)
            if col and col not in used and _score(fld, col) > 0
        ),
    )
    guessed: dict[str, str] = {}
    for _, _, _, fld, col in candidates:
        if fld in guessed or col in used:
            continue
        guessed[fld] = col
        used.add(col)
    return guessed


def resolve_mapping(columns: Sequence[str], mapping: Mapping[str, str] | None) -> dict[str, str]:
    """The given mapping (headers matched exactly, then ignoring case and spaces) plus guesses.

    Raises :class:`MissingColumnsError` naming every mapped column that is absent, and "text" when
    nothing holds the text.
    """
    unknown = [k for k in (mapping or {}) if k not in FIELDS]
    if unknown:
        raise FileImportError(f"unknown field(s) {', '.join(unknown)}; fields are {', '.join(FIELDS)}")
    by_norm = {_norm(c): c for c in columns if c}
    resolved: dict[str, str] = {}
    missing: dict[str, str | None] = {}
    for fld, col in (mapping or {}).items():
        if not col:
            continue
        match = col if col in columns else by_norm.get(_norm(col))
        if match is None:
            missing[fld] = col
        else:
            resolved[fld] = match
    resolved.update(guess_mapping(columns, resolved))
    if "text" not in resolved and "text" not in missing:
        missing["text"] = None
    if missing:
        raise MissingColumnsError(missing, columns)
    return resolved


def parse_when(value: Any) -> datetime | None:
    """A cell as an aware UTC instant; naive values are Almaty time; Excel serial numbers are understood."""
    moment: datetime | None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and 20_000 < value < 80_000:
        moment = EXCEL_EPOCH + timedelta(days=float(value))
    elif isinstance(value, str) and value.strip():
        moment = _parse_date_text(value.strip())
    else:
        moment = None
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ALMATY)
    return moment.astimezone(timezone.utc)


def _parse_date_text(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


@dataclass(slots=True)
class PreviewRow:
    """One row as it would be imported: our fields, the comment (None if skipped) and its problems."""

    row: int
    values: dict[str, str]
    comment: IncomingComment | None
    problems: list[str] = field(default_factory=list)


def row_to_comment(
    cells: Sequence[Any], columns: Sequence[str], mapping: Mapping[str, str], row: int, *,
    source: str = "file", clock: Clock = utcnow,
) -> PreviewRow:  # fmt: skip
    """Map one row; an empty text skips it, a missing or unreadable date is flagged and set to now."""
    index = {col: i for i, col in enumerate(columns)}
    raw = {fld: cells[index[col]] if index[col] < len(cells) else None for fld, col in mapping.items()}
    values = {fld: clean_text(cell_text(v)).strip() for fld, v in raw.items()}
    problems: list[str] = []
    text = values.get("text", "")
    if not text:
        return PreviewRow(row, values, None, ["empty text: row skipped"])
    created = parse_when(raw.get("created_at"))
    extra: dict[str, Any] = {"row": row}
    if created is None:
        if values.get("created_at"):
            problems.append(f'unreadable date "{values["created_at"][:40]}": import time used')
        extra["created_at_missing"] = True
        created = clock()
    if values.get("contact"):
        extra["contact"] = values["contact"]
    external_id = values.get("external_id") or None
    if external_id is None:
        key = "\x1f".join(values.get(k, "") for k in ("author", "text", "created_at", "contact"))
        external_id = "row:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    comment = IncomingComment(
        source=source,
        external_id=external_id,
        author=values.get("author", ""),
        text=text,
        created_at=created,
        lang=values.get("lang") or None,
        kind="request",
        extra=extra,
    )
    return PreviewRow(row, values, comment, problems)


@dataclass(slots=True)
class Preview:
    """What an import would do: columns, the mapping used, the first rows mapped, and problems."""

    kind: str
    columns: list[str]
    mapping: dict[str, str]
    rows: list[PreviewRow]
    total_rows: int
    problems: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None


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


def is_chat_file(path: Path) -> bool:
    """yt-dlp's live chat (saved or still ``.part``)."""
    name = path.name.lower()
    return name.endswith(".live_chat.json") or name.endswith(".live_chat.json.part")


async def read_table(path: Path, sheet: str | None = None) -> Table:
    """Read a CSV or XLSX file off the event loop."""
    return await asyncio.to_thread(read_table_sync, Path(path), sheet)


async def _chat_rows(path: Path) -> tuple[list[PreviewRow], list[str], int]:
    comments, report = await parse_chat_file(path)
    rows = [
        PreviewRow(i, {"text": c.text, "author": c.author, "created_at": c.created_at.isoformat(),
                       "external_id": c.external_id or ""}, c)
        for i, c in enumerate(comments, start=1)
    ]  # fmt: skip
    problems = [f"line {p.line}: {p.reason}" for p in report.problems]
    return rows, problems, report.lines


async def preview(path: Path, mapping: Mapping[str, str] | None = None, rows: int = 10, *,
                  sheet: str | None = None, source: str = "file") -> Preview:  # fmt: skip
    """The first ``rows`` rows mapped, plus problems; a bad mapping is a problem here, not an error."""
    path = Path(path)
    if is_chat_file(path):
        chat_rows, problems, lines = await _chat_rows(path)
        return Preview("live_chat", [], {}, chat_rows[:rows], lines, problems)
    table = await read_table(path, sheet)
    problems = list(table.problems)
    try:
        resolved = resolve_mapping(table.columns, mapping)
    except FileImportError as exc:
        problems.append(str(exc))
        resolved = {}
    out: list[PreviewRow] = []
    for number, cells in table.rows[:rows]:
        if resolved:
            out.append(row_to_comment(cells, table.columns, resolved, number, source=source))
        else:
            values = {c: cell_text(cells[i]) if i < len(cells) else "" for i, c in enumerate(table.columns)}
            out.append(PreviewRow(number, values, None))
    kind = "xlsx" if table.encoding is None else "csv"
    return Preview(
        kind, table.columns, resolved, out, len(table.rows), problems, table.encoding, table.delimiter
    )


async def import_file(path: Path, mapping: Mapping[str, str] | None = None, *, sheet: str | None = None,
                      source: str = "file", clock: Clock = utcnow) -> ImportResult:  # fmt: skip
    """Every row of a CSV/XLSX (or every comment of a chat file); raises :class:`FileImportError`."""
    path = Path(path)
    if is_chat_file(path):
        chat, report = await parse_chat_file(path)
        notes = [f"line {p.line}: {p.reason}" for p in report.problems]
        return ImportResult(chat, report.lines, report.skipped, notes)
    table = await read_table(path, sheet)
    resolved = resolve_mapping(table.columns, mapping)
    comments: list[IncomingComment] = []
    problems = list(table.problems)
    skipped = 0
    for number, cells in table.rows:
        mapped = row_to_comment(cells, table.columns, resolved, number, source=source, clock=clock)
        problems.extend(f"row {number}: {p}" for p in mapped.problems)
        if mapped.comment is None:
            skipped += 1
        else:
            comments.append(mapped.comment)
    return ImportResult(
        comments, len(table.rows), skipped, problems, resolved, table.encoding, table.delimiter
    )


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
