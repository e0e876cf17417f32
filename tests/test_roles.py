"""Leases and process roles, each alone: advisory locks on a real PostgreSQL, a web-only process, a labeller standing by."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import create_meeting, make_people
from tyndau.live.labeller import Labeller
from tyndau.operator_ui.app import create_app
from tyndau.operator_ui.keys import SERVICES
from tyndau.store.leases import LABELLER, AdvisoryLeases, LocalLeases, NoLeases, leases_for, source_lease


@pytest.mark.parametrize("settings", ["postgres"], indirect=True)
async def test_an_advisory_lease_is_held_once_and_moves_when_its_connection_dies(settings: Any) -> None:
    url = settings.effective_database_url
    first, second = AdvisoryLeases(url), AdvisoryLeases(url)
    try:
        assert await first.acquire(LABELLER) and first.holds(LABELLER)
        assert not await second.acquire(LABELLER) and not second.holds(LABELLER)
        assert await second.acquire(source_lease(7))  # another lease is free
        admin = await asyncpg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False))
        try:  # the holder's connection ends, as when its host vanishes or the server restarts
            await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", first.application_name)
        finally:
            await admin.close()
        await asyncio.sleep(0.2)
        await first.check()
        assert not first.holds(LABELLER)  # the holder knows at once, and stops its work
        assert await second.acquire(LABELLER)  # and the lease is free for the others
        await second.release(LABELLER)
        assert await first.acquire(LABELLER)  # a reconnected process may take it again
    finally:
        await first.close()
        await second.close()


def test_sqlite_leases_are_local_and_a_web_process_takes_none() -> None:
    assert isinstance(leases_for("sqlite+aiosqlite:///x.sqlite3"), LocalLeases)
    assert isinstance(leases_for("postgresql+asyncpg://u:p@h/db"), AdvisoryLeases)
    assert isinstance(leases_for("postgresql+asyncpg://u:p@h/db", "web"), NoLeases)


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_a_web_process_serves_but_runs_no_polled_source_and_no_labeller(aiohttp_client: Any, settings: Any) -> None:
    app = create_app(settings.replace(role="web", nlp_enabled=True), pipeline_loader=lambda: pytest.fail("a web process loads no model"))
    client = await aiohttp_client(app)
    client.people = await make_people(app)
    meeting = await create_meeting(client)
    resp = await client.post(f"/api/v1/meetings/{meeting['id']}/sources", headers=client.people.auth("moderator"), json={
        "kind": "telegram", "config": {"token": "123:abc", "chat_id": "-1001", "api_base": "http://127.0.0.1:9"}})
    assert resp.status == 201, await resp.text()
    source = await resp.json()
    assert source["running"] and source["health"]["state"] == "elsewhere"  # a worker holding its lease polls it
    assert app[SERVICES].sources.running_source(source["id"]) is None
    for _ in range(50):
        status = await (await client.get("/api/v1/nlp/status", headers=client.people.auth("secretary"))).json()
        if status["state"] == "standby":
            break
        await asyncio.sleep(0.05)
    assert status["state"] == "standby"


def test_a_standing_by_labeller_forwards_what_people_decide_to_the_one_that_labels() -> None:
    sent: list[tuple[str, dict[str, Any]]] = []

    async def publish(*_: Any) -> None:
        return None

    labeller = Labeller(None, lambda progress: None, publish, {}, forward=lambda kind, body: sent.append((kind, body)))  # type: ignore[arg-type]
    labeller.reset()
    labeller.enqueue([1, 2])
    labeller.learn("Нет воды", category="water", is_problem=True)
    labeller.clusters_changed(5)
    assert labeller.status()["pending"] == 0  # nothing queued here
    assert sent == [("learn", {"text": "Нет воды", "category": "water", "is_problem": True}), ("clusters_changed", {"meeting_id": 5})]


@pytest.mark.parametrize("settings", ["postgres"], indirect=True)
async def test_two_source_managers_run_a_source_once_and_follow_stops_made_elsewhere(settings: Any, tmp_path: Any) -> None:
    from tyndau.config import path as shipped
    from tyndau.domain.meeting import MeetingDraft
    from tyndau.live.intake import Intake, running
    from tyndau.live.source_manager import SourceManager
    from tyndau.store.engine import create_engine
    from tyndau.store.meetings import create_meeting as store_meeting
    from tyndau.store.migrate import upgrade

    engine = create_engine(settings)
    await upgrade(engine)
    url = settings.effective_database_url
    leases = [AdvisoryLeases(url), AdvisoryLeases(url)]

    async def nothing(rows: list[Any]) -> None:
        return None

    intake = Intake(engine, nothing)
    managers = [SourceManager(engine, intake, tmp_path / f"w{n}", leases=leases[n]) for n in range(2)]
    try:
        async with running(intake.run):
            async with engine.begin() as conn:
                meeting = await store_meeting(conn, MeetingDraft(
                    title="Встреча акима села", akim_level="village", place="с. Каскелен", planned_minutes=120,
                    starts_at=datetime(2026, 12, 1, 5, tzinfo=UTC), announced_at=datetime(2026, 11, 20, 4, tzinfo=UTC),
                    stream_links=()))
            chat = str(shipped("demo") / "meeting_chat.live_chat.json")
            source = await managers[0].start(meeting.id, "replay", {"path": chat, "speed": 0.01})
            await managers[1].reconcile()
            assert managers[0].running_source(source["id"]) and managers[1].running_source(source["id"]) is None
            assert (await managers[1].describe(source["id"]))["health"]["state"] == "elsewhere"
            await managers[1].stop(source["id"])  # the operator stops it on the other worker
            await managers[0].reconcile()
            assert managers[0].running_source(source["id"]) is None and not leases[0].holds(source_lease(source["id"]))
            await managers[1].restart(source["id"])  # and starts it again there: that worker runs it now
            await managers[0].reconcile()
            assert managers[1].running_source(source["id"]) and managers[0].running_source(source["id"]) is None
    finally:
        for m in managers:
            await m.close()
        for lease in leases:
            await lease.close()
        await engine.dispose()


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_a_standing_by_process_does_not_pass_on_what_it_hears_from_another(settings: Any) -> None:
    """With two standby workers, one passing on what it heard would send each event back and forth for ever."""
    from tyndau.operator_ui.services import Services

    sent: list[tuple[str, dict[str, Any]]] = []

    async def publish(*_: Any) -> None:
        return None

    labeller = Labeller(None, lambda progress: None, publish, {}, forward=lambda kind, body: sent.append((kind, body)))  # type: ignore[arg-type]
    labeller.reset(standby=True)
    services = Services(settings, None, None, None, {}, labeller=labeller)  # type: ignore[arg-type]
    for event in ({"kind": "learn", "text": "Нет воды", "category": "utilities", "is_problem": True},
                  {"kind": "clusters_changed", "meeting_id": 5}, {"kind": "reconsider", "ids": [1]}, {"kind": "committed", "ids": [2]}):
        await services.on_cluster_event(event)
    assert sent == []
    labeller.reset(standby=False)  # this process labels now: it acts on them and forwards nothing
    await services.on_cluster_event({"kind": "reconsider", "ids": [1]})
    assert sent == [] and labeller.status()["pending"] == 1
