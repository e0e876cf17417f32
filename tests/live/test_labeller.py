"""Live NLP in the server: comments get labels, clusters and draft problems as they arrive.

Uses the pipeline with the model-free hashing encoder (``config`` override) so it runs in
seconds; the real e5 pipeline is exercised by the NLP tests and ``tyndau nlp eval``.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import create_meeting, make_people
from tyndau.operator_ui.app import create_app
from tyndau.operator_ui.keys import SERVICES

pytestmark = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)

CONFIG = """
[encoder]
use = "hashing"
[clusterer]
use = "agglomerative"
threshold = 0.75
"""


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    """One model-free pipeline for the module (building it trains on the taxonomy's examples)."""
    from tyndau.nlp.pipeline import Pipeline

    folder = tmp_path_factory.mktemp("nlp")
    (folder / "nlp.toml").write_text(CONFIG)
    return Pipeline.from_config(folder / "nlp.toml", cache_dir=folder / "models")


@pytest.fixture
async def nlp_client(aiohttp_client, settings, pipeline):
    app = create_app(settings.replace(nlp_enabled=True), pipeline_loader=lambda: pipeline)
    client = await aiohttp_client(app)
    client.people = await make_people(app)
    labeller = app[SERVICES].labeller
    for _ in range(600):
        if labeller.state != "loading":
            break
        await asyncio.sleep(0.1)
    assert labeller.state == "ready"
    return client


async def _comments(client, meeting_id):
    resp = await client.get(f"/api/v1/meetings/{meeting_id}/comments", params={"limit": "1000"}, headers=client.people.auth("secretary"))
    return (await resp.json())["items"]


async def _until(predicate, timeout=30.0):
    for _ in range(int(timeout * 10)):
        if await predicate():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("not labelled in time")


@pytest.mark.slow(seconds=50)
async def test_comments_are_labelled_clustered_and_drafted_as_they_arrive(nlp_client):
    client = nlp_client
    meeting = await create_meeting(client)
    texts = ["Когда отремонтируют дорогу на улице Абая? Ямы огромные", "На улице Абая ямы на дороге, нужен ремонт",
             "Спасибо аким, рахмет!", "Меня зовут Айгуль, мой телефон +7 701 123 45 67, в селе нет воды",
             "<script>alert(1)</script>", "", "🙂🙂🙂"]
    for n, text in enumerate(texts):
        await client.post(f"/api/v1/meetings/{meeting['id']}/comments", headers=client.people.auth("moderator"),
                          json={"source": "youtube", "external_id": f"y{n}", "author": "a", "text": text or "—", "created_at": "2026-12-01T10:00:00+05:00"})

    async def labelled():
        return all(c["labels"] is not None for c in await _comments(client, meeting["id"]))

    await _until(labelled)
    items = await _comments(client, meeting["id"])
    roads = items[:2]
    assert all(c["labels"]["lang"] == "ru" for c in roads)
    assert items[3]["labels"]["personal_data"], "the phone number and the name are found"
    resp = await client.get(f"/api/v1/meetings/{meeting['id']}/problems", headers=client.people.auth("secretary"))
    problems = (await resp.json())["items"]
    assert problems, "problems are drafted from the clusters"
    assert all("+7 701" not in p["title_ru"] for p in problems), "draft wording is redacted"


async def test_a_correction_and_a_not_a_problem_decision_survive_relabelling(nlp_client):
    client = nlp_client
    meeting = await create_meeting(client)
    url = f"/api/v1/meetings/{meeting['id']}/comments"
    await client.post(url, headers=client.people.auth("moderator"),
                      json={"source": "youtube", "external_id": "x1", "author": "a", "text": "Когда будет газ в нашем ауле?", "created_at": "2026-12-01T10:00:00+05:00"})

    async def labelled():
        return (await _comments(client, meeting["id"]))[0]["labels"] is not None

    await _until(labelled)
    comment = (await _comments(client, meeting["id"]))[0]
    await client.post(f"/api/v1/meetings/{meeting['id']}/review/not_problem", json={"comment_ids": [comment["id"]]}, headers=client.people.auth("secretary"))
    labeller = client.app[SERVICES].labeller
    await labeller.label([comment["id"]])  # the machine looks again
    after = (await _comments(client, meeting["id"]))[0]
    assert after["is_problem"] is False


async def _post(client, meeting_id, key, text):
    await client.post(f"/api/v1/meetings/{meeting_id}/comments", headers=client.people.auth("moderator"),
                      json={"source": "youtube", "external_id": key, "author": "a", "text": text, "created_at": "2026-12-01T10:00:00+05:00"})


async def _problems(client, meeting_id):
    resp = await client.get(f"/api/v1/meetings/{meeting_id}/problems", headers=client.people.auth("secretary"))
    return (await resp.json())["items"]


async def test_a_merge_teaches_the_live_clusterer(nlp_client, pipeline, monkeypatch):
    """Two wordings the machine kept apart are merged by a secretary; the next one like either follows."""
    from dataclasses import replace

    from tyndau.nlp.clusterer import Clusterer

    template = pipeline.clusterer  # stricter than the module's loose hashing-space threshold
    monkeypatch.setitem(pipeline.stages, "clusterer", Clusterer(replace(template.settings, threshold=0.4), means=template.means))
    client = nlp_client
    meeting = await create_meeting(client)
    mid = meeting["id"]
    ru = ["В селе Иргели нет воды уже неделю", "В селе Иргели нет воды уже неделю!!"]
    # Longer than a short echo line ("су жоқ" alone would join the Russian problem as an echo).
    long_kk = "Су жоқ бір аптадан бері, балалар ауырып жатыр, суды сатып аламыз, көмектесіңіздер"
    kk = [long_kk, long_kk + "!!"]
    for n, text in enumerate(ru + kk):
        await _post(client, mid, f"m{n}", text)

    async def labelled():
        items = await _comments(client, mid)
        return len(items) == 4 and all(c["labels"] is not None for c in items)

    await _until(labelled)
    items = sorted(await _comments(client, mid), key=lambda c: c["id"])
    assert items[0]["cluster_id"] == items[1]["cluster_id"] != items[2]["cluster_id"] == items[3]["cluster_id"]
    problems = {p["cluster_id"]: p for p in await _problems(client, mid)}
    target, source = problems[items[0]["cluster_id"]], problems[items[2]["cluster_id"]]
    resp = await client.post(f"/api/v1/meetings/{mid}/review/merge", json={"target_id": target["id"], "source_ids": [source["id"]]},
                             headers=client.people.auth("secretary"))
    assert resp.status == 200
    await _post(client, mid, "m9", long_kk + "!!!")

    async def five():
        found = await _comments(client, mid)
        return len(found) == 5 and all(c["labels"] is not None for c in found)

    await _until(five)
    newest = max(await _comments(client, mid), key=lambda c: c["id"])
    live = [p for p in await _problems(client, mid)]
    assert [p["id"] for p in live] == [target["id"]], live  # no new draft: it joined the merged problem
    assert newest["cluster_id"] == target["cluster_id"]
    detail = await (await client.get(f"/api/v1/meetings/{mid}/problems/{target['id']}", headers=client.people.auth("secretary"))).json()
    assert live[0]["mentions"] == 5, detail


async def test_accepting_a_draft_pins_its_comments_in_the_live_clusterer(nlp_client):
    """What a secretary accepted, the server's re-clustering leaves in place (new comments may still join)."""
    client = nlp_client
    mid = (await create_meeting(client))["id"]
    for n, text in enumerate(["В селе Иргели нет воды уже неделю", "В селе Иргели нет воды уже неделю!!"]):
        await _post(client, mid, f"a{n}", text)

    async def labelled(n):
        items = await _comments(client, mid)
        return len(items) == n and all(c["labels"] is not None for c in items)

    await _until(lambda: labelled(2))
    items = sorted(await _comments(client, mid), key=lambda c: c["id"])
    problem = next(p for p in await _problems(client, mid) if p["cluster_id"] == items[0]["cluster_id"])
    resp = await client.post(f"/api/v1/meetings/{mid}/review/accept", json={"problem_ids": [problem["id"]]},
                             headers=client.people.auth("secretary"))
    assert resp.status == 200
    await _post(client, mid, "a9", "В селе Иргели нет воды уже неделю!!!")
    await _until(lambda: labelled(3))
    clusterer = client.app[SERVICES].labeller._clusterers[mid].clusterer
    locked = clusterer.locked()
    assert {items[0]["id"], items[1]["id"]} <= set(locked), locked
    assert len({locked[items[0]["id"]], locked[items[1]["id"]]}) == 1
    # un-accepting it gives them back to the machine at its next look
    resp = await client.post(f"/api/v1/meetings/{mid}/review/accept", json={"problem_ids": [problem["id"]], "accepted": False},
                             headers=client.people.auth("secretary"))
    assert resp.status == 200
    await _post(client, mid, "a10", "Иргелиде су жоқ")
    await _until(lambda: labelled(4))
    assert not {items[0]["id"], items[1]["id"]} & set(clusterer.locked()), clusterer.locked()
