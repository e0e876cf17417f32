"""Sources over HTTP: start/stop platform sources, import pooled requests, and the platforms' webhooks."""

from __future__ import annotations

import dataclasses
import json
import logging
import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from aiohttp import web

from tyndau.actions import ActionError, require_role
from tyndau.live.intake import IntakeUnavailable
from tyndau.live.source_manager import SourceConfigError, SourceManager
from tyndau.live.sources import meta, telegram
from tyndau.live.sources.files import FileImportError, import_file, preview
from tyndau.operator_ui.auth import principal
from tyndau.operator_ui.errors import read_json
from tyndau.operator_ui.keys import SERVICES
from tyndau.security import ROLES
from tyndau.store.audit import record as audit
from tyndau.store.meetings import get_meeting
from tyndau.store.schema import sources
from tyndau.timeutil import iso

log = logging.getLogger(__name__)
OPERATORS = frozenset({"admin", "moderator"})
IMPORTERS = frozenset({"admin", "moderator", "secretary"})
MAX_UPLOAD = 50 * 1024 * 1024


def manager(request: web.Request) -> SourceManager:
    """The app's source manager."""
    return request.app[SERVICES].extra["sources"]


async def _meeting(request: web.Request) -> int:
    raw = request.match_info["meeting_id"]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12 or await get_meeting(request.app[SERVICES].engine, int(raw)) is None:
        raise ActionError(404, "not_found", f"no meeting {raw!r}")
    return int(raw)


async def list_sources(request: web.Request) -> web.Response:
    """The meeting's sources with their health."""
    require_role(principal(request), frozenset(ROLES))
    return web.json_response({"items": await manager(request).list(await _meeting(request))})


async def start_source(request: web.Request) -> web.Response:
    """Start a source: ``{"kind": "youtube", "config": {"url": ...}}``."""
    who = require_role(principal(request), OPERATORS)
    meeting_id = await _meeting(request)
    body = await read_json(request)
    kind, config = body.get("kind"), body.get("config", {})
    if not isinstance(kind, str) or not isinstance(config, dict):
        raise ActionError(422, "invalid", "kind (a string) and config (an object) are required", {"kind": "required"})
    try:
        described = await manager(request).start(meeting_id, kind, config)
    except SourceConfigError as exc:
        raise ActionError(422, "invalid", str(exc), {"config": str(exc)}) from None
    async with request.app[SERVICES].engine.begin() as conn:
        await audit(conn, who, "source.start", meeting_id, {"source_id": described["id"], "kind": kind})
    return web.json_response(described, status=201)


async def source_verb(request: web.Request) -> web.Response:
    """Stop or start again an existing source."""
    who = require_role(principal(request), OPERATORS)
    meeting_id = await _meeting(request)
    raw = request.match_info["source_id"]
    verb = request.match_info["verb"]
    if not raw.isdigit():
        raise ActionError(404, "not_found", "no such source")
    source_id = int(raw)
    owned = [s for s in await manager(request).list(meeting_id) if s["id"] == source_id]
    if not owned:
        raise ActionError(404, "not_found", f"no source {source_id} in meeting {meeting_id}")
    described = await (manager(request).stop(source_id) if verb == "stop" else manager(request).restart(source_id))
    async with request.app[SERVICES].engine.begin() as conn:
        await audit(conn, who, f"source.{verb}", meeting_id, {"source_id": source_id})
    return web.json_response(described)


async def _upload(request: web.Request) -> tuple[Path, dict[str, Any], str | None]:
    """Save a multipart upload (``file``, optional ``mapping`` JSON and ``sheet``) to a temp file."""
    if not request.content_type.startswith("multipart/"):
        raise ActionError(415, "unsupported_media_type", "upload the file as multipart/form-data with a 'file' field")
    reader = await request.multipart()
    mapping: dict[str, Any] = {}
    sheet = None
    path: Path | None = None
    async for part in reader:
        if part.name == "file":
            name = Path(part.filename or "upload.csv").name
            suffix = "".join(Path(name).suffixes[-2:]) if name.endswith(".live_chat.json") else Path(name).suffix
            if suffix.lower() not in (".csv", ".xlsx", ".live_chat.json", ".json"):
                raise ActionError(422, "invalid", "only .csv, .xlsx and .live_chat.json files can be imported", {"file": "unsupported type"})
            handle = tempfile.NamedTemporaryFile(delete=False, suffix=suffix)
            size = 0
            with handle:
                while chunk := await part.read_chunk(1 << 16):
                    size += len(chunk)
                    if size > MAX_UPLOAD:
                        Path(handle.name).unlink(missing_ok=True)
                        raise ActionError(413, "too_large", "the file is larger than 50 MB")
                    handle.write(chunk)
            path = Path(handle.name)
        elif part.name == "mapping":
            try:
                mapping = json.loads(await part.text() or "{}")
            except json.JSONDecodeError:
                raise ActionError(422, "invalid", "mapping must be a JSON object", {"mapping": "not JSON"}) from None
            if not isinstance(mapping, dict):
                raise ActionError(422, "invalid", "mapping must be a JSON object", {"mapping": "not an object"})
        elif part.name == "sheet":
            sheet = (await part.text()) or None
    if path is None:
        raise ActionError(422, "invalid", "no file in the upload", {"file": "required"})
    return path, mapping, sheet


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _jsonable(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return iso(value)
    return value


async def import_requests(request: web.Request) -> web.Response:
    """Import pooled requests from CSV/XLSX (``?preview=1`` shows the mapping and first rows only)."""
    who = require_role(principal(request), IMPORTERS)
    meeting_id = await _meeting(request)
    path, mapping, sheet = await _upload(request)
    try:
        if request.query.get("preview") in ("1", "true"):
            result = await preview(path, mapping or None, sheet=sheet)
            return web.json_response(_jsonable(result))
        imported = await import_file(path, mapping or None, sheet=sheet)
    except FileImportError as exc:
        raise ActionError(422, "invalid", str(exc)) from None
    finally:
        path.unlink(missing_ok=True)
    try:
        results = []
        for start in range(0, len(imported.comments), 1000):
            results.extend(await request.app[SERVICES].intake.submit(meeting_id, imported.comments[start:start + 1000]))
    except IntakeUnavailable as exc:
        raise ActionError(503, "store_unavailable", str(exc)) from None
    new = sum(1 for r in results if not r.duplicate)
    async with request.app[SERVICES].engine.begin() as conn:
        await audit(conn, who, "import.file", meeting_id, {"rows": imported.total_rows, "new": new})
    return web.json_response({"rows": imported.total_rows, "imported": new, "duplicates": len(results) - new,
                              "skipped": imported.skipped, "problems": imported.problems[:200]}, status=201)


async def meta_verify(request: web.Request) -> web.Response:
    """Meta's subscription handshake: echo ``hub.challenge`` when the verify token matches."""
    settings = request.app[SERVICES].settings
    try:
        challenge = meta.verify_subscription(request.query, settings.meta_verify_token)
    except meta.MetaWebhookError as exc:
        return web.Response(status=exc.status, text=str(exc))
    return web.Response(text=challenge)


async def meta_receive(request: web.Request) -> web.Response:
    """Instagram/Facebook comments, signed with X-Hub-Signature-256; routed to meetings by media/video id."""
    settings = request.app[SERVICES].settings
    raw = await request.read()
    if not settings.meta_app_secret or not meta.check_signature(raw, request.headers.get("X-Hub-Signature-256"), settings.meta_app_secret):
        log.warning("refused a Meta webhook from %s: bad signature", request.remote)
        return web.json_response({"error": {"code": "bad_signature", "message": "X-Hub-Signature-256 does not match"}}, status=401)
    try:
        comments = meta.parse_webhook(raw)
    except meta.MetaWebhookError as exc:
        return web.json_response({"error": {"code": "bad_request", "message": str(exc)}}, status=exc.status)
    routes = await _meta_routes(request)
    stored = 0
    for comment in comments:
        target = str(comment.extra.get("media_id") or comment.extra.get("video_id") or comment.extra.get("post_id") or "")
        meeting_id = routes.get(target)
        if meeting_id is None:
            log.info("Meta comment for unknown object %r ignored", target)
            continue
        try:
            await request.app[SERVICES].intake.submit(meeting_id, [comment])
        except IntakeUnavailable:
            return web.json_response({"error": {"code": "store_unavailable", "message": "retry"}}, status=503)
        stored += 1
    return web.json_response({"ok": True, "stored": stored})


async def _meta_routes(request: web.Request) -> dict[str, int]:
    async with request.app[SERVICES].engine.connect() as conn:
        rows = (await conn.execute(sa.select(sources).where(sources.c.kind.in_(("instagram_webhook", "facebook_webhook")), sources.c.running.is_(True)))).all()
    return {str((r.config or {}).get("object_id", "")): r.meeting_id for r in rows}


async def telegram_receive(request: web.Request) -> web.Response:
    """Telegram webhook mode for a configured Telegram source."""
    settings = request.app[SERVICES].settings
    raw_id = request.match_info["source_id"]
    async with request.app[SERVICES].engine.connect() as conn:
        row = (await conn.execute(sa.select(sources).where(sources.c.id == int(raw_id), sources.c.kind == "telegram"))).first() if raw_id.isdigit() else None
    if row is None or not settings.telegram_webhook_secret:
        return web.json_response({"error": {"code": "not_found", "message": "no Telegram source here"}}, status=404)
    config = row.config or {}
    flt = telegram.DiscussionFilter(config.get("chat_id", ""), channel_post_id=config.get("channel_post_id"))
    try:
        comment = telegram.parse_webhook(await request.read(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"),
                                         secret_token=settings.telegram_webhook_secret, flt=flt)
    except telegram.WebhookAuthError:
        return web.json_response({"error": {"code": "unauthorized", "message": "bad secret token"}}, status=401)
    except ValueError as exc:
        return web.json_response({"error": {"code": "bad_request", "message": str(exc)}}, status=400)
    if comment is not None:
        await request.app[SERVICES].intake.submit(row.meeting_id, [comment])
    return web.json_response({"ok": True})


def setup_source_api(app: web.Application) -> None:
    """Mount the source, import and webhook routes."""
    r = app.router
    r.add_get("/api/v1/meetings/{meeting_id}/sources", list_sources)
    r.add_post("/api/v1/meetings/{meeting_id}/sources", start_source)
    r.add_post("/api/v1/meetings/{meeting_id}/sources/{source_id}/{verb:stop|start}", source_verb)
    r.add_post("/api/v1/meetings/{meeting_id}/imports", import_requests)
    r.add_get("/webhooks/meta", meta_verify)
    r.add_post("/webhooks/meta", meta_receive)
    r.add_post("/webhooks/telegram/{source_id}", telegram_receive)
