"""Feed actions: pin to the Q&A queue, mark answered, hide (never delete), the current question,
floor questions, and the audited reveal of a comment's original text."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from tyndau.actions import Action, ActionError
from tyndau.actions.context import ActionContext
from tyndau.actions.schema import Id, MeetingId, NonBlank, Payload, Says
from tyndau.domain.comments import IncomingComment
from tyndau.domain.text_safety import AUTHOR, ORIGINAL, SCREEN, author_named, comment_text, safe, safe_text
from tyndau.live.intake import IntakeUnavailable
from tyndau.store.audit import record as audit
from tyndau.store.comments import PRIVATE_AUTHOR_KINDS, get_comments, update_comment
from tyndau.store.meetings import clear_current_comment, get_meeting, set_current_comment
from tyndau.store.people import Principal
from tyndau.timeutil import utcnow

MAX_REASON = 200
ON_SCREEN_LIMIT = 400


MAX_FLOOR_TEXT = 5000
MAX_FLOOR_NAME = 200


class CommentRef(Payload):
    """One comment of a meeting (pin, unpin, answered, unanswered, unhide, reveal: nothing else)."""

    meeting_id: MeetingId
    comment_id: Id


class Hide(CommentRef):
    """``{"reason"}``: why the comment leaves the feed (it stays in the store)."""

    reason: Annotated[str, Field(min_length=1), NonBlank, Says("required")]


class OnScreen(Payload):
    """``{"confirm_personal_data"?}``: a comment with personal data goes on screen only when confirmed."""

    meeting_id: MeetingId
    comment_id: Annotated[Id | None, Says("a positive integer or null (clears the screen)", 400, "bad_request")] = None
    confirm_personal_data: bool = False


class FloorQuestion(Payload):
    """``{"text", "author"?, "contact"?}``: the asker's name and contact stay private."""

    invalid = "the question needs a text; author and contact are strings of at most 200 characters"
    meeting_id: MeetingId
    text: Annotated[str, Field(min_length=1, max_length=MAX_FLOOR_TEXT), NonBlank,
                    Says(f"required, at most {MAX_FLOOR_TEXT} characters")]
    author: Annotated[str, Field(max_length=MAX_FLOOR_NAME)] | None = None
    contact: Annotated[str, Field(max_length=MAX_FLOOR_NAME)] | None = None


def current_question_json(row: Any | None) -> dict[str, Any] | None:
    """What the presenter screen and the stream overlay show of the current question: redacted,
    and never a hall asker's or a requester's name."""
    if row is None:
        return None
    text = safe_text(row.text, SCREEN, limit=ON_SCREEN_LIMIT)
    hidden_author = row.kind in PRIVATE_AUTHOR_KINDS or author_named(row.author or "", comment_text(row.text).names)
    return {
        "comment_id": row.id, "author": "" if hidden_author else safe(row.author, AUTHOR),
        "text": text.text, "source": row.source, "lang": row.lang, "personal_data": list(text.hidden),
    }


async def _mark(services: ActionContext, who: Principal, ref: CommentRef, verb: str, values: dict[str, Any]) -> dict[str, Any]:
    meeting_id, comment_id = ref.meeting_id, ref.comment_id
    async with services.engine.begin() as conn:
        row = await update_comment(conn, meeting_id, comment_id, **values)
        if row is None:
            raise ActionError(404, "not_found", f"no comment {comment_id} in meeting {meeting_id}")
        await audit(conn, who, f"feed.{verb}", meeting_id, {"comment_id": comment_id, **{k: str(v) for k, v in values.items()}})
    return {"comment": await services.publish_comment_update(meeting_id, row, who.role)}


async def pin(services: ActionContext, who: Principal, cmd: CommentRef) -> dict[str, Any]:
    """Put a comment in the Q&A queue."""
    return await _mark(services, who, cmd, "pin", {"pinned_at": utcnow().replace(tzinfo=None)})


async def unpin(services: ActionContext, who: Principal, cmd: CommentRef) -> dict[str, Any]:
    """Take a comment out of the Q&A queue."""
    return await _mark(services, who, cmd, "unpin", {"pinned_at": None})


async def answered(services: ActionContext, who: Principal, cmd: CommentRef) -> dict[str, Any]:
    """Mark a question answered on air."""
    return await _mark(services, who, cmd, "answered", {"answered_at": utcnow().replace(tzinfo=None)})


async def unanswered(services: ActionContext, who: Principal, cmd: CommentRef) -> dict[str, Any]:
    """Undo "answered on air"."""
    return await _mark(services, who, cmd, "unanswered", {"answered_at": None})


async def hide(services: ActionContext, who: Principal, cmd: Hide) -> dict[str, Any]:
    """Hide spam or abuse from the feed, with a reason; the comment stays in the store.

    A hidden comment that is on screen leaves the screen at once, whoever hid it.
    """
    result = await _mark(services, who, cmd, "hide", {"hidden": True, "hidden_reason": cmd.reason.strip()[:MAX_REASON]})
    meeting_id, comment_id = cmd.meeting_id, cmd.comment_id
    async with services.engine.begin() as conn:
        cleared = await clear_current_comment(conn, meeting_id, comment_id)
    if cleared:
        body = {"meeting_id": meeting_id, "question": None}
        await services.publish_clock_event(meeting_id, "current_question", body)
        await services.publish_feed_event(meeting_id, "current_question", body)
    return result


async def unhide(services: ActionContext, who: Principal, cmd: CommentRef) -> dict[str, Any]:
    """Show a hidden comment again."""
    return await _mark(services, who, cmd, "unhide", {"hidden": False, "hidden_reason": None})


async def current(services: ActionContext, who: Principal, cmd: OnScreen) -> dict[str, Any]:
    """Put a question on the presenter screen and the stream overlay (``comment_id: null`` clears)."""
    meeting_id, comment_id = cmd.meeting_id, cmd.comment_id
    async with services.engine.begin() as conn:
        if await get_meeting(conn, meeting_id) is None:
            raise ActionError(404, "not_found", f"no meeting {meeting_id}")
        row = None
        if comment_id is not None:
            rows = await get_comments(conn, [comment_id])
            row = rows[0] if rows and rows[0].meeting_id == meeting_id else None
            if row is None:
                raise ActionError(404, "not_found", f"no comment {comment_id} in meeting {meeting_id}")
            if row.hidden:
                raise ActionError(409, "hidden", "a hidden comment cannot go on screen")
            hidden = comment_text(row.text).hidden
            if hidden and not cmd.confirm_personal_data:
                raise ActionError(409, "personal_data", "the comment holds personal data; the screen will show it redacted. "
                                  "Send confirm_personal_data: true to put it on screen", personal_data=list(hidden))
        await set_current_comment(conn, meeting_id, comment_id)
        await audit(conn, who, "feed.current", meeting_id, {"comment_id": comment_id})
    body = {"meeting_id": meeting_id, "question": current_question_json(row)}
    await services.publish_clock_event(meeting_id, "current_question", body)
    await services.publish_feed_event(meeting_id, "current_question", body)
    return body


async def floor(services: ActionContext, who: Principal, cmd: FloorQuestion) -> dict[str, Any]:
    """A question asked in the hall, typed in the console; the asker's contact stays private."""
    meeting_id, text, author, contact = cmd.meeting_id, cmd.text, cmd.author or "", cmd.contact or ""
    if await get_meeting(services.engine, meeting_id) is None:
        raise ActionError(404, "not_found", f"no meeting {meeting_id}")
    comment = IncomingComment(
        source="floor", external_id=None, author=author.strip(), text=text.strip(), created_at=utcnow(), kind="floor",
        extra={"contact": contact.strip(), "typed_by": who.name} if contact.strip() else {"typed_by": who.name},
    )
    try:
        (result,) = await services.intake.submit(meeting_id, [comment])
    except IntakeUnavailable as exc:
        raise ActionError(503, "store_unavailable", str(exc)) from None
    async with services.engine.begin() as conn:
        await audit(conn, who, "feed.floor", meeting_id, {"comment_id": result.id})
    return {"id": result.id, "duplicate": result.duplicate}


async def reveal(services: ActionContext, who: Principal, cmd: CommentRef) -> dict[str, Any]:
    """The original text, author and contact of one comment, for a secretary or an admin; audited."""
    meeting_id, comment_id = cmd.meeting_id, cmd.comment_id
    async with services.engine.begin() as conn:
        rows = await get_comments(conn, [comment_id])
        row = rows[0] if rows and rows[0].meeting_id == meeting_id else None
        if row is None:
            raise ActionError(404, "not_found", f"no comment {comment_id} in meeting {meeting_id}")
        views = comment_text(row.text)
        await audit(conn, who, "feed.reveal", meeting_id, {"comment_id": comment_id, "personal_data": list(views.hidden)})
    extra = dict(row.extra or {})
    return {
        "comment_id": row.id, "text": row.text, "display": safe(row.text, ORIGINAL), "author": row.author,
        "contact": extra.get("contact") or None, "personal_data": list(views.hidden),
    }


ACTIONS = (
    Action("feed.pin", "feed.moderate", pin, CommentRef),
    Action("feed.unpin", "feed.moderate", unpin, CommentRef),
    Action("feed.answered", "feed.on_air", answered, CommentRef),
    Action("feed.unanswered", "feed.on_air", unanswered, CommentRef),
    Action("feed.hide", "feed.moderate", hide, Hide),
    Action("feed.unhide", "feed.moderate", unhide, CommentRef),
    Action("feed.current", "feed.on_air", current, OnScreen),
    Action("feed.floor", "feed.moderate", floor, FloorQuestion),
    Action("feed.reveal", "comments.private", reveal, CommentRef),
)
