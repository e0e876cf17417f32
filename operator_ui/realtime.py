"""socket.io: one namespace per concern; connections are authenticated, commands go through actions."""

from __future__ import annotations

import logging
from typing import Any

import socketio
from aiohttp import web

from tyndau.actions import ActionError, perform
from tyndau.live.clock_service import MeetingNotFound
from tyndau.operator_ui.auth import socket_principal
from tyndau.operator_ui.keys import SERVICES
from tyndau.operator_ui.services import CLOCK_NS, meeting_room
from tyndau.settings import Settings
from tyndau.store.people import Principal

log = logging.getLogger(__name__)


def create_sio(settings: Settings) -> socketio.AsyncServer:
    """The socket server with the configured client manager (memory, or Redis for several workers)."""
    manager = socketio.AsyncRedisManager(settings.redis_url) if settings.client_manager == "redis" else None
    return socketio.AsyncServer(
        async_mode="aiohttp", client_manager=manager, max_http_buffer_size=256 * 1024,
        ping_interval=10, ping_timeout=10,
    )


def _error(exc: ActionError) -> dict[str, Any]:
    body: dict[str, Any] = {"ok": False, "error": exc.to_json()}
    if "clock" in exc.extra:
        body["clock"] = exc.extra["clock"]
    return body


class AuthenticatedNamespace(socketio.AsyncNamespace):
    """Refuses unauthenticated connections and remembers who each socket is."""

    def __init__(self, namespace: str, app: web.Application) -> None:
        super().__init__(namespace)
        self.app = app

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        """Authenticate by cookie or ``auth.token``; refuse otherwise."""
        who = await socket_principal(self.app, environ, auth)
        if who is None:
            raise socketio.exceptions.ConnectionRefusedError("unauthorized")
        await self.save_session(sid, {"who": who})

    async def who(self, sid: str) -> Principal:
        """The principal of a connected socket."""
        return (await self.get_session(sid))["who"]

    async def act(self, sid: str, name: str, payload: Any) -> dict[str, Any]:
        """Run an action for this socket and shape the acknowledgement."""
        services = self.app[SERVICES]
        try:
            result = await perform(services.actions, services, await self.who(sid), name, payload if isinstance(payload, dict) else {})
        except ActionError as exc:
            return _error(exc)
        except Exception:
            log.exception("socket action %s failed", name)
            return {"ok": False, "error": {"code": "internal", "message": "internal error; the server log has the details"}}
        return {"ok": True, **(result if isinstance(result, dict) else {"result": result})}


class ClockNamespace(AuthenticatedNamespace):
    """``/clock``: a meeting's clock, meeting edits and presenter messages."""

    async def on_join(self, sid: str, data: Any) -> dict[str, Any]:
        """Subscribe to a meeting and get its state in the acknowledgement."""
        meeting_id = data.get("meeting_id") if isinstance(data, dict) else None
        if isinstance(meeting_id, bool) or not isinstance(meeting_id, int):
            return {"ok": False, "error": {"code": "bad_request", "message": "meeting_id must be an integer"}}
        for room in self.rooms(sid):
            if room.startswith("meeting:"):
                await self.leave_room(sid, room)
        await self.enter_room(sid, meeting_room(meeting_id))
        try:
            meeting, clock = await self.app[SERVICES].clock.snapshot(meeting_id)
        except MeetingNotFound:
            await self.leave_room(sid, meeting_room(meeting_id))
            return {"ok": False, "error": {"code": "not_found", "message": f"no meeting {meeting_id}"}}
        return {"ok": True, "clock": clock, "meeting": meeting.to_json(), "user": (await self.who(sid)).to_json()}

    async def on_command(self, sid: str, data: Any) -> dict[str, Any]:
        """A clock command from a console."""
        return await self.act(sid, "clock.command", data)

    async def on_presenter_message(self, sid: str, data: Any) -> dict[str, Any]:
        """A message for the presenter screen."""
        return await self.act(sid, "presenter.message", data)


def setup_realtime(app: web.Application, sio: socketio.AsyncServer) -> None:
    """Attach the socket server and its namespaces to the app."""
    sio.attach(app)
    sio.register_namespace(ClockNamespace(CLOCK_NS, app))
