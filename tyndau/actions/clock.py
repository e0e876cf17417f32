"""Clock actions: switch phases, undo, and the presenter-screen message."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from tyndau.actions import Action, ActionError
from tyndau.actions.context import ActionContext
from tyndau.actions.schema import MeetingId, Payload, Says
from tyndau.domain.clock import ACTIONS as CLOCK_ACTIONS
from tyndau.domain.clock import ClockError
from tyndau.live.clock_service import MeetingNotFound
from tyndau.store.audit import record as audit
from tyndau.store.meetings import MAX_PRESENTER_MESSAGE, set_presenter_message
from tyndau.store.people import Principal

STATUS = {"stale_version": 409, "invalid_transition": 409, "nothing_to_undo": 409, "unknown_action": 400}
Version = Annotated[int, Field(ge=0, le=2**53, description="the clock version the client saw; stale versions get 409")]
CommandId = Annotated[str, Field(min_length=1, max_length=64, description="idempotency key: a repeated command is applied once")]


class ClockCommand(Payload):
    """``{"action", "version"?, "command_id"?}``."""

    meeting_id: MeetingId
    action: Annotated[Literal[CLOCK_ACTIONS], Says("one of " + ", ".join(CLOCK_ACTIONS), 400, "unknown_action")]
    version: Annotated[Version | None, Says("a non-negative integer", 400, "bad_request")] = None
    command_id: Annotated[CommandId | None, Says("a string of 1 to 64 characters", 400, "bad_request")] = None


class PresenterMessage(Payload):
    """``{"text"}``: an empty text clears the message."""

    meeting_id: MeetingId
    text: Annotated[str, Field(max_length=MAX_PRESENTER_MESSAGE)]


async def switch(services: ActionContext, who: Principal, cmd: ClockCommand) -> dict[str, Any]:
    """Switch phase or undo (idempotent on ``command_id``, guarded by ``version``)."""
    meeting_id = cmd.meeting_id
    try:
        outcome = await services.clock.command(who, meeting_id, cmd.action, version=cmd.version, command_id=cmd.command_id)
    except MeetingNotFound:
        raise ActionError(404, "not_found", f"no meeting {meeting_id}") from None
    except ClockError as exc:
        _, clock = await services.clock.snapshot(meeting_id)
        raise ActionError(STATUS.get(exc.code, 409), exc.code, exc.message, clock=clock) from None
    return {"clock": outcome.clock, "changed": outcome.changed}


async def presenter_message(services: ActionContext, who: Principal, cmd: PresenterMessage) -> dict[str, Any]:
    """Show (or clear, with an empty text) a short message on the presenter screen."""
    meeting_id, text = cmd.meeting_id, " ".join(cmd.text.split())
    async with services.engine.begin() as conn:
        meeting = await set_presenter_message(conn, meeting_id, text)
        if meeting is None:
            raise ActionError(404, "not_found", f"no meeting {meeting_id}")
        await audit(conn, who, "presenter.message", meeting_id, {"text": text})
    body = {"meeting_id": meeting_id, "text": text, "at": meeting.to_json()["presenter_message_at"]}
    await services.publish_clock_event(meeting_id, "presenter_message", body)
    return body


ACTIONS = (
    Action("clock.command", "clock.run", switch, ClockCommand),
    Action("presenter.message", "clock.run", presenter_message, PresenterMessage),
)
