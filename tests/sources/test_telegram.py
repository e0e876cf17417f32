"""Telegram: discussion-group filtering, webhook parsing, and long polling against a fake Bot API."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from tests.fakes import telegram_api as tg
from tests.fakes.sink import RecordingSink
from tyndau.live.sources.common import Backoff, MemoryCheckpoint
from tyndau.live.sources.telegram import (
    SECRET_HEADER,
    DiscussionFilter,
    TelegramSource,
    WebhookAuthError,
    check_secret_token,
    message_to_comment,
    parse_update,
    parse_webhook,
)

GROUP = -1001234567890
CHANNEL = -1009876543210
POST = 42  # the channel post the akimat published
FORWARD = 1001  # its automatic forward inside the discussion group
ALIYA = tg.user(11, "Әлия", "Қасымова", "aliya_k")
IVAN = tg.user(12, "Иван")


def forward() -> dict[str, Any]:
    return tg.automatic_forward(GROUP, FORWARD, CHANNEL, POST, "Встреча акима с жителями: задавайте вопросы")


def direct_comment(message_id: int, text: str, sender=ALIYA) -> dict[str, Any]:
    return tg.comment(GROUP, message_id, text, sender=sender, thread_id=FORWARD, reply_to=forward())


def test_comment_becomes_an_incoming_comment():
    msg = direct_comment(1002, "Когда отремонтируют дорогу на ул. Абая?")
    comment = message_to_comment(msg)
    assert comment is not None
    assert comment.source == "telegram" and comment.external_id == f"{GROUP}:1002"
    assert comment.author == "Әлия Қасымова" and comment.text == "Когда отремонтируют дорогу на ул. Абая?"
    assert comment.created_at.timestamp() == 1763719260 and comment.created_at.tzinfo is not None
    assert comment.extra["username"] == "aliya_k" and comment.extra["thread_id"] == FORWARD
    assert comment.extra["reply_to"] == FORWARD


def test_filter_skips_the_automatic_forward_and_other_chats():
    flt = DiscussionFilter(GROUP)
    assert parse_update({"update_id": 1, "message": forward()}, flt) is None
    other = tg.comment(-100555, 5, "elsewhere", sender=IVAN)
    assert parse_update({"update_id": 2, "message": other}, flt) is None
    plain = tg.comment(GROUP, 6, "просто сообщение в группе", sender=IVAN)
    assert parse_update({"update_id": 3, "message": plain}, flt).text == "просто сообщение в группе"
    assert parse_update({"update_id": 4, "edited_message": plain}, flt) is None


def test_thread_filter_learns_the_forward_and_keeps_only_its_thread():
    flt = DiscussionFilter(GROUP, channel_post_id=POST)
    assert parse_update({"update_id": 1, "message": forward()}, flt) is None
    assert flt.thread_id == FORWARD
    first = direct_comment(1002, "вопрос")
    reply = tg.comment(GROUP, 1003, "ответ на вопрос", sender=IVAN, thread_id=FORWARD, reply_to=first)
    other_post = tg.comment(GROUP, 1004, "под другим постом", sender=IVAN, thread_id=999)
    loose = tg.comment(GROUP, 1005, "в общем чате", sender=IVAN)
    kept = [
        parse_update({"update_id": i, "message": m}, flt)
        for i, m in enumerate([first, reply, other_post, loose])
    ]
    assert [c.text if c else None for c in kept] == ["вопрос", "ответ на вопрос", None, None]
    # learnt from a reply too, when the forward itself was never seen
    fresh = DiscussionFilter(GROUP, channel_post_id=POST)
    assert parse_update({"update_id": 9, "message": reply}, fresh) is None  # thread unknown yet
    assert parse_update({"update_id": 10, "message": first}, fresh) is not None
    assert fresh.thread_id == FORWARD


def test_media_service_and_bot_messages():
    photo = tg.comment(GROUP, 7, None, sender=IVAN, photo=[{"file_id": "x"}], caption="яма во дворе")
    assert message_to_comment(photo).text == "яма во дворе"
    bare_photo = tg.comment(GROUP, 8, None, sender=IVAN, photo=[{"file_id": "x"}])
    assert message_to_comment(bare_photo).extra["media"] == "photo"
    sticker = tg.comment(GROUP, 9, None, sender=IVAN, sticker={"file_id": "s", "emoji": "👍"})
    assert (message_to_comment(sticker).kind, message_to_comment(sticker).text) == ("sticker", "👍")
    joined = tg.comment(GROUP, 10, None, sender=IVAN, new_chat_members=[IVAN])
    assert message_to_comment(joined) is None
    bot = tg.comment(GROUP, 11, "I am a bot", sender={"id": 5, "is_bot": True, "first_name": "Bot"})
    assert message_to_comment(bot) is None
    as_channel = tg.comment(GROUP, 12, "от канала", sender={"id": 136817688, "is_bot": True, "first_name": "Channel"},
                            sender_chat=tg.channel(-100777, "Жители района", "residents"))
    assert message_to_comment(as_channel).author == "Жители района"


def test_hostile_text_passes_through():
    evil = "<script>alert(1)</script>\u202e\x00"
    comment = message_to_comment(tg.comment(GROUP, 13, evil, sender=IVAN))
    assert comment.text == "<script>alert(1)</script>\u202e\ufffd"
    assert message_to_comment(tg.comment(GROUP, 14, "", sender=IVAN)) is None  # never an empty comment


def test_webhook_checks_the_secret_then_parses():
    flt = DiscussionFilter(GROUP)
    body = json.dumps({"update_id": 77, "message": direct_comment(1002, "через вебхук")}).encode()
    assert (
        parse_webhook(body, "s3cret_Token-1", secret_token="s3cret_Token-1", flt=flt).text == "через вебхук"
    )
    for bad in (None, "", "wrong", "s3cret_Token-"):
        with pytest.raises(WebhookAuthError):
            parse_webhook(body, bad, secret_token="s3cret_Token-1", flt=flt)
    with pytest.raises(ValueError):
        parse_webhook(b"\xff{not json", "s", secret_token="s", flt=flt)
    assert (
        parse_webhook(
            json.dumps({"update_id": 78, "message": forward()}).encode(), "s", secret_token="s", flt=flt
        )
        is None
    )
    assert not check_secret_token("x", "")
    assert SECRET_HEADER == "X-Telegram-Bot-Api-Secret-Token"


async def start(aiohttp_server, api: tg.FakeBotApi) -> str:
    server = await aiohttp_server(api.app())
    return str(server.make_url("")).rstrip("/")


async def test_long_polling_delivers_and_checkpoints_the_offset(aiohttp_server):
    api = tg.FakeBotApi()
    base = await start(aiohttp_server, api)
    api.push("message", forward())
    api.push("message", direct_comment(1002, "Первый вопрос"))
    api.push("edited_message", direct_comment(1002, "Первый вопрос (исправлено)"))
    checkpoint = MemoryCheckpoint()
    source = TelegramSource(
        api.token, GROUP, base, channel_post_id=POST, checkpoint=checkpoint, poll_timeout=1
    )
    sink = RecordingSink()
    task = asyncio.create_task(source.run(sink))
    await sink.wait_for(1)
    api.push("message", direct_comment(1003, "Второй вопрос", IVAN))  # arrives during a long poll
    await sink.wait_for(2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert sink.texts == ["Первый вопрос", "Второй вопрос"]
    assert source.health().state == "stopped" and source.health().received == 2
    assert checkpoint.state == {"offset": api.next_update_id, "thread_id": FORWARD, "channel_id": str(CHANNEL), "group_id": str(GROUP)}
    first = api.requests[0]
    assert first["allowed_updates"] == ["message"] and first["timeout"] == 1 and first["offset"] is None
    assert api.requests[-1]["offset"] is not None

    # a restart resumes from the checkpoint: nothing is delivered twice
    api.push("message", direct_comment(1004, "Третий вопрос"))
    again = TelegramSource(
        api.token, GROUP, base, channel_post_id=POST, checkpoint=checkpoint, poll_timeout=1
    )
    sink2 = RecordingSink()
    task = asyncio.create_task(again.run(sink2))
    await sink2.wait_for(1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert sink2.texts == ["Третий вопрос"]


async def test_backs_off_on_429_and_errors(aiohttp_server):
    api = tg.FakeBotApi()
    base = await start(aiohttp_server, api)
    api.fail_next(429, "Too Many Requests: retry after 1", retry_after=1)
    api.fail_next(502, "Bad Gateway")
    api.push("message", tg.comment(GROUP, 5, "после ошибок", sender=IVAN))
    source = TelegramSource(
        api.token, GROUP, base, poll_timeout=1, backoff=Backoff(initial=0.05, cap=0.1, jitter=0)
    )
    sink = RecordingSink()
    task = asyncio.create_task(source.run(sink))
    await asyncio.sleep(0.3)
    health = source.health()
    assert health.state == "down" and "429" in health.detail and api.token not in health.detail
    await sink.wait_for(1, timeout=5)
    assert source.health().state == "connected"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert sink.texts == ["после ошибок"]
    assert len(api.requests) >= 3


async def test_wrong_token_is_down_with_a_reason(aiohttp_server):
    api = tg.FakeBotApi()
    base = await start(aiohttp_server, api)
    source = TelegramSource("999:wrong", GROUP, base, poll_timeout=1, backoff=Backoff(initial=0.05, cap=0.1))
    task = asyncio.create_task(source.run(RecordingSink()))
    await asyncio.sleep(0.2)
    health = source.health()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert health.state == "down" and "401" in health.detail and "Unauthorized" in health.detail
    assert "999:wrong" not in health.detail
    assert api.requests == []  # refused before reaching getUpdates


async def test_fake_speaks_get_with_query_parameters(aiohttp_client):
    api = tg.FakeBotApi()
    client = await aiohttp_client(api.app())
    for i in range(3):
        api.push("message", tg.comment(GROUP, i, f"m{i}", sender=IVAN))
    resp = await client.get(
        f"/bot{api.token}/getUpdates", params={"limit": "2", "allowed_updates": '["message"]'}
    )
    data = await resp.json()
    assert data["ok"] and [u["message"]["text"] for u in data["result"]] == ["m0", "m1"]
    last = data["result"][-1]["update_id"]
    resp = await client.post(f"/bot{api.token}/getUpdates", data={"offset": str(last + 1)})
    assert [u["message"]["text"] for u in (await resp.json())["result"]] == ["m2"]
    resp = await client.get(f"/bot{api.token}/getUpdates", params={"offset": "-1"})
    assert len((await resp.json())["result"]) == 1
    resp = await client.get(f"/bot{api.token}/getUpdates", params={"allowed_updates": "not json"})
    assert resp.status == 400 and (await resp.json())["ok"] is False
