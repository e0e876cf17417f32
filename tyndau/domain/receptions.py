"""Personal receptions after a meeting, and the round's 10-day publication clock.

After a meeting the akim receives citizens in person together with heads of local executive
bodies, the prosecutor's office and police, maslikhat deputies and public councils. Their
questions join the round's problem list with source ``reception``, and the results must be
published within 10 days of the end of the round's last meeting **or reception**. A round is the
meetings and receptions of one akim that belong together; the store groups them, this module only
reads the events of one round.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from tyndau.domain.deadlines import almaty_date, last_event_end, publication_deadline
from tyndau.timeutil import as_utc

RECEPTION_SOURCE = "reception"
RECEPTION_ROLES: tuple[str, ...] = (
    "akim", "local_executive_head", "prosecutor", "police", "maslikhat_deputy", "public_council", "other",
)
ROLE_NAMES = {
    "akim": ("аким", "әкім"),
    "local_executive_head": ("руководитель местного исполнительного органа", "жергілікті атқарушы орган басшысы"),
    "prosecutor": ("представитель прокуратуры", "прокуратура өкілі"),
    "police": ("представитель полиции", "полиция өкілі"),
    "maslikhat_deputy": ("депутат маслихата", "мәслихат депутаты"),
    "public_council": ("член общественного совета", "қоғамдық кеңес мүшесі"),
    "other": ("другой участник", "басқа қатысушы"),
}
MAX_TEXT = 4000
MAX_NAME = 200


class ReceptionInvalid(ValueError):
    """Field errors in a reception; ``fields`` maps a field path to a message."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


@dataclass(frozen=True, slots=True)
class ReceptionParticipant:
    """Someone who received citizens with the akim, in a role."""

    role: str
    name: str
    organisation: str = ""


@dataclass(frozen=True, slots=True)
class ReceptionQuestion:
    """A question a citizen brought; the text is expected redacted of personal data already."""

    id: str
    text: str
    lang: str | None = None
    answered_on_spot: bool = False


@dataclass(frozen=True, slots=True)
class Reception:
    """A personal reception of citizens that belongs to a round."""

    id: str
    organiser_id: str
    starts_at: datetime
    ended_at: datetime | None = None
    place: str = ""
    participants: tuple[ReceptionParticipant, ...] = ()
    questions: tuple[ReceptionQuestion, ...] = ()
    citizens_received: int | None = None
    cancelled: bool = False


def validate_reception(reception: Reception) -> Reception:
    """Check a reception; raises :class:`ReceptionInvalid` with every problem at once."""
    errors: dict[str, str] = {}
    if not reception.id.strip():
        errors["id"] = "required"
    if reception.ended_at is not None and as_utc(reception.ended_at) < as_utc(reception.starts_at):
        errors["ended_at"] = "cannot be before the reception starts"
    if reception.citizens_received is not None and reception.citizens_received < 0:
        errors["citizens_received"] = "a whole number, not negative"
    if len(reception.place) > 300:
        errors["place"] = "at most 300 characters"
    for i, person in enumerate(reception.participants):
        if person.role not in RECEPTION_ROLES:
            errors[f"participants[{i}].role"] = "one of " + ", ".join(RECEPTION_ROLES)
        if not person.name.strip() or len(person.name) > MAX_NAME:
            errors[f"participants[{i}].name"] = f"required, at most {MAX_NAME} characters"
    seen: set[str] = set()
    for i, question in enumerate(reception.questions):
        if not question.id.strip() or question.id in seen:
            errors[f"questions[{i}].id"] = "required and unique within the reception"
        seen.add(question.id)
        if not question.text.strip() or len(question.text) > MAX_TEXT:
            errors[f"questions[{i}].text"] = f"required, at most {MAX_TEXT} characters"
    if errors:
        raise ReceptionInvalid(errors)
    return reception


@dataclass(frozen=True, slots=True)
class PooledQuestion:
    """A question in the round's pool, with where it came from (``source`` "reception" here)."""

    source: str
    source_ref: str  # "reception:<reception id>/<question id>": stable, so re-pooling is idempotent
    text: str
    asked_at: datetime
    lang: str | None = None
    answered_on_spot: bool = False


def reception_questions(receptions: Iterable[Reception]) -> tuple[PooledQuestion, ...]:
    """The questions of the held receptions, ready to join the round's problem list."""
    out: list[PooledQuestion] = []
    for reception in receptions:
        if reception.cancelled:
            continue
        for q in reception.questions:
            out.append(PooledQuestion(RECEPTION_SOURCE, f"{RECEPTION_SOURCE}:{reception.id}/{q.id}", q.text.strip(),
                                      reception.starts_at, q.lang, q.answered_on_spot))
    return tuple(out)


def join_pool(pool: Sequence[PooledQuestion], new: Iterable[PooledQuestion]) -> tuple[PooledQuestion, ...]:
    """The pool with the new questions appended, each source_ref once (joining twice adds nothing)."""
    refs = {q.source_ref for q in pool}
    out = list(pool)
    for q in new:
        if q.source_ref not in refs:
            refs.add(q.source_ref)
            out.append(q)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class RoundEvent:
    """A meeting or reception of a round, as the publication clock sees it."""

    id: str
    kind: Literal["meeting", "reception"]
    starts_at: datetime
    ended_at: datetime | None = None
    cancelled: bool = False

    @classmethod
    def of_reception(cls, reception: Reception) -> RoundEvent:
        """A reception as a round event."""
        return cls(reception.id, "reception", reception.starts_at, reception.ended_at, reception.cancelled)


ClockState = Literal["no_events", "waiting", "running", "overdue", "published", "published_late"]


@dataclass(frozen=True, slots=True)
class PublicationClock:
    """Where the round's 10-day publication stands."""

    state: ClockState
    last_end: datetime | None  # when the round's last meeting or reception ended
    anchor_id: str | None  # the event that ended last: the clock runs from it
    deadline: date | None  # last day to publish (Almaty), day 0 = the last end
    days_left: int | None  # until the deadline as of ``now`` (0 on the day itself), while not published
    open_events: tuple[str, ...]  # held but not yet ended: the clock waits for them
    outside_round: tuple[str, ...]  # started after the round's deadline had passed: not part of it


def publication_clock(events: Iterable[RoundEvent], now: date | datetime,
                      published_at: datetime | None = None) -> PublicationClock:
    """The clock from the round's events: it starts when the last meeting or reception ends.

    Cancelled events do not count. An event that starts after the deadline the earlier events had
    already set cannot extend it (that would let a late reception reopen a missed deadline); it is
    listed in ``outside_round`` and belongs to the next round.
    """
    live = sorted((e for e in events if not e.cancelled), key=lambda e: (as_utc(e.starts_at), e.id))
    members: list[RoundEvent] = []
    outside: list[str] = []
    running_deadline: date | None = None
    for event in live:
        if running_deadline is not None and almaty_date(event.starts_at) > running_deadline:
            outside.append(event.id)
            continue
        members.append(event)
        end = last_event_end(members)  # None while a member is still open: nothing can be ruled out yet
        running_deadline = publication_deadline(end) if end is not None else None
    open_ids = tuple(e.id for e in members if e.ended_at is None)
    if not members:
        return PublicationClock("no_events", None, None, None, None, (), tuple(outside))
    last = last_event_end(members)
    if last is None:
        return PublicationClock("waiting", None, None, None, None, open_ids, tuple(outside))
    anchor = max((e for e in members if e.ended_at is not None), key=lambda e: (as_utc(e.ended_at or e.starts_at), e.id))
    deadline = publication_deadline(last)
    if published_at is not None:
        state: ClockState = "published" if almaty_date(published_at) <= deadline else "published_late"
        return PublicationClock(state, last, anchor.id, deadline, None, (), tuple(outside))
    left = (deadline - almaty_date(now)).days
    return PublicationClock("running" if left >= 0 else "overdue", last, anchor.id, deadline, left, (),
                            tuple(outside))
