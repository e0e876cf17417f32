"""The field types of the planning payloads: each checks a value and documents it in one declaration.

A refusal reads as the planner's pages have always shown it ("at most 300 characters", "a date
like 2026-03-15", "one of …"); :func:`tyndau.actions.schema.parse` gathers every bad field of a
payload into one 422 (``fields``: ``participants[0].name`` and so on), so a form marks them all at once.
Texts are cleaned of control and invisible characters and trimmed; an absent or null optional
value reads as its default ("" for a text, None otherwise).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainValidator, WithJsonSchema

from tyndau.actions.schema import Says, parse_instant
from tyndau.domain.text_chars import clean
from tyndau.timeutil import parse_day

MIN_YEAR, MAX_YEAR = 2000, 2100  # the years the calendars, rounds and reports cover
MAX_STORE_ID = 999_999_999_999


def _typed(check: Callable[[Any], Any], schema: Mapping[str, Any], description: str, *more: Any) -> Any:
    return Annotated[Any, PlainValidator(check), WithJsonSchema(dict(schema)), Field(description=description), *more]


def _nullable(kind: str, required: bool) -> Any:
    return kind if required else [kind, "null"]


def Text(description: str, limit: int, *, required: bool = False, multiline: bool = False,
         pattern: str = "", says: str = "") -> Any:
    """A string without control or invisible characters, trimmed, at most ``limit`` long (``pattern``: the whole must match)."""
    shape = re.compile(pattern) if pattern else None

    def check(value: Any) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise ValueError("a text")
        if len(value) > limit:  # as sent, as the schema says
            raise ValueError(f"at most {limit} characters")
        value = clean(value, one_line=not multiline).strip()
        if required and not value:
            raise ValueError("required")
        if shape is not None and value and shape.fullmatch(value) is None:
            raise ValueError(says or f"text matching {pattern}")
        return value

    schema: dict[str, Any] = {"type": _nullable("string", required), "maxLength": limit}
    if required:
        schema["minLength"] = 1
    if pattern:
        schema["pattern"] = f"^(?:{pattern})$"
    return _typed(check, schema, description)


def Choice(description: str, options: tuple[str, ...] | frozenset[str], *, required: bool = False) -> Any:
    """One of the given values (an optional one may be null)."""
    words = "one of " + ", ".join(sorted(options))

    def check(value: Any) -> str | None:
        if value is None and not required:
            return None
        if not isinstance(value, str) or value not in options:
            raise ValueError(words)
        return value

    return _typed(check, {"type": _nullable("string", required), "enum": [*sorted(options), *([] if required else [None])]}, description)


def Whole(description: str, low: int, high: int, *, required: bool = False) -> Any:
    """A whole number within bounds (never true/false)."""
    def check(value: Any) -> int | None:
        if value is None or value == "":
            if required:
                raise ValueError("required")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"a whole number from {low} to {high}")
        return value

    return _typed(check, {"type": _nullable("integer", required), "minimum": low, "maximum": high}, description)


def Flag(description: str) -> Any:
    """A true/false value."""
    def check(value: Any) -> bool:
        if not isinstance(value, bool):
            raise ValueError("true or false")
        return value

    return _typed(check, {"type": "boolean"}, description)


def Day(description: str, *, required: bool = False) -> Any:
    """A calendar day as ``2026-03-15``, in the years the calendars cover."""
    def check(value: Any) -> date | None:
        if value in (None, ""):
            if required:
                raise ValueError("required, a date like 2026-03-15")
            return None
        return parse_day(value, (MIN_YEAR, MAX_YEAR))

    return _typed(check, {"type": _nullable("string", required), "format": "date"}, description)


def Instant(description: str, *, required: bool = False) -> Any:
    """An ISO 8601 date-time with an offset."""
    def check(value: Any) -> datetime | None:
        if value in (None, ""):
            if required:
                raise ValueError("required, ISO 8601 with offset")
            return None
        return parse_instant(value)

    return _typed(check, {"type": _nullable("string", required), "format": "date-time"}, description)


def Texts(description: str, limit: int, each: int) -> Any:
    """A list of short texts (blank ones dropped)."""
    def check(value: Any) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or len(value) > limit:
            raise ValueError(f"a list of at most {limit} texts")
        if any(len(v) > each for v in value):
            raise ValueError(f"each at most {each} characters")
        out = [clean(v, one_line=True).strip() for v in value]
        return [v for v in out if v]

    return _typed(check, {"type": ["array", "null"], "maxItems": limit, "items": {"type": "string", "maxLength": each}}, description)


def _objects(value: Any) -> Any:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise ValueError("a list of objects")
    return value


def Items(description: str, model: Any, limit: int, *, required: bool = False) -> Any:
    """A list of objects, each checked by ``model`` (its errors named ``name[i].field``)."""
    return Annotated[list[model], BeforeValidator(_objects), Field(description=description, max_length=limit, min_length=1 if required else 0)]


def StoreId(description: str) -> Any:
    """A store id; anything else is a 400 naming the field."""
    return Annotated[int, Field(ge=1, le=MAX_STORE_ID, description=description), Says("a positive integer", 400, "bad_request")]


def Year(description: str) -> Any:
    """A calendar year; anything else is a 400."""
    return Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR, description=description), Says(f"from {MIN_YEAR} to {MAX_YEAR}", 400, "bad_request")]
