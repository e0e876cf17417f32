"""Scope queries at national scale: "a unit and everything below it" through the closure table.

Builds a simulated national tree (20 regions, 220 districts, ~2,300 rural districts — issue 15's
figures) through the same ``merge_units``/``apply_merge`` path an import takes, and
28,300 meetings of a year placed in the villages, then times (p50/p95 over ``--repeat`` runs):

- meetings within one region, and within one district, in a year (a count through ``within``);
- the roll-up of a region's meetings per district (one join on ``admin_unit_paths``, grouped);
- one district akimat's coverage records (``coverage_data.meeting_records``);

and prints the query plans. SQLite by default; ``--postgres`` uses ``TYNDAU_TEST_POSTGRES_URL``
(a fresh database, dropped afterwards).

    .venv/bin/python benchmarks/bench_scopes.py
    .venv/bin/python benchmarks/bench_scopes.py --postgres --repeat 50
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tyndau.domain.unit_changes import merge_units
from tyndau.domain.units import AdminUnit
from tyndau.store.coverage_data import almaty_day_bounds, meeting_records
from tyndau.store.migrate import upgrade
from tyndau.store.organisers import ensure_akimat
from tyndau.store.planning_schema import admin_unit_paths, admin_units
from tyndau.store.schema import meetings
from tyndau.store.units import apply_merge, load_tree, within

YEAR = 2026
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def national_tree(regions: int, districts: int, rurals: int, rng: random.Random) -> list[AdminUnit]:
    """Regions → districts → rural districts, with KATO-like codes."""
    out: list[AdminUnit] = []
    for r in range(regions):
        rid = f"{10 + r:02d}0000000"
        out.append(AdminUnit(rid, "region", f"Область {r}", f"Облыс {r}", None, rid))
        for d in range(districts):
            did = f"{10 + r:02d}{10 + d:02d}00000"
            out.append(AdminUnit(did, "district", f"Район {r}.{d}", f"Аудан {r}.{d}", rid, did))
            for x in range(rurals + rng.randint(-2, 2)):
                xid = f"{10 + r:02d}{10 + d:02d}{10 + x:02d}000"
                out.append(AdminUnit(xid, "rural_district", f"Округ {x}", f"Округ {x}", did, xid))
    return out


async def load(engine: AsyncEngine, units: list[AdminUnit], n_meetings: int, rng: random.Random) -> tuple[float, float]:
    """Write the units (closure included) and the meetings; returns both times in seconds."""
    t0 = time.perf_counter()
    async with engine.begin() as conn:
        await apply_merge(conn, merge_units((), units), "bench", NOW)
        tree = await load_tree(conn)
        for d in (u for u in units if u.kind == "district"):
            await ensure_akimat(conn, tree.get(d.id), NOW)
    t1 = time.perf_counter()
    villages = [u for u in units if u.kind == "rural_district"]
    stamp = NOW.replace(tzinfo=None)
    rows = []
    for i in range(n_meetings):
        v = rng.choice(villages)
        start = datetime(YEAR, 1, 1, 5) + timedelta(days=rng.randrange(365))
        rows.append({"title": f"Встреча {i}", "title_kk": "", "akim_level": "district", "place": v.name_ru, "starts_at": start,
                     "planned_minutes": 90, "stream_links": [], "presenter_message": "", "akim_name": "", "created_at": stamp,
                     "updated_at": stamp, "organiser_id": tree.ancestors(v.id)[0].id, "place_unit_id": v.id,
                     "ended_at": start + timedelta(minutes=90)})
    async with engine.begin() as conn:
        for i in range(0, len(rows), 2000):
            await conn.execute(meetings.insert(), rows[i:i + 2000])
    return t1 - t0, time.perf_counter() - t1


def queries(region: str, district: str) -> dict[str, sa.Select[Any]]:
    """The measured statements."""
    start, end = almaty_day_bounds(date(YEAR, 1, 1), date(YEAR, 12, 31))
    in_year = sa.and_(meetings.c.starts_at >= start, meetings.c.starts_at < end)
    children = sa.select(admin_units.c.id).where(admin_units.c.parent_id == region)
    rollup = (sa.select(admin_unit_paths.c.ancestor_id, sa.func.count())
              .select_from(meetings.join(admin_unit_paths, admin_unit_paths.c.unit_id == meetings.c.place_unit_id))
              .where(admin_unit_paths.c.ancestor_id.in_(children), in_year).group_by(admin_unit_paths.c.ancestor_id))
    return {
        "region: meetings of the year": sa.select(sa.func.count()).select_from(meetings).where(within(meetings.c.place_unit_id, region), in_year),
        "district: meetings of the year": sa.select(sa.func.count()).select_from(meetings).where(within(meetings.c.place_unit_id, district), in_year),
        "region: roll-up per district": rollup,
        "district: units in scope": sa.select(sa.func.count()).select_from(admin_units).where(within(admin_units.c.id, district)),
    }


async def measure(engine: AsyncEngine, units: list[AdminUnit], repeat: int) -> None:
    regions = [u.id for u in units if u.kind == "region"]
    districts = [u.id for u in units if u.kind == "district"]
    rng = random.Random(7)
    timings: dict[str, list[float]] = {}
    async with engine.connect() as conn:
        for _ in range(repeat):
            for name, query in queries(rng.choice(regions), rng.choice(districts)).items():
                t = time.perf_counter()
                (await conn.execute(query)).all()
                timings.setdefault(name, []).append(time.perf_counter() - t)
            t = time.perf_counter()
            await meeting_records(conn, rng.choice(districts), date(YEAR, 1, 1), date(YEAR, 12, 31))
            timings.setdefault("akimat: coverage records of the year", []).append(time.perf_counter() - t)
        print(f"{'query':40} {'p50 ms':>8} {'p95 ms':>8}")
        for name, values in timings.items():
            values.sort()
            p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
            print(f"{name:40} {statistics.median(values) * 1000:8.2f} {p95 * 1000:8.2f}")
        sample = queries(regions[0], districts[0])
        for name in ("region: meetings of the year", "region: roll-up per district"):
            compiled = str(sample[name].compile(engine.sync_engine, compile_kwargs={"literal_binds": True}))
            prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
            plan = (await conn.exec_driver_sql(prefix + compiled)).all()
            print(f"\nplan of {name!r}:")
            for row in plan:
                print("  ", row[-1] if engine.dialect.name == "sqlite" else row[0])


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regions", type=int, default=20)
    parser.add_argument("--districts", type=int, default=11)
    parser.add_argument("--rurals", type=int, default=10, help="rural districts per district (±2)")
    parser.add_argument("--meetings", type=int, default=28_300)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--postgres", action="store_true", help="use TYNDAU_TEST_POSTGRES_URL (a fresh database)")
    args = parser.parse_args()
    rng = random.Random(42)
    units = national_tree(args.regions, args.districts, args.rurals, rng)
    kinds = {k: sum(1 for u in units if u.kind == k) for k in ("region", "district", "rural_district")}
    drop = None
    if args.postgres:
        from scratch_postgres import scratch_database

        scratch, drop = await scratch_database()
        url = scratch.render_as_string(hide_password=False)
    else:
        url = f"sqlite+aiosqlite:///{tempfile.mkdtemp(prefix='tyndau-bench-')}/store.sqlite"
    engine = create_async_engine(url)
    try:
        await upgrade(engine)
        units_s, meetings_s = await load(engine, units, args.meetings, rng)
        async with engine.connect() as conn:
            paths = await conn.scalar(sa.select(sa.func.count()).select_from(admin_unit_paths))
            if engine.dialect.name == "postgresql":
                await conn.exec_driver_sql("ANALYZE")
        print(f"{engine.dialect.name}: {kinds} = {len(units)} units, {paths} closure rows, {args.meetings} meetings")
        print(f"load: units and closure {units_s:.1f} s, meetings {meetings_s:.1f} s\n")
        await measure(engine, units, args.repeat)
    finally:
        await engine.dispose()
        if drop is not None:
            await drop()


if __name__ == "__main__":
    asyncio.run(main())
