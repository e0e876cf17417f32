"""Meeting actions: create and edit."""

from __future__ import annotations

from typing import Any, Mapping

from tyndau.actions import Action, ActionError, meeting_id_of
from tyndau.live.meeting import MeetingInvalid, validate_meeting
from tyndau.store.audit import record as audit
from tyndau.store.meetings import create_meeting, get_meeting, update_meeting
from tyndau.store.people import Principal

EDITORS = frozenset({"admin", "moderator"})


async def create(services: Any, who: Principal, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Create a meeting from validated fields."""
    try:
        draft = validate_meeting(payload)
    except MeetingInvalid as exc:
        raise ActionError(422, "invalid", "the meeting has invalid fields", exc.fields) from None
    async with services.engine.begin() as conn:
        meeting = await create_meeting(conn, draft)
        await audit(conn, who, "meeting.create", meeting.id, {"title": draft.title})
    return meeting.to_json()


async def update(services: Any, who: Principal, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Change some fields of a meeting; the others keep their values."""
    meeting_id = meeting_id_of(payload)
    fields = {k: v for k, v in payload.items() if k != "meeting_id"}
    async with services.engine.begin() as conn:
        current = await get_meeting(conn, meeting_id)
        if current is None:
            raise ActionError(404, "not_found", f"no meeting {meeting_id}")
        try:
            draft = validate_meeting(fields, base=current.draft)
        except MeetingInvalid as exc:
            raise ActionError(422, "invalid", "the meeting has invalid fields", exc.fields) from None
        meeting = await update_meeting(conn, meeting_id, draft)
        assert meeting is not None
        await audit(conn, who, "meeting.update", meeting_id, {"fields": sorted(fields)})
    body = meeting.to_json()
    await services.publish_clock_event(meeting_id, "meeting", body)
    await services.publish_clock(meeting_id)
    return body


ACTIONS = (
    Action("meeting.create", EDITORS, create),
    Action("meeting.update", EDITORS, update),
)
