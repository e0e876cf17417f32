"""The rounds API: a meeting's round, personal receptions, the commission, the wide audience, the announcement.

Thin handlers over the actions in :mod:`tyndau.actions.rounds` and :mod:`tyndau.actions.participation`;
the round's read model (:mod:`tyndau.planner.round_view`) carries the 10-day clock.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tyndau.actions import ActionError, perform, require_role
from tyndau.actions.planning_fields import READERS
from tyndau.operator_ui.auth import principal
from tyndau.operator_ui.errors import read_json
from tyndau.operator_ui.keys import SERVICES
from tyndau.live.receptions import RoundEvent, publication_clock
from tyndau.planner.round_view import clock_json, round_payload
from tyndau.store.comments import audience_of
from tyndau.store.meetings import get_meeting
from tyndau.timeutil import utcnow


def _id(request: web.Request, name: str, what: str) -> int:
    raw = request.match_info[name]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12 or int(raw) < 1:
        raise ActionError(404, "not_found", f"no {what} {raw[:20]!r}")
    return int(raw)


async def _act(request: web.Request, name: str, payload: dict[str, Any]) -> Any:
    services = request.app[SERVICES]
    return await perform(services.actions, services, principal(request), name, payload)


async def round_get(request: web.Request) -> web.Response:
    """A round: its meetings, receptions, commission and 10-day clock."""
    who = require_role(principal(request), READERS)
    async with request.app[SERVICES].engine.connect() as conn:
        body = await round_payload(conn, _id(request, "round_id", "round"), utcnow(), private=audience_of(who.role) == "private")
    if body is None:
        raise ActionError(404, "not_found", "no such round")
    return web.json_response(body)


async def meeting_round(request: web.Request) -> web.Response:
    """The round a meeting belongs to (``{"round": null, ...}`` while it has none)."""
    who = require_role(principal(request), READERS)
    meeting_id = _id(request, "meeting_id", "meeting")
    async with request.app[SERVICES].engine.connect() as conn:
        meeting = await get_meeting(conn, meeting_id)
        if meeting is None:
            raise ActionError(404, "not_found", f"no meeting {meeting_id}")
        body = None
        if meeting.links.round_id is not None:
            body = await round_payload(conn, meeting.links.round_id, utcnow(), private=audience_of(who.role) == "private")
    # Without a round yet, the meeting alone sets the 10-day clock.
    alone = publication_clock([RoundEvent(f"m{meeting.id}", "meeting", meeting.draft.starts_at, meeting.links.ended_at)], utcnow())
    return web.json_response({"meeting": meeting.to_json(), "round": body, "clock": body["clock"] if body else clock_json(alone)})


async def rounds_create(request: web.Request) -> web.Response:
    """Group meetings into a round: ``{meeting_ids, title?}``."""
    return web.json_response(await _act(request, "round.create", await read_json(request)), status=201)


async def round_patch(request: web.Request) -> web.Response:
    """Rename a round or record when it was published (``published_at``; null clears it)."""
    payload = await read_json(request)
    payload["round_id"] = _id(request, "round_id", "round")
    return web.json_response(await _act(request, "round.update", payload))


async def receptions_create(request: web.Request) -> web.Response:
    """Record a reception after a meeting (its round is created on first use); answers the round."""
    payload = await read_json(request)
    payload["meeting_id"] = _id(request, "meeting_id", "meeting")
    return web.json_response(await _act(request, "reception.record", payload), status=201)


async def reception_patch(request: web.Request) -> web.Response:
    """Change a reception (``version`` as read); answers the round with its clock."""
    payload = await read_json(request)
    payload["reception_id"] = _id(request, "reception_id", "reception")
    return web.json_response(await _act(request, "reception.update", payload))


async def commission_get(request: web.Request) -> web.Response:
    """The round's commission and its check."""
    return web.json_response(await _act(request, "round.commission_read", {"round_id": _id(request, "round_id", "round")}))


async def commission_put(request: web.Request) -> web.Response:
    """Replace the round's commission: ``{members: [{name, role, organisation}]}``."""
    payload = await read_json(request)
    payload["round_id"] = _id(request, "round_id", "round")
    return web.json_response(await _act(request, "round.commission", payload))


async def attendance_get(request: web.Request) -> web.Response:
    """The meeting's wide-audience record, its summary and its check."""
    return web.json_response(await _act(request, "meeting.attendance_read", {"meeting_id": _id(request, "meeting_id", "meeting")}))


async def attendance_put(request: web.Request) -> web.Response:
    """Replace the meeting's wide-audience record: ``{entries: [{category, organisation, name, count}]}``."""
    payload = await read_json(request)
    payload["meeting_id"] = _id(request, "meeting_id", "meeting")
    return web.json_response(await _act(request, "meeting.attendance", payload))


async def announcement(request: web.Request) -> web.Response:
    """The announcement text for the official accounts, in Russian and Kazakh (nothing is stored)."""
    payload = await read_json(request)
    payload["meeting_id"] = _id(request, "meeting_id", "meeting")
    return web.json_response(await _act(request, "meeting.announcement", payload))


async def meeting_planning(request: web.Request) -> web.Response:
    """Set the meeting's organiser and unit, or mark it as held outside the calendar."""
    payload = await read_json(request)
    payload["meeting_id"] = _id(request, "meeting_id", "meeting")
    return web.json_response(await _act(request, "meeting.planning", payload))


def setup_rounds_api(app: web.Application) -> None:
    """Mount the round, reception, commission, attendance and announcement routes."""
    r = app.router
    r.add_post("/api/v1/rounds", rounds_create)
    r.add_get("/api/v1/rounds/{round_id}", round_get)
    r.add_patch("/api/v1/rounds/{round_id}", round_patch)
    r.add_get("/api/v1/rounds/{round_id}/commission", commission_get)
    r.add_put("/api/v1/rounds/{round_id}/commission", commission_put)
    r.add_patch("/api/v1/receptions/{reception_id}", reception_patch)
    r.add_get("/api/v1/meetings/{meeting_id}/round", meeting_round)
    r.add_post("/api/v1/meetings/{meeting_id}/receptions", receptions_create)
    r.add_get("/api/v1/meetings/{meeting_id}/attendance", attendance_get)
    r.add_put("/api/v1/meetings/{meeting_id}/attendance", attendance_put)
    r.add_post("/api/v1/meetings/{meeting_id}/announcement", announcement)
    r.add_patch("/api/v1/meetings/{meeting_id}/planning", meeting_planning)
