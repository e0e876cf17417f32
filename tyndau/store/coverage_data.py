"""What the coverage matrix reads from the store: an organiser's meetings of a year, as pure records."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from tyndau.domain.coverage import MeetingRecord
from tyndau.store.planning_schema import calendar_visits
from tyndau.store.schema import meetings
from tyndau.timeutil import ALMATY, as_utc, store_time


def almaty_day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """Naive UTC instants from the start of ``first`` to the end of ``last`` in Almaty (store form)."""
    start = datetime.combine(first, time.min, ALMATY)
    end = datetime.combine(last + timedelta(days=1), time.min, ALMATY)
    return store_time(start), store_time(end)


async def meeting_records(conn: AsyncConnection, organiser_id: str, first: date, last: date) -> tuple[MeetingRecord, ...]:
    """The organiser's meetings starting between two Almaty days (inclusive), with the visit each realises."""
    start, end = almaty_day_bounds(first, last)
    query = (sa.select(meetings.c.id, meetings.c.starts_at, meetings.c.place_unit_id, meetings.c.ended_at,
                       meetings.c.off_calendar_reason, calendar_visits.c.visit_key)
             .select_from(meetings.outerjoin(calendar_visits, meetings.c.calendar_visit_id == calendar_visits.c.id))
             .where(meetings.c.organiser_id == organiser_id, meetings.c.starts_at >= start, meetings.c.starts_at < end)
             .order_by(meetings.c.starts_at, meetings.c.id))
    rows = (await conn.execute(query)).all()
    return tuple(MeetingRecord(
        id=str(r.id), organiser_id=organiser_id, starts_at=as_utc(r.starts_at), place_unit_id=r.place_unit_id,
        ended_at=as_utc(r.ended_at) if r.ended_at else None, visit_id=r.visit_key,
        off_calendar_reason="" if r.visit_key else (r.off_calendar_reason or ""),
    ) for r in rows)
