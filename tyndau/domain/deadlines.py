"""Decree deadlines as pure date arithmetic in Asia/Almaty (calendar days, no working-day rules).

Conventions used throughout:

- an instant (``datetime``) is turned into its Almaty calendar date; a naive ``datetime`` is taken
  to be UTC, as the store keeps it (see :func:`tyndau.timeutil.as_utc`);
- a deadline is a calendar ``date`` and is met if the act happens at any time on that date in
  Almaty, i.e. it runs until the end of the day (23:59:59.999999 Asia/Almaty);
- "N days after X" counts the day of X as day 0: an event ending on 1 December gives 11 December.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import NamedTuple, Protocol, TypedDict

from tyndau.domain.meeting import NOTICE_DAYS
from tyndau.timeutil import ALMATY, as_utc

PUBLICATION_DAYS = 10
QUARTERLY_REPORT_DAY = 25
# The government collects problems needing the central level into lists as of these (month, day).
CENTRAL_LIST_DATES: tuple[tuple[int, int], ...] = ((2, 15), (8, 15))


class Quarter(NamedTuple):
    """A calendar quarter; unpacks as ``year, quarter``."""

    year: int
    quarter: int


class PublicationStatus(TypedDict):
    """The countdown shown on the dashboard."""

    days_left: int
    overdue: bool


def almaty_date(value: date | datetime) -> date:
    """The Almaty calendar date of an instant; a plain date is returned as is."""
    if isinstance(value, datetime):
        return as_utc(value).astimezone(ALMATY).date()
    return value


def end_of_day(day: date) -> datetime:
    """The last instant of a calendar day in Almaty (aware), when a date deadline runs out."""
    return datetime.combine(day, time.max, tzinfo=ALMATY)


def announcement_deadline(meeting_date: date | datetime, akim_level: str) -> date:
    """The last day the meeting may be announced: 14 or 7 days before it, by akim level."""
    try:
        notice = NOTICE_DAYS[akim_level]
    except KeyError:
        raise ValueError(f"unknown akim level {akim_level!r}; one of {', '.join(NOTICE_DAYS)}") from None
    return almaty_date(meeting_date) - timedelta(days=notice)


class EndedEvent(Protocol):
    """A meeting or reception of a round: ``MeetingFacts``, ``live.receptions.RoundEvent`` and the like."""

    @property
    def ended_at(self) -> datetime | None: ...


def last_event_end(meetings: Iterable[EndedEvent]) -> datetime | None:
    """When the round's last meeting or reception ended (None while one is still open or none ended).

    An event with a true ``cancelled`` attribute does not belong to the round and is left out.
    """
    ends: list[datetime] = []
    for meeting in meetings:
        if getattr(meeting, "cancelled", False):
            continue
        if meeting.ended_at is None:
            return None
        ends.append(as_utc(meeting.ended_at))
    return max(ends) if ends else None


def publication_deadline(last_event_end: datetime) -> date:
    """The day by which results must be published: the round's end date in Almaty (day 0) + 10 days."""
    return almaty_date(last_event_end) + timedelta(days=PUBLICATION_DAYS)


def publication_status(deadline: date, now: date | datetime) -> PublicationStatus:
    """Days left until a date deadline (0 on the day itself) and whether it has passed."""
    days_left = (deadline - almaty_date(now)).days
    return {"days_left": days_left, "overdue": days_left < 0}


def quarter_of(day: date | datetime) -> Quarter:
    """The calendar quarter an Almaty date falls in."""
    d = almaty_date(day)
    return Quarter(d.year, (d.month - 1) // 3 + 1)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """The first and last day of a quarter."""
    _check_quarter(quarter)
    first = date(year, 3 * quarter - 2, 1)
    nxt = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, nxt - timedelta(days=1)


def previous_quarter(year: int, quarter: int) -> Quarter:
    """The quarter before, across the year boundary."""
    _check_quarter(quarter)
    return Quarter(year - 1, 4) if quarter == 1 else Quarter(year, quarter - 1)


def day_after_quarter(year: int, quarter: int, day: int) -> date:
    """That day of the month after the quarter (Q4 runs into January of the next year).

    The quarterly progress report (the 25th) and a central body's generalised report (the
    10th) are both such dates; one rule keeps them from drifting apart.
    """
    _check_quarter(quarter)
    if quarter == 4:
        return date(year + 1, 1, day)
    return date(year, 3 * quarter + 1, day)


def next_due_after_quarter(today: date | datetime, day: int) -> tuple[Quarter, date]:
    """The earliest quarter whose report, due that day of the month after it, is still due today."""
    d = almaty_date(today)
    q = previous_quarter(*quarter_of(d))
    deadline = day_after_quarter(*q, day)
    if deadline >= d:
        return q, deadline
    current = quarter_of(d)
    return current, day_after_quarter(*current, day)


def quarterly_report_deadline(year: int, quarter: int) -> date:
    """The 25th of the month after the quarter (Q4 runs into January of the next year)."""
    return day_after_quarter(year, quarter, QUARTERLY_REPORT_DAY)


def next_quarterly_report(today: date | datetime) -> tuple[Quarter, date]:
    """The earliest quarterly report still due on or after today, and its deadline."""
    return next_due_after_quarter(today, QUARTERLY_REPORT_DAY)


def central_list_deadline(day: date | datetime) -> date:
    """The next government list date (15 February or 15 August) on or after the given day."""
    d = almaty_date(day)
    for year in (d.year, d.year + 1):
        for month, dom in CENTRAL_LIST_DATES:
            candidate = date(year, month, dom)
            if candidate >= d:
                return candidate
    raise AssertionError("unreachable: a list date falls in every year")


def _check_quarter(quarter: int) -> None:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1..4, not {quarter!r}")


__all__ = (
    "EndedEvent",
    "PublicationStatus",
    "Quarter",
    "almaty_date",
    "announcement_deadline",
    "central_list_deadline",
    "day_after_quarter",
    "end_of_day",
    "last_event_end",
    "next_due_after_quarter",
    "next_quarterly_report",
    "previous_quarter",
    "publication_deadline",
    "publication_status",
    "quarter_bounds",
    "quarter_of",
    "quarterly_report_deadline",
)
