"""Payload checks shared by the planning actions (who may do what: ``planning.*`` in :mod:`tyndau.permissions`).

Each action reads its payload through one :class:`Fields`, which collects every field error and
raises them together as a 422 (the API's error shape), so a form can mark all its fields at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, NoReturn

from tyndau.actions import ActionError
from tyndau.domain.text_chars import clean
from tyndau.timeutil import parse_iso

MIN_YEAR, MAX_YEAR = 2000, 2100


def refuse(status: int, code: str, message: str, **fields: str) -> NoReturn:
    """Raise the API's error."""
    raise ActionError(status, code, message, fields or None)


class Fields:
    """Reads a payload field by field; :meth:`done` raises every error found as one 422."""

    def __init__(self, payload: Mapping[str, Any], *, known: tuple[str, ...] | None = None) -> None:
        self.payload = payload
        self.errors: dict[str, str] = {}
        if known is not None:
            for key in payload:
                if key not in known:
                    self.errors[str(key)[:60]] = "unknown field"

    def has(self, name: str) -> bool:
        """Whether the payload carries the field at all."""
        return name in self.payload

    def fail(self, name: str, message: str) -> None:
        """Note an error for a field (the first one per field is kept)."""
        self.errors.setdefault(name, message)

    def text(self, name: str, limit: int, *, required: bool = False, multiline: bool = False, default: str = "") -> str:
        """A string without control or invisible characters, at most ``limit`` long."""
        value = self.payload.get(name, default)
        if value is None:
            value = default
        if not isinstance(value, str):
            self.fail(name, "a text")
            return default
        value = clean(value, one_line=not multiline).strip()
        if required and not value:
            self.fail(name, "required")
        elif len(value) > limit:
            self.fail(name, f"at most {limit} characters")
        return value[:limit]

    def choice(self, name: str, options: tuple[str, ...] | frozenset[str], *, required: bool = True) -> str | None:
        """One of the given values."""
        value = self.payload.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or value not in options:
            self.fail(name, "one of " + ", ".join(sorted(options)))
            return None
        return value

    def day(self, name: str, *, required: bool = False) -> date | None:
        """A calendar day as ``2026-03-15``."""
        value = self.payload.get(name)
        if value in (None, ""):
            if required:
                self.fail(name, "required, a date like 2026-03-15")
            return None
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            day = date.fromisoformat(value)
        except ValueError:
            self.fail(name, "a date like 2026-03-15")
            return None
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            self.fail(name, f"a year from {MIN_YEAR} to {MAX_YEAR}")
            return None
        return day

    def instant(self, name: str, *, required: bool = False) -> datetime | None:
        """An ISO 8601 date-time with an offset."""
        value = self.payload.get(name)
        if value in (None, ""):
            if required:
                self.fail(name, "required, ISO 8601 with offset")
            return None
        if not isinstance(value, str):
            self.fail(name, "ISO 8601 with offset, e.g. 2026-03-15T10:00:00+05:00")
            return None
        try:
            return parse_iso(value)
        except ValueError as exc:
            self.fail(name, f"ISO 8601 with offset ({exc})")
            return None

    def integer(self, name: str, low: int, high: int, *, required: bool = False) -> int | None:
        """A whole number within bounds."""
        value = self.payload.get(name)
        if value is None or value == "":
            if required:
                self.fail(name, "required")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(name, f"a whole number from {low} to {high}")
            return None
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        """A true/false value."""
        value = self.payload.get(name, default)
        if not isinstance(value, bool):
            self.fail(name, "true or false")
            return default
        return value

    def items(self, name: str, limit: int, *, required: bool = False) -> list[Mapping[str, Any]]:
        """A list of objects (at most ``limit``)."""
        value = self.payload.get(name, [])
        if value is None:
            value = []
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            self.fail(name, "a list of objects")
            return []
        if required and not value:
            self.fail(name, "at least one")
        if len(value) > limit:
            self.fail(name, f"at most {limit}")
            return []
        return value

    def texts(self, name: str, limit: int, each: int) -> list[str]:
        """A list of short texts."""
        value = self.payload.get(name, [])
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or len(value) > limit:
            self.fail(name, f"a list of at most {limit} texts")
            return []
        out = [clean(v, one_line=True).strip() for v in value]
        if any(len(v) > each for v in out):
            self.fail(name, f"each at most {each} characters")
        return [v[:each] for v in out if v]

    def done(self, message: str = "some fields are invalid") -> None:
        """Raise the collected errors as one 422."""
        if self.errors:
            raise ActionError(422, "invalid", message, self.errors)


def positive_id(payload: Mapping[str, Any], name: str) -> int:
    """A store id from a payload (400 when it is not one)."""
    value = payload.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 999_999_999_999:
        raise ActionError(400, "bad_request", f"{name} must be a positive integer", {name: "a positive integer"})
    return value


def year_of(payload: Mapping[str, Any]) -> int:
    """The calendar year from a payload."""
    value = payload.get("year")
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_YEAR <= value <= MAX_YEAR:
        raise ActionError(400, "bad_request", f"year must be from {MIN_YEAR} to {MAX_YEAR}", {"year": "a year"})
    return value


def meeting_id_of(payload: Mapping[str, Any]) -> int:
    """The meeting id from a payload, validated (400 when it is not one)."""
    return positive_id(payload, "meeting_id")
