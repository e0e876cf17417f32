"""Sources over HTTP: start/stop platform sources, import pooled requests, and the platforms' webhooks."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import tempfile
import time
from pathlib import Path
from typing import Any

from aiohttp import BodyPartReader, web

from tyndau.actions import ActionError, require
from tyndau.live.intake import IntakeUnavailable
from tyndau.live.source_manager import SourceConfigError, SourceManager
from tyndau.live.sources.files import FileImportError, ReadOptions, import_file, preview
from tyndau.operator_ui.auth import principal
from tyndau.operator_ui.errors import read_json
from tyndau.operator_ui.keys import SERVICES
from tyndau.operator_ui.webhooks import setup_webhooks
from tyndau.store.audit import record as audit
from tyndau.store.meetings import get_meeting
from tyndau.timeutil import iso

log = logging.getLogger(__name__)
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
    require(principal(request), "read")
    return web.json_response({"items": await manager(request).list(await _meeting(request))})


async def start_source(request: web.Request) -> web.Response:
    """Start a source: ``{"kind": "youtube", "config": {"url": ...}}``."""
    who = require(principal(request), "sources.run")
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
    who = require(principal(request), "sources.run")
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


OPTION_TYPES = {"encoding": str, "delimiter": str, "header_row": int, "header_rows": int, "date_order": str}
STALE_UPLOAD = 3600.0


def _upload_dir(request: web.Request) -> Path:
    """Where uploads wait while they are read; files an aborted request left behind are swept here."""
    folder = request.app[SERVICES].settings.data_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in folder.glob("upload-*"):
        with contextlib.suppress(OSError):
            if now - old.stat().st_mtime > STALE_UPLOAD:
                old.unlink()
    return folder


def _json_part(text: str, name: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except (ValueError, RecursionError):
        raise ActionError(422, "invalid", f"{name} must be a JSON object", {name: "not JSON"}) from None
    if not isinstance(value, dict):
        raise ActionError(422, "invalid", f"{name} must be a JSON object", {name: "not an object"})
    return value


def _read_options(raw: dict[str, Any], sheet: str | None) -> ReadOptions:
    values: dict[str, Any] = {}
    for key, value in raw.items():
        kind = OPTION_TYPES.get(key)
        if kind is None:
            raise ActionError(422, "invalid", f"unknown option {key!r}; options are {', '.join(OPTION_TYPES)}", {f"options.{key}": "unknown"})
        if value in (None, ""):
            continue
        if kind is int and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1_000_000):
            raise ActionError(422, "invalid", f"options.{key} must be a positive whole number", {f"options.{key}": "a number"})
        if kind is str and (not isinstance(value, str) or len(value) > 20):
            raise ActionError(422, "invalid", f"options.{key} must be a short string", {f"options.{key}": "a string"})
        values[key] = value
    return ReadOptions(sheet=sheet, **values)


async def _upload(request: web.Request) -> tuple[Path, dict[str, Any], ReadOptions]:
    """Save a multipart upload (``file``; optional ``mapping``, ``options`` JSON and ``sheet``) to a temp file.

    The file is removed again on every error (a too large, aborted or odd request leaves nothing behind).
    """
    if not request.content_type.startswith("multipart/"):
        raise ActionError(415, "unsupported_media_type", "upload the file as multipart/form-data with a 'file' field")
    mapping: dict[str, Any] = {}
    options: dict[str, Any] = {}
    sheet = None
    path: Path | None = None
    try:
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                raise ActionError(422, "invalid", "nested multipart bodies are not accepted", {"file": "nested"})
            if part.name == "file":
                if path is not None:
                    raise ActionError(422, "invalid", "send one file per import", {"file": "more than one"})
                name = Path(part.filename or "upload.csv").name
                suffix = "".join(Path(name).suffixes[-2:]) if name.endswith(".live_chat.json") else Path(name).suffix
                if suffix.lower() not in (".csv", ".xlsx", ".live_chat.json", ".json", ".txt", ".tsv"):
                    raise ActionError(422, "invalid", "only .csv, .xlsx and .live_chat.json files can be imported", {"file": "unsupported type"})
                handle = tempfile.NamedTemporaryFile(delete=False, prefix="upload-", suffix=suffix.lower(), dir=_upload_dir(request))
                path = Path(handle.name)
                size = 0
                with handle:
                    while chunk := await part.read_chunk(1 << 16):
                        size += len(chunk)
                        if size > MAX_UPLOAD:
                            raise ActionError(413, "too_large", "the file is larger than 50 MB")
                        handle.write(chunk)
            elif part.name in ("mapping", "options"):
                value = _json_part((await part.read(decode=True)).decode("utf-8", "replace")[:10_000], part.name)
                (mapping if part.name == "mapping" else options).update(value)
            elif part.name == "sheet":
                sheet = (await part.read(decode=True)).decode("utf-8", "replace")[:200] or None
        if path is None:
            raise ActionError(422, "invalid", "no file in the upload", {"file": "required"})
        return path, mapping, _read_options(options, sheet)
    except BaseException:
        if path is not None:
            path.unlink(missing_ok=True)
        raise


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
    """Import pooled requests from CSV/XLSX (``?preview=1`` shows the mapping, first rows and how the file was read)."""
    who = require(principal(request), "comments.import")
    meeting_id = await _meeting(request)
    path, mapping, options = await _upload(request)
    try:
        if request.query.get("preview") in ("1", "true"):
            result = await preview(path, mapping or None, options=options)
            return web.json_response(_jsonable(result))
        imported = await import_file(path, mapping or None, options=options)
    except FileImportError as exc:
        status = getattr(exc, "status", 422)
        raise ActionError(status, "too_large" if status == 413 else "invalid", str(exc)) from None
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
                              "skipped": imported.skipped, "problems": imported.problems[:200],
                              "detected": _jsonable(imported.detected)}, status=201)


def setup_source_api(app: web.Application) -> None:
    """Mount the source, import and webhook routes."""
    r = app.router
    r.add_get("/api/v1/meetings/{meeting_id}/sources", list_sources)
    r.add_post("/api/v1/meetings/{meeting_id}/sources", start_source)
    r.add_post("/api/v1/meetings/{meeting_id}/sources/{source_id}/{verb:stop|start}", source_verb)
    r.add_post("/api/v1/meetings/{meeting_id}/imports", import_requests)
    setup_webhooks(app)
