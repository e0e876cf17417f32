"""Meeting actions: create, edit (the plan is locked once the meeting ended), and the akim's name."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from tyndau.actions import Action, ActionError, meeting_id_of
from tyndau.live.meeting import PLAN_FIELDS, MeetingInvalid, validate_meeting
from tyndau.store.audit import record as audit
from tyndau.store.meetings import MeetingLinks, add_amendments, create_meeting, get_meeting, update_meeting
from tyndau.store.people import Principal
from tyndau.store.scopes import own_links
from tyndau.timeutil import iso, utcnow

EDITORS = frozenset({"admin", "moderator"})
REPORTERS = frozenset({"admin", "moderator", "secretary"})
MAX_REASON = 500
MAX_ROUND = 500


async def create(services: Any, who: Principal, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Create a meeting from validated fields."""
    try:
        draft = validate_meeting(payload)
    except MeetingInvalid as exc:
        raise ActionError(422, "invalid", "the meeting has invalid fields", exc.fields) from None
    async with services.engine.begin() as conn:
        links = None
        if who.scope is not None:  # a scoped user's meeting is its own unit's (or its body's)
            links = MeetingLinks(**await own_links(conn, who.scope, utcnow()))
        meeting = await create_meeting(conn, draft, links)
        await audit(conn, who, "meeting.create", meeting.id, {"title": draft.title})
    return meeting.to_json()


def _plain(value: Any) -> Any:
    return iso(value) if isinstance(value, datetime) else value


async def update(services: Any, who: Principal, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Change some fields of a meeting; the others keep their values.

    After the meeting has ended, a plan field (duration, start, akim level, announcement) changes
    only with ``amend_reason``: the change is then kept as an amendment (who, when, old → new, why)
    that the timing record and the package show. Without a reason it is refused (409 plan_locked).
    """
    meeting_id = meeting_id_of(payload)
    reason = payload.get("amend_reason")
    fields = {k: v for k, v in payload.items() if k not in ("meeting_id", "amend_reason")}
    if reason is not None and (not isinstance(reason, str) or len(reason) > MAX_REASON):
        raise ActionError(422, "invalid", "amend_reason must be a short text", {"amend_reason": f"a text of at most {MAX_REASON} characters"})
    try:
        _, clock = await services.clock.snapshot(meeting_id)
    except LookupError:
        raise ActionError(404, "not_found", f"no meeting {meeting_id}") from None
    ended = clock["phase"] == "ended"
    async with services.engine.begin() as conn:
        current = await get_meeting(conn, meeting_id)
        if current is None:
            raise ActionError(404, "not_found", f"no meeting {meeting_id}")
        try:
            draft = validate_meeting(fields, base=current.draft)
        except MeetingInvalid as exc:
            raise ActionError(422, "invalid", "the meeting has invalid fields", exc.fields) from None
        changed = [(name, _plain(getattr(current.draft, name)), _plain(getattr(draft, name)))
                   for name in PLAN_FIELDS if getattr(current.draft, name) != getattr(draft, name)]
        if ended and changed:
            if not (reason or "").strip():
                raise ActionError(409, "plan_locked", "the meeting has ended: its plan is part of the record; give amend_reason to change it visibly",
                                  {name: "locked after the meeting ended" for name, _, _ in changed})
            await add_amendments(conn, meeting_id, f"{who.name}", " ".join(str(reason).split()), changed)
        meeting = await update_meeting(conn, meeting_id, draft)
        assert meeting is not None
        detail: dict[str, Any] = {"fields": sorted(fields)}
        if ended and changed:
            detail["amended"] = [{"field": n, "old": o, "new": v} for n, o, v in changed]
            detail["reason"] = reason
        await audit(conn, who, "meeting.update", meeting_id, detail)
    body = meeting.to_json()
    await services.publish_clock_event(meeting_id, "meeting", body)
    await services.publish_clock(meeting_id)
    return body


async def akim_name(services: Any, who: Principal, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Set the akim's name once for a round (every listed meeting): the package's "Аким" line."""
    ids = payload.get("meeting_ids")
    name = payload.get("akim_name")
    if not isinstance(ids, list) or not ids or len(ids) > MAX_ROUND or not all(isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in ids):
        raise ActionError(400, "bad_request", "meeting_ids must be a non-empty list of meeting ids", {"meeting_ids": "a list of ids"})
    if not isinstance(name, str) or len(name) > 200:
        raise ActionError(422, "invalid", "the akim's name is a text of at most 200 characters", {"akim_name": "at most 200 characters"})
    clean = " ".join(name.split())
    out = []
    async with services.engine.begin() as conn:
        for meeting_id in sorted(set(ids)):
            current = await get_meeting(conn, meeting_id)
            if current is None:
                raise ActionError(404, "not_found", f"no meeting {meeting_id}")
            draft = validate_meeting({"akim_name": clean}, base=current.draft)
            meeting = await update_meeting(conn, meeting_id, draft)
            assert meeting is not None
            await audit(conn, who, "meeting.akim_name", meeting_id, {"akim_name": clean})
            out.append(meeting.to_json())
    for body in out:
        await services.publish_clock_event(body["id"], "meeting", body)
    return {"meetings": out}


ACTIONS = (
    Action("meeting.create", EDITORS, create),
    Action("meeting.update", EDITORS, update),
    Action("meeting.akim_name", REPORTERS, akim_name),
)
