"""The payloads of the review decisions, and the problem fields a secretary edits.

Categories and executors are checked against the akimat's vocabulary and a deadline against the
meeting's date; both come to the validators through the validation context (see ``perform``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, ValidationInfo, model_validator

from tyndau.actions.schema import Closed, Day, Id, Ids, MeetingId, Payload, Says
from tyndau.vocabulary import COMPETENCES, FUNDING_SOURCES, STATUSES, Vocabulary, department_key

MAX_FUNDING = 10**15  # a quadrillion tenge: anything above is a typo
TEXT_LIMITS = {"title_ru": 500, "title_kk": 500, "place": 300, "place_kk": 300, "measures": 5000, "notes": 5000}


def _vocabulary(info: ValidationInfo) -> Vocabulary | None:
    found = (info.context or {}).get("vocabulary")
    return found if isinstance(found, Vocabulary) else None


def _category(value: str, info: ValidationInfo) -> str:
    vocabulary = _vocabulary(info)
    if vocabulary is not None and vocabulary.category_ids and value not in vocabulary.category_ids:
        raise ValueError("unknown category")
    return value


def _executor(value: str, info: ValidationInfo) -> str:
    vocabulary = _vocabulary(info)
    if value.strip() and vocabulary is not None and vocabulary.department_keys and department_key(value) not in vocabulary.department_keys:
        raise ValueError("unknown executor: choose a department from the list (an admin can add one in config/departments.toml)")
    return value


def _deadline(value: date, info: ValidationInfo) -> date:
    day = (info.context or {}).get("meeting_day")
    if isinstance(day, date) and value < day:
        raise ValueError(f"cannot be before the meeting ({day:%d.%m.%Y})")
    return value


Wording = Annotated[str, Field(max_length=500), Says("a text of at most 500 characters")]
Place = Annotated[str, Field(max_length=300), Says("a text of at most 300 characters")]
LongText = Annotated[str, Field(max_length=5000), Says("a text of at most 5000 characters")]
Category = Annotated[str, Field(max_length=100), AfterValidator(_category)]
Tenge = Annotated[Annotated[int, Field(ge=0, le=MAX_FUNDING)] | None, Says("tenge as a whole number, not negative")]


class ProblemFields(Closed):
    """The editable fields of a problem; at least one. Each named field is a person's from now on."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, json_schema_extra={"minProperties": 1})
    invalid = "the problem has invalid fields"
    unknown = "not an editable field"
    # Absent fields keep their value; the ones that cannot be empty may not be null.
    title_ru: Wording = None  # type: ignore[assignment]
    title_kk: Wording = None  # type: ignore[assignment]
    place: Place = None  # type: ignore[assignment]
    place_kk: Place = None  # type: ignore[assignment]
    measures: LongText = None  # type: ignore[assignment]
    notes: LongText = None  # type: ignore[assignment]
    category: Annotated[Category | None, Says("unknown category")] = None
    executor: Annotated[str, Field(max_length=300), AfterValidator(_executor)] = None  # type: ignore[assignment]
    deadline: Annotated[Day, AfterValidator(_deadline)] | None | Literal[""] = None
    funding_need: Tenge = None
    funding_allocated: Tenge = None
    status: Literal[STATUSES] = None  # type: ignore[assignment]
    competence: Literal[COMPETENCES] = None  # type: ignore[assignment]
    funding_source: Literal[FUNDING_SOURCES] | None = None
    central_list: bool = None  # type: ignore[assignment]
    accepted: bool = None  # type: ignore[assignment]

    @model_validator(mode="before")
    @classmethod
    def _some(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data:
            raise ValueError("an object of changes")
        return data

    def values(self) -> dict[str, Any]:
        """The changes to store: texts trimmed, an empty deadline as none; a central problem goes on the central list."""
        out: dict[str, Any] = {}
        for name in self.model_fields_set:
            value = getattr(self, name)
            if name in TEXT_LIMITS or name == "executor":
                value = value.strip()
            elif name == "deadline" and value == "":
                value = None
            out[name] = value
        if out.get("competence") == "central" and "central_list" not in out:
            out["central_list"] = True
        return out


class Edit(Payload):
    """``{"problem_id", "version", "fields"}``: a stale ``version`` gets 409 with the current problem."""

    invalid = ProblemFields.invalid
    flat = frozenset({"fields"})
    meeting_id: MeetingId
    problem_id: Id
    version: Id
    fields: Annotated[ProblemFields, Says("an object of changes", 400, "bad_request")]


class Merge(Payload):
    """``{"target_id", "source_ids"}``: the sources' comments move to the target."""

    meeting_id: MeetingId
    target_id: Id
    source_ids: Ids


class Split(Payload):
    """``{"problem_id", "comment_ids", "title_ru"?}``: the comments become a problem of their own."""

    meeting_id: MeetingId
    problem_id: Id
    comment_ids: Ids
    title_ru: Annotated[str, Field(max_length=500)] | None = None


class Move(Payload):
    """``{"to_problem_id", "comment_ids"}``."""

    meeting_id: MeetingId
    to_problem_id: Id
    comment_ids: Ids


class CommentIds(Payload):
    """``{"comment_ids"}``."""

    meeting_id: MeetingId
    comment_ids: Ids


class Classify(CommentIds):
    """``{"comment_ids", "category"}``."""

    category: Annotated[Category, Says("unknown category")]


class MeetingOnly(Payload):
    """``{}``: the meeting comes from the path."""

    meeting_id: MeetingId


class ProblemIds(Payload):
    """``{"problem_ids"}``."""

    meeting_id: MeetingId
    problem_ids: Ids


class Accept(ProblemIds):
    """``{"problem_ids", "accepted"?}`` (true by default)."""

    accepted: Annotated[bool, Says("true or false", 400, "bad_request")] = True
