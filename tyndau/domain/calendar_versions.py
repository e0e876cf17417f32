"""An organiser's annual calendar as a pure fold over its persisted change events.

Like the meeting clock, nothing here reads a clock or a database: the store keeps the events, the
service asks :func:`check_change` before persisting one, and :func:`fold` replays them into the
current plan and its versions. Version 1 is the calendar approved with the maslikhat; each later
adjustment, which the decree allows only with the maslikhat's agreement, makes the next version
and records who, when and why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import MappingProxyType
from typing import Literal

ChangeKind = Literal["draft", "approve", "submit", "pass_on", "adjust"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("draft", "approve", "submit", "pass_on", "adjust")
Status = Literal["draft", "approved", "submitted", "passed_on"]
MAX_REASON = 2000


@dataclass(frozen=True, slots=True)
class PlannedVisit:
    """One meeting in the calendar: where (a unit, or None for a central body) and on which day."""

    id: str
    planned_on: date
    place_unit_id: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class AddVisit:
    """Put a new meeting into the calendar."""

    visit: PlannedVisit


@dataclass(frozen=True, slots=True)
class MoveVisit:
    """Re-plan a meeting to another day (and optionally another place)."""

    visit_id: str
    planned_on: date
    place_unit_id: str | None = None


@dataclass(frozen=True, slots=True)
class CancelVisit:
    """Take a meeting out of the calendar."""

    visit_id: str


Operation = AddVisit | MoveVisit | CancelVisit


@dataclass(frozen=True, slots=True)
class CalendarChange:
    """One persisted change: its order (``seq``), who made it, when, why and what it changes."""

    seq: int
    kind: ChangeKind
    at: datetime
    actor: str
    reason: str = ""
    operations: tuple[Operation, ...] = ()
    maslikhat_agreed_on: date | None = None  # the maslikhat session that approved or agreed
    maslikhat_ref: str = ""  # its decision number, as the act gives it


class CalendarError(Exception):
    """A change that cannot apply; ``code`` is stable for clients."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class CalendarVersion:
    """The plan as approved (number 1) or as adjusted (2, 3, …), with who, when and why."""

    number: int
    seq: int
    kind: Literal["approval", "adjustment"]
    at: datetime
    actor: str
    reason: str
    maslikhat_agreed_on: date | None
    maslikhat_ref: str
    visits: tuple[PlannedVisit, ...]
    operations: tuple[Operation, ...]


@dataclass(frozen=True, slots=True)
class CalendarState:
    """Everything the events say about the calendar now."""

    year: int | None = None  # when set, every planned day must fall in this year
    status: Status = "draft"
    visits: Mapping[str, PlannedVisit] = field(default_factory=lambda: MappingProxyType({}))
    cancelled: Mapping[str, PlannedVisit] = field(default_factory=lambda: MappingProxyType({}))
    versions: tuple[CalendarVersion, ...] = ()
    approved_at: datetime | None = None
    approved_on: date | None = None  # the maslikhat's date of approval
    submitted_at: datetime | None = None
    passed_on_at: datetime | None = None
    last_seq: int | None = None
    first_planned: Mapping[str, date] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def version(self) -> int:
        """The current version number (0 while the calendar is a draft)."""
        return len(self.versions)

    def planned(self) -> tuple[PlannedVisit, ...]:
        """The meetings now in the calendar, by day then id."""
        return tuple(sorted(self.visits.values(), key=lambda v: (v.planned_on, v.id)))

    def approved_plan(self) -> Mapping[str, PlannedVisit]:
        """Each visit as version 1 had it (empty before approval): the baseline a move is measured against."""
        if not self.versions:
            return MappingProxyType({})
        return MappingProxyType({v.id: v for v in self.versions[0].visits})


def check_change(state: CalendarState, change: CalendarChange) -> CalendarState:
    """The state after ``change``, or CalendarError saying why it cannot apply."""
    if state.last_seq is not None and change.seq <= state.last_seq:
        raise CalendarError("out_of_order", f"change {change.seq} is not after {state.last_seq}")
    if change.kind not in CHANGE_KINDS:
        raise CalendarError("unknown_kind", f"unknown change {change.kind!r}; one of {', '.join(CHANGE_KINDS)}")
    if not change.actor.strip():
        raise CalendarError("no_actor", "every change names who made it")
    if len(change.reason) > MAX_REASON:
        raise CalendarError("reason_too_long", f"the reason is longer than {MAX_REASON} characters")
    kind = change.kind
    if kind == "draft":
        if state.status != "draft":
            raise CalendarError("approved", "the calendar is approved; change it by an adjustment agreed with the maslikhat")
        return _with_ops(state, change)
    if kind == "approve":
        if state.status != "draft":
            raise CalendarError("already_approved", "the calendar is already approved")
        _need_maslikhat(change)
        after = _with_ops(state, change)
        if not after.visits:
            raise CalendarError("empty", "an approved calendar needs at least one meeting")
        version = _version(after, change, "approval")
        return replace(after, status="approved", versions=(version,), approved_at=change.at,
                       approved_on=change.maslikhat_agreed_on)
    if kind == "adjust":
        if state.status == "draft":
            raise CalendarError("not_approved", "a draft is edited directly; adjustments start after approval")
        _need_maslikhat(change)
        if not change.operations:
            raise CalendarError("no_operations", "an adjustment changes at least one meeting")
        if not change.reason.strip():
            raise CalendarError("no_reason", "an adjustment says why it is made")
        after = _with_ops(state, change)
        return replace(after, versions=state.versions + (_version(after, change, "adjustment"),))
    if change.operations:
        raise CalendarError("operations_not_allowed", f"a {kind} change carries no meeting changes")
    if kind == "submit":
        if state.status != "approved":
            raise CalendarError("not_approved" if state.status == "draft" else "already_submitted",
                                "only an approved calendar not yet sent can be sent to the Government")
        return replace(state, status="submitted", submitted_at=change.at, last_seq=change.seq)
    if state.status != "submitted":
        raise CalendarError("not_submitted", "the Government passes on a calendar after it is submitted")
    return replace(state, status="passed_on", passed_on_at=change.at, last_seq=change.seq)


def fold(changes: Sequence[CalendarChange], *, year: int | None = None) -> CalendarState:
    """Replay the persisted changes in ``seq`` order (each was checked before it was stored)."""
    state = CalendarState(year=year)
    for change in sorted(changes, key=lambda c: c.seq):
        state = check_change(state, change)
    return state


def visit_history(state: CalendarState, visit_id: str) -> tuple[tuple[int, date], ...]:
    """The day a meeting was planned for in each version that had it: (version number, day)."""
    return tuple((v.number, x.planned_on) for v in state.versions for x in v.visits if x.id == visit_id)


def _need_maslikhat(change: CalendarChange) -> None:
    if change.maslikhat_agreed_on is None:
        what = "approval" if change.kind == "approve" else "an adjustment"
        raise CalendarError("no_maslikhat", f"{what} needs the date of the maslikhat's agreement")


def _with_ops(state: CalendarState, change: CalendarChange) -> CalendarState:
    visits = dict(state.visits)
    cancelled = dict(state.cancelled)
    first = dict(state.first_planned)
    for op in change.operations:
        day = op.visit.planned_on if isinstance(op, AddVisit) else op.planned_on if isinstance(op, MoveVisit) else None
        if state.year is not None and day is not None and day.year != state.year:
            raise CalendarError("outside_year", f"{day} is not in the calendar's year {state.year}")
        if isinstance(op, AddVisit):
            vid = op.visit.id
            if not vid.strip():
                raise CalendarError("no_id", "a meeting in the calendar needs an id")
            if vid in visits or vid in cancelled:
                raise CalendarError("duplicate_visit", f"meeting {vid} is already in the calendar")
            visits[vid] = op.visit
            first.setdefault(vid, op.visit.planned_on)
        elif isinstance(op, MoveVisit):
            current = visits.get(op.visit_id)
            if current is None:
                raise CalendarError("unknown_visit", f"no meeting {op.visit_id} in the calendar")
            place = op.place_unit_id if op.place_unit_id is not None else current.place_unit_id
            visits[op.visit_id] = replace(current, planned_on=op.planned_on, place_unit_id=place)
        elif isinstance(op, CancelVisit):
            current = visits.pop(op.visit_id, None)
            if current is None:
                raise CalendarError("unknown_visit", f"no meeting {op.visit_id} in the calendar")
            cancelled[op.visit_id] = current
        else:  # pragma: no cover - the Operation union is closed
            raise CalendarError("unknown_operation", f"unknown operation {op!r}")
    return replace(state, visits=MappingProxyType(visits), cancelled=MappingProxyType(cancelled),
                   first_planned=MappingProxyType(first), last_seq=change.seq)


def _version(state: CalendarState, change: CalendarChange, kind: Literal["approval", "adjustment"]) -> CalendarVersion:
    return CalendarVersion(
        number=len(state.versions) + 1, seq=change.seq, kind=kind, at=change.at, actor=change.actor,
        reason=change.reason, maslikhat_agreed_on=change.maslikhat_agreed_on, maslikhat_ref=change.maslikhat_ref,
        visits=state.planned(), operations=change.operations,
    )
