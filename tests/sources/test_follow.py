"""The tail follower: partial lines, .part → final rename, replacement, resume from a checkpoint."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from tyndau.domain.comments import IncomingComment
from tyndau.live.sources.follow import FollowPosition, JsonLinesFollower, part_path, skip_through
from tyndau.timeutil import utcnow


def append(path: Path, data: bytes) -> None:
    with open(path, "ab") as handle:
        handle.write(data)


async def test_reads_complete_lines_and_keeps_the_partial_one(tmp_path: Path):
    final = tmp_path / "chat.live_chat.json"
    part = part_path(final)
    follower = JsonLinesFollower(final)
    assert (await follower.read()).lines == []  # nothing yet
    append(part, b'{"a":1}\n{"b":')
    batch = await follower.read()
    assert batch.lines == [(1, b'{"a":1}')] and batch.path == part
    assert batch.position.offset == 8 and batch.position.line == 1
    assert not batch.finished
    append(part, b"2}\r\n")
    batch = await follower.read()
    assert batch.lines == [(2, b'{"b":2}')]  # CRLF tolerated
    assert (await follower.read()).lines == []


async def test_rename_to_final_continues_at_the_same_offset(tmp_path: Path):
    final = tmp_path / "x.live_chat.json"
    part = part_path(final)
    append(part, b"1\n2\n")
    follower = JsonLinesFollower(final)
    assert [n for n, _ in (await follower.read()).lines] == [1, 2]
    append(part, b"3\n")
    os.replace(part, final)  # yt-dlp finishes
    batch = await follower.read()
    assert batch.lines == [(3, b"3")] and batch.path == final and not batch.reset
    assert batch.finished


async def test_final_file_without_trailing_newline(tmp_path: Path):
    final = tmp_path / "saved.live_chat.json"
    final.write_bytes(b"1\n2")
    follower = JsonLinesFollower(final)
    batch = await follower.read()
    assert batch.lines == [(1, b"1")] and not batch.finished
    batch = await follower.read(final=True)
    assert batch.lines == [(2, b"2")] and batch.finished


async def test_replaced_or_truncated_file_restarts_at_zero(tmp_path: Path):
    final = tmp_path / "r.live_chat.json"
    final.write_bytes(b"a\nb\nc\n")
    follower = JsonLinesFollower(final)
    await follower.read()
    final.unlink()
    final.write_bytes(b"new\n")  # a different file (new inode, shorter)
    batch = await follower.read()
    assert batch.reset and batch.lines == [(1, b"new")]


async def test_resume_from_checkpoint_reads_only_new_lines(tmp_path: Path):
    final = tmp_path / "c.live_chat.json"
    part = part_path(final)
    append(part, b"1\n2\n3\n")
    first = JsonLinesFollower(final)
    batch = await first.read()
    saved = batch.position.with_last_id("id-3").as_dict()
    append(part, b"4\n")
    resumed = JsonLinesFollower(final, FollowPosition.from_dict(saved))
    batch = await resumed.read()
    assert batch.lines == [(4, b"4")] and not batch.reset
    assert resumed.position.last_id == "id-3"
    assert FollowPosition.from_dict({"offset": "bad"}) == FollowPosition()
    assert FollowPosition.from_dict(None) == FollowPosition()


async def test_oversized_lines_are_dropped_and_counted(tmp_path: Path):
    final = tmp_path / "h.live_chat.json"
    part = part_path(final)
    follower = JsonLinesFollower(final, max_line_bytes=100)
    append(part, b"ok\n" + b"x" * 150)  # a huge line still being written
    batch = await follower.read()
    assert batch.lines == [(1, b"ok")] and batch.oversized == [2]
    append(part, b"x" * 500 + b"\nnext\n")
    batch = await follower.read()
    assert batch.lines == [(3, b"next")] and batch.oversized == []
    append(part, b"y" * 300 + b"\n")
    batch = await follower.read()
    assert batch.oversized == [4] and batch.lines == []


async def test_follow_yields_batches_as_the_file_grows(tmp_path: Path):
    final = tmp_path / "g.live_chat.json"
    part = part_path(final)
    follower = JsonLinesFollower(final)
    seen: list[bytes] = []

    async def writer() -> None:
        for i in range(5):
            append(part, f"{i}\n".encode()[:1])
            await asyncio.sleep(0.01)
            append(part, b"\n")
        os.replace(part, final)

    task = asyncio.create_task(writer())
    async for batch in follower.follow(poll_interval=0.01, stop_when_finished=True):
        seen.extend(raw for _, raw in batch.lines)
    await task
    assert seen == [b"0", b"1", b"2", b"3", b"4"]


def test_skip_through_last_id():
    def c(i: str) -> IncomingComment:
        return IncomingComment("youtube", i, "", "", utcnow())

    items = [c("a"), c("b"), c("c")]
    assert [x.external_id for x in skip_through(items, "b")[0]] == ["c"]
    assert skip_through(items, "zzz") == (items, False)
    assert skip_through(items, None) == (items, False)
