"""The ministers' figures of the national summary: receptions, citizens, problems, meetings scheduled and held.

Central bodies are organisers without a unit, so the unit roll-up does not see them; their
figures are grouped here by organiser in four queries.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from tyndau.store.planning_schema import calendar_visits, organisers, receptions
from tyndau.store.rollup import Period
from tyndau.store.schema import meetings, problems


@dataclass(frozen=True, slots=True)
class MinistersFigures:
    """All central bodies together for a period."""

    bodies: int
    receptions: int
    citizens: int
    problems: int
    resolved: int
    meetings_scheduled: int
    meetings_held: int


async def ministers_figures(conn: AsyncConnection, period: Period) -> MinistersFigures:
    """The review's "Ministers: 216 receptions, 1,498 citizens, 1,679 problems, 1,241 resolved; 227 scheduled, 212 held"."""
    start, end = period.bounds()
    bodies = sa.select(organisers.c.id).where(organisers.c.kind == "central_body")
    theirs = sa.select(meetings.c.id).where(meetings.c.organiser_id.in_(bodies), meetings.c.starts_at >= start, meetings.c.starts_at < end)
    n_bodies = int(await conn.scalar(sa.select(sa.func.count()).select_from(bodies.subquery())) or 0)
    rec = (await conn.execute(sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(receptions.c.citizens_received), 0)).where(
        receptions.c.meeting_id.in_(theirs), receptions.c.cancelled.is_(False)))).one()
    prob = (await conn.execute(sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(sa.case((problems.c.status == "resolved", 1), else_=0)), 0))
                               .where(problems.c.meeting_id.in_(theirs), problems.c.accepted.is_(True), problems.c.merged_into.is_(None)))).one()
    held = int(await conn.scalar(sa.select(sa.func.count()).where(meetings.c.id.in_(theirs), meetings.c.ended_at.is_not(None))) or 0)
    scheduled = int(await conn.scalar(sa.select(sa.func.count()).where(
        calendar_visits.c.organiser_id.in_(bodies), calendar_visits.c.status == "planned",
        calendar_visits.c.planned_on >= period.start, calendar_visits.c.planned_on <= period.end)) or 0)
    return MinistersFigures(n_bodies, int(rec[0]), int(rec[1]), int(prob[0]), int(prob[1]), scheduled, held)
