"""Every API failure is a JSON body with a stable code; nothing leaks a traceback."""

from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable

from aiohttp import web

from tyndau.actions import ActionError

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def error_response(status: int, code: str, message: str, **extra: Any) -> web.Response:
    """The one shape of an API error."""
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    fields = extra.pop("fields", None)
    if fields:
        body["error"]["fields"] = fields
    body.update({k: v for k, v in extra.items() if v is not None})
    return web.json_response(body, status=status)


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn action errors, HTTP errors and crashes under ``/api`` into JSON errors."""
    try:
        return await handler(request)
    except ActionError as exc:
        return error_response(exc.status, exc.code, exc.message, fields=exc.fields, **exc.extra)
    except web.HTTPException as exc:
        if not _is_api(request) or exc.status < 400:
            raise
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(exc.status, "http_error")
        message = exc.reason if exc.status != 413 else "the request body is too large"
        return error_response(exc.status, code, message)
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        if not _is_api(request):
            return web.Response(status=500, text="Internal error; the server log has the details.")
        return error_response(500, "internal", "internal error; the server log has the details")


def _is_api(request: web.Request) -> bool:
    return request.path.startswith("/api/") or request.path in ("/login", "/logout", "/healthz")


async def read_json(request: web.Request) -> dict[str, Any]:
    """The request's JSON object body, or a 400/413/415 JSON error."""
    if request.content_type not in ("application/json", ""):
        raise ActionError(415, "unsupported_media_type", "send the body as application/json")
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise ActionError(413, "too_large", "the request body is too large") from None
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ActionError(400, "bad_json", f"the body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ActionError(400, "bad_json", "the body must be a JSON object")
    return data
