"""People over HTTP (admins): list users and tokens, disable or enable a user, end sessions, revoke a token.

Each change is audited and takes effect at once in this process: cached answers are dropped and
open socket.io connections of that user or token are closed (other workers within seconds).
"""

from __future__ import annotations

from aiohttp import web

from tyndau.actions import ActionError
from tyndau.operator_ui.auth import AUTH
from tyndau.operator_ui.keys import SERVICES
from tyndau.operator_ui.routes import Route, caller, mount
from tyndau.store import people
from tyndau.store.audit import record as audit

NAME_PATTERN = r"[^/]{1,100}"


async def users(request: web.Request) -> web.Response:
    """Users: role, disabled, live sessions (admin)."""
    return web.json_response({"items": await people.list_users(request.app[SERVICES].engine)})


async def tokens(request: web.Request) -> web.Response:
    """API tokens by name, never the secret (admin)."""
    return web.json_response({"items": await people.list_tokens(request.app[SERVICES].engine)})


async def user_verb(request: web.Request) -> web.Response:
    """Disable (ending every session and socket), enable, or log out everywhere (admin)."""
    who = caller(request)
    name, verb = request.match_info["name"], request.match_info["verb"]
    engine = request.app[SERVICES].engine
    try:
        if verb == "end-sessions":
            ended = await people.end_sessions(engine, name)
        else:
            ended = await people.set_disabled(engine, name, verb == "disable")
    except people.PeopleError as exc:
        raise ActionError(404, "not_found", str(exc)) from None
    sockets = await request.app[AUTH].ended(user=name) if verb != "enable" else 0
    async with engine.begin() as conn:
        await audit(conn, who, f"user.{verb}", None, {"user": name, "sessions": ended, "sockets": sockets})
    return web.json_response({"user": name, "sessions_ended": ended, "sockets_closed": sockets})


async def token_revoke(request: web.Request) -> web.Response:
    """Revoke every live token of a name; its sockets are closed (admin)."""
    who = caller(request)
    name = request.match_info["name"]
    engine = request.app[SERVICES].engine
    count = await people.revoke_token(engine, name)
    if not count:
        raise ActionError(404, "not_found", f"no live token named {name!r}")
    sockets = await request.app[AUTH].ended(token=name)
    async with engine.begin() as conn:
        await audit(conn, who, "token.revoke", None, {"token": name, "revoked": count, "sockets": sockets})
    return web.json_response({"token": name, "revoked": count, "sockets_closed": sockets})


def routes() -> list[Route]:
    """The people routes (admins)."""
    cap = "people.manage"
    return [
        Route("GET", "/api/v1/users", users, "people", capability=cap),
        Route("POST", f"/api/v1/users/{{name:{NAME_PATTERN}}}/{{verb:disable|enable|end-sessions}}", user_verb, "people", capability=cap),
        Route("GET", "/api/v1/tokens", tokens, "people", capability=cap),
        Route("POST", f"/api/v1/tokens/{{name:{NAME_PATTERN}}}/revoke", token_revoke, "people", capability=cap),
    ]


def setup_people_api(app: web.Application) -> None:
    """Mount the people routes."""
    mount(app, routes())
