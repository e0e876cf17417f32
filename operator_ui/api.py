"""The HTTP API under ``/api/v1``: meetings, the clock, the timing record, the audit log and the
document describing it all; thin handlers over the named actions."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tyndau.actions import ActionError, perform
from tyndau.domain.meeting import NOTICE_DAYS
from tyndau.live.clock_service import MeetingNotFound
from tyndau.live.clock_view import timing_csv
from tyndau.operator_ui.api_shapes import Clock, Meeting, MeetingList, Timing
from tyndau.operator_ui.auth import principal
from tyndau.operator_ui.errors import read_json
from tyndau.operator_ui.keys import ROUTES, SERVICES
from tyndau.operator_ui.openapi import spec
from tyndau.operator_ui.pages import merged_catalogue
from tyndau.operator_ui.query import LangQuery, Query, whole
from tyndau.operator_ui.routes import MAX_PATH_ID, Reply, Route, action_route, caller, mount, path_id, query
from tyndau.permissions import ROLES
from tyndau.permissions import as_json as permission_table
from tyndau.store.audit import entries as audit_entries
from tyndau.store.meetings import get_meeting, list_meetings
from tyndau.timeutil import iso, utcnow

MeetingParam = whole(1, MAX_PATH_ID)


class AuditQuery(Query):
    """``?meeting_id=``: one meeting's entries."""

    meeting_id: MeetingParam = None


async def _act(request: web.Request, name: str, payload: dict[str, Any]) -> Any:
    services = request.app[SERVICES]
    return await perform(services.actions, services, principal(request), name, payload)


async def healthz(request: web.Request) -> web.Response:
    """Liveness and store check (for load balancers)."""
    services = request.app[SERVICES]
    async with services.engine.connect() as conn:
        await conn.exec_driver_sql("SELECT 1")
    return web.json_response({"ok": True, "database": services.engine.dialect.name, "boot": services.time.boot_id})


async def meta(request: web.Request) -> web.Response:
    """Akim levels, thresholds, the caller, and who may do what (the permission table)."""
    return web.json_response({
        "akim_levels": [{"id": k, "notice_days": v} for k, v in NOTICE_DAYS.items()],
        "warning_ratio": request.app[SERVICES].settings.warning_ratio,
        "user": caller(request).to_json(),
        "roles": list(ROLES),
        "permissions": permission_table(),
        "server_time": iso(utcnow()),
    })


async def me(request: web.Request) -> web.Response:
    """The caller."""
    return web.json_response({"user": caller(request).to_json()})


async def meetings_list(request: web.Request) -> web.Response:
    """List meetings, newest first (those in the caller's scope)."""
    items = await list_meetings(request.app[SERVICES].engine, scope=caller(request).scope)
    return web.json_response({"items": [m.to_json() for m in items]})


async def meetings_create(request: web.Request) -> web.Response:
    """Create a meeting; 201 with the meeting."""
    body = await _act(request, "meeting.create", await read_json(request))
    return web.json_response(body, status=201, headers={"Location": f"/api/v1/meetings/{body['id']}"})


async def meeting_get(request: web.Request) -> web.Response:
    """One meeting."""
    meeting = await get_meeting(request.app[SERVICES].engine, path_id(request, "meeting_id"))
    if meeting is None:
        raise ActionError(404, "not_found", "no such meeting")
    return web.json_response(meeting.to_json())


async def meeting_patch(request: web.Request) -> web.Response:
    """Edit some fields of a meeting."""
    payload = await read_json(request)
    payload["meeting_id"] = path_id(request, "meeting_id")
    return web.json_response(await _act(request, "meeting.update", payload))


async def clock_get(request: web.Request) -> web.Response:
    """The clock now."""
    try:
        _, view = await request.app[SERVICES].clock.snapshot(path_id(request, "meeting_id"))
    except MeetingNotFound:
        raise ActionError(404, "not_found", "no such meeting") from None
    return web.json_response(view)


async def clock_post(request: web.Request) -> web.Response:
    """Switch phase or undo: ``{"action", "version"?, "command_id"?}``."""
    payload = await read_json(request)
    payload["meeting_id"] = path_id(request, "meeting_id")
    result = await _act(request, "clock.command", payload)
    return web.json_response(result["clock"])


async def _timing(request: web.Request) -> tuple[int, dict[str, Any]]:
    meeting_id = path_id(request, "meeting_id")
    try:
        return meeting_id, await request.app[SERVICES].clock.timing(meeting_id)
    except MeetingNotFound:
        raise ActionError(404, "not_found", "no such meeting") from None


async def timing(request: web.Request) -> web.Response:
    """Timing record."""
    _, record = await _timing(request)
    return web.json_response(record)


async def timing_json(request: web.Request) -> web.Response:
    """Timing record as a JSON download."""
    meeting_id, record = await _timing(request)
    return web.json_response(record, headers={"Content-Disposition": f'attachment; filename="meeting-{meeting_id}-timing.json"'})


async def timing_csv_file(request: web.Request) -> web.Response:
    """Timing record as CSV for a spreadsheet, headers and phases in the language (;-separated, decimal comma)."""
    meeting_id, record = await _timing(request)
    lang = query(request, LangQuery).lang
    strings = merged_catalogue(lang)

    def text(key: str) -> str:
        return strings.get(key if key.startswith("phase.") else f"timing_csv.{key}", key)

    return web.Response(
        text=timing_csv(record, text), content_type="text/csv", charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="meeting-{meeting_id}-timing-{lang}.csv"'},
    )


async def audit(request: web.Request) -> web.Response:
    """Audit log (admin), optionally of one meeting."""
    return web.json_response({"items": await audit_entries(request.app[SERVICES].engine, query(request, AuditQuery).meeting_id)})


async def openapi(request: web.Request) -> web.Response:
    """This document."""
    return web.json_response(spec(request.app[ROUTES], request.app[SERVICES].actions))


def routes() -> list[Route]:
    """The meeting, clock and operations routes."""
    meeting = "/api/v1/meetings/{meeting_id}"
    return [
        Route("GET", "/healthz", healthz, "ops", capability=None, replies={200: Reply("alive")}),
        Route("GET", "/api/v1/openapi.json", openapi, "ops", capability=None, replies={200: Reply("OpenAPI")}),
        Route("GET", "/api/v1/meta", meta, "console"),
        Route("GET", "/api/v1/me", me, "console"),
        Route("GET", "/api/v1/audit", audit, "ops", capability="audit.read", query=AuditQuery),
        Route("GET", "/api/v1/meetings", meetings_list, "meetings", replies={200: Reply(model=MeetingList)}),
        Route("POST", "/api/v1/meetings", meetings_create, "meetings", capability=None, action="meeting.create",
              replies={201: Reply("Created", Meeting)}),
        Route("GET", meeting, meeting_get, "meetings", replies={200: Reply(model=Meeting)}),
        Route("PATCH", meeting, meeting_patch, "meetings", capability=None, action="meeting.update", replies={200: Reply(model=Meeting)}),
        Route("GET", f"{meeting}/clock", clock_get, "clock", replies={200: Reply(model=Clock)}),
        Route("POST", f"{meeting}/clock", clock_post, "clock", capability=None, action="clock.command", errors=(409,),
              replies={200: Reply(model=Clock)}),
        action_route(f"{meeting}/presenter-message", "presenter.message", tag="clock", summary="Message on the presenter screen"),
        Route("GET", f"{meeting}/timing", timing, "clock", replies={200: Reply(model=Timing)}),
        Route("GET", f"{meeting}/timing.json", timing_json, "clock", replies={200: Reply(model=Timing)}),
        Route("GET", f"{meeting}/timing.csv", timing_csv_file, "clock", query=LangQuery, replies={200: Reply("CSV", media=("text/csv",))}),
        action_route("/api/v1/akim-name", "meeting.akim_name", tag="meetings", errors=(404,),
                     summary="Set the akim's name once for the meetings of a round: {meeting_ids, akim_name}"),
    ]


def setup_api(app: web.Application) -> None:
    """Mount the API routes."""
    mount(app, routes())
