"""Meta webhooks (handshake, signature, payloads) and the Facebook live-comment poller against a fake Graph."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import pytest

from tests.fakes import meta_graph as fg
from tests.fakes.sink import RecordingSink
from tyndau.live.sources.common import Backoff, MemoryCheckpoint
from tyndau.live.sources.meta import (
    FacebookCommentPoller,
    MetaWebhookError,
    check_signature,
    parse_graph_time,
    parse_webhook,
    verify_subscription,
)

SECRET = "app-secret-0123456789abcdef"
VIDEO = "1234567890123456"
T0 = 1763719200


def test_verify_subscription_handshake():
    query = {"hub.mode": "subscribe", "hub.verify_token": "tyndau-verify", "hub.challenge": "1158201444"}
    assert verify_subscription(query, "tyndau-verify") == "1158201444"
    with pytest.raises(MetaWebhookError) as err:
        verify_subscription({**query, "hub.verify_token": "nope"}, "tyndau-verify")
    assert err.value.status == 403
    with pytest.raises(MetaWebhookError) as err:
        verify_subscription({**query, "hub.mode": "unsubscribe"}, "tyndau-verify")
    assert err.value.status == 400
    with pytest.raises(MetaWebhookError):
        verify_subscription({k: v for k, v in query.items() if k != "hub.challenge"}, "tyndau-verify")
    with pytest.raises(MetaWebhookError):
        verify_subscription(query, "")  # no token configured: refuse everyone


def test_signature_is_hmac_sha256_of_the_raw_body():
    body = json.dumps(fg.instagram_live_comment("1", "Сәлем", "user")).encode()
    header = fg.sign(body, SECRET)
    assert check_signature(body, header, SECRET)
    assert check_signature(body, header.upper().replace("SHA256=", "sha256="), SECRET)
    assert not check_signature(body + b" ", header, SECRET)  # re-serialised bodies do not verify
    assert not check_signature(body, header, "other-secret")
    for bad in (None, "", "sha1=abc", "sha256=", "sha256=zz", "sha256=\u00e9"):
        assert not check_signature(body, bad, SECRET)
    assert not check_signature(body, header, "")


def test_instagram_live_comment_payload():
    body = fg.instagram_live_comment(
        "17865799348089039", "Когда будет свет на Сейфуллина?", "aigerim.kz", time=T0
    )
    [comment] = parse_webhook(json.dumps(body).encode())
    assert comment.source == "instagram" and comment.external_id == "17865799348089039"
    assert comment.author == "aigerim.kz" and comment.text == "Когда будет свет на Сейфуллина?"
    assert comment.created_at == datetime.fromtimestamp(T0, tz=UTC)
    assert comment.extra["field"] == "live_comments" and comment.extra["media_id"] == "17900000000000001"
    assert comment.extra["media_product_type"] == "LIVE"
    # Business Login payloads put field/value on the entry itself, and times may be milliseconds
    value = {"id": "c2", "text": "hi", "from": {"id": "9", "username": "u"}}
    flat = {"object": "instagram", "entry": [{"id": "1", "time": T0 * 1000, "field": "comments", "value": value}]}
    [comment] = parse_webhook(flat)
    assert comment.external_id == "c2" and comment.created_at == datetime.fromtimestamp(T0, tz=UTC)


def test_facebook_page_feed_comments():
    added = fg.page_feed_comment(
        "2000000000000002_3000000000000009", "Спасибо за встречу!", "Ержан Б.", created_time=T0
    )
    [comment] = parse_webhook(added)
    assert comment.source == "facebook" and comment.external_id == "2000000000000002_3000000000000009"
    assert comment.author == "Ержан Б." and comment.text == "Спасибо за встречу!"
    assert comment.extra["post_id"] == "1000000000000001_2000000000000002"
    removed = fg.page_feed_comment("2000000000000002_3000000000000009", "", "Ержан Б.", verb="remove")
    [gone] = parse_webhook(removed)
    assert gone.kind == "deleted" and gone.extra["target_id"] == "2000000000000002_3000000000000009"
    assert parse_webhook(fg.page_feed_comment("x", "edited text", "E", verb="edited")) == []


def test_odd_payloads_are_skipped_and_bad_bodies_refused():
    like = {"object": "page", "entry": [{"id": "1", "time": T0, "changes": [
        {"field": "feed", "value": {"item": "reaction", "verb": "add"}}]}]}
    assert parse_webhook(like) == []
    assert parse_webhook({"object": "whatsapp_business_account", "entry": [{"changes": []}]}) == []
    assert (
        parse_webhook({"object": "instagram", "entry": ["x", {"changes": ["y", {"field": "live_comments"}]}]})
        == []
    )
    hostile = fg.instagram_live_comment("h1", "<img src=x onerror=alert(1)>\u0000", "x")
    assert parse_webhook(hostile)[0].text == "<img src=x onerror=alert(1)>\ufffd"
    for bad in (b"not json", b"[1,2]", "\xff".encode("latin-1")):
        with pytest.raises(MetaWebhookError) as err:
            parse_webhook(bad)
        assert err.value.status == 400


def test_graph_time_format():
    assert parse_graph_time("2026-11-21T10:00:00+0000") == datetime(2026, 11, 21, 10, tzinfo=UTC)
    assert parse_graph_time(T0) == datetime.fromtimestamp(T0, tz=UTC)
    assert parse_graph_time("yesterday") is None


async def start(aiohttp_server, graph: fg.FakeGraph) -> str:
    server = await aiohttp_server(graph.app())
    return str(server.make_url(f"/{graph.version}")).rstrip("/")


async def test_poller_pages_since_and_resumes(aiohttp_server):
    graph = fg.FakeGraph()
    base = await start(aiohttp_server, graph)
    for i in range(5):
        graph.add_comment(VIDEO, f"{VIDEO}_{i}", f"вопрос {i}", T0 + i)
    checkpoint = MemoryCheckpoint()
    poller = FacebookCommentPoller(VIDEO, graph.token, base, checkpoint=checkpoint, interval=0.05, limit=2)
    sink = RecordingSink()
    task = asyncio.create_task(poller.run(sink))
    await sink.wait_for(5)
    graph.add_comment(VIDEO, f"{VIDEO}_5", "поздний вопрос", T0 + 4)  # same second as the last one
    graph.add_comment(VIDEO, f"{VIDEO}_6", "ещё", T0 + 9)
    await sink.wait_for(7)
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert sink.texts == [f"вопрос {i}" for i in range(5)] + ["поздний вопрос", "ещё"]
    assert sink.duplicates == 0
    assert sink.comments[0].created_at == datetime.fromtimestamp(T0, tz=UTC)
    assert sink.comments[0].author == "Айгерим" and sink.comments[0].extra["video_id"] == VIDEO
    first = graph.requests[0]
    assert (first["filter"], first["live_filter"], first["order"]) == ("stream", "no_filter", "chronological")
    assert "since" not in first and "after" in graph.requests[1]  # followed paging.next
    assert any(r.get("since") == str(T0 + 4 - 5) for r in graph.requests)
    assert checkpoint.state["since"] == T0 + 9
    assert poller.health().state == "stopped" and poller.health().received == 7

    resumed = FacebookCommentPoller(VIDEO, graph.token, base, checkpoint=checkpoint, interval=0.05)
    graph.add_comment(VIDEO, f"{VIDEO}_7", "после рестарта", T0 + 10)
    sink2 = RecordingSink()
    task = asyncio.create_task(resumed.run(sink2))
    await sink2.wait_for(1)
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert sink2.texts == ["после рестарта"]


async def test_poller_survives_graph_errors(aiohttp_server):
    graph = fg.FakeGraph()
    base = await start(aiohttp_server, graph)
    graph.fail_next(400, 17, "(#17) User request limit reached", "OAuthException")
    graph.fail_next(500, 2, "An unexpected error has occurred.")
    graph.add_comment(VIDEO, "c1", "дошло", T0)
    poller = FacebookCommentPoller(
        VIDEO, graph.token, base, interval=0.05, backoff=Backoff(initial=0.02, cap=0.05)
    )
    sink = RecordingSink()
    task = asyncio.create_task(poller.run(sink))
    await sink.wait_for(1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert sink.texts == ["дошло"]

    bad = FacebookCommentPoller(VIDEO, "expired", base, interval=0.05, backoff=Backoff(initial=0.5, cap=0.5))
    task = asyncio.create_task(bad.run(RecordingSink()))
    await asyncio.sleep(0.2)
    health = bad.health()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert health.state == "down" and "code 190" in health.detail and "expired" not in health.detail
