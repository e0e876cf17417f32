"""Telegram in webhook mode through a real server: the fake Bot API pushes to our route as Telegram does."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tests.conftest import MEETING, free_port, make_people
from tests.fakes import telegram_api as tg
from tyndau.operator_ui.app import create_app

pytestmark = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "telegram"
SECRET = "tg-webhook-secret_1"
GROUP = -1001234567890
CHANNEL = -1009876543210
POST = 42
FORWARD = 1001
ALIYA = tg.user(11, "Әлия", "Қасымова", "aliya_k")
IVAN = tg.user(12, "Иван")
ANONYMOUS = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}


class Server:
    """Our app on a real port, restartable over the same store."""

    def __init__(self, settings: Any, api_base: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.settings = settings.replace(host="127.0.0.1", port=self.port, public_url=self.url, telegram_webhook_secret=SECRET)
        self.runner: web.AppRunner | None = None
        self.people: Any = None

    async def start(self) -> None:
        app = create_app(self.settings)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()
        if self.people is None:
            self.people = await make_people(app)

    async def stop(self) -> None:
        assert self.runner is not None
        await self.runner.cleanup()

    async def call(self, method: str, path: str, **kw: Any) -> Any:
        async with aiohttp.ClientSession() as s:
            async with s.request(method, self.url + path, headers=self.people.auth("admin"), **kw) as resp:
                return resp.status, await resp.json()


@pytest.fixture
async def api(aiohttp_server: Any) -> AsyncIterator[tuple[tg.FakeBotApi, str]]:
    fake = tg.FakeBotApi()
    server = await aiohttp_server(fake.app())
    yield fake, str(server.make_url("")).rstrip("/")


def update(message: dict[str, Any], n: list[int] = [800_000]) -> dict[str, Any]:  # noqa: B006 - a counter
    n[0] += 1
    return {"update_id": n[0], "message": message}


def thread() -> list[dict[str, Any]]:
    """A channel post's discussion: comments, replies to comments and to replies, the page's own voice."""
    fwd = tg.automatic_forward(GROUP, FORWARD, CHANNEL, POST, "Встреча акима: задавайте вопросы")
    first = tg.comment(GROUP, 1002, "Когда отремонтируют дорогу на ул. Абая?", sender=ALIYA, thread_id=FORWARD, reply_to=fwd)
    reply = tg.comment(GROUP, 1003, "Поддерживаю, ямы огромные", sender=IVAN, thread_id=FORWARD, reply_to=first)
    deeper = tg.comment(GROUP, 1004, "И освещения нет", sender=ALIYA, thread_id=FORWARD, reply_to=reply)
    admin = tg.comment(GROUP, 1005, "Вопрос передан в отдел ЖКХ", sender=ANONYMOUS, thread_id=FORWARD, reply_to=first,
                       sender_chat=tg.group(GROUP))
    sticker = tg.comment(GROUP, 1006, None, sender=IVAN, thread_id=FORWARD, reply_to=first,
                         sticker={"file_id": "s", "file_unique_id": "s", "emoji": "👍", "type": "regular"})
    channel = tg.comment(GROUP, 1007, "Ответим в эфире", sender=CHANNEL_BOT, thread_id=FORWARD, reply_to=fwd,
                         sender_chat=tg.channel(CHANNEL))
    voice = tg.comment(GROUP, 1008, None, sender=ALIYA, thread_id=FORWARD, reply_to=admin, voice={"file_id": "v", "file_unique_id": "v", "duration": 7})
    as_own_channel = tg.comment(GROUP, 1009, "Пишу от канала нашего двора", sender=CHANNEL_BOT, thread_id=FORWARD, reply_to=fwd,
                                sender_chat=tg.channel(-100555, "Двор на Абая", "abaya_yard"))
    after_admin = tg.comment(GROUP, 1010, "Спасибо!", sender=IVAN, thread_id=FORWARD, reply_to=admin)
    other_post = tg.comment(GROUP, 1011, "Под другим постом", sender=IVAN, thread_id=999)
    return [update(m) for m in (fwd, first, reply, deeper, admin, sticker, channel, voice, as_own_channel, after_admin, other_post)] + [
        {"update_id": 800_999, "edited_message": first}]


async def until(predicate: Any, timeout: float = 10.0) -> None:
    for _ in range(int(timeout * 20)):
        if await predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached")


async def test_webhook_mode_keeps_the_thread_across_requests_and_restarts(settings, api):
    fake, base = api
    server = Server(settings, base)
    await server.start()
    try:
        _, meeting = await server.call("POST", "/api/v1/meetings", json=MEETING)
        status, source = await server.call("POST", f"/api/v1/meetings/{meeting['id']}/sources", json={"kind": "telegram", "config": {
            "token": fake.token, "chat_id": str(GROUP), "channel_post_id": POST, "mode": "webhook", "api_base": base}})
        assert status == 201 and source["running"] is True
        await until(lambda: _true(fake.webhook.get("url")))  # the source set the webhook itself
        assert fake.webhook == {"url": f"{server.url}/webhooks/telegram/{source['id']}", "secret_token": SECRET, "allowed_updates": ["message"]}
        answers = [await fake.deliver(u) for u in thread()]
        assert all(status == 200 for status, _ in answers)
        results = [(body["result"], body.get("reason")) for _, body in answers]
        assert results == [("ignored", "channel_post_copy")] + [("stored", None)] * 9 + [("ignored", "other_thread"), ("ignored", "not_a_message")]
        assert (await fake.deliver(thread()[1]))[1]["result"] == "duplicate"
        assert (await fake.deliver(thread()[1], secret="wrong"))[0] == 401

        _, page = await server.call("GET", f"/api/v1/meetings/{meeting['id']}/comments")
        items = page["items"]
        assert [c["external_id"].split(":")[1] for c in items] == [str(n) for n in range(1002, 1011)]
        own = {c["external_id"].split(":")[1]: c["extra"].get("own") for c in items}
        assert own == {"1002": None, "1003": None, "1004": None, "1005": "anonymous_admin", "1006": None, "1007": "channel",
                       "1008": None, "1009": None, "1010": None}
        kinds = {c["external_id"].split(":")[1]: (c["kind"], c["text"]) for c in items}
        assert kinds["1006"] == ("sticker", "👍") and kinds["1008"] == ("media", "🎤 0:07")
        assert items[0]["author"] == "Әлия Қасымова" and items[0]["created_at"] == "2025-11-21T10:01:00+00:00"
        _, listed = await server.call("GET", f"/api/v1/meetings/{meeting['id']}/sources")
        health = listed["items"][0]["health"]
        assert (health["state"], health["code"]) == ("connected", "push_receiving")
    finally:
        await server.stop()

    # after a restart the thread is still known: a reply to a reply is kept
    await server.start()
    try:
        later = tg.comment(GROUP, 1012, "Когда начнут?", sender=IVAN, thread_id=FORWARD,
                           reply_to=tg.comment(GROUP, 1004, "И освещения нет", sender=ALIYA, thread_id=FORWARD))
        await until(lambda: _true(True))
        for _ in range(100):
            status, body = await fake.deliver(update(later))
            if status == 200:
                break
            await asyncio.sleep(0.05)  # the resumed source may still be starting
        assert body["result"] == "stored"
        _, page = await server.call("GET", f"/api/v1/meetings/{meeting['id']}/comments")
        assert page["items"][-1]["external_id"] == f"{GROUP}:1012"
        huge = await _post(server.url + "/webhooks/telegram/" + "9" * 40, {})
        assert huge == 404
    finally:
        await server.stop()


async def test_polling_and_webhook_never_fight(settings, api):
    fake, base = api
    server = Server(settings, base)
    await server.start()
    try:
        _, meeting = await server.call("POST", "/api/v1/meetings", json=MEETING)
        fake.webhook = {"url": f"{server.url}/webhooks/telegram/77", "secret_token": SECRET, "allowed_updates": ["message"]}
        fake.push("message", tg.comment(GROUP, 2001, "Вопрос через опрос", sender=IVAN))
        status, source = await server.call("POST", f"/api/v1/meetings/{meeting['id']}/sources", json={"kind": "telegram", "config": {
            "token": fake.token, "chat_id": str(GROUP), "api_base": base}})
        assert status == 201

        async def stored() -> bool:
            _, page = await server.call("GET", f"/api/v1/meetings/{meeting['id']}/comments")
            return len(page["items"]) == 1

        await until(stored)  # this server's own leftover webhook was deleted, then polling took over
        assert fake.webhook == {}
        status, body = await _post(server.url + f"/webhooks/telegram/{source['id']}", {}, full=True)
        assert status == 409 and body["error"]["code"] == "polling_mode"

        fake.webhook = {"url": "https://elsewhere.example/hook", "secret_token": "x"}
        _, second = await server.call("POST", f"/api/v1/meetings/{meeting['id']}/sources", json={"kind": "telegram", "config": {
            "token": fake.token, "chat_id": str(GROUP), "api_base": base}})

        async def reported() -> bool:
            _, listed = await server.call("GET", f"/api/v1/meetings/{meeting['id']}/sources")
            h = [s for s in listed["items"] if s["id"] == second["id"]][0]["health"]
            return h["code"] == "telegram_webhook_active"

        await until(reported)  # someone else's webhook is reported, never deleted
        assert fake.webhook["url"] == "https://elsewhere.example/hook"
    finally:
        await server.stop()


async def test_real_library_samples_through_the_webhook(settings, api):
    fake, base = api
    server = Server(settings, base)
    await server.start()
    try:
        _, meeting = await server.call("POST", "/api/v1/meetings", json=MEETING)
        outcomes: list[tuple[str, str | None]] = []
        sources: dict[str, int] = {}
        for name in ("teloxide-updates.json", "aiogram-messages.json"):
            for sample in json.loads((FIXTURES / name).read_text("utf-8")):
                chat = str(sample["message"]["chat"]["id"])
                if chat not in sources:
                    _, made = await server.call("POST", f"/api/v1/meetings/{meeting['id']}/sources", json={"kind": "telegram", "config": {
                        "token": fake.token, "chat_id": chat, "mode": "webhook", "api_base": base}})
                    sources[chat] = made["id"]
                for _ in range(100):
                    status, body = await _post(f"{server.url}/webhooks/telegram/{sources[chat]}", {k: v for k, v in sample.items() if k != "_origin"},
                                               full=True, secret=SECRET)
                    if status != 409:
                        break
                    await asyncio.sleep(0.05)
                assert status == 200, body
                outcomes.append((body["result"], body.get("reason")))
        assert len(outcomes) == 24
        stored = [o for o in outcomes if o[0] == "stored"]
        ignored = sorted(o[1] for o in outcomes if o[0] == "ignored")
        assert len(stored) == 16 and ignored == ["game"] * 3 + ["service_message"] * 5
        _, page = await server.call("GET", f"/api/v1/meetings/{meeting['id']}/comments", params={"limit": "100"})
        texts = {c["text"] for c in page["items"]}
        assert {"🎤 0:00", "📹 0:00", "☎ 911", "📍 3.140000, 3.140000", "📊 Q: A / B", "😡", "/report"} <= texts
        assert all(c["text"].strip() for c in page["items"])  # never an empty comment
        contact = [c for c in page["items"] if c["text"] == "☎ 911"][0]
        assert contact["contact"] == "911"  # private: only secretaries and admins receive it
    finally:
        await server.stop()


async def _true(value: Any) -> bool:
    return bool(value)


async def _post(url: str, body: Any, *, full: bool = False, secret: str | None = None) -> Any:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    async with aiohttp.ClientSession() as s:
        async with s.post(url, json=body, headers=headers) as resp:
            data = await resp.json(content_type=None)
            return (resp.status, data) if full else resp.status
