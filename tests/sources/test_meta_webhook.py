"""Meta webhooks through the real route: the documented set-up stores Meta's own samples, once, and says so."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import create_meeting, make_people
from tests.fakes.meta_graph import sign
from tyndau.operator_ui.app import create_app

pytestmark = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "meta"
SECRET = "meta-app-secret-for-tests"
VERIFY = "tyndau-verify"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


async def start(aiohttp_client: Any, settings: Any) -> Any:
    app = create_app(settings.replace(meta_app_secret=SECRET, meta_verify_token=VERIFY))
    client = await aiohttp_client(app)
    client.people = await make_people(app)
    return client


async def push(client: Any, body: bytes, secret: str = SECRET) -> Any:
    return await client.post("/webhooks/meta", data=body, headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(body, secret)})


async def add_source(client: Any, meeting_id: int, kind: str, object_id: str) -> dict[str, Any]:
    resp = await client.post(f"/api/v1/meetings/{meeting_id}/sources", json={"kind": kind, "config": {"object_id": object_id}},
                             headers=client.people.auth("moderator"))
    assert resp.status == 201, await resp.text()
    return await resp.json()


async def comments(client: Any, meeting_id: int) -> list[dict[str, Any]]:
    resp = await client.get(f"/api/v1/meetings/{meeting_id}/comments", headers=client.people.auth("admin"))
    return (await resp.json())["items"]


async def test_instagram_as_documented_stores_metas_samples_once_and_resumes(aiohttp_client, settings):
    client = await start(aiohttp_client, settings)
    verify = await client.get("/webhooks/meta", params={"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"})
    assert verify.status == 200 and await verify.text() == "1158201444"
    meeting = await create_meeting(client)
    source = await add_source(client, meeting["id"], "instagram_webhook", "123123123")
    assert source["running"] is True  # created = receiving: no extra click
    assert (source["health"]["state"], source["health"]["code"]) == ("waiting", "push_waiting")

    resp = await push(client, fixture("instagram-live-comment.json"))
    body = await resp.json()
    assert resp.status == 200 and (body["stored"], body["duplicates"]) == (1, 0)
    assert body["items"][0]["result"] == "stored" and body["items"][0]["id"] == "17865799348089039"
    again = await (await push(client, fixture("instagram-live-comment.json"))).json()
    assert (again["stored"], again["duplicates"]) == (0, 1)
    shape = await (await push(client, fixture("instagram-comment-comment-id.json"))).json()
    assert shape["items"][0]["result"] == "stored"  # the "comment_id" shape of Meta's example is kept
    mentions = await (await push(client, fixture("instagram-mentions.json"))).json()
    assert [i["reason"] for i in mentions["items"]] == ["mention_without_text", "mention_without_text"]

    stored = await comments(client, meeting["id"])
    assert [(c["source"], c["external_id"], c["author"], c["text"]) for c in stored] == [
        ("instagram", "17865799348089039", "test", "This is an example."),
        ("instagram", "17865799348089040", "resident", "<TEXT_ID>"),
    ]
    assert stored[0]["created_at"] == "2018-03-09T19:16:08+00:00" and stored[1]["extra"]["parent_id"] == "17865799348089039"
    listed = (await (await client.get(f"/api/v1/meetings/{meeting['id']}/sources", headers=client.people.auth("viewer"))).json())["items"]
    assert (listed[0]["health"]["state"], listed[0]["health"]["code"], listed[0]["health"]["received"]) == ("connected", "push_receiving", 3)

    # a restart resumes the source without a click ("cannot resume: unknown source kind" was the bug)
    people = client.people
    await client.close()
    client = await aiohttp_client(create_app(settings.replace(meta_app_secret=SECRET, meta_verify_token=VERIFY)))
    client.people = people
    listed = (await (await client.get(f"/api/v1/meetings/{meeting['id']}/sources", headers=people.auth("viewer"))).json())["items"]
    assert listed[0]["running"] is True and listed[0]["health"]["state"] == "waiting"
    later = json.loads(fixture("instagram-live-comment.json"))
    later["entry"][0]["changes"][0]["value"].update(id="17865799348089041", text="После перезапуска")
    resp = await push(client, json.dumps(later).encode())
    assert (await resp.json())["stored"] == 1
    assert len(await comments(client, meeting["id"])) == 3


async def test_bad_signatures_unknown_objects_and_stopped_sources_say_why(aiohttp_client, settings):
    client = await start(aiohttp_client, settings)
    meeting = await create_meeting(client)
    source = await add_source(client, meeting["id"], "instagram_webhook", "123123123")
    resp = await push(client, fixture("instagram-live-comment.json"), secret="wrong")
    assert resp.status == 401 and (await resp.json())["error"]["code"] == "bad_signature"
    listed = (await (await client.get(f"/api/v1/meetings/{meeting['id']}/sources", headers=client.people.auth("viewer"))).json())["items"]
    assert (listed[0]["health"]["state"], listed[0]["health"]["code"]) == ("down", "push_bad_signature")
    assert listed[0]["health"]["params"]["setting"] == "meta_app_secret"
    other = json.loads(fixture("instagram-live-comment.json"))
    other["entry"][0]["changes"][0]["value"]["media"]["id"] = "999"
    body = await (await push(client, json.dumps(other).encode())).json()
    assert body["items"][0] == {"id": "17865799348089039", "platform": "instagram", "result": "ignored", "reason": "not_routed"}
    await client.post(f"/api/v1/meetings/{meeting['id']}/sources/{source['id']}/stop", headers=client.people.auth("moderator"))
    body = await (await push(client, fixture("instagram-live-comment.json"))).json()
    assert body["items"][0]["reason"] == "not_routed" and await comments(client, meeting["id"]) == []
    assert (await client.post("/webhooks/meta", data=b"[" * 50_000, headers={"X-Hub-Signature-256": sign(b"[" * 50_000, SECRET)})).status == 400
    bad = await client.post(f"/api/v1/meetings/{meeting['id']}/sources", json={"kind": "facebook_webhook", "config": {"object_id": "x" * 40}},
                            headers=client.people.auth("moderator"))
    assert bad.status == 422 and "object_id" in (await bad.json())["error"]["message"]


async def test_facebook_feed_comments_own_replies_photos_and_hiding(aiohttp_client, settings):
    client = await start(aiohttp_client, settings)
    meeting = await create_meeting(client)
    await add_source(client, meeting["id"], "facebook_webhook", "1000000000000001_2000000000000002")
    resp = await push(client, fixture("facebook-feed-comments.json"))
    body = await resp.json()
    assert [(i["result"], i.get("reason")) for i in body["items"]] == [
        ("stored", None), ("stored", None), ("stored", None), ("ignored", "edited"), ("hidden", None), ("unhidden", None),
        ("ignored", "not_a_comment"),
    ]
    stored = await comments(client, meeting["id"])
    text, photo, own = stored
    assert (text["author"], text["text"], text["hidden"]) == ("Айгерим Н.", "Когда отремонтируют дорогу на Абая?", False)
    assert photo["kind"] == "media" and photo["extra"]["photo"].endswith("/yama.jpg") and photo["text"].startswith("🖼 https://")
    assert own["extra"]["own"] == "page" and "own" not in text["extra"]
    hide_only = json.loads(fixture("facebook-feed-comments.json"))
    hide_only["entry"][0]["changes"] = [hide_only["entry"][0]["changes"][4]]
    await push(client, json.dumps(hide_only).encode())
    first = (await comments(client, meeting["id"]))[0]
    assert first["hidden"] is True and first["hidden_reason"] == "platform_facebook"
