"""Recorded YouTube chat (chat-downloader's actions) through the import route, and own posts kept out of NLP."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import create_meeting, make_people
from tyndau.nlp.pipeline import Labels
from tyndau.operator_ui.app import create_app
from tyndau.operator_ui.keys import SERVICES

pytestmark = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
CHAT = Path(__file__).resolve().parents[1] / "fixtures" / "youtube" / "chat-downloader-actions.live_chat.json"


async def _import(client, meeting_id: int) -> dict:
    form = aiohttp.FormData()
    form.add_field("file", CHAT.read_bytes(), filename=CHAT.name)
    resp = await client.post(f"/api/v1/meetings/{meeting_id}/imports", data=form, headers=client.people.auth("secretary"))
    assert resp.status == 201, await resp.text()
    return await resp.json()


async def test_recorded_actions_keep_links_and_the_pinned_banner(client):
    meeting = await create_meeting(client)
    result = await _import(client, meeting["id"])
    assert (result["rows"], result["imported"], result["skipped"]) == (19, 8, 0)
    again = await _import(client, meeting["id"])
    assert (again["imported"], again["duplicates"]) == (0, 8)
    page = await (await client.get(f"/api/v1/meetings/{meeting['id']}/comments", headers=client.people.auth("admin"))).json()
    pinned = [c for c in page["items"] if c["extra"].get("pinned")]
    assert len(pinned) == 1
    assert pinned[0]["text"] == "Click here to buy Dr Vipan's course : https://bit.ly/2wJs0SV"  # the full link, not its display
    assert pinned[0]["author"] == "Study IQ education" and pinned[0]["extra"]["own"] == "channel_owner"
    first = page["items"][0]
    assert (first["author"], first["text"], first["kind"]) == ("Naruto Uzumaki", "Consistency Level ASL ❤️", "text")


class StandInPipeline:
    """A pipeline that records what it was asked to label and calls every comment no problem.

    It returns the real ``Labels`` so that it cannot drift from what the labeller reads.
    """

    clusterer = None
    categoriser = None

    def __init__(self) -> None:
        self.seen: list[str] = []

    def process(self, texts, ids, cluster=False):
        self.seen.extend(texts)
        return [Labels(text=t, display=t, lang="ru", is_problem=False) for t in texts]


async def test_the_pages_own_posts_are_stored_but_never_labelled_as_problems(aiohttp_client, settings):
    pipeline = StandInPipeline()
    app = create_app(settings.replace(nlp_enabled=True), pipeline_loader=lambda: pipeline)
    client = await aiohttp_client(app)
    client.people = await make_people(app)
    labeller = app[SERVICES].labeller
    for _ in range(600):
        if labeller.state != "loading":
            break
        await asyncio.sleep(0.1)
    meeting = await create_meeting(client)
    await _import(client, meeting["id"])
    page: dict = {}
    for _ in range(300):
        page = await (await client.get(f"/api/v1/meetings/{meeting['id']}/comments", headers=client.people.auth("admin"))).json()
        if any(c["labels"] for c in page["items"]):
            break
        await asyncio.sleep(0.1)
    own = [c for c in page["items"] if c["extra"].get("own")]
    citizen = [c for c in page["items"] if c["kind"] == "text" and not c["extra"].get("own")]
    assert own and citizen and citizen[0]["labels"] is not None
    assert all(c["labels"] is None and c["is_problem"] is None for c in own)
    assert own[0]["text"] not in pipeline.seen and citizen[0]["text"] in pipeline.seen
