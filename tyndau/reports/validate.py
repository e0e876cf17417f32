"""What blocks a final export, and field errors for the action-plan fields a secretary edits.

A draft export always works (marked DRAFT); a final one holds the accepted problems only and
needs each of them to have a responsible executor and a deadline. Field checks return :class:`FieldError` values rather than
raising, so the review workspace can show them all at once; :class:`ReportInvalid` wraps them
for the HTTP layer's ``{"error": {"fields": {...}}}`` shape.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tyndau.reports.deadlines import almaty_date
from tyndau.reports.model import COMPETENCES, FUNDING_SOURCES, STATUSES, Problem, Round

MAX_FUNDING_TENGE = 10**15  # a quadrillion tenge: anything above is a typo


@dataclass(frozen=True, slots=True)
class FieldError:
    """One field's problem, with a message a secretary can act on."""

    field: str
    message: str


@dataclass(frozen=True, slots=True)
class Missing:
    """A problem that cannot go into a final export, and which fields it lacks."""

    number: int
    title: str
    fields: tuple[str, ...]
    problem_id: int | None = None


class ReportInvalid(ValueError):
    """Field errors gathered for one object; ``fields`` maps a field name to a message."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors = tuple(errors)
        self.fields = {e.field: e.message for e in self.errors}
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors))


class FinalExportBlocked(ValueError):
    """A final export was asked for while problems still lack an executor or a deadline."""

    def __init__(self, missing: Iterable[Missing]) -> None:
        self.missing = tuple(missing)
        super().__init__("final export blocked: " + "; ".join(f"№{m.number}: {', '.join(m.fields)}" for m in self.missing))


def ensure_exportable(round_: Round) -> None:
    """Raise :class:`FinalExportBlocked` for a final round with incomplete problems; drafts always pass."""
    if round_.final:
        missing = final_export_problems(round_)
        if missing:
            raise FinalExportBlocked(missing)


def final_export_problems(round_: Round) -> list[Missing]:
    """Problems lacking an executor or a deadline, in number order; empty means a final export may go."""
    missing: list[Missing] = []
    for problem in sorted(round_.problems, key=lambda p: p.number):
        lacks = tuple(
            name for name, ok in (
                ("executor", bool((problem.executor or "").strip())),
                ("deadline", problem.deadline is not None),
            ) if not ok
        )
        if lacks:
            missing.append(Missing(problem.number, problem.title_ru or problem.title_kk, lacks, problem.problem_id))
    return missing


def check_deadline(value: date | datetime | str | None, meeting_date: date | datetime | None, *, field: str = "deadline") -> FieldError | None:
    """A deadline must be a date (ISO ``YYYY-MM-DD``) and not before the meeting."""
    if value is None or value == "":
        return None
    try:
        deadline = parse_date(value)
    except ValueError:
        return FieldError(field, "a date, YYYY-MM-DD")
    if meeting_date is not None:
        meeting_day = almaty_date(meeting_date)
        if deadline < meeting_day:
            return FieldError(field, f"cannot be before the meeting ({meeting_day:%d.%m.%Y})")
    return None


def check_funding(value: Any, *, field: str) -> FieldError | None:
    """A funding figure is a whole number of tenge, zero or more (None: not known yet)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return FieldError(field, "a whole number of tenge")
    if value < 0:
        return FieldError(field, "cannot be negative")
    if value > MAX_FUNDING_TENGE:
        return FieldError(field, "too large; give the amount in tenge")
    return None


def check_executor(value: str | None, departments: Collection[str] | None, *, field: str = "executor") -> FieldError | None:
    """The executor must be one of the akimat's departments (compared ignoring case and spacing)."""
    if value is None or not value.strip() or departments is None:
        return None
    known = {_norm(d) for d in departments}
    if _norm(value) not in known:
        return FieldError(field, "unknown executor; choose one of the akimat's departments")
    return None


def check_choice(value: str | None, choices: Collection[str], *, field: str, required: bool = False) -> FieldError | None:
    """A value from a fixed list (status, competence, funding source)."""
    if value is None or value == "":
        return FieldError(field, "required") if required else None
    if value not in choices:
        return FieldError(field, "one of " + ", ".join(choices))
    return None


def validate_problem(problem: Problem, *, meeting_date: date | datetime | None = None, departments: Collection[str] | None = None) -> list[FieldError]:
    """Every field error of one problem (an empty list when it is sound)."""
    checks = (
        check_deadline(problem.deadline, meeting_date),
        check_funding(problem.funding_need_tenge, field="funding_need_tenge"),
        check_funding(problem.funding_allocated_tenge, field="funding_allocated_tenge"),
        check_executor(problem.executor, departments),
        check_choice(problem.status, STATUSES, field="status", required=True),
        check_choice(problem.competence, COMPETENCES, field="competence", required=True),
        check_choice(problem.funding_source, FUNDING_SOURCES, field="funding_source"),
        None if problem.mentions >= 0 else FieldError("mentions", "cannot be negative"),
    )
    return [error for error in checks if error is not None]


def validate_round(round_: Round, *, departments: Collection[str] | None = None) -> dict[int, list[FieldError]]:
    """Field errors per problem number; a deadline is checked against its own meeting, else the round's first."""
    starts: Mapping[int | None, datetime] = {m.id: m.starts_at for m in round_.meetings}
    first = min(starts.values(), default=None)
    result: dict[int, list[FieldError]] = {}
    for problem in round_.problems:
        meeting = starts.get(problem.meeting_id, first)
        errors = validate_problem(problem, meeting_date=meeting, departments=departments)
        if errors:
            result[problem.number] = errors
    return result


def parse_date(value: date | datetime | str) -> date:
    """A calendar date from a date, an instant (its Almaty date) or an ISO ``YYYY-MM-DD`` string."""
    if isinstance(value, (date, datetime)):
        return almaty_date(value)
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:
            return date.fromisoformat(text)
    raise ValueError(f"not a date: {value!r}")


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()
