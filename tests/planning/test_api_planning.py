"""The planning API over HTTP on SQLite and PostgreSQL: units (import with a dry run, add, rename,
abolish), organisers, the calendar's life (draft, approve, adjust — each version kept), the coverage
matrix, a meeting planned from the calendar, and who may do each."""

from __future__ import annotations

from pathlib import Path

import aiohttp

DEMO = Path(__file__).resolve().parents[2] / "config" / "demo" / "units.csv"
DISTRICT, AKBULAK_RD, KOKTOBE, BIRLIK, CITY = "991600000", "991630000", "991630200", "991633100", "991100000"


def form(data: bytes, name: str) -> aiohttp.FormData:
    f = aiohttp.FormData()
    f.add_field("file", data, filename=name, content_type="text/csv")
    return f


async def load_units(client) -> dict:
    resp = await client.post("/api/v1/units/import", data=form(DEMO.read_bytes(), "units.csv"), headers=client.people.auth("secretary"))
    assert resp.status == 201, await resp.text()
    return await resp.json()


async def district_akimat(client) -> dict:
    await load_units(client)
    resp = await client.post("/api/v1/organisers", json={"unit_id": DISTRICT}, headers=client.people.auth("admin"))
    assert resp.status == 201, await resp.text()
    return await resp.json()


async def change(client, body: dict, role: str = "secretary", org: str = DISTRICT, year: int = 2026):
    return await client.post(f"/api/v1/organisers/{org}/calendars/{year}/changes", json=body, headers=client.people.auth(role))


async def test_import_dry_run_then_apply_then_again(client):
    auth = client.people.auth("secretary")
    resp = await client.post("/api/v1/units/import?dry_run=1", data=form(DEMO.read_bytes(), "units.csv"), headers=auth)
    body = await resp.json()
    assert resp.status == 200 and body["dry_run"] and len(body["new"]) == 47 and len(body["skipped"]) == 2
    assert (await (await client.get("/api/v1/units", headers=auth)).json())["items"] == []          # nothing written yet
    body = await load_units(client)
    assert body["import"]["created"] == 47 and body["import"]["filename"] == "units.csv"
    units = (await (await client.get("/api/v1/units", headers=auth)).json())["items"]
    assert len(units) == 47 and units[0]["id"] == "990000000" and units[0]["depth"] == 0
    under = (await (await client.get(f"/api/v1/units?under={AKBULAK_RD}", headers=auth)).json())["items"]
    assert [u["id"] for u in under] == [AKBULAK_RD, "991630100", KOKTOBE]
    again = await (await client.post("/api/v1/units/import", data=form(DEMO.read_bytes(), "units.csv"), headers=auth)).json()
    assert again["import"]["created"] == 0 and again["unchanged"] == 47
    imports = (await (await client.get("/api/v1/units/imports", headers=auth)).json())["items"]
    assert len(imports) == 2 and imports[0]["skipped"][0]["reason"]


async def test_an_import_with_errors_or_a_move_writes_nothing(client):
    auth = client.people.auth("secretary")
    bad = b"te,name_rus,name_kaz\n990000000,\xd0\x90\xd0\xba\xd0\xb6\xd0\xb0\xd0\xb9\xd0\xbb\xd0\xb0\xd1\x83\xd1\x81\xd0\xba\xd0\xb0\xd1\x8f \xd0\xbe\xd0\xb1\xd0\xbb\xd0\xb0\xd1\x81\xd1\x82\xd1\x8c,\n12345,x,\n"
    resp = await client.post("/api/v1/units/import", data=form(bad, "bad.csv"), headers=auth)
    body = await resp.json()
    assert resp.status == 422 and body["error"]["code"] == "import_refused" and body["report"]["errors"][0]["line"] == 3
    resp = await client.post("/api/v1/units/import", data=form(b"not,a,header\n1,2,3\n", "x.csv"), headers=auth)
    assert resp.status == 422 and (await resp.json())["error"]["code"] == "unreadable"
    resp = await client.post("/api/v1/units/import", data=form(b"x", "units.pdf"), headers=auth)
    assert resp.status == 422
    await load_units(client)
    moved = DEMO.read_text("utf-8").replace("991630200,99,16,30,200,,Көктөбе ауылы,с. Коктобе,14,,",
                                            "991630200,99,16,30,200,,Көктөбе ауылы,с. Коктобе,14,,").replace(
        "te,ab,cd,ef,hij,k,name_kaz,name_rus,nn,valid_from,valid_to", "te,ab,cd,ef,hij,k,name_kaz,name_rus,nn,valid_from,valid_to,parent")
    moved = "\n".join(line + (",991633000" if line.startswith("991630200") else ",") if i else line for i, line in enumerate(moved.splitlines()))
    resp = await client.post("/api/v1/units/import", data=form(moved.encode(), "moved.csv"), headers=auth)
    body = await resp.json()
    assert resp.status == 422 and body["report"]["refused"][0]["unit_id"] == KOKTOBE


async def test_add_rename_abolish_and_refusals(client):
    await load_units(client)
    auth = client.people.auth("secretary")
    resp = await client.post("/api/v1/units", json={"kato": "991630300", "kind": "village", "parent_id": AKBULAK_RD,
                                                    "name_ru": "с. Жана", "name_kk": "Жаңа ауылы", "valid_from": "2026-10-01"}, headers=auth)
    assert resp.status == 201 and (await resp.json())["id"] == "991630300"
    resp = await client.post("/api/v1/units", json={"kato": "991630300", "kind": "village", "parent_id": AKBULAK_RD, "name_ru": "x"}, headers=auth)
    assert resp.status == 409
    resp = await client.post("/api/v1/units", json={"id": "m1", "kind": "district", "parent_id": AKBULAK_RD, "name_ru": "x"}, headers=auth)
    assert resp.status == 422 and "cannot sit under" in (await resp.json())["error"]["message"]
    resp = await client.patch(f"/api/v1/units/{KOKTOBE}", json={"name_ru": "с. Көктөбе", "valid_to": "2026-11-30"}, headers=auth)
    body = await resp.json()
    assert resp.status == 200 and body["name_ru"] == "с. Көктөбе" and body["valid_to"] == "2026-11-30"
    units = (await (await client.get("/api/v1/units?on=2026-12-01", headers=auth)).json())["items"]
    assert KOKTOBE not in {u["id"] for u in units}
    resp = await client.patch(f"/api/v1/units/{AKBULAK_RD}", json={"valid_to": "2026-01-01"}, headers=auth)
    assert resp.status == 422 and (await resp.json())["refused"]                # its villages would outlive it
    assert (await client.patch("/api/v1/units/nope", json={"name_ru": "x"}, headers=auth)).status == 404
    resp = await client.patch(f"/api/v1/units/{KOKTOBE}", json={"valid_from": "31.12.2026"}, headers=auth)
    assert resp.status == 422 and "valid_from" in (await resp.json())["error"]["fields"]
    audit = (await (await client.get("/api/v1/audit", headers=client.people.auth("admin"))).json())["items"]
    assert {"units.import", "units.add", "units.edit"} <= {a["action"] for a in audit}


async def test_who_may_do_what(client):
    await load_units(client)
    assert (await client.get("/api/v1/units", headers=client.people.auth("viewer"))).status == 403
    assert (await client.get("/api/v1/units")).status == 401
    assert (await client.get("/api/v1/units", headers=client.people.auth("moderator"))).status == 200
    resp = await client.post("/api/v1/units/import", data=form(DEMO.read_bytes(), "units.csv"), headers=client.people.auth("moderator"))
    assert resp.status == 403
    assert (await client.post("/api/v1/organisers", json={"unit_id": DISTRICT}, headers=client.people.auth("moderator"))).status == 403
    await client.post("/api/v1/organisers", json={"unit_id": DISTRICT}, headers=client.people.auth("secretary"))
    resp = await change(client, {"kind": "draft", "operations": [{"op": "add", "planned_on": "2026-03-10", "place_unit_id": KOKTOBE}]}, "moderator")
    assert resp.status == 403
    assert (await client.get(f"/api/v1/organisers/{DISTRICT}/calendars/2026", headers=client.people.auth("viewer"))).status == 403


async def test_a_calendar_from_draft_to_approved_and_adjusted_keeps_every_version(client):
    await district_akimat(client)
    resp = await change(client, {"kind": "draft", "operations": [
        {"op": "add", "planned_on": "2026-03-10", "place_unit_id": KOKTOBE},
        {"op": "add", "planned_on": "2026-03-12", "place_unit_id": BIRLIK, "note": "в клубе"}]})
    body = await resp.json()
    assert resp.status == 201 and body["status"] == "draft" and [v["visit_id"] for v in body["visits"]] == ["v1", "v2"]
    assert body["visits"][0]["place"]["name_ru"] == "с. Коктобе" and body["visits"][0]["period"] == "2026-Q1"
    resp = await change(client, {"kind": "approve"})
    assert resp.status == 409 and (await resp.json())["error"]["code"] == "no_maslikhat"
    resp = await change(client, {"kind": "approve", "maslikhat_agreed_on": "2026-01-12", "maslikhat_ref": "№ 32-4"})
    body = await resp.json()
    assert body["status"] == "approved" and body["version"] == 1 and body["milestones"][0]["state"] == "done"
    assert body["milestones"][1]["state"] == "not_applicable"                    # a district does not submit to the Government
    resp = await change(client, {"kind": "adjust", "maslikhat_agreed_on": "2026-03-01", "operations": [{"op": "move", "visit_id": "v1", "planned_on": "2026-04-02"}]})
    assert resp.status == 409 and (await resp.json())["error"]["code"] == "no_reason"
    resp = await change(client, {"kind": "adjust", "reason": "паводок", "maslikhat_agreed_on": "2026-03-01", "maslikhat_ref": "№ 35-2",
                                 "last_seq": 1, "operations": [{"op": "move", "visit_id": "v1", "planned_on": "2026-04-02"}]})
    assert resp.status == 409 and (await resp.json())["error"]["code"] == "stale_calendar"
    resp = await change(client, {"kind": "adjust", "reason": "паводок", "maslikhat_agreed_on": "2026-03-01", "maslikhat_ref": "№ 35-2",
                                 "last_seq": 2, "operations": [{"op": "move", "visit_id": "v1", "planned_on": "2026-04-02"},
                                                               {"op": "cancel", "visit_id": "v2"}]})
    body = await resp.json()
    assert resp.status == 201 and body["version"] == 2 and body["visits"][0]["approved_on"] == "2026-03-10"
    assert [v["number"] for v in body["versions"]] == [1, 2] and body["versions"][1]["reason"] == "паводок"
    assert body["versions"][1]["actor"] == "test-secretary" and body["versions"][1]["maslikhat_ref"] == "№ 35-2"
    assert body["cancelled"][0]["visit_id"] == "v2"
    resp = await change(client, {"kind": "adjust", "reason": "x", "maslikhat_agreed_on": "2026-03-01",
                                 "operations": [{"op": "add", "planned_on": "2026-05-05", "place_unit_id": CITY}]})
    assert resp.status == 422 and (await resp.json())["error"]["code"] == "bad_place"   # a city of the region, not of this district
    resp = await change(client, {"kind": "draft", "operations": [{"op": "add", "planned_on": "2027-01-05", "place_unit_id": KOKTOBE}]})
    assert resp.status == 409
    resp = await change(client, {"kind": "draft", "operations": [{"op": "jump"}]})
    assert resp.status == 422 and "operations[0].op" in (await resp.json())["error"]["fields"]
    assert (await change(client, {"kind": "draft"}, org="nobody")).status == 404


async def test_coverage_proposals_and_a_meeting_planned_from_the_calendar(client):
    await district_akimat(client)
    sec = client.people.auth("secretary")
    proposals = (await (await client.get(f"/api/v1/organisers/{DISTRICT}/calendars/2026/proposals?today=2026-09-15", headers=sec)).json())["operations"]
    assert len(proposals) == 41 and {p["period"] for p in proposals} == {"2026-Q3", "2026-Q4"}
    body = await (await change(client, {"kind": "draft", "operations": [{k: p[k] for k in ("op", "planned_on", "place_unit_id")} for p in proposals]})).json()
    assert len(body["visits"]) == 41
    coverage = await (await client.get(f"/api/v1/organisers/{DISTRICT}/calendars/2026/coverage?today=2026-09-15", headers=sec)).json()
    assert [p["key"] for p in coverage["periods"]] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"] and len(coverage["rows"]) == 33
    assert coverage["counts"] == {"held": 0, "planned": 65, "missing": 64, "not_required": 3}   # Q3–Q4 planned; Коныр gone in Q4
    assert coverage["warnings"][0]["period"] == "2026-Q3" and coverage["warnings"][0]["unplanned"] == []
    visit = next(v for v in body["visits"] if v["place_unit_id"] == KOKTOBE)
    url = f"/api/v1/organisers/{DISTRICT}/calendars/2026/visits/{visit['visit_id']}/meeting"
    assert (await client.post(url, json={}, headers=client.people.auth("viewer"))).status == 403
    resp = await client.post(url, json={"starts_at": f"{visit['planned_on']}T11:00:00+05:00", "planned_minutes": 90},
                             headers=client.people.auth("moderator"))
    meeting = await resp.json()
    assert resp.status == 201, meeting
    assert (meeting["organiser_id"], meeting["place_unit_id"], meeting["akim_level"]) == (DISTRICT, KOKTOBE, "district")
    assert meeting["title"] == "Встреча с населением: с. Коктобе" and meeting["title_kk"] == "Халықпен кездесу: Көктөбе ауылы"
    assert meeting["place"] == "с. Коктобе, Акбулакский сельский округ" and meeting["planned_minutes"] == 90
    assert (await client.post(url, json={}, headers=sec)).status == 409
    other = next(v for v in body["visits"] if v["visit_id"] != visit["visit_id"])
    resp = await client.post(f"/api/v1/organisers/{DISTRICT}/calendars/2026/visits/{other['visit_id']}/meeting",
                             json={"starts_at": "2026-12-31T10:00:00+05:00"}, headers=sec)
    assert resp.status == 422 and "starts_at" in (await resp.json())["error"]["fields"]
    cal = await (await client.get(f"/api/v1/organisers/{DISTRICT}/calendars/2026", headers=sec)).json()
    assert next(v for v in cal["visits"] if v["visit_id"] == visit["visit_id"])["meeting"]["id"] == meeting["id"]
    console = await (await client.get(f"/api/v1/meetings/{meeting['id']}", headers=sec)).json()
    assert console["calendar_visit_id"] == visit["row_id"]


async def test_a_ministry_is_an_organiser_with_its_quarterly_minimum_and_report_dates(client):
    await load_units(client)
    admin = client.people.auth("admin")
    resp = await client.post("/api/v1/organisers", json={"kind": "central_body", "id": "health", "name_ru": "Министерство здравоохранения",
                                                         "name_kk": "Денсаулық сақтау министрлігі"}, headers=admin)
    assert resp.status == 201 and (await resp.json())["level"] == "central"
    resp = await client.post("/api/v1/organisers", json={"kind": "central_body", "id": "defence", "name_ru": "МО", "name_kk": "ҚМ"}, headers=admin)
    assert (await resp.json())["exempt"] is True
    assert (await client.post("/api/v1/organisers", json={"kind": "central_body", "id": "health", "name_ru": "x", "name_kk": "y"}, headers=admin)).status == 409
    body = await (await change(client, {"kind": "draft", "operations": [{"op": "add", "planned_on": "2026-02-10"},
                                                                       {"op": "add", "planned_on": "2026-05-10", "place_unit_id": DISTRICT}]}, org="health")).json()
    assert body["rule"]["period"] == "quarter" and body["rule"]["targets"] is None
    cov = await (await client.get("/api/v1/organisers/health/calendars/2026/coverage?today=2026-06-20", headers=admin)).json()
    assert [c["status"] for c in cov["rows"][0]["cells"]] == ["missing", "missing", "missing", "missing"]
    assert cov["warnings"][0]["period"] == "2026-Q2"
    info = await (await client.get("/api/v1/central-bodies?today=2026-12-02", headers=admin)).json()
    assert info["generalised_report"] == {"year": 2026, "quarter": 4, "due": "2027-01-10"}   # Q3's (10 October) is past
    assert info["authorised_body"]["next_schedule"]["due"] == "2026-12-15"
    flags = {o["id"]: o["must_meet_quarterly"] for o in info["organisers"]}
    assert flags == {"health": True, "defence": False}
    meeting = await (await client.post("/api/v1/organisers/health/calendars/2026/visits/v1/meeting", json={}, headers=admin)).json()
    assert meeting["akim_level"] == "central" and meeting["announcement"]["notice_days"] == 14
    resp = await client.patch(f"/api/v1/meetings/{meeting['id']}/planning", json={"organiser_id": "health", "off_calendar_reason": "social_tension"}, headers=admin)
    assert resp.status == 409                                                    # it realises a calendar visit
    other = await (await client.post("/api/v1/meetings", json={"title": "Внеплановая", "akim_level": "central", "planned_minutes": 60,
                                                               "starts_at": "2026-07-01T10:00:00+05:00"}, headers=admin)).json()
    url = f"/api/v1/meetings/{other['id']}/planning"
    resp = await client.patch(url, json={"organiser_id": "health", "off_calendar_reason": "population_demand"}, headers=admin)
    assert resp.status == 422                                                    # only social tension, for a central body
    resp = await client.patch(url, json={"organiser_id": "health", "off_calendar_reason": "social_tension"}, headers=admin)
    assert resp.status == 200 and (await resp.json())["off_calendar_reason"] == "social_tension"
