"""Calendars in the store: the persisted change events, and a projection of the current plan.

The events are the truth (``fold`` replays them into versions); ``calendar_visits`` mirrors the
current plan, one row per visit ever planned, so that a meeting can link to a visit and the
compliance monitor can read plans of every organiser with one indexed query.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from tyndau.domain.calendar_versions import (
    AddVisit,
    CalendarChange,
    CalendarState,
    CancelVisit,
    MoveVisit,
    Operation,
    PlannedVisit,
)
from tyndau.store.engine import new_id
from tyndau.store.planning_schema import calendar_changes, calendar_visits, calendars
from tyndau.timeutil import as_utc, store_time


def operation_json(op: Operation) -> dict[str, Any]:
    """One operation as it is stored and sent."""
    if isinstance(op, AddVisit):
        v = op.visit
        return {"op": "add", "visit_id": v.id, "planned_on": v.planned_on.isoformat(), "place_unit_id": v.place_unit_id,
                "note": v.note}
    if isinstance(op, MoveVisit):
        return {"op": "move", "visit_id": op.visit_id, "planned_on": op.planned_on.isoformat(), "place_unit_id": op.place_unit_id}
    return {"op": "cancel", "visit_id": op.visit_id}


def operation_of(data: Mapping[str, Any]) -> Operation:
    """An operation back from its stored form."""
    kind = data.get("op")
    if kind == "add":
        return AddVisit(PlannedVisit(str(data["visit_id"]), date.fromisoformat(data["planned_on"]), data.get("place_unit_id"),
                                     str(data.get("note") or "")))
    if kind == "move":
        return MoveVisit(str(data["visit_id"]), date.fromisoformat(data["planned_on"]), data.get("place_unit_id"))
    if kind == "cancel":
        return CancelVisit(str(data["visit_id"]))
    raise ValueError(f"unknown stored operation {kind!r}")


async def calendar_id(conn: AsyncConnection, organiser_id: str, year: int, *, create: bool, now: datetime | None = None) -> int | None:
    """The id of an organiser's calendar of a year (created on first use when ``create``)."""
    found = await conn.scalar(sa.select(calendars.c.id).where(calendars.c.organiser_id == organiser_id, calendars.c.year == year))
    if found is not None or not create:
        return found
    result = await conn.execute(calendars.insert().values(organiser_id=organiser_id, year=year, created_at=store_time(now)))
    return new_id(result)


async def load_changes(conn: AsyncConnection, cal_id: int) -> tuple[CalendarChange, ...]:
    """Every stored change of a calendar, in order."""
    rows = (await conn.execute(sa.select(calendar_changes).where(calendar_changes.c.calendar_id == cal_id)
                               .order_by(calendar_changes.c.seq))).all()
    return tuple(CalendarChange(
        seq=r.seq, kind=r.kind, at=as_utc(r.at), actor=r.actor, reason=r.reason or "",
        operations=tuple(operation_of(o) for o in (r.operations or ())), maslikhat_agreed_on=r.maslikhat_agreed_on,
        maslikhat_ref=r.maslikhat_ref or "",
    ) for r in rows)


async def append_change(conn: AsyncConnection, cal_id: int, organiser_id: str, change: CalendarChange,
                        after: CalendarState) -> None:
    """Store a change that ``check_change`` accepted, and bring the plan's projection up to date.

    A concurrent writer with the same ``seq`` fails on the primary key instead of forking the history.
    """
    await conn.execute(calendar_changes.insert().values(
        calendar_id=cal_id, seq=change.seq, kind=change.kind, at=store_time(change.at), actor=change.actor[:100],
        reason=change.reason, operations=[operation_json(o) for o in change.operations],
        maslikhat_agreed_on=change.maslikhat_agreed_on, maslikhat_ref=change.maslikhat_ref[:200],
    ))
    touched = {o.visit.id if isinstance(o, AddVisit) else o.visit_id for o in change.operations}
    if not touched:
        return
    now = store_time(change.at)
    known = {r.visit_key for r in await conn.execute(
        sa.select(calendar_visits.c.visit_key).where(calendar_visits.c.calendar_id == cal_id, calendar_visits.c.visit_key.in_(touched)))}
    for key in sorted(touched):
        visit, status = (after.visits[key], "planned") if key in after.visits else (after.cancelled[key], "cancelled")
        values = {"planned_on": visit.planned_on, "place_unit_id": visit.place_unit_id, "note": visit.note[:500],
                  "status": status, "updated_at": now}
        if key in known:
            await conn.execute(calendar_visits.update().where(calendar_visits.c.calendar_id == cal_id,
                                                              calendar_visits.c.visit_key == key).values(**values))
        else:
            await conn.execute(calendar_visits.insert().values(calendar_id=cal_id, visit_key=key, organiser_id=organiser_id, **values))


@dataclass(frozen=True, slots=True)
class VisitRow:
    """A visit of the projection: its row id (meetings link to it), key, day, place and status."""

    id: int
    calendar_id: int
    visit_key: str
    planned_on: date
    place_unit_id: str | None
    note: str
    status: str


async def visit_rows(conn: AsyncConnection, cal_id: int) -> dict[str, VisitRow]:
    """The projection of one calendar by visit key."""
    rows = await conn.execute(sa.select(calendar_visits).where(calendar_visits.c.calendar_id == cal_id))
    return {r.visit_key: VisitRow(r.id, r.calendar_id, r.visit_key, r.planned_on, r.place_unit_id, r.note, r.status) for r in rows}


async def visit_by_id(conn: AsyncConnection, visit_row_id: int) -> VisitRow | None:
    """One projected visit by its row id."""
    r = (await conn.execute(sa.select(calendar_visits).where(calendar_visits.c.id == visit_row_id))).first()
    return None if r is None else VisitRow(r.id, r.calendar_id, r.visit_key, r.planned_on, r.place_unit_id, r.note, r.status)


def next_visit_key(state: CalendarState, taken: Sequence[str] = ()) -> str:
    """A fresh visit id for this calendar: ``v1``, ``v2``, …"""
    used = set(state.visits) | set(state.cancelled) | set(taken)
    n = len(used) + 1
    while f"v{n}" in used:
        n += 1
    return f"v{n}"


async def years_of(conn: AsyncConnection, organiser_id: str) -> tuple[int, ...]:
    """The years an organiser has a calendar for."""
    rows = await conn.execute(sa.select(calendars.c.year).where(calendars.c.organiser_id == organiser_id).order_by(calendars.c.year))
    return tuple(r.year for r in rows)
