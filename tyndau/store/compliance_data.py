"""The facts the compliance monitor judges, read in a few grouped queries for a whole scope.

One query each for the organisers in scope, their visits planned in the quarter, their meetings
in it, the rounds of those meetings (publication and last end, receptions included) and the
progress reports handed in, so a nation's quarter is five queries, not one per akimat.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from tyndau.domain.deadlines import quarter_bounds
from tyndau.rollup.compliance import Facts, MeetingFact
from tyndau.store.national_schema import progress_reports
from tyndau.store.planning_schema import admin_unit_paths, calendar_visits, organisers, receptions, rounds
from tyndau.store.rollup import Period, inline
from tyndau.store.schema import meetings
from tyndau.timeutil import as_utc, store_time


def _organisers_in(unit_id: str | None, body_id: str | None) -> Any:
    query = sa.select(organisers.c.id, organisers.c.unit_id, organisers.c.name_ru, organisers.c.name_kk)
    if body_id is not None:
        return query.where(organisers.c.id == body_id)
    if unit_id is not None:
        return query.where(organisers.c.unit_id.in_(sa.select(admin_unit_paths.c.unit_id).where(admin_unit_paths.c.ancestor_id == inline(unit_id))))
    return query


def _aware(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


async def quarter_facts(conn: AsyncConnection, year: int, quarter: int, *, unit_id: str | None = None,
                        body_id: str | None = None) -> list[Facts]:
    """Each organiser's quarter in a scope (a unit's subtree, one central body, or the nation)."""
    first, last = quarter_bounds(year, quarter)
    start, end = Period(first, last).bounds()
    chosen = _organisers_in(unit_id, body_id).subquery()
    orgs = (await conn.execute(sa.select(chosen).order_by(chosen.c.id))).all()
    visits: dict[Any, int] = dict((await conn.execute(
        sa.select(calendar_visits.c.organiser_id, sa.func.count()).where(
            calendar_visits.c.organiser_id.in_(sa.select(chosen.c.id)), calendar_visits.c.status == "planned",
            calendar_visits.c.planned_on >= first, calendar_visits.c.planned_on <= last).group_by(calendar_visits.c.organiser_id))).all())
    in_scope = sa.and_(meetings.c.organiser_id.in_(sa.select(chosen.c.id)), meetings.c.starts_at >= start, meetings.c.starts_at < end)
    rows = (await conn.execute(sa.select(
        meetings.c.id, meetings.c.organiser_id, meetings.c.starts_at, meetings.c.akim_level, meetings.c.planned_minutes,
        meetings.c.announced_at, meetings.c.ended_at, meetings.c.presentation_seconds, meetings.c.round_id, rounds.c.published_at)
        .select_from(meetings.outerjoin(rounds, rounds.c.id == meetings.c.round_id)).where(in_scope))).all()
    # A round's end is its last meeting's or reception's, wherever the round's other meetings fall.
    their_rounds = sa.select(meetings.c.round_id).where(in_scope, meetings.c.round_id.is_not(None))
    ends: dict[int, datetime | None] = {}
    for rid, at in await conn.execute(sa.select(meetings.c.round_id, sa.func.max(meetings.c.ended_at))
                                      .where(meetings.c.round_id.in_(their_rounds)).group_by(meetings.c.round_id)):
        ends[rid] = _aware(at)
    for rid, at in await conn.execute(sa.select(receptions.c.round_id, sa.func.max(receptions.c.ended_at))
                                      .where(receptions.c.round_id.in_(their_rounds), receptions.c.cancelled.is_(False))
                                      .group_by(receptions.c.round_id)):
        if at is not None and (ends.get(rid) is None or as_utc(at) > ends[rid]):  # type: ignore[operator]
            ends[rid] = as_utc(at)
    submitted = dict((await conn.execute(sa.select(progress_reports.c.organiser_id, progress_reports.c.submitted_at).where(
        progress_reports.c.organiser_id.in_(sa.select(chosen.c.id)), progress_reports.c.year == year,
        progress_reports.c.quarter == quarter))).all())
    by_organiser: dict[str, list[MeetingFact]] = defaultdict(list)
    for r in rows:
        ended = _aware(r.ended_at)
        by_organiser[r.organiser_id].append(MeetingFact(
            r.id, as_utc(r.starts_at), r.akim_level, r.planned_minutes, _aware(r.announced_at), ended, r.presentation_seconds,
            round_end=ends.get(r.round_id) if r.round_id is not None and ended is not None else None,
            published_at=_aware(r.published_at)))
    return [Facts(o.id, o.unit_id, o.name_ru, o.name_kk, year, quarter, int(visits.get(o.id, 0)), tuple(by_organiser.get(o.id, ())),
                  _aware(submitted.get(o.id))) for o in orgs]


async def record_progress(conn: AsyncConnection, organiser_id: str, year: int, quarter: int, at: datetime, actor: str) -> bool:
    """Note that an organiser handed in its quarterly progress report (False: it had already)."""
    found = await conn.scalar(sa.select(progress_reports.c.id).where(
        progress_reports.c.organiser_id == organiser_id, progress_reports.c.year == year, progress_reports.c.quarter == quarter))
    if found is not None:
        return False
    await conn.execute(progress_reports.insert().values(organiser_id=organiser_id, year=year, quarter=quarter,
                                                        submitted_at=store_time(at), actor=actor[:100]))
    return True
