"""The demo's planning side: a district's year whose matrix flags a rural district without a meeting in a
quarter that has ended, a reception whose questions joined the problem list, a ministry, and a round for
the existing demo meeting — all built through the server's own store and actions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.conftest import MEETING, create_meeting
from tyndau.operator_ui.keys import SERVICES
from tyndau.planner.calendar_view import load_calendar
from tyndau.planner.demo import DISTRICT, KYZYLZHAR_VILLAGE, MINISTRY, demo_year, seed_demo_round, seed_planning
from tyndau.planner.round_view import load_round

NOW = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)
KYZYLZHAR = "991639000"


def test_the_demo_year_always_has_a_quarter_behind_it():
    assert demo_year(date(2026, 12, 2)) == 2026 and demo_year(date(2027, 2, 10)) == 2026 and demo_year(date(2027, 4, 1)) == 2027


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_the_demo_district_year_flags_its_gap_and_has_a_reception_and_a_ministry(client):
    services = client.server.app[SERVICES]
    planning = await seed_planning(services, NOW)
    assert (planning.year, planning.district, planning.ministry) == (2026, DISTRICT, MINISTRY)
    async with services.engine.connect() as conn:
        bundle = await load_calendar(conn, DISTRICT, 2026)
        ministry = await load_calendar(conn, MINISTRY, 2026)
    assert bundle.state.status == "approved" and bundle.state.version == 2 and bundle.state.versions[1].reason.startswith("Паводок")
    matrix = bundle.matrix(date(2026, 12, 2))
    q3 = matrix.periods[2]
    assert matrix.cell(KYZYLZHAR, q3).status == "missing" and not matrix.cell(KYZYLZHAR, q3).period_open
    assert matrix.cell(KYZYLZHAR_VILLAGE, q3).overdue                       # it was planned and never held
    closed = [(r.target_id, c.period.key) for r in matrix.rows for c in r.cells if c.status == "missing" and not c.period_open]
    assert sorted(closed) == [(KYZYLZHAR, "2026-Q3"), (KYZYLZHAR_VILLAGE, "2026-Q3")]
    assert matrix.on_demand                                                 # the meeting on the population's demand
    assert ministry.organiser.level == "central" and len(ministry.state.visits) == 4
    assert [c.status for c in ministry.matrix(date(2026, 12, 2)).rows[0].cells] == ["held", "held", "held", "planned"]

    async with services.engine.connect() as conn:
        from tyndau.store.meetings import get_meeting

        meeting = await get_meeting(conn, planning.round_meeting)
        past = await load_round(conn, meeting.links.round_id)
    [reception] = past.receptions
    assert len(reception.reception.questions) == 3 and all(reception.comment_ids.values())
    clock = past.clock(NOW)
    assert clock.state == "running" and clock.anchor_id == f"r{reception.id}"
    resp = await client.get(f"/api/v1/meetings/{planning.round_meeting}/comments?source=reception", headers=client.people.auth("secretary"))
    assert len((await resp.json())["items"]) == 3

    again = await seed_planning(services, NOW)                              # a second start finds it all
    assert again.round_meeting is None
    async with services.engine.connect() as conn:
        assert len((await load_calendar(conn, DISTRICT, 2026)).meetings) == len(bundle.meetings)


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_the_demo_meeting_gets_a_round_with_a_reception_a_commission_and_an_audience(client):
    services = client.server.app[SERVICES]
    meeting = await create_meeting(client, **{**MEETING, "starts_at": "2026-12-02T15:00:00+05:00"})
    round_id = await seed_demo_round(services, meeting["id"])
    assert await seed_demo_round(services, meeting["id"]) == round_id
    async with services.engine.connect() as conn:
        bundle = await load_round(conn, round_id)
    assert [m.id for m in bundle.meetings] == [meeting["id"]] and len(bundle.receptions) == 1
    assert bundle.clock(NOW).state == "waiting"                              # the meeting and the reception are still ahead
    resp = await client.get(f"/api/v1/meetings/{meeting['id']}/report.json", headers=client.people.auth("secretary"))
    body = await resp.json()
    assert [c["role"] for c in body["commission"]][:2] == ["chair", "secretary"] and "name" not in body["commission"][0]
    assert {a["category"] for a in body["attendance"]} == {"maslikhat_deputy", "party", "ngo", "media"}
    assert len(body["receptions"]) == 1


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_the_demo_district_has_published_lists_so_the_roll_up_is_not_empty(client):
    from tyndau.rollup.dashboard import rollup
    from tyndau.store.problems import list_problems
    from tyndau.store.rollup import Period

    services = client.server.app[SERVICES]
    planning = await seed_planning(services, NOW)
    async with services.engine.connect() as conn:
        body = await rollup(conn, DISTRICT, Period(date(2026, 1, 1), date(2026, 12, 31)))
        bundle = await load_calendar(conn, DISTRICT, 2026)
        held = [m for m in bundle.meetings if m.held]
        listed = await list_problems(conn, [int(m.id) for m in held])
    total = body["total"]
    assert total["problems"] == 2 * len(held) and total["problems"] == len(listed)
    assert 0 < total["resolved"] < total["problems"]                    # some done, some still open
    assert all(p["accepted"] and p["executor"] and p["deadline"] and p["title_kk"] for p in listed)
    assert all("{" not in p["title_ru"] + p["title_kk"] for p in listed)
    assert sum(body["total"]["by_status"].values()) == total["problems"]
    again = await seed_planning(services, NOW)                              # a second start adds none
    async with services.engine.connect() as conn:
        assert (await rollup(conn, DISTRICT, Period(date(2026, 1, 1), date(2026, 12, 31))))["total"]["problems"] == total["problems"]
    assert again.district == planning.district
