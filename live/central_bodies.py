"""Central executive bodies (2024 resolution): who must meet quarterly, and the reporting dates.

A ministry is an organiser like an akimat (see :class:`tyndau.domain.coverage.Organiser` with level
``central``): its first head meets the population at least once a quarter unless the body is one
of the exempt ones (data: ``config/central_bodies.toml``), and may hold out-of-schedule meetings
where social tension risks arise. Each body sends a generalised report on its meetings to the
authorised body for access to information by the 10th of the month after each quarter; the
authorised body submits the draft schedule by 15 December and 15 June and a results report by
15 June and 15 December.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Literal

from tyndau.domain.deadlines import Quarter, almaty_date, day_after_quarter, next_due_after_quarter
from tyndau.domain.meeting import CENTRAL_LEVEL
from tyndau.domain.periods import Period, period_of

GENERALISED_REPORT_DAY = 10
SCHEDULE_DATES: tuple[tuple[int, int], ...] = ((6, 15), (12, 15))  # the draft schedule, semi-annually
RESULTS_DATES: tuple[tuple[int, int], ...] = ((6, 15), (12, 15))  # the results report, semi-annually
OFF_SCHEDULE_REASONS = {CENTRAL_LEVEL: ("social_tension",)}  # akimats: population_demand or social_tension
AKIMAT_OFF_SCHEDULE = ("population_demand", "social_tension")


class CentralBodiesError(ValueError):
    """The exempt-bodies file is malformed; the message says where."""


@dataclass(frozen=True, slots=True)
class CentralBody:
    """A central executive body: a stable id and its official names."""

    id: str
    name_ru: str
    name_kk: str

    def name(self, lang: str) -> str:
        """The official name in a language."""
        return self.name_kk if lang == "kk" else self.name_ru


def load_exempt_bodies(path: str | Path | None = None) -> tuple[CentralBody, ...]:
    """Read the exempt bodies (default ``config/central_bodies.toml``); refuse duplicates and blanks."""
    try:
        if path is None:
            text = resources.files("tyndau.config").joinpath("central_bodies.toml").read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CentralBodiesError(f"cannot read the exempt bodies: {exc}") from None
    bodies: list[CentralBody] = []
    for i, entry in enumerate(data.get("exempt", ()), 1):
        if not isinstance(entry, dict):
            raise CentralBodiesError(f"exempt body {i}: expected a table with id, ru and kk")
        values = {k: entry.get(k) for k in ("id", "ru", "kk")}
        missing = [k for k, v in values.items() if not isinstance(v, str) or not v.strip()]
        if missing:
            raise CentralBodiesError(f"exempt body {i}: needs {', '.join(missing)}")
        if any(b.id == values["id"] for b in bodies):
            raise CentralBodiesError(f"exempt body {i}: id {values['id']!r} repeats")
        bodies.append(CentralBody(str(values["id"]).strip(), str(values["ru"]).strip(), str(values["kk"]).strip()))
    return tuple(bodies)


def must_meet_quarterly(body_id: str, exempt: tuple[CentralBody, ...]) -> bool:
    """Whether the body's first head is under the quarterly duty (every body not listed as exempt)."""
    return all(b.id != body_id for b in exempt)


def off_schedule_allowed(level: str, reason: str) -> bool:
    """Whether an out-of-schedule meeting with this reason is one the rules allow for the organiser."""
    return reason in OFF_SCHEDULE_REASONS.get(level, AKIMAT_OFF_SCHEDULE)


def generalised_report_deadline(year: int, quarter: int) -> date:
    """The 10th of the month after the quarter (Q4 → 10 January of the next year)."""
    return day_after_quarter(year, quarter, GENERALISED_REPORT_DAY)


def next_generalised_report(today: date | datetime) -> tuple[Quarter, date]:
    """The earliest generalised report still due on or after today, and its deadline."""
    return next_due_after_quarter(today, GENERALISED_REPORT_DAY)


@dataclass(frozen=True, slots=True)
class AuthorisedBodyDeadline:
    """A semi-annual duty of the authorised body for access to information."""

    kind: Literal["schedule", "results"]
    due: date
    covers: Period  # schedule: the half-year it plans; results: the half-year the date falls in


def authorised_body_deadlines(year: int) -> tuple[AuthorisedBodyDeadline, ...]:
    """The four dates of a year, in date order.

    The draft schedule of 15 June plans the second half-year, that of 15 December the first
    half-year of the next year. The resolution as quoted does not name the period of a results
    report; we label it with the half-year its date falls in.
    """
    out = []
    for month, day in SCHEDULE_DATES:
        due = date(year, month, day)
        covers = Period(year, "half", 2) if month == 6 else Period(year + 1, "half", 1)
        out.append(AuthorisedBodyDeadline("schedule", due, covers))
    for month, day in RESULTS_DATES:
        due = date(year, month, day)
        out.append(AuthorisedBodyDeadline("results", due, period_of(due, "half")))
    return tuple(sorted(out, key=lambda d: (d.due, d.kind)))


def next_authorised_body_deadlines(today: date | datetime) -> tuple[AuthorisedBodyDeadline, AuthorisedBodyDeadline]:
    """The next schedule and the next results deadline on or after today (16 December → next June)."""
    d = almaty_date(today)
    upcoming = [x for year in (d.year, d.year + 1) for x in authorised_body_deadlines(year) if x.due >= d]
    schedule = next(x for x in upcoming if x.kind == "schedule")
    results = next(x for x in upcoming if x.kind == "results")
    return schedule, results
