"""The payload schemas of the planning and national actions (issues 14 and 15).

Each model declares its action's fields once, with their checks (:mod:`tyndau.actions.planning_types`):
the same declaration refuses bad HTTP and socket.io input — every bad field at once, in the words
the planner's pages show — and is the action's request body in the OpenAPI document. A closed
model refuses unknown keys. What needs the store (does the unit exist, is the calendar stale) stays
in the action; partial updates read ``model_fields_set`` to know what was sent.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, ConfigDict, Field, ValidationInfo, WithJsonSchema, field_validator

from tyndau.actions.planning_types import Choice, Day, Flag, Instant, Items, StoreId, Text, Texts, Whole, Year
from tyndau.actions.schema import Closed, Payload, Says
from tyndau.domain.calendar_versions import CHANGE_KINDS, MAX_REASON
from tyndau.domain.coverage import OFF_CALENDAR_REASONS
from tyndau.domain.kato import parse_kato
from tyndau.domain.participation import AUDIENCE_CATEGORIES, COMMISSION_ROLES
from tyndau.domain.participation import MAX_NAME as MAX_MEMBER_NAME
from tyndau.domain.receptions import MAX_NAME, MAX_TEXT, RECEPTION_ROLES
from tyndau.domain.units import KIND_IDS
from tyndau.store.central import ANALYSIS, MAX_PROPOSAL

UNIT_ID = re.compile(r"[0-9A-Za-z_-]{1,40}")
BODY_ID = r"[a-z0-9][a-z0-9_-]{0,59}"
MAX_UNIT_NAME = 300
MAX_OPERATIONS, MAX_NOTE = 500, 500
MAX_PEOPLE, MAX_QUESTIONS = 50, 500
MAX_MEMBERS, MAX_ENTRIES = 100, 300
MAX_MEETINGS = 50
MAX_AMOUNT = 10**15  # tenge


def _doc(description: str, **schema: Any) -> Any:
    """A field another schema checks (the meeting's own, or the route's path), documented here."""
    return Annotated[Any, WithJsonSchema({**schema, "description": description}), Field(description=description)]


def _kato(value: str) -> str:
    if not value:
        return value
    return parse_kato(value).code  # its ValueError says what is wrong with the code


class UnitsImport(Payload):
    """An uploaded KATO export (the route reads the multipart file)."""

    data: Annotated[Any, Field(description="the file's bytes")] = None
    filename: _doc("the file's name (.csv or .xlsx)", type="string") = None
    dry_run: Annotated[bool, Field(description="answer what the import would do without writing")] = False


class UnitAdd(Closed):
    """A unit added by hand (its KATO code, or an id of ours)."""

    invalid: ClassVar[str] = "the unit has invalid fields"
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, validate_default=True)
    kato: Annotated[Text("the 9-digit KATO code", 9), AfterValidator(_kato)] = ""
    id: Text("our id when the unit has no KATO code (letters, digits, - and _, at most 40 characters)", 40) = ""
    kind: Choice("the kind of unit (GET /api/v1/units/kinds)", KIND_IDS, required=True)
    parent_id: Text("the unit above it", 40) = ""
    name_kk: Text("the name in Kazakh", MAX_UNIT_NAME) = ""
    name_ru: Text("the name in Russian (a name in one language at least)", MAX_UNIT_NAME) = ""
    valid_from: Day("the first day it exists") = None
    valid_to: Day("the last day it exists") = None

    @field_validator("id")
    @classmethod
    def _id(cls, value: str, info: ValidationInfo) -> str:
        unit_id = value or info.data.get("kato") or ""
        if not unit_id:
            raise ValueError("give the KATO code, or an id of letters, digits, - and _")
        if not UNIT_ID.fullmatch(unit_id):
            raise ValueError("letters, digits, - and _ only, at most 40")
        return unit_id

    @field_validator("name_ru")
    @classmethod
    def _named(cls, value: str, info: ValidationInfo) -> str:
        if not value and not info.data.get("name_kk"):
            raise ValueError("a name in Russian or Kazakh is required")
        return value


class UnitEdit(Closed):
    """Rename a unit or change its dates (``valid_to`` abolishes it)."""

    invalid: ClassVar[str] = "the unit has invalid fields"
    unit_id: _doc("the unit", type="string")
    name_ru: Text("the name in Russian", MAX_UNIT_NAME) = ""
    name_kk: Text("the name in Kazakh", MAX_UNIT_NAME) = ""
    valid_from: Day("the first day it exists") = None
    valid_to: Day("the last day it exists") = None


class OrganiserCreate(Closed):
    """``{"unit_id"}``: the akimat of a unit; ``{"kind": "central_body", "id", "name_ru", "name_kk"}``: a ministry."""

    invalid: ClassVar[str] = "the organiser has invalid fields"
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, validate_default=True)
    kind: Choice("akimat (default) or central_body", ("akimat", "central_body")) = None
    unit_id: Text("an akimat's unit", 40) = ""
    id: Text("a central body's id (lower-case letters, digits, - and _)", 60, pattern=BODY_ID, says="lower-case letters, digits, - and _") = ""
    name_ru: Text("a central body's name in Russian", 300) = ""
    name_kk: Text("a central body's name in Kazakh", 300) = ""

    @field_validator("unit_id", "id", "name_ru", "name_kk")
    @classmethod
    def _needed(cls, value: str, info: ValidationInfo) -> str:
        central = info.data.get("kind") == "central_body"
        if not value and (info.field_name != "unit_id") == central and "kind" in info.data:
            raise ValueError("required")
        return value


class MeetingPlanning(Closed):
    """A meeting's organiser and place unit, or why it is held outside the calendar."""

    invalid: ClassVar[str] = "the meeting's planning fields are invalid"
    meeting_id: StoreId("the meeting")
    organiser_id: Text("the organiser (empty: none)", 60) = ""
    place_unit_id: Text("the unit where it is held (empty: none)", 40) = ""
    off_calendar_reason: Choice("why it is held outside the calendar", OFF_CALENDAR_REASONS) = None


class Operation(Closed):
    """One operation of a calendar change."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, validate_default=True)
    op: Choice("add, move or cancel a visit", ("add", "move", "cancel"), required=True)
    visit_id: Text("the visit moved or cancelled", 40) = ""
    planned_on: Day("the visit's day (add, move)") = None
    place_unit_id: Text("where", 40) = ""
    note: Text("a note", MAX_NOTE) = ""

    @field_validator("visit_id")
    @classmethod
    def _visit(cls, value: str, info: ValidationInfo) -> str:
        if not value and info.data.get("op") in ("move", "cancel"):
            raise ValueError("required")
        return value

    @field_validator("planned_on")
    @classmethod
    def _day(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.data.get("op") in ("add", "move"):
            raise ValueError("required, a date like 2026-03-15")
        return value


class CalendarChangeInput(Closed):
    """One change of a calendar: draft, approve, adjust, submit or pass on."""

    invalid: ClassVar[str] = "the change has invalid fields"
    organiser_id: _doc("the organiser", type="string")
    year: Year("the calendar's year")
    kind: Choice("draft, approve, adjust, submit or pass_on", CHANGE_KINDS, required=True)
    operations: Items("visits to add, move or cancel", Operation, MAX_OPERATIONS) = []
    reason: Text("why (an adjustment needs one)", MAX_REASON, multiline=True) = ""
    maslikhat_agreed_on: Day("when the maslikhat agreed") = None
    maslikhat_ref: Text("the maslikhat's decision", 200) = ""
    last_seq: Whole("the last version the client saw (409 when the calendar moved on)", 0, 10**9) = None


class PlanMeeting(Closed):
    """The meeting of a planned visit (organiser, unit, akim level and day come from the calendar; the rest is the meeting's own)."""

    invalid: ClassVar[str] = "the meeting has invalid fields"
    organiser_id: _doc("the organiser", type="string")
    year: Year("the calendar's year")
    visit_id: Text("the planned visit", 40, required=True)
    starts_at: Instant("when it starts (default: 10:00 on the planned day)") = None
    planned_minutes: _doc("the planned duration", type="integer") = None
    title: _doc("the title", type="string") = None
    title_kk: _doc("the title in Kazakh", type="string") = None
    place: _doc("the address", type="string") = None
    akim_name: _doc("the akim's name", type="string") = None
    stream_links: _doc("http(s) links of the streams (a list, or one per line)") = None
    announced_at: _doc("when it was announced", type="string", format="date-time") = None


class Participant(Closed):
    """Who received citizens."""

    role: Choice("their role", RECEPTION_ROLES, required=True)
    name: Text("their name", MAX_NAME, required=True)
    organisation: Text("their organisation", 300) = ""


class Question(Closed):
    """A question asked at the reception (the citizen and the contact stay private)."""

    id: Text("its id (kept when re-saved)", 40) = ""
    text: Text("the question", MAX_TEXT, required=True, multiline=True)
    lang: Choice("its language", ("ru", "kk", "mixed")) = None
    answered_on_spot: Flag("answered at once") = False
    citizen: Text("who asked", 200) = ""
    contact: Text("how to reach them", 200) = ""
    comment_id: _doc("as read back; ignored", type=["integer", "null"]) = None


class ReceptionFields(Closed):
    """A personal reception after a meeting."""

    invalid: ClassVar[str] = "the reception has invalid fields"
    starts_at: Instant("when it started (required for a new reception)") = None
    ended_at: Instant("when it ended (the round's 10-day clock runs from the last end)") = None
    place: Text("where", 300) = ""
    citizens_received: Whole("how many citizens were received", 0, 100_000) = None
    cancelled: Flag("it did not take place") = False
    participants: Items("who received", Participant, MAX_PEOPLE) = []
    questions: Items("the questions", Question, MAX_QUESTIONS) = []


class ReceptionInput(ReceptionFields):
    """Record a reception after a meeting."""

    meeting_id: StoreId("the meeting")


class ReceptionUpdate(ReceptionFields):
    """Change a reception (only the fields sent change)."""

    reception_id: StoreId("the reception")
    version: Annotated[int | None, Field(ge=0, le=10**9, description="the version the client saw (409 when it moved on; default: the stored one)"),
                       Says("the reception's version", 400, "bad_request")] = None


class RoundCreate(Closed):
    """Meetings of one organiser grouped into a round."""

    invalid: ClassVar[str] = "the round has invalid fields"
    meeting_ids: Annotated[list[Annotated[int, Field(ge=1, le=999_999_999_999)]],
                           Field(min_length=1, max_length=MAX_MEETINGS, description="the meetings"), Says(f"a list of 1 to {MAX_MEETINGS} meeting ids")]
    title: Text("the round's title (default: the first meeting's)", 300) = ""


class RoundUpdate(Closed):
    """Rename a round, or record (or clear) when its results were published."""

    invalid: ClassVar[str] = "the round has invalid fields"
    round_id: StoreId("the round")
    title: Text("the round's title", 300, required=True) = ""
    published_at: Instant("when the results were published (null clears it)") = None


class RoundId(Payload):
    """A round."""

    round_id: StoreId("the round")


class MeetingRef(Payload):
    """A meeting."""

    meeting_id: StoreId("the meeting")


class Member(Closed):
    """A member of the pooling commission."""

    name: Text("their name", MAX_MEMBER_NAME) = ""
    role: Choice("their role in the commission", tuple(COMMISSION_ROLES), required=True)
    organisation: Text("their organisation", 300) = ""


class CommissionInput(Closed):
    """The round's pooling commission."""

    invalid: ClassVar[str] = "the commission has invalid fields"
    round_id: StoreId("the round")
    members: Items("the members", Member, MAX_MEMBERS) = []


class Entry(Closed):
    """Who of the wide audience came."""

    category: Choice("the category of the audience", tuple(AUDIENCE_CATEGORIES), required=True)
    organisation: Text("the organisation", MAX_MEMBER_NAME) = ""
    name: Text("a person's name", MAX_MEMBER_NAME) = ""
    count: Whole("how many came (default 1)", 1, 100_000) = None


class AttendanceInput(Closed):
    """The meeting's wide-audience record."""

    invalid: ClassVar[str] = "the attendance record has invalid fields"
    meeting_id: StoreId("the meeting")
    entries: Items("who came", Entry, MAX_ENTRIES) = []


class AnnouncementInput(Closed):
    """What the announcement's draft says beyond the meeting's own fields."""

    invalid: ClassVar[str] = "the announcement has invalid fields"
    meeting_id: StoreId("the meeting")
    template_ru: Text("a template of one's own (placeholders in {braces})", 5000, multiline=True) = ""
    template_kk: Text("a template of one's own, in Kazakh", 5000, multiline=True) = ""
    channels_ru: Texts("where to send questions in advance", 10, 300) = []
    channels_kk: Texts("the same, in Kazakh", 10, 300) = []
    questions_until: Day("the last day for questions in advance") = None
    akim_ru: Text("the akim, in Russian", 200) = ""
    akim_kk: Text("the akim, in Kazakh", 200) = ""
    place_kk: Text("the place, in Kazakh", 300) = ""
    topic_ru: Text("the topic, in Russian", 300) = ""
    topic_kk: Text("the topic, in Kazakh", 300) = ""


class CentralUpdate(Closed):
    """A central-level item's analysis; ``version`` guards against a lost update (only the fields sent change)."""

    invalid: ClassVar[str] = "the central-level item has invalid fields"
    problem_id: Whole("the problem", 1, 2**53, required=True)
    version: Whole("the item's version the client saw (409 when it moved on)", 0, 10**9, required=True)
    analysis: Choice("the analysis status", ANALYSIS, required=True) = None
    amount: Whole("tenge needed (null: unknown)", 0, MAX_AMOUNT) = None
    proposal: Text("the proposal for solving it", MAX_PROPOSAL, multiline=True) = ""
    body_id: Text("the central body responsible (empty: none)", 60) = ""
    selected: Flag("finally selected") = False


class ProgressSubmit(Closed):
    """A unit's quarterly progress report handed in."""

    invalid: ClassVar[str] = "the progress report has invalid fields"
    organiser_id: Text("the organiser", 60, required=True)
    year: Whole("the year", 2000, 2100, required=True)
    quarter: Whole("the quarter, 1 to 4", 1, 4, required=True)
    submitted_at: Instant("when it was handed in (default: now)") = None
