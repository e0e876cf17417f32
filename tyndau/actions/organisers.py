"""Organiser actions: the akimat of a unit or a central body as an organiser, and a meeting's place in the year.

A meeting keeps working without any of this (every link is optional); once it names an organiser
it counts in that organiser's coverage, and it is either a calendar visit or marked as held outside
the calendar with a reason the rules allow (on the population's demand; where social tension is a
risk — for a central body only the latter).
"""

from __future__ import annotations

from typing import Any

from tyndau.actions import Action, ActionError
from tyndau.actions.context import ActionContext
from tyndau.actions.errors import refuse
from tyndau.actions.planning_payloads import MeetingPlanning, OrganiserCreate
from tyndau.live.central_bodies import load_exempt_bodies, off_schedule_allowed
from tyndau.store.audit import record as audit
from tyndau.store.meetings import get_meeting, set_links
from tyndau.store.organisers import create_central_body, ensure_akimat, get_organiser
from tyndau.store.people import Principal
from tyndau.store.units import get_unit, load_tree
from tyndau.timeutil import utcnow


async def create(services: ActionContext, who: Principal, cmd: OrganiserCreate) -> dict[str, Any]:
    """``{"unit_id"}``: the akimat of a unit; ``{"kind": "central_body", "id", "name_ru", "name_kk"}``: a ministry."""
    now = utcnow()
    if (cmd.kind or "akimat") == "akimat":
        unit_id = cmd.unit_id
        async with services.engine.begin() as conn:
            unit = await get_unit(conn, unit_id)
            if unit is None:
                refuse(404, "not_found", f"no unit {unit_id}", unit_id="unknown unit")
            if unit.akim_level is None:
                refuse(422, "no_akim", f"a {unit.kind} has no akim of its own", unit_id="a unit with an akim")
            record = await ensure_akimat(conn, unit, now)
            await audit(conn, who, "organiser.create", None, {"organiser_id": record.id})
        return record.to_json()
    body_id, name_ru, name_kk = cmd.id, cmd.name_ru, cmd.name_kk
    exempt = any(b.id == body_id for b in load_exempt_bodies())
    async with services.engine.begin() as conn:
        if await get_organiser(conn, body_id) is not None:
            refuse(409, "exists", f"there is an organiser {body_id} already", id="taken")
        record = await create_central_body(conn, body_id, name_ru, name_kk, exempt=exempt, now=now)
        await audit(conn, who, "organiser.create", None, {"organiser_id": record.id, "kind": "central_body"})
    return record.to_json()


async def planning(services: ActionContext, who: Principal, cmd: MeetingPlanning) -> dict[str, Any]:
    """Set a meeting's organiser and place unit, or mark it as held outside the calendar (with its reason)."""
    meeting_id, reason = cmd.meeting_id, cmd.off_calendar_reason
    organiser_id, place = cmd.organiser_id or None, cmd.place_unit_id or None
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
    Action("organiser.create", "planning.edit", create, OrganiserCreate),
    Action("meeting.planning", "planning.organise", planning, MeetingPlanning),
)
