"""Every API failure is a JSON body with a stable code; nothing leaks a traceback.

Hostile JSON gets a 400, never a 500: nesting deeper than :data:`MAX_DEPTH`, integers beyond
64 bits (and Python's 4,300-digit limit), NaN and Infinity are refused while parsing.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from tyndau.actions import ActionError

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
MAX_DEPTH = 32
MAX_INT = 2**63 - 1
_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          413: "too_large", 415: "unsupported_media_type", 429: "too_many_attempts"}
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def error_response(status: int, code: str, message: str, **extra: Any) -> web.Response:
    """The one shape of an API error (``retry_after`` also becomes a Retry-After header)."""
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    fields = extra.pop("fields", None)
    if fields:
        body["error"]["fields"] = fields
    headers = {"Retry-After": str(extra["retry_after"])} if extra.get("retry_after") else None
    body.update({k: v for k, v in extra.items() if v is not None})
    return web.json_response(body, status=status, headers=headers)


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
        code = _CODES.get(exc.status, "http_error")
        message = exc.reason if exc.status != 413 else "the request body is too large"
        response = error_response(exc.status, code, message)
        for name in _KEPT_HEADERS:
            if name in exc.headers:
                response.headers[name] = exc.headers[name]
        return response
    except HttpProcessingError as exc:  # a malformed part of the request (a multipart header, say)
        status = exc.code if 400 <= exc.code < 500 else 400
        if not _is_api(request):
            return web.Response(status=status, text="Bad request.")
        return error_response(status, _CODES.get(status, "bad_request"), f"the request is malformed: {exc.message}"[:300])
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        if not _is_api(request):
            return web.Response(status=500, text="Internal error; the server log has the details.")
        return error_response(500, "internal", "internal error; the server log has the details")


def _is_api(request: web.Request) -> bool:
    return request.path.startswith("/api/") or request.path in ("/login", "/logout", "/healthz")


class _Refused(ValueError):
    """A JSON value this API will not take."""


def _int(text: str) -> int:
    if len(text.lstrip("-")) > 19:
        raise _Refused("an integer is out of range")
    value = int(text)
    if not -MAX_INT - 1 <= value <= MAX_INT:
        raise _Refused("an integer is out of range")
    return value


def _float(text: str) -> float | int:
    """JSON Schema counts 234.0 as an integer; so does this API."""
    value = float(text)
    if value.is_integer() and abs(value) <= 2**53:
        return int(value)
    return value


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON number")


def _depth_ok(value: Any) -> bool:
    """Iteratively: no container nested deeper than :data:`MAX_DEPTH`."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > MAX_DEPTH:
                return False
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return True


def parse_json(raw: bytes | str) -> Any:
    """Parse JSON as this API accepts it, or raise :class:`ActionError` 400."""
    try:
        data = json.loads(raw, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except _Refused as exc:
        raise ActionError(400, "bad_json", f"the body is not acceptable JSON: {exc}") from None
    except RecursionError:
        raise ActionError(400, "bad_json", f"the body is nested too deeply (at most {MAX_DEPTH} levels)") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ActionError(400, "bad_json", f"the body is not valid JSON: {exc}") from None
    if not _depth_ok(data):
        raise ActionError(400, "bad_json", f"the body is nested too deeply (at most {MAX_DEPTH} levels)")
    return data


async def read_json(request: web.Request) -> dict[str, Any]:
    """The request's JSON object body, or a 400/413/415 JSON error."""
    if request.content_type not in ("application/json", "") and (request.body_exists or "Content-Type" in request.headers):
        raise ActionError(415, "unsupported_media_type", "send the body as application/json")
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise ActionError(413, "too_large", "the request body is too large") from None
    if not raw.strip():
        return {}
    data = parse_json(raw)
    if not isinstance(data, dict):
        raise ActionError(400, "bad_json", "the body must be a JSON object")
    return data
