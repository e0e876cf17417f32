"""The HTTP edge of scopes: every route's path ids and query ids are checked before its handler.

Lists that have no id to check (meetings, units, organisers, the dashboards) filter by the scope
themselves; the routes below serve what every unit shares and are refused to scoped principals.
"""

from __future__ import annotations

from aiohttp import web

from tyndau.actions import ActionError
from tyndau.actions.scope_check import check_keys
from tyndau.operator_ui.auth import PRINCIPAL, UNSAFE, Handler
from tyndau.operator_ui.keys import SERVICES

# National registers: the audit log (every unit's actions), users and tokens, the KATO imports.
NATIONAL_ONLY = ("/api/v1/audit", "/api/v1/users", "/api/v1/tokens", "/api/v1/units/import")
QUERY_KEYS = ("meetings", "meeting_id", "under", "unit", "organiser", "round_id")


@web.middleware
async def scope_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse a scoped principal what its scope does not reach, whatever the route."""
    who = request.get(PRINCIPAL)
    if who is None or who.scope is None or not request.path.startswith("/api/"):
        return await handler(request)
    if request.path.startswith(NATIONAL_ONLY):
        raise ActionError(403, "national_only", "only a national user may see or change this")
    match = dict(request.match_info)
    query = {k: request.query[k] for k in QUERY_KEYS if k in request.query}
    async with request.app[SERVICES].engine.connect() as conn:
        await check_keys(conn, who.scope, match, write=request.method in UNSAFE)
        await check_keys(conn, who.scope, query, write=False)
    return await handler(request)
