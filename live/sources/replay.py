"""Replay a recorded chat file into a meeting at real or accelerated speed (rehearsals, ``tyndau demo``).

Lines are paced by their recorded ``videoOffsetTimeMsec`` (both yt-dlp forms carry it), or by the
messages' timestamps when a line has none. ``created_at`` is set to the moment of delivery so the demo
looks live; the recorded time stays in ``extra["recorded_at"]``. Each comment's id is derived from the
file's content and its line number (``replay:<file>:<line>[:<n>]``), so replaying the same file into the
same meeting again adds nothing. Checkpoint: ``{"file": <sha256 prefix>, "line": last delivered line}``.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from tyndau.domain.comments import IncomingComment
from tyndau.live.source_kinds import Build, Option, SourceKind, replay_file
from tyndau.live.sources.base import CommentSink, SourceHealth
from tyndau.live.sources.common import Checkpoint, Clock, HealthTracker, MemoryCheckpoint, deliver_retrying
from tyndau.live.sources.youtube_chat import ChatLine, ChatParser, split_lines
from tyndau.timeutil import utcnow

Sleep = Callable[[float], Awaitable[None]]


def _line_time_ms(line: ChatLine) -> float | None:
    if line.offset_ms is not None:
        return float(line.offset_ms)
    stamps = [c.created_at.timestamp() * 1000 for c in line.comments]
    return min(stamps) if stamps else None


class ReplaySource:
    """Delivers a recorded ``.live_chat.json`` as if it were happening now."""

    name = "replay"

    def __init__(
        self,
        path: Path,
        speed: float = 1.0,
        *,
        checkpoint: Checkpoint | None = None,
        max_gap: float | None = None,
        batch_size: int = 500,
        source: str = "replay",
        clock: Clock = utcnow,
        sleep: Sleep = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if speed < 0:
            raise ValueError("speed must be positive (0 means as fast as possible)")
        self.path = Path(path)
        self.speed = speed
        self.checkpoint: Checkpoint = checkpoint or MemoryCheckpoint()
        self.max_gap = max_gap
        self.batch_size = batch_size
        self.source = source
        self.clock = clock
        self.sleep = sleep
        self.monotonic = monotonic
        self._tracker = HealthTracker()
        self._ids: dict[str, str] = {}

    def health(self) -> SourceHealth:
        """connected while replaying, finished at the end; ``skipped`` counts malformed lines."""
        return self._tracker.snapshot()

    def _load(self) -> tuple[str, list[ChatLine]]:
        data = self.path.read_bytes()
        key = hashlib.sha256(data).hexdigest()[:16]
        parser = ChatParser(source=self.source, clock=self.clock)
        lines = []
        for number, raw in enumerate(split_lines(data), start=1):
            parsed = parser.feed(raw, number)
            if parsed is not None and parsed.comments:
                lines.append(parsed)
        self._tracker.skipped = parser.report.skipped
        return key, lines

    @staticmethod
    def replay_id(key: str, line: ChatLine, index: int) -> str:
        """The deterministic id of the ``index``-th comment of a line."""
        return f"replay:{key}:{line.number}" + (f":{index}" if len(line.comments) > 1 else "")

    def _retimed(self, key: str, line: ChatLine, now: Clock) -> list[IncomingComment]:
        out = []
        for index, comment in enumerate(line.comments):
            extra = dict(comment.extra)
            extra["recorded_at"] = comment.created_at.isoformat()
            if comment.external_id:
                extra["original_id"] = comment.external_id
            if extra.get("target_id") in self._ids:  # a deletion points at the replayed copy
                extra["target_id"] = self._ids[extra["target_id"]]
            ext = self.replay_id(key, line, index)
            out.append(replace(comment, source=self.source, external_id=ext, created_at=now(), extra=extra))
        return out

    async def run(self, sink: CommentSink) -> None:
        """Replay from the checkpointed line to the end of the file, then report ``finished``."""
        key, lines = await asyncio.to_thread(self._load)
        state = await self.checkpoint.load() or {}
        done = int(state.get("line", 0)) if state.get("file") == key else 0
        pending = [ln for ln in lines if ln.number > done]
        self._ids = {
            c.external_id: self.replay_id(key, ln, i)
            for ln in lines
            for i, c in enumerate(ln.comments)
            if c.external_id and c.kind != "deleted"
        }
        self._tracker.set("connected", "replaying", file=self.path.name, speed=f"{self.speed:g}")
        try:
            await self._play(key, pending, sink)
        except asyncio.CancelledError:
            self._tracker.set("stopped", "stopped")
            raise
        self._tracker.set("finished", "replay_done", file=self.path.name)

    async def _play(self, key: str, pending: list[ChatLine], sink: CommentSink) -> None:
        """Wait for each line's due time (recorded time / speed), then deliver every line already due."""
        due = schedule(pending, self.max_gap)
        start = self.monotonic()
        i = 0
        while i < len(pending):
            elapsed = float("inf")
            if self.speed:
                wait = start + due[i] / self.speed - self.monotonic()
                if wait > 0:
                    await self.sleep(wait)
                elapsed = (self.monotonic() - start) * self.speed
            j = i + 1
            while j < len(pending) and j - i < self.batch_size and due[j] <= elapsed:
                j += 1
            comments = [c for ln in pending[i:j] for c in self._retimed(key, ln, self.clock)]
            await deliver_retrying(sink, comments, self._tracker, self.clock)
            await self.checkpoint.save({"file": key, "line": pending[j - 1].number})
            i = j


def schedule(lines: list[ChatLine], max_gap: float | None = None) -> list[float]:
    """Seconds from the first line to each line, by recorded time; gaps above ``max_gap`` are shortened.

    Time never runs backwards: a line stamped earlier than one before it (live captures start with a
    backlog) is due at once.
    """
    out: list[float] = []
    virtual = 0.0
    previous: float | None = None
    for line in lines:
        stamp = _line_time_ms(line)
        if stamp is not None:
            if previous is not None and stamp > previous:
                gap = (stamp - previous) / 1000
                virtual += min(gap, max_gap) if max_gap is not None else gap
            previous = stamp if previous is None else max(previous, stamp)
        out.append(virtual)
    return out


def _build(config: Mapping[str, Any], given: Build) -> ReplaySource:
    path = replay_file(config["path"], given.context.data_dir or given.work_dir.parent)
    return ReplaySource(path, config["speed"], checkpoint=given.checkpoint, max_gap=config.get("max_gap"))


SOURCE_KINDS = (SourceKind("replay", (
    Option("path", required=True, help="a .live_chat.json recording in the data directory (relative paths start there)"),
    Option("speed", "number", low=0, high=1000, default=1.0, help="1 is as it happened, 0 as fast as possible"),
    Option("max_gap", "number", low=0, help="the longest pause kept, in seconds", form=False),
), _build, rank=50, summary="A recorded YouTube chat replayed as if live."),)
