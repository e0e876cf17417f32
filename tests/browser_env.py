"""One real server and one headless Chromium shared by every test of a module (fast browser tests).

A module opts in with ``pytestmark = [..., pytest.mark.asyncio(loop_scope="module")]`` and uses the
``shared`` fixture; each test makes its own meeting, so the tests stay independent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import pytest_asyncio
from aiohttp import web

from tests.browser import browser, login
from tests.conftest import MEETING, People, free_port, make_people
from tyndau.domain.clock import ClockEvent, Instant
from tyndau.operator_ui.app import create_app
from tyndau.operator_ui.keys import SERVICES
from tyndau.settings import load_settings
from tyndau.store import clock_log
from tyndau.timeutil import utcnow


@dataclass
class Shared:
    """The module's server (``url``, ``app``, ``people``) and browser."""

    url: str
    app: web.Application
    people: People
    chromium: Any

    async def api(self, method: str, path: str, role: str = "moderator", **kwargs: Any) -> Any:
        """Call the API as a role; returns the parsed JSON (asserting a 2xx answer)."""
        async with aiohttp.ClientSession() as http:
            resp = await http.request(method, f"{self.url}{path}", headers=self.people.auth(role), **kwargs)
            assert resp.status < 300, f"{method} {path}: {resp.status} {await resp.text()}"
            return await resp.json() if resp.content_type == "application/json" else await resp.text()

    async def meeting(self, **changes: Any) -> dict[str, Any]:
        """A new meeting (the conftest defaults with ``changes``)."""
        return await self.api("POST", "/api/v1/meetings", json={**MEETING, **changes})

    async def comment(self, meeting_id: int, n: int, text: str, *, author: str = "", source: str = "youtube") -> int:
        """One comment in the meeting's feed; returns its id."""
        body = {"source": source, "external_id": f"c{meeting_id}-{n}", "author": author or f"Житель {n}", "text": text,
                "created_at": (utcnow() - timedelta(minutes=30) + timedelta(seconds=n)).isoformat()}
        return int((await self.api("POST", f"/api/v1/meetings/{meeting_id}/comments", json=body))["id"])

    async def clock_ran(self, meeting_id: int, *steps: tuple[str, float]) -> None:
        """Clock events that happened in the past: (action, seconds ago), recorded as by an earlier server."""
        async with self.app[SERVICES].engine.begin() as conn:
            known = await clock_log.load_events(conn, meeting_id)
            seq = max((e.seq for e in known), default=0)
            now = utcnow()
            events = []
            for action, ago in steps:
                seq += 1
                at = Instant(now - timedelta(seconds=ago), -float(ago), "earlier-boot")
                events.append(ClockEvent(seq, action, at, actor="user:moderator"))
            await clock_log.append_events(conn, meeting_id, tuple(events))

    async def page(self, user: str, path: str, *, lang: str = "ru", width: int = 1440, height: int = 900, **context: Any) -> tuple[Any, Any, list[str]]:
        """A logged-in page in a fresh context, in a UI language; errors on the page are collected."""
        ctx = await self.chromium.new_context(viewport={"width": width, "height": height}, **context)
        await ctx.add_init_script(f"try {{ localStorage.setItem('tyndau.lang', '{lang}'); }} catch (e) {{}}")
        page = await ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and "Content Security Policy" in msg.text else None)
        await login(page, self.url, user, self.people.password, path)
        return ctx, page, errors


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared(tmp_path_factory: Any) -> AsyncIterator[Shared]:
    """A real server on SQLite on a loopback port, and a Chromium, for the whole module."""
    port = free_port()
    settings = load_settings(env={}, overrides={
        "data_dir": str(tmp_path_factory.mktemp("shared") / "data"), "heartbeat_seconds": 0.5, "nlp_enabled": False,
        "host": "127.0.0.1", "port": port,
    })
    app = create_app(settings)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    people = await make_people(app)
    try:
        async with browser() as chromium:
            yield Shared(f"http://127.0.0.1:{port}", app, people, chromium)
    finally:
        await runner.cleanup()


def ago(seconds: float) -> datetime:
    """An instant ``seconds`` before now (UTC)."""
    return utcnow() - timedelta(seconds=seconds)
