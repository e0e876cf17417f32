"""Quarters and half-years as values, in Asia/Almaty calendar days.

The decree counts visiting meetings per quarter or per half-year; both are calendar periods of
the Almaty calendar. An instant is placed in a period by its Almaty date (see
:func:`tyndau.domain.deadlines.almaty_date`), so a meeting at 23:30 on 31 March in Almaty is in
the first quarter even though the store keeps it in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from tyndau.domain.deadlines import Quarter, almaty_date, quarter_bounds

PeriodKind = Literal["quarter", "half"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("quarter", "half")
_PER_YEAR = {"quarter": 4, "half": 2}
_ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A quarter (index 1..4) or a half-year (index 1..2) of a calendar year."""

    year: int
    kind: PeriodKind
    index: int

    def __post_init__(self) -> None:
        if self.kind not in _PER_YEAR:
            raise ValueError(f"period kind must be one of {', '.join(PERIOD_KINDS)}, not {self.kind!r}")
        if not 1 <= self.index <= _PER_YEAR[self.kind]:
            raise ValueError(f"a {self.kind} index must be 1..{_PER_YEAR[self.kind]}, not {self.index!r}")

    @property
    def first_day(self) -> date:
        """The period's first calendar day."""
        return period_bounds(self)[0]

    @property
    def last_day(self) -> date:
        """The period's last calendar day (inclusive)."""
        return period_bounds(self)[1]

    @property
    def days(self) -> int:
        """How many calendar days the period has (a leap February makes Q1 91 days, H1 182)."""
        first, last = period_bounds(self)
        return (last - first).days + 1

    @property
    def key(self) -> str:
        """A stable id for JSON and tables: ``2026-Q1``, ``2026-H2``."""
        return f"{self.year}-{'Q' if self.kind == 'quarter' else 'H'}{self.index}"

    def contains(self, day: date | datetime) -> bool:
        """Whether the Almaty date of ``day`` falls in the period."""
        first, last = period_bounds(self)
        return first <= almaty_date(day) <= last

    def label(self, lang: str) -> str:
        """A human label: ``I квартал 2026 года`` / ``2026 жылғы I тоқсан``."""
        roman = _ROMAN[self.index - 1]
        if self.kind == "quarter":
            return f"{self.year} жылғы {roman} тоқсан" if lang == "kk" else f"{roman} квартал {self.year} года"
        return f"{self.year} жылғы {roman} жартыжылдық" if lang == "kk" else f"{roman} полугодие {self.year} года"


def period_bounds(period: Period) -> tuple[date, date]:
    """The first and last day of a period (half-years are January–June and July–December)."""
    if period.kind == "quarter":
        return quarter_bounds(period.year, period.index)
    if period.index == 1:
        return date(period.year, 1, 1), date(period.year, 6, 30)
    return date(period.year, 7, 1), date(period.year, 12, 31)


def period_of(day: date | datetime, kind: PeriodKind) -> Period:
    """The period of a kind that the Almaty date of ``day`` falls in."""
    d = almaty_date(day)
    if kind == "quarter":
        return Period(d.year, "quarter", (d.month - 1) // 3 + 1)
    if kind == "half":
        return Period(d.year, "half", 1 if d.month <= 6 else 2)
    raise ValueError(f"period kind must be one of {', '.join(PERIOD_KINDS)}, not {kind!r}")


def periods_of_year(year: int, kind: PeriodKind) -> tuple[Period, ...]:
    """Every period of a kind in a year, in order; together they cover the year exactly once."""
    if kind not in _PER_YEAR:
        raise ValueError(f"period kind must be one of {', '.join(PERIOD_KINDS)}, not {kind!r}")
    return tuple(Period(year, kind, i) for i in range(1, _PER_YEAR[kind] + 1))


def as_quarter(period: Period) -> Quarter:
    """The reports' ``Quarter`` tuple for a quarter period (refuses half-years)."""
    if period.kind != "quarter":
        raise ValueError("only a quarter converts to a Quarter")
    return Quarter(period.year, period.index)


def next_period(period: Period) -> Period:
    """The period after, across the year boundary."""
    if period.index == _PER_YEAR[period.kind]:
        return Period(period.year + 1, period.kind, 1)
    return Period(period.year, period.kind, period.index + 1)


def days_left(period: Period, today: date | datetime) -> int:
    """Days from today to the period's last day (0 on the last day, negative once it is over)."""
    return (period.last_day - almaty_date(today)).days


def overlap_days(first: date | None, last: date | None, period: Period) -> int:
    """How many days of the period fall in ``[first, last]`` (None: open on that side)."""
    start, end = period_bounds(period)
    lo = max(start, first) if first is not None else start
    hi = min(end, last) if last is not None else end
    return max(0, (hi - lo).days + 1)
