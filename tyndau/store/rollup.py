"""The roll-up's queries: problems, statuses and funding grouped up the hierarchy with the closure table.

What counts is an accepted problem (a secretary's decision, never a machine's draft) that was not
merged into another, of a meeting whose planned start falls in the period (Almaty dates). A
meeting belongs to its organiser's unit, else its place (:func:`tyndau.store.scopes.meeting_unit`).
Each query groups by one key and the status and returns small rows that
:mod:`tyndau.rollup.figures` folds; none returns a row per problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from tyndau.store.planning_schema import admin_unit_paths, admin_units
from tyndau.store.schema import meetings, problems
from tyndau.store.scopes import meeting_unit, with_organiser
from tyndau.timeutil import ALMATY, store_time

ALMATY_OFFSET_HOURS = 5  # Kazakhstan keeps one time zone, UTC+5, without summer time (since 2024)


@dataclass(frozen=True, slots=True)
class Period:
    """Both ends inclusive, as Almaty calendar dates."""

    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        """The stored (naive UTC) instants: from the start's midnight to the day after the end's."""
        return (store_time(datetime.combine(self.start, time.min, ALMATY)),
                store_time(datetime.combine(self.end + timedelta(days=1), time.min, ALMATY)))

    def to_json(self) -> dict[str, str]:
        """As the API sends it."""
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


@dataclass(frozen=True, slots=True)
class Row:
    """One group of one status: how many problems, resolved or not, and their funding sums."""

    key: str | None
    status: str
    count: int
    need: int
    allocated: int
    central: int


def _scoped_meetings(unit_id: str | None, period: Period) -> tuple[Any, list[Any]]:
    """The join and filters of the meetings in a scope (national: ``unit_id`` None) and period."""
    start, end = period.bounds()
    where = [meetings.c.starts_at >= start, meetings.c.starts_at < end]
    if unit_id is not None:
        where.append(meeting_unit().in_(sa.select(admin_unit_paths.c.unit_id).where(admin_unit_paths.c.ancestor_id == unit_id)))
    else:  # the nation is its units: a central body's meetings are the ministers' figures (summary_data)
        where.append(meeting_unit().is_not(None))
    return with_organiser(meetings), where


def _counted() -> list[Any]:
    return [problems.c.accepted.is_(True), problems.c.merged_into.is_(None)]


def _month(dialect: str) -> Any:
    """The Almaty month of a meeting's start, in SQL for either database."""
    if dialect == "postgresql":
        return sa.extract("month", meetings.c.starts_at + sa.text(f"interval '{ALMATY_OFFSET_HOURS} hours'"))
    return sa.cast(sa.func.strftime("%m", meetings.c.starts_at, f"+{ALMATY_OFFSET_HOURS} hours"), sa.Integer)


def _aggregates() -> tuple[Any, ...]:
    return (problems.c.status, sa.func.count().label("n"),
            sa.func.coalesce(sa.func.sum(problems.c.funding_need), 0).label("need"),
            sa.func.coalesce(sa.func.sum(problems.c.funding_allocated), 0).label("allocated"),
            sa.func.coalesce(sa.func.sum(sa.case((problems.c.central_list.is_(True), 1), else_=0)), 0).label("central"))


def _rows(result: Any) -> list[Row]:
    return [Row(None if r.key is None else str(r.key), r.status, int(r.n), int(r.need), int(r.allocated), int(r.central)) for r in result]


async def by_key(conn: AsyncConnection, unit_id: str | None, period: Period, key: str) -> list[Row]:
    """Problems in a scope grouped by ``category``, ``executor``, ``competence``, ``quarter`` or ``all``."""
    source, where = _scoped_meetings(unit_id, period)
    if key == "quarter":
        month = sa.cast(_month(conn.dialect.name), sa.Integer)
        column: Any = sa.case((month <= 3, 1), (month <= 6, 2), (month <= 9, 3), else_=4)
    elif key == "all":
        column = sa.literal("all")
    else:
        column = {"category": problems.c.category, "executor": problems.c.executor, "competence": problems.c.competence}[key]
    query = (sa.select(column.label("key"), *_aggregates()).select_from(source.join(problems, problems.c.meeting_id == meetings.c.id))
             .where(*where, *_counted()).group_by(column, problems.c.status))
    return _rows(await conn.execute(query))


async def by_child(conn: AsyncConnection, unit_id: str | None, period: Period) -> list[Row]:
    """Problems in a scope grouped by the child unit they lie under (the unit's own: key ``unit_id``)."""
    source, where = _scoped_meetings(unit_id, period)
    child = admin_units.alias("child")
    paths = admin_unit_paths.alias("up")
    parent = child.c.parent_id == unit_id if unit_id is not None else child.c.parent_id.is_(None)
    joined = (source.join(problems, problems.c.meeting_id == meetings.c.id)
              .join(paths, paths.c.unit_id == meeting_unit()).join(child, sa.and_(child.c.id == paths.c.ancestor_id, parent)))
    query = (sa.select(child.c.id.label("key"), *_aggregates()).select_from(joined).where(*where, *_counted())
             .group_by(child.c.id, problems.c.status))
    rows = _rows(await conn.execute(query))
    if unit_id is not None:
        own = (sa.select(sa.literal(unit_id).label("key"), *_aggregates())
               .select_from(source.join(problems, problems.c.meeting_id == meetings.c.id))
               .where(*where, *_counted(), meeting_unit() == unit_id).group_by(problems.c.status))
        rows += _rows(await conn.execute(own))
    return rows


@dataclass(frozen=True, slots=True)
class MeetingCounts:
    """Meetings in a scope and period: planned (every one), held (clock ended), by child unit."""

    planned: int
    held: int
    by_child: dict[str, tuple[int, int]]


async def meeting_counts(conn: AsyncConnection, unit_id: str | None, period: Period) -> MeetingCounts:
    """How many meetings were planned and held, in all and under each child unit."""
    source, where = _scoped_meetings(unit_id, period)
    held = sa.func.coalesce(sa.func.sum(sa.case((meetings.c.ended_at.is_not(None), 1), else_=0)), 0)
    total = (await conn.execute(sa.select(sa.func.count(), held).select_from(source).where(*where))).one()
    child = admin_units.alias("child")
    paths = admin_unit_paths.alias("up")
    parent = child.c.parent_id == unit_id if unit_id is not None else child.c.parent_id.is_(None)
    joined = source.join(paths, paths.c.unit_id == meeting_unit()).join(child, sa.and_(child.c.id == paths.c.ancestor_id, parent))
    rows = await conn.execute(sa.select(child.c.id, sa.func.count(), held).select_from(joined).where(*where).group_by(child.c.id))
    counts = {r[0]: (int(r[1]), int(r[2])) for r in rows}
    if unit_id is not None:
        own = (await conn.execute(sa.select(sa.func.count(), held).select_from(source).where(*where, meeting_unit() == unit_id))).one()
        if own[0]:
            counts[unit_id] = (int(own[0]), int(own[1]))
    return MeetingCounts(int(total[0]), int(total[1]), counts)


async def child_units(conn: AsyncConnection, unit_id: str | None) -> list[Any]:
    """The units directly below a unit (the top-level units for the nation), in code order."""
    parent = admin_units.c.parent_id == unit_id if unit_id is not None else admin_units.c.parent_id.is_(None)
    rows = await conn.execute(sa.select(admin_units.c.id, admin_units.c.name_ru, admin_units.c.name_kk, admin_units.c.kind)
                              .where(parent).order_by(admin_units.c.kato, admin_units.c.id))
    return list(rows)


async def meeting_ids(conn: AsyncConnection, unit_id: str | None, period: Period, *, own: bool = False) -> list[int]:
    """The meetings of a unit's subtree (``own``: of the unit itself) in a period, oldest first."""
    source, where = _scoped_meetings(None if own else unit_id, period)
    if own:
        where.append(meeting_unit() == unit_id)
    rows = await conn.execute(sa.select(meetings.c.id).select_from(source).where(*where).order_by(meetings.c.starts_at, meetings.c.id))
    return [r.id for r in rows]
