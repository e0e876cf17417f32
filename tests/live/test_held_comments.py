"""An unsure comment that names no issue and no place waits in triage, not in a draft of its own.

The detector here is set so that every comment counts as a problem and every verdict is unsure
(threshold 0, a review band of 1); what decides is only whether the comment names something.
Model-free pipeline (hashing encoder), real server and store.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import create_meeting, make_people
from tyndau.live.labeller import Labeller
from tyndau.operator_ui.app import create_app
from tyndau.operator_ui.keys import SERVICES

pytestmark = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)

CONFIG = """
[encoder]
use = "hashing"
[detector]
threshold = 0.0
review_band = 1.0
[clusterer]
use = "agglomerative"
threshold = 0.4
"""

NAMED = "В селе Иргели нет воды уже неделю"
UNNAMED = "хакеры подъехали"


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    from tyndau.nlp.pipeline import Pipeline

    folder = tmp_path_factory.mktemp("nlp")
    (folder / "nlp.toml").write_text(CONFIG)
    return Pipeline.from_config(folder / "nlp.toml", cache_dir=folder / "models")


@pytest.fixture
async def client(aiohttp_client, settings, pipeline):
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


async def _get(client, path):
    resp = await client.get(path, params={"limit": "1000"}, headers=client.people.auth("secretary"))
    assert resp.status == 200, await resp.text()
    return (await resp.json())["items"]


async def _until(predicate, timeout=30.0):
    for _ in range(int(timeout * 10)):
        if await predicate():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("not done in time")


async def _meeting_with_both(client):
    mid = (await create_meeting(client))["id"]
    for n, text in enumerate([NAMED, UNNAMED]):
        resp = await client.post(f"/api/v1/meetings/{mid}/comments", headers=client.people.auth("moderator"),
                                 json={"source": "youtube", "external_id": f"h{n}", "author": f"a{n}", "text": text,
                                       "created_at": "2026-12-01T10:00:00+05:00"})
        assert resp.status in (200, 201), await resp.text()

    async def labelled():
        items = await _get(client, f"/api/v1/meetings/{mid}/comments")
        return len(items) == 2 and all(c["labels"] is not None for c in items)

    await _until(labelled)
    items = {c["text"]: c for c in await _get(client, f"/api/v1/meetings/{mid}/comments")}
    return mid, items[NAMED], items[UNNAMED]


async def _is_drafted(client, mid, comment_id):
    items = {c["id"]: c for c in await _get(client, f"/api/v1/meetings/{mid}/comments")}
    return _drafted(await _get(client, f"/api/v1/meetings/{mid}/problems"), items[comment_id])


def _drafted(problems, comment):
    return comment["cluster_id"] is not None and any(p["cluster_id"] == comment["cluster_id"] for p in problems)


async def test_an_unsure_comment_naming_nothing_waits_for_a_person_then_is_drafted(client):
    mid, named, unnamed = await _meeting_with_both(client)
    assert named["labels"]["unsure_problem"] and named["labels"]["subtopics"], named["labels"]
    assert unnamed["labels"]["unsure_problem"] and not unnamed["labels"]["subtopics"] and not unnamed["labels"]["places"]
    problems = await _get(client, f"/api/v1/meetings/{mid}/problems")
    assert _drafted(problems, named), "an unsure comment that names its issue is drafted"
    assert unnamed["is_problem"] is True and unnamed["cluster_id"] is None and not _drafted(problems, unnamed)
    queue = await _get(client, f"/api/v1/meetings/{mid}/review-queue")
    assert unnamed["id"] in {c["id"] for c in queue}, "it waits in triage"

    resp = await client.post(f"/api/v1/meetings/{mid}/review/classify", json={"comment_ids": [unnamed["id"]], "category": "public_order"},
                             headers=client.people.auth("secretary"))
    assert resp.status == 200, await resp.text()

    async def drafted():
        return await _is_drafted(client, mid, unnamed["id"])

    await _until(drafted)
    items = {c["id"]: c for c in await _get(client, f"/api/v1/meetings/{mid}/comments")}
    assert items[unnamed["id"]]["category"] == "public_order"
    assert unnamed["id"] not in {c["id"] for c in await _get(client, f"/api/v1/meetings/{mid}/review-queue")}


async def test_a_confirmation_the_labeller_missed_is_drafted_by_its_catch_up(client):
    """The confirmation's event was lost (another process, a restart): the next catch-up finds the comment."""
    mid, _, unnamed = await _meeting_with_both(client)
    labeller = client.app[SERVICES].labeller
    labeller.state, forward = "standby", labeller._forward
    labeller._forward = None  # this process pretends not to label: the confirmation's relabel goes nowhere
    try:
        resp = await client.post(f"/api/v1/meetings/{mid}/review/classify", json={"comment_ids": [unnamed["id"]], "category": "public_order"},
                                 headers=client.people.auth("secretary"))
        assert resp.status == 200, await resp.text()
    finally:
        labeller.state, labeller._forward = "ready", forward
    await asyncio.sleep(0.3)
    items = {c["id"]: c for c in await _get(client, f"/api/v1/meetings/{mid}/comments")}
    assert items[unnamed["id"]]["cluster_id"] is None

    await labeller.sweep_now()

    async def drafted():
        return await _is_drafted(client, mid, unnamed["id"])

    await _until(drafted)


async def test_a_person_who_said_not_a_problem_is_not_overruled_by_the_catch_up(client):
    mid, _, unnamed = await _meeting_with_both(client)
    resp = await client.post(f"/api/v1/meetings/{mid}/review/not_problem", json={"comment_ids": [unnamed["id"]]},
                             headers=client.people.auth("secretary"))
    assert resp.status == 200, await resp.text()
    await client.app[SERVICES].labeller.sweep_now()
    await asyncio.sleep(0.5)
    items = {c["id"]: c for c in await _get(client, f"/api/v1/meetings/{mid}/comments")}
    assert items[unnamed["id"]]["is_problem"] is False and items[unnamed["id"]]["cluster_id"] is None


async def test_classifying_a_comment_already_in_a_draft_keeps_it_there(client):
    """Most of triage is comments unsure of their category that already sit in a draft: a category
    given there must not take them out of it (a relabel once wrote their cluster as none)."""
    mid, named, _ = await _meeting_with_both(client)
    problems = await _get(client, f"/api/v1/meetings/{mid}/problems")
    assert _drafted(problems, named)
    labeller = client.app[SERVICES].labeller
    relabelled = labeller.labelled
    resp = await client.post(f"/api/v1/meetings/{mid}/review/classify", json={"comment_ids": [named["id"]], "category": "utilities"},
                             headers=client.people.auth("secretary"))
    assert resp.status == 200, await resp.text()
    await asyncio.sleep(0.5)
    items = {c["id"]: c for c in await _get(client, f"/api/v1/meetings/{mid}/comments")}
    assert items[named["id"]]["cluster_id"] == named["cluster_id"] and items[named["id"]]["category"] == "utilities"
    assert labeller.labelled == relabelled, "a drafted comment is not run through the pipeline again"


async def test_a_relabel_never_writes_over_a_decision_made_while_it_ran(client, settings):
    """The batch read the row before the person decided; the store keeps the person's decision."""
    from tyndau.store import labels as label_rows
    from tyndau.store import review as rs

    mid, _, unnamed = await _meeting_with_both(client)
    engine = client.app[SERVICES].engine
    async with engine.begin() as conn:
        await rs.set_reviewed(conn, [unnamed["id"]], "secretary", is_problem=False)
        await label_rows.set_labels(conn, [label_rows.LabelUpdate(unnamed["id"], dict(unnamed["labels"]), True, "agriculture",
                                                                  None, True, "ru")])
    items = {c["id"]: c for c in await _get(client, f"/api/v1/meetings/{mid}/comments")}
    assert unnamed["category"] != "agriculture"
    assert items[unnamed["id"]]["is_problem"] is False and items[unnamed["id"]]["category"] == unnamed["category"]
    from tyndau.store.schema import comments

    async with engine.connect() as conn:
        waits = (await conn.execute(comments.select().where(comments.c.id == unnamed["id"]))).one().needs_review
    assert waits is False, "it left triage when the person decided"


async def test_undoing_the_confirmation_holds_the_comment_back_again(client):
    """Classify, drafted, undo: back in triage and in no draft (the draft it made alone is gone),
    and a second confirmation drafts it again."""
    mid, _, unnamed = await _meeting_with_both(client)
    secretary = client.people.auth("secretary")

    async def classify():
        resp = await client.post(f"/api/v1/meetings/{mid}/review/classify", json={"comment_ids": [unnamed["id"]], "category": "public_order"},
                                 headers=secretary)
        assert resp.status == 200, await resp.text()

    async def drafted():
        return await _is_drafted(client, mid, unnamed["id"])

    await classify()
    await _until(drafted)
    before = len(await _get(client, f"/api/v1/meetings/{mid}/problems"))
    resp = await client.post(f"/api/v1/meetings/{mid}/review/undo", json={}, headers=secretary)
    assert resp.status == 200, await resp.text()
    items = {c["id"]: c for c in await _get(client, f"/api/v1/meetings/{mid}/comments")}
    assert items[unnamed["id"]]["cluster_id"] is None and not await drafted()
    assert len(await _get(client, f"/api/v1/meetings/{mid}/problems")) == before - 1
    assert unnamed["id"] in {c["id"] for c in await _get(client, f"/api/v1/meetings/{mid}/review-queue")}

    # The next comment is labelled against clusters rebuilt without it: it is not drafted behind a person's back.
    resp = await client.post(f"/api/v1/meetings/{mid}/comments", headers=client.people.auth("moderator"),
                             json={"source": "youtube", "external_id": "h-later", "author": "z", "text": NAMED + "!",
                                   "created_at": "2026-12-01T10:05:00+05:00"})
    assert resp.status in (200, 201), await resp.text()

    async def later_labelled():
        return all(c["labels"] is not None for c in await _get(client, f"/api/v1/meetings/{mid}/comments"))

    await _until(later_labelled)
    assert not await drafted()
    await classify()
    await _until(drafted)


async def test_undoing_the_confirmation_leaves_a_draft_someone_worked_on_alone(client):
    mid, _, unnamed = await _meeting_with_both(client)
    resp = await client.post(f"/api/v1/meetings/{mid}/review/classify", json={"comment_ids": [unnamed["id"]], "category": "public_order"},
                             headers=client.people.auth("secretary"))
    assert resp.status == 200, await resp.text()

    async def draft():
        items = {c["id"]: c for c in await _get(client, f"/api/v1/meetings/{mid}/comments")}
        cluster = items[unnamed["id"]]["cluster_id"]
        return next((p for p in await _get(client, f"/api/v1/meetings/{mid}/problems") if cluster is not None and p["cluster_id"] == cluster), None)

    await _until(draft)
    mine = await draft()
    resp = await client.post(f"/api/v1/meetings/{mid}/review/edit", headers=client.people.auth("admin"),
                             json={"problem_id": mine["id"], "version": mine["version"], "fields": {"title_ru": "Кибератака на сайт акимата"}})
    assert resp.status == 200, await resp.text()
    resp = await client.post(f"/api/v1/meetings/{mid}/review/undo", json={}, headers=client.people.auth("secretary"))
    assert resp.status == 200 and (await resp.json())["undone"] == "classify"
    kept = await draft()
    assert kept is not None and kept["id"] == mine["id"] and kept["title_ru"] == "Кибератака на сайт акимата"


@pytest.fixture(scope="module")
def doubting_pipeline(tmp_path_factory):
    """The same, but every verdict is an unsure "no problem"."""
    from tyndau.nlp.pipeline import Pipeline

    folder = tmp_path_factory.mktemp("nlp-no")
    (folder / "nlp.toml").write_text(CONFIG.replace("threshold = 0.0", "threshold = 1.01"))
    return Pipeline.from_config(folder / "nlp.toml", cache_dir=folder / "models")


async def test_a_comment_called_no_problem_unsure_is_drafted_once_a_person_gives_it_a_category(aiohttp_client, settings, doubting_pipeline):
    app = create_app(settings.replace(nlp_enabled=True), pipeline_loader=lambda: doubting_pipeline)
    client = await aiohttp_client(app)
    client.people = await make_people(app)
    await _until(lambda: _ready(app))
    mid, named, _ = await _meeting_with_both(client)
    assert named["is_problem"] is False and named["labels"]["unsure_problem"] and named["cluster_id"] is None
    assert named["id"] in {c["id"] for c in await _get(client, f"/api/v1/meetings/{mid}/review-queue")}
    resp = await client.post(f"/api/v1/meetings/{mid}/review/classify", json={"comment_ids": [named["id"]], "category": "utilities"},
                             headers=client.people.auth("secretary"))
    assert resp.status == 200, await resp.text()

    async def drafted():
        return await _is_drafted(client, mid, named["id"])

    await _until(drafted)


async def _ready(app):
    return app[SERVICES].labeller.state == "ready"


class _Batches(Labeller):
    """The real queue loop around a stand-in batch: records each batch, and can confirm or fail in it."""

    def __init__(self, *, confirm_during: int | None = None, fail: bool = False) -> None:
        async def publish(*_):
            return None

        super().__init__(None, lambda progress: None, publish, {}, linger=0.0)  # type: ignore[arg-type]
        self.reset(standby=False)
        self.batches: list[list[int]] = []
        self._confirm_during, self._fail = confirm_during, fail

    async def label(self, ids, *, only_new=False):
        self.batches.append(list(ids))
        await asyncio.sleep(0.01)  # a batch takes time (and a loop that retries at once must not starve the test)
        if self._fail:
            raise RuntimeError("the store went away")  # before the rows were read
        self._again.difference_update(ids)  # as the real batch does once it has read the rows
        if self._confirm_during is not None and len(self.batches) == 1:
            self.reconsider([self._confirm_during])  # a person confirms it while its batch runs


async def _run(labeller: Labeller, ids, seconds=0.3):
    loop = asyncio.create_task(labeller._label_forever())
    labeller.enqueue(ids)
    await asyncio.sleep(seconds)
    loop.cancel()


async def test_a_confirmation_made_while_its_comment_is_being_labelled_is_labelled_once_more(settings):
    labeller = _Batches(confirm_during=7)
    await _run(labeller, [7])
    assert labeller.batches == [[7], [7]]


async def test_a_failed_batch_is_not_retried_at_once(settings):
    labeller = _Batches(fail=True)
    labeller._again.add(7)  # a confirmed comment whose batch then fails (a store outage)
    await _run(labeller, [7])
    assert labeller.batches == [[7]], "the loop retried the failed batch straight away"
