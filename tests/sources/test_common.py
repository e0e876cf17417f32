"""Shared pieces: checkpoints, back-off, text hygiene, delivery that survives a failing store."""

from __future__ import annotations

import json
from pathlib import Path

from tests.fakes.sink import RecordingSink
from tyndau.domain.comments import IncomingComment
from tyndau.domain.text_safety import storable
from tyndau.live.sources.common import (
    Backoff,
    FileCheckpoint,
    HealthTracker,
    MemoryCheckpoint,
    chunks,
    deliver_retrying,
)
from tyndau.timeutil import utcnow


async def test_file_checkpoint_round_trip_and_damage(tmp_path: Path):
    cp = FileCheckpoint.in_dir(tmp_path / "state", "meeting 7/youtube")
    assert cp.path.parent == tmp_path / "state" and "/" not in cp.path.name[:-1]
    assert await cp.load() is None
    await cp.save({"offset": 10, "last_id": "Ключ"})
    assert await cp.load() == {"offset": 10, "last_id": "Ключ"}
    assert not cp.path.with_name(cp.path.name + ".tmp").exists()
    cp.path.write_text("{half a json", encoding="utf-8")  # damaged: start over rather than crash
    assert await cp.load() is None
    cp.path.write_text(json.dumps([1, 2]), encoding="utf-8")
    assert await cp.load() is None


async def test_memory_checkpoint_copies():
    cp = MemoryCheckpoint()
    state = {"a": 1}
    await cp.save(state)
    state["a"] = 2
    assert await cp.load() == {"a": 1} and cp.saves == 1


def test_backoff_grows_to_the_cap_and_resets():
    b = Backoff(initial=1, factor=2, cap=5, jitter=0)
    assert [b.next_delay() for _ in range(5)] == [1, 2, 4, 5, 5]
    b.reset()
    assert b.next_delay() == 1
    jittery = Backoff(initial=10, cap=10, jitter=0.5)
    assert all(5 <= jittery.next_delay() <= 10 for _ in range(50))


def test_sources_store_text_fixing_only_what_cannot_be_stored():
    assert storable("a\ud83db\x00c") == "a\ufffdb\ufffdc"
    assert storable("<b>\u202e\u200b</b>") == "<b>\u202e\u200b</b>"
    assert storable(None) == "" and storable(12) == "12"


async def test_deliver_retrying_keeps_the_batch_until_the_store_is_back():
    sink = RecordingSink(fail_times=3)
    tracker = HealthTracker(state="connected", code="polling", params={"platform": "ok"})
    batch = [IncomingComment("webhook:x", "1", "a", "t", utcnow())]
    results = await deliver_retrying(sink, batch, tracker, cap=0.01)
    assert [r.duplicate for r in results] == [False] and sink.calls == 4
    assert (tracker.state, tracker.code, tracker.detail, tracker.received) == ("connected", "polling", "polling ok", 1)


def test_chunks():
    items = list(range(7))
    assert chunks(items, 3) == [[0, 1, 2], [3, 4, 5], [6]]  # type: ignore[arg-type]
    assert chunks([], 3) == []
