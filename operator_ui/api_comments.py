"""Comments over HTTP: the generic signed webhook and the cursor-paged feed."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import logging
import time
from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import Field

from tyndau.actions import ActionError, require
from tyndau.actions.schema import Closed, Instant, NonBlank, Says, parse
from tyndau.domain.comments import IncomingComment
from tyndau.live.intake import IntakeUnavailable
from tyndau.operator_ui.api_shapes import CommentAccepted, CommentPage
from tyndau.operator_ui.auth import principal
from tyndau.operator_ui.errors import parse_json
from tyndau.operator_ui.keys import SERVICES
from tyndau.operator_ui.query import Flag, Query, whole
from tyndau.operator_ui.routes import Reply, Route, action_route, caller, mount, path_id, query
from tyndau.permissions import audience_of
from tyndau.store.comments import FeedQuery, comment_json, list_comments
from tyndau.store.meetings import get_meeting

log = logging.getLogger(__name__)
MAX_ITEMS = 1000
MAX_LIMIT = 10_000
MAX_TEXT = 100_000
MAX_CURSOR = 2**53 - 1
SIGNATURE_TOLERANCE = 300
NAMESPACE = "webhook:"


class CommentIn(Closed):
    """One comment of the generic webhook."""

    invalid = "the comment has invalid fields"
    source: Annotated[str, Field(min_length=1, max_length=60)]
    external_id: Annotated[str, Field(max_length=200)] | None = None
    author: Annotated[str, Field(max_length=300)] | None = None
    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT), NonBlank]
    created_at: Instant
    lang: Annotated[str, Field(max_length=10)] | None = None

    def comment(self) -> IncomingComment:
        """The comment as every source hands it to the intake."""
        return IncomingComment(source=self.source, external_id=self.external_id or None, author=self.author or "", text=self.text,
                               created_at=self.created_at, lang=self.lang or None)


class CommentBatch(Closed):
    """``{"items": [comment, ...]}``: up to 1000 comments at once."""

    invalid = "the comments have invalid fields"
    items: Annotated[list[CommentIn], Field(min_length=1, max_length=MAX_ITEMS)]


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
    """Submit a comment (generic webhook: bearer token or X-Tyndau-Signature HMAC); 201 when new, 200 when a duplicate."""
    meeting_id = path_id(request, "meeting_id")
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
    batch = [c.comment() for c in parse(CommentBatch, body).items] if many else [parse(CommentIn, body).comment()]
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


Cursor = whole(0, MAX_CURSOR, "the `next` cursor of the previous page")
Limit = whole(1, MAX_LIMIT)
ClusterParam = whole(0, MAX_CURSOR)


class FeedParams(Query):
    """The feed's paging and filters."""

    limit: Limit = 100
    after: Cursor = 0
    lang: Annotated[str, Field(max_length=10), Says("a language code such as ru or kk", 400, "bad_request")] = None  # type: ignore[assignment]
    cluster: ClusterParam = None
    order: Annotated[Literal["oldest", "newest"], Says("oldest or newest", 400, "bad_request")] = "oldest"
    is_problem: Flag = None  # type: ignore[assignment]
    hidden: Flag = None  # type: ignore[assignment]
    throttled: Flag = None  # type: ignore[assignment]
    pinned: Flag = None  # type: ignore[assignment]
    source: str = ""
    q: str = ""
    category: str = ""

    def feed_query(self) -> FeedQuery:
        """The store's query (long texts clipped)."""
        return FeedQuery(
            after=self.after, limit=self.limit, source=self.source[:60] or None, lang=self.lang or None,
            search=self.q.strip()[:200] or None, include_hidden=self.hidden is not False,
            include_throttled=self.throttled is not False, only_pinned=bool(self.pinned), is_problem=self.is_problem,
            category=self.category[:40] or None, cluster_id=self.cluster, newest_first=self.order == "newest",
        )


async def get_comments(request: web.Request) -> web.Response:
    """Page through the comments (text redacted of personal data for every role)."""
    who = caller(request)
    meeting_id = path_id(request, "meeting_id")
    services = request.app[SERVICES]
    q = query(request, FeedParams).feed_query()
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


COMMENT_VERBS = {
    "pin": "Put a comment in the Q&A queue", "unpin": "Take a comment out of the Q&A queue",
    "answered": "Mark a question answered on air", "unanswered": "Undo \"answered on air\"",
    "hide": "Hide a comment from the feed, with a reason (it stays in the store; it leaves the screen)",
    "unhide": "Show a hidden comment again",
    "current": "Put a question on the presenter screen and the overlay (with personal data: confirm_personal_data: true)",
    "reveal": "The original text, author and contact (secretaries and admins; audited)",
}


def routes() -> list[Route]:
    """The comment routes."""
    base = "/api/v1/meetings/{meeting_id}"
    return [
        Route("POST", f"{base}/comments", post_comments, "comments", capability=None, body=(CommentIn, CommentBatch),
              errors=(401, 403, 404, 422, 503), openapi={"security": [{"bearer": []}, {"hmac": []}]},
              replies={201: Reply("Stored", CommentAccepted), 200: Reply("Duplicate: stored before", CommentAccepted)}),
        Route("GET", f"{base}/comments", get_comments, "comments", query=FeedParams, replies={200: Reply(model=CommentPage)}),
        *(action_route(f"{base}/comments/{{comment_id}}/{verb}", f"feed.{verb}", tag="comments", summary=summary,
                       errors=(409,) if verb in ("current",) else ()) for verb, summary in COMMENT_VERBS.items()),
        action_route(f"{base}/floor-questions", "feed.floor", tag="comments", status=201, errors=(404, 503),
                     reply=Reply("Stored")),
    ]


def setup_comment_api(app: web.Application) -> None:
    """Mount the comment routes."""
    mount(app, routes())
