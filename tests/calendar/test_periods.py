"""Quarters and half-years in Almaty calendar days: bounds, leap years, the UTC/Almaty boundary."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tyndau.domain.deadlines import Quarter
from tyndau.domain.periods import (
    Period,
    as_quarter,
    days_left,
    next_period,
    overlap_days,
    period_bounds,
    period_of,
    periods_of_year,
)

from .helpers import almaty


@pytest.mark.parametrize(("period", "first", "last", "days"), [
    (Period(2028, "quarter", 1), date(2028, 1, 1), date(2028, 3, 31), 91),   # leap February
    (Period(2027, "quarter", 1), date(2027, 1, 1), date(2027, 3, 31), 90),
    (Period(2026, "quarter", 4), date(2026, 10, 1), date(2026, 12, 31), 92),
    (Period(2028, "half", 1), date(2028, 1, 1), date(2028, 6, 30), 182),
    (Period(2027, "half", 1), date(2027, 1, 1), date(2027, 6, 30), 181),
    (Period(2026, "half", 2), date(2026, 7, 1), date(2026, 12, 31), 184),
])
def test_bounds_and_lengths(period: Period, first: date, last: date, days: int) -> None:
    assert period_bounds(period) == (first, last)
    assert (period.first_day, period.last_day, period.days) == (first, last, days)


def test_29_february_is_in_the_first_quarter_and_half() -> None:
    assert period_of(date(2028, 2, 29), "quarter") == Period(2028, "quarter", 1)
    assert period_of(date(2028, 2, 29), "half") == Period(2028, "half", 1)
    with pytest.raises(ValueError):
        date(2027, 2, 29)


@pytest.mark.parametrize(("instant", "quarter"), [
    (almaty(2026, 3, 31, 23, 30), 1),                       # 18:30 UTC, still 31 March everywhere
    (datetime(2026, 3, 31, 18, 30, tzinfo=UTC), 1),
    (almaty(2026, 4, 1, 0, 30), 2),                         # 19:30 UTC on 31 March: Almaty says April
    (datetime(2026, 3, 31, 19, 30, tzinfo=UTC), 2),
    (datetime(2026, 3, 31, 19, 30), 2),                      # naive = UTC, as the store keeps it
    (datetime(2023, 3, 31, 17, 30, tzinfo=UTC), 1),          # 23:30 at UTC+6, before the 2024 change
    (datetime(2023, 3, 31, 18, 30, tzinfo=UTC), 2),          # 00:30 on 1 April at UTC+6
    (datetime(2026, 12, 31, 19, 0, tzinfo=UTC), 1),          # already 1 January 2027 in Almaty
])
def test_an_instant_is_placed_by_its_almaty_date(instant: datetime, quarter: int) -> None:
    p = period_of(instant, "quarter")
    assert p.index == quarter
    assert p.contains(instant)


def test_year_boundary_and_days_left() -> None:
    q4 = Period(2026, "quarter", 4)
    assert next_period(q4) == Period(2027, "quarter", 1)
    assert next_period(Period(2026, "half", 2)) == Period(2027, "half", 1)
    assert next_period(Period(2026, "quarter", 2)) == Period(2026, "quarter", 3)
    assert days_left(q4, date(2026, 12, 31)) == 0
    assert days_left(q4, date(2026, 12, 21)) == 10
    assert days_left(q4, datetime(2026, 12, 31, 19, 0, tzinfo=UTC)) == -1   # 1 January in Almaty
    assert period_of(datetime(2026, 12, 31, 19, 0, tzinfo=UTC), "half") == Period(2027, "half", 1)


def test_keys_labels_and_conversion() -> None:
    assert Period(2026, "quarter", 3).key == "2026-Q3" and Period(2026, "half", 2).key == "2026-H2"
    assert Period(2026, "quarter", 4).label("ru") == "IV квартал 2026 года"
    assert Period(2026, "quarter", 4).label("kk") == "2026 жылғы IV тоқсан"
    assert Period(2026, "half", 1).label("kk") == "2026 жылғы I жартыжылдық"
    assert as_quarter(Period(2026, "quarter", 2)) == Quarter(2026, 2)
    with pytest.raises(ValueError):
        as_quarter(Period(2026, "half", 1))


@pytest.mark.parametrize(("args"), [(2026, "quarter", 5), (2026, "half", 3), (2026, "half", 0), (2026, "month", 1)])
def test_invalid_periods_are_refused(args: tuple[int, str, int]) -> None:
    with pytest.raises(ValueError):
        Period(*args)  # type: ignore[arg-type]


def test_overlap_days() -> None:
    h1 = Period(2026, "half", 1)
    assert overlap_days(None, None, h1) == 181
    assert overlap_days(date(2026, 4, 1), None, h1) == 91
    assert overlap_days(None, date(2026, 1, 31), h1) == 31
    assert overlap_days(date(2026, 7, 1), None, h1) == 0
    assert overlap_days(date(2025, 1, 1), date(2025, 12, 31), h1) == 0


@given(st.integers(min_value=1990, max_value=2100))
def test_the_periods_of_a_year_cover_it_exactly_once(year: int) -> None:
    for kind in ("quarter", "half"):
        periods = periods_of_year(year, kind)  # type: ignore[arg-type]
        assert periods[0].first_day == date(year, 1, 1) and periods[-1].last_day == date(year, 12, 31)
        for a, b in zip(periods, periods[1:]):
            assert b.first_day == a.last_day + timedelta(days=1)
        assert sum(p.days for p in periods) == (date(year + 1, 1, 1) - date(year, 1, 1)).days


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_is_in_exactly_one_quarter_and_one_half(day: date) -> None:
    for kind in ("quarter", "half"):
        containing = [p for p in periods_of_year(day.year, kind) if p.contains(day)]  # type: ignore[arg-type]
        assert containing == [period_of(day, kind)]  # type: ignore[arg-type]
