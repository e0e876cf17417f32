"""Schemathesis against the real server on loopback: no 5xx, and every answer as the OpenAPI document says.

Bounded: a fixed number of examples per operation (``TYNDAU_SCHEMATHESIS_EXAMPLES``, default 20)
in positive and negative modes, derandomised so a run is reproducible; a few minutes on 2 cores.
The server runs in its own thread and event loop; schemathesis's requests are plain blocking HTTP.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402

from tests.conftest import MEETING, free_port, make_people  # noqa: E402

EXAMPLES = int(os.environ.get("TYNDAU_SCHEMATHESIS_EXAMPLES", "20"))
# Requests the schema calls valid may still break a business rule the schema cannot express
# (a deadline before the meeting, a clock transition, announced after starting): 409 and 422.
# Bodies whose shape depends on a path parameter (review and comment verbs) are documented as
# plain objects, so their field checks answer 400 to a schema-valid body too.
POSITIVE_OK = ["2XX", "400", "401", "403", "404", "409", "422"]
# These change who may log in; schemathesis would make up names, but an admin token is at stake.
SKIP = {("POST", "/api/v1/users/{name}/{verb}"), ("POST", "/api/v1/tokens/{name}/revoke")}


class ServerThread:
    """The app on a loopback port, in a thread with its own event loop."""

    def __init__(self, data_dir: Path) -> None:
        from tyndau.settings import load_settings

        self.port = free_port()
        self.settings = load_settings(env={}, overrides={
            "data_dir": str(data_dir), "heartbeat_seconds": 5.0, "nlp_enabled": False, "host": "127.0.0.1", "port": self.port,
        })
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="schemathesis-server", daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)

    async def _start(self) -> tuple[Any, dict[str, str], int]:
        from aiohttp import web

        from tyndau.operator_ui.app import create_app

        app = create_app(self.settings)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()
        people = await make_people(app)
        import aiohttp

        async with aiohttp.ClientSession() as http:
            resp = await http.post(f"{self.url}/api/v1/meetings", json=MEETING, headers=people.auth("admin"))
            meeting = await resp.json()
            await http.post(f"{self.url}/api/v1/meetings/{meeting['id']}/comments", headers=people.auth("admin"), json={
                "source": "vk", "external_id": "1", "author": "Айгерим", "text": "Тел 8 701 123 45 67, нет воды", "created_at": "2026-12-01T10:00:00+05:00"})
        return app, people.tokens, meeting["id"]

    def start(self) -> tuple[dict[str, str], int]:
        self.thread.start()
        _, tokens, meeting_id = self.run(self._start())
        return tokens, meeting_id

    def stop(self) -> None:
        self.run(self.runner.cleanup())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerThread, dict[str, str], int]]:
    """The live server, an admin token and a meeting with one comment."""
    thread = ServerThread(tmp_path_factory.mktemp("schemathesis") / "data")
    tokens, meeting_id = thread.start()
    try:
        yield thread, tokens, meeting_id
    finally:
        thread.stop()


def _config(token: str) -> Any:
    return schemathesis.Config.from_dict({
        "auth": {"openapi": {"bearer": {"bearer": token}}},
        "checks": {"positive_data_acceptance": {"expected-statuses": POSITIVE_OK}},
    })


@pytest.mark.slow(seconds=150)
def test_schemathesis_finds_no_server_error_and_no_schema_violation(server: tuple[ServerThread, dict[str, str], int]) -> None:
    thread, tokens, meeting_id = server
    schema = schemathesis.openapi.from_url(f"{thread.url}/api/v1/openapi.json", config=_config(tokens["admin"]))
    failures: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            label = f"{operation.method.upper()} {operation.path} [{mode.value}]"

            @hypothesis_settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                                 suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case: Any) -> None:  # called in this iteration, so the loop variables are the current ones
                if mode is GenerationMode.POSITIVE and "meeting_id" in (case.path_parameters or {}) and counts[label] % 2 == 0:  # noqa: B023
                    case.path_parameters["meeting_id"] = meeting_id  # half the valid cases on a real meeting
                counts[label] += 1  # noqa: B023
                case.call_and_validate(timeout=30)

            try:
                run()
            except Unsatisfiable:
                continue  # nothing to make invalid (no parameters, no body)
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # noqa: BLE001 - schemathesis raises exception groups; all reported below
                failures[label] = str(exc)[:3000]
    report = os.environ.get("TYNDAU_SCHEMATHESIS_REPORT")
    if report:
        Path(report).write_text("\n\n".join(f"== {k}\n{v}" for k, v in failures.items()), "utf-8")
    total = sum(counts.values())
    print(f"\nschemathesis: {total} requests over {len(counts)} operation/mode pairs")
    assert total > 200, counts
    assert not failures, "\n\n".join(f"== {k}\n{v}" for k, v in failures.items())
