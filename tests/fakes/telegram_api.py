"""A local Bot API server speaking the real ``getUpdates`` protocol, for tests.

Serves ``/bot<token>/getUpdates`` over GET or POST with the parameters in the query string, a form or
a JSON body, as Telegram accepts them: ``offset`` confirms every update below it (a negative offset
keeps only the last ``-offset``), ``limit`` is 1-100, ``timeout`` long-polls until an update arrives,
``allowed_updates`` is a JSON-serialised list that is remembered for later calls. Answers are
``{"ok": true, "result": [Update]}`` or ``{"ok": false, "error_code", "description", "parameters"?}``
with the matching HTTP status. ``fail_next`` queues error answers (e.g. 429 with ``retry_after``).

Webhooks as Telegram runs them: ``setWebhook`` (``url``, ``secret_token``, ``allowed_updates``),
``deleteWebhook``, ``getWebhookInfo`` (``url``, ``pending_update_count``, ``last_error_date``,
``last_error_message``); while a webhook is set ``getUpdates`` answers 409 "Conflict: can't use
getUpdates method while webhook is active". :meth:`FakeBotApi.deliver` POSTs an update to the webhook
with ``X-Telegram-Bot-Api-Secret-Token`` and records a non-2xx answer as Telegram's last error. Unlike
Telegram, the fake accepts ``http://127.0.0.1`` URLs so tests run without TLS.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from typing import Any

from aiohttp import web

UPDATE_TYPES = ("message", "edited_message", "channel_post", "edited_channel_post", "callback_query")


def user(user_id: int, first: str, last: str | None = None, username: str | None = None) -> dict[str, Any]:
    """A User object."""
    out: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first}
    if last:
        out["last_name"] = last
    if username:
        out["username"] = username
    return out


def group(chat_id: int, title: str = "Akimat discussion") -> dict[str, Any]:
    """A supergroup Chat object."""
    return {"id": chat_id, "type": "supergroup", "title": title}


def channel(chat_id: int, title: str = "Akimat channel", username: str = "akimat") -> dict[str, Any]:
    """A channel Chat object."""
    return {"id": chat_id, "type": "channel", "title": title, "username": username}


def automatic_forward(
    group_id: int, message_id: int, channel_id: int, post_id: int, text: str
) -> dict[str, Any]:
    """The copy of a channel post Telegram puts into the linked discussion group."""
    ch = channel(channel_id)
    return {
        "message_id": message_id,
        "from": {"id": 777000, "is_bot": False, "first_name": "Telegram"},
        "sender_chat": ch,
        "chat": group(group_id),
        "date": 1763719200,
        "forward_origin": {"type": "channel", "chat": ch, "message_id": post_id, "date": 1763719199},
        "forward_from_chat": ch,
        "forward_from_message_id": post_id,
        "is_automatic_forward": True,
        "text": text,
    }


def comment(
    group_id: int,
    message_id: int,
    text: str | None,
    *,
    sender: dict[str, Any],
    thread_id: int | None = None,
    reply_to: dict[str, Any] | None = None,
    date: int = 1763719260,
    **fields: Any,
) -> dict[str, Any]:
    """A message in the discussion group (a comment when ``thread_id`` is the forward's id)."""
    out: dict[str, Any] = {"message_id": message_id, "from": sender, "chat": group(group_id), "date": date}
    if text is not None:
        out["text"] = text
    if thread_id is not None:
        out["message_thread_id"] = thread_id
    if reply_to is not None:
        out["reply_to_message"] = reply_to
    out.update(fields)
    return out


class FakeBotApi:
    """The fake server's state: queued updates, recorded requests, injected faults."""

    def __init__(self, token: str = "123456:TEST-token") -> None:
        self.token = token
        self.updates: list[dict[str, Any]] = []
        self.next_update_id = 500_000
        self.requests: list[dict[str, Any]] = []
        self.faults: deque[tuple[int, dict[str, Any]]] = deque()
        self.allowed_updates: list[str] | None = None
        self.webhook: dict[str, Any] = {}
        self.webhook_error: tuple[int, str] | None = None
        self.answers: list[tuple[int, Any]] = []
        self._arrived = asyncio.Event()

    def app(self) -> web.Application:
        """The aiohttp application to serve on 127.0.0.1."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        return app

    def push(self, update_type: str = "message", payload: dict[str, Any] | None = None) -> dict[str, Any]:
        """Queue one Update with the next ``update_id``; wakes any long poll."""
        update = {"update_id": self.next_update_id, update_type: payload or {}}
        self.next_update_id += 1
        self.updates.append(update)
        self._arrived.set()
        return update

    def fail_next(self, status: int, description: str, retry_after: int | None = None) -> None:
        """Answer the next getUpdates with an error."""
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        self.faults.append((status, body))

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                if isinstance(body, dict):
                    params.update(body)
            else:
                params.update(await request.post())
        return params

    @staticmethod
    def _error(status: int, description: str) -> web.Response:
        return web.json_response(
            {"ok": False, "error_code": status, "description": description}, status=status
        )

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        method = request.match_info["method"].lower()
        if method in ("setwebhook", "deletewebhook", "getwebhookinfo"):
            return await self._webhook_method(method, await self._params(request))
        if method != "getupdates":
            return self._error(404, "Not Found")
        if self.webhook.get("url"):
            return self._error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
        try:
            params = await self._params(request)
            offset = int(params["offset"]) if params.get("offset") is not None else None
            limit = max(1, min(100, int(params.get("limit", 100))))
            timeout = max(0, int(params.get("timeout", 0)))
            allowed = params.get("allowed_updates")
            if isinstance(allowed, str):
                allowed = json.loads(allowed)
            if allowed is not None and not (
                isinstance(allowed, list) and all(isinstance(a, str) for a in allowed)
            ):
                raise ValueError("allowed_updates")
        except (ValueError, TypeError):
            return self._error(400, "Bad Request: can't parse parameters")
        self.requests.append(
            {"offset": offset, "limit": limit, "timeout": timeout, "allowed_updates": allowed}
        )
        if self.faults:
            status, body = self.faults.popleft()
            return web.json_response(body, status=status)
        if allowed is not None:
            self.allowed_updates = allowed or None
        self._confirm(offset)
        ready = self._ready(offset, limit)
        if not ready and timeout:
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), timeout)
            except TimeoutError:
                pass
            ready = self._ready(offset, limit)
        return web.json_response({"ok": True, "result": ready})

    async def _webhook_method(self, method: str, params: dict[str, Any]) -> web.Response:
        self.requests.append({"method": method, **params})
        if method == "setwebhook":
            url = str(params.get("url") or "")
            if url and not url.startswith(("https://", "http://127.0.0.1")):
                return self._error(400, "Bad Request: bad webhook: HTTPS url must be provided for webhook")
            allowed = params.get("allowed_updates")
            self.webhook = {"url": url, "secret_token": params.get("secret_token") or "",
                            "allowed_updates": json.loads(allowed) if isinstance(allowed, str) else allowed}
            return web.json_response({"ok": True, "result": True, "description": "Webhook was set"})
        if method == "deletewebhook":
            self.webhook = {}
            return web.json_response({"ok": True, "result": True, "description": "Webhook was deleted"})
        info: dict[str, Any] = {"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                                "pending_update_count": len(self.updates) if self.webhook else 0}
        if self.webhook_error is not None:
            info["last_error_date"], info["last_error_message"] = self.webhook_error
        if self.webhook.get("allowed_updates"):
            info["allowed_updates"] = self.webhook["allowed_updates"]
        return web.json_response({"ok": True, "result": info})

    async def deliver(self, update: dict[str, Any], *, secret: str | None = None) -> tuple[int, Any]:
        """POST one update to the webhook as Telegram does; returns (status, JSON answer)."""
        import time

        import aiohttp

        headers = {"Content-Type": "application/json"}
        token = self.webhook.get("secret_token") if secret is None else secret
        if token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = token
        async with aiohttp.ClientSession() as session:
            async with session.post(self.webhook["url"], data=json.dumps(update), headers=headers) as resp:
                body = await resp.json(content_type=None)
                if resp.status >= 300:
                    self.webhook_error = (int(time.time()), f"Wrong response from the webhook: {resp.status} {resp.reason}")
                self.answers.append((resp.status, body))
                return resp.status, body

    def _confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self.updates = self.updates[offset:]
        else:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]

    def _ready(self, offset: int | None, limit: int) -> list[dict[str, Any]]:
        kinds = self.allowed_updates
        out = [
            u
            for u in self.updates
            if (offset is None or offset < 0 or u["update_id"] >= offset)
            and (kinds is None or any(k in u for k in kinds))
        ]
        return out[:limit]
