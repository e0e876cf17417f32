"""The roll-up's queries: problems, statuses and funding grouped up the hierarchy with the closure table.

What counts is an accepted problem (a secretary's decision, never a machine's draft) that was not
merged into another, of a meeting whose planned start falls in the period (Almaty dates). A
meeting belongs to its organiser's unit, else its place (:func:`tyndau.store.scopes.meeting_unit`).
One statement selects the scope's meetings and problems once and groups them by every dimension
and the status; it returns small rows that :mod:`tyndau.rollup.figures` folds, never a row per problem.
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


def inline(unit_id: str) -> Any:
    """A unit id written into the statement's text, not sent as a parameter.

    PostgreSQL switches a prepared statement to a generic plan after five runs; for "a unit's
    subtree" that plan cannot know whether the unit is a region or a village and runs ten times
    slower (benchmarks/bench_national.py). With the id in the text each unit gets its own plan.
    """
    return sa.bindparam("scope_unit", unit_id, type_=sa.String, literal_execute=True)


def _scoped_meetings(unit_id: str | None, period: Period) -> tuple[Any, list[Any]]:
    """The join and filters of the meetings in a scope (national: ``unit_id`` None) and period."""
    start, end = period.bounds()
    where = [meetings.c.starts_at >= start, meetings.c.starts_at < end]
    if unit_id is not None:
        where.append(meeting_unit().in_(sa.select(admin_unit_paths.c.unit_id).where(admin_unit_paths.c.ancestor_id == inline(unit_id))))
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


DIMENSIONS = ("all", "category", "executor", "competence", "quarter", "unit")


def _sums(base: Any) -> tuple[Any, ...]:
    return (base.c.status, sa.func.count().label("n"), sa.func.coalesce(sa.func.sum(base.c.need), 0).label("need"),
            sa.func.coalesce(sa.func.sum(base.c.allocated), 0).label("allocated"), sa.func.coalesce(sa.func.sum(base.c.central), 0).label("central"))


def _children(unit_id: str | None) -> tuple[Any, Any, Any]:
    """The closure rows from a unit up to the child of ``unit_id`` it lies under (top-level units for the nation)."""
    child = admin_units.alias("child")
    paths = admin_unit_paths.alias("up")
    parent = child.c.parent_id == inline(unit_id) if unit_id is not None else child.c.parent_id.is_(None)
    return child, paths, parent


@dataclass(frozen=True, slots=True)
class MeetingCounts:
    """Meetings in a scope and period: planned (every one), held (clock ended), by child unit."""

    planned: int
    held: int
    by_child: dict[str, tuple[int, int]]


async def scope_rows(conn: AsyncConnection, unit_id: str | None, period: Period) -> tuple[dict[str, list[Row]], MeetingCounts]:
    """Problems grouped by each dimension and the status, and the meetings counted, in one statement.

    The scope's meetings are selected once and its problems once (common table expressions), then
    grouped by the total, category, executor, competence, quarter and the child unit (plus the
    unit's own meetings); meetings are counted in all, by child and own alongside.
    """
    source, where = _scoped_meetings(unit_id, period)
    month = sa.cast(_month(conn.dialect.name), sa.Integer)
    quarter = sa.case((month <= 3, "1"), (month <= 6, "2"), (month <= 9, "3"), else_="4")
    scoped = (sa.select(meetings.c.id, meeting_unit().label("unit"), quarter.label("quarter"),
                        sa.case((meetings.c.ended_at.is_not(None), 1), else_=0).label("held"))
              .select_from(source).where(*where)).cte("scoped")
    base = (sa.select(scoped.c.unit, scoped.c.quarter, problems.c.status, problems.c.category, problems.c.executor, problems.c.competence,
                      problems.c.funding_need.label("need"), problems.c.funding_allocated.label("allocated"),
                      sa.case((problems.c.central_list.is_(True), 1), else_=0).label("central"))
            .select_from(scoped.join(problems, problems.c.meeting_id == scoped.c.id)).where(*_counted())).cte("base")

    def head(dimension: str, key: Any) -> tuple[Any, Any]:
        return sa.literal(dimension).label("dim"), sa.cast(key, sa.String).label("key")

    parts = [sa.select(*head("all", sa.literal("all")), *_sums(base)).group_by(base.c.status)]
    parts += [sa.select(*head(name, base.c[name]), *_sums(base)).group_by(base.c[name], base.c.status)
              for name in ("category", "executor", "competence", "quarter")]
    child, paths, parent = _children(unit_id)

    def under(cte: Any) -> Any:
        return cte.join(paths, paths.c.unit_id == cte.c.unit).join(child, sa.and_(child.c.id == paths.c.ancestor_id, parent))

    parts.append(sa.select(*head("unit", child.c.id), *_sums(base)).select_from(under(base)).group_by(child.c.id, base.c.status))
    held = (sa.literal("").label("status"), sa.func.count().label("n"), sa.func.coalesce(sa.func.sum(scoped.c.held), 0).label("need"),
            sa.literal(0).label("allocated"), sa.literal(0).label("central"))
    parts += [sa.select(*head("meetings", sa.literal("all")), *held),
              sa.select(*head("meetings", child.c.id), *held).select_from(under(scoped)).group_by(child.c.id)]
    if unit_id is not None:
        parts.append(sa.select(*head("unit", sa.literal(unit_id)), *_sums(base)).where(base.c.unit == inline(unit_id)).group_by(base.c.status))
        parts.append(sa.select(*head("meetings", sa.literal(unit_id)), *held).where(scoped.c.unit == inline(unit_id)))
    out: dict[str, list[Row]] = {d: [] for d in DIMENSIONS}
    planned, held_all, counts = 0, 0, {}
    for r in await conn.execute(sa.union_all(*parts)):
        if r.dim != "meetings":
            out[r.dim].append(Row(r.key, r.status, int(r.n), int(r.need), int(r.allocated), int(r.central)))
        elif r.key == "all":
            planned, held_all = int(r.n), int(r.need)
        elif r.n:
            counts[r.key] = (int(r.n), int(r.need))
    return out, MeetingCounts(planned, held_all, counts)


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
