"""Periodic jobs ride out a busy store: one line in the log, no traceback, and they resume."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from aiohttp import web

from tyndau.operator_ui.app import create_app
from tyndau.operator_ui.keys import SERVICES
from tyndau.settings import Settings


async def _last_seen(db: Path, boot_id: str) -> datetime:
    def read() -> datetime:
        with sqlite3.connect(db, timeout=10) as conn:
            (value,) = conn.execute("SELECT last_seen_at FROM boots WHERE id = ?", (boot_id,)).fetchone()
        return datetime.fromisoformat(value)

    return await asyncio.to_thread(read)


async def test_a_locked_sqlite_file_skips_beats_quietly_and_they_resume(sqlite_settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    settings = sqlite_settings.replace(heartbeat_seconds=0.5)
    app = create_app(settings)
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        services = app[SERVICES]
        db = Path(services.engine.url.database or "")
        await asyncio.sleep(1.2)
        before = await _last_seen(db, services.time.boot_id)
        caplog.set_level(logging.INFO, logger="tyndau.operator_ui.app")
        blocker = sqlite3.connect(db, timeout=10, check_same_thread=False)
        # A long write elsewhere: every beat waits out busy_timeout, then fails. Taken off the loop,
        # so a beat already writing can finish first.
        await asyncio.to_thread(blocker.execute, "BEGIN EXCLUSIVE")
        try:
            await asyncio.sleep(6.5)
        finally:
            blocker.rollback()
            blocker.close()
        await asyncio.sleep(1.5)
        after = await _last_seen(db, services.time.boot_id)
    finally:
        await runner.cleanup()
    mine = [r for r in caplog.records if r.name == "tyndau.operator_ui.app" and "heartbeat" in r.getMessage()]
    assert not [r for r in mine if r.levelno >= logging.WARNING or r.exc_info], [r.getMessage() for r in mine]
    waits = [r.getMessage() for r in mine if "waits for the store" in r.getMessage()]
    assert len(waits) == 1 and "locked" in waits[0], [r.getMessage() for r in mine]
    assert any("runs again after" in r.getMessage() for r in mine), [r.getMessage() for r in mine]
    assert after > before


async def test_store_waits_says_an_outage_once_and_keeps_tracebacks_for_bugs(caplog: pytest.LogCaptureFixture) -> None:
    from sqlalchemy.exc import OperationalError

    from tyndau.live.store_waits import StoreWaits

    log = logging.getLogger("tyndau.test.waits")
    caplog.set_level(logging.INFO, logger="tyndau.test.waits")
    waits = StoreWaits(log, "the sources' reconcile")
    async def locked() -> None:
        raise OperationalError("UPDATE sources ...", {}, sqlite3.OperationalError("database is locked"))

    async def works() -> None:
        return None

    async def bug() -> None:
        raise KeyError("a bug")

    for job in (locked, locked, locked, works, works, bug):
        await waits.round(job)
    got = [(r.levelno, r.getMessage(), bool(r.exc_info)) for r in caplog.records]
    assert got == [
        (logging.INFO, "the sources' reconcile waits for the store (database is locked): it runs again once the store answers", False),
        (logging.INFO, "the sources' reconcile runs again after 3 missed round(s)", False),
        (logging.WARNING, "the sources' reconcile failed", True),
    ]


def test_the_error_line_is_the_drivers_first_line_or_the_errors_type() -> None:
    import sqlite3 as driver

    from sqlalchemy.exc import OperationalError

    from tyndau.store.engine import error_line

    wrapped = OperationalError("UPDATE boots ...", {}, driver.OperationalError("database is locked\n(more)"))
    assert error_line(wrapped) == "database is locked"
    assert error_line(OperationalError("SELECT 1", {}, driver.OperationalError(""))) == "OperationalError"
    assert error_line(TimeoutError()) == "TimeoutError"
