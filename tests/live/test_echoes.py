"""Live labelling of a chat: echoes join the problem they point at; relays and notices are not problems."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import create_meeting, make_people
from tests.live.test_labeller import CONFIG
from tyndau.operator_ui.app import create_app
from tyndau.operator_ui.keys import SERVICES

pytestmark = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    from tyndau.nlp.pipeline import Pipeline

    folder = tmp_path_factory.mktemp("nlp")
    (folder / "nlp.toml").write_text(CONFIG + '\n[detector]\nuse = "always"\n')
    return Pipeline.from_config(folder / "nlp.toml", cache_dir=folder / "models")


@pytest.mark.slow(seconds=40)
async def test_echoes_relays_and_notices_in_a_meeting_chat(aiohttp_client, settings, pipeline):
    app = create_app(settings.replace(nlp_enabled=True), pipeline_loader=lambda: pipeline)
    client = await aiohttp_client(app)
    client.people = await make_people(app)
    labeller = app[SERVICES].labeller
    for _ in range(600):
        if labeller.state != "loading":
            break
        await asyncio.sleep(0.1)
    meeting = await create_meeting(client)
    url = f"/api/v1/meetings/{meeting['id']}/comments"
    texts = ["В Иргели третий день нет воды, возим в баклажках",
             "+",
             "Аким говорит: по Иргели скважина будет во втором квартале",
             "До второго квартала без воды сидеть??",
             "Уважаемые зрители, просим не дублировать сообщения"]
    for n, text in enumerate(texts):
        await client.post(url, headers=client.people.auth("moderator"),
                          json={"source": "youtube", "external_id": f"e{n}", "author": f"a{n}", "text": text,
                                "created_at": f"2026-12-01T10:00:0{n}+05:00"})
        for _ in range(300):  # one at a time, as a live chat arrives
            items = (await (await client.get(url, headers=client.people.auth("secretary"))).json())["items"]
            if all(c["labels"] is not None for c in items):
                break
            await asyncio.sleep(0.05)
    items = (await (await client.get(url, headers=client.people.auth("secretary"))).json())["items"]
    first, plus, relay, reaction, notice = items
    assert first["is_problem"] and first["cluster_id"] is not None
    assert plus["labels"]["chat_act"] == "echo" and plus["labels"]["echo_of"] == first["id"]
    assert plus["cluster_id"] == first["cluster_id"] and plus["is_problem"]
    assert relay["is_problem"] is False and relay["labels"]["chat_act"] == "relay"
    assert reaction["labels"]["echo_of"] == first["id"] and reaction["cluster_id"] == first["cluster_id"]
    assert notice["is_problem"] is False and notice["labels"]["chat_act"] == "notice"
    problems = (await (await client.get(f"/api/v1/meetings/{meeting['id']}/problems", headers=client.people.auth("secretary"))).json())["items"]
    assert len(problems) == 1 and problems[0]["mentions"] == 3
    assert problems[0]["title_ru"].startswith("Нет водоснабжения") and problems[0]["title_kk"].startswith("Су жоқ")
