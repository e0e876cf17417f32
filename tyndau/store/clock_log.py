"""The clock's persisted events and the server boots that recorded them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from tyndau.domain.clock import RESTART, ClockEvent, Instant, fold
from tyndau.store.schema import boots, clock_events, meetings
from tyndau.timeutil import as_utc, store_time


def _naive(dt: datetime) -> datetime:
    return store_time(dt)


async def load_events(conn: AsyncConnection, meeting_id: int) -> list[ClockEvent]:
    """All clock events of a meeting in order."""
    rows = (
        await conn.execute(sa.select(clock_events).where(clock_events.c.meeting_id == meeting_id).order_by(clock_events.c.seq))
    ).all()
    return [
        ClockEvent(
            seq=r.seq, action=r.action, at=Instant(as_utc(r.at), r.mono, r.boot_id), undoes=r.undoes,
            down_from=as_utc(r.down_from) if r.down_from else None, actor=r.actor, command_id=r.command_id,
        )
        for r in rows
    ]


async def append_events(conn: AsyncConnection, meeting_id: int, events: tuple[ClockEvent, ...]) -> None:
    """Insert events; the unique (meeting, seq) constraint makes a concurrent writer fail, not corrupt."""
    if not events:
        return
    await conn.execute(
        clock_events.insert(),
        [
            {
                "meeting_id": meeting_id, "seq": e.seq, "action": e.action, "at": _naive(e.at.wall),
                "mono": e.at.mono, "boot_id": e.at.boot, "undoes": e.undoes,
                "down_from": _naive(e.down_from) if e.down_from else None, "actor": e.actor, "command_id": e.command_id,
            }
            for e in events
        ],
    )
    await _note_end(conn, meeting_id)


async def _note_end(conn: AsyncConnection, meeting_id: int) -> None:
    """Keep ``meetings.ended_at`` (and the presentation's length) equal to the clock's, so coverage, roll-ups and the monitor need no replay."""
    events = await load_events(conn, meeting_id)
    state = fold(events, events[-1].at) if events else None
    ended = state.ended_at if state else None
    presentation = state.totals["presentation"] if state and ended else None
    await conn.execute(meetings.update().where(meetings.c.id == meeting_id).values(
        ended_at=_naive(ended) if ended else None, presentation_seconds=presentation))


async def find_command(conn: AsyncConnection, meeting_id: int, command_id: str) -> bool:
    """Whether a command with this id was applied already (idempotent retries)."""
    found = await conn.scalar(
        sa.select(clock_events.c.id).where(clock_events.c.meeting_id == meeting_id, clock_events.c.command_id == command_id)
    )
    return found is not None


async def start_boot(engine: AsyncEngine, boot_id: str, now: datetime) -> datetime | None:
    """Record this process's start; returns when the previous process was last seen alive."""
    async with engine.begin() as conn:
        previous = await conn.scalar(sa.select(sa.func.max(boots.c.last_seen_at)))
        await conn.execute(boots.insert().values(id=boot_id, started_at=_naive(now), last_seen_at=_naive(now)))
    return as_utc(previous) if previous else None


async def heartbeat(engine: AsyncEngine, boot_id: str, now: datetime) -> None:
    """Note that this process is alive, so a later restart can show the downtime."""
    async with engine.begin() as conn:
        await conn.execute(boots.update().where(boots.c.id == boot_id).values(last_seen_at=_naive(now)))


async def running_meetings(conn: AsyncConnection) -> list[int]:
    """Meetings with clock events whose last event is not a final end (candidates for a restart marker)."""
    rows = (await conn.execute(sa.select(clock_events.c.meeting_id).distinct())).all()
    return [r.meeting_id for r in rows]


def restart_event(seq: int, now: Instant, down_from: datetime | None) -> ClockEvent:
    """The marker that splits a running phase at a server restart."""
    return ClockEvent(seq=seq, action=RESTART, at=now, down_from=down_from, actor="server")
