"""Organiser actions: the akimat of a unit or a central body as an organiser, and a meeting's place in the year.

A meeting keeps working without any of this (every link is optional); once it names an organiser
it counts in that organiser's coverage, and it is either a calendar visit or marked as held outside
the calendar with a reason the rules allow (on the population's demand; where social tension is a
risk — for a central body only the latter).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tyndau.actions import Action, ActionError
from tyndau.actions.context import ActionContext
from tyndau.actions.planning_fields import Fields, meeting_id_of, refuse
from tyndau.actions.planning_payloads import MeetingPlanning, OrganiserCreate, fields_of
from tyndau.domain.coverage import OFF_CALENDAR_REASONS
from tyndau.live.central_bodies import load_exempt_bodies, off_schedule_allowed
from tyndau.store.audit import record as audit
from tyndau.store.meetings import get_meeting, set_links
from tyndau.store.organisers import create_central_body, ensure_akimat, get_organiser
from tyndau.store.people import Principal
from tyndau.store.units import get_unit, load_tree
from tyndau.timeutil import utcnow

BODY_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")


async def create(services: ActionContext, who: Principal, payload: Mapping[str, Any]) -> dict[str, Any]:
    """``{"unit_id"}``: the akimat of a unit; ``{"kind": "central_body", "id", "name_ru", "name_kk"}``: a ministry."""
    f = Fields(payload, known=("kind", "unit_id", "id", "name_ru", "name_kk"))
    kind = f.choice("kind", ("akimat", "central_body"), required=False) or "akimat"
    now = utcnow()
    if kind == "akimat":
        unit_id = f.text("unit_id", 40, required=True)
        f.done("the organiser has invalid fields")
        async with services.engine.begin() as conn:
            unit = await get_unit(conn, unit_id)
            if unit is None:
                refuse(404, "not_found", f"no unit {unit_id}", unit_id="unknown unit")
            if unit.akim_level is None:
                refuse(422, "no_akim", f"a {unit.kind} has no akim of its own", unit_id="a unit with an akim")
            record = await ensure_akimat(conn, unit, now)
            await audit(conn, who, "organiser.create", None, {"organiser_id": record.id})
        return record.to_json()
    body_id = f.text("id", 60, required=True)
    if body_id and not BODY_ID.fullmatch(body_id):
        f.fail("id", "lower-case letters, digits, - and _")
    name_ru, name_kk = f.text("name_ru", 300, required=True), f.text("name_kk", 300, required=True)
    f.done("the organiser has invalid fields")
    exempt = any(b.id == body_id for b in load_exempt_bodies())
    async with services.engine.begin() as conn:
        if await get_organiser(conn, body_id) is not None:
            refuse(409, "exists", f"there is an organiser {body_id} already", id="taken")
        record = await create_central_body(conn, body_id, name_ru, name_kk, exempt=exempt, now=now)
        await audit(conn, who, "organiser.create", None, {"organiser_id": record.id, "kind": "central_body"})
    return record.to_json()


async def planning(services: ActionContext, who: Principal, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Set a meeting's organiser and place unit, or mark it as held outside the calendar (with its reason)."""
    meeting_id = meeting_id_of(payload)
    f = Fields(payload, known=("meeting_id", "organiser_id", "place_unit_id", "off_calendar_reason"))
    organiser_id = f.text("organiser_id", 60) or None
    place = f.text("place_unit_id", 40) or None
    reason = f.choice("off_calendar_reason", OFF_CALENDAR_REASONS, required=False)
    f.done("the meeting's planning fields are invalid")
    async with services.engine.begin() as conn:
        meeting = await get_meeting(conn, meeting_id)
        if meeting is None:
            refuse(404, "not_found", f"no meeting {meeting_id}")
        organiser = await get_organiser(conn, organiser_id) if organiser_id else None
        if organiser_id and organiser is None:
            refuse(422, "invalid", f"no organiser {organiser_id}", organiser_id="unknown organiser")
        if place is not None:
            tree = await load_tree(conn)
            if place not in tree:
                refuse(422, "invalid", f"no unit {place}", place_unit_id="unknown unit")
            if organiser is not None and organiser.unit_id and not tree.is_within(place, organiser.unit_id):
                refuse(422, "invalid", f"{place} is not within the organiser's unit", place_unit_id="outside the organiser's unit")
        if reason is not None:
            if meeting.links.calendar_visit_id is not None:
                refuse(409, "in_calendar", "the meeting realises a calendar visit; it is not outside the calendar")
            level = organiser.level if organiser else meeting.draft.akim_level
            if not off_schedule_allowed(level, reason):
                refuse(422, "invalid", f"{reason} is not a reason the rules allow for this organiser", off_calendar_reason="not allowed")
        if meeting.links.calendar_visit_id is not None and organiser_id != meeting.links.organiser_id:
            raise ActionError(409, "in_calendar", "a meeting of the calendar keeps its organiser")
        await set_links(conn, meeting_id, organiser_id=organiser_id, place_unit_id=place, off_calendar_reason=reason)
        await audit(conn, who, "meeting.planning", meeting_id, {"organiser_id": organiser_id, "place_unit_id": place,
                                                                 "off_calendar_reason": reason})
        fresh = await get_meeting(conn, meeting_id)
    assert fresh is not None
    return fresh.to_json()


ACTIONS = (
    Action("organiser.create", "planning.edit", fields_of(create), OrganiserCreate),
    Action("meeting.planning", "planning.organise", fields_of(planning), MeetingPlanning),
)
