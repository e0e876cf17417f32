"""Who is calling: a session cookie (browsers) or a bearer token (machines); logging in and out.

A revoked token, a closed session or a disabled user stops working on the next request (at once
in this process, within the cache's few seconds in others) and open socket.io connections are
ended (:class:`Connections`). Logins are rate-limited (:mod:`login_guard`), cost one scrypt in
a worker thread whether the name exists or not, and may only continue to a path on this site.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from yarl import URL

from tyndau.actions import ActionError
from tyndau.operator_ui.errors import read_json
from tyndau.operator_ui.keys import SERVICES
from tyndau.operator_ui.login_guard import LoginGuard
from tyndau.security import MAX_PASSWORD, safe_next
from tyndau.settings import Settings
from tyndau.store import people
from tyndau.store.people import Principal

log = logging.getLogger(__name__)
COOKIE = "tyndau_session"
PRINCIPAL: web.RequestKey[Principal | None] = web.RequestKey("principal", Principal | None)  # type: ignore[arg-type]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# What a browser may send with the session cookie to change state: a cross-site form or a
# no-cors fetch can only send text/plain, urlencoded or multipart (and multipart is our own import).
COOKIE_BODIES = frozenset({"application/json", "multipart/form-data"})
FORM = "application/x-www-form-urlencoded"


class PrincipalCache:
    """Remembers who a token or session is for a few seconds, so a burst of webhook calls costs
    one lookup, not one per request. Changes made in this process clear it at once."""

    def __init__(self, ttl: float = 5.0, size: int = 10_000) -> None:
        self.ttl = ttl
        self.size = size
        self._entries: dict[str, tuple[float, Principal | None]] = {}

    def get(self, key: str) -> tuple[bool, Principal | None]:
        """(hit, principal)."""
        entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            return False, None
        return True, entry[1]

    def put(self, key: str, who: Principal | None) -> None:
        """Remember an answer (unknown tokens too, so floods of bad ones stay cheap)."""
        if len(self._entries) >= self.size:
            self._entries.clear()
        self._entries[key] = (time.monotonic() + self.ttl, who)

    def forget(self, key: str) -> None:
        """Drop an entry (logout)."""
        self._entries.pop(key, None)

    def clear(self) -> None:
        """Forget everything (a user was disabled, a token revoked)."""
        self._entries.clear()


@dataclass(frozen=True, slots=True)
class Connection:
    """One open socket.io connection and the credential it came with."""

    sid: str
    namespace: Any  # the socketio.AsyncNamespace that owns it
    key: str
    who: Principal


class Connections:
    """The open socket.io connections of this process, so a revocation can end them."""

    def __init__(self) -> None:
        self._by_sid: dict[tuple[str, str], Connection] = {}
        self._closing: set[asyncio.Task[int]] = set()

    def add(self, connection: Connection) -> None:
        """Remember a connection after it authenticated."""
        self._by_sid[(connection.namespace.namespace, connection.sid)] = connection

    def remove(self, namespace: str, sid: str) -> None:
        """Forget a connection that closed."""
        self._by_sid.pop((namespace, sid), None)

    def all(self) -> list[Connection]:
        """A snapshot of the open connections."""
        return list(self._by_sid.values())

    async def end(self, where: Callable[[Connection], bool]) -> int:
        """Disconnect every connection ``where`` picks; returns how many."""
        doomed = [c for c in self.all() if where(c)]
        for c in doomed:
            self.remove(c.namespace.namespace, c.sid)
        await asyncio.gather(*(_disconnect(c) for c in doomed), return_exceptions=True)
        return len(doomed)

    def end_soon(self, where: Callable[[Connection], bool], delay: float = 0.1) -> None:
        """Like :meth:`end`, just after the current event's refusal has been acknowledged."""

        async def later() -> int:
            await asyncio.sleep(delay)
            return await self.end(where)

        task = asyncio.create_task(later(), name="end-sockets")
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)


async def _disconnect(c: Connection) -> None:
    try:
        await c.namespace.emit("session_ended", {"reason": "unauthorized"}, to=c.sid)
    finally:
        await c.namespace.disconnect(c.sid)


@dataclass
class AuthState:
    """The app's authentication state: the principal cache, the login guard, open connections."""

    cache: PrincipalCache = field(default_factory=PrincipalCache)
    guard: LoginGuard = field(default_factory=LoginGuard)
    connections: Connections = field(default_factory=Connections)
    # One scrypt check at a time: each takes ~16 MB and a whole core for ~50 ms, and the event loop
    # needs the other core (benchmarks/bench_login.py: /healthz stays fast under guessing loops).
    hashing: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(1))

    async def ended(self, *, user: str | None = None, token: str | None = None, key: str | None = None) -> int:
        """Access was taken away: forget cached answers and close the sockets that used it."""
        if key is not None:
            self.cache.forget(key)
        else:
            self.cache.clear()

        def hit(c: Connection) -> bool:
            return (key is not None and c.key == key) or (user is not None and c.who.kind == "user" and c.who.name == user) or (
                token is not None and c.who.kind == "token" and c.who.name == token)

        return await self.connections.end(hit)


AUTH: web.AppKey[AuthState] = web.AppKey("auth", AuthState)


def setup_auth(app: web.Application, settings: Settings) -> None:
    """The authentication state and the ``/login`` and ``/logout`` routes."""
    app[AUTH] = AuthState(guard=LoginGuard(
        max_failures=settings.login_max_failures, lockout_seconds=settings.login_lockout_seconds,
        ip_max_failures=settings.login_ip_max_failures, ip_window_seconds=settings.login_ip_window_seconds,
    ))
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)


def credential(authorization: str | None, cookie: str | None) -> str | None:
    """The cache key of a request's credential: ``t:<token>``, ``s:<session>``; "" for a malformed header."""
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return ""
        return "t:" + token.strip()
    if cookie:
        return "s:" + cookie
    return None


async def resolve_key(app: web.Application, key: str | None, *, fresh: bool = False) -> Principal | None:
    """The principal behind a credential key (from the cache unless ``fresh``)."""
    if not key:
        return None
    cache = app[AUTH].cache
    if not fresh:
        hit, who = cache.get(key)
        if hit:
            return who
    engine = app[SERVICES].engine
    who = await (people.principal_for_token(engine, key[2:]) if key.startswith("t:") else people.principal_for_session(engine, key[2:]))
    cache.put(key, who)
    return who


async def resolve(app: web.Application, authorization: str | None, cookie: str | None) -> Principal | None:
    """The principal behind an Authorization header or a session cookie (header wins)."""
    return await resolve_key(app, credential(authorization, cookie))


@web.middleware
async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Attach the principal; refuse cross-site state changes made with the cookie."""
    authorization = request.headers.get("Authorization")
    cookie = request.cookies.get(COOKIE)
    principal = await resolve(request.app, authorization, cookie)
    if authorization and principal is None and request.path.startswith("/api/"):
        raise ActionError(401, "unauthorized", "the API token is unknown or revoked")
    if not authorization and request.method in UNSAFE and (principal is not None or request.path == "/login"):
        if not _same_origin(request):
            raise ActionError(403, "cross_origin", "state-changing requests must come from the console's own origin")
        if not _cookie_body_ok(request) and not _login_form(request):
            raise ActionError(415, "unsupported_media_type", "send the body as application/json")
    request[PRINCIPAL] = principal
    return await handler(request)


def _same_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    if origin == "null":
        return False  # sandboxed frames and data: URLs: never our own page
    if not origin:
        return request.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")
    try:
        url = URL(origin)
    except ValueError:
        return False
    return url.host == request.url.host and url.port == request.url.port


def _cookie_body_ok(request: web.Request) -> bool:
    return not request.body_exists or request.content_type in COOKIE_BODIES


def _login_form(request: web.Request) -> bool:
    """The login page's own form, posted before its script took it over (same origin, checked above)."""
    return request.path == "/login" and request.content_type == FORM


def principal(request: web.Request) -> Principal | None:
    """The caller of this request, if authenticated."""
    return request.get(PRINCIPAL)


def _client_address(request: web.Request) -> str:
    return request.remote or "?"


async def login(request: web.Request) -> web.Response:
    """Check a password and set the session cookie; ``next`` comes back as a safe local path.

    The page's script posts JSON. A form submitted before the script is ready (a slow link, a
    quick Enter) posts itself: it gets a redirect to ``next``, or back to the form with the error's
    code, so the password never travels in a URL.
    """
    if request.content_type == FORM:
        return await _login_by_form(request)
    data = await read_json(request)
    return await _login(request, data)


async def _login_by_form(request: web.Request) -> web.Response:
    form = await request.post()
    data = {k: v for k, v in form.items() if isinstance(v, str)}
    data.setdefault("next", request.query.get("next", ""))
    try:
        response = await _login(request, data)
    except ActionError as err:
        back = URL("/login").with_query({"next": safe_next(data.get("next")), "error": err.code})
        return web.Response(status=303, headers={"Location": str(back)})
    redirect = web.Response(status=303, headers={"Location": safe_next(data.get("next"))})
    redirect.cookies.update(response.cookies)
    return redirect


async def _login(request: web.Request, data: Mapping[str, Any]) -> web.Response:
    name, password = data.get("username"), data.get("password")
    if not isinstance(name, str) or not isinstance(password, str) or not name.strip() or not password:
        raise ActionError(400, "bad_request", "username and password are required")
    if len(name) > 200 or len(password) > MAX_PASSWORD:
        raise ActionError(400, "bad_request", f"the user name or the password is too long (at most {MAX_PASSWORD} characters)")
    state = request.app[AUTH]
    address = _client_address(request)
    wait = state.guard.wait(name, address)
    if wait > 0:
        raise ActionError(429, "too_many_attempts", f"too many wrong logins; try again in {int(wait) + 1} s",
                          retry_after=int(wait) + 1)
    settings = request.app[SERVICES].settings
    async with state.hashing:
        result = await people.login(request.app[SERVICES].engine, name, password, settings.session_days)
    if result is None:
        state.guard.failed(name, address)
        log.info("failed login for %r from %s", name[:100], address)
        raise ActionError(401, "bad_credentials", "wrong user name or password")
    state.guard.succeeded(name)
    token, who = result
    response = web.json_response({"user": who.to_json(), "next": safe_next(data.get("next"))})
    response.set_cookie(
        COOKIE, token, max_age=settings.session_days * 86400, httponly=True, samesite="Strict",
        secure=settings.cookie_secure, path="/",
    )
    return response


async def logout(request: web.Request) -> web.Response:
    """End the browser session, here and on every socket opened with it."""
    cookie = request.cookies.get(COOKIE)
    if cookie:
        await people.logout(request.app[SERVICES].engine, cookie)
        await request.app[AUTH].ended(key="s:" + cookie)
    response = web.json_response({"ok": True})
    response.del_cookie(COOKIE, path="/")
    return response


def socket_credential(environ: Mapping[str, Any], auth: Any) -> str | None:
    """The credential key of a socket.io connection: its auth token, else the page's cookie."""
    token = auth.get("token") if isinstance(auth, dict) else None
    if isinstance(token, str) and token:
        return credential(f"Bearer {token}", None)
    request = environ.get("aiohttp.request")
    return credential(None, request.cookies.get(COOKIE) if request is not None else None)
