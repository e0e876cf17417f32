"""Telegram: comments on an akimat channel post, read by a bot in the channel's linked discussion group.

Comments under a channel post live in the linked discussion group: Telegram copies the post into the
group as an *automatic forward* (``is_automatic_forward``), and every comment is a group message in
that forward's thread (``message_thread_id``; a direct comment also has ``reply_to_message`` = the
forward). The bot must be a member of the group, with privacy mode off (or admin) to see plain text.

Long polling: ``getUpdates`` with ``offset``/``timeout``/``allowed_updates=["message"]``; the next
offset is checkpointed as ``{"offset": int, "thread_id": int | None}`` after the sink has committed.
Webhook mode: :func:`parse_webhook` for the route the server mounts (it checks
``X-Telegram-Bot-Api-Secret-Token``).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from datetime import datetime, timezone
from typing import Any, Mapping

import aiohttp

from tyndau.live.comments import IncomingComment
from tyndau.live.sources.base import CommentSink, SourceHealth
from tyndau.live.sources.common import (
    Backoff,
    Checkpoint,
    Clock,
    HealthTracker,
    MemoryCheckpoint,
    as_mapping,
    clean_text,
    deliver_retrying,
)
from tyndau.timeutil import utcnow

log = logging.getLogger(__name__)

API_BASE = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MEDIA_KEYS = ("photo", "video", "animation", "voice", "audio", "video_note", "document", "sticker")


class TelegramError(Exception):
    """A Bot API error answer (``ok: false``) or an unusable reply."""

    def __init__(self, status: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(f"{status}: {description}")
        self.status = status
        self.description = description
        self.retry_after = retry_after


class WebhookAuthError(Exception):
    """The webhook request did not carry our secret token."""


def _forwarded_post_id(message: Mapping[str, Any]) -> int | None:
    """The channel post id an automatic forward copies (``forward_origin`` or the older fields)."""
    origin = message.get("forward_origin")
    if isinstance(origin, Mapping) and isinstance(origin.get("message_id"), int):
        return origin["message_id"]
    legacy = message.get("forward_from_message_id")
    return legacy if isinstance(legacy, int) else None


class DiscussionFilter:
    """Keeps the group's comments, optionally only those under one channel post; learns its thread id."""

    def __init__(
        self, chat_id: int | str, *, channel_post_id: int | None = None, thread_id: int | None = None
    ) -> None:
        self.chat_id = str(chat_id)
        self.channel_post_id = channel_post_id
        self.thread_id = thread_id

    def _same_chat(self, chat: Any) -> bool:
        if not isinstance(chat, Mapping):
            return False
        if str(chat.get("id")) == self.chat_id:
            return True
        username = chat.get("username")
        return isinstance(username, str) and f"@{username}".lower() == self.chat_id.lower()

    def accept(self, message: Mapping[str, Any]) -> bool:
        """Is this message a comment we want (not the forwarded post itself, not another thread)?"""
        if not self._same_chat(message.get("chat")):
            return False
        if message.get("is_automatic_forward"):
            if self.channel_post_id is not None and _forwarded_post_id(message) == self.channel_post_id:
                self.thread_id = message.get("message_id")
            return False
        if self.channel_post_id is None and self.thread_id is None:
            return True
        reply = message.get("reply_to_message")
        if isinstance(reply, Mapping) and reply.get("is_automatic_forward"):
            if self.channel_post_id is not None and _forwarded_post_id(reply) == self.channel_post_id:
                self.thread_id = reply.get("message_id")
        thread = message.get("message_thread_id")
        return self.thread_id is not None and thread == self.thread_id


def _author(message: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    sender_chat = message.get("sender_chat")
    user = message.get("from")
    extra: dict[str, Any] = {}
    if isinstance(sender_chat, Mapping):
        extra["sender_chat_id"] = sender_chat.get("id")
        name = clean_text(sender_chat.get("title") or sender_chat.get("username") or "")
        return name, extra
    if not isinstance(user, Mapping):
        return "", extra
    extra["user_id"] = user.get("id")
    if user.get("username"):
        extra["username"] = clean_text(user["username"])
    name = " ".join(clean_text(user.get(k) or "") for k in ("first_name", "last_name")).strip()
    return name, extra


def message_to_comment(message: Mapping[str, Any]) -> IncomingComment | None:
    """A group message as a comment; service messages (joins, pins) and bots' messages give None."""
    media = next((k for k in MEDIA_KEYS if k in message), None)
    text = message.get("text") if isinstance(message.get("text"), str) else message.get("caption")
    sticker = message.get("sticker") if isinstance(message.get("sticker"), Mapping) else None
    if not isinstance(text, str):
        if media is None:
            return None
        text = sticker.get("emoji", "") if sticker else ""
    user = message.get("from")
    if isinstance(user, Mapping) and user.get("is_bot") and not message.get("sender_chat"):
        return None
    chat = as_mapping(message.get("chat"))
    chat_id, message_id = chat.get("id"), message.get("message_id")
    if chat_id is None or not isinstance(message_id, int):
        return None
    author, extra = _author(message)
    extra.update({"chat_id": chat_id, "message_id": message_id})
    if isinstance(message.get("message_thread_id"), int):
        extra["thread_id"] = message["message_thread_id"]
    reply = message.get("reply_to_message")
    if isinstance(reply, Mapping) and isinstance(reply.get("message_id"), int):
        extra["reply_to"] = reply["message_id"]
    if media:
        extra["media"] = media
    try:
        created = datetime.fromtimestamp(int(message.get("date", 0)), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        created = utcnow()
    return IncomingComment(
        source="telegram",
        external_id=f"{chat_id}:{message_id}",
        author=author,
        text=clean_text(text),
        created_at=created,
        kind="sticker" if sticker is not None and media == "sticker" else "text",
        extra=extra,
    )


def parse_update(update: Mapping[str, Any], flt: DiscussionFilter) -> IncomingComment | None:
    """One Update object: its ``message`` as a comment if the filter keeps it."""
    message = update.get("message") if isinstance(update, Mapping) else None
    if not isinstance(message, Mapping) or not flt.accept(message):
        return None
    return message_to_comment(message)


def check_secret_token(header_value: str | None, secret_token: str) -> bool:
    """Constant-time comparison of ``X-Telegram-Bot-Api-Secret-Token`` with our secret."""
    if not secret_token or header_value is None:
        return False
    return hmac.compare_digest(header_value.encode("utf-8"), secret_token.encode("utf-8"))


def parse_webhook(
    raw_body: bytes, header_value: str | None, *, secret_token: str, flt: DiscussionFilter
) -> IncomingComment | None:
    """Webhook mode: check the secret header, then parse one Update body.

    Raises :class:`WebhookAuthError` (answer 401) or ``ValueError`` for a body that is not JSON
    (answer 400). None means "nothing for the feed" (answer 200 so Telegram does not retry).
    """
    if not check_secret_token(header_value, secret_token):
        raise WebhookAuthError("bad or missing secret token")
    try:
        update = json.loads(raw_body.decode("utf-8", "replace"))
    except ValueError as exc:
        raise ValueError(f"update is not JSON: {exc}") from None
    if not isinstance(update, dict):
        raise ValueError("update is not a JSON object")
    return parse_update(update, flt)


class TelegramSource:
    """Long-polls ``getUpdates`` and delivers the discussion group's comments."""

    name = "telegram"

    def __init__(
        self,
        token: str,
        chat_id: int | str,
        api_base: str = API_BASE,
        *,
        channel_post_id: int | None = None,
        thread_id: int | None = None,
        checkpoint: Checkpoint | None = None,
        poll_timeout: int = 30,
        limit: int = 100,
        backoff: Backoff | None = None,
        session: aiohttp.ClientSession | None = None,
        clock: Clock = utcnow,
    ) -> None:
        self._token = token
        self.api_base = api_base.rstrip("/")
        self.filter = DiscussionFilter(chat_id, channel_post_id=channel_post_id, thread_id=thread_id)
        self.checkpoint: Checkpoint = checkpoint or MemoryCheckpoint()
        self.poll_timeout = poll_timeout
        self.limit = limit
        self.backoff = backoff or Backoff(initial=1.0, cap=60.0)
        self._session = session
        self.clock = clock
        self._tracker = HealthTracker()

    def health(self) -> SourceHealth:
        """connected while getUpdates answers; down (with the reason) while it fails."""
        return self._tracker.snapshot()

    async def get_updates(self, session: aiohttp.ClientSession, offset: int | None) -> list[dict[str, Any]]:
        """One ``getUpdates`` call; raises :class:`TelegramError` for an error answer."""
        body: dict[str, Any] = {
            "timeout": self.poll_timeout,
            "limit": self.limit,
            "allowed_updates": ["message"],
        }
        if offset is not None:
            body["offset"] = offset
        url = f"{self.api_base}/bot{self._token}/getUpdates"
        timeout = aiohttp.ClientTimeout(total=self.poll_timeout + 15, sock_connect=10)
        async with session.post(url, json=body, timeout=timeout) as resp:
            try:
                data = await resp.json(content_type=None)
            except (ValueError, aiohttp.ContentTypeError):
                raise TelegramError(resp.status, f"non-JSON answer (HTTP {resp.status})") from None
        if not isinstance(data, dict):
            raise TelegramError(resp.status, "unexpected answer")
        if not data.get("ok"):
            params = as_mapping(data.get("parameters"))
            retry = params.get("retry_after")
            raise TelegramError(
                int(data.get("error_code") or resp.status),
                str(data.get("description") or "error"),
                float(retry) if isinstance(retry, (int, float)) else None,
            )
        result = data.get("result")
        return [u for u in result if isinstance(u, dict)] if isinstance(result, list) else []

    async def run(self, sink: CommentSink) -> None:
        """Poll until cancelled; resume from the checkpointed offset."""
        state = await self.checkpoint.load() or {}
        offset = state.get("offset") if isinstance(state.get("offset"), int) else None
        if self.filter.thread_id is None and isinstance(state.get("thread_id"), int):
            self.filter.thread_id = state["thread_id"]
        session = self._session or aiohttp.ClientSession()
        try:
            while True:
                started = asyncio.get_running_loop().time()
                try:
                    updates = await self.get_updates(session, offset)
                except TelegramError as exc:
                    await self._pause(exc.retry_after, f"Bot API error {exc.status}: {exc.description}")
                    continue
                except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                    await self._pause(None, f"network error: {type(exc).__name__}")
                    continue
                self.backoff.reset()
                self._tracker.set("connected", "polling getUpdates")
                if not updates:
                    if asyncio.get_running_loop().time() - started < 0.5:
                        await asyncio.sleep(1.0)  # a server that ignores ``timeout`` must not make us spin
                    continue
                comments = []
                for update in updates:
                    try:
                        comment = parse_update(update, self.filter)
                    except Exception:  # noqa: BLE001 - one odd update must not stop the feed
                        log.exception("telegram: unreadable update %s", update.get("update_id"))
                        self._tracker.skipped += 1
                        continue
                    if comment is not None:
                        comments.append(comment)
                ids = [u["update_id"] for u in updates if isinstance(u.get("update_id"), int)]
                if comments:
                    await deliver_retrying(sink, comments, self._tracker, self.clock)
                if ids:
                    offset = max(ids) + 1
                    await self.checkpoint.save({"offset": offset, "thread_id": self.filter.thread_id})
        except asyncio.CancelledError:
            self._tracker.set("stopped", "stopped")
            raise
        finally:
            if self._session is None:
                await session.close()

    async def _pause(self, retry_after: float | None, detail: str) -> None:
        """Wait as Telegram asks (429 ``retry_after``) or with back-off; the token never appears here."""
        delay = retry_after if retry_after is not None else self.backoff.next_delay()
        log.warning("telegram: %s; retrying in %.1f s", detail, delay)
        self._tracker.set("down", f"{detail}; retrying in {delay:.0f} s")
        await asyncio.sleep(delay)
