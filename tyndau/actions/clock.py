"""Clock actions: switch phases, undo, and the presenter-screen message."""

from __future__ import annotations

from typing import Any, Mapping

from tyndau.actions import Action, ActionError, meeting_id_of
from tyndau.live.clock import ACTIONS as CLOCK_ACTIONS, ClockError
from tyndau.live.clock_service import MeetingNotFound
from tyndau.store.audit import record as audit
from tyndau.store.meetings import MAX_PRESENTER_MESSAGE, set_presenter_message
from tyndau.store.people import Principal

STATUS = {"stale_version": 409, "invalid_transition": 409, "nothing_to_undo": 409, "unknown_action": 400}


async def switch(services: Any, who: Principal, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Apply a clock command (idempotent on ``command_id``, guarded by ``version``)."""
    meeting_id = meeting_id_of(payload)
    action = payload.get("action")
    if not isinstance(action, str) or action not in CLOCK_ACTIONS:
        raise ActionError(400, "unknown_action", f"action must be one of {', '.join(CLOCK_ACTIONS)}", {"action": "unknown action"})
    version = payload.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int) or version < 0):
        raise ActionError(400, "bad_request", "version must be a non-negative integer", {"version": "a non-negative integer"})
    command_id = payload.get("command_id")
    if command_id is not None and (not isinstance(command_id, str) or not 1 <= len(command_id) <= 64):
        raise ActionError(400, "bad_request", "command_id must be a string of 1 to 64 characters", {"command_id": "1 to 64 characters"})
    try:
        outcome = await services.clock.command(who, meeting_id, action, version=version, command_id=command_id)
    except MeetingNotFound:
        raise ActionError(404, "not_found", f"no meeting {meeting_id}") from None
    except ClockError as exc:
        _, clock = await services.clock.snapshot(meeting_id)
        raise ActionError(STATUS.get(exc.code, 409), exc.code, exc.message, clock=clock) from None
    return {"clock": outcome.clock, "changed": outcome.changed}


async def presenter_message(services: Any, who: Principal, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Show (or clear, with an empty text) a short message on the presenter screen."""
    meeting_id = meeting_id_of(payload)
    text = payload.get("text")
    if not isinstance(text, str):
        raise ActionError(422, "invalid", "text is required: a string (empty clears the message)", {"text": "a string"})
    text = " ".join(text.split())
    if len(text) > MAX_PRESENTER_MESSAGE:
        raise ActionError(422, "invalid", f"the message is longer than {MAX_PRESENTER_MESSAGE} characters", {"text": "too long"})
    async with services.engine.begin() as conn:
        meeting = await set_presenter_message(conn, meeting_id, text)
        if meeting is None:
            raise ActionError(404, "not_found", f"no meeting {meeting_id}")
        await audit(conn, who, "presenter.message", meeting_id, {"text": text})
    body = {"meeting_id": meeting_id, "text": text, "at": meeting.to_json()["presenter_message_at"]}
    await services.publish_clock_event(meeting_id, "presenter_message", body)
    return body


ACTIONS = (
    Action("clock.command", "clock.run", switch),
    Action("presenter.message", "clock.run", presenter_message),
)
