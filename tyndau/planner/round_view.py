"""A round read from the store: its meetings and receptions, and the 10-day publication clock.

The clock is :func:`tyndau.domain.receptions.publication_clock` over the round's events — a meeting
counts as ended when its clock ended, a reception when its end is recorded — so recording a
reception's end moves the deadline the page and the package show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tyndau.domain.participation import check_commission
from tyndau.domain.receptions import PublicationClock, RoundEvent, publication_clock
from tyndau.domain.text_safety import PUBLIC, safe
from tyndau.store.engine import Connection
from tyndau.store.meetings import Meeting, get_meeting
from tyndau.store.participants import get_commission
from tyndau.store.rounds import ReceptionRecord, RoundRecord, get_round, list_receptions
from tyndau.timeutil import iso


@dataclass(frozen=True, slots=True)
class RoundBundle:
    """A round with its meetings (by start) and receptions."""

    round: RoundRecord
    meetings: tuple[Meeting, ...]
    receptions: tuple[ReceptionRecord, ...]

    def events(self) -> tuple[RoundEvent, ...]:
        """Every meeting and reception as the publication clock sees them."""
        out = [RoundEvent(f"m{m.id}", "meeting", m.draft.starts_at, m.links.ended_at) for m in self.meetings]
        out += [RoundEvent(f"r{r.id}", "reception", r.reception.starts_at, r.reception.ended_at, r.reception.cancelled)
                for r in self.receptions]
        return tuple(out)

    def clock(self, now: datetime) -> PublicationClock:
        """The round's 10-day clock now."""
        return publication_clock(self.events(), now, self.round.published_at)


async def load_round(conn: Connection, round_id: int) -> RoundBundle | None:
    """The bundle of one round (None when there is none)."""
    found = await get_round(conn, round_id)
    if found is None:
        return None
    meetings = [m for m in [await get_meeting(conn, i) for i in found.meeting_ids] if m is not None]
    return RoundBundle(found, tuple(meetings), await list_receptions(conn, round_id=round_id))


def clock_json(clock: PublicationClock) -> dict[str, Any]:
    """The clock's state, the event it runs from, its deadline and the days left."""
    return {"state": clock.state, "last_end": iso(clock.last_end), "anchor_id": clock.anchor_id,
            "deadline": clock.deadline.isoformat() if clock.deadline else None, "days_left": clock.days_left,
            "open_events": list(clock.open_events), "outside_round": list(clock.outside_round)}


def reception_json(record: ReceptionRecord, *, private: bool) -> dict[str, Any]:
    """A reception for the page; question texts are redacted unless the reader may see originals."""
    r = record.reception
    return {
        "id": record.id, "round_id": record.round_id, "meeting_id": record.meeting_id, "version": record.version,
        "starts_at": iso(r.starts_at), "ended_at": iso(r.ended_at), "place": r.place, "citizens_received": r.citizens_received,
        "cancelled": r.cancelled,
        "participants": [{"role": p.role, "name": p.name, "organisation": p.organisation} for p in r.participants],
        "questions": [{"id": q.id, "text": q.text if private else safe(q.text, PUBLIC), "lang": q.lang,
                       "answered_on_spot": q.answered_on_spot, "comment_id": record.comment_ids.get(q.id)} for q in r.questions],
    }


def round_json(bundle: RoundBundle, now: datetime, *, private: bool, commission_members: Sequence[Any] = ()) -> dict[str, Any]:
    """The round page's data: meetings, receptions, the clock, the commission and its check."""
    meetings = [{"id": m.id, "title": m.draft.title, "title_kk": m.draft.title_kk, "starts_at": iso(m.draft.starts_at),
                 "ended_at": iso(m.links.ended_at), "place": m.draft.place, "akim_level": m.draft.akim_level,
                 "organiser_id": m.links.organiser_id, "place_unit_id": m.links.place_unit_id} for m in bundle.meetings]
    return {
        **bundle.round.to_json(),
        "meetings": meetings,
        "receptions": [reception_json(r, private=private) for r in bundle.receptions],
        "clock": clock_json(bundle.clock(now)),
        "commission": list(commission_members),
    }


async def round_payload(conn: Connection, round_id: int, now: datetime, *, private: bool) -> dict[str, Any] | None:
    """The whole round page in one read (None when there is no such round)."""
    bundle = await load_round(conn, round_id)
    if bundle is None:
        return None
    commission = await get_commission(conn, round_id)
    issues = check_commission(commission) if commission.members else ()
    body = round_json(bundle, now, private=private,
                      commission_members=[{"name": m.name, "role": m.role, "organisation": m.organisation} for m in commission.members])
    body["commission_issues"] = [{"level": i.level, "field": i.field, "message": i.message} for i in issues]
    return body
