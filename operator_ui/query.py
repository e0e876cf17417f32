"""Query-string schemas: each GET route declares one model, which parses its parameters and is
their description in the OpenAPI document. A bad parameter is a 400 naming it."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import PlainValidator, WithJsonSchema

from tyndau.actions.schema import Payload, Says

_INT = re.compile(r"-?[0-9]{1,19}")
_IDS = r"^[0-9]{1,12}(,[0-9]{1,12}){0,499}$"
MAX_ROUND = 500


class Query(Payload):
    """The parameters of one GET route (unknown ones are ignored, as browsers add their own)."""

    model_config = Payload.model_config | {"strict": False}


def _flag(value: Any) -> bool:
    text = str(value).lower()
    if text in ("1", "true", "yes"):
        return True
    if text in ("0", "false", "no"):
        return False
    raise ValueError(f"expected true or false, got {str(value)[:40]!r}")


def _meetings(value: Any) -> list[int]:
    parts = [x.strip() for x in str(value).split(",") if x.strip()]
    if not parts or len(parts) > MAX_ROUND or not all(p.isascii() and p.isdigit() and len(p) <= 12 for p in parts):
        raise ValueError("meeting ids")
    return sorted({int(p) for p in parts})


def whole(low: int, high: int, description: str = "") -> Any:
    """A whole number in ``[low, high]`` (written in decimal digits)."""

    def check(value: Any) -> int:
        text = str(value)
        if not _INT.fullmatch(text) or not low <= int(text) <= high:
            raise ValueError(f"a whole number from {low} to {high}")
        return int(text)

    schema: dict[str, Any] = {"type": "integer", "minimum": low, "maximum": high}
    if description:
        schema["description"] = description
    return Annotated[int, PlainValidator(check), WithJsonSchema(schema), Says(f"a whole number from {low} to {high}", 400, "bad_request")]


# true/false (1/0 and yes/no too).
Flag = Annotated[bool, PlainValidator(_flag), WithJsonSchema({"type": "boolean"}), Says("true or false", 400, "bad_request")]
Lang = Annotated[Literal["ru", "kk"], Says("ru or kk", 400, "bad_request")]
# meetings=1,2,3: the meetings of a round.
Meetings = Annotated[list[int], PlainValidator(_meetings), WithJsonSchema({
    "type": "string", "pattern": _IDS, "description": "meeting ids, comma-separated"}),
    Says("meeting ids, e.g. meetings=1,2,3 (at most 500)", 400, "bad_request")]

class LangQuery(Query):
    """``?lang=ru|kk``."""

    lang: Lang = "ru"


class MergedQuery(Query):
    """``?merged=true`` lists the problems merged into others too."""

    merged: Flag = False


class RoundQuery(MergedQuery):
    """``?meetings=1,2,3`` (required) and ``merged``."""

    meetings: Meetings
