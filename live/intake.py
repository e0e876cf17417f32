"""Comment intake: group commits to the store, then batched pushes to the consoles.

Every source and the webhook call :meth:`Intake.submit`, which returns only after the comments
are committed (durable before acknowledged). Concurrent submissions are coalesced into one
transaction, so a burst costs one commit per batch, not per comment; the consoles get the new
comments in batches a few times a second.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tyndau.domain.comments import IncomingComment, IngestResult
from tyndau.store.comments import PreparedComment, get_comments, insert_batch
from tyndau.store.engine import Engine, is_outage
from tyndau.timeutil import utcnow

log = logging.getLogger(__name__)
Committed = Callable[[list[Any]], Awaitable[None]]


class IntakeUnavailable(RuntimeError):
    """The store refused the batch; nothing was acknowledged, the sender should retry."""


@dataclass
class _Request:
    meeting_id: int
    batch: Sequence[IncomingComment]
    done: asyncio.Future[list[IngestResult]]


@dataclass
class FloodGuard:
    """Marks an author who posts more than ``limit`` comments in ``window`` (still stored)."""

    limit: int = 5
    window: timedelta = timedelta(seconds=30)
    _seen: dict[tuple[int, str, str], collections.deque[datetime]] = field(default_factory=dict)

    def throttled(self, meeting_id: int, comment: IncomingComment, now: datetime) -> bool:
        """True when this comment pushes its author over the limit."""
        if not comment.author:
            return False
        key = (meeting_id, comment.source, comment.author)
        times = self._seen.setdefault(key, collections.deque())
        while times and now - times[0] > self.window:
            times.popleft()
        times.append(now)
        if len(self._seen) > 50_000:  # bound memory on a huge stream
            self._seen = {k: v for k, v in self._seen.items() if v and now - v[-1] <= self.window}
        return len(times) > self.limit


class Intake:
    """The single writer of comments."""

    def __init__(self, engine: Engine, on_committed: Committed, *, max_batch: int = 2000, flood: FloodGuard | None = None) -> None:
        self._engine = engine
        self._on_committed = on_committed
        self._max_batch = max_batch
        self._flood = flood or FloodGuard()
        self._queue: asyncio.Queue[_Request] = asyncio.Queue()
        self._idle = asyncio.Event()
        self._idle.set()
        self.committed_total = 0

    async def submit(self, meeting_id: int, batch: Sequence[IncomingComment]) -> list[IngestResult]:
        """Store a batch durably; returns one result per comment once committed."""
        if not batch:
            return []
        done: asyncio.Future[list[IngestResult]] = asyncio.get_running_loop().create_future()
        self._idle.clear()
        await self._queue.put(_Request(meeting_id, batch, done))
        return await done

    async def drained(self) -> None:
        """Wait until every submitted batch is written and handed on (a command-line writer waits before it exits)."""
        await self._idle.wait()

    def sink_for(self, meeting_id: int) -> Callable[[Sequence[IncomingComment]], Awaitable[list[IngestResult]]]:
        """A :data:`CommentSink` bound to one meeting, for sources."""

        async def sink(batch: Sequence[IncomingComment]) -> list[IngestResult]:
            return await self.submit(meeting_id, batch)

        return sink

    async def run(self) -> None:
        """Write queued batches until cancelled (started by the app's cleanup context)."""
        while True:
            requests = [await self._queue.get()]
            size = len(requests[0].batch)
            while size < self._max_batch and not self._queue.empty():
                request = self._queue.get_nowait()
                requests.append(request)
                size += len(request.batch)
            await self._write(requests)
            if self._queue.empty():
                self._idle.set()

    async def _write(self, requests: list[_Request]) -> None:
        now = utcnow()
        prepared = [
            PreparedComment(r.meeting_id, c, now, self._flood.throttled(r.meeting_id, c, now))
            for r in requests
            for c in r.batch
        ]
        try:
            try:
                results, rows = await self._insert(prepared)
            except Exception as exc:
                if len(prepared) == 1 or is_outage(exc):
                    raise
                log.warning("a batch of %d comments was refused (%s); storing them one by one", len(prepared), exc)
                results, rows = await self._one_by_one(prepared)
        except Exception as exc:  # noqa: BLE001 - every waiting sender must hear about it
            log.error("could not store %d comments: %s", len(prepared), exc)
            for r in requests:
                if not r.done.done():
                    r.done.set_exception(IntakeUnavailable(f"the store refused the comments: {exc}"))
            return
        position = 0
        for r in requests:
            part = results[position:position + len(r.batch)]
            position += len(r.batch)
            if not r.done.done():
                r.done.set_result(part)
        self.committed_total += len(rows)
        if rows:
            try:
                await self._on_committed(rows)
            except Exception:
                log.exception("could not hand committed comments on")

    async def _insert(self, prepared: list[PreparedComment]) -> tuple[list[IngestResult], list[Any]]:
        """One transaction for the whole group (the fast path)."""
        async with self._engine.begin() as conn:
            results = [res for res, _ in await insert_batch(conn, prepared)]
            rows = await get_comments(conn, [res.id for res in results if res.stored and not res.duplicate])
        return results, rows

    async def _one_by_one(self, prepared: list[PreparedComment]) -> tuple[list[IngestResult], list[Any]]:
        """Each comment in its own transaction, so one the store refuses fails alone."""
        results: list[IngestResult] = []
        rows: list[Any] = []
        for p in prepared:
            try:
                (result,), new = await self._insert([p])
            except Exception as exc:
                if is_outage(exc):
                    raise
                log.warning("the store refused one comment (meeting %s, source %s): %s", p.meeting_id, p.incoming.source, exc)
                result, new = IngestResult(0, False, f"the store refused this comment: {type(exc).__name__}"), []
            results.append(result)
            rows.extend(new)
        return results, rows


class FeedBroadcaster:
    """Collects committed comments (rows) per meeting and pushes them in batches."""

    def __init__(self, emit: Callable[[int, list[Any]], Awaitable[None]], *, interval: float = 0.05) -> None:
        self._emit = emit
        self._interval = interval
        self._pending: dict[int, list[Any]] = {}
        self._wake = asyncio.Event()

    def push(self, meeting_id: int, items: list[Any]) -> None:
        """Queue comments for the next batch (no awaiting: the writer never waits on browsers)."""
        self._pending.setdefault(meeting_id, []).extend(items)
        self._wake.set()

    async def run(self) -> None:
        """Flush pending batches at most every ``interval`` seconds, until cancelled."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            pending, self._pending = self._pending, {}
            sends = [self._emit(meeting_id, items) for meeting_id, items in pending.items()]
            for outcome in await asyncio.gather(*sends, return_exceptions=True):
                if isinstance(outcome, BaseException):
                    log.warning("feed push failed: %s", outcome)
            await asyncio.sleep(self._interval)


@contextlib.asynccontextmanager
async def running(*loops: Callable[[], Awaitable[None]]):
    """Run background loops for the duration of a block, cancelling and awaiting them after."""
    tasks = [asyncio.create_task(loop(), name=getattr(loop, "__qualname__", "loop")) for loop in loops]
    try:
        yield tasks
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            try:
                await task
            except asyncio.CancelledError:
                pass
            except Exception:
                log.exception("background loop %s had stopped with an error", task.get_name())
