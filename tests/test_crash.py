"""kill -9 the server in the middle of a burst: every acknowledged comment survives exactly once,
and a running source resumes where it stopped."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import MEETING
from tests.test_cli import Server, run

DEMO_CHAT = Path(__file__).resolve().parents[1] / "config" / "demo" / "meeting_chat.live_chat.json"


async def _all_comments(url: str, token: str, meeting_id: int) -> list[dict]:
    items, cursor = [], None
    async with aiohttp.ClientSession() as http:
        while True:
            params = {"limit": "10000", **({"after": cursor} if cursor else {})}
            async with http.get(f"{url}/api/v1/meetings/{meeting_id}/comments", params=params, headers={"Authorization": f"Bearer {token}"}) as resp:
                page = await resp.json()
            items.extend(page["items"])
            cursor = page["next"]
            if cursor is None:
                return items


async def _burst(url: str, token: str, meeting_id: int, total: int, acked: list[str]) -> None:
    """Push comments with many requests in flight, recording which were acknowledged."""
    sem = asyncio.Semaphore(32)
    connector = aiohttp.TCPConnector(limit=64)
    async with aiohttp.ClientSession(connector=connector) as http:
        async def one(n: int) -> None:
            body = {"source": "load", "external_id": f"c{n}", "author": f"a{n % 97}", "text": f"комментарий {n}", "created_at": "2026-12-01T10:00:00+05:00"}
            async with sem:
                try:
                    async with http.post(f"{url}/api/v1/meetings/{meeting_id}/comments", json=body, headers={"Authorization": f"Bearer {token}"}) as resp:
                        if resp.status in (200, 201):
                            acked.append(body["external_id"])
                except aiohttp.ClientError:
                    pass  # the server died under us: not acknowledged, so not promised

        await asyncio.gather(*(one(n) for n in range(total)))


@pytest.mark.slow(seconds=40)
async def test_kill_9_mid_burst_loses_no_acknowledged_comment_and_duplicates_none(tmp_path):
    token = run("token", "create", "--role", "moderator", "--name", "load", data_dir=tmp_path).stdout.strip()
    server = Server(tmp_path)
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{server.url}/api/v1/meetings", json=MEETING, headers={"Authorization": f"Bearer {token}"}) as resp:
            meeting_id = (await resp.json())["id"]
        # A replay source running during the crash must resume, not restart or skip.
        async with http.post(f"{server.url}/api/v1/meetings/{meeting_id}/sources", json={"kind": "replay", "config": {"path": str(DEMO_CHAT), "speed": 200}},
                             headers={"Authorization": f"Bearer {token}"}) as resp:
            assert resp.status == 201, await resp.text()

    acked: list[str] = []
    burst = asyncio.create_task(_burst(server.url, token, meeting_id, 3000, acked))
    while len(acked) < 600:
        await asyncio.sleep(0.01)
    server.kill()
    await burst
    assert 600 <= len(acked) < 3000, len(acked)

    server = Server(tmp_path)
    try:
        stored = await _all_comments(server.url, token, meeting_id)
        load = Counter(c["external_id"] for c in stored if c["source"] == "load")
        missing = [i for i in acked if i not in load]
        assert missing == [], f"{len(missing)} acknowledged comments lost"
        assert max(load.values()) == 1
        # Senders retry what was not acknowledged: still exactly once.
        await _burst(server.url, token, meeting_id, 3000, [])
        deadline = time.monotonic() + 60
        while True:
            stored = await _all_comments(server.url, token, meeting_id)
            replayed = [c for c in stored if c["source"] == "youtube" or c["external_id"].startswith("replay:")]
            if len(replayed) >= 437 or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        load = Counter(c["external_id"] for c in stored if c["source"] == "load")
        assert len(load) == 3000 and set(load.values()) == {1}
        ids = Counter(c["external_id"] for c in replayed)
        assert len(ids) == 437 and set(ids.values()) == {1}, "the replay resumed without gaps or repeats"
    finally:
        server.stop()
