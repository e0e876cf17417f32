"""The payload schemas of the planning and national actions (issues 14 and 15).

Each model names its action's fields and describes them for the OpenAPI document; a closed model
refuses unknown keys. The fields' checks stay in the action (``planning_fields.Fields``), which
reports every bad field of a form at once in the words the planner's pages show.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from pydantic import Field, WithJsonSchema

from tyndau.actions.context import ActionContext
from tyndau.actions.schema import Closed, Payload
from tyndau.store.people import Principal


def _f(kind: str, description: str, **extra: Any) -> Any:
    """A field the action checks itself, documented as ``kind``."""
    schema: dict[str, Any] = {"type": kind, "description": description, **extra} if kind else {"description": description}
    return Annotated[Any, WithJsonSchema(schema), Field(description=description)]


Text = functools.partial(_f, "string")
Int = functools.partial(_f, "integer")
Bool = functools.partial(_f, "boolean")
Items = functools.partial(_f, "array", items={"type": "object"})
Day = functools.partial(_f, "string", format="date")
Instant = functools.partial(_f, "string", format="date-time")


class UnitsImport(Payload):
    """An uploaded KATO export (the route reads the multipart file)."""

    data: Annotated[Any, Field(description="the file's bytes")] = None
    filename: Text("the file's name (.csv or .xlsx)") = None
    dry_run: Bool("answer what the import would do without writing") = None


class UnitAdd(Closed):
    """A unit added by hand."""

    id: Text("our id when the unit has no KATO code (at most 40 characters)") = None
    kato: Text("the 9-digit KATO code") = None
    kind: Text("the kind of unit (GET /api/v1/units/kinds)") = None
    parent_id: Text("the unit above it") = None
    name_ru: Text("the name in Russian") = None
    name_kk: Text("the name in Kazakh") = None
    valid_from: Day("the first day it exists") = None
    valid_to: Day("the last day it exists") = None


class UnitEdit(Closed):
    """Rename a unit or change its dates (``valid_to`` abolishes it)."""

    unit_id: Text("the unit") = None
    name_ru: Text("the name in Russian") = None
    name_kk: Text("the name in Kazakh") = None
    valid_from: Day("the first day it exists") = None
    valid_to: Day("the last day it exists") = None


class OrganiserCreate(Closed):
    """``{"unit_id"}``: the akimat of a unit; ``{"kind": "central_body", "id", "name_ru", "name_kk"}``: a ministry."""

    kind: Text("akimat (default) or central_body") = None
    unit_id: Text("an akimat's unit") = None
    id: Text("a central body's id (letters, digits, - and _)") = None
    name_ru: Text("a central body's name in Russian") = None
    name_kk: Text("a central body's name in Kazakh") = None


class MeetingPlanning(Closed):
    """A meeting's organiser and place unit, or why it is held outside the calendar."""

    meeting_id: Int("the meeting") = None
    organiser_id: Text("the organiser") = None
    place_unit_id: Text("the unit where it is held") = None
    off_calendar_reason: Text("why it is held outside the calendar (population_demand, social_tension, ...)") = None


class CalendarChangeInput(Closed):
    """One change of a calendar: draft, approve, adjust, submit or pass on."""

    organiser_id: Text("the organiser") = None
    year: Int("the calendar's year") = None
    kind: Text("draft, approve, adjust, submit or pass_on") = None
    operations: Items("visits to add, move or drop: {op: add|move|drop, visit_id?, planned_on, place_unit_id, note?}") = None
    reason: Text("why (an adjustment needs one)") = None
    maslikhat_agreed_on: Day("when the maslikhat agreed") = None
    maslikhat_ref: Text("the maslikhat's decision") = None
    last_seq: Int("the last version the client saw (409 when the calendar moved on)") = None


class PlanMeeting(Closed):
    """The meeting of a planned visit (organiser, unit, akim level and day come from the calendar)."""

    organiser_id: Text("the organiser") = None
    year: Int("the calendar's year") = None
    visit_id: Text("the planned visit") = None
    starts_at: Instant("when it starts (default: 10:00 on the planned day)") = None
    planned_minutes: Int("the planned duration") = None
    title: Text("the title") = None
    title_kk: Text("the title in Kazakh") = None
    place: Text("the address") = None
    akim_name: Text("the akim's name") = None
    stream_links: _f("", "http(s) links of the streams (a list, or one per line)") = None
    announced_at: Instant("when it was announced") = None


class ReceptionFields(Closed):
    """A personal reception after a meeting."""

    starts_at: Instant("when it started") = None
    ended_at: Instant("when it ended (the round's 10-day clock runs from the last end)") = None
    place: Text("where") = None
    citizens_received: Int("how many citizens were received") = None
    cancelled: Bool("it did not take place") = None
    participants: Items("who received: {role, name, organisation}") = None
    questions: Items("the questions: {text, lang?, answered_on_spot?, citizen?, contact?}") = None


class ReceptionInput(ReceptionFields):
    """Record a reception after a meeting."""

    meeting_id: Int("the meeting") = None


class ReceptionUpdate(ReceptionFields):
    """Change a reception."""

    reception_id: Int("the reception") = None
    version: Int("the version the client saw (409 when it moved on)") = None


class RoundCreate(Closed):
    """Meetings of one organiser grouped into a round."""

    meeting_ids: Items("the meetings", items={"type": "integer"}) = None
    title: Text("the round's title") = None


class RoundUpdate(Closed):
    """Rename a round, or record (or clear) when its results were published."""

    round_id: Int("the round") = None
    title: Text("the round's title") = None
    published_at: Instant("when the results were published (null clears it)") = None


class RoundId(Payload):
    """A round."""

    round_id: Int("the round") = None


class MeetingRef(Payload):
    """A meeting."""

    meeting_id: Int("the meeting") = None


class CommissionInput(Closed):
    """The round's pooling commission."""

    round_id: Int("the round") = None
    members: Items("{name, role, organisation}") = None


class AttendanceInput(Closed):
    """The meeting's wide-audience record."""

    meeting_id: Int("the meeting") = None
    entries: Items("{category, organisation, name?, count?}") = None


class AnnouncementInput(Closed):
    """What the announcement's draft says beyond the meeting's own fields."""

    meeting_id: Int("the meeting") = None
    template_ru: Text("a template of one's own (placeholders in {braces})") = None
    template_kk: Text("a template of one's own, in Kazakh") = None
    channels_ru: Items("where to send questions in advance", items={"type": "string"}) = None
    channels_kk: Items("the same, in Kazakh", items={"type": "string"}) = None
    questions_until: Day("the last day for questions in advance") = None
    akim_ru: Text("the akim, in Russian") = None
    akim_kk: Text("the akim, in Kazakh") = None
    place_kk: Text("the place, in Kazakh") = None
    topic_ru: Text("the topic, in Russian") = None
    topic_kk: Text("the topic, in Kazakh") = None


class CentralUpdate(Closed):
    """A central-level item's analysis; ``version`` guards against a lost update."""

    problem_id: Int("the problem") = None
    version: Int("the item's version the client saw (409 when it moved on)") = None
    analysis: Text("the analysis status") = None
    amount: Int("tenge needed (null: unknown)") = None
    proposal: Text("the proposal for solving it") = None
    body_id: Text("the central body responsible") = None
    selected: Bool("finally selected") = None


class ProgressSubmit(Closed):
    """A unit's quarterly progress report handed in."""

    organiser_id: Text("the organiser") = None
    year: Int("the year") = None
    quarter: Int("the quarter, 1 to 4") = None
    submitted_at: Instant("when it was handed in (default: now)") = None


Checked = Callable[[ActionContext, Principal, Any], Awaitable[Any]]


def fields_of(handler: Callable[[ActionContext, Principal, Any], Awaitable[Any]]) -> Checked:
    """The handler given the fields sent (as a mapping), which it checks field by field."""

    @functools.wraps(handler)
    async def run(services: ActionContext, who: Principal, cmd: Payload) -> Any:
        return await handler(services, who, cmd.model_dump(exclude_unset=True))

    return run
