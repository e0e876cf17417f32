"""Decree deadlines: announcement, 10-day publication, quarterly reports, government lists, overdue lists."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from tyndau.domain.deadlines import (
    Quarter,
    almaty_date,
    announcement_deadline,
    central_list_deadline,
    end_of_day,
    last_event_end,
    next_quarterly_report,
    previous_quarter,
    publication_deadline,
    publication_status,
    quarter_bounds,
    quarter_of,
    quarterly_report_deadline,
)
from tyndau.domain.meeting import NOTICE_DAYS
from tyndau.reports.model import Problem
from tyndau.reports.overdue import UNASSIGNED, due_soon, overdue
from tyndau.timeutil import ALMATY

from .sample import MEETING, PROBLEMS, RECEPTION


@pytest.mark.parametrize(("level", "days"), [
    ("region", 14), ("republican_city", 14), ("district", 14), ("regional_city", 14), ("district_city", 14),
    ("rural_district", 7), ("village", 7), ("city_district", 7),
])
def test_announcement_notice_by_level(level: str, days: int) -> None:
    assert NOTICE_DAYS[level] == days
    assert announcement_deadline(date(2026, 12, 20), level) == date(2026, 12, 20 - days)


@pytest.mark.parametrize(("meeting", "level", "deadline"), [
    (date(2027, 1, 5), "district", date(2026, 12, 22)),       # across the new year
    (date(2027, 1, 3), "village", date(2026, 12, 27)),
    (date(2028, 3, 7), "village", date(2028, 2, 29)),         # leap day
    (date(2028, 3, 14), "region", date(2028, 2, 29)),
    (date(2027, 3, 7), "village", date(2027, 2, 28)),         # no leap day
    (date(2028, 3, 1), "city_district", date(2028, 2, 23)),
])
def test_announcement_deadline_across_boundaries(meeting: date, level: str, deadline: date) -> None:
    assert announcement_deadline(meeting, level) == deadline


def test_announcement_deadline_takes_the_almaty_date_of_an_instant() -> None:
    # 20:00 UTC on 1 December is already 2 December in Almaty.
    assert announcement_deadline(datetime(2026, 12, 1, 20, 0, tzinfo=UTC), "district") == date(2026, 11, 18)
    assert announcement_deadline(datetime(2026, 12, 2, 9, 0, tzinfo=ALMATY), "village") == date(2026, 11, 25)


def test_announcement_deadline_refuses_an_unknown_level() -> None:
    with pytest.raises(ValueError, match="unknown akim level"):
        announcement_deadline(date(2026, 12, 1), "mayor")


@pytest.mark.parametrize(("ended", "deadline"), [
    (datetime(2026, 11, 21, 7, 10, tzinfo=UTC), date(2026, 12, 1)),      # day 0 = 21.11, day 10 = 01.12
    (datetime(2026, 11, 21, 17, 30, tzinfo=UTC), date(2026, 12, 1)),     # 22:30 Almaty, same day
    (datetime(2026, 11, 21, 19, 30, tzinfo=UTC), date(2026, 12, 2)),     # 00:30 Almaty on the 22nd
    (datetime(2026, 12, 25, 6, 0, tzinfo=UTC), date(2027, 1, 4)),        # year boundary
    (datetime(2026, 12, 31, 20, 0, tzinfo=UTC), date(2027, 1, 11)),      # already 1 January in Almaty
    (datetime(2028, 2, 20, 6, 0, tzinfo=UTC), date(2028, 3, 1)),         # through 29 February
    (datetime(2028, 2, 25, 6, 0, tzinfo=UTC), date(2028, 3, 6)),
    (datetime(2027, 2, 25, 6, 0, tzinfo=UTC), date(2027, 3, 7)),         # no leap day
    (datetime(2026, 11, 21, 12, 0), date(2026, 12, 1)),                  # naive = UTC, as the store keeps it
])
def test_publication_deadline_is_ten_calendar_days_after_the_round_ends(ended: datetime, deadline: date) -> None:
    assert publication_deadline(ended) == deadline


def test_publication_status_counts_down_and_flags_overdue() -> None:
    deadline = date(2026, 12, 1)
    assert publication_status(deadline, date(2026, 11, 21)) == {"days_left": 10, "overdue": False}
    assert publication_status(deadline, date(2026, 12, 1)) == {"days_left": 0, "overdue": False}
    assert publication_status(deadline, date(2026, 12, 2)) == {"days_left": -1, "overdue": True}
    # the deadline runs until the end of the day in Almaty
    assert publication_status(deadline, datetime(2026, 12, 1, 23, 59, tzinfo=ALMATY))["overdue"] is False
    assert publication_status(deadline, datetime(2026, 12, 2, 0, 1, tzinfo=ALMATY))["overdue"] is True
    assert publication_status(deadline, datetime(2026, 12, 1, 19, 30, tzinfo=UTC)) == {"days_left": -1, "overdue": True}


def test_end_of_day_is_the_last_instant_in_almaty() -> None:
    end = end_of_day(date(2026, 12, 1))
    assert end.tzinfo is ALMATY and end.time() == time.max and end.date() == date(2026, 12, 1)


def test_last_event_end_is_the_latest_end_and_none_while_a_meeting_is_open() -> None:
    assert last_event_end([MEETING, RECEPTION]) == RECEPTION.ended_at
    assert last_event_end([RECEPTION, MEETING]) == RECEPTION.ended_at
    assert last_event_end([MEETING, replace(RECEPTION, ended_at=None)]) is None
    assert last_event_end([]) is None


@pytest.mark.parametrize(("day", "quarter"), [
    (date(2027, 1, 1), Quarter(2027, 1)), (date(2027, 3, 31), Quarter(2027, 1)), (date(2027, 4, 1), Quarter(2027, 2)),
    (date(2027, 6, 30), Quarter(2027, 2)), (date(2027, 7, 1), Quarter(2027, 3)), (date(2027, 9, 30), Quarter(2027, 3)),
    (date(2027, 10, 1), Quarter(2027, 4)), (date(2027, 12, 31), Quarter(2027, 4)), (date(2028, 2, 29), Quarter(2028, 1)),
    (datetime(2026, 12, 31, 20, 0, tzinfo=UTC), Quarter(2027, 1)),  # New Year has come in Almaty
])
def test_quarter_of(day: date, quarter: Quarter) -> None:
    assert quarter_of(day) == quarter
    year, q = quarter_of(day)
    assert (year, q) == tuple(quarter)


@pytest.mark.parametrize(("year", "quarter", "deadline"), [
    (2026, 1, date(2026, 4, 25)), (2026, 2, date(2026, 7, 25)), (2026, 3, date(2026, 10, 25)), (2026, 4, date(2027, 1, 25)),
    (2027, 4, date(2028, 1, 25)),
])
def test_quarterly_report_deadline_is_the_25th_of_the_next_month(year: int, quarter: int, deadline: date) -> None:
    assert quarterly_report_deadline(year, quarter) == deadline


@pytest.mark.parametrize("bad", [0, 5, -1])
def test_quarter_functions_refuse_bad_quarters(bad: int) -> None:
    for fn in (quarterly_report_deadline, quarter_bounds, previous_quarter):
        with pytest.raises(ValueError):
            fn(2026, bad)


def test_quarter_bounds_and_previous_quarter() -> None:
    assert quarter_bounds(2028, 1) == (date(2028, 1, 1), date(2028, 3, 31))
    assert quarter_bounds(2027, 4) == (date(2027, 10, 1), date(2027, 12, 31))
    assert quarter_bounds(2027, 2) == (date(2027, 4, 1), date(2027, 6, 30))
    assert previous_quarter(2027, 1) == Quarter(2026, 4)
    assert previous_quarter(2027, 3) == Quarter(2027, 2)


@pytest.mark.parametrize(("today", "quarter", "deadline"), [
    (date(2027, 4, 10), Quarter(2027, 1), date(2027, 4, 25)),
    (date(2027, 4, 25), Quarter(2027, 1), date(2027, 4, 25)),
    (date(2027, 4, 26), Quarter(2027, 2), date(2027, 7, 25)),
    (date(2027, 1, 20), Quarter(2026, 4), date(2027, 1, 25)),
    (date(2027, 1, 26), Quarter(2027, 1), date(2027, 4, 25)),
    (date(2027, 12, 31), Quarter(2027, 4), date(2028, 1, 25)),
])
def test_next_quarterly_report(today: date, quarter: Quarter, deadline: date) -> None:
    assert next_quarterly_report(today) == (quarter, deadline)


@pytest.mark.parametrize(("day", "deadline"), [
    (date(2027, 1, 10), date(2027, 2, 15)), (date(2027, 2, 15), date(2027, 2, 15)), (date(2027, 2, 16), date(2027, 8, 15)),
    (date(2027, 8, 15), date(2027, 8, 15)), (date(2027, 8, 16), date(2028, 2, 15)), (date(2027, 12, 31), date(2028, 2, 15)),
    (date(2028, 2, 29), date(2028, 8, 15)), (datetime(2027, 2, 15, 19, 30, tzinfo=UTC), date(2027, 8, 15)),
])
def test_central_list_deadline_is_the_next_15_february_or_15_august(day: date, deadline: date) -> None:
    assert central_list_deadline(day) == deadline


def test_almaty_date_of_naive_and_aware_instants() -> None:
    assert almaty_date(datetime(2026, 11, 21, 19, 30)) == date(2026, 11, 22)
    assert almaty_date(date(2026, 11, 21)) == date(2026, 11, 21)


def _with(index: int, /, **changes: object) -> Problem:
    return replace(PROBLEMS[index - 1], **changes)  # type: ignore[arg-type]


def test_overdue_groups_open_problems_past_their_deadline_per_executor() -> None:
    today = date(2027, 1, 10)
    problems = [
        _with(1, deadline=date(2027, 1, 9)),                                   # a day late
        _with(2, deadline=date(2026, 12, 31)),                                 # same executor, earlier deadline: listed first
        _with(3, deadline=date(2027, 1, 10)),                                  # due today: not overdue
        _with(4, deadline=date(2026, 12, 15), status="resolved"),             # resolved: never overdue
        _with(5, deadline=date(2026, 12, 1), status="not_supported"),         # turned down: never overdue
        _with(6, deadline=date(2026, 11, 30), executor=None, executor_kk=None),  # nobody assigned
        _with(1, number=7, deadline=None),                                     # no deadline
        _with(5, number=8, deadline=date(2027, 1, 1), status="next_year_budget"),
    ]
    groups = overdue(problems, today)
    housing = PROBLEMS[0].executor or ""
    building = PROBLEMS[4].executor or ""
    assert list(groups) == [*sorted([housing, building], key=str.casefold), UNASSIGNED]
    assert [p.number for p in groups[housing]] == [2, 1]
    assert [p.number for p in groups[building]] == [8]
    assert [p.number for p in groups[UNASSIGNED]] == [6]


def test_due_soon_includes_today_and_the_window_across_the_year_boundary() -> None:
    today = date(2026, 12, 28)
    problems = [
        _with(1, deadline=date(2026, 12, 28)),   # today
        _with(2, deadline=date(2027, 1, 4)),     # +7, next year
        _with(3, deadline=date(2027, 1, 5)),     # +8: outside
        _with(4, deadline=date(2026, 12, 30), status="resolved"),
        _with(6, deadline=date(2026, 12, 27), executor=None),  # yesterday: overdue, not due soon
    ]
    groups = due_soon(problems, today)
    assert [p.number for items in groups.values() for p in items] == [1, 2]
    assert [p.number for items in due_soon(problems, today, days=8).values() for p in items] == [1, 2, 3]
    assert due_soon(problems, today, days=0) == {PROBLEMS[0].executor: [problems[0]]}
    with pytest.raises(ValueError):
        due_soon(problems, today, days=-1)


def test_due_soon_over_a_leap_day() -> None:
    leap = [_with(1, deadline=date(2028, 3, 6)), _with(2, deadline=date(2028, 3, 7))]
    common = [_with(1, deadline=date(2027, 3, 6)), _with(2, deadline=date(2027, 3, 7))]
    assert [p.number for items in due_soon(leap, date(2028, 2, 28)).values() for p in items] == [1]
    assert [p.number for items in due_soon(common, date(2027, 2, 28)).values() for p in items] == [1, 2]
