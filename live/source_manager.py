"""Run a meeting's comment sources as supervised tasks that survive server restarts.

Each started source is a row in the ``sources`` table (kind, config, running, checkpoint). The
manager builds the source from the row, feeds it the intake's sink, stores its checkpoint in the
row after every committed batch, and on start-up resumes every row still marked running, so a
crash loses nothing and (with idempotent ingestion) doubles nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable, Mapping

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from tyndau.live.intake import Intake
from tyndau.live.sources.base import CommentSource, SourceHealth
from tyndau.store.schema import sources
from tyndau.timeutil import iso, utcnow

log = logging.getLogger(__name__)
KINDS = ("youtube", "telegram", "facebook", "replay", "instagram_webhook", "facebook_webhook")
PUSH_ONLY = ("instagram_webhook", "facebook_webhook")


class SourceConfigError(ValueError):
    """A source cannot be built from this configuration; the message names the field."""


class DbCheckpoint:
    """A source's resume point kept in its ``sources`` row."""

    def __init__(self, engine: AsyncEngine, source_id: int) -> None:
        self._engine = engine
        self._id = source_id

    async def load(self) -> dict[str, Any] | None:
        """The saved state, if any."""
        async with self._engine.connect() as conn:
            value = await conn.scalar(sa.select(sources.c.checkpoint).where(sources.c.id == self._id))
        return dict(value) if isinstance(value, dict) else None

    async def save(self, state: Mapping[str, Any]) -> None:
        """Persist the state (after the batch it covers was committed)."""
        async with self._engine.begin() as conn:
            await conn.execute(sources.update().where(sources.c.id == self._id).values(checkpoint=dict(state), updated_at=utcnow().replace(tzinfo=None)))


def _need(config: Mapping[str, Any], name: str) -> str:
    value = config.get(name)
    if not isinstance(value, (str, int)) or isinstance(value, bool) or str(value).strip() == "":
        raise SourceConfigError(f"config.{name} is required")
    return str(value).strip()


def replay_file(value: str, data_dir: Path) -> Path:
    """A replay may read only a file in the data directory (relative paths start there) or the shipped demo chat."""
    from tyndau.config import path as shipped
    from tyndau.security import confined

    raw = Path(value).expanduser()
    found = confined(raw if raw.is_absolute() else data_dir / raw, [data_dir, Path(str(shipped("demo")))])
    if found is None:
        raise SourceConfigError(f"config.path must name a file inside the data directory ({data_dir}); put the recording there first")
    return found


def build_source(kind: str, config: Mapping[str, Any], *, checkpoint: Any, work_dir: Path, data_dir: Path | None = None) -> CommentSource:
    """The source object for a stored row (the one place that knows every platform's options)."""
    if kind == "youtube":
        from tyndau.live.sources.youtube import YouTubeLiveSource

        url = _need(config, "url")
        if not url.startswith(("http://", "https://")):
            raise SourceConfigError("config.url must be an http(s) URL of a YouTube stream")
        return YouTubeLiveSource(url, work_dir, checkpoint=checkpoint)
    if kind == "telegram":
        from tyndau.live.sources.telegram import API_BASE, TelegramSource

        post = config.get("channel_post_id")
        return TelegramSource(
            _need(config, "token"), _need(config, "chat_id"), str(config.get("api_base") or API_BASE),
            channel_post_id=int(post) if post not in (None, "") else None, checkpoint=checkpoint,
        )
    if kind == "facebook":
        from tyndau.live.sources.meta import GRAPH_BASE, FacebookCommentPoller

        return FacebookCommentPoller(_need(config, "video_id"), _need(config, "token"), str(config.get("graph_base") or GRAPH_BASE), checkpoint=checkpoint)
    if kind == "replay":
        from tyndau.live.sources.replay import ReplaySource

        path = replay_file(_need(config, "path"), data_dir or work_dir.parent)
        try:
            speed = float(config.get("speed", 1.0))
        except (TypeError, ValueError):
            raise SourceConfigError("config.speed must be a number") from None
        if speed < 0 or speed > 1000:
            raise SourceConfigError("config.speed must be between 0 (as fast as possible) and 1000")
        return ReplaySource(path, speed, checkpoint=checkpoint, max_gap=config.get("max_gap"))
    raise SourceConfigError(f"unknown source kind {kind!r}; one of {', '.join(KINDS)}")


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

    def __init__(self, engine: AsyncEngine, intake: Intake, work_dir: Path, on_change: Notify | None = None) -> None:
        self._engine = engine
        self._intake = intake
        self._work_dir = work_dir
        self._on_change = on_change
        self._running: dict[int, _Running] = {}
        self._errors: dict[int, str] = {}

    async def start(self, meeting_id: int, kind: str, config: Mapping[str, Any]) -> dict[str, Any]:
        """Create and start a source for a meeting; validation errors raise SourceConfigError."""
        if kind not in KINDS:
            raise SourceConfigError(f"unknown source kind {kind!r}; one of {', '.join(KINDS)}")
        if kind not in PUSH_ONLY:
            build_source(kind, config, checkpoint=None, work_dir=self._work_dir, data_dir=self._work_dir.parent)  # validate before storing
        now = utcnow().replace(tzinfo=None)
        async with self._engine.begin() as conn:
            result = await conn.execute(sources.insert().values(
                meeting_id=meeting_id, kind=kind, config=dict(config), running=kind not in PUSH_ONLY, created_at=now, updated_at=now,
            ))
            source_id = int(result.inserted_primary_key[0])
        if kind not in PUSH_ONLY:
            self._spawn(source_id, meeting_id, kind, config)
        return await self.describe(source_id)

    async def stop(self, source_id: int) -> dict[str, Any] | None:
        """Stop a source (its checkpoint stays, so starting it again resumes)."""
        async with self._engine.begin() as conn:
            result = await conn.execute(sources.update().where(sources.c.id == source_id).values(running=False, updated_at=utcnow().replace(tzinfo=None)))
        if not result.rowcount:
            return None
        running = self._running.pop(source_id, None)
        if running is not None:
            running.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await running.task
        return await self.describe(source_id)

    async def restart(self, source_id: int) -> dict[str, Any] | None:
        """Start a stopped source again from its checkpoint."""
        async with self._engine.begin() as conn:
            row = (await conn.execute(sa.select(sources).where(sources.c.id == source_id))).first()
            if row is None:
                return None
            await conn.execute(sources.update().where(sources.c.id == source_id).values(running=True, updated_at=utcnow().replace(tzinfo=None)))
        if source_id not in self._running and row.kind not in PUSH_ONLY:
            self._spawn(source_id, row.meeting_id, row.kind, row.config)
        return await self.describe(source_id)

    async def resume_all(self) -> int:
        """After a restart, start every source that was running when the server stopped."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(sa.select(sources).where(sources.c.running.is_(True)))).all()
        for row in rows:
            try:
                self._spawn(row.id, row.meeting_id, row.kind, row.config)
            except SourceConfigError as exc:
                self._errors[row.id] = str(exc)
                log.error("source %s cannot resume: %s", row.id, exc)
        return len(rows)

    def _spawn(self, source_id: int, meeting_id: int, kind: str, config: Mapping[str, Any]) -> None:
        source = build_source(kind, config, checkpoint=DbCheckpoint(self._engine, source_id), work_dir=self._work_dir / f"source-{source_id}", data_dir=self._work_dir.parent)
        task = asyncio.create_task(self._run(source_id, meeting_id, source), name=f"source-{source_id}-{kind}")
        self._running[source_id] = _Running(source_id, meeting_id, kind, source, task)

    async def _run(self, source_id: int, meeting_id: int, source: CommentSource) -> None:
        try:
            await source.run(self._intake.sink_for(meeting_id))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - shown as the source's state
            self._errors[source_id] = f"{type(exc).__name__}: {exc}"
            log.exception("source %s stopped with an error", source_id)
        else:
            async with self._engine.begin() as conn:
                await conn.execute(sources.update().where(sources.c.id == source_id).values(running=False, updated_at=utcnow().replace(tzinfo=None)))
        finally:
            if self._on_change is not None:
                with contextlib.suppress(Exception):
                    await self._on_change(meeting_id)

    async def describe(self, source_id: int) -> dict[str, Any]:
        """A source's row and live health, for the API and the console."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(sa.select(sources).where(sources.c.id == source_id))).first()
        if row is None:
            raise KeyError(source_id)
        return self._json(row)

    async def list(self, meeting_id: int) -> list[dict[str, Any]]:
        """Every source of a meeting."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(sa.select(sources).where(sources.c.meeting_id == meeting_id).order_by(sources.c.id))).all()
        return [self._json(r) for r in rows]

    def health(self, meeting_id: int) -> list[dict[str, Any]]:
        """Live health of the meeting's running sources (no database access)."""
        return [self._health_json(r.source_id, r.kind, r) for r in self._running.values() if r.meeting_id == meeting_id]

    def active_meetings(self) -> set[int]:
        """Meetings with a running source."""
        return {r.meeting_id for r in self._running.values()}

    def _health_json(self, source_id: int, kind: str, running: _Running | None) -> dict[str, Any]:
        if running is None:
            state = "failed" if source_id in self._errors else "stopped"
            return {"id": source_id, "kind": kind, "state": state, "detail": self._errors.get(source_id, ""), "last_message_at": None, "received": 0, "skipped": 0}
        h: SourceHealth = running.source.health()
        state = h.state
        if running.task.done() and source_id in self._errors:
            state = "down"
        return {"id": source_id, "kind": kind, "state": state, "detail": self._errors.get(source_id, h.detail),
                "last_message_at": iso(h.last_message_at), "received": h.received, "skipped": h.skipped}

    def _json(self, row: Any) -> dict[str, Any]:
        config = {k: ("***" if k in ("token", "secret") else v) for k, v in dict(row.config or {}).items()}
        return {"id": row.id, "meeting_id": row.meeting_id, "kind": row.kind, "config": config, "running": row.running,
                "health": self._health_json(row.id, row.kind, self._running.get(row.id))}

    async def close(self) -> None:
        """Cancel every running source (rows stay marked running, so they resume on restart)."""
        tasks = [r.task for r in self._running.values()]
        self._running.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
