"""The central-level list (sums by analysis, a central body updates its own items), the compliance monitor
(who is late and by how much, worked out by hand below), its exports, and the national summary.

Compliance, first quarter of 2026, as of 1 May 2026 (no meeting of the hierarchy was announced):
- R: M_R (10 Feb, region: 14 days' notice, due 27 Jan) not announced -> late 14 days; ended 10 Feb,
  its package due 20 Feb and unpublished -> late 70 days; progress report due 25 Apr, none -> 6 days.
- D1: two visits planned, M_D1 held -> one missing, late 31 days (since 31 Mar); M_D1 (3 Mar) not
  announced -> 14 days; its round published 10 Mar (due 13 Mar) -> on time; report handed in 20 Apr.
- D2: M_D2 not announced -> 14 days; unpublished since 7 Feb -> 83 days; no report -> 6 days.
- A1, B1, A2: no meeting in the quarter; no report -> 6 days each.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import sqlalchemy as sa
from docx import Document
from openpyxl import load_workbook

from tests.conftest import PASSWORD
from tests.national.hierarchy import build
from tyndau.actions.meetings import new_draft
from tyndau.operator_ui.keys import SERVICES
from tyndau.store import people
from tyndau.store.calendars import calendar_id
from tyndau.store.meetings import MeetingLinks, create_meeting
from tyndau.store.organisers import create_central_body
from tyndau.store.planning_schema import calendar_visits, receptions, rounds
from tyndau.store.problems import create_problem
from tyndau.store.schema import meetings
from tyndau.store.scopes import set_scope

TODAY = "2026-05-01"


async def _cookie(engine, name: str, role: str, *, unit: str | None = None, body: str | None = None) -> dict[str, str]:
    await people.add_user(engine, name, role, PASSWORD)
    await set_scope(engine, name, unit_id=unit, organiser_id=body)
    token, _ = await people.login(engine, name, PASSWORD, 1)
    return {"Cookie": f"tyndau_session={token}"}


async def _ministry(engine) -> None:
    """A ministry with one held meeting, a reception of 12 citizens and one resolved problem."""
    now = datetime(2026, 1, 5)
    async with engine.begin() as conn:
        await create_central_body(conn, "mz", "Министерство здравоохранения", "Денсаулық сақтау министрлігі", exempt=False, now=now)
        draft = new_draft({"title": "Встреча министра", "akim_level": "central", "planned_minutes": 90,
                                  "starts_at": "2026-03-20T10:00:00+05:00"})
        meeting = await create_meeting(conn, draft, MeetingLinks(organiser_id="mz"))
        await conn.execute(meetings.update().where(meetings.c.id == meeting.id).values(ended_at=datetime(2026, 3, 20, 7)))
        rid = (await conn.execute(rounds.insert().values(organiser_id="mz", title="", created_at=now, updated_at=now))).inserted_primary_key[0]
        await conn.execute(receptions.insert().values(round_id=rid, meeting_id=meeting.id, starts_at=datetime(2026, 3, 20, 9), place="",
                                                      citizens_received=12, cancelled=False, version=1, created_at=now, updated_at=now))
        await create_problem(conn, meeting.id, origin="human", title_ru="Поликлиника", status="resolved", accepted=True)
        cal = await calendar_id(conn, "mz", 2026, create=True, now=now)
        for key, day in (("q1", date(2026, 3, 20)), ("q2", date(2026, 6, 10))):
            await conn.execute(calendar_visits.insert().values(calendar_id=cal, visit_key=key, organiser_id="mz", planned_on=day,
                                                               status="planned", updated_at=now))


async def test_the_central_list_sums_and_a_body_updates_its_own_items(client):
    engine = client.app[SERVICES].engine
    h = await build(engine)
    await _ministry(engine)
    admin = client.people.auth("admin")
    body = await (await client.get("/api/v1/central-list", headers=admin)).json()
    assert [i["problem_id"] for i in body["items"]] == [h.problems[12], h.problems[1], h.problems[5]]  # M_D2 (Jan), M_R (Feb), M_D1b (May)
    assert body["summary"]["total"] == {"count": 3, "sum": 920, "funding_need": 920, "funding_allocated": 30}
    assert body["summary"]["by_analysis"]["pending"] == {"count": 3, "sum": 920}
    assert body["deadlines"]["next"] >= "2026-" and len(body["deadlines"]) == 2
    d1 = await _cookie(engine, "d1", "secretary", unit="D1")
    mine = await (await client.get("/api/v1/central-list", headers=d1)).json()
    assert [i["problem_id"] for i in mine["items"]] == [h.problems[5]] and mine["summary"]["total"]["sum"] == 300

    p2 = h.problems[1]
    resp = await client.patch(f"/api/v1/central-list/{p2}", json={"version": 0, "analysis": "budget_revision", "amount": 450, "body_id": "mz"},
                              headers=admin)
    assert resp.status == 200, await resp.text()
    assert (await resp.json())["version"] == 1
    body = await (await client.get("/api/v1/central-list", headers=admin)).json()
    assert body["summary"]["by_analysis"]["budget_revision"] == {"count": 1, "sum": 450}
    assert body["summary"]["by_analysis"]["pending"] == {"count": 2, "sum": 420}
    assert body["summary"]["total"]["sum"] == 870

    ministry = await _cookie(engine, "mz_user", "secretary", body="mz")
    theirs = await (await client.get("/api/v1/central-list", headers=ministry)).json()
    assert [i["problem_id"] for i in theirs["items"]] == [p2]
    ok = await client.patch(f"/api/v1/central-list/{p2}", json={"version": 1, "analysis": "executed", "selected": True,
                                                                "proposal": "Реконструкция водовода"}, headers=ministry)
    assert ok.status == 200 and (await ok.json())["analysis"] == "executed"
    stale = await client.patch(f"/api/v1/central-list/{p2}", json={"version": 1, "analysis": "pending"}, headers=ministry)
    assert stale.status == 409
    assert (await client.patch(f"/api/v1/central-list/{h.problems[12]}", json={"version": 0, "analysis": "executed"}, headers=ministry)).status == 404
    assert (await client.patch(f"/api/v1/central-list/{p2}", json={"version": 2, "body_id": None}, headers=ministry)).status == 403
    # The district may not write the region's item (read-only above it), nor the neighbour's (out of reach).
    assert (await client.patch(f"/api/v1/central-list/{p2}", json={"version": 2, "proposal": "x"}, headers=d1)).status == 404
    # The district hands its own item to the ministry (any central body may be named).
    own = await client.patch(f"/api/v1/central-list/{h.problems[5]}", json={"version": 0, "body_id": "mz", "proposal": "Новая школа"},
                             headers=d1)
    assert own.status == 200 and (await own.json())["body_id"] == "mz"
    body = await (await client.get("/api/v1/central-list", headers=admin)).json()
    assert body["summary"]["selected"] == {"count": 1, "sum": 450}
    assert [i["problem_id"] for i in (await (await client.get("/api/v1/central-list", headers=ministry)).json())["items"]] == [p2, h.problems[5]]


async def test_the_compliance_monitor_says_who_is_late_and_by_how_much(client):
    engine = client.app[SERVICES].engine
    h = await build(engine)
    now = datetime(2026, 1, 5)
    async with engine.begin() as conn:
        cal = await calendar_id(conn, "D1", 2026, create=True, now=now)
        for key, day in (("v1", date(2026, 3, 3)), ("v2", date(2026, 3, 20))):
            await conn.execute(calendar_visits.insert().values(calendar_id=cal, visit_key=key, organiser_id="D1", planned_on=day,
                                                               place_unit_id="A1", status="planned", updated_at=now))
        rid = (await conn.execute(rounds.insert().values(organiser_id="D1", title="", published_at=datetime(2026, 3, 10, 6),
                                                         created_at=now, updated_at=now))).inserted_primary_key[0]
        await conn.execute(meetings.update().where(meetings.c.id == h.meetings["M_D1"]).values(round_id=rid))
    admin = client.people.auth("admin")
    resp = await client.post("/api/v1/progress-reports", json={"organiser_id": "D1", "year": 2026, "quarter": 1,
                                                               "submitted_at": "2026-04-20T10:00:00+05:00"}, headers=admin)
    assert resp.status == 201, await resp.text()
    assert (await client.post("/api/v1/progress-reports", json={"organiser_id": "D1", "year": 2026, "quarter": 1}, headers=admin)).status == 409
    body = await (await client.get(f"/api/v1/compliance?year=2026&quarter=1&today={TODAY}", headers=admin)).json()
    rows = {r["organiser_id"]: r for r in body["organisers"]}
    assert set(rows) == {"R", "D1", "D2", "A1", "B1", "A2"}
    r, d1, d2 = rows["R"], rows["D1"], rows["D2"]
    assert (r["late"], r["days_late"]) == (["announcements", "package", "progress"], 70)
    assert r["checks"]["announcements"]["days_late"] == 14 and r["checks"]["progress"]["days_late"] == 6
    assert r["checks"]["quarter_rule"] == {"total": 1, "ok": 1, "late": 0, "days_late": 0, "minutes_over": 0, "not_recorded": 0}
    assert (d1["late"], d1["days_late"]) == (["coverage", "announcements"], 31)
    assert d1["checks"]["coverage"] == {"total": 2, "ok": 1, "late": 1, "days_late": 31, "planned": 2, "held": 1, "missing": 1}
    assert d1["checks"]["package"]["ok"] == 1 and d1["checks"]["progress"]["ok"] == 1
    assert (d2["days_late"], d2["checks"]["package"]["days_late"]) == (83, 83)
    assert all(rows[k]["late"] == ["progress"] and rows[k]["days_late"] == 6 for k in ("A1", "B1", "A2"))
    assert [x["organiser_id"] for x in body["organisers"]][:3] == ["D2", "R", "D1"]  # worst first
    assert body["late_organisers"] == 6 and body["totals"]["package"] == {"total": 3, "ok": 1, "late": 2}

    d1_user = await _cookie(engine, "d1", "secretary", unit="D1")
    scoped = await (await client.get(f"/api/v1/compliance?year=2026&quarter=1&today={TODAY}", headers=d1_user)).json()
    assert {x["organiser_id"] for x in scoped["organisers"]} == {"D1", "A1", "B1"}
    csv = await client.get(f"/api/v1/compliance.csv?year=2026&quarter=1&today={TODAY}&lang=kk", headers=admin)
    text = await csv.text()
    assert csv.status == 200 and text.startswith("\ufeffҰйымдастырушы") and len(text.strip().splitlines()) == 7
    xlsx = await client.get(f"/api/v1/compliance.xlsx?year=2026&quarter=1&today={TODAY}&lang=ru", headers=admin)
    ws = load_workbook(io.BytesIO(await xlsx.read())).active
    assert ws.cell(1, 1).value == "Организатор" and ws.max_row == 7
    assert [c.value for c in ws[2]][-1] == 83


async def test_the_national_summary_in_the_shape_of_the_review(client):
    engine = client.app[SERVICES].engine
    await build(engine)
    await _ministry(engine)
    admin = client.people.auth("admin")
    body = await (await client.get("/api/v1/national-summary.json?year=2026", headers=admin)).json()
    assert (body["rollup"]["total"]["problems"], body["rollup"]["total"]["resolved"], body["rollup"]["total"]["resolved_pct"]) == (11, 5, 45.5)
    assert body["central"]["total"]["count"] == 3
    assert body["ministers"] == {"bodies": 1, "receptions": 1, "citizens": 12, "problems": 1, "resolved": 1,
                                 "meetings_scheduled": 2, "meetings_held": 1}
    unpublished = {e["organiser_id"] for e in body["not_published"]}
    assert unpublished == {"R", "D1", "D2", "A1", "B1", "A2", "mz"}  # no held meeting's round was published (the ministry's neither)
    for lang, word, region in (("ru", "Проведено встреч", "Акжайлауская область"), ("kk", "Өткізілген кездесулер", "Акжайлауская область (kk)")):
        docx = await client.get(f"/api/v1/national-summary.docx?year=2026&lang={lang}", headers=admin)
        assert docx.status == 200
        doc = Document(io.BytesIO(await docx.read()))
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        assert word in cells and region in cells and "11" in cells
        xlsx = await client.get(f"/api/v1/national-summary.xlsx?year=2026&lang={lang}", headers=admin)
        wb = load_workbook(io.BytesIO(await xlsx.read()))
        assert len(wb.sheetnames) == 4
    d1 = await _cookie(engine, "d1", "admin", unit="D1")
    assert (await client.get("/api/v1/national-summary.json?year=2026", headers=d1)).status == 403
    async with engine.connect() as conn:
        assert await conn.scalar(sa.text("SELECT COUNT(*) FROM meetings")) == 9


async def test_the_quarterly_progress_report_of_a_unit_own_and_consolidated(client):
    engine = client.app[SERVICES].engine
    h = await build(engine)
    admin = client.people.auth("admin")
    own = await (await client.get("/api/v1/rollup/quarterly.json?unit=D1&year=2026&quarter=2", headers=admin)).json()
    assert own["meeting_ids"] == [h.meetings["M_D1"], h.meetings["M_D1b"]] and own["consolidated"] is False
    whole = await (await client.get("/api/v1/rollup/quarterly.json?unit=D1&year=2026&quarter=2&consolidated=1", headers=admin)).json()
    assert whole["meeting_ids"] == [h.meetings["M_D1"], h.meetings["M_A1"], h.meetings["M_D1b"]]
    for fmt in ("docx", "xlsx"):
        resp = await client.get(f"/api/v1/rollup/quarterly.{fmt}?unit=R&year=2026&quarter=3&consolidated=1&lang=kk", headers=admin)
        assert resp.status == 200 and len(await resp.read()) > 1000
    d1 = await _cookie(engine, "d1", "secretary", unit="D1")
    assert (await client.get("/api/v1/rollup/quarterly.json?year=2026&quarter=2", headers=d1)).status == 200  # its own unit by default
    assert (await client.get("/api/v1/rollup/quarterly.json?unit=D2&year=2026&quarter=2", headers=d1)).status == 404
    assert (await client.get("/api/v1/rollup/quarterly.json?unit=B1&year=2026&quarter=1", headers=admin)).status == 404  # no meeting yet
