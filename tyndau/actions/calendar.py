"""Calendar actions: change an organiser's calendar (draft, approve, adjust, submit, pass on) and plan
a meeting from one of its visits.

A change is checked by the pure :func:`tyndau.domain.calendar_versions.check_change` against the
stored events (its ``CalendarError.code`` becomes a 409), and every visit it touches must be in a
unit of the organiser that exists on the planned day; only then is it stored, with the projection.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from tyndau.actions import Action, ActionError
from tyndau.actions.context import ActionContext
from tyndau.actions.errors import refuse
from tyndau.actions.meetings import new_draft
from tyndau.actions.planning_payloads import CalendarChangeInput, PlanMeeting
from tyndau.actions.planning_payloads import Operation as OperationInput
from tyndau.domain.calendar_versions import (
    AddVisit,
    CalendarChange,
    CalendarError,
    CancelVisit,
    MoveVisit,
    Operation,
    PlannedVisit,
    check_change,
)
from tyndau.domain.coverage import plan_problems
from tyndau.domain.deadlines import almaty_date
from tyndau.planner.calendar_view import CalendarBundle, calendar_json, load_calendar
from tyndau.store.audit import record as audit
from tyndau.store.calendars import append_change, calendar_id, next_visit_key, visit_rows
from tyndau.store.engine import Conflict
from tyndau.store.meetings import MeetingLinks, create_meeting
from tyndau.store.people import Principal
from tyndau.timeutil import ALMATY, iso, utcnow


def organiser_id_of(value: Any) -> str:
    """The organiser id of the path (404 when it cannot be one)."""
    if not isinstance(value, str) or not 1 <= len(value) <= 60 or not all(c.isalnum() or c in "-_" for c in value):
        refuse(404, "not_found", "no such organiser")
    return value


async def bundle_of(conn: Any, organiser: Any, year: int) -> CalendarBundle:
    """The organiser's calendar of the year (404 without such an organiser)."""
    organiser_id = organiser_id_of(organiser)
    bundle = await load_calendar(conn, organiser_id, year)
    if bundle is None:
        refuse(404, "not_found", f"no organiser {organiser_id}")
    return bundle


def _operations(given: list[OperationInput], state: Any) -> tuple[Operation, ...]:
    """The change's operations; new visits get the next free ids."""
    ops: list[Operation] = []
    taken: list[str] = []
    for item in given:
        kind, day, visit_id, place, note = item.op, item.planned_on, item.visit_id, item.place_unit_id or None, item.note
        if kind == "add":
            assert day is not None
            key = next_visit_key(state, taken)
            taken.append(key)
            ops.append(AddVisit(PlannedVisit(key, day, place, note)))
        elif kind == "move":
            assert day is not None
            ops.append(MoveVisit(visit_id, day, place))
        else:
            ops.append(CancelVisit(visit_id))
    return tuple(ops)


async def change(services: ActionContext, who: Principal, cmd: CalendarChangeInput) -> dict[str, Any]:
    """Apply one change to a calendar and answer the calendar as it now stands."""
    now = utcnow()
    kind, reason, agreed, ref, seen = cmd.kind, cmd.reason, cmd.maslikhat_agreed_on, cmd.maslikhat_ref, cmd.last_seq
    async with services.engine.begin() as conn:
        bundle = await bundle_of(conn, cmd.organiser_id, cmd.year)
        ops = _operations(cmd.operations, bundle.state)
        last = bundle.state.last_seq or 0
        if seen is not None and seen != last:
            refuse(409, "stale_calendar", "someone changed the calendar meanwhile; it has been reloaded", last_seq=str(last))
        event = CalendarChange(last + 1, kind, now, who.name, reason, ops, agreed, ref)  # type: ignore[arg-type]
        try:
            after = check_change(bundle.state, event)
        except CalendarError as exc:
            raise ActionError(409, exc.code, exc.message) from None
        touched = {o.visit.id if isinstance(o, AddVisit) else o.visit_id for o in ops if not isinstance(o, CancelVisit)}
        bad = [p for p in plan_problems(after, bundle.tree, bundle.organiser.organiser()) if p.split(":", 1)[0] in touched]
        if bad:
            raise ActionError(422, "bad_place", "; ".join(bad), {"operations": bad[0]})
        cal = await calendar_id(conn, bundle.organiser.id, bundle.year, create=True, now=now)
        assert cal is not None
        try:
            await append_change(conn, cal, bundle.organiser.id, event, after)
        except Conflict:
            raise ActionError(409, "stale_calendar", "someone changed the calendar at the same moment; try again") from None
        await audit(conn, who, f"calendar.{kind}", None, {"organiser_id": bundle.organiser.id, "year": bundle.year, "seq": event.seq,
                                                          "operations": len(ops), "reason": reason[:200]})
        fresh = await load_calendar(conn, bundle.organiser.id, bundle.year)
    assert fresh is not None
    return calendar_json(fresh, almaty_date(now))


async def plan_meeting(services: ActionContext, who: Principal, cmd: PlanMeeting) -> dict[str, Any]:
    """Create the meeting of a planned visit: its organiser, unit, akim level and day come from the calendar."""
    visit_id, starts_at = cmd.visit_id, cmd.starts_at
    async with services.engine.begin() as conn:
        bundle = await bundle_of(conn, cmd.organiser_id, cmd.year)
        visit = bundle.state.visits.get(visit_id)
        if visit is None:
            refuse(404, "not_found", f"no planned visit {visit_id} in this calendar")
        row = (await visit_rows(conn, bundle.calendar_id)).get(visit_id) if bundle.calendar_id else None
        if row is None:
            refuse(404, "not_found", f"no planned visit {visit_id} in this calendar")
        done = bundle.meeting_of_visit().get(visit_id)
        if done is not None:
            raise ActionError(409, "already_planned", f"meeting {done.id} is already planned for this visit", meeting_id=int(done.id))
        if starts_at is not None and almaty_date(starts_at) != visit.planned_on:
            refuse(422, "invalid", f"the visit is planned on {visit.planned_on}; adjust the calendar to move it",
                   starts_at=f"on {visit.planned_on} (Almaty)")
        unit = bundle.tree.get(visit.place_unit_id) if visit.place_unit_id else None
        parent = bundle.tree.get(unit.parent_id) if unit and unit.parent_id else None
        place = ", ".join(u.name("ru") for u in (unit, parent) if u is not None)
        fields = {
            "title": f"Встреча с населением: {unit.name('ru')}" if unit else f"Встреча с населением: {bundle.organiser.name('ru')}",
            "title_kk": f"Халықпен кездесу: {unit.name('kk')}" if unit else f"Халықпен кездесу: {bundle.organiser.name('kk')}",
            "akim_level": bundle.organiser.level, "place": place, "planned_minutes": 120,
            "starts_at": starts_at or datetime.combine(visit.planned_on, time(10, 0), ALMATY),
            **{k: getattr(cmd, k) for k in ("planned_minutes", "title", "title_kk", "place", "akim_name", "stream_links", "announced_at")
               if k in cmd.model_fields_set},  # the meeting's own schema checks them
        }
        if isinstance(fields["starts_at"], datetime):
            fields["starts_at"] = iso(fields["starts_at"])
        draft = new_draft(fields)
        links = MeetingLinks(organiser_id=bundle.organiser.id, place_unit_id=visit.place_unit_id, calendar_visit_id=row.id)
        try:
            meeting = await create_meeting(conn, draft, links)
        except Conflict:
            raise ActionError(409, "already_planned", "a meeting was planned for this visit at the same moment") from None
        await audit(conn, who, "calendar.plan_meeting", meeting.id, {"organiser_id": bundle.organiser.id, "year": bundle.year,
                                                                     "visit_id": visit_id})
    return meeting.to_json()


ACTIONS = (
    Action("calendar.change", "planning.edit", change, CalendarChangeInput),
    Action("calendar.plan_meeting", "planning.organise", plan_meeting, PlanMeeting),
)
