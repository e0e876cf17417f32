"""NLP start-up: the server is usable at once, the console sees the model's real loading progress
(HTTP for a freshly opened console, socket.io pushes while it loads), and comments that arrive
meanwhile are labelled as soon as the pipeline is ready — none is lost.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import aiohttp
import pytest
import socketio
from aiohttp import web

from tests.conftest import MEETING, free_port, make_people
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
def pipeline_config(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("nlp")
    (folder / "nlp.toml").write_text(CONFIG)
    return folder


class GatedLoader:
    """Builds the real model-free pipeline with its progress, but holds at the first step until released."""

    def __init__(self, folder: Any) -> None:
        self.folder = folder
        self.release = threading.Event()
        self.held = threading.Event()

    def __call__(self, progress: Any) -> Any:
        from tyndau.nlp.pipeline import Pipeline

        def gate(step: Any) -> None:
            progress(step)
            if step.percent >= 40 and not self.release.is_set():
                self.held.set()
                self.release.wait(60)

        return Pipeline.from_config(self.folder / "nlp.toml", cache_dir=self.folder / "models", progress=gate)


async def _wait(predicate: Any, timeout: float = 30.0) -> None:
    for _ in range(int(timeout * 20)):
        if await predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached in time")


@pytest.mark.slow(seconds=55)
async def test_progress_over_http_and_socketio_and_nothing_lost(settings: Any, pipeline_config: Any) -> None:
    loader = GatedLoader(pipeline_config)
    port = free_port()
    app = create_app(settings.replace(nlp_enabled=True, host="127.0.0.1", port=port), pipeline_loader=loader)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    url = f"http://127.0.0.1:{port}"
    people = await make_people(app)
    pushes: list[dict[str, Any]] = []
    sio = socketio.AsyncClient(reconnection=False)
    sio.on("nlp_status", pushes.append, namespace="/feed")
    try:
        await sio.connect(url, namespaces=["/feed"], auth={"token": people.tokens["viewer"]},
                          transports=["websocket"], wait_timeout=5)
        await asyncio.to_thread(loader.held.wait, 60)
        async with aiohttp.ClientSession(headers=people.auth("moderator")) as http:
            status = await (await http.get(f"{url}/api/v1/nlp/status")).json()
            assert status["state"] == "loading" and 40 <= status["percent"] < 100, status
            meeting = await (await http.post(f"{url}/api/v1/meetings", json=MEETING)).json()
            comments_url = f"{url}/api/v1/meetings/{meeting['id']}/comments"
            texts = ["Когда отремонтируют дорогу на улице Абая?", "Ауылда су жоқ, көмектесіңіздер", "Спасибо!"]
            for n, text in enumerate(texts):
                resp = await http.post(comments_url, json={"source": "youtube", "external_id": f"w{n}", "author": "a",
                                                           "text": text, "created_at": "2026-12-01T10:00:00+05:00"})
                assert resp.status in (200, 201), await resp.text()
            status = await (await http.get(f"{url}/api/v1/nlp/status")).json()
            assert status["state"] == "loading" and status["pending"] == len(texts)
            listed = (await (await http.get(comments_url)).json())["items"]
            assert len(listed) == len(texts) and all(c["labels"] is None for c in listed), "accepted, not yet labelled"

            loader.release.set()

            async def all_labelled() -> bool:
                items = (await (await http.get(comments_url)).json())["items"]
                return len(items) == len(texts) and all(c["labels"] is not None for c in items)

            await _wait(all_labelled)
            status = await (await http.get(f"{url}/api/v1/nlp/status")).json()
            assert status["state"] == "ready" and status["percent"] == 100 and status["labelled"] >= len(texts)
        await _wait(lambda: _true(pushes and pushes[-1]["state"] == "ready"))
        loading = [p["percent"] for p in pushes if p["state"] == "loading"]
        assert loading and loading == sorted(loading), "pushed percentages only grow"
        assert any(0 < p < 100 for p in loading), "intermediate steps are pushed, not only start and end"
        assert {p["stage"] for p in pushes} >= {"categoriser", "ready"}
    finally:
        loader.release.set()
        await sio.disconnect()
        await runner.cleanup()


async def _true(value: Any) -> bool:
    return bool(value)


async def test_status_says_off_when_nlp_is_disabled(client: Any) -> None:
    resp = await client.get("/api/v1/nlp/status", headers=client.people.auth("viewer"))
    body = await resp.json()
    assert resp.status == 200 and body["state"] == "off" and body["reason"] == "disabled"
    assert (await client.get("/api/v1/nlp/status")).status == 401


async def test_a_pipeline_that_cannot_load_is_reported_as_failed(aiohttp_client: Any, settings: Any) -> None:
    def broken(progress: Any) -> Any:
        raise RuntimeError("weights missing")

    app = create_app(settings.replace(nlp_enabled=True), pipeline_loader=broken)
    client = await aiohttp_client(app)
    people = await make_people(app)
    labeller = app[SERVICES].labeller

    async def settled() -> bool:
        return bool(labeller.state != "loading")

    await _wait(settled)
    body = await (await client.get("/api/v1/nlp/status", headers=people.auth("secretary"))).json()
    assert body["state"] == "failed" and "weights missing" in body["error"]
