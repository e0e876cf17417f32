"""Rounds and personal receptions in the store.

A round is the meetings and receptions of one akim whose results are published together; its
10-day clock runs from the end of the last of them. A reception belongs to a round and to the
meeting whose problem list its questions join (each question becomes a comment of that meeting,
source ``reception``, through the intake; ``reception_questions.comment_id`` records which).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from tyndau.domain.receptions import Reception, ReceptionParticipant, ReceptionQuestion
from tyndau.store.engine import new_id
from tyndau.store.planning_schema import reception_participants, reception_questions, receptions, rounds
from tyndau.store.schema import meetings
from tyndau.timeutil import as_utc, iso, store_time


def _aware(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


def _naive(value: datetime | None) -> datetime | None:
    return None if value is None else store_time(value)


@dataclass(frozen=True, slots=True)
class RoundRecord:
    """A stored round: its organiser, title, when it was published, and its meetings (by start)."""

    id: int
    organiser_id: str | None
    title: str
    published_at: datetime | None
    meeting_ids: tuple[int, ...]
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        """The round's own fields."""
        return {"id": self.id, "organiser_id": self.organiser_id, "title": self.title, "published_at": iso(self.published_at),
                "meeting_ids": list(self.meeting_ids), "created_at": iso(self.created_at)}


async def create_round(conn: AsyncConnection, *, organiser_id: str | None, title: str, now: datetime) -> int:
    """A new, empty round."""
    stamp = store_time(now)
    result = await conn.execute(rounds.insert().values(organiser_id=organiser_id, title=title[:300], created_at=stamp, updated_at=stamp))
    return new_id(result)


async def get_round(conn: AsyncConnection, round_id: int) -> RoundRecord | None:
    """One round with the ids of its meetings."""
    row = (await conn.execute(sa.select(rounds).where(rounds.c.id == round_id))).first()
    if row is None:
        return None
    ids = await conn.execute(sa.select(meetings.c.id).where(meetings.c.round_id == round_id).order_by(meetings.c.starts_at, meetings.c.id))
    return RoundRecord(row.id, row.organiser_id, row.title, _aware(row.published_at), tuple(r.id for r in ids), as_utc(row.created_at))


async def update_round(conn: AsyncConnection, round_id: int, now: datetime, **fields: Any) -> None:
    """Change a round's title or publication time."""
    values = {k: (_naive(v) if k == "published_at" else v) for k, v in fields.items() if k in ("title", "published_at")}
    await conn.execute(rounds.update().where(rounds.c.id == round_id).values(**values, updated_at=store_time(now)))


async def list_rounds(conn: AsyncConnection, organiser_id: str | None = None, limit: int = 200) -> tuple[RoundRecord, ...]:
    """Recent rounds (of one organiser when given), newest first."""
    query = sa.select(rounds.c.id).order_by(rounds.c.id.desc()).limit(limit)
    if organiser_id is not None:
        query = query.where(rounds.c.organiser_id == organiser_id)
    out = []
    for r in (await conn.execute(query)).all():
        found = await get_round(conn, r.id)
        if found is not None:
            out.append(found)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class ReceptionRecord:
    """A stored reception: the pure :class:`Reception` plus where it belongs and what its questions became."""

    id: int
    round_id: int
    meeting_id: int
    version: int
    reception: Reception
    comment_ids: Mapping[str, int | None] = field(default_factory=dict)  # question key → comment id once pooled


def _reception_values(r: Reception) -> dict[str, Any]:
    return {"starts_at": store_time(r.starts_at), "ended_at": _naive(r.ended_at), "place": r.place[:300],
            "citizens_received": r.citizens_received, "cancelled": r.cancelled}


async def insert_reception(conn: AsyncConnection, round_id: int, meeting_id: int, reception: Reception, now: datetime) -> int:
    """Store a new reception (its ``id`` is ignored: the store numbers it) with its people and questions."""
    stamp = store_time(now)
    result = await conn.execute(receptions.insert().values(round_id=round_id, meeting_id=meeting_id, version=1, created_at=stamp,
                                                           updated_at=stamp, **_reception_values(reception)))
    reception_id = new_id(result)
    await _write_people(conn, reception_id, reception.participants)
    await _write_questions(conn, reception_id, reception.questions, now)
    return reception_id


async def replace_reception(conn: AsyncConnection, reception_id: int, reception: Reception, *, version: int, now: datetime) -> bool:
    """Overwrite a reception if it is still at ``version`` (False: someone else changed it first)."""
    result = await conn.execute(receptions.update().where(receptions.c.id == reception_id, receptions.c.version == version).values(
        version=version + 1, updated_at=store_time(now), **_reception_values(reception)))
    if not result.rowcount:
        return False
    await conn.execute(reception_participants.delete().where(reception_participants.c.reception_id == reception_id))
    await _write_people(conn, reception_id, reception.participants)
    await _write_questions(conn, reception_id, reception.questions, now)
    return True


async def _write_people(conn: AsyncConnection, reception_id: int, people: Sequence[ReceptionParticipant]) -> None:
    if people:
        await conn.execute(reception_participants.insert(), [
            {"reception_id": reception_id, "position": i, "role": p.role, "name": p.name[:200], "organisation": p.organisation[:300]}
            for i, p in enumerate(people)])


async def _write_questions(conn: AsyncConnection, reception_id: int, questions: Sequence[ReceptionQuestion], now: datetime) -> None:
    """Questions by key: new ones inserted, known ones updated (keeping the comment they became), gone ones removed."""
    known = {r.qkey for r in await conn.execute(sa.select(reception_questions.c.qkey).where(reception_questions.c.reception_id == reception_id))}
    wanted = {q.id for q in questions}
    gone = known - wanted
    if gone:
        await conn.execute(reception_questions.delete().where(reception_questions.c.reception_id == reception_id,
                                                              reception_questions.c.qkey.in_(sorted(gone))))
    for q in questions:
        values = {"text": q.text, "lang": q.lang, "answered_on_spot": q.answered_on_spot}
        if q.id in known:
            await conn.execute(reception_questions.update().where(reception_questions.c.reception_id == reception_id,
                                                                  reception_questions.c.qkey == q.id).values(**values))
        else:
            await conn.execute(reception_questions.insert().values(reception_id=reception_id, qkey=q.id, created_at=store_time(now), **values))


async def set_question_comment(conn: AsyncConnection, reception_id: int, qkey: str, comment_id: int) -> None:
    """Record the comment a question became in its meeting's feed."""
    await conn.execute(reception_questions.update().where(reception_questions.c.reception_id == reception_id,
                                                          reception_questions.c.qkey == qkey).values(comment_id=comment_id))


async def list_receptions(conn: AsyncConnection, *, round_id: int | None = None, reception_id: int | None = None) -> tuple[ReceptionRecord, ...]:
    """The receptions of a round (or one reception), by start, with their people and questions."""
    query = sa.select(receptions).order_by(receptions.c.starts_at, receptions.c.id)
    if round_id is not None:
        query = query.where(receptions.c.round_id == round_id)
    if reception_id is not None:
        query = query.where(receptions.c.id == reception_id)
    rows = (await conn.execute(query)).all()
    if not rows:
        return ()
    ids = [r.id for r in rows]
    people: dict[int, list[ReceptionParticipant]] = {}
    for p in await conn.execute(sa.select(reception_participants).where(reception_participants.c.reception_id.in_(ids))
                                .order_by(reception_participants.c.position)):
        people.setdefault(p.reception_id, []).append(ReceptionParticipant(p.role, p.name, p.organisation))
    questions: dict[int, list[Any]] = {}
    for q in await conn.execute(sa.select(reception_questions).where(reception_questions.c.reception_id.in_(ids))
                                .order_by(reception_questions.c.id)):
        questions.setdefault(q.reception_id, []).append(q)
    out = []
    for r in rows:
        qs = questions.get(r.id, [])
        reception = Reception(
            id=str(r.id), organiser_id="", starts_at=as_utc(r.starts_at), ended_at=_aware(r.ended_at), place=r.place,
            participants=tuple(people.get(r.id, ())), citizens_received=r.citizens_received, cancelled=bool(r.cancelled),
            questions=tuple(ReceptionQuestion(q.qkey, q.text, q.lang, bool(q.answered_on_spot)) for q in qs),
        )
        out.append(ReceptionRecord(r.id, r.round_id, r.meeting_id, r.version, reception, {q.qkey: q.comment_id for q in qs}))
    return tuple(out)


async def receptions_of_meetings(conn: AsyncConnection, meeting_ids: Sequence[int]) -> tuple[ReceptionRecord, ...]:
    """Every reception of the rounds these meetings belong to (what their package shows)."""
    round_ids = sorted({r.round_id for r in await conn.execute(
        sa.select(meetings.c.round_id).where(meetings.c.id.in_(list(meeting_ids)), meetings.c.round_id.is_not(None)))})
    out: list[ReceptionRecord] = []
    for rid in round_ids:
        out.extend(await list_receptions(conn, round_id=rid))
    return tuple(sorted(out, key=lambda r: (r.reception.starts_at, r.id)))
