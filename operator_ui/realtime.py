"""socket.io: one namespace per concern; connections are authenticated, commands go through actions."""

from __future__ import annotations

import logging
from typing import Any

import socketio
import sqlalchemy as sa
from aiohttp import web

from tyndau.actions import ActionError, perform
from tyndau.live.clock_service import MeetingNotFound
from tyndau.operator_ui.auth import socket_principal
from tyndau.operator_ui.keys import SERVICES
from tyndau.actions.feed import current_question_json
from tyndau.operator_ui.services import CLOCK_NS, FEED_NS, REVIEW_NS, meeting_room
from tyndau.store.comments import FeedQuery, comment_json, get_comments, list_comments
from tyndau.store.meetings import get_meeting
from tyndau.store.schema import meetings
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

    async def watch(self, sid: str, meeting_id: int) -> None:
        """Move the socket into the meeting's room (leaving any other meeting it watched)."""
        for room in self.rooms(sid):
            if room.startswith("meeting:"):
                await self.leave_room(sid, room)
        await self.enter_room(sid, meeting_room(meeting_id))

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
        await self.watch(sid, meeting_id)
        try:
            meeting, clock = await self.app[SERVICES].clock.snapshot(meeting_id)
        except MeetingNotFound:
            await self.leave_room(sid, meeting_room(meeting_id))
            return {"ok": False, "error": {"code": "not_found", "message": f"no meeting {meeting_id}"}}
        question = await current_question(self.app, meeting_id)
        return {"ok": True, "clock": clock, "meeting": meeting.to_json(), "question": question, "user": (await self.who(sid)).to_json()}

    async def on_command(self, sid: str, data: Any) -> dict[str, Any]:
        """A clock command from a console."""
        return await self.act(sid, "clock.command", data)

    async def on_presenter_message(self, sid: str, data: Any) -> dict[str, Any]:
        """A message for the presenter screen."""
        return await self.act(sid, "presenter.message", data)


async def current_question(app: web.Application, meeting_id: int) -> dict[str, Any] | None:
    """The question now on screen for a meeting, if any."""
    async with app[SERVICES].engine.connect() as conn:
        comment_id = await conn.scalar(sa.select(meetings.c.current_comment_id).where(meetings.c.id == meeting_id))
        rows = await get_comments(conn, [comment_id]) if comment_id else []
    return current_question_json(rows[0] if rows else None)


class FeedNamespace(AuthenticatedNamespace):
    """``/feed``: the live comments of a meeting, in batches, and moderation updates."""

    async def on_join(self, sid: str, data: Any) -> dict[str, Any]:
        """Subscribe to a meeting's feed; the ack holds the newest comments (``limit``, default 500)."""
        meeting_id = data.get("meeting_id") if isinstance(data, dict) else None
        if isinstance(meeting_id, bool) or not isinstance(meeting_id, int):
            return {"ok": False, "error": {"code": "bad_request", "message": "meeting_id must be an integer"}}
        limit = data.get("limit", 500)
        limit = limit if isinstance(limit, int) and 1 <= limit <= 10_000 else 500
        # Enter the room first: anything committed after this point is pushed; the snapshot covers
        # what came before, and the client de-duplicates by id.
        await self.watch(sid, meeting_id)
        who = await self.who(sid)
        async with self.app[SERVICES].engine.connect() as conn:
            if await get_meeting(conn, meeting_id) is None:
                await self.leave_room(sid, meeting_room(meeting_id))
                return {"ok": False, "error": {"code": "not_found", "message": f"no meeting {meeting_id}"}}
            rows, cursor = await list_comments(conn, meeting_id, FeedQuery(limit=limit, newest_first=True))
        private = who.role in ("admin", "secretary")
        items = [comment_json(r, private=private) for r in reversed(rows)]
        return {"ok": True, "items": items, "older": cursor, "question": await current_question(self.app, meeting_id),
                "sources": self.app[SERVICES].extra.get("sources").health(meeting_id) if self.app[SERVICES].extra.get("sources") else []}

    async def on_older(self, sid: str, data: Any) -> dict[str, Any]:
        """Page back through older comments: ``{"meeting_id", "before", "limit"}``."""
        if not isinstance(data, dict) or not isinstance(data.get("meeting_id"), int) or not isinstance(data.get("before"), int):
            return {"ok": False, "error": {"code": "bad_request", "message": "meeting_id and before must be integers"}}
        limit = data.get("limit", 500) if isinstance(data.get("limit"), int) else 500
        async with self.app[SERVICES].engine.connect() as conn:
            rows, cursor = await list_comments(conn, data["meeting_id"], FeedQuery(after=data["before"], limit=max(1, min(limit, 10_000)), newest_first=True))
        return {"ok": True, "items": [comment_json(r) for r in reversed(rows)], "older": cursor}

    async def on_command(self, sid: str, data: Any) -> dict[str, Any]:
        """A moderation command: ``{"verb": "pin"|"unpin"|"answered"|"unanswered"|"hide"|"unhide"|"current"|"floor", ...}``."""
        verb = data.get("verb") if isinstance(data, dict) else None
        if not isinstance(verb, str) or not verb.isidentifier():
            return {"ok": False, "error": {"code": "bad_request", "message": "verb is required"}}
        return await self.act(sid, f"feed.{verb}", {k: v for k, v in data.items() if k != "verb"})


class ReviewNamespace(AuthenticatedNamespace):
    """``/review``: secretaries of a meeting hear which problems changed, and re-read them."""

    async def on_join(self, sid: str, data: Any) -> dict[str, Any]:
        """Subscribe to a meeting's review updates."""
        meeting_id = data.get("meeting_id") if isinstance(data, dict) else None
        if isinstance(meeting_id, bool) or not isinstance(meeting_id, int) or not await self.app[SERVICES].meeting_exists(meeting_id):
            return {"ok": False, "error": {"code": "not_found", "message": "no such meeting"}}
        await self.watch(sid, meeting_id)
        return {"ok": True}


def setup_realtime(app: web.Application, sio: socketio.AsyncServer) -> None:
    """Attach the socket server and its namespaces to the app."""
    sio.attach(app)
    sio.register_namespace(ClockNamespace(CLOCK_NS, app))
    sio.register_namespace(FeedNamespace(FEED_NS, app))
    sio.register_namespace(ReviewNamespace(REVIEW_NS, app))
