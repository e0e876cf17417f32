"""Telegram: comments on an akimat channel post, read by a bot in the channel's linked discussion group.

One source runs in one mode at a time (Telegram refuses ``getUpdates`` while a webhook is set):

* ``polling`` (default): ``getUpdates`` with ``offset``/``timeout``/``allowed_updates=["message"]``. A
  webhook left over from this server's own webhook mode is deleted; any other one is reported.
* ``webhook``: Telegram pushes each Update to ``/webhooks/telegram/<source id>`` with
  ``X-Telegram-Bot-Api-Secret-Token``. With ``public_url`` set the source calls ``setWebhook`` itself;
  it checks ``getWebhookInfo`` every minute so the console shows Telegram's delivery errors.

Both modes share one :class:`DiscussionFilter` whose learnt thread is checkpointed
(``{"offset", "thread_id", "channel_id", "group_id"}``) after the sink has committed, so a reply to
a reply is kept across requests and restarts. The bot must be in the group with privacy mode off.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Mapping
from typing import Any

import aiohttp

from tyndau.domain.comments import IncomingComment, IngestResult
from tyndau.live.source_kinds import Build, Option, SourceKind
from tyndau.live.sources.base import CommentSink, SourceHealth
from tyndau.live.sources.common import (
    Backoff,
    Checkpoint,
    Clock,
    HealthTracker,
    MemoryCheckpoint,
    as_mapping,
    deliver,
    deliver_retrying,
)
from tyndau.live.sources.telegram_parse import (
    Decision,
    DiscussionFilter,
    decide_update,
    message_to_comment,
    parse_update,
)
from tyndau.timeutil import utcnow

log = logging.getLogger(__name__)

API_BASE = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MODES = ("polling", "webhook")
WEBHOOK_PATH = "/webhooks/telegram/"
WEBHOOK_ACTIVE = "webhook is active"
__all__ = ["DiscussionFilter", "Decision", "TelegramSource", "TelegramError", "WebhookAuthError",
           "check_secret_token", "decide_webhook", "parse_webhook", "parse_update", "message_to_comment"]


class TelegramError(Exception):
    """A Bot API error answer (``ok: false``) or an unusable reply."""

    def __init__(self, status: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(f"{status}: {description}")
        self.status = status
        self.description = description
        self.retry_after = retry_after


class WebhookAuthError(Exception):
    """The webhook request did not carry our secret token."""


def check_secret_token(header_value: str | None, secret_token: str) -> bool:
    """Constant-time comparison of ``X-Telegram-Bot-Api-Secret-Token`` with our secret."""
    if not secret_token or header_value is None:
        return False
    return hmac.compare_digest(header_value.encode("utf-8"), secret_token.encode("utf-8"))


def _update(raw_body: bytes, header_value: str | None, secret_token: str) -> dict[str, Any]:
    if not check_secret_token(header_value, secret_token):
        raise WebhookAuthError("bad or missing secret token")
    try:
        update = json.loads(raw_body.decode("utf-8", "replace"))
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"update is not JSON: {exc}") from None
    if not isinstance(update, dict):
        raise ValueError("update is not a JSON object")
    return update


def decide_webhook(raw_body: bytes, header_value: str | None, *, secret_token: str, flt: DiscussionFilter) -> Decision:
    """Webhook mode: check the secret header, then decide one Update body.

    Raises :class:`WebhookAuthError` (answer 401) or ``ValueError`` for a body that is not a JSON
    object (answer 400).
    """
    return decide_update(_update(raw_body, header_value, secret_token), flt)


def parse_webhook(
    raw_body: bytes, header_value: str | None, *, secret_token: str, flt: DiscussionFilter
) -> IncomingComment | None:
    """Like :func:`decide_webhook`, returning only the comment (None: nothing for the feed)."""
    return decide_webhook(raw_body, header_value, secret_token=secret_token, flt=flt).comment


class BotApi:
    """The few Bot API methods a source calls; the token never appears in errors or logs."""

    def __init__(self, token: str, api_base: str, session: aiohttp.ClientSession) -> None:
        self._token = token
        self.api_base = api_base.rstrip("/")
        self.session = session

    async def call(self, method: str, body: Mapping[str, Any], *, timeout: float = 30.0) -> Any:
        """POST one method with a JSON body; its ``result``, or :class:`TelegramError`."""
        url = f"{self.api_base}/bot{self._token}/{method}"
        limits = aiohttp.ClientTimeout(total=timeout, sock_connect=10)
        async with self.session.post(url, json=dict(body), timeout=limits) as resp:
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
                float(retry) if isinstance(retry, (int, float)) and not isinstance(retry, bool) else None,
            )
        return data.get("result")


class TelegramSource:
    """One bot reading one discussion group, by long polling or by webhook (never both)."""

    name = "telegram"

    def __init__(
        self,
        token: str,
        chat_id: int | str,
        api_base: str = API_BASE,
        *,
        mode: str = "polling",
        webhook_url: str | None = None,
        secret_token: str = "",
        channel_post_id: int | None = None,
        channel_id: int | str | None = None,
        thread_id: int | None = None,
        checkpoint: Checkpoint | None = None,
        poll_timeout: int = 30,
        limit: int = 100,
        check_interval: float = 60.0,
        backoff: Backoff | None = None,
        session: aiohttp.ClientSession | None = None,
        clock: Clock = utcnow,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        self._token = token
        self.api_base = api_base.rstrip("/")
        self.mode = mode
        self.webhook_url = webhook_url
        self._secret = secret_token
        self.filter = DiscussionFilter(chat_id, channel_post_id=channel_post_id, thread_id=thread_id, channel_id=channel_id)
        self.checkpoint: Checkpoint = checkpoint or MemoryCheckpoint()
        self.poll_timeout = poll_timeout
        self.limit = limit
        self.check_interval = check_interval
        self.backoff = backoff or Backoff(initial=1.0, cap=60.0)
        self._session = session
        self.clock = clock
        self._tracker = HealthTracker()
        self._offset: int | None = None
        self._sink: CommentSink | None = None
        self._saved: dict[str, Any] | None = None
        self._save_lock = asyncio.Lock()
        self._pushes = 0

    def health(self) -> SourceHealth:
        """connected while updates arrive (polled or pushed); waiting / down with the reason."""
        return self._tracker.snapshot()

    @property
    def ready(self) -> bool:
        """Can pushes be taken now (webhook mode, running)?"""
        return self.mode == "webhook" and self._sink is not None

    async def run(self, sink: CommentSink) -> None:
        """Poll, or serve pushes, until cancelled; resume from the checkpoint."""
        state = await self.checkpoint.load() or {}
        self._offset = state.get("offset") if isinstance(state.get("offset"), int) else None
        self.filter.restore(state)
        self._saved = self._state()
        session = self._session or aiohttp.ClientSession()
        api = BotApi(self._token, self.api_base, session)
        try:
            if self.mode == "webhook":
                self._sink = sink
                await self._watch_webhook(api)
            else:
                await self._poll(api, sink)
        except asyncio.CancelledError:
            self._tracker.set("stopped", "stopped")
            raise
        finally:
            self._sink = None
            if self._session is None:
                await session.close()

    def _state(self) -> dict[str, Any]:
        return {"offset": self._offset, **self.filter.state()}

    async def _save(self) -> None:
        async with self._save_lock:
            state = self._state()
            if state != self._saved:
                await self.checkpoint.save(state)
                self._saved = state

    # -- long polling -------------------------------------------------------------------------

    async def get_updates(self, api: BotApi) -> list[dict[str, Any]]:
        """One ``getUpdates`` call from the current offset."""
        body: dict[str, Any] = {"timeout": self.poll_timeout, "limit": self.limit, "allowed_updates": ["message"]}
        if self._offset is not None:
            body["offset"] = self._offset
        result = await api.call("getUpdates", body, timeout=self.poll_timeout + 15)
        return [u for u in result if isinstance(u, dict)] if isinstance(result, list) else []

    async def _poll(self, api: BotApi, sink: CommentSink) -> None:
        while True:
            started = asyncio.get_running_loop().time()
            try:
                updates = await self.get_updates(api)
            except TelegramError as exc:
                if exc.status == 409 and WEBHOOK_ACTIVE in exc.description:
                    if await self._drop_own_webhook(api):
                        continue
                await self._pause(exc)
                continue
            except (TimeoutError, aiohttp.ClientError) as exc:
                await self._pause_network(exc)
                continue
            self.backoff.reset()
            self._tracker.set("connected", "polling", platform="Telegram")
            if not updates:
                if asyncio.get_running_loop().time() - started < 0.5:
                    await asyncio.sleep(1.0)  # a server that ignores ``timeout`` must not make us spin
                continue
            comments = []
            for update in updates:
                try:
                    decision = decide_update(update, self.filter)
                except Exception:
                    log.exception("telegram: unreadable update %s", update.get("update_id"))
                    decision = Decision(None, "unreadable")
                if decision.comment is not None:
                    comments.append(decision.comment)
                else:
                    self._tracker.skipped += 1
                    log.debug("telegram: update %s ignored: %s", update.get("update_id"), decision.reason)
            ids = [u["update_id"] for u in updates if isinstance(u.get("update_id"), int)]
            if comments:
                await deliver_retrying(sink, comments, self._tracker, self.clock)
            if ids:
                self._offset = max(ids) + 1
            await self._save()

    async def _drop_own_webhook(self, api: BotApi) -> bool:
        """Delete a webhook this server set (an earlier webhook mode); True when it was ours."""
        try:
            info = as_mapping(await api.call("getWebhookInfo", {}))
            url = str(info.get("url") or "")
            own = bool(url) and (url == self.webhook_url or (self.webhook_url is not None and WEBHOOK_PATH in url
                                 and url.split(WEBHOOK_PATH)[0] == self.webhook_url.split(WEBHOOK_PATH)[0]))
            if own:
                await api.call("deleteWebhook", {"drop_pending_updates": False})
                log.warning("telegram: deleted this server's own webhook %s to poll instead", url)
                return True
            self._tracker.set("down", "telegram_webhook_active", url=url)
        except (TimeoutError, TelegramError, aiohttp.ClientError) as exc:
            log.warning("telegram: could not inspect the webhook: %s", exc)
        return False

    async def _pause(self, exc: TelegramError) -> None:
        """Wait as Telegram asks (429 ``retry_after``) or with back-off, saying why."""
        delay = exc.retry_after if exc.retry_after is not None else self.backoff.next_delay()
        retry_in = max(0, round(delay))
        if exc.status == 409 and WEBHOOK_ACTIVE in exc.description:
            if self._tracker.code != "telegram_webhook_active":
                self._tracker.set("down", "telegram_webhook_active", url="")
        elif exc.status == 409:
            self._tracker.set("down", "telegram_conflict", description=exc.description, retry_in=retry_in)
        elif exc.status == 429:
            self._tracker.set("down", "rate_limited", platform="Telegram", retry_in=retry_in)
        elif exc.status in (401, 403, 404):
            self._tracker.set("down", "auth_error", platform="Telegram", status=exc.status, description=exc.description, retry_in=retry_in)
        else:
            self._tracker.set("down", "api_error", platform="Telegram", status=exc.status, description=exc.description, retry_in=retry_in)
        log.warning("telegram: %s; retrying in %.1f s", exc, delay)
        await asyncio.sleep(delay)

    async def _pause_network(self, exc: BaseException) -> None:
        delay = self.backoff.next_delay()
        self._tracker.set("down", "network_error", error=type(exc).__name__, retry_in=round(delay))
        log.warning("telegram: network error %s; retrying in %.1f s", type(exc).__name__, delay)
        await asyncio.sleep(delay)

    # -- webhook mode ---------------------------------------------------------------------------

    async def _watch_webhook(self, api: BotApi) -> None:
        """Set the webhook (when our public URL is known) and report what Telegram says of it."""
        if not self._secret:
            self._tracker.set("down", "push_not_configured", platform="Telegram", setting="telegram_webhook_secret")
        while True:
            try:
                info = as_mapping(await api.call("getWebhookInfo", {}))
                if self._secret and self.webhook_url and info.get("url") != self.webhook_url:
                    await api.call("setWebhook", {"url": self.webhook_url, "secret_token": self._secret,
                                                  "allowed_updates": ["message"]})
                    log.info("telegram: webhook set to %s", self.webhook_url)
                    info = as_mapping(await api.call("getWebhookInfo", {}))
            except TelegramError as exc:
                await self._pause(exc)
                continue
            except (TimeoutError, aiohttp.ClientError) as exc:
                await self._pause_network(exc)
                continue
            self.backoff.reset()
            if self._secret:
                self._report_webhook(info)
            await asyncio.sleep(self.check_interval)

    def _report_webhook(self, info: Mapping[str, Any]) -> None:
        url = str(info.get("url") or "")
        expected = self.webhook_url or f"https://<public host>{WEBHOOK_PATH}<source id>"
        error_at = info.get("last_error_date")
        last = self._tracker.last_message_at
        if not url:
            self._tracker.set("down", "telegram_webhook_missing", url=expected)
        elif self.webhook_url and url != self.webhook_url:
            self._tracker.set("down", "telegram_webhook_other", url=url)
        elif isinstance(error_at, int) and (last is None or error_at > last.timestamp()) and info.get("last_error_message"):
            self._tracker.set("down", "telegram_webhook_error", message=str(info["last_error_message"])[:300],
                              pending=info.get("pending_update_count", 0))
        elif self._pushes:
            self._tracker.set("connected", "push_receiving", platform="Telegram")
        else:
            self._tracker.set("waiting", "telegram_webhook_set", url=url)

    async def push(self, raw_body: bytes, header_value: str | None) -> tuple[Decision, IngestResult | None]:
        """One pushed Update: check the secret, decide, store a comment; the result once durable.

        Raises :class:`WebhookAuthError`, ``ValueError`` (not JSON) or whatever the store raises.
        """
        decision = decide_webhook(raw_body, header_value, secret_token=self._secret, flt=self.filter)
        self._pushes += 1
        result = None
        if decision.comment is not None and self._sink is not None:
            [result] = await deliver(self._sink, [decision.comment], self._tracker, self.clock)
        elif decision.comment is None:
            self._tracker.skipped += 1
        if self._tracker.state in ("waiting", "starting") or self._tracker.code == "telegram_webhook_error":
            self._tracker.set("connected", "push_receiving", platform="Telegram")
        await self._save()
        return decision, result


def _build(config: Mapping[str, Any], given: Build) -> TelegramSource:
    ctx = given.context
    return TelegramSource(config["token"], config["chat_id"], config.get("api_base") or API_BASE, mode=config["mode"],
                          webhook_url=ctx.telegram_webhook_url(), secret_token=ctx.telegram_secret,
                          channel_post_id=config.get("channel_post_id"), channel_id=config.get("channel_id"), checkpoint=given.checkpoint)


SOURCE_KINDS = (SourceKind("telegram", (
    Option("token", "secret", required=True, help="the bot's token (from @BotFather)"),
    Option("chat_id", required=True, pattern=r"@\w{3,39}|-?\d{1,20}", refusal="the group's id (-100…) or @username",
           help="the discussion group the bot reads", example="-1001234567890"),
    Option("channel_post_id", "number", whole=True, low=1, help="only comments on this channel post"),
    Option("mode", "choice", choices=MODES, default="polling", help="getUpdates polling, or a webhook (needs public_url)"),
    Option("channel_id", "number", whole=True, help="the channel of channel_post_id", form=False),
    Option("api_base", "url", help="the Bot API's base URL (a test server)", form=False),
), _build, rank=20, summary="A Telegram discussion group read by a bot."),)
