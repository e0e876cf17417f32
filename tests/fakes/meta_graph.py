"""A local Graph API server for the live-video comments edge, plus Meta webhook payload builders.

Serves ``GET /<version>/<live-video-id>/comments`` as the Graph API does: ``access_token`` is checked
(``OAuthException`` code 190 otherwise), ``filter`` (toplevel|stream), ``live_filter``
(filter_low_quality|no_filter) and ``order`` (chronological|reverse_chronological) are validated
(code 100 otherwise), ``since`` (unix seconds) keeps comments created at or after it, ``limit`` pages
the result with ``paging.cursors`` and an absolute ``paging.next`` URL carrying ``after``.
``created_time`` is formatted like Graph does: ``2026-11-21T10:00:00+0000``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections import deque
from datetime import UTC, datetime
from typing import Any

from aiohttp import web


def graph_time(unix: int) -> str:
    """Graph API's timestamp format."""
    return datetime.fromtimestamp(unix, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def sign(body: bytes, app_secret: str) -> str:
    """The ``X-Hub-Signature-256`` header Meta would send for ``body``."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def instagram_live_comment(
    comment_id: str,
    text: str,
    username: str,
    *,
    media_id: str = "17900000000000001",
    account_id: str = "17841400000000001",
    time: int = 1763719260,
    field: str = "live_comments",
) -> dict[str, Any]:
    """A webhook body for one Instagram live comment, as in Meta's examples."""
    return {
        "object": "instagram",
        "entry": [{
            "id": account_id,
            "time": time,
            "changes": [{
                "field": field,
                "value": {
                    "from": {"id": "9000000000000001", "username": username},
                    "media": {"id": media_id, "media_product_type": "LIVE"},
                    "id": comment_id,
                    "text": text,
                },
            }],
        }],
    }


def page_feed_comment(
    comment_id: str,
    message: str,
    name: str,
    *,
    verb: str = "add",
    page_id: str = "1000000000000001",
    post_id: str = "1000000000000001_2000000000000002",
    created_time: int = 1763719260,
) -> dict[str, Any]:
    """A Page ``feed`` webhook body for a comment added (or removed) on a post or live video."""
    value: dict[str, Any] = {
        "from": {"id": "3000000000000003", "name": name},
        "post": {"id": post_id, "status_type": "added_video", "is_published": True},
        "message": message,
        "post_id": post_id,
        "comment_id": comment_id,
        "created_time": created_time,
        "item": "comment",
        "parent_id": post_id,
        "verb": verb,
    }
    return {
        "object": "page",
        "entry": [{"id": page_id, "time": created_time + 1, "changes": [{"field": "feed", "value": value}]}],
    }


class FakeGraph:
    """The fake Graph API's state: comments per live video, recorded requests, injected faults."""

    def __init__(self, token: str = "EAAB-test-token", version: str = "v21.0") -> None:
        self.token = token
        self.version = version
        self.comments: dict[str, list[dict[str, Any]]] = {}
        self.requests: list[dict[str, str]] = []
        self.faults: deque[tuple[int, dict[str, Any]]] = deque()

    def app(self) -> web.Application:
        """The aiohttp application to serve on 127.0.0.1."""
        app = web.Application()
        app.router.add_get("/{version}/{video_id}/comments", self._comments)
        return app

    def add_comment(
        self,
        video_id: str,
        comment_id: str,
        message: str,
        created: int,
        name: str = "Айгерим",
        user_id: str = "4000000000000004",
    ) -> None:
        """A comment on the live video."""
        self.comments.setdefault(video_id, []).append({
            "id": comment_id, "message": message, "created_time": graph_time(created),
            "from": {"id": user_id, "name": name}, "_ts": created,
        })

    def fail_next(self, status: int, code: int, message: str, err_type: str = "OAuthException") -> None:
        """Answer the next request with a Graph error."""
        self.faults.append((status, {"error": {"message": message, "type": err_type, "code": code,
                                               "fbtrace_id": "AbCdEf"}}))

    @staticmethod
    def _error(status: int, code: int, message: str, err_type: str = "OAuthException") -> web.Response:
        body = {"error": {"message": message, "type": err_type, "code": code, "fbtrace_id": "AbCdEf"}}
        return web.json_response(body, status=status)

    async def _comments(self, request: web.Request) -> web.Response:
        q = request.query
        self.requests.append(dict(q))
        if request.match_info["version"] != self.version:
            return self._error(400, 2635, "Unknown API version")
        if q.get("access_token") != self.token:
            return self._error(400, 190, "Invalid OAuth access token - Cannot parse access token")
        if self.faults:
            status, body = self.faults.popleft()
            return web.json_response(body, status=status)
        enums = {"filter": ("toplevel", "stream"), "live_filter": ("filter_low_quality", "no_filter"),
                 "order": ("chronological", "reverse_chronological")}
        for name, allowed in enums.items():
            if name in q and q[name] not in allowed:
                return self._error(
                    400, 100, f"(#100) {name} must be one of {', '.join(allowed)}", "GraphMethodException"
                )
        try:
            since = int(q["since"]) if "since" in q else None
            limit = max(1, min(100, int(q.get("limit", 25))))
            start = int(base64.b64decode(q["after"]).decode()) if "after" in q else 0
        except (ValueError, TypeError):
            return self._error(400, 100, "(#100) Invalid parameter", "GraphMethodException")
        items = [
            c
            for c in self.comments.get(request.match_info["video_id"], [])
            if since is None or c["_ts"] >= since
        ]
        items.sort(key=lambda c: (c["_ts"], c["id"]), reverse=q.get("order") == "reverse_chronological")
        page = items[start : start + limit]
        data = [{k: v for k, v in c.items() if not k.startswith("_")} for c in page]
        answer: dict[str, Any] = {"data": data}
        if page:
            cursor = lambda i: base64.b64encode(str(i).encode()).decode()  # noqa: E731
            answer["paging"] = {"cursors": {"before": cursor(start), "after": cursor(start + len(page))}}
            if start + len(page) < len(items):
                answer["paging"]["next"] = str(request.url.update_query({"after": cursor(start + len(page))}))
        return web.Response(text=json.dumps(answer), content_type="application/json")
