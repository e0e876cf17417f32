"""The HTTP API under ``/api/v1``: thin handlers over the named actions."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tyndau.actions import ActionError, perform, require_role
from tyndau.live.clock_service import MeetingNotFound
from tyndau.live.clock_view import timing_csv
from tyndau.live.meeting import NOTICE_DAYS
from tyndau.operator_ui.auth import principal
from tyndau.operator_ui.errors import read_json
from tyndau.operator_ui.keys import SERVICES
from tyndau.operator_ui.openapi import spec
from tyndau.operator_ui.pages import merged_catalogue
from tyndau.security import ROLES
from tyndau.store.audit import entries as audit_entries
from tyndau.store.meetings import get_meeting, list_meetings
from tyndau.timeutil import iso, utcnow

ANYONE = frozenset(ROLES)
STAFF = frozenset({"admin", "moderator", "secretary"})


async def _act(request: web.Request, name: str, payload: dict[str, Any]) -> Any:
    services = request.app[SERVICES]
    return await perform(services.actions, services, principal(request), name, payload)


def _meeting_id(request: web.Request) -> int:
    raw = request.match_info["meeting_id"]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12 or int(raw) < 1:
        raise ActionError(404, "not_found", f"no meeting {raw!r}")
    return int(raw)


async def healthz(request: web.Request) -> web.Response:
    """Liveness and store reachability, for load balancers."""
    services = request.app[SERVICES]
    async with services.engine.connect() as conn:
        await conn.exec_driver_sql("SELECT 1")
    return web.json_response({"ok": True, "database": services.engine.dialect.name, "boot": services.time.boot_id})


async def meta(request: web.Request) -> web.Response:
    """What the console needs before anything else: akim levels, thresholds, who I am."""
    who = require_role(principal(request), ANYONE)
    return web.json_response({
        "akim_levels": [{"id": k, "notice_days": v} for k, v in NOTICE_DAYS.items()],
        "warning_ratio": request.app[SERVICES].settings.warning_ratio,
        "user": who.to_json(),
        "server_time": iso(utcnow()),
    })


async def me(request: web.Request) -> web.Response:
    """The caller."""
    return web.json_response({"user": require_role(principal(request), ANYONE).to_json()})


async def meetings_list(request: web.Request) -> web.Response:
    """All meetings, newest first."""
    who = require_role(principal(request), ANYONE)
    items = await list_meetings(request.app[SERVICES].engine, scope=who.scope)
    return web.json_response({"items": [m.to_json() for m in items]})


async def meetings_create(request: web.Request) -> web.Response:
    """Create a meeting; 201 with the meeting."""
    body = await _act(request, "meeting.create", await read_json(request))
    return web.json_response(body, status=201, headers={"Location": f"/api/v1/meetings/{body['id']}"})


async def meeting_get(request: web.Request) -> web.Response:
    """One meeting."""
    require_role(principal(request), ANYONE)
    meeting = await get_meeting(request.app[SERVICES].engine, _meeting_id(request))
    if meeting is None:
        raise ActionError(404, "not_found", "no such meeting")
    return web.json_response(meeting.to_json())


async def meeting_patch(request: web.Request) -> web.Response:
    """Edit some fields of a meeting."""
    payload = await read_json(request)
    payload["meeting_id"] = _meeting_id(request)
    return web.json_response(await _act(request, "meeting.update", payload))


async def akim_name(request: web.Request) -> web.Response:
    """Set the akim's name for the meetings of a round: ``{"meeting_ids": [..], "akim_name"}``."""
    return web.json_response(await _act(request, "meeting.akim_name", await read_json(request)))


async def clock_get(request: web.Request) -> web.Response:
    """The clock of a meeting now."""
    require_role(principal(request), ANYONE)
    try:
        _, view = await request.app[SERVICES].clock.snapshot(_meeting_id(request))
    except MeetingNotFound:
        raise ActionError(404, "not_found", "no such meeting") from None
    return web.json_response(view)


async def clock_post(request: web.Request) -> web.Response:
    """Apply a clock command: ``{"action", "version"?, "command_id"?}``."""
    payload = await read_json(request)
    payload["meeting_id"] = _meeting_id(request)
    result = await _act(request, "clock.command", payload)
    return web.json_response(result["clock"])


async def presenter_message(request: web.Request) -> web.Response:
    """Set or clear the presenter-screen message: ``{"text"}``."""
    payload = await read_json(request)
    payload["meeting_id"] = _meeting_id(request)
    return web.json_response(await _act(request, "presenter.message", payload))


async def timing(request: web.Request) -> web.Response:
    """The timing record as JSON or CSV (``/timing.csv``)."""
    require_role(principal(request), ANYONE)
    meeting_id = _meeting_id(request)
    try:
        record = await request.app[SERVICES].clock.timing(meeting_id)
    except MeetingNotFound:
        raise ActionError(404, "not_found", "no such meeting") from None
    fmt = request.match_info.get("fmt", "json")
    if fmt == "csv":
        lang = request.query.get("lang", "ru")
        if lang not in ("ru", "kk"):
            raise ActionError(400, "bad_request", "lang must be ru or kk")
        strings = merged_catalogue(lang)

        def text(key: str) -> str:
            return strings.get(key if key.startswith("phase.") else f"timing_csv.{key}", key)

        return web.Response(
            text=timing_csv(record, text), content_type="text/csv", charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="meeting-{meeting_id}-timing-{lang}.csv"'},
        )
    headers = {"Content-Disposition": f'attachment; filename="meeting-{meeting_id}-timing.json"'} if fmt == "json" and request.path.endswith(".json") else {}
    return web.json_response(record, headers=headers)


async def audit(request: web.Request) -> web.Response:
    """Recent audit entries (admins), optionally for one meeting."""
    require_role(principal(request), frozenset({"admin"}))
    raw = request.query.get("meeting_id")
    if raw and not (raw.isascii() and raw.isdigit() and len(raw) <= 12 and int(raw) >= 1):
        raise ActionError(400, "bad_request", "meeting_id must be a meeting's id")
    meeting_id = int(raw) if raw else None
    return web.json_response({"items": await audit_entries(request.app[SERVICES].engine, meeting_id)})


async def openapi(request: web.Request) -> web.Response:
    """The OpenAPI document of this API."""
    return web.json_response(spec())


def setup_api(app: web.Application) -> None:
    """Mount the API routes."""
    r = app.router
    r.add_get("/healthz", healthz)
    r.add_get("/api/v1/openapi.json", openapi)
    r.add_get("/api/v1/meta", meta)
    r.add_get("/api/v1/me", me)
    r.add_get("/api/v1/meetings", meetings_list)
    r.add_post("/api/v1/meetings", meetings_create)
    r.add_get("/api/v1/meetings/{meeting_id}", meeting_get)
    r.add_patch("/api/v1/meetings/{meeting_id}", meeting_patch)
    r.add_get("/api/v1/meetings/{meeting_id}/clock", clock_get)
    r.add_post("/api/v1/meetings/{meeting_id}/clock", clock_post)
    r.add_post("/api/v1/meetings/{meeting_id}/presenter-message", presenter_message)
    r.add_get("/api/v1/meetings/{meeting_id}/timing", timing)
    r.add_get("/api/v1/meetings/{meeting_id}/timing.{fmt:json|csv}", timing)
    r.add_get("/api/v1/audit", audit)
    r.add_post("/api/v1/akim-name", akim_name)
