"""The generic webhook and the feed API: idempotency, signatures, paging, hostile input, moderation."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time

import pytest
import socketio

from tests.conftest import create_meeting


def comment(n: int, **changes):
    return {"source": "vk", "external_id": f"vk-{n}", "author": f"Автор {n}", "text": f"Когда отремонтируют дорогу №{n}?",
            "created_at": "2026-12-01T10:05:00+05:00", **changes}


async def test_webhook_stores_once_and_answers_201_then_200(client):
    meeting = await create_meeting(client)
    url = f"/api/v1/meetings/{meeting['id']}/comments"
    auth = client.people.auth("secretary")
    first = await client.post(url, json=comment(1), headers=auth)
    assert first.status == 201
    body = await first.json()
    assert body["duplicate"] is False and isinstance(body["id"], int)
    again = await client.post(url, json=comment(1), headers=auth)
    assert again.status == 200
    assert await again.json() == {"id": body["id"], "duplicate": True, "result": "duplicate", "source": "vk"}
    page = await (await client.get(url, headers=auth)).json()
    assert len(page["items"]) == 1 and page["next"] is None
    item = page["items"][0]
    for key in ("id", "source", "external_id", "author", "text", "created_at", "received_at"):
        assert key in item
    assert item["created_at"] == "2026-12-01T05:05:00+00:00"


async def test_comments_without_an_id_deduplicate_on_content(client):
    meeting = await create_meeting(client)
    url = f"/api/v1/meetings/{meeting['id']}/comments"
    auth = client.people.auth("moderator")
    no_id = comment(1)
    del no_id["external_id"]
    assert (await client.post(url, json=no_id, headers=auth)).status == 201
    assert (await client.post(url, json=no_id, headers=auth)).status == 200
    assert (await client.post(url, json={**no_id, "text": "другой текст"}, headers=auth)).status == 201


async def test_batch_of_items_and_paging_with_a_cursor(client):
    meeting = await create_meeting(client)
    url = f"/api/v1/meetings/{meeting['id']}/comments"
    auth = client.people.auth("moderator")
    resp = await client.post(url, json={"items": [comment(i) for i in range(25)]}, headers=auth)
    assert resp.status == 201
    assert len((await resp.json())["items"]) == 25
    seen, cursor = [], None
    while True:
        page = await (await client.get(url, params={"limit": 10, **({"after": cursor} if cursor else {})}, headers=auth)).json()
        seen.extend(i["external_id"] for i in page["items"])
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == [f"vk-{i}" for i in range(25)]
    assert (await client.get(url, params={"limit": 10001}, headers=auth)).status == 400


async def test_hmac_signed_webhook(client):
    # the app under test has no webhook secret: a signature alone is refused
    meeting = await create_meeting(client)
    url = f"/api/v1/meetings/{meeting['id']}/comments"
    raw = json.dumps(comment(1)).encode()
    resp = await client.post(url, data=raw, headers={"Content-Type": "application/json", "X-Tyndau-Signature": "sha256=00"})
    assert resp.status == 401
    page = await (await client.get(url, headers=client.people.auth("admin"))).json()
    assert page["items"] == []  # stored nowhere


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_valid_hmac_is_accepted_and_a_bad_one_refused(aiohttp_client, settings):
    from tests.conftest import make_people
    from tyndau.operator_ui.api_comments import signature
    from tyndau.operator_ui.app import create_app

    app = create_app(settings.replace(webhook_secret="s3cret"))
    c = await aiohttp_client(app)
    c.people = await make_people(app)
    meeting = await create_meeting(c)
    other = await create_meeting(c)
    url = f"/api/v1/meetings/{meeting['id']}/comments"
    raw = json.dumps(comment(1)).encode()
    now = str(int(time.time()))

    def signed(body: bytes, stamp: str = now, meeting_id: int = meeting["id"], secret: str = "s3cret") -> dict[str, str]:
        return {"Content-Type": "application/json", "X-Tyndau-Timestamp": stamp, "X-Tyndau-Signature": signature(secret, stamp, meeting_id, body)}

    resp = await c.post(url, data=raw, headers=signed(raw))
    assert resp.status == 201 and (await resp.json())["result"] == "stored"
    assert (await resp.json())["source"] == "webhook:vk"
    resp = await c.post(url, data=raw, headers=signed(raw))
    assert resp.status == 200 and (await resp.json())["result"] == "duplicate"
    tampered = raw.replace(b"vk-1", b"vk-2")
    assert (await c.post(url, data=tampered, headers=signed(raw) | {"Content-Type": "application/json"})).status == 401
    # the body alone (the old scheme) is not enough
    body_only = "sha256=" + hmac.new(b"s3cret", raw, hashlib.sha256).hexdigest()
    resp = await c.post(url, data=raw, headers={"Content-Type": "application/json", "X-Tyndau-Signature": body_only})
    assert resp.status == 401 and "X-Tyndau-Timestamp" in (await resp.json())["error"]["message"]
    # a captured request replayed into another meeting, or an hour later, is refused
    into_other = f"/api/v1/meetings/{other['id']}/comments"
    assert (await c.post(into_other, data=raw, headers=signed(raw))).status == 401
    stale = str(int(time.time()) - 3600)
    resp = await c.post(url, data=raw, headers=signed(raw, stale))
    assert resp.status == 401 and "clock" in (await resp.json())["error"]["message"]
    # a signer claiming a platform's source lands in its own namespace and cannot suppress the real comment
    yt = json.dumps({**comment(2), "source": "youtube", "external_id": "yt-real-1"}).encode()
    resp = await c.post(url, data=yt, headers=signed(yt))
    assert resp.status == 201 and (await resp.json())["source"] == "webhook:youtube"
    real = await c.post(url, json={**comment(2), "source": "youtube", "external_id": "yt-real-1"}, headers=c.people.auth("moderator"))
    assert real.status == 201 and (await real.json())["duplicate"] is False


async def test_hostile_json_is_a_clear_4xx(client):
    meeting = await create_meeting(client)
    url = f"/api/v1/meetings/{meeting['id']}/comments"
    auth = {**client.people.auth("moderator"), "Content-Type": "application/json"}
    for raw in (b"[" * 100_000 + b"]" * 100_000, b'{"n": ' + b"9" * 5000 + b"}"):
        resp = await client.post(url, data=raw, headers=auth)
        assert resp.status == 400, raw[:20]
    late = {**comment(1), "created_at": "9999-12-31T23:59:59-14:00"}
    resp = await client.post(url, json=late, headers=client.people.auth("moderator"))
    assert resp.status == 422 and "created_at" in (await resp.json())["error"]["fields"]


async def test_unknown_meeting_is_404_and_bad_fields_422(client):
    auth = client.people.auth("moderator")
    assert (await client.post("/api/v1/meetings/999/comments", json=comment(1), headers=auth)).status == 404
    meeting = await create_meeting(client)
    url = f"/api/v1/meetings/{meeting['id']}/comments"
    for bad, field in [({"text": ""}, "text"), ({"text": "   "}, "text"), ({"created_at": "yesterday"}, "created_at"),
                       ({"source": 5}, "source"), ({"evil": 1}, "evil")]:
        resp = await client.post(url, json={**comment(1), **bad}, headers=auth)
        assert resp.status == 422, bad
        assert field in (await resp.json())["error"]["fields"]
    resp = await client.post(url, data=b"\xff\xfe\x00", headers={**auth, "Content-Type": "application/json"})
    assert resp.status == 400
    assert (await client.post(url, json=comment(1), headers=client.people.auth("viewer"))).status == 403


async def test_hostile_text_is_stored_as_is_and_neutralised_for_display(client):
    meeting = await create_meeting(client)
    url = f"/api/v1/meetings/{meeting['id']}/comments"
    auth = client.people.auth("moderator")
    hostile = "<script>alert(1)</script>\u202eevil\u200b\x07 text"
    huge = "я" * 50_000
    await client.post(url, json=comment(1, text=hostile), headers=auth)
    await client.post(url, json=comment(2, text=huge), headers=auth)
    items = (await (await client.get(url, headers=auth)).json())["items"]
    assert items[0]["text"] == hostile
    assert items[0]["display"] == "<script>alert(1)</script>evil text"
    assert "control_chars" in items[0]["flags"]
    assert items[1]["text"] == huge and items[1]["clipped"] is True and len(items[1]["display"]) == 1000
    assert "long" in items[1]["flags"]


async def test_a_flooding_author_is_rate_limited_but_stored(client):
    meeting = await create_meeting(client)
    url = f"/api/v1/meetings/{meeting['id']}/comments"
    auth = client.people.auth("moderator")
    for i in range(8):
        await client.post(url, json=comment(i, author="Спамер"), headers=auth)
    items = (await (await client.get(url, headers=auth)).json())["items"]
    assert len(items) == 8
    assert [i["throttled"] for i in items] == [False] * 5 + [True] * 3
    visible = (await (await client.get(url, params={"throttled": "false"}, headers=auth)).json())["items"]
    assert len(visible) == 5


async def test_pin_answer_hide_and_current_question(client):
    meeting = await create_meeting(client)
    base = f"/api/v1/meetings/{meeting['id']}/comments"
    mod = client.people.auth("moderator")
    cid = (await (await client.post(base, json=comment(1), headers=mod)).json())["id"]
    assert (await client.post(f"{base}/{cid}/pin", json={}, headers=client.people.auth("secretary"))).status == 200
    pinned = (await (await client.get(base, params={"pinned": "1"}, headers=mod)).json())["items"]
    assert [i["id"] for i in pinned] == [cid]
    resp = await client.post(f"{base}/{cid}/current", json={}, headers=mod)
    assert (await resp.json())["question"]["text"] == "Когда отремонтируют дорогу №1?"
    assert (await client.post(f"{base}/{cid}/current", json={}, headers=client.people.auth("secretary"))).status == 403
    assert (await client.post(f"{base}/{cid}/answered", json={}, headers=mod)).status == 200
    assert (await client.post(f"{base}/{cid}/hide", json={}, headers=mod)).status == 422
    resp = await client.post(f"{base}/{cid}/hide", json={"reason": "спам"}, headers=mod)
    assert (await resp.json())["comment"]["hidden"] is True
    shown = (await (await client.get(base, params={"hidden": "false"}, headers=mod)).json())["items"]
    assert shown == []
    everything = (await (await client.get(base, headers=mod)).json())["items"]
    assert everything[0]["hidden_reason"] == "спам" and everything[0]["answered_at"]
    assert (await client.post(f"{base}/999/pin", json={}, headers=mod)).status == 404


async def test_floor_question_keeps_the_contact_private(client):
    meeting = await create_meeting(client)
    resp = await client.post(f"/api/v1/meetings/{meeting['id']}/floor-questions",
                             json={"text": "Когда построят школу в ауле?", "author": "Айгуль", "contact": "+7 701 123 45 67"},
                             headers=client.people.auth("secretary"))
    assert resp.status == 201
    as_moderator = (await (await client.get(f"/api/v1/meetings/{meeting['id']}/comments", headers=client.people.auth("moderator"))).json())["items"]
    assert as_moderator[0]["kind"] == "floor" and "contact" not in as_moderator[0]
    assert "+7 701" not in json.dumps(as_moderator)
    as_secretary = (await (await client.get(f"/api/v1/meetings/{meeting['id']}/comments", headers=client.people.auth("secretary"))).json())["items"]
    assert as_secretary[0]["contact"] == "+7 701 123 45 67"


async def test_feed_watchers_get_committed_comments_in_batches(live_server):
    import aiohttp

    async with aiohttp.ClientSession() as http:
        mod = {"Authorization": f"Bearer {live_server.people.tokens['moderator']}"}
        from tests.conftest import MEETING

        meeting = await (await http.post(f"{live_server.url}/api/v1/meetings", json=MEETING, headers=mod)).json()
        url = f"{live_server.url}/api/v1/meetings/{meeting['id']}/comments"
        await http.post(url, json=comment(0), headers=mod)
        received: list[dict] = []
        sio = socketio.AsyncClient(reconnection=False)
        sio.on("comments", lambda items: received.extend(items), namespace="/feed")
        await sio.connect(live_server.url, namespaces=["/feed"], auth={"token": live_server.people.tokens["viewer"]}, transports=["websocket"])
        try:
            ack = await sio.call("join", {"meeting_id": meeting["id"]}, namespace="/feed")
            assert ack["ok"] and [i["external_id"] for i in ack["items"]] == ["vk-0"]
            await asyncio.gather(*(http.post(url, json=comment(i), headers=mod) for i in range(1, 41)))
            for _ in range(100):
                if len(received) >= 40:
                    break
                await asyncio.sleep(0.05)
            assert sorted(i["external_id"] for i in received) == sorted(f"vk-{i}" for i in range(1, 41))
            denied = await sio.call("command", {"verb": "pin", "meeting_id": meeting["id"], "comment_id": ack["items"][0]["id"]}, namespace="/feed")
            assert denied["error"]["code"] == "forbidden"
        finally:
            await sio.disconnect()


async def test_hiding_the_question_on_screen_takes_it_off_screen(client):
    meeting = await create_meeting(client)
    base = f"/api/v1/meetings/{meeting['id']}/comments"
    mod = client.people.auth("moderator")
    cid = (await (await client.post(base, json=comment(1), headers=mod)).json())["id"]
    await client.post(f"{base}/{cid}/current", json={}, headers=mod)
    await client.post(f"{base}/{cid}/hide", json={"reason": "abuse"}, headers=client.people.auth("secretary"))
    got = await (await client.get(f"/api/v1/meetings/{meeting['id']}", headers=mod)).json()
    assert (await client.post(f"{base}/{cid}/current", json={}, headers=mod)).status == 409
    import sqlalchemy as sa

    from tyndau.operator_ui.keys import SERVICES
    from tyndau.store.schema import meetings

    async with client.app[SERVICES].engine.connect() as conn:
        assert await conn.scalar(sa.select(meetings.c.current_comment_id).where(meetings.c.id == got["id"])) is None


async def test_floor_askers_stay_anonymous_for_viewers_and_on_screen(client):
    meeting = await create_meeting(client)
    resp = await client.post(f"/api/v1/meetings/{meeting['id']}/floor-questions", json={"text": "Вопрос из зала", "author": "Айгуль Сейтова"},
                             headers=client.people.auth("secretary"))
    cid = (await resp.json())["id"]
    as_viewer = (await (await client.get(f"/api/v1/meetings/{meeting['id']}/comments", headers=client.people.auth("viewer"))).json())["items"]
    assert as_viewer[0]["author"] == "" and "Айгуль" not in json.dumps(as_viewer)
    shown = await (await client.post(f"/api/v1/meetings/{meeting['id']}/comments/{cid}/current", json={}, headers=client.people.auth("moderator"))).json()
    assert shown["question"]["author"] == ""
