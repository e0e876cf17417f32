"""The yt-dlp supervisor, driven by a fake yt-dlp that writes real-format chat and dies midway."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from tests.fakes.sink import RecordingSink
from tyndau.live.sources.common import Backoff, FileCheckpoint, MemoryCheckpoint
from tyndau.live.sources.youtube import YouTubeLiveSource, yt_dlp_command

FAKE = str(Path(__file__).resolve().parents[1] / "fakes" / "fake_ytdlp.py")
URL = "https://www.youtube.com/watch?v=akimat-live"


def scripted(*runs: Sequence[str]):
    """A command factory that plays one argument list per yt-dlp start, and records the templates."""
    plan: Iterator[Sequence[str]] = iter(runs)
    templates: list[str] = []

    def command(url: str, template: str) -> list[str]:
        assert url == URL
        templates.append(template)
        return [sys.executable, FAKE, template, *next(plan)]

    command.templates = templates  # type: ignore[attr-defined]
    return command


def source(tmp_path: Path, command, **kw) -> YouTubeLiveSource:
    kw.setdefault("backoff", Backoff(initial=0.05, cap=0.2, jitter=0))
    kw.setdefault("poll_interval", 0.02)
    kw.setdefault("checkpoint", MemoryCheckpoint())
    return YouTubeLiveSource(URL, tmp_path / "yt", command=command, **kw)


async def wait_until(predicate, timeout: float = 10.0) -> None:
    async def loop() -> None:
        while not predicate():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(loop(), timeout)


def test_real_command_is_chat_only_and_url_is_not_an_option():
    argv = yt_dlp_command("-o/etc/passwd", "/w/chat-0001.%(ext)s")
    assert argv[:3] == [sys.executable, "-m", "yt_dlp"]
    for flag in ("--skip-download", "--write-subs", "--ignore-config"):
        assert flag in argv
    assert argv[argv.index("--sub-langs") + 1] == "live_chat"
    assert argv[argv.index("-o") + 1] == "/w/chat-0001.%(ext)s"
    assert argv[-2:] == ["--", "-o/etc/passwd"]


async def test_restarts_after_a_crash_and_finishes_on_the_replay(tmp_path: Path):
    command = scripted(
        ["--lines", "5", "--die-after", "3", "--partial"],  # stream drops: 3 lines and half a line
        ["--lines", "4", "--start", "2"],  # back: repeats msg2 (YouTube sends a backlog first), ends
        ["--lines", "7", "--replay"],  # the stream is over: the full replay
    )
    checkpoint = MemoryCheckpoint()
    yt = source(tmp_path, command, checkpoint=checkpoint)
    sink = RecordingSink()
    await asyncio.wait_for(yt.run(sink), 30)
    assert sink.ids == [f"msg{i}" for i in range(7)]
    assert sink.texts[0] == "сообщение 0 <b>ok</b>"
    assert sink.duplicates == 1 + 6  # overlap after the restart, then the replay repeats msg0-msg5
    health = yt.health()
    assert health.state == "finished" and "restarts: 2" in health.detail
    assert health.last_message_at is not None
    assert checkpoint.state["finished"] is True and checkpoint.state["run"] == 3
    assert [Path(t).name for t in command.templates] == [f"chat-000{i}.%(ext)s" for i in (1, 2, 3)]
    assert (tmp_path / "yt" / "chat-0001.live_chat.json.part").exists()  # the crashed run never renamed
    assert (tmp_path / "yt" / "chat-0003.live_chat.json").exists()
    # a finished source stays finished when started again
    again = source(tmp_path, scripted(), checkpoint=checkpoint)
    await again.run(sink)
    assert again.health().state == "finished"


async def test_resumes_after_a_server_restart_without_duplicates(tmp_path: Path):
    state = FileCheckpoint.in_dir(tmp_path / "state", "meeting-1 youtube")
    first = source(tmp_path, scripted(["--lines", "4", "--hang"]), checkpoint=state)
    sink = RecordingSink()
    task = asyncio.create_task(first.run(sink))
    await sink.wait_for(4)
    await wait_until(lambda: state._load() and state._load()["position"]["line"] == 4)  # saved after the sink
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert first.health().state == "stopped"
    saved = await state.load()
    assert saved["run"] == 1 and saved["position"]["line"] == 4 and saved["position"]["last_id"] == "msg3"
    # a line yt-dlp wrote after the last checkpoint (say, while the server was dying) is picked up
    chat = tmp_path / "yt" / "chat-0001.live_chat.json.part"
    late_line = chat.read_bytes().splitlines(keepends=True)[0].replace(b"msg0", b"msgX")
    with open(chat, "ab") as handle:
        handle.write(late_line)
    second_sink = RecordingSink()
    second = source(tmp_path, scripted(["--lines", "3", "--start", "4", "--replay"]), checkpoint=state)
    await asyncio.wait_for(second.run(second_sink), 20)
    assert second_sink.ids == ["msgX", "msg4", "msg5", "msg6"]  # nothing from before the checkpoint again
    assert (await state.load())["finished"] is True


async def test_health_lagging_then_stall_restart(tmp_path: Path):
    command = scripted(["--lines", "1", "--hang"], ["--lines", "2", "--replay"])
    yt = source(tmp_path, command, lag_after=0.2, stall_timeout=1.0)
    sink = RecordingSink()
    task = asyncio.create_task(yt.run(sink))
    await sink.wait_for(1)
    assert yt.health().state == "connected"
    await wait_until(lambda: yt.health().state == "lagging")
    assert "no message for" in yt.health().detail
    await asyncio.wait_for(task, 20)  # the stall timeout kills the hung run; the next one finishes
    assert yt.health().state == "finished"
    assert sink.ids == ["msg0", "msg1"]


async def test_down_while_backing_off_and_gives_up_after_max_restarts(tmp_path: Path):
    command = scripted(
        ["--lines", "1", "--die-after", "1", "--exit-code", "2"], ["--lines", "0", "--exit-code", "1"]
    )
    yt = source(tmp_path, command, max_restarts=1, backoff=Backoff(initial=0.3, cap=0.3, jitter=0))
    sink = RecordingSink()
    task = asyncio.create_task(yt.run(sink))
    await wait_until(lambda: yt.health().state == "down")
    assert "exited (2)" in yt.health().detail and "stream dropped" in yt.health().detail
    await asyncio.wait_for(task, 20)
    health = yt.health()
    assert health.state == "down" and "giving up" in health.detail
    assert sink.ids == ["msg0"]


async def test_a_missing_yt_dlp_is_reported(tmp_path: Path):
    yt = source(tmp_path, lambda url, template: ["/nonexistent/yt-dlp", template], max_restarts=0)
    await asyncio.wait_for(yt.run(RecordingSink()), 10)
    health = yt.health()
    assert health.state == "down" and "cannot start yt-dlp" in health.detail


async def test_existing_files_in_work_dir_are_never_reused(tmp_path: Path):
    work = tmp_path / "yt"
    work.mkdir()
    (work / "chat-0007.live_chat.json").write_text("stale chat from another stream\n", encoding="utf-8")
    command = scripted(["--lines", "1", "--replay"])
    yt = source(tmp_path, command)
    sink = RecordingSink()
    await asyncio.wait_for(yt.run(sink), 20)
    assert Path(command.templates[0]).name == "chat-0008.%(ext)s" and sink.ids == ["msg0"]


async def test_malformed_lines_are_counted_and_the_rest_delivered(tmp_path: Path):
    yt = source(tmp_path, scripted(["--lines", "3", "--garbage", "--replay"]))
    sink = RecordingSink()
    await asyncio.wait_for(yt.run(sink), 20)
    assert sink.ids == ["msg0", "msg1", "msg2"]
    assert yt.health().skipped == 1


async def test_a_failing_store_is_retried_and_nothing_is_lost(tmp_path: Path):
    yt = source(tmp_path, scripted(["--lines", "3", "--replay"]))
    sink = RecordingSink(fail_times=2)
    await asyncio.wait_for(yt.run(sink), 20)
    assert sink.ids == ["msg0", "msg1", "msg2"] and sink.calls >= 3


async def test_cancel_terminates_yt_dlp(tmp_path: Path):
    yt = source(tmp_path, scripted(["--lines", "1", "--hang"]))
    sink = RecordingSink()
    task = asyncio.create_task(yt.run(sink))
    await sink.wait_for(1)
    pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    fakes = [p for p in pids if FAKE.encode() in _cmdline(p)]
    assert len(fakes) == 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await wait_until(lambda: not _alive(fakes[0]), 5)


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split()[2] != "Z"
    except OSError:
        return False
