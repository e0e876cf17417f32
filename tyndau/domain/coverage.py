"""The coverage matrix: for each unit an organiser must visit and each period, was it covered?

A cell is ``held`` when a meeting of the organiser that has ended took place in the unit (or in a
unit below it: a meeting in a village covers its rural district too) on an Almaty date inside the
period; ``planned`` when nothing is held yet but the calendar (or a scheduled meeting outside it)
has one still ahead; ``missing`` when neither; ``not_required`` when the unit did not exist for
enough of the period (added or abolished part-way; see ``required_share``). A meeting is counted
in exactly one period: the one its start falls in. Meetings outside the calendar — on the
population's demand, or where social tension is a risk — count like any other and are marked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from typing import Literal

from tyndau.domain.calendar_rules import VisitRule, visit_rule
from tyndau.domain.calendar_versions import CalendarState, PlannedVisit
from tyndau.domain.deadlines import almaty_date
from tyndau.domain.meeting import CENTRAL_LEVEL
from tyndau.domain.periods import Period, days_left, overlap_days, period_of, periods_of_year
from tyndau.domain.units import AdminUnit, UnitTree

CellStatus = Literal["held", "planned", "missing", "not_required"]
CELL_STATUSES: tuple[CellStatus, ...] = ("held", "planned", "missing", "not_required")
OFF_CALENDAR_REASONS = ("population_demand", "social_tension")
DEFAULT_SHARE = Fraction(1, 2)


@dataclass(frozen=True, slots=True)
class Organiser:
    """Who holds the meetings: an akimat (of a unit) or a central executive body (no unit)."""

    id: str
    level: str  # an akim level, or calendar_rules.CENTRAL_LEVEL
    unit_id: str | None = None

    @classmethod
    def akimat(cls, unit: AdminUnit) -> Organiser:
        """The akimat of a unit; its id is the unit's id."""
        if unit.akim_level is None:
            raise ValueError(f"{unit.id}: a {unit.kind} has no akim of its own")
        return cls(unit.id, unit.akim_level, unit.id)


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    """A meeting as the coverage needs it; ``ended_at`` set means it was held."""

    id: str
    organiser_id: str
    starts_at: datetime
    place_unit_id: str | None = None
    ended_at: datetime | None = None
    cancelled: bool = False
    visit_id: str | None = None  # the calendar meeting it realises; None: outside the calendar
    off_calendar_reason: str = ""  # one of OFF_CALENDAR_REASONS when visit_id is None

    @property
    def held(self) -> bool:
        """Whether the meeting took place (it ended and was not cancelled)."""
        return self.ended_at is not None and not self.cancelled

    @property
    def on_demand(self) -> bool:
        """Whether it was held outside the calendar."""
        return self.visit_id is None


@dataclass(frozen=True, slots=True)
class CoverageCell:
    """One unit in one period."""

    target_id: str
    period: Period
    status: CellStatus
    required: bool
    existing_days: int
    period_open: bool
    held: tuple[str, ...] = ()  # meeting ids
    on_demand: tuple[str, ...] = ()  # the held ones that were outside the calendar
    planned: tuple[str, ...] = ()  # calendar visit ids (or scheduled meeting ids) still ahead
    overdue: tuple[str, ...] = ()  # planned days already passed without a held meeting
    moved_out: tuple[str, ...] = ()  # visits approved for this period that moved to another


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """A target (a unit, or the organiser itself for a central body) across the periods."""

    target_id: str
    unit: AdminUnit | None
    cells: tuple[CoverageCell, ...]


@dataclass(frozen=True, slots=True)
class CoverageMatrix:
    """The matrix of one organiser for one year, with the meetings it could not place."""

    organiser: Organiser
    year: int
    rule: VisitRule
    periods: tuple[Period, ...]
    rows: tuple[CoverageRow, ...]
    on_demand: tuple[str, ...]  # held meetings of the year outside the calendar
    outside_targets: tuple[str, ...]  # held meetings of the year in no target unit (e.g. at the akimat itself)

    def cell(self, target_id: str, period: Period) -> CoverageCell:
        """One cell; KeyError when the unit or period is not in the matrix."""
        for row in self.rows:
            if row.target_id == target_id:
                for c in row.cells:
                    if c.period == period:
                        return c
        raise KeyError(f"no cell for {target_id} in {period.key}")

    def counts(self) -> Mapping[CellStatus, int]:
        """How many cells have each status."""
        out = {s: 0 for s in CELL_STATUSES}
        for row in self.rows:
            for c in row.cells:
                out[c.status] += 1
        return out


@dataclass(frozen=True, slots=True)
class _Plan:
    id: str
    day: date
    place: str | None


def coverage_matrix(
    tree: UnitTree, organiser: Organiser, year: int, meetings: Iterable[MeetingRecord], today: date | datetime,
    *, calendar: CalendarState | None = None, required_share: Fraction = DEFAULT_SHARE,
) -> CoverageMatrix:
    """Build the matrix from the units, the organiser's calendar and its meetings, as of ``today``."""
    if not 0 < required_share <= 1:
        raise ValueError("required_share must be in (0, 1]")
    rule = visit_rule(organiser.level)
    periods = periods_of_year(year, rule.period)
    today_d = almaty_date(today)
    mine = [m for m in meetings if m.organiser_id == organiser.id and not m.cancelled
            and period_of(m.starts_at, rule.period).year == year]
    held = [m for m in mine if m.held]
    realised = {m.visit_id: m for m in held if m.visit_id is not None}
    plans = _plans(calendar, realised, mine, rule, year)
    moved = _moved(calendar, realised, rule)

    targets: list[tuple[str, AdminUnit | None, frozenset[str] | None]] = []
    if organiser.unit_id is None:
        if organiser.level != CENTRAL_LEVEL:
            raise ValueError(f"organiser {organiser.id}: an akimat needs its unit")
        targets.append((organiser.id, None, None))
    else:
        first, last = periods[0].first_day, periods[-1].last_day
        for target in rule.target_units(tree, organiser.unit_id):
            if target.exists_during(first, last):
                scope = None if rule.targets is None else tree.subtree_ids(target.id)
                targets.append((target.id, target, scope))

    rows: list[CoverageRow] = []
    placed: set[str] = set()
    for target_id, unit, scope in targets:
        cells = []
        for period in periods:
            here = tuple(m for m in held if _inside(scope, period, m.place_unit_id, m.starts_at))
            placed.update(m.id for m in here)
            mine_here = [p for p in plans if _inside(scope, period, p.place, p.day)]
            ahead = tuple(p.id for p in mine_here if p.day >= today_d)
            late = tuple(p.id for p in mine_here if p.day < today_d)
            out = tuple(vid for vid, (was, place) in moved.items() if was == period and (scope is None or place in scope))
            exist = period.days if unit is None else overlap_days(unit.valid_from, unit.valid_to, period)
            required = exist > 0 and Fraction(exist, period.days) >= required_share
            status: CellStatus = ("held" if here else "planned" if required and ahead
                                  else "missing" if required else "not_required")
            cells.append(CoverageCell(
                target_id, period, status, required, exist, today_d <= period.last_day,
                held=tuple(m.id for m in here), on_demand=tuple(m.id for m in here if m.on_demand),
                planned=ahead, overdue=late, moved_out=out,
            ))
        rows.append(CoverageRow(target_id, unit, tuple(cells)))
    return CoverageMatrix(
        organiser, year, rule, periods, tuple(rows),
        on_demand=tuple(m.id for m in held if m.on_demand),
        outside_targets=tuple(m.id for m in held if m.id not in placed),
    )


def _inside(scope: frozenset[str] | None, period: Period, place: str | None, day: date | datetime) -> bool:
    """Whether something at ``place`` on ``day`` falls in this target (None: anywhere) and period."""
    return (scope is None or place in scope) and period.contains(day)


def _plans(calendar: CalendarState | None, realised: Mapping[str, MeetingRecord], mine: Iterable[MeetingRecord],
           rule: VisitRule, year: int) -> tuple[_Plan, ...]:
    """What is still planned: calendar visits not yet held, and scheduled meetings outside the calendar."""
    out: list[_Plan] = []
    visits: tuple[PlannedVisit, ...] = calendar.planned() if calendar else ()
    for visit in visits:
        if visit.id not in realised and period_of(visit.planned_on, rule.period).year == year:
            out.append(_Plan(visit.id, visit.planned_on, visit.place_unit_id))
    for m in mine:
        if not m.held and m.visit_id is None:
            out.append(_Plan(m.id, almaty_date(m.starts_at), m.place_unit_id))
    return tuple(out)


def _moved(calendar: CalendarState | None, realised: Mapping[str, MeetingRecord],
           rule: VisitRule) -> dict[str, tuple[Period, str | None]]:
    """Visits whose approved period differs from where they now fall: id → (approved period, place)."""
    if calendar is None:
        return {}
    baseline = calendar.approved_plan()
    out: dict[str, tuple[Period, str | None]] = {}
    for vid, visit in calendar.visits.items():
        base = baseline.get(vid)
        base_day = base.planned_on if base else calendar.first_planned.get(vid, visit.planned_on)
        meeting = realised.get(vid)
        now_day = almaty_date(meeting.starts_at) if meeting else visit.planned_on
        was = period_of(base_day, rule.period)
        if was != period_of(now_day, rule.period):
            out[vid] = (was, base.place_unit_id if base else visit.place_unit_id)
    return out


def plan_problems(calendar: CalendarState, tree: UnitTree, organiser: Organiser) -> tuple[str, ...]:
    """Planned visits whose place is unknown, outside the organiser's unit, or not existing on the day."""
    out: list[str] = []
    for visit in calendar.planned():
        if visit.place_unit_id is None:
            if organiser.unit_id is not None:
                out.append(f"{visit.id}: no place")
            continue
        if visit.place_unit_id not in tree:
            out.append(f"{visit.id}: unknown unit {visit.place_unit_id}")
        elif organiser.unit_id is not None and not tree.is_within(visit.place_unit_id, organiser.unit_id):
            out.append(f"{visit.id}: {visit.place_unit_id} is not within {organiser.unit_id}")
        elif not tree.get(visit.place_unit_id).exists_on(visit.planned_on):
            out.append(f"{visit.id}: {visit.place_unit_id} does not exist on {visit.planned_on}")
    return tuple(out)


@dataclass(frozen=True, slots=True)
class CoverageWarning:
    """A period that ends soon with required units not yet covered."""

    period: Period
    ends_on: date
    days_left: int
    uncovered: tuple[str, ...]  # required targets with no held meeting
    unplanned: tuple[str, ...]  # those of them with nothing planned before the end either


def uncovered_soon(matrix: CoverageMatrix, today: date | datetime, within_days: int = 14) -> tuple[CoverageWarning, ...]:
    """Periods ending within ``within_days`` (0: today) that still have required units uncovered."""
    if within_days < 0:
        raise ValueError("within_days must be zero or more")
    out: list[CoverageWarning] = []
    for period in matrix.periods:
        left = days_left(period, today)
        if not 0 <= left <= within_days:
            continue
        cells = [row.cells[matrix.periods.index(period)] for row in matrix.rows]
        uncovered = tuple(c.target_id for c in cells if c.required and not c.held)
        if uncovered:
            unplanned = tuple(c.target_id for c in cells if c.required and not c.held and not c.planned)
            out.append(CoverageWarning(period, period.last_day, left, uncovered, unplanned))
    return tuple(out)
