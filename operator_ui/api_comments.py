"""Comments over HTTP: the generic signed webhook and the cursor-paged feed."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import logging
import time
from datetime import timezone
from typing import Any, Mapping

from aiohttp import web

from tyndau.actions import ActionError, perform, require
from tyndau.live.comments import IncomingComment
from tyndau.live.intake import IntakeUnavailable
from tyndau.operator_ui.auth import principal
from tyndau.operator_ui.errors import parse_json, query_flag as _flag, query_int as _number, read_json
from tyndau.operator_ui.keys import SERVICES
from tyndau.permissions import audience_of
from tyndau.store.comments import FeedQuery, comment_json, list_comments
from tyndau.store.meetings import get_meeting
from tyndau.timeutil import parse_iso

log = logging.getLogger(__name__)
MAX_ITEMS = 1000
MAX_LIMIT = 10_000
SIGNATURE_TOLERANCE = 300
NAMESPACE = "webhook:"


def _meeting_id(request: web.Request) -> int:
    raw = request.match_info["meeting_id"]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise ActionError(404, "not_found", f"no meeting {raw!r}")
    return int(raw)


def parse_comment(item: Any, index: int | None = None) -> IncomingComment:
    """Validate one webhook comment; errors name the field (and the item's index in a list)."""
    where = "" if index is None else f"items[{index}]."
    if not isinstance(item, Mapping):
        raise ActionError(400, "bad_request", f"{where or 'the body'} must be a JSON object")
    errors: dict[str, str] = {}

    def string(name: str, *, required: bool, limit: int) -> str:
        value = item.get(name)
        if value is None or value == "":
            if required:
                errors[where + name] = "required"
            return ""
        if not isinstance(value, str):
            errors[where + name] = "must be a string"
            return ""
        if len(value) > limit:
            errors[where + name] = f"at most {limit} characters"
        return value

    source = string("source", required=True, limit=60)
    external_id = string("external_id", required=False, limit=200)
    author = string("author", required=False, limit=300)
    text = string("text", required=True, limit=100_000)
    lang = string("lang", required=False, limit=10)
    if text and not text.strip():
        errors[where + "text"] = "is empty"
    created_raw = item.get("created_at")
    created = None
    if not isinstance(created_raw, str):
        errors[where + "created_at"] = "required, ISO 8601 with offset"
    else:
        try:
            created = parse_iso(created_raw)
            created.astimezone(timezone.utc)  # 9999-12-31T23:59:59-14:00 is past the end of time in UTC
        except (ValueError, OverflowError) as exc:
            created = None
            errors[where + "created_at"] = f"ISO 8601 with offset ({exc})"
    unknown = set(item) - {"source", "external_id", "author", "text", "created_at", "lang"}
    for name in sorted(unknown):
        errors[where + name] = "unknown field"
    if errors:
        raise ActionError(422, "invalid", "the comment has invalid fields", errors)
    assert created is not None
    return IncomingComment(source=source, external_id=external_id or None, author=author, text=text, created_at=created, lang=lang or None)


def signature(secret: str, timestamp: str, meeting_id: int, raw: bytes) -> str:
    """``X-Tyndau-Signature``: HMAC-SHA256 over ``"<timestamp>.<meeting id>." + body``, so a captured
    request can neither be replayed later nor into another meeting."""
    message = f"{timestamp}.{meeting_id}.".encode("ascii") + raw
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def _check_signature(request: web.Request, meeting_id: int, raw: bytes) -> None:
    """Refuse (401, naming what is wrong) a request that is not signed for this meeting, now."""
    secret = request.app[SERVICES].settings.webhook_secret
    header = request.headers.get("X-Tyndau-Signature", "").strip()
    stamp = request.headers.get("X-Tyndau-Timestamp", "").strip()
    problem = None
    if not secret or not header.startswith("sha256="):
        problem = "send a bearer token or a valid X-Tyndau-Signature"
    elif not stamp.isdigit() or len(stamp) > 12:
        problem = "X-Tyndau-Timestamp (unix seconds) is required with a signature"
    elif abs(time.time() - int(stamp)) > SIGNATURE_TOLERANCE:
        problem = f"X-Tyndau-Timestamp is more than {SIGNATURE_TOLERANCE} s away from the server's clock"
    elif not hmac.compare_digest(signature(secret, stamp, meeting_id, raw), "sha256=" + header[7:].lower()):
        problem = "X-Tyndau-Signature does not match HMAC-SHA256 of '<timestamp>.<meeting id>.<body>'"
    if problem is not None:
        log.warning("refused a comment webhook for meeting %s from %s: %s", meeting_id, request.remote, problem)
        raise ActionError(401, "unauthorized", problem)


def _own_namespace(comment: IncomingComment) -> IncomingComment:
    """A signed sender's comments live under ``webhook:<source>``: it cannot claim (and so suppress) a platform's ids."""
    if comment.source.startswith(NAMESPACE):
        return comment
    return dataclasses.replace(comment, source=(NAMESPACE + comment.source)[:60])


async def post_comments(request: web.Request) -> web.Response:
    """Accept one comment (or ``{"items": [...]}``); 201 when new, 200 when a duplicate."""
    meeting_id = _meeting_id(request)
    services = request.app[SERVICES]
    signed = principal(request) is None
    if signed:
        _check_signature(request, meeting_id, await request.read())
    else:
        require(principal(request), "comments.import")
    if not signed and request.content_type != "application/json":  # a signature, not a cookie, may come as anything
        raise ActionError(415, "unsupported_media_type", "send the body as application/json")
    body = _loads(await request.read())
    if not await services.meeting_exists(meeting_id):
        raise ActionError(404, "not_found", f"no meeting {meeting_id}")
    many = "items" in body and set(body) == {"items"}
    if many:
        items = body["items"]
        if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
            raise ActionError(422, "invalid", f"items must be a list of 1 to {MAX_ITEMS} comments", {"items": "1 to 1000 comments"})
        batch = [parse_comment(item, i) for i, item in enumerate(items)]
    else:
        batch = [parse_comment(body)]
    if signed:
        batch = [_own_namespace(c) for c in batch]
    try:
        results = await services.intake.submit(meeting_id, batch)
    except IntakeUnavailable as exc:
        raise ActionError(503, "store_unavailable", f"{exc}; retry later") from None
    if many:
        payload = {"items": [_answer(c, r) for c, r in zip(batch, results)]}
        return web.json_response(payload, status=201 if any(r.stored and not r.duplicate for r in results) else 200)
    result = results[0]
    if not result.stored:
        raise ActionError(422, "unstorable", f"the comment could not be stored: {result.error}")
    return web.json_response(_answer(batch[0], result), status=200 if result.duplicate else 201)


def _answer(comment: IncomingComment, result: Any) -> dict[str, Any]:
    if not result.stored:
        return {"id": None, "duplicate": False, "result": "error", "error": result.error, "source": comment.source}
    return {"id": result.id, "duplicate": result.duplicate, "result": "duplicate" if result.duplicate else "stored",
            "source": comment.source}


def _loads(raw: bytes) -> dict[str, Any]:
    data = parse_json(raw)
    if not isinstance(data, dict):
        raise ActionError(400, "bad_json", "the body must be a JSON object")
    return data


def feed_query(query: Mapping[str, str]) -> FeedQuery:
    """Parse the feed's query string (``limit``, ``after``, filters); anything out of range is a 400."""
    limit = _number(query, "limit", 100, 1, MAX_LIMIT)
    after = _number(query, "after", 0, 0, 2**53 - 1)
    cluster = _number(query, "cluster", None, 0, 2**53 - 1)
    lang = query.get("lang") or None
    if lang is not None and len(lang) > 10:
        raise ActionError(400, "bad_request", "lang is a language code such as ru or kk")
    order = query.get("order") or "oldest"
    if order not in ("oldest", "newest"):
        raise ActionError(400, "bad_request", "order is oldest or newest")
    hidden = _flag(query.get("hidden"))
    assert limit is not None and after is not None
    return FeedQuery(
        after=after, limit=limit, source=(query.get("source") or "")[:60] or None, lang=lang,
        search=(query.get("q") or "").strip()[:200] or None, include_hidden=hidden is not False,
        include_throttled=_flag(query.get("throttled")) is not False, only_pinned=bool(_flag(query.get("pinned"))),
        is_problem=_flag(query.get("is_problem")), category=(query.get("category") or "")[:40] or None, cluster_id=cluster,
        newest_first=order == "newest",
    )


async def get_comments(request: web.Request) -> web.Response:
    """A page of the meeting's comments: ``{"items": [...], "next": cursor | null}``."""
    who = require(principal(request), "read")
    meeting_id = _meeting_id(request)
    services = request.app[SERVICES]
    q = feed_query(request.query)
    async with services.engine.connect() as conn:
        if await get_meeting(conn, meeting_id) is None:
            raise ActionError(404, "not_found", f"no meeting {meeting_id}")
        rows, cursor = await list_comments(conn, meeting_id, q)
    audience = audience_of(who.role)
    items = [comment_json(r, audience) for r in rows]
    if q.search:
        # The search ran on the stored text; only matches a reader could see count, so a search for
        # digits cannot tell whether a hidden phone number contains them.
        needle = q.search.casefold()
        items = [i for i in items if needle in i["text"].casefold() or needle in (i["author"] or "").casefold()]
    return web.json_response({"items": items, "next": None if cursor is None else str(cursor)})


async def comment_action(request: web.Request) -> web.Response:
    """Moderate one comment: ``POST .../comments/{id}/{pin|unpin|answered|hide|unhide|current|reveal}``."""
    payload = await read_json(request)
    payload["meeting_id"] = _meeting_id(request)
    raw_id = request.match_info["comment_id"]
    if not (raw_id.isascii() and raw_id.isdigit()) or len(raw_id) > 15:
        raise ActionError(404, "not_found", "no such comment")
    payload["comment_id"] = int(raw_id)
    services = request.app[SERVICES]
    result = await perform(services.actions, services, principal(request), f"feed.{request.match_info['verb']}", payload)
    return web.json_response(result)


async def floor_question(request: web.Request) -> web.Response:
    """A question asked in the hall, typed by a secretary (name and contact kept private)."""
    payload = await read_json(request)
    payload["meeting_id"] = _meeting_id(request)
    services = request.app[SERVICES]
    result = await perform(services.actions, services, principal(request), "feed.floor", payload)
    return web.json_response(result, status=201)


def setup_comment_api(app: web.Application) -> None:
    """Mount the comment routes."""
    r = app.router
    r.add_post("/api/v1/meetings/{meeting_id}/comments", post_comments)
    r.add_get("/api/v1/meetings/{meeting_id}/comments", get_comments)
    r.add_post("/api/v1/meetings/{meeting_id}/comments/{comment_id}/{verb:pin|unpin|answered|unanswered|hide|unhide|current|reveal}", comment_action)
    r.add_post("/api/v1/meetings/{meeting_id}/floor-questions", floor_question)
