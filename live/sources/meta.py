"""Meta (Instagram and Facebook Live): Graph API webhooks and a Facebook live-comment poller.

Webhooks: Meta first verifies the callback with ``GET ?hub.mode=subscribe&hub.verify_token=..&
hub.challenge=..`` (answer the challenge as plain text), then POSTs JSON signed with
``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body with the app secret>``. Payloads are
``{"object": "instagram"|"page", "entry": [{"id", "time", "changes": [{"field", "value"}]}]}``:
Instagram ``live_comments`` / ``comments`` values carry ``id``, ``text``, ``from {id, username}``,
``media {id, media_product_type}``; Page ``feed`` values with ``item: "comment"`` carry
``comment_id``, ``post_id``, ``message``, ``from {id, name}``, ``created_time``, ``verb``.

Polling: ``GET /{live-video-id}/comments`` with ``filter=stream``, ``live_filter=no_filter``,
``order=chronological`` and ``since`` (the LiveVideo comments edge accepts exactly these), following
``paging.next``. Checkpoint: ``{"since": unix seconds, "seen": {comment id: unix seconds}}`` (the ids
delivered in the last few seconds, since ``since`` is re-queried with a small overlap).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp

from tyndau.domain.comments import IncomingComment
from tyndau.domain.text_safety import storable
from tyndau.live.source_kinds import Build, Option, SourceKind
from tyndau.live.sources.base import CommentSink, SourceHealth
from tyndau.live.sources.common import (
    Backoff,
    Checkpoint,
    Clock,
    HealthTracker,
    MemoryCheckpoint,
    as_mapping,
    deliver_retrying,
)
from tyndau.timeutil import utcnow

log = logging.getLogger(__name__)

GRAPH_BASE = "https://graph.facebook.com/v21.0"
SIGNATURE_HEADER = "X-Hub-Signature-256"
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613})
INSTAGRAM_FIELDS = frozenset({"live_comments", "comments", "mentions"})


class MetaWebhookError(ValueError):
    """A webhook request to refuse; ``status`` is the HTTP answer to give."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


def verify_subscription(query: Mapping[str, str], verify_token: str) -> str:
    """The ``hub.challenge`` to echo back, or :class:`MetaWebhookError` (403) if the handshake is wrong."""
    if query.get("hub.mode") != "subscribe":
        raise MetaWebhookError("hub.mode must be subscribe", 400)
    given = query.get("hub.verify_token") or ""
    if not verify_token or not hmac.compare_digest(given.encode("utf-8"), verify_token.encode("utf-8")):
        raise MetaWebhookError("verify token mismatch", 403)
    challenge = query.get("hub.challenge")
    if not challenge:
        raise MetaWebhookError("hub.challenge missing", 400)
    return challenge


def check_signature(raw_body: bytes, header: str | None, app_secret: str) -> bool:
    """Is ``X-Hub-Signature-256`` the HMAC-SHA256 of the raw body with the app secret? Constant time."""
    if not header or not app_secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode("utf-8"), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(
        header[len("sha256=") :].strip().lower().encode("ascii", "replace"), expected.encode()
    )


def _unix(value: Any) -> datetime | None:
    """Unix seconds (or milliseconds, as some payloads send) as an aware UTC datetime."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    seconds = value / 1000 if value > 10_000_000_000 else value
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def parse_graph_time(value: Any) -> datetime | None:
    """Graph API ``created_time`` (``2026-11-21T10:00:00+0000``) or a unix number."""
    if isinstance(value, str):
        for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z"):
            try:
                return datetime.strptime(value, fmt).astimezone(UTC)
            except ValueError:
                continue
        return None
    return _unix(value)


IGNORE_REASONS = {
    "unknown_object": "the object is not an Instagram account or a Facebook Page",
    "unknown_field": "a field Tyndau does not read (subscribe to live_comments, comments or feed)",
    "not_a_comment": "a Page feed change that is not a comment (a post, a reaction, a share …)",
    "mention_without_text": "an @mention notification carries no comment text",
    "edited": "an edit: the first version is kept",
    "no_id": "the change has no comment id",
    "not_routed": "no running source of any meeting has this object id",
}


@dataclass(frozen=True, slots=True)
class MetaEvent:
    """One change of a webhook POST: a comment to store, a hide/unhide, or an ignore with a reason."""

    action: str  # "store" | "hide" | "unhide" | "ignore"
    platform: str  # "instagram" | "facebook" | ""
    ref: str  # the comment id (for the webhook's answer)
    objects: tuple[str, ...] = ()  # ids a source may be keyed by: media id, post id, video id
    comment: IncomingComment | None = None
    reason: str = ""


def _instagram(value: Mapping[str, Any], field: str, when: datetime, account_id: str) -> MetaEvent:
    comment_id = value.get("id") if value.get("id") is not None else value.get("comment_id")
    media = as_mapping(value.get("media"))
    media_id = media.get("id") if media.get("id") is not None else value.get("media_id")
    objects = tuple(str(v) for v in (media_id, media.get("original_media_id")) if v is not None)
    if field == "mentions":
        return MetaEvent("ignore", "instagram", str(comment_id or ""), objects, reason="mention_without_text")
    if comment_id is None:
        return MetaEvent("ignore", "instagram", "", objects, reason="no_id")
    sender = as_mapping(value.get("from"))
    extra: dict[str, Any] = {"field": field}
    for key, val in (("user_id", sender.get("id")), ("media_id", media_id),
                     ("media_product_type", media.get("media_product_type")),
                     ("parent_id", value.get("parent_id"))):
        if val is not None:
            extra[key] = str(val)
    if account_id and str(sender.get("id")) == account_id:
        extra["own"] = "account"
    text = storable(value.get("text") or "")
    comment = IncomingComment(
        source="instagram", external_id=str(comment_id), author=storable(sender.get("username") or ""),
        text=text or "💬", created_at=when, kind="text" if text else "media", extra=extra,
    )
    return MetaEvent("store", "instagram", str(comment_id), objects, comment)


def _facebook(value: Mapping[str, Any], when: datetime, page_id: str) -> MetaEvent:
    post_id = value.get("post_id")
    objects = tuple(str(v) for v in (post_id, as_mapping(value.get("post")).get("id"), value.get("video_id")) if v is not None)
    if post_id is not None and "_" in str(post_id):
        objects += (str(post_id).split("_", 1)[1],)  # the bare video/post id, as in the Live Producer
    if value.get("item") != "comment":
        return MetaEvent("ignore", "facebook", str(value.get("post_id") or ""), objects, reason="not_a_comment")
    if value.get("comment_id") is None:
        return MetaEvent("ignore", "facebook", "", objects, reason="no_id")
    comment_id = str(value["comment_id"])
    verb = value.get("verb")
    if verb in ("hide", "unhide"):
        return MetaEvent(verb, "facebook", comment_id, objects)
    if verb == "edited":
        return MetaEvent("ignore", "facebook", comment_id, objects, reason="edited")
    sender = as_mapping(value.get("from"))
    extra: dict[str, Any] = {"field": "feed", "verb": verb}
    for key in ("post_id", "parent_id"):
        if value.get(key) is not None:
            extra[key] = str(value[key])
    if sender.get("id") is not None:
        extra["user_id"] = str(sender["id"])
        if page_id and str(sender["id"]) == page_id:
            extra["own"] = "page"
    for key in ("photo", "video"):
        if isinstance(value.get(key), str):
            extra[key] = value[key]
    created = parse_graph_time(value.get("created_time")) or when
    if verb == "remove":
        extra["target_id"] = comment_id
        deleted = IncomingComment("facebook", f"deleted:{comment_id}", "", "", created, kind="deleted", extra=extra)
        return MetaEvent("store", "facebook", comment_id, objects, deleted)
    text = storable(value.get("message") or "")
    kind = "text"
    if not text.strip():
        kind, text = "media", ("🖼 " + extra["photo"]) if "photo" in extra else ("🎬 " + extra["video"]) if "video" in extra else "💬"
    comment = IncomingComment(
        source="facebook", external_id=comment_id, author=storable(sender.get("name") or ""),
        text=text, created_at=created, kind=kind, extra=extra,
    )
    return MetaEvent("store", "facebook", comment_id, objects, comment)


def webhook_events(body: bytes | Mapping[str, Any], *, clock: Clock = utcnow) -> list[MetaEvent]:
    """Every change in one webhook POST, each decided (Instagram comments, Facebook Page comments).

    Only a body that is not a JSON object raises (:class:`MetaWebhookError`, 400).
    """
    if isinstance(body, (bytes, bytearray)):
        try:
            body = json.loads(bytes(body).decode("utf-8", "replace"))
        except (ValueError, RecursionError):
            raise MetaWebhookError("body is not JSON", 400) from None
    if not isinstance(body, Mapping):
        raise MetaWebhookError("body is not a JSON object", 400)
    kind = body.get("object")
    out: list[MetaEvent] = []
    entries = body.get("entry") if isinstance(body.get("entry"), list) else []
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        when = _unix(entry.get("time")) or clock()
        owner = str(entry.get("id") or "")
        changes = entry.get("changes")
        if not isinstance(changes, list):
            changes = [entry] if "field" in entry else []  # Instagram-login payloads put field/value on the entry
        for change in changes:
            if not isinstance(change, Mapping) or not isinstance(change.get("value"), Mapping):
                continue
            field, value = change.get("field"), change["value"]
            if kind == "instagram" and field in INSTAGRAM_FIELDS:
                out.append(_instagram(value, str(field), when, owner))
            elif kind == "page" and field == "feed":
                out.append(_facebook(value, when, owner))
            elif kind in ("instagram", "page"):
                out.append(MetaEvent("ignore", str(kind), str(value.get("id") or ""), reason="unknown_field"))
            else:
                out.append(MetaEvent("ignore", "", str(value.get("id") or ""), reason="unknown_object"))
    return out


def parse_webhook(body: bytes | Mapping[str, Any], *, clock: Clock = utcnow) -> list[IncomingComment]:
    """The comments (and deletions) of one webhook POST; everything else is left out."""
    return [e.comment for e in webhook_events(body, clock=clock) if e.action == "store" and e.comment is not None]


class GraphError(Exception):
    """A Graph API error answer."""

    def __init__(self, status: int, code: int | None, message: str) -> None:
        super().__init__(f"{status} (code {code}): {message}")
        self.status = status
        self.code = code
        self.message = message


def graph_comment(item: Mapping[str, Any], video_id: str) -> IncomingComment | None:
    """One comment object from the ``/comments`` edge."""
    if item.get("id") is None:
        return None
    sender = as_mapping(item.get("from"))
    extra: dict[str, Any] = {"video_id": video_id}
    if sender.get("id") is not None:
        extra["user_id"] = str(sender["id"])
    return IncomingComment(
        source="facebook",
        external_id=str(item["id"]),
        author=storable(sender.get("name") or ""),
        text=storable(item.get("message") or ""),
        created_at=parse_graph_time(item.get("created_time")) or utcnow(),
        kind="text",
        extra=extra,
    )


class FacebookCommentPoller:
    """Polls a Facebook live video's comments (for when webhooks are not set up)."""

    name = "facebook"

    def __init__(
        self,
        video_id: str,
        token: str,
        graph_base: str = GRAPH_BASE,
        *,
        checkpoint: Checkpoint | None = None,
        interval: float = 3.0,
        limit: int = 100,
        window: int = 5,
        backoff: Backoff | None = None,
        session: aiohttp.ClientSession | None = None,
        clock: Clock = utcnow,
    ) -> None:
        self.video_id = video_id
        self._token = token
        self.graph_base = graph_base.rstrip("/")
        self.checkpoint: Checkpoint = checkpoint or MemoryCheckpoint()
        self.interval = interval
        self.limit = limit
        self.window = window
        self.backoff = backoff or Backoff(initial=2.0, cap=120.0)
        self._session = session
        self.clock = clock
        self._tracker = HealthTracker()

    def health(self) -> SourceHealth:
        """connected while polls succeed, down with the Graph error otherwise."""
        return self._tracker.snapshot()

    async def _get(
        self, session: aiohttp.ClientSession, url: str, params: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        async with session.get(url, params=params, timeout=aiohttp.ClientTimeout(total=30)) as resp:
            try:
                data = await resp.json(content_type=None)
            except (ValueError, aiohttp.ContentTypeError):
                raise GraphError(resp.status, None, "non-JSON answer") from None
        if not isinstance(data, dict):
            raise GraphError(resp.status, None, "unexpected answer")
        if resp.status >= 400 or "error" in data:
            err = as_mapping(data.get("error"))
            code = err.get("code") if isinstance(err.get("code"), int) else None
            raise GraphError(resp.status, code, str(err.get("message") or "error"))
        return data

    async def poll_once(self, session: aiohttp.ClientSession, since: int | None) -> list[IncomingComment]:
        """All comments since ``since`` (inclusive), oldest first, following ``paging.next``."""
        params: dict[str, Any] = {
            "access_token": self._token,
            "fields": "id,message,created_time,from{id,name}",
            "filter": "stream",
            "live_filter": "no_filter",
            "order": "chronological",
            "limit": self.limit,
        }
        if since is not None:
            params["since"] = since
        url: str | None = f"{self.graph_base}/{self.video_id}/comments"
        out: list[IncomingComment] = []
        query: Mapping[str, Any] | None = params
        while url:
            data = await self._get(session, url, query)
            for item in data.get("data") or ():
                comment = graph_comment(item, self.video_id) if isinstance(item, Mapping) else None
                if comment is not None:
                    out.append(comment)
            paging = as_mapping(data.get("paging"))
            url, query = (paging.get("next") if isinstance(paging.get("next"), str) else None), None
        return out

    async def run(self, sink: CommentSink) -> None:
        """Poll every ``interval`` seconds until cancelled; resume from the checkpoint.

        ``since`` is sent a few seconds early (Meta does not say whether it is inclusive), and the ids
        already delivered inside that window are remembered, so nothing is missed or sent twice.
        """
        state = await self.checkpoint.load() or {}
        since = state.get("since") if isinstance(state.get("since"), int) else None
        raw_seen = state.get("seen")
        seen: dict[str, int] = dict(raw_seen) if isinstance(raw_seen, dict) else {}
        session = self._session or aiohttp.ClientSession()
        try:
            while True:
                try:
                    query_since = None if since is None else since - self.window
                    comments = await self.poll_once(session, query_since)
                except GraphError as exc:
                    delay = self.backoff.next_delay() * (3 if exc.code in RATE_LIMIT_CODES else 1)
                    code = "rate_limited" if exc.code in RATE_LIMIT_CODES else "auth_error" if exc.code == 190 else "api_error"
                    self._tracker.set("down", code, platform="Graph", status=exc.status, description=f"code {exc.code}", retry_in=round(delay))
                    log.warning("facebook poll: %s", exc.message)
                    await asyncio.sleep(delay)
                    continue
                except (TimeoutError, aiohttp.ClientError) as exc:
                    delay = self.backoff.next_delay()
                    self._tracker.set("down", "network_error", error=type(exc).__name__, retry_in=round(delay))
                    await asyncio.sleep(delay)
                    continue
                self.backoff.reset()
                self._tracker.set("connected", "polling", platform="Facebook")
                fresh = [c for c in comments if c.external_id not in seen]
                if fresh:
                    await deliver_retrying(sink, fresh, self._tracker, self.clock)
                    for c in fresh:
                        seen[str(c.external_id)] = int(c.created_at.timestamp())
                    since = max([since or 0, *seen.values()])
                    seen = {k: t for k, t in seen.items() if t >= since - self.window}
                    await self.checkpoint.save({"since": since, "seen": seen})
                await asyncio.sleep(self.interval)
        except asyncio.CancelledError:
            self._tracker.set("stopped", "stopped")
            raise
        finally:
            if self._session is None:
                await session.close()


def _build(config: Mapping[str, Any], given: Build) -> FacebookCommentPoller:
    return FacebookCommentPoller(config["video_id"], config["token"], config.get("graph_base") or GRAPH_BASE, checkpoint=given.checkpoint)


SOURCE_KINDS = (SourceKind("facebook", (
    Option("video_id", required=True, pattern=r"[\d_]{1,60}", refusal="the live video's numeric id", help="the live video"),
    Option("token", "secret", required=True, help="a Page access token"),
    Option("graph_base", "url", help="the Graph API's base URL (a test server)", form=False),
), _build, rank=30, summary="A Facebook live video's comments, polled (when webhooks are not set up)."),)
