"""Scoped workspaces: a district's users cannot read or change a neighbour district's data through any
route of the app (the router is iterated, not a hand-made list) or any socket.io event; the region
reads its districts read-only; unscoped users keep seeing everything.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any

import pytest
import socketio
import sqlalchemy as sa

from tests.conftest import PASSWORD
from tests.national.hierarchy import NEIGHBOUR, Hierarchy, build
from tyndau.operator_ui.keys import SERVICES
from tyndau.store import people
from tyndau.store.calendars import calendar_id
from tyndau.store.national_schema import central_items
from tyndau.store.planning_schema import attendance_entries, calendar_visits, calendars, commission_members, organisers, receptions, rounds
from tyndau.store.schema import clock_events, comments, meetings, problems, sources
from tyndau.store.scopes import Scope, set_scope

NEIGHBOUR_UNITS = ("D2", "A2")
PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::([^}]*))?\}")


async def _setup(engine) -> tuple[Hierarchy, dict[str, int]]:
    """The hierarchy, plus a round, reception, source, calendar visit and central item of the neighbour."""
    h = await build(engine)
    now = datetime(2026, 1, 5)
    async with engine.begin() as conn:
        rid = (await conn.execute(rounds.insert().values(organiser_id="D2", title=f"Раунд {NEIGHBOUR}", created_at=now, updated_at=now))).inserted_primary_key[0]
        await conn.execute(meetings.update().where(meetings.c.id == h.meetings["M_D2"]).values(round_id=rid))
        rec = (await conn.execute(receptions.insert().values(round_id=rid, meeting_id=h.meetings["M_D2"], starts_at=now, place=f"Зал {NEIGHBOUR}",
                                                            cancelled=False, version=1, created_at=now, updated_at=now))).inserted_primary_key[0]
        src = (await conn.execute(sources.insert().values(meeting_id=h.meetings["M_D2"], kind="youtube", config={"url": NEIGHBOUR}, running=False,
                                                         created_at=now, updated_at=now))).inserted_primary_key[0]
        cal = await calendar_id(conn, "D2", 2026, create=True, now=now)
        await conn.execute(calendar_visits.insert().values(calendar_id=cal, visit_key="v1", organiser_id="D2", planned_on=now.date(),
                                                           place_unit_id="A2", note=NEIGHBOUR, status="planned", updated_at=now))
        neighbour_problem = h.problems[-2]
        await conn.execute(central_items.insert().values(problem_id=neighbour_problem, analysis="pending", proposal=NEIGHBOUR, selected=False,
                                                         version=1, updated_at=now, updated_by=""))
    return h, {"round_id": int(rid), "reception_id": int(rec), "source_id": int(src), "problem_id": neighbour_problem,
               "comment_id": h.comments["M_D2"], "meeting_id": h.meetings["M_D2"]}


async def _user(engine, name: str, role: str, unit: str) -> str:
    """A scoped user and its session cookie."""
    await people.add_user(engine, name, role, PASSWORD)
    await set_scope(engine, name, unit_id=unit, organiser_id=None)
    token, who = await people.login(engine, name, PASSWORD, 1)
    assert who.scope is not None and who.scope.unit_id == unit
    return token


async def _neighbour_state(engine) -> str:
    """A digest of everything that belongs to the neighbour district."""
    mine = sa.select(meetings.c.id).where(meetings.c.organiser_id.in_(NEIGHBOUR_UNITS))
    queries = [
        sa.select(meetings).where(meetings.c.organiser_id.in_(NEIGHBOUR_UNITS)),
        sa.select(meetings.c.id).where(meetings.c.place_unit_id.in_(NEIGHBOUR_UNITS)),
        sa.select(problems).where(problems.c.meeting_id.in_(mine)),
        sa.select(comments).where(comments.c.meeting_id.in_(mine)),
        sa.select(clock_events).where(clock_events.c.meeting_id.in_(mine)),
        sa.select(sources).where(sources.c.meeting_id.in_(mine)),
        sa.select(receptions).where(receptions.c.meeting_id.in_(mine)),
        sa.select(attendance_entries).where(attendance_entries.c.meeting_id.in_(mine)),
        sa.select(rounds).where(rounds.c.organiser_id.in_(NEIGHBOUR_UNITS)),
        sa.select(commission_members),
        sa.select(calendars).where(calendars.c.organiser_id.in_(NEIGHBOUR_UNITS)),
        sa.select(calendar_visits).where(calendar_visits.c.organiser_id.in_(NEIGHBOUR_UNITS)),
        sa.select(organisers).where(organisers.c.id.in_(NEIGHBOUR_UNITS)),
        sa.select(central_items),
        sa.text("SELECT * FROM admin_units WHERE id IN ('D2', 'A2') OR parent_id IN ('D2', 'A2')"),
    ]
    digest = hashlib.sha256()
    async with engine.connect() as conn:
        for q in queries:
            rows = (await conn.execute(q)).all()
            digest.update(repr(sorted(map(repr, rows))).encode())
    return digest.hexdigest()


def _fill(path: str, ids: dict[str, Any]) -> list[str]:
    """Every concrete URL of a route pattern, with the neighbour's ids in its placeholders."""
    values = {"meeting_id": ids["meeting_id"], "round_id": ids["round_id"], "reception_id": ids["reception_id"], "source_id": ids["source_id"],
              "problem_id": ids["problem_id"], "comment_id": ids["comment_id"], "organiser_id": "D2", "unit_id": "D2", "year": 2026,
              "visit_id": "v1", "name": "d2user", "lang": "ru"}
    urls = [path]
    for match in PLACEHOLDER.finditer(path):
        name, pattern = match.group(1), match.group(2)
        options = pattern.split("|") if pattern and "|" in pattern else [str(values.get(name, 1))]
        urls = [u.replace(match.group(0), opt, 1) for u in urls for opt in options]
    return urls


def _body(ids: dict[str, Any]) -> dict[str, Any]:
    n = ids["meeting_id"]
    return {"meeting_id": n, "meeting_ids": [n], "round_id": ids["round_id"], "organiser_id": "D2", "unit_id": "D2", "parent_id": "D2",
            "place_unit_id": "A2", "problem_id": ids["problem_id"], "problem_ids": [ids["problem_id"]], "comment_id": ids["comment_id"],
            "comment_ids": [ids["comment_id"]], "target_id": ids["problem_id"], "source_ids": [ids["problem_id"]], "year": 2026,
            "quarter": 1, "kind": "akimat", "title": "x", "action": "start_presentation", "version": 1, "text": "x", "analysis": "executed",
            "members": [], "entries": [], "akim_name": "x", "id": "D2", "name_ru": "x", "name_kk": "x", "status": "resolved"}


async def test_a_district_cannot_reach_its_neighbour_through_any_route(client):
    engine = client.app[SERVICES].engine
    h, ids = await _setup(engine)
    cookies = {role: await _user(engine, f"d1{role}", role, "D1") for role in ("admin", "moderator", "secretary", "viewer")}
    before = await _neighbour_state(engine)
    query = {"meetings": str(ids["meeting_id"]), "unit": "D2", "under": "D2", "organiser": "D2", "year": "2026", "quarter": "1"}
    checked = 0
    for route in client.app.router.routes():
        path = route.resource.canonical if route.resource else ""
        if not path.startswith("/api/") or route.method == "HEAD":
            continue
        has_ids = bool(PLACEHOLDER.search(path.replace("{fmt", "").replace("{verb", "")))
        for url in _fill(path, ids):
            for role, cookie in cookies.items():
                for params in ({}, query):
                    kwargs: dict[str, Any] = {"headers": {"Cookie": f"tyndau_session={cookie}"}, "params": params}
                    if route.method in ("POST", "PUT", "PATCH", "DELETE"):
                        kwargs["json"] = _body(ids)
                    resp = await client.request(route.method, url, allow_redirects=False, **kwargs)
                    data = await resp.read()
                    checked += 1
                    where = f"{route.method} {url} {params} as {role}: {resp.status}"
                    assert NEIGHBOUR.encode() not in data, where
                    if has_ids or params:
                        # Named the neighbour's data: refused (or, for lists and creations, answered without it).
                        assert resp.status >= 400 or not (has_ids or "meetings" in params), where
                    if resp.status < 400 and resp.content_type == "application/json":
                        assert NEIGHBOUR not in json.dumps(await resp.json(), ensure_ascii=False), where
    assert checked > 500
    assert await _neighbour_state(engine) == before


async def test_a_parent_reads_below_it_but_changes_only_its_own(client):
    engine = client.app[SERVICES].engine
    h, ids = await _setup(engine)
    region = {"Cookie": f"tyndau_session={await _user(engine, 'region', 'admin', 'R')}"}
    district = {"Cookie": f"tyndau_session={await _user(engine, 'district', 'admin', 'D1')}"}
    rural = h.meetings["M_A1"]
    assert (await client.get(f"/api/v1/meetings/{ids['meeting_id']}", headers=region)).status == 200
    resp = await client.patch(f"/api/v1/meetings/{ids['meeting_id']}", json={"title": "Новое"}, headers=region)
    assert resp.status == 403 and (await resp.json())["error"]["code"] == "read_only"
    assert (await client.get(f"/api/v1/meetings/{rural}", headers=district)).status == 200
    assert (await client.patch(f"/api/v1/meetings/{rural}", json={"title": "Новое"}, headers=district)).status == 403
    own = h.meetings["M_D1"]
    assert (await client.patch(f"/api/v1/meetings/{own}", json={"title": "Новое"}, headers=district)).status == 200
    listed = {m["id"] for m in (await (await client.get("/api/v1/meetings", headers=district)).json())["items"]}
    assert listed == {h.meetings[k] for k in ("M_D1", "M_D1b", "M_D1old", "M_A1", "M_B1")}
    region_listed = {m["id"] for m in (await (await client.get("/api/v1/meetings", headers=region)).json())["items"]}
    assert region_listed == set(h.meetings.values())
    # A meeting a scoped user creates is its own unit's.
    created = await client.post("/api/v1/meetings", json={"title": "Новая", "akim_level": "district", "planned_minutes": 60,
                                                          "starts_at": "2026-10-01T10:00:00+05:00"}, headers=district)
    assert created.status == 201 and (await created.json())["organiser_id"] == "D1"
    # Unscoped users keep today's behaviour.
    everything = await client.get("/api/v1/meetings", headers=client.people.auth("viewer"))
    assert {m["id"] for m in (await everything.json())["items"]} >= set(h.meetings.values())
    rollup = await (await client.get("/api/v1/rollup?year=2026", headers=district)).json()
    assert rollup["unit"]["id"] == "D1" and rollup["total"]["problems"] == 6
    # An API token can be scoped too (a district's presenter screen reads its own meetings only).
    token = await people.create_token(engine, "d1-projector", "viewer", scope=Scope(unit_id="D1"))
    screen = {"Authorization": f"Bearer {token}"}
    assert (await client.get(f"/api/v1/meetings/{own}/clock", headers=screen)).status == 200
    assert (await client.get(f"/api/v1/meetings/{ids['meeting_id']}/clock", headers=screen)).status == 404
    assert {t["name"]: t.get("scope") for t in await people.list_tokens(engine)}["d1-projector"] == {"unit_id": "D1", "organiser_id": None}


async def test_sockets_refuse_the_neighbours_meeting(live_server):
    engine = live_server.app[SERVICES].engine
    h, ids = await _setup(engine)
    cookie = await _user(engine, "d1sock", "admin", "D1")
    sio = socketio.AsyncClient(reconnection=False)
    await sio.connect(live_server.url, namespaces=["/clock", "/feed", "/review"], headers={"Cookie": f"tyndau_session={cookie}"},
                      transports=["websocket"], wait_timeout=5)
    try:
        theirs, mine = ids["meeting_id"], h.meetings["M_D1"]
        calls = [
            ("/clock", "join", {"meeting_id": theirs}), ("/feed", "join", {"meeting_id": theirs}), ("/review", "join", {"meeting_id": theirs}),
            ("/feed", "older", {"meeting_id": theirs, "before": 10**6}),
            ("/clock", "command", {"meeting_id": theirs, "action": "start_presentation", "version": 0, "command_id": "x1"}),
            ("/clock", "presenter_message", {"meeting_id": theirs, "text": "x"}),
            ("/feed", "command", {"verb": "pin", "meeting_id": theirs, "comment_id": ids["comment_id"]}),
            ("/feed", "command", {"verb": "pin", "meeting_id": mine, "comment_id": ids["comment_id"]}),
            ("/feed", "command", {"verb": "floor", "meeting_id": theirs, "text": "x"}),
        ]
        for namespace, event, data in calls:
            ack = await sio.call(event, data, namespace=namespace, timeout=5)
            assert ack["ok"] is False and NEIGHBOUR not in json.dumps(ack, ensure_ascii=False), (namespace, event, ack)
        assert (await sio.call("join", {"meeting_id": mine}, namespace="/feed", timeout=5))["ok"] is True
        assert (await sio.call("join", {"meeting_id": mine}, namespace="/clock", timeout=5))["ok"] is True
    finally:
        await sio.disconnect()


async def test_the_cli_sets_and_clears_a_scope(client):
    engine = client.app[SERVICES].engine
    await build(engine)
    await people.add_user(engine, "aigerim", "secretary", PASSWORD)
    assert (await set_scope(engine, "aigerim", unit_id="D1", organiser_id=None)).unit_id == "D1"
    listed = {u["name"]: u for u in await people.list_users(engine)}
    assert listed["aigerim"]["scope"] == {"unit_id": "D1", "organiser_id": None} and "scope" not in listed["admin"]
    assert await set_scope(engine, "aigerim", unit_id=None, organiser_id=None) is None
    with pytest.raises(ValueError):
        await set_scope(engine, "aigerim", unit_id="nowhere", organiser_id=None)
    with pytest.raises(ValueError):
        await set_scope(engine, "aigerim", unit_id=None, organiser_id="D1")  # an akimat is a unit scope
