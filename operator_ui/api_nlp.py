"""``GET /api/v1/nlp/status``: is the language analysis ready, still loading (how far), or off."""

from __future__ import annotations

from aiohttp import web

from tyndau.actions import require_role
from tyndau.nlp.extras import INSTALL_HINT
from tyndau.operator_ui.auth import principal
from tyndau.operator_ui.keys import SERVICES
from tyndau.security import ROLES


async def nlp_status(request: web.Request) -> web.Response:
    """The labeller's status, so a freshly opened console shows "Модель загружается: 40 %" at once."""
    require_role(principal(request), frozenset(ROLES))
    services = request.app[SERVICES]
    labeller = services.extra.get("labeller")
    if labeller is not None:
        return web.json_response(labeller.status())
    reason = services.extra.get("nlp_off", "disabled")
    body = {"state": "off", "reason": reason, "percent": 0, "stage": None, "pending": 0, "labelled": 0, "error": None}
    if reason == "not_installed":
        body["install"] = INSTALL_HINT
    return web.json_response(body)


def setup_nlp_api(app: web.Application) -> None:
    """Register the NLP status route."""
    app.router.add_get("/api/v1/nlp/status", nlp_status)
