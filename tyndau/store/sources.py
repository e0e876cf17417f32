"""A meeting's comment sources as rows: kind, config, whether it runs, and its resume point.

The source manager (:mod:`tyndau.live.source_manager`) decides what runs where; this module is
the SQL it needs, each function one statement (or one read-then-write) inside the caller's
connection or transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from tyndau.store.engine import new_id
from tyndau.store.schema import sources
from tyndau.timeutil import utcnow


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One stored source (its checkpoint stays in the store: only the source itself reads it)."""

    id: int
    meeting_id: int
    kind: str
    config: dict[str, Any]
    running: bool


def _now() -> datetime:
    return utcnow().replace(tzinfo=None)


def _source(row: Any) -> SourceRow:
    return SourceRow(int(row.id), int(row.meeting_id), str(row.kind), dict(row.config or {}), bool(row.running))


_COLUMNS = (sources.c.id, sources.c.meeting_id, sources.c.kind, sources.c.config, sources.c.running)


def _should_run(push_kinds: Collection[str]) -> sa.ColumnElement[bool]:
    """Rows to run: marked running, or webhook rows older servers created stopped and never touched."""
    never_touched = sa.and_(sources.c.kind.in_(tuple(push_kinds)), sources.c.updated_at == sources.c.created_at,
                            sources.c.checkpoint.is_(None))
    return sa.or_(sources.c.running.is_(True), never_touched)


async def load_checkpoint(conn: AsyncConnection, source_id: int) -> dict[str, Any] | None:
    """A source's saved resume point, if any."""
    value = await conn.scalar(sa.select(sources.c.checkpoint).where(sources.c.id == source_id))
    return dict(value) if isinstance(value, dict) else None


async def save_checkpoint(conn: AsyncConnection, source_id: int, state: Mapping[str, Any]) -> None:
    """Store a source's resume point (after the batch it covers was committed)."""
    await conn.execute(sources.update().where(sources.c.id == source_id).values(checkpoint=dict(state), updated_at=_now()))


async def create_source(conn: AsyncConnection, meeting_id: int, kind: str, config: Mapping[str, Any]) -> int:
    """A new source row, not running yet (its lease is taken before it is marked running); returns its id."""
    now = _now()
    result = await conn.execute(sources.insert().values(meeting_id=meeting_id, kind=kind, config=dict(config), running=False,
                                                        created_at=now, updated_at=now))
    return new_id(result)


async def mark_started(conn: AsyncConnection, source_id: int) -> None:
    """A new source runs (``updated_at`` stays its creation time: see :func:`runnable_sources`)."""
    await conn.execute(sources.update().where(sources.c.id == source_id).values(running=True))


async def mark_stopped(conn: AsyncConnection, source_id: int) -> bool:
    """A source stopped (by the operator, or it ended by itself); False when there is no such source."""
    result = await conn.execute(sources.update().where(sources.c.id == source_id).values(running=False, updated_at=_now()))
    return bool(result.rowcount)


async def mark_restarted(conn: AsyncConnection, source_id: int) -> SourceRow | None:
    """A stopped source runs again; returns its row as it was read (None when there is no such source)."""
    row = (await conn.execute(sa.select(*_COLUMNS).where(sources.c.id == source_id))).first()
    if row is None:
        return None
    await conn.execute(sources.update().where(sources.c.id == source_id).values(running=True, updated_at=_now()))
    return _source(row)


async def runnable_sources(conn: AsyncConnection, push_kinds: Collection[str]) -> list[SourceRow]:
    """Every source that should run somewhere: marked running, or a push source never touched since it was created."""
    return [_source(r) for r in await conn.execute(sa.select(*_COLUMNS).where(_should_run(push_kinds)))]


async def runnable_ids(conn: AsyncConnection, push_kinds: Collection[str]) -> set[int]:
    """The ids of :func:`runnable_sources`."""
    return {int(i) for i in (await conn.execute(sa.select(sources.c.id).where(_should_run(push_kinds)))).scalars()}


async def get_source(conn: AsyncConnection, source_id: int) -> SourceRow | None:
    """One source, or None."""
    row = (await conn.execute(sa.select(*_COLUMNS).where(sources.c.id == source_id))).first()
    return None if row is None else _source(row)


async def meeting_sources(conn: AsyncConnection, meeting_id: int) -> list[SourceRow]:
    """Every source of a meeting, oldest first."""
    query = sa.select(*_COLUMNS).where(sources.c.meeting_id == meeting_id).order_by(sources.c.id)
    return [_source(r) for r in await conn.execute(query)]


async def source_meeting(conn: AsyncConnection, source_id: int) -> int | None:
    """The meeting a source belongs to (None when there is no such source)."""
    found = await conn.scalar(sa.select(sources.c.meeting_id).where(sources.c.id == source_id))
    return None if found is None else int(found)
