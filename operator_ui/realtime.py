"""socket.io: one namespace per concern; connections are authenticated, commands go through actions."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Annotated, Any

import socketio
from aiohttp import web
from pydantic import BeforeValidator, Field

from tyndau.actions import ActionError, perform
from tyndau.actions.feed import current_question_json
from tyndau.actions.schema import Id, MeetingId, Payload, parse
from tyndau.live.clock_service import MeetingNotFound
from tyndau.live.cluster_bus import channels
from tyndau.operator_ui.auth import AUTH, Connection, resolve_key, socket_credential
from tyndau.operator_ui.keys import SERVICES, SETTINGS
from tyndau.operator_ui.services import CLOCK_NS, FEED_NS, REVIEW_NS, audience_room, meeting_room
from tyndau.permissions import Audience, audience_of
from tyndau.settings import Settings
from tyndau.store.comments import FeedQuery, comment_json, get_comments, list_comments
from tyndau.store.meetings import current_comment_id, get_meeting
from tyndau.store.people import Principal
from tyndau.store.scopes import visible_meeting_ids

log = logging.getLogger(__name__)


def create_sio(settings: Settings) -> socketio.AsyncServer:
    """The socket server with the configured client manager (memory, or Redis for several workers)."""
    manager = (socketio.AsyncRedisManager(settings.redis_url, channel=channels(settings.redis_prefix)[0])
               if settings.client_manager == "redis" else None)
    return socketio.AsyncServer(
        async_mode="aiohttp", client_manager=manager, max_http_buffer_size=256 * 1024,
        ping_interval=10, ping_timeout=10,
    )


MAX_PAGE = 10_000
DEFAULT_PAGE = 500


def _page_size(value: Any) -> Any:
    """A socket's page size: at most 10000; anything but a positive whole number means the default."""
    return min(value, MAX_PAGE) if type(value) is int and value >= 1 else DEFAULT_PAGE


PageSize = Annotated[int, BeforeValidator(_page_size), Field(ge=1, le=MAX_PAGE)]


class Join(Payload):
    """``{"meeting_id"}``: watch one meeting."""

    meeting_id: MeetingId


class FeedJoin(Join):
    """``{"meeting_id", "limit"?}``: the acknowledgement holds the newest ``limit`` comments."""

    limit: PageSize = DEFAULT_PAGE


class Older(FeedJoin):
    """``{"meeting_id", "before", "limit"?}``: the comments before the oldest one the client has."""

    before: Id


def _error(exc: ActionError) -> dict[str, Any]:
    """An error acknowledgement, with the error's extras (the clock, the kinds of personal data) as over HTTP."""
    return {"ok": False, "error": exc.to_json(), **{k: v for k, v in exc.extra.items() if v is not None}}


class AuthenticatedNamespace(socketio.AsyncNamespace):
    """Refuses unauthenticated connections, checks the credential again on every event, and
    closes the connection when the token is revoked, the session ends or the user is disabled."""

    def __init__(self, namespace: str, app: web.Application) -> None:
        super().__init__(namespace)
        self.app = app

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        """Authenticate by cookie or ``auth.token``; refuse otherwise."""
        key = socket_credential(environ, auth)
        who = await resolve_key(self.app, key)
        if who is None or key is None:
            raise socketio.exceptions.ConnectionRefusedError("unauthorized")
        await self.save_session(sid, {"who": who, "key": key})
        self.app[AUTH].connections.add(Connection(sid, self, key, who))

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        """Forget the connection."""
        self.app[AUTH].connections.remove(self.namespace, sid)

    async def who(self, sid: str) -> Principal:
        """The principal of a connected socket, checked again (a revoked one is disconnected)."""
        session = await self.get_session(sid)
        current = await resolve_key(self.app, session.get("key"))
        if current is None or current != session["who"]:
            self.app[AUTH].connections.end_soon(lambda c: c.sid == sid and c.namespace is self)
            raise ActionError(401, "unauthorized", "the session ended or the token was revoked")
        return current

    async def reaches(self, who: Principal, meeting_id: int) -> bool:
        """Whether a scoped principal may read this meeting (national ones always may)."""
        if who.scope is None:
            return True
        async with self.app[SERVICES].engine.connect() as conn:
            return bool(await visible_meeting_ids(conn, who.scope, [meeting_id]))

    async def watch(self, sid: str, meeting_id: int, audience: Audience = "public") -> None:
        """Move the socket into the meeting's rooms (leaving any other meeting it watched)."""
        for room in self.rooms(sid):
            if room.startswith("meeting:"):
                await self.leave_room(sid, room)
        await self.enter_room(sid, meeting_room(meeting_id))
        await self.enter_room(sid, audience_room(meeting_id, audience))

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

    async def checked(self, sid: str) -> Principal | dict[str, Any]:
        """The principal, or the error acknowledgement for a socket that lost its access."""
        try:
            return await self.who(sid)
        except ActionError as exc:
            return _error(exc)


class ClockNamespace(AuthenticatedNamespace):
    """``/clock``: a meeting's clock, meeting edits and presenter messages."""

    async def on_join(self, sid: str, data: Any) -> dict[str, Any]:
        """Subscribe to a meeting and get its state in the acknowledgement."""
        who = await self.checked(sid)
        if not isinstance(who, Principal):
            return who
        try:
            meeting_id = parse(Join, data).meeting_id
        except ActionError as exc:
            return _error(exc)
        if not await self.reaches(who, meeting_id):
            return _OUT_OF_REACH
        await self.watch(sid, meeting_id)
        try:
            meeting, clock = await self.app[SERVICES].clock.snapshot(meeting_id)
        except MeetingNotFound:
            await self.leave_room(sid, meeting_room(meeting_id))
            return {"ok": False, "error": {"code": "not_found", "message": f"no meeting {meeting_id}"}}
        question = await current_question(self.app, meeting_id)
        return {"ok": True, "clock": clock, "meeting": meeting.to_json(), "question": question, "user": who.to_json()}

    async def on_command(self, sid: str, data: Any) -> dict[str, Any]:
        """A clock command from a console."""
        return await self.act(sid, "clock.command", data)

    async def on_presenter_message(self, sid: str, data: Any) -> dict[str, Any]:
        """A message for the presenter screen."""
        return await self.act(sid, "presenter.message", data)


async def current_question(app: web.Application, meeting_id: int) -> dict[str, Any] | None:
    """The question now on screen for a meeting, if any."""
    async with app[SERVICES].engine.connect() as conn:
        comment_id = await current_comment_id(conn, meeting_id)
        rows = await get_comments(conn, [comment_id]) if comment_id else []
    return current_question_json(rows[0] if rows else None)


class FeedNamespace(AuthenticatedNamespace):
    """``/feed``: the live comments of a meeting, in batches, and moderation updates."""

    async def on_join(self, sid: str, data: Any) -> dict[str, Any]:
        """Subscribe to a meeting's feed; the ack holds the newest comments (``limit``, default 500)."""
        who = await self.checked(sid)
        if not isinstance(who, Principal):
            return who
        try:
            join = parse(FeedJoin, data)
        except ActionError as exc:
            return _error(exc)
        meeting_id, limit = join.meeting_id, join.limit
        if not await self.reaches(who, meeting_id):
            return _OUT_OF_REACH
        audience = audience_of(who.role)
        # Enter the rooms first: anything committed after this point is pushed; the snapshot covers
        # what came before, and the client de-duplicates by id.
        await self.watch(sid, meeting_id, audience)
        async with self.app[SERVICES].engine.connect() as conn:
            if await get_meeting(conn, meeting_id) is None:
                await self.leave_room(sid, meeting_room(meeting_id))
                await self.leave_room(sid, audience_room(meeting_id, audience))
                return {"ok": False, "error": {"code": "not_found", "message": f"no meeting {meeting_id}"}}
            rows, cursor = await list_comments(conn, meeting_id, FeedQuery(limit=limit, newest_first=True))
        items = [comment_json(r, audience) for r in reversed(rows)]
        sources = self.app[SERVICES].sources
        return {"ok": True, "items": items, "older": cursor, "question": await current_question(self.app, meeting_id),
                "sources": sources.health(meeting_id) if sources else []}

    async def on_older(self, sid: str, data: Any) -> dict[str, Any]:
        """Page back through older comments: ``{"meeting_id", "before", "limit"}``."""
        who = await self.checked(sid)
        if not isinstance(who, Principal):
            return who
        try:
            page = parse(Older, data)
        except ActionError as exc:
            return _error(exc)
        meeting_id = page.meeting_id
        if not await self.reaches(who, meeting_id):
            return _OUT_OF_REACH
        async with self.app[SERVICES].engine.connect() as conn:
            rows, cursor = await list_comments(conn, meeting_id, FeedQuery(after=page.before, limit=page.limit, newest_first=True))
        audience = audience_of(who.role)
        return {"ok": True, "items": [comment_json(r, audience) for r in reversed(rows)], "older": cursor}

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
        who = await self.checked(sid)
        if not isinstance(who, Principal):
            return who
        try:
            meeting_id = parse(Join, data).meeting_id
        except ActionError:
            return {"ok": False, "error": {"code": "not_found", "message": "no such meeting"}}
        if not await self.app[SERVICES].meeting_exists(meeting_id) or not await self.reaches(who, meeting_id):
            return {"ok": False, "error": {"code": "not_found", "message": "no such meeting"}}
        await self.watch(sid, meeting_id)
        return {"ok": True}


_OUT_OF_REACH = {"ok": False, "error": {"code": "not_found", "message": "no such meeting in your scope"}}


async def revalidate(app: web.Application) -> int:
    """Check every open connection against the store (not the cache); close those that lost access."""
    state = app[AUTH]
    verdicts: dict[str, Principal | None] = {}
    for key in {c.key for c in state.connections.all()}:
        try:
            verdicts[key] = await resolve_key(app, key, fresh=True)
        except Exception as exc:  # noqa: BLE001 - a store hiccup must not cut everyone off
            log.warning("could not re-check socket credentials: %s", exc)
            return 0
    return await state.connections.end(lambda c: c.key in verdicts and verdicts[c.key] != c.who)


async def _revalidate_loop(app: web.Application) -> None:
    while True:
        await asyncio.sleep(app[SETTINGS].revalidate_seconds)
        try:
            closed = await revalidate(app)
        except Exception:
            log.exception("socket re-validation failed")
            continue
        if closed:
            log.info("closed %d socket.io connection(s) whose access was revoked", closed)


async def _revalidation_ctx(app: web.Application) -> AsyncIterator[None]:
    task = asyncio.create_task(_revalidate_loop(app), name="socket-revalidation")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def setup_realtime(app: web.Application, sio: socketio.AsyncServer) -> None:
    """Attach the socket server and its namespaces to the app."""
    sio.attach(app)
    sio.register_namespace(ClockNamespace(CLOCK_NS, app))
    sio.register_namespace(FeedNamespace(FEED_NS, app))
    sio.register_namespace(ReviewNamespace(REVIEW_NS, app))
    app.cleanup_ctx.append(_revalidation_ctx)
