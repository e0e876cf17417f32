"""Who is calling: a session cookie (browsers) or a bearer token (machines)."""

from __future__ import annotations

import time
from typing import Any, Awaitable, Callable, Mapping

from aiohttp import web
from yarl import URL

from tyndau.actions import ActionError
from tyndau.operator_ui.errors import read_json
from tyndau.operator_ui.keys import SERVICES
from tyndau.store import people
from tyndau.store.people import Principal

COOKIE = "tyndau_session"
PRINCIPAL: web.RequestKey[Principal | None] = web.RequestKey("principal", Principal | None)  # type: ignore[arg-type]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class PrincipalCache:
    """Remembers who a token or session is for a few seconds, so a burst of webhook calls costs
    one lookup, not one per request. Revocation takes effect within ``ttl``; logout at once."""

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


async def resolve(app: web.Application, authorization: str | None, cookie: str | None) -> Principal | None:
    """The principal behind an Authorization header or a session cookie (header wins)."""
    services = app[SERVICES]
    cache: PrincipalCache = services.extra.setdefault("principals", PrincipalCache())
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        key = "t:" + token.strip()
    elif cookie:
        key = "s:" + cookie
    else:
        return None
    hit, who = cache.get(key)
    if hit:
        return who
    if key.startswith("t:"):
        who = await people.principal_for_token(services.engine, key[2:])
    else:
        who = await people.principal_for_session(services.engine, key[2:])
    cache.put(key, who)
    return who


@web.middleware
async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Attach the principal; refuse cross-site state changes made with the cookie."""
    authorization = request.headers.get("Authorization")
    cookie = request.cookies.get(COOKIE)
    principal = await resolve(request.app, authorization, cookie)
    if authorization and principal is None and request.path.startswith("/api/"):
        raise ActionError(401, "unauthorized", "the API token is unknown or revoked")
    if principal is not None and not authorization and request.method in UNSAFE and not _same_origin(request):
        raise ActionError(403, "cross_origin", "state-changing requests must come from the console's own origin")
    request[PRINCIPAL] = principal
    return await handler(request)


def _same_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return request.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")
    return URL(origin).host == request.url.host and (URL(origin).port == request.url.port)


def principal(request: web.Request) -> Principal | None:
    """The caller of this request, if authenticated."""
    return request.get(PRINCIPAL)


async def login(request: web.Request) -> web.Response:
    """Check a password and set the session cookie."""
    data = await read_json(request)
    name, password = data.get("username"), data.get("password")
    if not isinstance(name, str) or not isinstance(password, str) or not name or not password:
        raise ActionError(400, "bad_request", "username and password are required")
    settings = request.app[SERVICES].settings
    result = await people.login(request.app[SERVICES].engine, name, password, settings.session_days)
    if result is None:
        raise ActionError(401, "bad_credentials", "wrong user name or password")
    token, who = result
    response = web.json_response({"user": who.to_json()})
    response.set_cookie(
        COOKIE, token, max_age=settings.session_days * 86400, httponly=True, samesite="Strict",
        secure=settings.cookie_secure, path="/",
    )
    return response


async def logout(request: web.Request) -> web.Response:
    """End the browser session."""
    cookie = request.cookies.get(COOKIE)
    if cookie:
        await people.logout(request.app[SERVICES].engine, cookie)
        request.app[SERVICES].extra.setdefault("principals", PrincipalCache()).forget("s:" + cookie)
    response = web.json_response({"ok": True})
    response.del_cookie(COOKIE, path="/")
    return response


async def socket_principal(app: web.Application, environ: Mapping[str, Any], auth: Any) -> Principal | None:
    """Authenticate a socket.io connection from its auth payload or the page's cookie."""
    token = auth.get("token") if isinstance(auth, dict) else None
    if isinstance(token, str) and token:
        return await resolve(app, f"Bearer {token}", None)
    request = environ.get("aiohttp.request")
    cookie = request.cookies.get(COOKIE) if request is not None else None
    return await resolve(app, None, cookie)
