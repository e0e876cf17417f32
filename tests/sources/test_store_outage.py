"""A source outlives a store outage: when SQLite is locked mid-replay, the source resumes from its checkpoint.

The lock is real (another connection holds the database's write lock for longer than the busy
timeout), so the source's checkpoint write fails as it would beside a long import or the demo's seed.
Afterwards every message is stored exactly once.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tyndau.config import path as shipped
from tyndau.domain.meeting import MeetingDraft
from tyndau.live.intake import Intake, running
from tyndau.live.source_manager import SourceManager
from tyndau.store.engine import create_engine
from tyndau.store.meetings import create_meeting
from tyndau.store.migrate import upgrade

LOCK_SECONDS = 6.5  # longer than the store's 5-second busy timeout


def _take_write_lock(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db.execute("BEGIN IMMEDIATE")
    return db


def _release_later(db: sqlite3.Connection, released: threading.Event) -> None:
    try:
        time.sleep(LOCK_SECONDS)
        db.execute("ROLLBACK")
    finally:
        db.close()
        released.set()


async def _meeting(engine: Any, title: str) -> int:
    async with engine.begin() as conn:
        return (await create_meeting(conn, MeetingDraft(
            title=title, akim_level="village", place="с. Каскелен", planned_minutes=120,
            starts_at=datetime(2026, 12, 1, 5, tzinfo=UTC), announced_at=datetime(2026, 11, 20, 4, tzinfo=UTC),
            stream_links=()))).id


async def _count(engine: Any, meeting_id: int) -> int:
    from tyndau.store.comments import comment_ids

    async with engine.connect() as conn:
        return len(await comment_ids(conn, meeting_id))


async def _finished(manager: SourceManager, source_id: int, seen: set[str], timeout: float = 90.0) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        health = (await manager.describe(source_id))["health"]
        seen.add(health["code"])
        if health["state"] in ("finished", "failed", "stopped") or asyncio.get_running_loop().time() > deadline:
            return health
        await asyncio.sleep(0.1)


async def test_a_source_resumes_from_its_checkpoint_after_the_store_was_locked(sqlite_settings: Any, tmp_path: Path) -> None:
    engine = create_engine(sqlite_settings)
    await upgrade(engine)
    db_file = engine.url.database
    assert db_file
    released = threading.Event()
    locked: list[threading.Thread] = []

    async def on_rows(rows: list[Any]) -> None:
        if not locked:  # the first batch is stored: someone else takes the write lock before anything runs on
            db = _take_write_lock(db_file)  # taken here, synchronously: the source's next write meets it
            thread = threading.Thread(target=_release_later, args=(db, released), daemon=True)
            locked.append(thread)
            thread.start()

    intake = Intake(engine, on_rows)
    manager = SourceManager(engine, intake, tmp_path / "work")
    chat = str(shipped("demo") / "meeting_chat.live_chat.json")
    try:
        async with running(intake.run):
            meeting = await _meeting(engine, "Встреча, во время которой база занята")
            source = await manager.start(meeting, "replay", {"path": chat, "speed": 0})
            seen: set[str] = set()
            health = await _finished(manager, source["id"], seen)
            assert released.is_set(), "the lock was taken and let go during the replay"
            assert health["state"] == "finished", health
            assert "store_unavailable" in seen  # the console was told why the source paused
            stored = await _count(engine, meeting)

            calm = await _meeting(engine, "Та же запись без помех")
            other = await manager.start(calm, "replay", {"path": chat, "speed": 0})
            assert (await _finished(manager, other["id"], set()))["state"] == "finished"
            assert stored == await _count(engine, calm) > 400  # nothing lost, nothing doubled
    finally:
        await manager.close()
        await engine.dispose()
        for thread in locked:
            thread.join(timeout=LOCK_SECONDS + 5)
