"""Two ``tyndau serve`` workers and a ``tyndau ingest`` on one PostgreSQL and one Redis, as real processes.

Shows what the process roles promise: a console on either worker gets each comment once and its
labels once; each comment is labelled once (its stored version counts the labellings); the
Telegram source is polled by one process (the fake Bot API counts getUpdates in flight); after
``kill -9`` of the worker holding the labeller and the source, the other takes both over within
30 s and nothing is lost or doubled. Skipped when PostgreSQL or Redis is not there.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tests.conftest import MEETING, PG_URL, _pg_database, _pg_drop, free_port
from tests.fakes import telegram_api as tg
from tyndau.store.leases import lock_key, source_lease

REDIS_URL = os.environ.get("TYNDAU_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
GROUP = -1001234567890
IVAN = tg.user(1001, "Иван")
LIGHT_NLP = '[encoder]\nuse = "hashing"\n[detector]\nuse = "always"\n[categoriser]\nuse = "none"\n[clusterer]\nuse = "agglomerative"\nthreshold = 0.75\n'
FAILOVER_LIMIT = 30.0

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="TYNDAU_TEST_POSTGRES_URL not set")]


async def _redis_up() -> bool:
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        return bool(await client.ping())
    except Exception:  # noqa: BLE001 - any failure means: no Redis here
        return False
    finally:
        await client.aclose()


class CountingBotApi(tg.FakeBotApi):
    """The fake Bot API, also counting getUpdates calls and how many are in flight at once (Telegram allows one)."""

    def __init__(self) -> None:
        super().__init__()
        self.in_flight = 0
        self.most_in_flight = 0
        self.polls = 0

    def app(self) -> web.Application:
        app = super().app()

        @web.middleware
        async def count(request: web.Request, handler: Any) -> web.StreamResponse:
            if not request.path.lower().endswith("/getupdates"):
                return await handler(request)
            self.polls += 1
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            try:
                return await handler(request)
            finally:
                self.in_flight -= 1

        app.middlewares.append(count)
        return app


class Cluster:
    """The processes of one deployment and what the test needs to drive them."""

    def __init__(self, tmp: Path, database_url: str) -> None:
        self.tmp = tmp
        self.env = {**os.environ, "TYNDAU_DATABASE_URL": database_url, "TYNDAU_CLIENT_MANAGER": "redis",
                    "TYNDAU_REDIS_URL": REDIS_URL, "TYNDAU_REDIS_PREFIX": f"tyndau-test-{uuid.uuid4().hex[:8]}",
                    "TYNDAU_NLP_ENABLED": "true", "TYNDAU_NLP_CONFIG": str(tmp / "nlp.toml"),
                    "TYNDAU_MODEL_CACHE_DIR": str(tmp / "models"), "TYNDAU_LEASE_CHECK_SECONDS": "1", "TYNDAU_LOG_LEVEL": "INFO"}
        (tmp / "nlp.toml").write_text(LIGHT_NLP)
        self.workers: dict[str, tuple[subprocess.Popen[bytes], str]] = {}

    def start(self, name: str) -> str:
        port = free_port()
        data = self.tmp / name
        data.mkdir()
        log = open(self.tmp / f"{name}.log", "wb")
        proc = subprocess.Popen([sys.executable, "-m", "tyndau", "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data)],
                                env=self.env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        self.workers[name] = (proc, url)
        return url

    async def ingest(self, path: Path, meeting_id: int) -> str:
        proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "tyndau", "ingest", "file", str(path), "--meeting", str(meeting_id),
                                                    "--data-dir", str(self.tmp / "ingest"), env=self.env,
                                                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await proc.communicate()
        assert proc.returncode == 0, out.decode()
        return out.decode()

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text("utf-8", "replace")[-4000:]

    def stop(self) -> None:
        for proc, _ in self.workers.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, _ in self.workers.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


class Console:
    """A socket.io console on one worker: every comment and label push it receives, by comment id."""

    def __init__(self) -> None:
        import socketio

        self.sio = socketio.AsyncClient(reconnection=False)
        self.comments: Counter[int] = Counter()
        self.labels: Counter[int] = Counter()

        async def on_comments(items: list[dict[str, Any]]) -> None:
            self.comments.update(int(c["id"]) for c in items)

        async def on_labels(body: dict[str, Any]) -> None:
            self.labels.update(int(u["id"]) for u in body["items"])

        self.sio.on("comments", on_comments, namespace="/feed")
        self.sio.on("labels", on_labels, namespace="/feed")

    async def join(self, url: str, token: str, meeting_id: int) -> None:
        await self.sio.connect(url, namespaces=["/feed"], auth={"token": token}, transports=["websocket"])
        ack = await self.sio.call("join", {"meeting_id": meeting_id}, namespace="/feed", timeout=10)
        assert ack["ok"], ack


async def _until(predicate: Any, timeout: float, what: Any) -> float:
    """Wait for ``predicate``; returns the seconds it took (``what`` may be a callable, read on failure)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if await predicate():
            return time.monotonic() - started
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what() if callable(what) else what}")


@pytest.fixture
async def database() -> AsyncIterator[str]:
    if not await _redis_up():
        pytest.skip(f"no Redis at {REDIS_URL} (set TYNDAU_TEST_REDIS_URL; scripts/test-redis.sh starts one)")
    url, name = await _pg_database()
    try:
        yield url
    finally:
        await _pg_drop(name)


async def _people(database_url: str, tmp: Path) -> str:
    """Migrate the store and make a moderator token (as `tyndau token create` would)."""
    from tyndau.cli import open_store
    from tyndau.settings import load_settings
    from tyndau.store.people import create_token

    settings = load_settings(env={}, overrides={"database_url": database_url, "data_dir": str(tmp / "admin")})
    async with open_store(settings) as engine:
        return await create_token(engine, "console", "moderator")


async def _holders(database_url: str) -> dict[str, str]:
    """Lease name → the application name of the connection holding it (``tyndau-leases:<pid>``)."""
    import asyncpg
    from sqlalchemy.engine import make_url

    conn = await asyncpg.connect(make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        rows = await conn.fetch("SELECT l.classid::bigint AS hi, l.objid::bigint AS lo, a.application_name FROM pg_locks l "
                                "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                                "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())")
    finally:
        await conn.close()
    return {f"{r['hi']}:{r['lo']}": r["application_name"] for r in rows}


def _key(name: str) -> str:
    key = lock_key(name)
    return f"{key >> 32}:{key & 0xFFFFFFFF}"


async def _versions(database_url: str, meeting_id: int) -> dict[int, tuple[int, bool, str]]:
    """Comment id → (version, labelled, external id): an unlabelled comment is version 1, each labelling adds one."""
    import asyncpg
    from sqlalchemy.engine import make_url

    conn = await asyncpg.connect(make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        rows = await conn.fetch("SELECT id, version, labels IS NOT NULL AS labelled, source || ':' || coalesce(external_id, dedup_key) AS ext "
                                "FROM comments WHERE meeting_id = $1", meeting_id)
    finally:
        await conn.close()
    return {r["id"]: (r["version"], r["labelled"], r["ext"]) for r in rows}


@pytest.mark.slow(seconds=30)
async def test_two_workers_and_an_ingest_share_the_work_once_and_fail_over(database: str, tmp_path: Path) -> None:
    cluster = Cluster(tmp_path, database)
    token = await _people(database, tmp_path)
    bot = CountingBotApi()
    bot_runner = web.AppRunner(bot.app(), handler_cancellation=True)  # a killed poller's long poll ends with its socket
    await bot_runner.setup()
    bot_port = free_port()
    await web.TCPSite(bot_runner, "127.0.0.1", bot_port).start()
    consoles: list[Console] = []
    http = aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"})
    try:
        url_a = cluster.start("a")

        async def up(url: str) -> bool:
            with contextlib.suppress(aiohttp.ClientError):
                async with http.get(f"{url}/api/v1/nlp/status") as resp:
                    return resp.status == 200 and (await resp.json())["state"] in ("ready", "standby")
            return False

        async def holder_of(name: str, worker: str) -> bool:
            return (await _holders(database)).get(_key(name)) == f"tyndau-leases:{cluster.workers[worker][0].pid}"

        await _until(lambda: up(url_a), 60, lambda: f"worker a to start and load NLP:\n{cluster.log('a')}")
        await _until(lambda: holder_of("labeller", "a"), 10, "worker a to take the labeller lease")
        async with http.post(f"{url_a}/api/v1/meetings", json=MEETING) as resp:
            assert resp.status == 201, await resp.text()
            meeting_id = (await resp.json())["id"]
        async with http.post(f"{url_a}/api/v1/meetings/{meeting_id}/clock", json={"action": "start_presentation"}) as resp:
            assert resp.status == 200, await resp.text()
        url_b = cluster.start("b")
        await _until(lambda: up(url_b), 60, lambda: f"worker b to start:\n{cluster.log('b')}")
        async with http.get(f"{url_b}/api/v1/nlp/status") as resp:
            assert (await resp.json())["state"] == "standby"  # b does not label: a holds the lease
        async with http.get(f"{url_b}/api/v1/meetings/{meeting_id}/clock") as resp:
            assert (await resp.json())["restarts"] == []  # a worker joining is no restart of the meeting's clock
        for url in (url_a, url_b):
            console = Console()
            await console.join(url, token, meeting_id)
            consoles.append(console)
        async with http.post(f"{url_a}/api/v1/meetings/{meeting_id}/sources", json={"kind": "telegram", "config": {
                "token": bot.token, "chat_id": str(GROUP), "api_base": f"http://127.0.0.1:{bot_port}"}}) as resp:
            assert resp.status == 201, await resp.text()
            source_id = (await resp.json())["id"]
        await _until(lambda: holder_of(source_lease(source_id), "a"), 10, "worker a to take the source's lease")

        # Phase 1: comments from the Telegram poller (on a), the API of b, and `tyndau ingest`.
        for n in range(5):
            bot.push("message", tg.comment(GROUP, 3000 + n, f"Telegram: нет света на улице Абая, дом {n}", sender=IVAN))
        for n in range(5):
            async with http.post(f"{url_b}/api/v1/meetings/{meeting_id}/comments", json={
                    "source": "youtube", "external_id": f"b{n}", "author": "Айгуль", "text": f"Яма на дороге у школы номер {n}",
                    "created_at": "2026-12-01T10:00:00+05:00"}) as resp:
                assert resp.status in (200, 201), await resp.text()
        csv = tmp_path / "requests.csv"
        csv.write_text("author,text\n" + "".join(f"Жанар,Просим отремонтировать крышу школы {n}\n" for n in range(20)), "utf-8")
        assert "20 new comments" in await cluster.ingest(csv, meeting_id)

        seen: dict[int, tuple[int, bool, str]] = {}

        def state() -> str:
            return (f"{len(seen)} stored, {sum(1 for _, lab, _ in seen.values() if lab)} labelled; consoles got "
                    f"{[(len(c.comments), len(c.labels)) for c in consoles]} comments/labels; {bot.polls} polls\n"
                    f"a: {cluster.log('a')}\nb: {cluster.log('b')}")

        async def settled(total: int, watching: list[Console]) -> bool:
            rows = await _versions(database, meeting_id)
            seen.clear()
            seen.update(rows)
            return (len(rows) == total and all(labelled for _, labelled, _ in rows.values())
                    and all(set(c.comments) >= set(rows) and set(c.labels) >= set(rows) for c in watching))

        await _until(lambda: settled(30, consoles), 30, lambda: f"30 comments stored, labelled and pushed to both consoles: {state()}")
        await asyncio.sleep(1.5)  # anything doubled would have arrived by now
        rows = await _versions(database, meeting_id)
        for console in consoles:
            assert set(console.comments) == set(rows) and set(console.comments.values()) == {1}, console.comments
            assert set(console.labels) == set(rows) and set(console.labels.values()) == {1}, console.labels
        assert {version for version, _, _ in rows.values()} == {2}  # stored once, labelled once
        assert bot.most_in_flight == 1 and bot.polls >= 1  # one poller for the bot token across the cluster

        # Phase 2: kill -9 the worker holding the labeller and the source; b takes both over.
        proc_a = cluster.workers["a"][0]
        killed = time.monotonic()
        proc_a.send_signal(signal.SIGKILL)
        proc_a.wait()
        for n in range(3):  # written while nobody polls: the new holder resumes from the stored offset
            bot.push("message", tg.comment(GROUP, 4000 + n, f"Telegram: не вывезли мусор, двор {n}", sender=IVAN))
        await _until(lambda: holder_of("labeller", "b"), FAILOVER_LIMIT, "worker b to take the labeller lease")
        labeller_moved = time.monotonic() - killed
        await _until(lambda: holder_of(source_lease(source_id), "b"), FAILOVER_LIMIT, "worker b to take the source's lease")
        source_moved = time.monotonic() - killed
        for n in range(3):
            async with http.post(f"{url_b}/api/v1/meetings/{meeting_id}/comments", json={
                    "source": "youtube", "external_id": f"b-after-{n}", "author": "Айгуль", "text": f"Не работает светофор {n}",
                    "created_at": "2026-12-01T10:00:00+05:00"}) as resp:
                assert resp.status in (200, 201), await resp.text()
        csv.write_text("author,text\n" + "".join(f"Жанар,Просим отремонтировать крышу школы {n}\n" for n in range(25)), "utf-8")
        assert "5 new comments, 20 already stored" in await cluster.ingest(csv, meeting_id)  # ingestion is idempotent
        console_b = consoles[1]
        await _until(lambda: settled(41, [console_b]), 45, lambda: f"41 comments labelled and pushed after the failover: {state()}")
        await asyncio.sleep(1.5)
        rows = await _versions(database, meeting_id)
        assert len(rows) == 41 and len({ext for _, _, ext in rows.values()}) == 41  # nothing lost, nothing doubled
        assert set(console_b.comments) == set(rows) and set(console_b.comments.values()) == {1}, console_b.comments
        assert set(console_b.labels) == set(rows) and set(console_b.labels.values()) == {1}, console_b.labels
        assert {version for version, _, _ in rows.values()} == {2}
        assert bot.most_in_flight == 1
        print(f"\nfailover after kill -9: labeller lease {labeller_moved:.1f} s, source lease {source_moved:.1f} s; "
              f"41 comments, each pushed once to each console and labelled once; {bot.polls} getUpdates, at most 1 in flight")
        assert labeller_moved < FAILOVER_LIMIT and source_moved < FAILOVER_LIMIT
    finally:
        for console in consoles:
            with contextlib.suppress(Exception):
                await console.sio.disconnect()
        await http.close()
        cluster.stop()
        await bot_runner.cleanup()
