"""``GET /api/v1/nlp/status``: is the language analysis ready, still loading (how far), or off."""

from __future__ import annotations

from aiohttp import web

from tyndau.nlp.extras import INSTALL_HINT
from tyndau.operator_ui.keys import SERVICES
from tyndau.operator_ui.routes import Reply, Route, mount


async def nlp_status(request: web.Request) -> web.Response:
    """Language analysis: loading (with its real percentage), ready, failed or off."""
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
    """Register the NLP status route (every signed-in role may read it)."""
    mount(app, [Route("GET", "/api/v1/nlp/status", nlp_status, "ops",
                      replies={200: Reply("state, percent, stage, pending, labelled, error")})])
