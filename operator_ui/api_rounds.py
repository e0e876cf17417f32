"""The rounds API: a meeting's round, personal receptions, the commission, the wide audience, the announcement.

Thin handlers over the actions in :mod:`tyndau.actions.rounds` and :mod:`tyndau.actions.participation`;
the round's read model (:mod:`tyndau.planner.round_view`) carries the 10-day clock.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tyndau.actions import ActionError, perform
from tyndau.domain.receptions import RoundEvent, publication_clock
from tyndau.operator_ui.auth import principal
from tyndau.operator_ui.keys import SERVICES
from tyndau.operator_ui.routes import Route, action_route, caller, mount, path_id
from tyndau.permissions import audience_of
from tyndau.planner.round_view import clock_json, round_payload
from tyndau.store.meetings import get_meeting
from tyndau.timeutil import utcnow


async def _act(request: web.Request, name: str, payload: dict[str, Any]) -> Any:
    services = request.app[SERVICES]
    return await perform(services.actions, services, principal(request), name, payload)


async def round_get(request: web.Request) -> web.Response:
    """A round: its meetings, receptions, commission and 10-day clock."""
    who = caller(request)
    async with request.app[SERVICES].engine.connect() as conn:
        body = await round_payload(conn, path_id(request, "round_id"), utcnow(), private=audience_of(who.role) == "private")
    if body is None:
        raise ActionError(404, "not_found", "no such round")
    return web.json_response(body)


async def meeting_round(request: web.Request) -> web.Response:
    """The round a meeting belongs to (``{"round": null, ...}`` while it has none)."""
    who = caller(request)
    meeting_id = path_id(request, "meeting_id")
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


async def commission_get(request: web.Request) -> web.Response:
    """The round's commission and its check."""
    return web.json_response(await _act(request, "round.commission_read", {"round_id": path_id(request, "round_id")}))


async def attendance_get(request: web.Request) -> web.Response:
    """The meeting's wide-audience record, its summary and its check."""
    return web.json_response(await _act(request, "meeting.attendance_read", {"meeting_id": path_id(request, "meeting_id")}))


def routes() -> list[Route]:
    """The round, reception, commission, attendance and announcement routes."""
    read = {"capability": "planning.read", "errors": (404,)}
    meeting = "/api/v1/meetings/{meeting_id}"
    return [
        action_route("/api/v1/rounds", "round.create", tag="planning", status=201, errors=(404, 409),
                     summary="Group meetings into a round: {meeting_ids, title?}"),
        Route("GET", "/api/v1/rounds/{round_id}", round_get, "planning", **read),
        action_route("/api/v1/rounds/{round_id}", "round.update", tag="planning", method="PATCH", errors=(404,),
                     summary="Rename a round or record when it was published (published_at; null clears it)"),
        Route("GET", "/api/v1/rounds/{round_id}/commission", commission_get, "planning", **read),
        action_route("/api/v1/rounds/{round_id}/commission", "round.commission", tag="planning", method="PUT", errors=(404,),
                     summary="Replace the round's commission: {members: [{name, role, organisation}]}"),
        action_route("/api/v1/receptions/{reception_id}", "reception.update", tag="planning", method="PATCH", errors=(404, 409),
                     summary="Change a reception (version as read); answers the round with its clock"),
        Route("GET", f"{meeting}/round", meeting_round, "planning", **read),
        action_route(f"{meeting}/receptions", "reception.record", tag="planning", status=201, errors=(404,),
                     summary="Record a reception after a meeting (its round is created on first use); answers the round"),
        Route("GET", f"{meeting}/attendance", attendance_get, "planning", **read),
        action_route(f"{meeting}/attendance", "meeting.attendance", tag="planning", method="PUT", errors=(404,),
                     summary="Replace the meeting's wide-audience record: {entries: [{category, organisation, name, count}]}"),
        action_route(f"{meeting}/announcement", "meeting.announcement", tag="planning", errors=(404,),
                     summary="The announcement text for the official accounts, in Russian and Kazakh (nothing is stored)"),
        action_route(f"{meeting}/planning", "meeting.planning", tag="planning", method="PATCH", errors=(404,),
                     summary="Set the meeting's organiser and unit, or mark it as held outside the calendar"),
    ]


def setup_rounds_api(app: web.Application) -> None:
    """Mount the round, reception, commission, attendance and announcement routes."""
    mount(app, routes())
