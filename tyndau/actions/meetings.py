"""Meeting actions: create, edit (the plan is locked once the meeting ended), and the akim's name."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from tyndau.actions import Action, ActionError
from tyndau.actions.context import ActionContext
from tyndau.actions.schema import Closed, IdValue, Instant, MeetingId, NonBlank, Payload, Says, parse
from tyndau.domain.meeting import (
    MAX_LINK,
    MAX_LINKS,
    MAX_PLACE,
    MAX_PLANNED_MINUTES,
    MAX_TITLE,
    MEETING_LEVELS,
    MIN_PLANNED_MINUTES,
    PLAN_FIELDS,
    MeetingDraft,
)
from tyndau.store.audit import record as audit
from tyndau.store.meetings import MeetingLinks, add_amendments, create_meeting, get_meeting, update_meeting
from tyndau.store.people import Principal
from tyndau.store.scopes import own_links
from tyndau.timeutil import iso, utcnow

MAX_REASON = 500
MAX_ROUND = 500
MAX_AKIM_NAME = 200
MAX_COUNT = 100_000_000


def _links(value: list[str] | str | None) -> tuple[str, ...]:
    """Stream links: a list (or lines of a text); blanks skipped, each an http(s) URL."""
    lines = value.splitlines() if isinstance(value, str) else (value or [])
    links = tuple(line.strip() for line in lines if line.strip())
    for link in links:
        if len(link) > MAX_LINK or not link.startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) URL: {link[:80]}")
    if len(links) > MAX_LINKS:
        raise ValueError(f"at most {MAX_LINKS} links")
    return links


Title = Annotated[str, Field(min_length=1, max_length=MAX_TITLE), NonBlank]
Text = Annotated[str, Field(max_length=MAX_TITLE)] | None
Minutes = Annotated[int, Field(ge=MIN_PLANNED_MINUTES, le=MAX_PLANNED_MINUTES),
                    Says(f"a whole number of minutes from {MIN_PLANNED_MINUTES} to {MAX_PLANNED_MINUTES}")]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)] | None | Literal[""]
Links = Annotated[Annotated[list[Annotated[str, Field(max_length=MAX_LINK)]], Field(max_length=MAX_LINKS)] | str | None,
                  AfterValidator(_links), Field(description="http(s) links of the streams (a list, or one per line)")]


class MeetingChanges(Closed):
    """Some fields of a meeting (what a PATCH may send)."""

    invalid = "the meeting has invalid fields"
    # Absent fields keep their value; the required ones may not be null.
    title: Title = None  # type: ignore[assignment]
    title_kk: Annotated[Text, Field(description="the title in Kazakh (the Kazakh presenter screen and package)")] = None
    akim_level: Literal[MEETING_LEVELS] = None  # type: ignore[assignment]
    place: Annotated[str, Field(max_length=MAX_PLACE)] | None = None
    starts_at: Instant = None  # type: ignore[assignment]
    planned_minutes: Minutes = None  # type: ignore[assignment]
    announced_at: Instant | None | Literal[""] = None
    stream_links: Links = None
    akim_name: Annotated[str, Field(max_length=MAX_AKIM_NAME)] | None = None
    attendance: Count = None
    online_reach: Count = None

    def changes(self) -> dict[str, Any]:
        """The fields sent, as a :class:`MeetingDraft` keeps them (texts trimmed, blanks as None or "")."""
        out: dict[str, Any] = {}
        for name in self.model_fields_set & set(MeetingChanges.model_fields):
            value = getattr(self, name)
            if name in ("title", "title_kk", "place", "akim_name"):
                value = (value or "").strip()
            elif name in ("announced_at", "attendance", "online_reach") and value == "":
                value = None
            elif name == "stream_links":
                value = tuple(value or ())
            out[name] = value
        return out


class MeetingInput(MeetingChanges):
    """A new meeting: title, akim level, start and planned duration are required."""

    title: Title
    akim_level: Literal[MEETING_LEVELS]
    starts_at: Instant
    planned_minutes: Minutes

    def draft(self) -> MeetingDraft:
        """The validated meeting, checked against the announcement rule's order of dates."""
        values: dict[str, Any] = {"place": "", "announced_at": None, "stream_links": (), "akim_name": "", "title_kk": "",
                                  **self.changes()}
        return _ordered(MeetingDraft(**values))


class MeetingPatch(MeetingChanges):
    """Change some fields of a meeting; after it ended a plan field needs ``amend_reason``."""

    meeting_id: MeetingId
    amend_reason: Annotated[Annotated[str, Field(max_length=MAX_REASON)] | None, Field(description=(
        "after the meeting ended, a change of planned_minutes, starts_at, akim_level or announced_at needs a reason "
        "(else 409 plan_locked) and is kept as an amendment"))] = None


class AkimName(Payload):
    """``{"meeting_ids": [..], "akim_name"}``: the package's "Аким" line for a round."""

    invalid = f"the akim's name is a text of at most {MAX_AKIM_NAME} characters"

    meeting_ids: Annotated[list[IdValue], Field(min_length=1, max_length=MAX_ROUND), Says("a list of meeting ids", 400, "bad_request")]
    akim_name: Annotated[str, Field(max_length=MAX_AKIM_NAME), Says(f"a name of at most {MAX_AKIM_NAME} characters")]


def _ordered(draft: MeetingDraft) -> MeetingDraft:
    """The announcement cannot come after the meeting starts."""
    if draft.announced_at is not None and draft.announced_at > draft.starts_at:
        raise ActionError(422, "invalid", MeetingChanges.invalid, {"announced_at": "cannot be after the meeting starts"})
    return draft


def new_draft(fields: Mapping[str, Any]) -> MeetingDraft:
    """A meeting from plain fields (the demo and imports), with the API's checks and errors."""
    return parse(MeetingInput, fields).draft()


async def create(services: ActionContext, who: Principal, cmd: MeetingInput) -> dict[str, Any]:
    """Create a meeting."""
    draft = cmd.draft()
    async with services.engine.begin() as conn:
        links = None
        if who.scope is not None:  # a scoped user's meeting is its own unit's (or its body's)
            links = MeetingLinks(**await own_links(conn, who.scope, utcnow()))
        meeting = await create_meeting(conn, draft, links)
        await audit(conn, who, "meeting.create", meeting.id, {"title": draft.title})
    return meeting.to_json()


def _plain(value: Any) -> Any:
    return iso(value) if isinstance(value, datetime) else value


async def update(services: ActionContext, who: Principal, cmd: MeetingPatch) -> dict[str, Any]:
    """Edit a meeting: some fields change, the others keep their values.

    After the meeting has ended, a plan field (duration, start, akim level, announcement) changes
    only with ``amend_reason``: the change is then kept as an amendment (who, when, old → new, why)
    that the timing record and the package show. Without a reason it is refused (409 plan_locked).
    """
    meeting_id, reason = cmd.meeting_id, cmd.amend_reason
    fields = cmd.changes()
    try:
        _, clock = await services.clock.snapshot(meeting_id)
    except LookupError:
        raise ActionError(404, "not_found", f"no meeting {meeting_id}") from None
    ended = clock["phase"] == "ended"
    async with services.engine.begin() as conn:
        current = await get_meeting(conn, meeting_id)
        if current is None:
            raise ActionError(404, "not_found", f"no meeting {meeting_id}")
        draft = _ordered(dataclasses.replace(current.draft, **fields))
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


async def akim_name(services: ActionContext, who: Principal, cmd: AkimName) -> dict[str, Any]:
    """Set the akim's name once for the meetings of a round (the package's "Аким" line)."""
    ids, clean = cmd.meeting_ids, " ".join(cmd.akim_name.split())
    out = []
    async with services.engine.begin() as conn:
        for meeting_id in sorted(set(ids)):
            current = await get_meeting(conn, meeting_id)
            if current is None:
                raise ActionError(404, "not_found", f"no meeting {meeting_id}")
            meeting = await update_meeting(conn, meeting_id, dataclasses.replace(current.draft, akim_name=clean))
            assert meeting is not None
            await audit(conn, who, "meeting.akim_name", meeting_id, {"akim_name": clean})
            out.append(meeting.to_json())
    for body in out:
        await services.publish_clock_event(body["id"], "meeting", body)
    return {"meetings": out}


ACTIONS = (
    Action("meeting.create", "meeting.edit", create, MeetingInput),
    Action("meeting.update", "meeting.edit", update, MeetingPatch),
    Action("meeting.akim_name", "report.export", akim_name, AkimName),
)
