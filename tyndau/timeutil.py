"""Time helpers: the store keeps UTC, people see Asia/Almaty."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

ALMATY = ZoneInfo("Asia/Almaty")


def utcnow() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime; naive values are taken to be UTC already (as the store keeps them)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


MIN_YEAR, MAX_YEAR = 1900, 2999


def parse_iso(text: str) -> datetime:
    """Parse ISO 8601 with an offset (``Z`` allowed); a naive value is refused as ambiguous.

    Years outside 1900–2999 are refused too: 9999-12-31T23:00-14:00 is past the end of time in UTC.
    """
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError("timestamp needs a UTC offset, e.g. 2026-11-21T10:00:00+05:00")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
    return value.astimezone(UTC)


def parse_day(value: Any, years: tuple[int, int] | None = None) -> date:
    """A calendar day written ``2026-03-15`` (a ``date`` passes as it is); ``years``: the span it must fall in."""
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    else:
        text = value.strip() if isinstance(value, str) else ""
        try:
            if len(text) != 10:
                raise ValueError
            day = date.fromisoformat(text)
        except ValueError:
            raise ValueError("a date like 2026-03-15") from None
    if years is not None and not years[0] <= day.year <= years[1]:
        raise ValueError(f"a year from {years[0]} to {years[1]}")
    return day


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with offset, or None."""
    return None if value is None else as_utc(value).isoformat()


def store_time(value: datetime | None = None) -> datetime:
    """Naive UTC, as the store keeps instants in SQLite and PostgreSQL alike (default: now)."""
    return as_utc(value if value is not None else utcnow()).replace(tzinfo=None)
