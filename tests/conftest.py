"""Shared fixtures: settings on SQLite and (when configured) PostgreSQL, clients, a live server.

PostgreSQL runs when ``TYNDAU_TEST_POSTGRES_URL`` points at a server where the user may create
databases (``.ci/run`` starts one); each test gets a fresh database, dropped afterwards.
"""

from __future__ import annotations

import functools
import os
import socket
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from tyndau.operator_ui.app import create_app
from tyndau.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PG_URL = os.environ.get("TYNDAU_TEST_POSTGRES_URL", "")
PASSWORD = "correct horse battery"


def _backends() -> list[Any]:
    return [
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=[pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="TYNDAU_TEST_POSTGRES_URL not set")]),
    ]


async def _pg_database() -> tuple[str, str]:
    import asyncpg
    from sqlalchemy.engine import make_url

    base = make_url(PG_URL)
    name = f"tyndau_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(base.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return base.set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False), name


async def _pg_drop(name: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    admin = await asyncpg.connect(make_url(PG_URL).set(drivername="postgresql", database="postgres").render_as_string(hide_password=False))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist, hand out the files holding a ``slow`` test first, the longest first.

    ``scripts/test.sh`` keeps each file on one worker (``--dist loadfile``) in collection order
    (``--no-loadscope-reorder``); a long file collected last would leave the other workers idle
    while it runs alone. ``@pytest.mark.slow(seconds=N)`` is a rough serial duration. A run in one
    process keeps pytest's order.
    """
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    cost: dict[Path, float] = {}
    for item in items:
        mark = item.get_closest_marker("slow")
        if mark is not None:
            cost[item.path] = cost.get(item.path, 0.0) + float(mark.kwargs.get("seconds", 30))
    items.sort(key=lambda item: -cost.get(item.path, 0.0))  # stable: the rest keep their order


@pytest.fixture(params=_backends())
async def settings(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Settings]:
    """Settings for a fresh store: SQLite in tmp_path, or a new PostgreSQL database."""
    overrides: dict[str, Any] = {"data_dir": str(tmp_path / "data"), "heartbeat_seconds": 0.5, "nlp_enabled": False}
    if request.param == "postgres":
        if not PG_URL:  # tests that ask for PostgreSQL alone (indirect parametrize) skip here
            pytest.skip("TYNDAU_TEST_POSTGRES_URL not set")
        url, name = await _pg_database()
        overrides["database_url"] = url
        yield load_settings(env={}, overrides=overrides)
        await _pg_drop(name)
    else:
        yield load_settings(env={}, overrides=overrides)


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    """Settings on SQLite only (for tests about SQLite files themselves)."""
    return load_settings(env={}, overrides={"data_dir": str(tmp_path / "data"), "heartbeat_seconds": 0.5, "nlp_enabled": False})


@dataclass
class People:
    """Tokens of one principal per role, and the browser login."""

    tokens: dict[str, str]
    password: str = PASSWORD

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


@functools.cache
def _password_hash() -> str:
    """The fixture users' password hashed once per process (scrypt is slow on purpose)."""
    from tyndau.security import hash_password

    return hash_password(PASSWORD)


async def make_people(app: web.Application) -> People:
    """A user and a token for every role.

    They share one password, so its scrypt hash (slow on purpose) is made once per process, not
    four times per test; logins still check it with the real scrypt.
    """
    from tyndau.operator_ui.keys import SERVICES
    from tyndau.permissions import ROLES
    from tyndau.store.people import add_user, create_token

    engine = app[SERVICES].engine
    tokens = {}
    for role in ROLES:
        await add_user(engine, role, role, PASSWORD, password_hash=_password_hash())
        tokens[role] = await create_token(engine, f"test-{role}", role)
    return People(tokens)


@pytest.fixture
async def client(settings: Settings, aiohttp_client: Any) -> Any:
    """An in-process test client on a fresh store, with ``client.people`` for every role.

    ``settings`` comes first so that it is torn down last: the app closes before its database is dropped.
    """
    app = create_app(settings)
    test_client = await aiohttp_client(app)
    test_client.people = await make_people(app)
    return test_client


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    """A real server listening on loopback."""

    url: str
    app: web.Application
    people: People
    runner: web.AppRunner


@pytest.fixture
async def live_server(settings: Settings) -> AsyncIterator[LiveServer]:
    """The real app on a real loopback port (for socket.io clients and the browser)."""
    port = free_port()
    live_settings = settings.replace(host="127.0.0.1", port=port)
    app = create_app(live_settings)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    people = await make_people(app)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", app, people, runner)
    finally:
        await runner.cleanup()


MEETING = {
    "title": "Встреча акима села с жителями",
    "akim_level": "village",
    "planned_minutes": 120,
    "starts_at": "2026-12-01T10:00:00+05:00",
    "place": "с. Каскелен, Дом культуры",
    "announced_at": "2026-11-20T09:00:00+05:00",
    "stream_links": ["https://www.youtube.com/watch?v=abc"],
}


async def create_meeting(client: Any, **changes: Any) -> dict[str, Any]:
    """Create a meeting as the moderator and return its JSON."""
    resp = await client.post("/api/v1/meetings", json={**MEETING, **changes}, headers=client.people.auth("moderator"))
    assert resp.status == 201, await resp.text()
    return await resp.json()
