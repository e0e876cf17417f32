"""The HTTP routes as data: each one says how it is served (handler, capability, query schema)
and how the OpenAPI document describes it (summary, body, replies, errors), so the document is
generated from what the server actually mounts (:mod:`tyndau.operator_ui.openapi`).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel

from tyndau.actions import ActionError, perform, require
from tyndau.actions.schema import parse
from tyndau.operator_ui.auth import principal
from tyndau.operator_ui.errors import read_json
from tyndau.operator_ui.keys import ROUTES, SERVICES
from tyndau.operator_ui.query import Query
from tyndau.store.people import Principal

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Q = TypeVar("Q", bound=Query)
QUERY: web.RequestKey[Query] = web.RequestKey("query", Query)
_PARAM = re.compile(r"\{(\w+)(?::([^{}]*(?:\{[^{}]*\}[^{}]*)*))?\}")
MAX_PATH_ID = 999_999_999_999


@dataclass(frozen=True, slots=True)
class Reply:
    """One documented answer: a JSON model, or a document in the given media types."""

    description: str = "OK"
    model: type[BaseModel] | None = None
    media: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Route:
    """One HTTP operation of the API."""

    method: str
    path: str  # aiohttp syntax: {name} or {name:regex}; an alternation regex is documented as an enum
    handler: Handler = field(repr=False)
    tag: str
    capability: str | None = "read"  # None: no login (public, or the handler checks a signature)
    action: str | None = None  # the body is this action's payload (less the path's parameters)
    body: type[BaseModel] | tuple[type[BaseModel], ...] | None = None  # or this model (or one of these)
    query: type[Query] | None = None
    replies: Mapping[int, Reply] = field(default_factory=lambda: {200: Reply()})
    errors: tuple[int, ...] = ()
    summary: str = ""  # default: the handler's docstring
    openapi: Mapping[str, Any] = field(default_factory=dict)  # anything else the document says

    @property
    def doc_path(self) -> str:
        """The OpenAPI path: ``{name:regex}`` becomes ``{name}``."""
        return _PARAM.sub(lambda m: "{" + m.group(1) + "}", self.path)

    def path_params(self) -> list[tuple[str, str | None]]:
        """Each path parameter and its regex (None when it has none)."""
        return [(m.group(1), m.group(2)) for m in _PARAM.finditer(self.path)]


def mount(app: web.Application, routes: Sequence[Route]) -> None:
    """Add the routes to the app's router and to the list the OpenAPI document is built from."""
    if ROUTES not in app:
        app[ROUTES] = []
    for route in routes:
        app.router.add_route(route.method, route.path, _serve(route))
        app[ROUTES].append(route)


def _serve(route: Route) -> Handler:
    async def serve(request: web.Request) -> web.StreamResponse:
        if route.capability is not None:
            require(principal(request), route.capability)
        if route.query is not None:
            request[QUERY] = parse(route.query, {k: request.query[k] for k in request.query})
        return await route.handler(request)

    serve.__doc__ = route.handler.__doc__
    return serve


def query(request: web.Request, model: type[Q]) -> Q:
    """The parsed query string of this request (its route declared ``model``)."""
    found = request[QUERY]
    assert isinstance(found, model), (type(found), model)
    return found


def caller(request: web.Request) -> Principal:
    """The principal of a request whose route required a capability."""
    who = principal(request)
    if who is None:
        raise ActionError(401, "unauthorized", "log in or send an API token")
    return who


def path_id(request: web.Request, name: str) -> int:
    """A numeric id from the path; anything else is a 404 (no such thing), never a 500."""
    raw = request.match_info[name]
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= MAX_PATH_ID or len(raw) > 12:
        raise ActionError(404, "not_found", f"no {name.removesuffix('_id')} {raw[:40]!r}")
    return int(raw)


def action_route(path: str, action: str, *, tag: str, status: int = 200, errors: tuple[int, ...] = (),
                 summary: str = "", reply: Reply | None = None, method: str = "POST") -> Route:
    """A POST (or PUT, PATCH) that runs a named action: the JSON body plus the path's ids is its payload."""
    ids = [name for name, _ in Route("POST", path, _noop, tag).path_params() if name.endswith("_id")]

    async def run(request: web.Request) -> web.StreamResponse:
        payload = await read_json(request)
        for name in ids:
            payload[name] = path_id(request, name)
        services = request.app[SERVICES]
        return web.json_response(await perform(services.actions, services, principal(request), action, payload), status=status)

    return Route(method, path, run, tag, capability=None, action=action, errors=errors, summary=summary,
                 replies={status: reply or Reply("Created" if status == 201 else "OK")})


async def _noop(request: web.Request) -> web.StreamResponse:
    raise web.HTTPNotFound()
