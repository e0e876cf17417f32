"""Payload schemas: each action declares one pydantic model, which checks what HTTP and socket.io
send and is the action's request body in the OpenAPI document.

A refusal keeps the API's one error shape, ``{"error": {"code", "message", "fields": {name: why}}}``:
a field marked with :class:`Says` is reported in its words, status and code (a malformed id is a
400 ``bad_request``); any other field error is a 422 ``invalid`` naming every bad field at once.
Every string is first made :func:`~tyndau.domain.text_safety.storable` (a lone surrogate or NUL
becomes U+FFFD, as the sources do), so hostile text is kept, never refused or lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, ValidationError, WithJsonSchema

from tyndau.actions.errors import ActionError
from tyndau.domain.text_safety import storable
from tyndau.timeutil import as_utc, parse_day, parse_iso

MAX_ID = 2**53 - 1
MAX_IDS = 5000


@dataclass(frozen=True, slots=True)
class Says:
    """How a field's refusal reads: the words for ``fields``, and the status and code of the error."""

    text: str
    status: int = 422
    code: str = "invalid"


class Payload(BaseModel):
    """A request body or socket.io payload: exact JSON types, unknown keys ignored."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)
    invalid: ClassVar[str] = "the request has invalid fields"
    unknown: ClassVar[str] = "unknown field"
    # Nested models whose fields are reported without the prefix (``deadline``, not ``fields.deadline``).
    flat: ClassVar[frozenset[str]] = frozenset()


class Closed(Payload):
    """A payload that refuses unknown keys, naming each."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


P = TypeVar("P", bound=BaseModel)


def parse(model: type[P], data: Any, context: Mapping[str, Any] | None = None) -> P:
    """``data`` checked by ``model`` (``context`` feeds validators that need the app's vocabulary)."""
    if not isinstance(data, Mapping):
        raise ActionError(400, "bad_request", "the payload must be a JSON object")
    try:
        return model.model_validate(_storable(dict(data)), context=dict(context or {}))
    except ValidationError as exc:
        raise refusal(model, exc) from None


def _storable(value: Any) -> Any:
    """``value`` with every string in it (keys too) made storable; other values as they are."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value


def refusal(model: type[BaseModel], exc: ValidationError) -> ActionError:
    """The API error for a failed validation: the first :class:`Says` with a 4xx of its own wins."""
    sharp: dict[str, str] = {}
    plain: dict[str, str] = {}
    lead: Says | None = None
    for err in exc.errors(include_url=False, include_context=True):
        loc = tuple(err["loc"])
        says, depth = _says(model, loc)
        name = _name(model, loc[:depth], err["type"] if depth == len(loc) else "")
        if says is not None and says.status != 422:
            lead = lead or says
            sharp.setdefault(name, says.text)
        else:
            plain.setdefault(name, says.text if says is not None else _reason(model, loc, err))
    if lead is not None:
        return ActionError(lead.status, lead.code, "; ".join(f"{k} must be {v}" for k, v in sharp.items()), sharp)
    return ActionError(422, "invalid", getattr(model, "invalid", Payload.invalid), plain)


def nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside a field's type (``X``, ``X | None``, ``list[X]``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = nested_model(arg)
        if found is not None:
            return found
    return None


def _says(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[Says | None, int]:
    """The :class:`Says` of the innermost model field on the path of ``loc`` (None when that field
    has none), and how much of ``loc`` names that field."""
    found: tuple[Says | None, int] = (None, len(loc))
    current: type[BaseModel] | None = model
    for i, part in enumerate(loc):
        if current is None or not isinstance(part, str):
            continue
        if part not in current.model_fields:  # an unknown key inside a model: its own refusal
            return None, len(loc)
        info = current.model_fields[part]
        says = next((m for m in info.metadata if isinstance(m, Says)), None)
        found = (says, i + 1) if says is not None else (None, len(loc))
        current = nested_model(info.annotation)
    return found


def _name(model: type[BaseModel], loc: tuple[Any, ...], kind: str) -> str:
    """``items[3].text`` from pydantic's location, skipping union tags; flat parents are dropped."""
    out = ""
    current: type[BaseModel] | None = model
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        elif current is not None and part in current.model_fields:
            if not (i == 0 and len(loc) > 1 and part in getattr(model, "flat", ())):
                out += f".{part}" if out else part
            current = nested_model(current.model_fields[part].annotation)
        elif kind == "extra_forbidden" and i == len(loc) - 1:
            out += f".{part}" if out else str(part)
    return out or "body"


def _reason(model: type[BaseModel], loc: tuple[Any, ...], err: Mapping[str, Any]) -> str:
    """Pydantic's complaint in the words this API has always used."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        owner: type[BaseModel] | None = model
        for part in loc[:-1]:
            if owner is not None and isinstance(part, str) and part in owner.model_fields:
                owner = nested_model(owner.model_fields[part].annotation)
        return getattr(owner, "unknown", Payload.unknown)
    if kind == "string_too_long":
        return f"at most {ctx.get('max_length')} characters"
    if kind in ("string_too_short", "too_short"):
        return "required"
    if kind == "too_long":
        return f"at most {ctx.get('max_length')} items"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "a whole number"
    if kind in ("greater_than_equal", "greater_than"):
        return f"at least {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"at most {ctx.get('le', ctx.get('lt'))}"
    if kind in ("literal_error", "enum"):
        return "one of " + str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
    if kind == "bool_type":
        return "true or false"
    if kind in ("string_type", "str_type"):
        return "a string"
    if kind == "string_pattern_mismatch":
        return "is empty"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return str(err["msg"])


def parse_instant(value: Any) -> datetime:
    """An instant as ISO 8601 with a UTC offset (a ``datetime`` passes, made UTC); a naive time is refused."""
    if isinstance(value, datetime):
        return as_utc(value)
    if not isinstance(value, str):
        raise ValueError("ISO 8601 date-time with offset, e.g. 2026-12-01T10:00:00+05:00")
    try:
        return parse_iso(value)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"ISO 8601 with offset ({exc})") from None


def _unique_sorted(values: list[int]) -> list[int]:
    return sorted(set(values))


# An instant as ISO 8601 with a UTC offset (a naive time is ambiguous and refused).
Instant = Annotated[datetime, PlainValidator(parse_instant), WithJsonSchema({"type": "string", "format": "date-time"})]
# A calendar date, 2026-03-15.
Day = Annotated[date, PlainValidator(parse_day), WithJsonSchema({"type": "string", "format": "date"})]
IdValue = Annotated[int, Field(ge=1, le=MAX_ID)]
# A positive id; a malformed one is a 400 naming the field.
Id = Annotated[int, Field(ge=1, le=MAX_ID), Says("a positive integer", 400, "bad_request")]
MeetingId = Id
# A non-empty list of ids (sorted, without repeats, once checked).
Ids = Annotated[list[IdValue], Field(min_length=1, max_length=MAX_IDS), AfterValidator(_unique_sorted),
                Says("a list of ids", 400, "bad_request")]
NonBlank = Field(pattern=r"\S")
