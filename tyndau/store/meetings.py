"""Meetings: create, edit, list, and the message for the presenter screen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from tyndau.domain.meeting import MeetingDraft, check_announcement
from tyndau.store.schema import meeting_amendments, meetings
from tyndau.timeutil import as_utc, iso, store_time, utcnow

MAX_PRESENTER_MESSAGE = 200


@dataclass(frozen=True, slots=True)
class Amendment:
    """A change of a plan field after the meeting ended: kept, shown in the record and the package."""

    field: str
    old: Any
    new: Any
    actor: str
    at: datetime
    reason: str

    def to_json(self) -> dict[str, Any]:
        """As the API, the timing record and the reports carry it."""
        return {"field": self.field, "old": self.old, "new": self.new, "actor": self.actor, "at": iso(self.at), "reason": self.reason}


@dataclass(frozen=True, slots=True)
class MeetingLinks:
    """Where a meeting sits in the year (issue 14): organiser, place unit, calendar visit or off-calendar reason, round."""

    organiser_id: str | None = None
    place_unit_id: str | None = None
    calendar_visit_id: int | None = None
    off_calendar_reason: str | None = None
    round_id: int | None = None
    ended_at: datetime | None = None  # the clock's end (kept by clock_log), not a plan field

    def to_json(self) -> dict[str, Any]:
        """The fields as the meeting's JSON carries them."""
        return {"organiser_id": self.organiser_id, "place_unit_id": self.place_unit_id, "calendar_visit_id": self.calendar_visit_id,
                "off_calendar_reason": self.off_calendar_reason, "round_id": self.round_id, "ended_at": iso(self.ended_at)}


LINK_FIELDS = ("organiser_id", "place_unit_id", "calendar_visit_id", "off_calendar_reason", "round_id")


@dataclass(frozen=True, slots=True)
class Meeting:
    """A stored meeting."""

    id: int
    draft: MeetingDraft
    presenter_message: str
    presenter_message_at: datetime | None
    created_at: datetime
    amendments: tuple[Amendment, ...] = field(default=())
    links: MeetingLinks = field(default=MeetingLinks())

    @property
    def planned_seconds(self) -> float:
        """The planned duration in seconds."""
        return float(self.draft.planned_minutes) * 60.0

    def to_json(self) -> dict[str, Any]:
        """The API's view of a meeting, with the decree's announcement check."""
        d = self.draft
        check = check_announcement(d.akim_level, d.starts_at, d.announced_at)
        return {
            "id": self.id,
            "title": d.title,
            "title_kk": d.title_kk,
            "akim_level": d.akim_level,
            "place": d.place,
            "starts_at": iso(d.starts_at),
            "planned_minutes": d.planned_minutes,
            "announced_at": iso(d.announced_at),
            "stream_links": list(d.stream_links),
            "akim_name": d.akim_name,
            "attendance": d.attendance,
            "online_reach": d.online_reach,
            "created_at": iso(self.created_at),
            "presenter_message": self.presenter_message,
            "presenter_message_at": iso(self.presenter_message_at),
            "amendments": [a.to_json() for a in self.amendments],
            **self.links.to_json(),
            "announcement": {
                "notice_days": check.notice_days,
                "deadline": check.deadline.isoformat(),
                "announced_on": check.announced_on.isoformat() if check.announced_on else None,
                "days_ahead": check.days_ahead,
                "met": check.met,
            },
        }


def _naive(dt: datetime | None) -> datetime | None:
    return None if dt is None else store_time(dt)


def _aware(dt: datetime | None) -> datetime | None:
    return None if dt is None else as_utc(dt)


def _row_to_meeting(row: Any, amendments: Sequence[Amendment] = ()) -> Meeting:
    draft = MeetingDraft(
        title=row.title, akim_level=row.akim_level, place=row.place, starts_at=as_utc(row.starts_at),
        planned_minutes=row.planned_minutes, announced_at=_aware(row.announced_at),
        stream_links=tuple(row.stream_links or ()), akim_name=row.akim_name or "",
        attendance=row.attendance, online_reach=row.online_reach, title_kk=row.title_kk or "",
    )
    links = MeetingLinks(row.organiser_id, row.place_unit_id, row.calendar_visit_id, row.off_calendar_reason, row.round_id,
                         _aware(row.ended_at))
    return Meeting(row.id, draft, row.presenter_message or "", _aware(row.presenter_message_at), as_utc(row.created_at),
                   tuple(amendments), links)


async def _amendments(conn: AsyncConnection, meeting_ids: Sequence[int]) -> dict[int, list[Amendment]]:
    out: dict[int, list[Amendment]] = {}
    if not meeting_ids:
        return out
    rows = await conn.execute(sa.select(meeting_amendments).where(meeting_amendments.c.meeting_id.in_(list(meeting_ids)))
                              .order_by(meeting_amendments.c.id))
    for r in rows:
        out.setdefault(r.meeting_id, []).append(Amendment(r.field, r.old, r.new, r.actor, as_utc(r.at), r.reason))
    return out


async def add_amendments(conn: AsyncConnection, meeting_id: int, actor: str, reason: str, changes: Sequence[tuple[str, Any, Any]]) -> None:
    """Record plan changes made after the meeting ended (field, old, new), with who and why."""
    now = _naive(utcnow())
    for name, old, new in changes:
        await conn.execute(meeting_amendments.insert().values(meeting_id=meeting_id, at=now, actor=actor[:100], field=name,
                                                              old=old, new=new, reason=reason))


def _values(draft: MeetingDraft) -> dict[str, Any]:
    return {
        "title": draft.title, "title_kk": draft.title_kk, "akim_level": draft.akim_level, "place": draft.place,
        "starts_at": _naive(draft.starts_at), "planned_minutes": draft.planned_minutes,
        "announced_at": _naive(draft.announced_at), "stream_links": list(draft.stream_links),
        "akim_name": draft.akim_name, "attendance": draft.attendance, "online_reach": draft.online_reach,
    }


async def create_meeting(conn: AsyncConnection, draft: MeetingDraft, links: MeetingLinks | None = None) -> Meeting:
    """Insert a meeting (with its place in the year, when known) and return it with its id."""
    now = _naive(utcnow())
    planned = {k: getattr(links, k) for k in LINK_FIELDS} if links is not None else {}
    result = await conn.execute(
        meetings.insert().values(**_values(draft), **planned, presenter_message="", created_at=now, updated_at=now)
    )
    key = result.inserted_primary_key
    assert key is not None  # an INSERT of one row always has its key
    found = await get_meeting(conn, int(key[0]))
    assert found is not None
    return found


async def update_meeting(conn: AsyncConnection, meeting_id: int, draft: MeetingDraft) -> Meeting | None:
    """Replace a meeting's fields."""
    result = await conn.execute(
        meetings.update().where(meetings.c.id == meeting_id).values(**_values(draft), updated_at=_naive(utcnow()))
    )
    if not result.rowcount:
        return None
    return await get_meeting(conn, meeting_id)


async def set_links(conn: AsyncConnection, meeting_id: int, **fields: Any) -> None:
    """Change some of a meeting's planning links (``LINK_FIELDS``)."""
    unknown = set(fields) - set(LINK_FIELDS)
    if unknown:
        raise ValueError(f"not a planning link: {', '.join(sorted(unknown))}")
    await conn.execute(meetings.update().where(meetings.c.id == meeting_id).values(**fields, updated_at=_naive(utcnow())))


async def get_meeting(conn: AsyncConnection | AsyncEngine, meeting_id: int) -> Meeting | None:
    """One meeting by id."""
    if isinstance(conn, AsyncEngine):
        async with conn.connect() as c:
            return await get_meeting(c, meeting_id)
    row = (await conn.execute(sa.select(meetings).where(meetings.c.id == meeting_id))).first()
    if row is None:
        return None
    return _row_to_meeting(row, (await _amendments(conn, [meeting_id])).get(meeting_id, ()))


async def meeting_exists(conn: AsyncConnection, meeting_id: int) -> bool:
    """Whether there is such a meeting."""
    return await conn.scalar(sa.select(meetings.c.id).where(meetings.c.id == meeting_id)) is not None


async def meeting_starts_at(conn: AsyncConnection, meeting_id: int) -> datetime | None:
    """A meeting's planned start (aware, UTC); None when there is no such meeting."""
    return _aware(await conn.scalar(sa.select(meetings.c.starts_at).where(meetings.c.id == meeting_id)))


async def list_meetings(engine: AsyncEngine, limit: int = 200, scope: Any = None) -> list[Meeting]:
    """Meetings, newest planned start first (those a :class:`~tyndau.store.scopes.Scope` reaches, when given)."""
    query = sa.select(meetings)
    if scope is not None:
        from tyndau.store.scopes import visible_meetings, with_organiser

        query = query.select_from(with_organiser(meetings)).where(visible_meetings(scope))
    async with engine.connect() as conn:
        rows = (await conn.execute(query.order_by(meetings.c.starts_at.desc(), meetings.c.id.desc()).limit(limit))).all()
        amendments = await _amendments(conn, [r.id for r in rows])
    return [_row_to_meeting(r, amendments.get(r.id, ())) for r in rows]


async def set_presenter_message(conn: AsyncConnection, meeting_id: int, text: str) -> Meeting | None:
    """Store the short message shown on the presenter screen (empty clears it)."""
    result = await conn.execute(
        meetings.update().where(meetings.c.id == meeting_id).values(
            presenter_message=text, presenter_message_at=_naive(utcnow()), updated_at=_naive(utcnow())
        )
    )
    if not result.rowcount:
        return None
    return await get_meeting(conn, meeting_id)


async def current_comment_id(conn: AsyncConnection, meeting_id: int) -> int | None:
    """The comment now on screen for a meeting, if any."""
    found = await conn.scalar(sa.select(meetings.c.current_comment_id).where(meetings.c.id == meeting_id))
    return None if found is None else int(found)


async def set_current_comment(conn: AsyncConnection, meeting_id: int, comment_id: int | None) -> None:
    """Put a comment on screen (None: nothing)."""
    await conn.execute(sa.update(meetings).where(meetings.c.id == meeting_id).values(current_comment_id=comment_id))


async def clear_current_comment(conn: AsyncConnection, meeting_id: int, comment_id: int) -> bool:
    """Take ``comment_id`` off screen if it is the one there; whether it was."""
    result = await conn.execute(sa.update(meetings).where(meetings.c.id == meeting_id, meetings.c.current_comment_id == comment_id)
                                .values(current_comment_id=None))
    return bool(result.rowcount)
