"""Run a meeting's comment sources as supervised tasks that survive server restarts.

One rule for every kind: a source the operator creates is a row in the ``sources`` table (kind,
config, running, checkpoint) marked running, and runs at once — pollers poll, push sources
(webhooks) wait for pushes. The manager feeds each the intake's sink, stores its checkpoint in the
row after every committed batch, and on start-up resumes every row still marked running, so a
crash loses nothing and (with idempotent ingestion) doubles nothing. Only the operator's stop
ends a source; a source that cannot run says why in its health (a code the console renders).

With several server processes, each polled source runs in exactly one of them: the one holding
its lease (:mod:`tyndau.store.leases`). Every process reconciles every few seconds — it takes
over running rows whose lease is free (their holder died), and stops what it runs when the row
was stopped elsewhere or the lease was lost. Push sources (Meta webhooks) poll nothing and run in
every process, so a webhook reaching any of them is stored.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tyndau.live.intake import Intake
from tyndau.live.source_kinds import PUSH_KINDS, SourceConfigError, SourceContext, SourceKinds, build_source, builtin_kinds
from tyndau.live.sources.base import CommentSource, SourceHealth
from tyndau.live.sources.health_codes import render
from tyndau.live.store_waits import StoreWaits
from tyndau.store import sources as source_rows
from tyndau.store.engine import Engine, is_outage
from tyndau.store.leases import Leases, LocalLeases, source_lease
from tyndau.store.sources import SourceRow
from tyndau.timeutil import iso

log = logging.getLogger(__name__)
__all__ = ["SourceConfigError", "SourceContext", "SourceManager", "build_source"]


class DbCheckpoint:
    """A source's resume point kept in its ``sources`` row."""

    def __init__(self, engine: Engine, source_id: int) -> None:
        self._engine = engine
        self._id = source_id

    async def load(self) -> dict[str, Any] | None:
        """The saved state, if any."""
        async with self._engine.connect() as conn:
            return await source_rows.load_checkpoint(conn, self._id)

    async def save(self, state: Mapping[str, Any]) -> None:
        """Persist the state (after the batch it covers was committed)."""
        async with self._engine.begin() as conn:
            await source_rows.save_checkpoint(conn, self._id, state)


OUTAGE_FIRST_RETRY = 1.0  # seconds before a source resumes after a store outage; doubled up to the last
OUTAGE_LAST_RETRY = 30.0


@dataclass
class _Running:
    source_id: int
    meeting_id: int
    kind: str
    source: CommentSource
    task: asyncio.Task[None]


Notify = Callable[[int], Awaitable[None]]


class SourceManager:
    """Starts, stops, resumes and reports on sources."""

    def __init__(self, engine: Engine, intake: Intake, work_dir: Path, on_change: Notify | None = None,
                 context: SourceContext | None = None, leases: Leases | None = None) -> None:
        self._engine = engine
        self._leases = leases or LocalLeases()
        self._intake = intake
        self._work_dir = work_dir
        self._on_change = on_change
        base = context or SourceContext()
        self._context = base if base.data_dir else dataclasses.replace(base, data_dir=work_dir.parent)
        self._kinds: SourceKinds = self._context.kinds or builtin_kinds()
        self._running: dict[int, _Running] = {}
        self._errors: dict[int, tuple[str, str]] = {}

    def _ctx(self, source_id: int) -> SourceContext:
        return dataclasses.replace(self._context, source_id=source_id)

    async def start(self, meeting_id: int, kind: str, config: Mapping[str, Any]) -> dict[str, Any]:
        """Create and start a source for a meeting; validation errors raise SourceConfigError."""
        config = self._kinds.get(kind).check(config)  # the kind's options: defaults in, other keys out
        build_source(kind, config, checkpoint=None, work_dir=self._work_dir, context=self._context)  # validate before storing
        async with self._engine.begin() as conn:
            source_id = await source_rows.create_source(conn, meeting_id, kind, config)
        if kind not in PUSH_KINDS:  # take its lease before other processes can see it running
            await self._leases.acquire(source_lease(source_id))
        async with self._engine.begin() as conn:
            await source_rows.mark_started(conn, source_id)
        await self._claim(source_id, meeting_id, kind, config)
        return await self.describe(source_id)

    async def stop(self, source_id: int) -> dict[str, Any] | None:
        """Stop a source (its checkpoint stays, so starting it again resumes)."""
        async with self._engine.begin() as conn:
            found = await source_rows.mark_stopped(conn, source_id)
        if not found:
            return None
        await self._cancel(source_id)  # a holder elsewhere sees the row stopped at its next reconcile
        return await self.describe(source_id)

    async def _cancel(self, source_id: int) -> None:
        running = self._running.pop(source_id, None)
        if running is not None:
            running.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await running.task
        await self._leases.release(source_lease(source_id))

    async def restart(self, source_id: int) -> dict[str, Any] | None:
        """Start a stopped source again from its checkpoint."""
        async with self._engine.begin() as conn:
            row = await source_rows.mark_restarted(conn, source_id)
        if row is None:
            return None
        running = self._running.get(source_id)
        if running is not None and running.task.done():  # failed here: the operator's restart runs it again
            await self._cancel(source_id)
        if source_id not in self._running:
            self._errors.pop(source_id, None)
            await self._claim(source_id, row.meeting_id, row.kind, row.config)
        return await self.describe(source_id)

    async def resume_all(self) -> int:
        """Start every running source this process can take (at start-up: those running before the restart)."""
        async with self._engine.connect() as conn:
            runnable = await source_rows.runnable_sources(conn, PUSH_KINDS)
        started = 0
        for row in runnable:
            if row.id in self._running or self._errors.get(row.id, ("",))[0] == "cannot_resume":
                continue
            if await self._claim(row.id, row.meeting_id, row.kind, row.config):
                started += 1
        return started

    async def reconcile(self) -> None:
        """Take over running sources nobody holds; stop those stopped elsewhere or whose lease was lost."""
        async with self._engine.connect() as conn:
            running = await source_rows.runnable_ids(conn, PUSH_KINDS)
        for source_id, r in list(self._running.items()):
            leased = r.kind not in PUSH_KINDS
            if source_id not in running or leased and not self._leases.holds(source_lease(source_id)):
                log.info("source %s: stopped elsewhere or its lease was lost; stopping it here", source_id)
                await self._cancel(source_id)
        await self.resume_all()

    async def run_reconciling(self, every: float) -> None:
        """Reconcile every ``every`` seconds until cancelled."""
        waits = StoreWaits(log, "the sources' reconcile")
        while True:
            await asyncio.sleep(every)
            await waits.round(self.reconcile)

    async def _claim(self, source_id: int, meeting_id: int, kind: str, config: Mapping[str, Any]) -> bool:
        """Run the source here if this process may (push kinds always; polled kinds under their lease)."""
        if kind not in PUSH_KINDS and not await self._leases.acquire(source_lease(source_id)):
            return False
        if source_id in self._running:  # started meanwhile (the operator's start and a reconcile at once)
            return False
        try:
            self._spawn(source_id, meeting_id, kind, config)
        except SourceConfigError as exc:
            self._errors[source_id] = ("cannot_resume", str(exc))
            log.error("source %s cannot resume: %s", source_id, exc)
            return False
        return True

    def _build(self, source_id: int, kind: str, config: Mapping[str, Any]) -> CommentSource:
        return build_source(kind, config, checkpoint=DbCheckpoint(self._engine, source_id),
                            work_dir=self._work_dir / f"source-{source_id}", context=self._ctx(source_id))

    def _spawn(self, source_id: int, meeting_id: int, kind: str, config: Mapping[str, Any]) -> None:
        source = self._build(source_id, kind, config)
        task = asyncio.create_task(self._run(source_id, meeting_id, source, kind, config), name=f"source-{source_id}-{kind}")
        self._running[source_id] = _Running(source_id, meeting_id, kind, source, task)

    async def _run(self, source_id: int, meeting_id: int, source: CommentSource, kind: str, config: Mapping[str, Any]) -> None:
        delay = OUTAGE_FIRST_RETRY
        try:
            while True:
                try:
                    await source.run(self._intake.sink_for(meeting_id))
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    if not is_outage(exc):
                        self._errors[source_id] = ("failed", f"{type(exc).__name__}: {exc}")
                        log.exception("source %s stopped with an error", source_id)
                        return
                    # The store is down or locked (a checkpoint or a batch could not be written): what
                    # was acknowledged is stored, so the source resumes from its last checkpoint.
                    self._errors[source_id] = ("store_unavailable", f"{type(exc).__name__}: {exc}")
                    log.warning("source %s: the store is unavailable (%s); resuming in %.0f s", source_id, exc, delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, OUTAGE_LAST_RETRY)
                    source = self._build(source_id, kind, config)
                    running = self._running.get(source_id)
                    if running is not None:
                        self._running[source_id] = dataclasses.replace(running, source=source)
                    self._errors.pop(source_id, None)
                    continue
                async with self._engine.begin() as conn:
                    await source_rows.mark_stopped(conn, source_id)
                await self._leases.release(source_lease(source_id))
                return
        finally:
            if self._on_change is not None:
                with contextlib.suppress(Exception):
                    await self._on_change(meeting_id)

    async def describe(self, source_id: int) -> dict[str, Any]:
        """A source's row and live health, for the API and the console."""
        async with self._engine.connect() as conn:
            row = await source_rows.get_source(conn, source_id)
        if row is None:
            raise KeyError(source_id)
        return self._json(row)

    async def list(self, meeting_id: int) -> list[dict[str, Any]]:
        """Every source of a meeting."""
        async with self._engine.connect() as conn:
            found = await source_rows.meeting_sources(conn, meeting_id)
        return [self._json(r) for r in found]

    def health(self, meeting_id: int) -> builtins.list[dict[str, Any]]:
        """Live health of the meeting's running sources (no database access)."""
        return [self._health_json(r.source_id, r.kind, r) for r in self._running.values() if r.meeting_id == meeting_id]

    def active_meetings(self) -> set[int]:
        """Meetings with a running source."""
        return {r.meeting_id for r in self._running.values()}

    def _health_json(self, source_id: int, kind: str, running: _Running | None, *, row_running: bool = False) -> dict[str, Any]:
        error = self._errors.get(source_id)
        if running is None and row_running and error is None:  # its lease holder pushes the live health
            return {"id": source_id, "kind": kind, "state": "elsewhere", "code": "elsewhere", "params": {},
                    "detail": render("elsewhere", {}), "last_message_at": None, "received": 0, "skipped": 0, "restarts": 0}
        if running is None:
            code, message = error or ("stopped", "")
            params = {"error": message} if message else {}
            return {"id": source_id, "kind": kind, "state": "failed" if error else "stopped", "code": code, "params": params,
                    "detail": render(code, params), "last_message_at": None, "received": 0, "skipped": 0, "restarts": 0}
        h: SourceHealth = running.source.health()
        state, code, params, detail = h.state, h.code, dict(h.params), h.detail
        if error is not None and (running.task.done() or error[0] == "store_unavailable"):
            state, code, params = "down", error[0], {"error": error[1]}
            detail = render(code, params)
        return {"id": source_id, "kind": kind, "state": state, "code": code, "params": params, "detail": detail,
                "last_message_at": iso(h.last_message_at), "received": h.received, "skipped": h.skipped, "restarts": h.restarts}

    def push_sources(self, kind: str) -> builtins.list[tuple[int, int, Any]]:
        """(source id, meeting id, source) of every running source of a push kind."""
        return [(r.source_id, r.meeting_id, r.source) for r in self._running.values() if r.kind == kind]

    def running_source(self, source_id: int) -> tuple[int, str, Any] | None:
        """(meeting id, kind, source) of a running source, or None."""
        r = self._running.get(source_id)
        return None if r is None or r.task.done() else (r.meeting_id, r.kind, r.source)

    def _json(self, row: SourceRow) -> dict[str, Any]:
        config = self._kinds.public(row.kind, row.config)
        return {"id": row.id, "meeting_id": row.meeting_id, "kind": row.kind, "config": config, "running": row.running,
                "health": self._health_json(row.id, row.kind, self._running.get(row.id), row_running=bool(row.running))}

    async def close(self) -> None:
        """Cancel every running source (rows stay marked running, so they resume on restart)."""
        tasks = [r.task for r in self._running.values()]
        ids = list(self._running)
        self._running.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for source_id in ids:
            await self._leases.release(source_lease(source_id))
