"""The platforms' webhooks (Meta, Telegram): each answer says what happened to every item.

Answers are JSON: ``{"ok": true, "items": [{"id", "result", "reason"?, "comment_id"?}], "stored",
"duplicates", "ignored"}`` where ``result`` is ``stored`` / ``duplicate`` / ``hidden`` /
``unhidden`` / ``ignored`` and ``reason`` a code from the parser's ``IGNORE_REASONS``. A store failure
answers 503 so the platform retries; nothing is acknowledged before it is durable.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from tyndau.domain.ports import SourceRegistry
from tyndau.live.intake import IntakeUnavailable
from tyndau.live.sources import meta, telegram
from tyndau.operator_ui.keys import SERVICES, SOURCES
from tyndau.store.comments import comment_json, set_hidden_by_key

log = logging.getLogger(__name__)
META_KINDS = {"instagram": "instagram_webhook", "facebook": "facebook_webhook"}
HIDDEN_ON = "platform_facebook"


def _manager(request: web.Request) -> SourceRegistry:
    return request.app[SOURCES]


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


def _summary(items: list[dict[str, Any]]) -> dict[str, Any]:
    count = lambda result: sum(1 for i in items if i["result"] == result)  # noqa: E731
    return {"ok": True, "stored": count("stored"), "duplicates": count("duplicate"), "ignored": count("ignored"),
            "hidden": count("hidden") + count("unhidden"), "items": items}


async def meta_verify(request: web.Request) -> web.Response:
    """Meta's subscription handshake: echo ``hub.challenge`` when the verify token matches."""
    settings = request.app[SERVICES].settings
    try:
        challenge = meta.verify_subscription(request.query, settings.meta_verify_token)
    except meta.MetaWebhookError as exc:
        return web.Response(status=exc.status, text=str(exc))
    return web.Response(text=challenge)


async def meta_receive(request: web.Request) -> web.Response:
    """Instagram/Facebook changes, signed with X-Hub-Signature-256, routed to meetings by object id."""
    services = request.app[SERVICES]
    settings = services.settings
    raw = await request.read()
    manager = _manager(request)
    if not settings.meta_app_secret or not meta.check_signature(raw, request.headers.get(meta.SIGNATURE_HEADER), settings.meta_app_secret):
        log.warning("refused a Meta webhook from %s: bad signature", request.remote)
        for kind in META_KINDS.values():
            for _, _, source in manager.push_sources(kind):
                source.refused()
        return _error(401, "bad_signature", "X-Hub-Signature-256 does not match (check meta_app_secret)")
    try:
        events = meta.webhook_events(raw)
    except meta.MetaWebhookError as exc:
        return _error(exc.status, "bad_request", str(exc))
    items: list[dict[str, Any]] = []
    try:
        for event in events:
            items.extend(await _meta_event(request, manager, event))
    except IntakeUnavailable:
        return _error(503, "store_unavailable", "the store is unavailable; retry")
    return web.json_response(_summary(items))


async def _meta_event(request: web.Request, manager: SourceRegistry, event: meta.MetaEvent) -> list[dict[str, Any]]:
    base = {"id": event.ref, "platform": event.platform}
    if event.action == "ignore":
        return [{**base, "result": "ignored", "reason": event.reason}]
    kind = META_KINDS.get(event.platform, "")
    targets = [(sid, mid, src) for sid, mid, src in manager.push_sources(kind) if src.object_id in event.objects]
    if not targets:
        log.info("Meta %s change %s for %s: no running source", event.platform, event.ref, event.objects)
        return [{**base, "result": "ignored", "reason": "not_routed"}]
    out = []
    for source_id, meeting_id, source in targets:
        if event.comment is not None:
            [result] = await source.push([event.comment])
            out.append({**base, "result": "duplicate" if result.duplicate else "stored", "comment_id": result.id,
                        "meeting_id": meeting_id, "source_id": source_id})
            continue
        hidden = event.action == "hide"
        services = request.app[SERVICES]
        async with services.engine.begin() as conn:
            row = await set_hidden_by_key(conn, meeting_id, "facebook", event.ref, hidden, HIDDEN_ON)
        source.pushed()
        if row is None:
            out.append({**base, "result": "ignored", "reason": "unknown_comment", "meeting_id": meeting_id})
            continue
        await services.publish_feed_event(meeting_id, "comment_update", comment_json(row))
        out.append({**base, "result": "hidden" if hidden else "unhidden", "comment_id": row.id,
                    "meeting_id": meeting_id, "source_id": source_id})
    return out


async def telegram_receive(request: web.Request) -> web.Response:
    """One pushed Update for a Telegram source in webhook mode."""
    raw_id = request.match_info["source_id"]
    found = _manager(request).running_source(int(raw_id)) if raw_id.isdigit() and len(raw_id) <= 12 else None
    if found is None or found[1] != "telegram":
        return _error(404, "not_found", "no running Telegram source here")
    _, _, source = found
    if source.mode != "webhook" or not source.ready:
        return _error(409, "polling_mode", "this Telegram source polls getUpdates; switch it to webhook mode")
    if not request.app[SERVICES].settings.telegram_webhook_secret:
        return _error(404, "not_found", "telegram_webhook_secret is not set")
    try:
        decision, result = await source.push(await request.read(), request.headers.get(telegram.SECRET_HEADER))
    except telegram.WebhookAuthError:
        return _error(401, "unauthorized", "bad secret token")
    except ValueError as exc:
        return _error(400, "bad_request", str(exc))
    except IntakeUnavailable:
        return _error(503, "store_unavailable", "the store is unavailable; retry")
    if result is None:
        return web.json_response({"ok": True, "result": "ignored", "reason": decision.reason})
    return web.json_response({"ok": True, "result": "duplicate" if result.duplicate else "stored", "comment_id": result.id})


def setup_webhooks(app: web.Application) -> None:
    """Mount the platform webhooks."""
    app.router.add_get("/webhooks/meta", meta_verify)
    app.router.add_post("/webhooks/meta", meta_receive)
    app.router.add_post("/webhooks/telegram/{source_id}", telegram_receive)
