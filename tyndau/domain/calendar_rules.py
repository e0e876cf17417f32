"""The decree's annual calendar rules: approval deadlines and the minimum visiting frequency.

Every rule is data or a pure function of dates, so the coverage matrix, the warnings and the
compliance monitor of issue 15 all read the same table. Sources are cited per rule in
docs/dev/calendar-rules.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import Literal

from tyndau.domain.deadlines import almaty_date
from tyndau.domain.meeting import CENTRAL_LEVEL  # the organiser level of a central executive body (2024 resolution)
from tyndau.domain.periods import PeriodKind
from tyndau.domain.units import AdminUnit, UnitTree

# The calendar for year Y: approved with the maslikhat by 15 January Y, sent to the Government by
# 20 January Y; the Government passes the regions' calendars on by 1 February Y.
MASLIKHAT_APPROVAL = (1, 15)
GOVERNMENT_SUBMISSION = (1, 20)
GOVERNMENT_PASS_ON = (2, 1)
# Organisers whose calendars go to the Government (regions, the capital, cities of republican significance).
SUBMITTING_LEVELS = frozenset({"region", "republican_city"})


@dataclass(frozen=True, slots=True)
class VisitRule:
    """How often an organiser must meet, and where: ``targets`` None means "the organiser itself"."""

    level: str
    period: PeriodKind
    targets: frozenset[str] | None
    source: str

    def target_units(self, tree: UnitTree, organiser_unit_id: str) -> tuple[AdminUnit, ...]:
        """The units the rule asks the organiser to visit (all that ever existed; lifetimes decide later)."""
        if self.targets is None:
            return (tree.get(organiser_unit_id),)
        return tree.of_kinds(organiser_unit_id, self.targets)


def _rule(level: str, period: PeriodKind, targets: tuple[str, ...] | None, source: str) -> VisitRule:
    return VisitRule(level, period, None if targets is None else frozenset(targets), source)


_SETTLEMENTS = ("village", "settlement")
VISIT_RULES: Mapping[str, VisitRule] = MappingProxyType({r.level: r for r in (
    _rule("region", "half", ("district", "regional_city"),
          "region akim: at least one visiting meeting per half-year in each district and city of regional significance"),
    _rule("republican_city", "quarter", ("city_district",),
          "akim of a city of republican significance or the capital: at least one per quarter in each city district"),
    _rule("district", "quarter", ("village", "settlement", "rural_district", "district_city"),
          "district akim: at least one per quarter in each village, settlement, rural district and city of district significance"),
    _rule("regional_city", "quarter", ("city_district", "microdistrict") + _SETTLEMENTS,
          "akim of a city of regional significance: at least one per quarter in each district (microdistrict), village and settlement within it"),
    _rule("district_city", "quarter", ("city_district", "microdistrict") + _SETTLEMENTS,
          "akim of a city of district significance: at least one per quarter in each district (microdistrict), village and settlement within it"),
    _rule("rural_district", "quarter", ("city_district", "microdistrict") + _SETTLEMENTS,
          "akim of a rural district: at least one per quarter in each district (microdistrict), village and settlement within it"),
    _rule("village", "quarter", None, "akim of a village or settlement: at least one meeting per quarter"),
    _rule("city_district", "quarter", None, "akim of a city district: at least one meeting per quarter"),
    _rule(CENTRAL_LEVEL, "quarter", None,
          "first head of a central executive body: at least one meeting with the population per quarter (2024 resolution)"),
)})


def visit_rule(level: str) -> VisitRule:
    """The frequency rule for an organiser's level; ValueError names the levels that have one."""
    try:
        return VISIT_RULES[level]
    except KeyError:
        raise ValueError(f"no visiting rule for level {level!r}; one of {', '.join(VISIT_RULES)}") from None


@dataclass(frozen=True, slots=True)
class ApprovalDeadlines:
    """The dates by which a year's calendar must be approved, submitted and passed on."""

    year: int
    maslikhat: date
    government: date
    passed_on: date


def approval_deadlines(year: int) -> ApprovalDeadlines:
    """The calendar of ``year`` is due with the maslikhat on 15 January, the Government 20 January, passed on 1 February."""
    return ApprovalDeadlines(
        year, date(year, *MASLIKHAT_APPROVAL), date(year, *GOVERNMENT_SUBMISSION), date(year, *GOVERNMENT_PASS_ON)
    )


def calendar_year_due(today: date | datetime) -> int:
    """The calendar year whose approval is the next one to prepare: after 1 February, next year's."""
    d = almaty_date(today)
    return d.year if d <= date(d.year, *GOVERNMENT_PASS_ON) else d.year + 1


MilestoneState = Literal["done", "late", "pending", "overdue", "not_applicable"]


@dataclass(frozen=True, slots=True)
class Milestone:
    """One approval step: when it is due, when it happened, and how that compares."""

    name: Literal["maslikhat", "government", "passed_on"]
    due: date
    done_on: date | None
    state: MilestoneState
    days_left: int | None  # until due, while pending; None once done or not applicable


def milestone(name: Literal["maslikhat", "government", "passed_on"], due: date, done: date | datetime | None,
              today: date | datetime, *, applies: bool = True) -> Milestone:
    """Compare a step's date with its deadline, in Almaty calendar days (the due day itself is on time)."""
    if not applies:
        return Milestone(name, due, None, "not_applicable", None)
    if done is not None:
        day = almaty_date(done)
        return Milestone(name, due, day, "done" if day <= due else "late", None)
    left = (due - almaty_date(today)).days
    return Milestone(name, due, None, "pending" if left >= 0 else "overdue", left)


def approval_milestones(year: int, level: str, today: date | datetime, *, approved: date | datetime | None = None,
                        submitted: date | datetime | None = None, passed_on: date | datetime | None = None
                        ) -> tuple[Milestone, Milestone, Milestone]:
    """The three steps for an organiser's calendar; only regions and republican cities go to the Government."""
    due = approval_deadlines(year)
    top = level in SUBMITTING_LEVELS
    return (
        milestone("maslikhat", due.maslikhat, approved, today),
        milestone("government", due.government, submitted, today, applies=top),
        milestone("passed_on", due.passed_on, passed_on, today, applies=level == "region"),
    )
