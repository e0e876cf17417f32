"""Proposals that fill a calendar's gaps: a visit for every required unit and period still open.

The secretary of a district plans some eighty visits a year (a visit per quarter in each village,
rural district and city of district significance); :func:`propose_visits` drafts them from the
coverage matrix so the person only adjusts days. A meeting in a village covers its rural district,
so the villages are proposed first and a rural district gets a visit of its own only when none of
its villages has one. Days are working days spread over what is left of the period. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tyndau.domain.calendar_versions import CalendarState
from tyndau.domain.coverage import CoverageMatrix, MeetingRecord, Organiser, coverage_matrix
from tyndau.domain.deadlines import almaty_date
from tyndau.domain.units import UnitTree


@dataclass(frozen=True, slots=True)
class Proposal:
    """A visit to add: where (None: a central body's own meeting) and when, and the gap it closes."""

    place_unit_id: str | None
    planned_on: date
    period_key: str


# Public holidays on fixed dates (Labour Code of Kazakhstan): New Year, Orthodox Christmas, 8 March,
# Nauryz, Unity Day, Defender's Day, Victory Day, Capital Day, Constitution Day, Republic Day,
# Independence Day. Kurban ait moves with the lunar calendar and is not listed.
HOLIDAYS: frozenset[tuple[int, int]] = frozenset({
    (1, 1), (1, 2), (1, 7), (3, 8), (3, 21), (3, 22), (3, 23), (5, 1), (5, 7), (5, 9), (7, 6), (8, 30), (10, 25), (12, 16),
})


def working_days(first: date, last: date) -> list[date]:
    """Monday to Friday between two days (inclusive), public holidays on fixed dates left out."""
    out, day = [], first
    while day <= last:
        if day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS:
            out.append(day)
        day += timedelta(days=1)
    return out


def spread(days: list[date], n: int) -> list[date]:
    """``n`` days picked evenly from ``days`` (repeating when there are fewer days than visits)."""
    if not days or n <= 0:
        return []
    return [days[min(len(days) - 1, (i * len(days)) // n)] for i in range(n)]


def gaps(matrix: CoverageMatrix, today: date | datetime) -> list[tuple[str, int]]:
    """(target id, period index) of the required cells with nothing held or planned, in periods not over."""
    today_d = almaty_date(today)
    out = []
    for row in matrix.rows:
        for i, cell in enumerate(row.cells):
            if cell.required and not cell.held and not cell.planned and cell.period.last_day >= today_d:
                out.append((row.target_id, i))
    return out


def propose_visits(tree: UnitTree, organiser: Organiser, year: int, meetings: Iterable[MeetingRecord],
                   today: date | datetime, *, calendar: CalendarState | None = None) -> tuple[Proposal, ...]:
    """Visits that would close every gap still closable this year, leaves of the tree first."""
    matrix = coverage_matrix(tree, organiser, year, meetings, today, calendar=calendar)
    today_d = almaty_date(today)
    open_gaps = gaps(matrix, today_d)
    chosen: dict[int, list[str | None]] = {}
    if organiser.unit_id is None:
        for _, index in open_gaps:
            chosen.setdefault(index, []).append(None)
    else:
        for index in sorted({i for _, i in open_gaps}):
            wanted = [t for t, i in open_gaps if i == index]
            # deepest first: a village's visit covers the rural district above it
            wanted.sort(key=lambda t: (-len(tree.ancestors(t)), tree.get(t).kato or t))
            placed: list[str | None] = []
            for target in wanted:
                below = tree.subtree_ids(target)
                if any(p in below for p in placed if p is not None):
                    continue
                placed.append(target)
            chosen[index] = sorted(placed, key=lambda t: (tree.get(t).kato or t) if t else "")
    out: list[Proposal] = []
    for index, places in sorted(chosen.items()):
        period = matrix.periods[index]
        first = max(period.first_day, today_d + timedelta(days=1))
        workdays = working_days(first, period.last_day)
        for place, day in zip(places, spread(workdays, len(places))):
            if place is not None and not tree.get(place).exists_on(day):
                day = next((d for d in workdays if tree.get(place).exists_on(d)), None)  # type: ignore[assignment]
            if day is not None:
                out.append(Proposal(place, day, period.key))
    return tuple(out)
