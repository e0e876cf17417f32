"""Sources over HTTP: start/stop platform sources, import pooled requests, and the platforms' webhooks."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import logging
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any, Literal

from aiohttp import BodyPartReader, web
from pydantic import Field, create_model

from tyndau.actions import ActionError
from tyndau.actions.schema import Closed, Payload, parse
from tyndau.domain.ports import SourceRegistry
from tyndau.live.intake import IntakeUnavailable
from tyndau.live.source_kinds import SourceConfigError, SourceKind, SourceKinds
from tyndau.live.sources.files import FileImportError, ReadOptions, import_file, preview
from tyndau.operator_ui.errors import read_json
from tyndau.operator_ui.keys import SERVICES, SOURCE_KINDS, SOURCES
from tyndau.operator_ui.query import Flag, Query
from tyndau.operator_ui.routes import Reply, Route, caller, mount, path_id, query
from tyndau.operator_ui.webhooks import setup_webhooks
from tyndau.store.audit import record as audit
from tyndau.store.meetings import get_meeting
from tyndau.timeutil import iso

log = logging.getLogger(__name__)
MAX_UPLOAD = 50 * 1024 * 1024


def manager(request: web.Request) -> SourceRegistry:
    """The app's source manager."""
    return request.app[SOURCES]


class SourceInput(Payload):
    """``{"kind", "config"}``: the config's options are the kind's (``source_forms`` of ``GET /api/v1/vocabulary``)."""

    invalid = "the source has invalid fields"
    kind: str


@functools.lru_cache(maxsize=256)
def source_input(kind: SourceKind) -> type[SourceInput]:
    """The body that starts a source of ``kind``: its config checked by the kind's options."""
    camel = "".join(part.capitalize() for part in kind.name.split("_"))
    config: Any = (kind.model, ...) if kind.required else (kind.model, Field(default_factory=kind.model))
    model = create_model(f"{camel}SourceInput", __base__=SourceInput, __doc__=kind.summary or f"A {kind.name} source.",
                         kind=(Literal[kind.name], ...), config=config)  # type: ignore[call-overload]
    return model


class ImportQuery(Query):
    """``?preview=true`` shows the mapping, the first rows and how the file was read, and stores nothing."""

    preview: Flag = False


async def _meeting(request: web.Request) -> int:
    meeting_id = path_id(request, "meeting_id")
    if await get_meeting(request.app[SERVICES].engine, meeting_id) is None:
        raise ActionError(404, "not_found", f"no meeting {meeting_id}")
    return meeting_id


async def list_sources(request: web.Request) -> web.Response:
    """The meeting's comment sources and their health."""
    return web.json_response({"items": await manager(request).list(await _meeting(request))})


def _input(kinds: SourceKinds, raw: dict[str, Any]) -> SourceInput:
    """The body checked by its kind's schema; the message names each bad field (the console shows it)."""
    try:
        kind = parse(SourceInput, raw).kind
        if kind not in kinds:
            raise ActionError(422, "invalid", "", {"kind": "one of " + ", ".join(kinds.names)})
        return parse(source_input(kinds.get(kind)), raw)
    except ActionError as exc:
        if exc.status != 422:
            raise
        raise ActionError(422, "invalid", "; ".join(f"{k}: {v}" for k, v in exc.fields.items()) or exc.message, exc.fields) from None


async def start_source(request: web.Request) -> web.Response:
    """Start a source of one of the kinds (``source_kinds`` of ``GET /api/v1/vocabulary``) with its config."""
    who = caller(request)
    meeting_id = await _meeting(request)
    body = _input(request.app[SOURCE_KINDS], await read_json(request))
    kind, config = body.kind, body.config.model_dump(exclude_none=True)  # type: ignore[attr-defined]
    try:
        described = await manager(request).start(meeting_id, kind, config)
    except SourceConfigError as exc:
        raise ActionError(422, "invalid", str(exc), {"config": str(exc)}) from None
    async with request.app[SERVICES].engine.begin() as conn:
        await audit(conn, who, "source.start", meeting_id, {"source_id": described["id"], "kind": kind})
    return web.json_response(described, status=201)


async def source_verb(request: web.Request) -> web.Response:
    """Stop a source, or start it again from its checkpoint."""
    who = caller(request)
    meeting_id = await _meeting(request)
    source_id, verb = path_id(request, "source_id"), request.match_info["verb"]
    owned = [s for s in await manager(request).list(meeting_id) if s["id"] == source_id]
    if not owned:
        raise ActionError(404, "not_found", f"no source {source_id} in meeting {meeting_id}")
    described = await (manager(request).stop(source_id) if verb == "stop" else manager(request).restart(source_id))
    async with request.app[SERVICES].engine.begin() as conn:
        await audit(conn, who, f"source.{verb}", meeting_id, {"source_id": source_id})
    return web.json_response(described)


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


Short = Annotated[str, Field(max_length=20)] | None | Literal[""]
Row = Annotated[int, Field(ge=1, le=1_000_000)] | None | Literal[""]


class ImportOptions(Closed):
    """What the operator corrects of what was detected (``options`` JSON of an import)."""

    invalid = "the import options have invalid fields"
    unknown = "unknown"
    encoding: Short = None
    delimiter: Short = None
    header_row: Row = None
    header_rows: Row = None
    date_order: Short = None


def _read_options(raw: dict[str, Any], sheet: str | None) -> ReadOptions:
    try:
        options = parse(ImportOptions, raw)
    except ActionError as exc:
        raise ActionError(422, "invalid", f"{exc.message}: {', '.join(exc.fields)}; options are {', '.join(ImportOptions.model_fields)}",
                          {f"options.{k}": v for k, v in exc.fields.items()}) from None
    return ReadOptions(sheet=sheet, **{k: v for k, v in options.model_dump().items() if v not in (None, "")})


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
    """Import pooled requests (multipart: file=.csv|.xlsx|.live_chat.json, mapping=JSON, sheet)."""
    who = caller(request)
    meeting_id = await _meeting(request)
    path, mapping, options = await _upload(request)
    try:
        if query(request, ImportQuery).preview:
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


UPLOAD = {"required": True, "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
    "file": {"type": "string", "format": "binary"}, "mapping": {"type": "string"}, "sheet": {"type": "string"},
    "options": {"type": "string", "description": "JSON: {encoding?, delimiter?, header_row?, header_rows?: 1|2, date_order?: dmy|mdy} to correct what was detected"}}}}}}


def routes(kinds: SourceKinds) -> list[Route]:
    """The source and import routes (the body of a new source is one of the kinds' inputs)."""
    base = "/api/v1/meetings/{meeting_id}"
    inputs = tuple(source_input(k) for k in kinds)
    return [
        Route("GET", f"{base}/sources", list_sources, "sources"),
        Route("POST", f"{base}/sources", start_source, "sources", capability="sources.run", body=inputs, replies={201: Reply("Started")}),
        Route("POST", f"{base}/sources/{{source_id}}/{{verb:stop|start}}", source_verb, "sources", capability="sources.run"),
        Route("POST", f"{base}/imports", import_requests, "sources", capability="comments.import", query=ImportQuery,
              errors=(413, 415, 422, 503), replies={201: Reply("Imported"), 200: Reply("Preview")}, openapi={"requestBody": UPLOAD}),
    ]


def setup_source_api(app: web.Application) -> None:
    """Mount the source, import and webhook routes."""
    mount(app, routes(app[SOURCE_KINDS]))
    setup_webhooks(app)
