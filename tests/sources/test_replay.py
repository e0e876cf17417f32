"""Replaying a recorded chat: pacing, re-timing, deterministic ids, resume."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.sink import RecordingSink
from tests.sources.chat_writer import text_message_line
from tyndau.live.sources.common import MemoryCheckpoint
from tyndau.live.sources.replay import ReplaySource, schedule
from tyndau.live.sources.youtube_chat import ChatParser

CHAT_DIR = Path("/work/shared/data/chat")
REPLAY = CHAT_DIR / "chatreplay_49msgs.live_chat.json"
LIVE = CHAT_DIR / "test_stream_live_dummy.live_chat.json"
T0 = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


class FakeTime:
    """A monotonic clock that only moves when the replay sleeps, and a wall clock tied to it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)

    def monotonic(self) -> float:
        return self.now

    def wall(self) -> datetime:
        return T0 + timedelta(seconds=self.now)


def replay(path: Path, speed: float, fake: FakeTime, **kw) -> ReplaySource:
    return ReplaySource(path, speed, sleep=fake.sleep, monotonic=fake.monotonic, clock=fake.wall, **kw)


async def test_paced_by_recorded_offsets_and_retimed_to_now():
    fake = FakeTime()
    sink = RecordingSink()
    source = replay(REPLAY, 10, fake)
    await source.run(sink)
    assert len(sink.comments) == 49
    assert fake.now == pytest.approx((3747045 - 101308) / 1000 / 10)
    first, last = sink.comments[0], sink.comments[-1]
    assert first.source == "replay" and first.created_at == T0
    assert last.created_at == T0 + timedelta(seconds=fake.now)
    assert first.extra["recorded_at"] == "2019-10-25T06:45:10.682806+00:00"
    assert first.extra["original_id"].startswith("CjoKGkNMYXBzZTdudHVV")
    assert first.external_id.startswith("replay:") and first.external_id.endswith(":1")
    assert source.health().state == "finished" and source.health().received == 49


async def test_gaps_can_be_capped_for_demos():
    fake = FakeTime()
    await replay(REPLAY, 1, fake, max_gap=2.0).run(RecordingSink())
    assert fake.now <= 48 * 2.0
    assert max(fake.sleeps) <= 2.0 + 1e-9


async def test_real_time_at_accelerated_speed():
    sink = RecordingSink()
    started = time.monotonic()
    await ReplaySource(LIVE, speed=20).run(sink)
    elapsed = time.monotonic() - started
    assert 0.2 <= elapsed < 2.0  # the last line is recorded at 5 s: 5 / 20 = 0.25 s
    assert [c.kind for c in sink.comments] == ["text", "text", "placeholder", "paid", "sticker"]
    assert sink.comments[0].created_at <= sink.comments[-1].created_at


async def test_same_file_twice_adds_nothing():
    sink = RecordingSink()
    await ReplaySource(LIVE, speed=0).run(sink)
    await ReplaySource(LIVE, speed=0).run(sink)
    assert len(sink.comments) == 5 and sink.duplicates == 5
    assert len(set(sink.ids)) == 5  # the dummy file reuses one YouTube id: line-based ids keep all five


async def test_resume_after_stop(tmp_path: Path):
    checkpoint = MemoryCheckpoint()
    sink = RecordingSink()
    task = asyncio.create_task(
        ReplaySource(REPLAY, speed=5000, checkpoint=checkpoint, batch_size=1).run(sink)
    )
    await sink.wait_for(10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    delivered = len(sink.comments)
    assert 10 <= delivered < 49 and checkpoint.state["line"] == delivered
    rest = RecordingSink()
    await ReplaySource(REPLAY, speed=0, checkpoint=checkpoint).run(rest)
    assert len(rest.comments) == 49 - delivered
    assert set(sink.ids).isdisjoint(rest.ids)
    copy = tmp_path / "edited.live_chat.json"
    copy.write_bytes(REPLAY.read_bytes() + b"\n")  # a different file: the checkpoint does not apply
    again = RecordingSink()
    await ReplaySource(copy, speed=0, checkpoint=checkpoint).run(again)
    assert len(again.comments) == 49


async def test_malformed_lines_and_deletions(tmp_path: Path):
    lines = [
        text_message_line(message_id="A", author="Арман", text="Привет", timestamp=T0, offset_ms=0),
        "{broken json",
        json.dumps(
            {
                "replayChatItemAction": {
                    "actions": [
                        {
                            "markChatItemAsDeletedAction": {
                                "deletedStateMessage": {"runs": [{"text": "[message retracted]"}]},
                                "targetItemId": "A",
                            }
                        }
                    ]
                },
                "videoOffsetTimeMsec": "1000",
                "isLive": True,
            }
        ),
        text_message_line(message_id="B", author="Бота", text="Сәлем", timestamp=T0, offset_ms=500),
    ]
    path = tmp_path / "rehearsal.live_chat.json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sink = RecordingSink()
    source = ReplaySource(path, speed=0)
    await source.run(sink)
    assert source.health().skipped == 1
    texts = {c.kind: c for c in sink.comments}
    assert texts["deleted"].extra["target_id"] == sink.comments[0].external_id  # points at the replayed copy
    assert [c.text for c in sink.comments if c.kind == "text"] == ["Привет", "Сәлем"]


def test_schedule_never_runs_backwards():
    parser = ChatParser()
    lines = [
        parser.feed(
            text_message_line(message_id=str(i), author="a", text="t", timestamp=T0, offset_ms=off), i
        )
        for i, off in enumerate([5000, -2000, 6000, 6000, 20000], start=1)
    ]
    assert schedule(lines) == [0.0, 0.0, 1.0, 1.0, 15.0]
    assert schedule(lines, max_gap=3) == [0.0, 0.0, 1.0, 1.0, 4.0]
    with pytest.raises(ValueError):
        ReplaySource(REPLAY, speed=-1)
