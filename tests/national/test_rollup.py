"""The roll-up against a hand computation, on SQLite and PostgreSQL.

Counted for 2026 (accepted, not merged, meetings starting in 2026), from hierarchy.PROBLEMS:

    unit  problems  resolved  need  allocated  central   statuses
    R own     2        1       600     100        1      resolved, budget_revision
    D1 own    3        1       400      60        1      resolved, in_progress, no_design_documents
    A1        2        1        35      10        0      resolved, not_supported
    B1        1        0        70      35        0      in_progress
    D2 own    2        1       200     110        1      resolved, in_progress
    A2        1        1        15      15        0      resolved

so the region: 11 problems, 5 resolved (45.5 %), need 1320, allocated 330 (25.0 %), 3 central;
D1's subtree 6 / 2 (33.3 %) / 505 / 105 (20.8 %); D2's subtree 3 / 2 (66.7 %) / 215 / 125 (58.1 %).
Left out: a draft in M_D1, a merged problem in M_A1, M_D1old (2025) with 999 / 999.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.national.hierarchy import build
from tyndau.rollup.dashboard import rollup
from tyndau.store.engine import create_engine
from tyndau.store.migrate import upgrade
from tyndau.store.rollup import Period

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
async def engine(settings):
    eng = create_engine(settings)
    await upgrade(eng)
    try:
        yield eng
    finally:
        await eng.dispose()


def _units(body):
    return {u["unit_id"]: u for u in body["units"]}


async def test_the_region_rolls_up_its_districts_and_rural_districts(engine):
    await build(engine)
    async with engine.connect() as conn:
        body = await rollup(conn, "R", YEAR)
    t = body["total"]
    assert (t["problems"], t["resolved"], t["resolved_pct"]) == (11, 5, 45.5)
    assert (t["funding_need"], t["funding_allocated"], t["funding_pct"], t["central_list"]) == (1320, 330, 25.0, 3)
    assert t["by_status"] == {"resolved": 5, "in_progress": 3, "next_year_budget": 0, "budget_revision": 1,
                              "no_design_documents": 1, "not_supported": 1}
    units = _units(body)
    assert set(units) == {"D1", "D2", "R"} and units["R"]["own"] and not units["D1"]["own"]
    d1, d2, own = units["D1"], units["D2"], units["R"]
    assert (d1["problems"], d1["resolved"], d1["resolved_pct"], d1["funding_need"], d1["funding_allocated"], d1["funding_pct"]) == (6, 2, 33.3, 505, 105, 20.8)
    assert (d2["problems"], d2["resolved"], d2["resolved_pct"], d2["funding_need"], d2["funding_allocated"], d2["funding_pct"]) == (3, 2, 66.7, 215, 125, 58.1)
    assert (own["problems"], own["resolved"], own["funding_need"], own["funding_allocated"], own["central_list"]) == (2, 1, 600, 100, 1)
    # The parts add up to the whole: every meeting has exactly one unit.
    assert sum(u["problems"] for u in units.values()) == t["problems"]
    assert sum(u["funding_need"] for u in units.values()) == t["funding_need"]
    assert body["ranking"] == ["D2", "R", "D1"]
    assert body["meetings"] == {"planned": 7, "held": 6, "held_pct": 85.7}
    assert (d1["meetings_planned"], d1["meetings_held"], d2["meetings_planned"], d2["meetings_held"]) == (4, 3, 2, 2)
    categories = {c["key"]: c for c in body["categories"]}
    assert {k: (c["problems"], c["resolved"], c["funding_need"], c["funding_allocated"]) for k, c in categories.items()} == {
        "roads": (4, 3, 245, 220), "water": (4, 1, 690, 60), "schools": (3, 1, 385, 50)}
    assert categories["roads"]["resolved_pct"] == 75.0
    assert {q["key"]: (q["problems"], q["resolved"]) for q in body["quarters"]} == {"1": (6, 3), "2": (4, 2), "3": (1, 0)}
    assert {c["key"]: c["problems"] for c in body["competences"]} == {"local": 8, "central": 3}


async def test_a_district_sees_its_rural_districts_and_its_own_meetings(engine):
    await build(engine)
    async with engine.connect() as conn:
        body = await rollup(conn, "D1", YEAR)
    units = _units(body)
    assert {k: (u["problems"], u["resolved"], u["resolved_pct"], u["funding_need"], u["funding_allocated"], u["funding_pct"])
            for k, u in units.items()} == {
        "A1": (2, 1, 50.0, 35, 10, 28.6), "B1": (1, 0, 0.0, 70, 35, 50.0), "D1": (3, 1, 33.3, 400, 60, 15.0)}
    assert (body["total"]["problems"], body["total"]["resolved"], body["total"]["funding_need"]) == (6, 2, 505)
    assert {e["key"]: (e["problems"], e["resolved"]) for e in body["executors"]} == {
        "Отдел ЖКХ": (2, 1), "Отдел образования": (2, 0), "Аким с.о.": (2, 1)}
    assert body["meetings"] == {"planned": 4, "held": 3, "held_pct": 75.0}


async def test_the_period_and_the_nation(engine):
    await build(engine)
    async with engine.connect() as conn:
        q1 = await rollup(conn, "R", Period(date(2026, 1, 1), date(2026, 3, 31)))
        nation = await rollup(conn, None, YEAR)
        rural = await rollup(conn, "B1", YEAR)
        last_year = await rollup(conn, "D1", Period(date(2025, 1, 1), date(2025, 12, 31)))
    assert (q1["total"]["problems"], q1["total"]["resolved"], q1["total"]["funding_need"]) == (6, 3, 900)
    assert [u["unit_id"] for u in nation["units"]] == ["R"] and nation["total"]["problems"] == 11
    assert (rural["total"]["problems"], rural["units"][0]["own"]) == (1, True)
    assert (last_year["total"]["problems"], last_year["total"]["funding_need"]) == (1, 999)
