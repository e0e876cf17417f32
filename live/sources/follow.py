"""Tail a JSON-lines file that another process is appending to, resumably and without duplicates.

yt-dlp appends complete lines to ``NAME.live_chat.json.part`` (write + flush per fragment) and renames it
to ``NAME.live_chat.json`` when the stream ends. The follower is given the final name, reads whichever of
the two exists, keeps a partial last line for later, notices a rename (same inode: carry on), a
replacement or truncation (start again at byte 0, flagged so the caller can skip to its last id), and
reports its position so the caller can checkpoint it *after* the sink has committed the lines.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from tyndau.domain.comments import IncomingComment

MAX_LINE_BYTES = 1 << 20
CHUNK_BYTES = 4 << 20

T = TypeVar("T", bound=IncomingComment)


@dataclass(frozen=True, slots=True)
class FollowPosition:
    """The resume point: bytes consumed, complete lines consumed, the file's inode, the last id delivered."""

    offset: int = 0
    line: int = 0
    inode: int | None = None
    last_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for a checkpoint."""
        return {"offset": self.offset, "line": self.line, "inode": self.inode, "last_id": self.last_id}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> FollowPosition:
        """Rebuild from :meth:`as_dict`; anything unreadable means "from the start"."""
        if not isinstance(data, Mapping):
            return cls()
        try:
            inode = data.get("inode")
            last = data.get("last_id")
            return cls(
                offset=max(0, int(data.get("offset", 0))),
                line=max(0, int(data.get("line", 0))),
                inode=int(inode) if inode is not None else None,
                last_id=str(last) if last is not None else None,
            )
        except (TypeError, ValueError):
            return cls()

    def with_last_id(self, last_id: str | None) -> FollowPosition:
        """The same position remembering ``last_id`` (kept when ``last_id`` is None)."""
        return self if last_id is None else replace(self, last_id=last_id)


@dataclass(frozen=True, slots=True)
class FollowBatch:
    """Lines that became available: ``(line number, bytes without the newline)``."""

    lines: list[tuple[int, bytes]] = field(default_factory=list)
    position: FollowPosition = field(default_factory=FollowPosition)
    oversized: list[int] = field(default_factory=list)
    reset: bool = False
    finished: bool = False
    path: Path | None = None


def part_path(path: Path) -> Path:
    """The name yt-dlp writes to while the download runs."""
    return path.with_name(path.name + ".part")


class JsonLinesFollower:
    """Reads complete new lines from ``path`` (or its ``.part``) since the last position."""

    def __init__(
        self,
        path: Path,
        position: FollowPosition | None = None,
        *,
        max_line_bytes: int = MAX_LINE_BYTES,
        chunk_bytes: int = CHUNK_BYTES,
    ) -> None:
        self.path = Path(path)
        self.position = position or FollowPosition()
        self.max_line_bytes = max_line_bytes
        self.chunk_bytes = max(chunk_bytes, max_line_bytes + 1)
        self._discarding = False

    @property
    def part_path(self) -> Path:
        """``path`` with ``.part`` appended."""
        return part_path(self.path)

    async def read(self, *, final: bool = False) -> FollowBatch:
        """Everything complete that is available now (up to a chunk).

        With ``final=True`` the writer is known to be gone, so a last line without a newline in the
        final file counts as complete.
        """
        return await asyncio.to_thread(self._read, final)

    async def follow(
        self, *, poll_interval: float = 0.25, stop_when_finished: bool = False
    ) -> AsyncIterator[FollowBatch]:
        """Yield batches as lines appear; the caller checkpoints ``batch.position`` after delivery."""
        while True:
            batch = await self.read()
            if batch.lines or batch.oversized or batch.reset:
                yield batch
                continue
            if batch.finished and stop_when_finished:
                return
            await asyncio.sleep(poll_interval)

    def _current(self) -> tuple[Path, os.stat_result] | None:
        for candidate in (self.part_path, self.path):
            try:
                return candidate, os.stat(candidate)
            except FileNotFoundError:
                continue
        return None

    def _read(self, final: bool) -> FollowBatch:
        found = self._current()
        if found is None:
            return FollowBatch(position=self.position)
        path, st = found
        pos = self.position
        reset = False
        if (pos.inode is not None and st.st_ino != pos.inode) or st.st_size < pos.offset:
            reset = pos.offset > 0 or pos.line > 0
            pos = FollowPosition(inode=st.st_ino, last_id=pos.last_id)
            self._discarding = False
        elif pos.inode is None:
            pos = replace(pos, inode=st.st_ino)
        is_final = path == self.path
        try:
            with open(path, "rb") as handle:
                handle.seek(pos.offset)
                data = handle.read(self.chunk_bytes)
                at_eof = handle.tell() >= os.fstat(handle.fileno()).st_size
        except FileNotFoundError:  # renamed between stat and open: try again next time
            return FollowBatch(position=self.position)
        lines: list[tuple[int, bytes]] = []
        oversized: list[int] = []
        offset, line_no = pos.offset, pos.line
        start = 0
        while True:
            end = data.find(b"\n", start)
            if end < 0:
                break
            raw = data[start:end]
            line_no += 1
            if self._discarding:
                self._discarding = False
            elif len(raw) > self.max_line_bytes:
                oversized.append(line_no)
            else:
                lines.append((line_no, raw[:-1] if raw.endswith(b"\r") else raw))
            offset += end + 1 - start
            start = end + 1
        rest = data[start:]
        if rest and at_eof and is_final and final:
            line_no += 1
            if self._discarding:
                pass  # already reported when the discarding began
            elif len(rest) > self.max_line_bytes:
                oversized.append(line_no)
            else:
                lines.append((line_no, rest[:-1] if rest.endswith(b"\r") else rest))
            self._discarding = False
            offset += len(rest)
            rest = b""
        elif len(rest) > self.max_line_bytes:
            if not self._discarding:
                oversized.append(line_no + 1)
            self._discarding = True
            offset += len(rest)
            rest = b""
        self.position = replace(pos, offset=offset, line=line_no)
        finished = is_final and at_eof and not rest and not self._discarding
        return FollowBatch(lines, self.position, oversized, reset, finished, path)


def skip_through(comments: Iterable[T], last_id: str | None) -> tuple[list[T], bool]:
    """Drop everything up to and including the comment whose id is ``last_id``.

    Used after a file was replaced and is re-read from byte 0. If ``last_id`` is not there, every
    comment is kept (ingestion is idempotent, so a repeat costs nothing but a lookup).
    """
    items = list(comments)
    if last_id is None:
        return items, False
    for index, comment in enumerate(items):
        if comment.external_id == last_id:
            return items[index + 1 :], True
    return items, False
