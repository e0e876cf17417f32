"""A national year on PostgreSQL: load it, then time the dashboards, the central list, the monitor, the summary.

Generates (seeded, reproducible) 20 regions, 220 districts, ~2,300 rural districts with their
closure rows and akimats, 17 central bodies; the calendars' visits (each district akim in each
rural district every quarter, each region akim in each district every half-year); 28,300
meetings (announced mostly on time, ended, the presentation's length, a round each, most
published within 10 days); 63,000 accepted problems with categories, executors, funding and a
status history of 1–3 entries; 62 on the central-level list with an analysis; progress reports;
and ``--comments`` comments (default 1,000,000) — everything with COPY through asyncpg.

Then times, over ``--repeat`` runs (p50 / p95): the national and a regional dashboard (random
region each run), a district's, the central list (national), the compliance monitor (national and
regional, one quarter), and the national summary's build (figures, DOCX and XLSX). Every SQL
statement is timed through SQLAlchemy's cursor events; the slowest statements get an
``EXPLAIN (ANALYZE, BUFFERS)``. The 10 M-comment load is projected from the measured COPY rate.

    TYNDAU_TEST_POSTGRES_URL=postgresql+asyncpg://tyndau:tyndau@127.0.0.1:55432/postgres \\
        .venv/bin/python benchmarks/bench_national.py [--comments 1000000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
from scratch_postgres import scratch_database
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tyndau.reports.national_export import summary_docx, summary_xlsx
from tyndau.rollup.central_list import summary as central_summary
from tyndau.rollup.compliance import monitor
from tyndau.rollup.dashboard import rollup
from tyndau.rollup.summary import collect_summary
from tyndau.store.central import list_items
from tyndau.store.compliance_data import quarter_facts
from tyndau.store.migrate import upgrade
from tyndau.store.rollup import Period

YEAR = 2026
NOW = datetime(2026, 12, 1, 6, 0)
CATEGORIES = ("roads", "water", "heating", "gas", "schools", "health", "transport", "lighting", "housing", "land", "social", "other")
STATUSES = (("resolved", 0.755), ("in_progress", 0.12), ("next_year_budget", 0.04), ("budget_revision", 0.03),
            ("no_design_documents", 0.03), ("not_supported", 0.025))
ANALYSES = ("no_design_documents",) * 10 + ("funded_republican",) * 5 + ("budget_revision",) * 13 + ("being_executed",) * 14 + \
    ("not_supported_local",) * 18 + ("executed",) * 2


def _status(rng: random.Random) -> str:
    x, acc = rng.random(), 0.0
    for name, share in STATUSES:
        acc += share
        if x < acc:
            return name
    return "resolved"


class Loader:
    """Writes the simulated year with COPY; keeps the ids it made for the next tables."""

    def __init__(self, conn: asyncpg.Connection, rng: random.Random) -> None:
        self.conn, self.rng = conn, rng
        self.regions: list[str] = []
        self.districts: list[tuple[str, str]] = []  # (id, region)
        self.rurals: list[tuple[str, str]] = []  # (id, district)
        self.bodies: list[str] = []
        self.meetings: list[tuple[int, str, datetime]] = []
        self.timings: dict[str, float] = {}

    async def copy(self, table: str, columns: list[str], records: list[tuple[Any, ...]]) -> None:
        """COPY rows into a table, timing it under the table's name."""
        t = time.perf_counter()
        for i in range(0, len(records), 100_000):
            await self.conn.copy_records_to_table(table, columns=columns, records=records[i:i + 100_000])
        self.timings[table] = self.timings.get(table, 0.0) + time.perf_counter() - t

    async def units(self, regions: int, districts: int, rurals: int) -> None:
        """The tree, its closure and every akimat."""
        units, paths, orgs = [], [], []
        for r in range(regions):
            rid = f"{10 + r:02d}0000000"
            self.regions.append(rid)
            units.append((rid, "region", f"Область {r}", f"Облыс {r}", None, rid))
            orgs.append((rid, "akimat", rid, "region", f"Акимат: Область {r}", f"Әкімдік: Облыс {r}"))
            paths.append((rid, rid, 0))
            for d in range(districts):
                did = f"{10 + r:02d}{10 + d:02d}00000"
                self.districts.append((did, rid))
                units.append((did, "district", f"Район {r}.{d}", f"Аудан {r}.{d}", rid, did))
                orgs.append((did, "akimat", did, "district", f"Акимат: Район {r}.{d}", f"Әкімдік: Аудан {r}.{d}"))
                paths += [(did, did, 0), (rid, did, 1)]
                for x in range(rurals + self.rng.randint(-2, 2)):
                    xid = f"{10 + r:02d}{10 + d:02d}{10 + x:02d}000"
                    self.rurals.append((xid, did))
                    units.append((xid, "rural_district", f"Округ {r}.{d}.{x}", f"Округ {r}.{d}.{x}", did, xid))
                    orgs.append((xid, "akimat", xid, "rural_district", f"Акимат: Округ {r}.{d}.{x}", f"Әкімдік: Округ {r}.{d}.{x}"))
                    paths += [(xid, xid, 0), (did, xid, 1), (rid, xid, 2)]
        for b in range(17):
            self.bodies.append(f"ministry-{b}")
            orgs.append((f"ministry-{b}", "central_body", None, "central", f"Министерство {b}", f"Министрлік {b}"))
        now = NOW
        await self.copy("admin_units", ["id", "kind", "name_ru", "name_kk", "parent_id", "kato", "source", "created_at", "updated_at"],
                        [(*u, "bench", now, now) for u in units])
        await self.copy("admin_unit_paths", ["ancestor_id", "unit_id", "depth"], paths)
        await self.copy("organisers", ["id", "kind", "unit_id", "level", "name_ru", "name_kk", "exempt", "created_at"],
                        [(*o, False, now) for o in orgs])

    async def calendars(self) -> None:
        """A calendar per region and district akimat and per ministry, with its visits planned."""
        cals, visits = [], []
        owners = [(r, "half") for r in self.regions] + [(d, "quarter") for d, _ in self.districts] + [(b, "quarter") for b in self.bodies]
        by_district: dict[str, list[str]] = {}
        for x, d in self.rurals:
            by_district.setdefault(d, []).append(x)
        by_region: dict[str, list[str]] = {}
        for d, r in self.districts:
            by_region.setdefault(r, []).append(d)
        vid = 0
        for cid, (owner, every) in enumerate(owners, start=1):
            cals.append((cid, owner, YEAR, NOW))
            targets = by_region.get(owner) or by_district.get(owner) or [None]
            periods = [(1, 6), (7, 12)] if every == "half" else [(1, 3), (4, 6), (7, 9), (10, 12)]
            for target in targets:
                for first, last in periods:
                    vid += 1
                    day = date(YEAR, self.rng.randint(first, last), self.rng.randint(1, 28))
                    visits.append((vid, cid, f"v{vid}", owner, day, target, "", "planned", NOW))
        await self.copy("calendars", ["id", "organiser_id", "year", "created_at"], cals)
        await self.copy("calendar_visits", ["id", "calendar_id", "visit_key", "organiser_id", "planned_on", "place_unit_id", "note",
                                            "status", "updated_at"], visits)

    async def meetings_and_rounds(self, n: int, ministers: int) -> None:
        """Meetings (rural akims most, districts, regions), a round each, receptions for ministers' meetings."""
        organisers = [(x, "rural_district") for x, _ in self.rurals] * 7 + [(d, "district") for d, _ in self.districts] * 25 + \
            [(r, "region") for r in self.regions] * 70
        rows, rounds, receptions = [], [], []
        for i in range(1, n + 1):
            if i <= ministers:
                owner, level = self.rng.choice(self.bodies), "central"
            else:
                owner, level = self.rng.choice(organisers)
            start = datetime(YEAR, 1, 1, 4) + timedelta(days=self.rng.randrange(334), hours=self.rng.randrange(8))
            notice = 14 if level in ("region", "district", "central") else 7
            announced = start - timedelta(days=notice + self.rng.randint(-3, 10)) if self.rng.random() > 0.02 else None
            planned = self.rng.choice((60, 90, 120))
            ended = start + timedelta(minutes=planned) if self.rng.random() > 0.01 else None
            presentation = planned * 60 * (0.15 + 0.13 * self.rng.random()) if ended else None
            x = self.rng.random()
            published = None if ended is None or x < 0.03 else ended + timedelta(days=self.rng.randint(1, 9) if x > 0.1 else self.rng.randint(11, 30))
            rounds.append((i, owner, f"Раунд {i}", published, NOW, NOW))
            rows.append((i, f"Встреча {i}", "", level, "", start, planned, announced, "[]", "", "", NOW, NOW, owner,
                         None if level == "central" else owner, i, ended, presentation))
            self.meetings.append((i, owner, start))
            if level == "central":
                receptions.append((i, i, i, start + timedelta(hours=3), start + timedelta(hours=5), "", self.rng.randint(3, 12), False, 1, NOW, NOW))
        await self.copy("rounds", ["id", "organiser_id", "title", "published_at", "created_at", "updated_at"], rounds)
        await self.copy("meetings", ["id", "title", "title_kk", "akim_level", "place", "starts_at", "planned_minutes", "announced_at",
                                     "stream_links", "presenter_message", "akim_name", "created_at", "updated_at", "organiser_id",
                                     "place_unit_id", "round_id", "ended_at", "presentation_seconds"], rows)
        await self.copy("receptions", ["id", "round_id", "meeting_id", "starts_at", "ended_at", "place", "citizens_received", "cancelled",
                                       "version", "created_at", "updated_at"], receptions)

    async def problems(self, n: int, central: int) -> None:
        """Accepted problems with a status history of 1–3 entries; ``central`` of them on the list with an analysis."""
        executors = [f"Управление {k}" for k in range(40)]
        rows, log, items = [], [], []
        lid = 0
        central_ids = set(self.rng.sample(range(1, n + 1), central))
        analyses = list(ANALYSES) + ["pending"] * max(0, central - len(ANALYSES))
        for pid in range(1, n + 1):
            mid, owner, start = self.rng.choice(self.meetings)
            status = _status(self.rng)
            need = self.rng.randint(1, 500) * 1_000_000 if self.rng.random() < 0.4 else None
            allocated = int(need * self.rng.random()) if need and self.rng.random() < 0.7 else None
            on_list = pid in central_ids
            rows.append((pid, mid, "human", f"Проблема {pid}", "", self.rng.choice(CATEGORIES), "", "[]", self.rng.choice(executors),
                         "central" if on_list else "local", need, allocated, "local" if need else None, status, "", "",
                         on_list, True, 1, start, start))
            history = ["in_progress"] * self.rng.randint(0, 2) + [status]
            for k, s in enumerate(history):
                lid += 1
                log.append((lid, pid, s, start + timedelta(days=10 * (k + 1))))
            if on_list:
                items.append((pid, analyses.pop(), need, "", self.rng.choice(self.bodies), self.rng.random() < 0.1, 1, NOW, "bench"))
        await self.copy("problems", ["id", "meeting_id", "origin", "title_ru", "title_kk", "category", "place", "human_fields", "executor",
                                     "competence", "funding_need", "funding_allocated", "funding_source", "status", "measures", "notes",
                                     "central_list", "accepted", "version", "created_at", "updated_at"], rows)
        await self.copy("problem_status_log", ["id", "problem_id", "status", "at"], log)
        await self.copy("central_items", ["problem_id", "analysis", "amount", "proposal", "body_id", "selected", "version", "updated_at",
                                          "updated_by"], items)

    async def progress(self) -> None:
        """90 % of akimats hand in each past quarter's progress report, a few late."""
        rows = []
        owners = self.regions + [d for d, _ in self.districts] + [x for x, _ in self.rurals]
        rid = 0
        for quarter in (1, 2, 3):
            due = date(YEAR, 3 * quarter + 1, 25)
            for owner in owners:
                if self.rng.random() < 0.9:
                    rid += 1
                    day = due + timedelta(days=self.rng.randint(-10, 4))
                    rows.append((rid, owner, YEAR, quarter, datetime.combine(day, datetime.min.time()), "bench"))
        await self.copy("progress_reports", ["id", "organiser_id", "year", "quarter", "submitted_at", "actor"], rows)

    async def comments(self, n: int) -> float:
        """``n`` comments spread over the meetings; returns the seconds the COPY took."""
        cols = ["meeting_id", "source", "dedup_key", "external_id", "author", "text", "created_at", "received_at", "kind", "extra", "flags",
                "throttled", "hidden", "needs_review", "version"]
        total = 0.0
        batch = 200_000
        words = ("дорога", "свет", "вода", "школа", "автобус", "газ", "мост", "больница")
        for start in range(0, n, batch):
            records = []
            for i in range(start, min(n, start + batch)):
                mid, _, when = self.meetings[i % len(self.meetings)]
                records.append((mid, "youtube", f"c{i}", f"c{i}", f"Житель {i % 9973}", f"Вопрос про {words[i % 8]} № {i}", when, when,
                                "text", "{}", "[]", False, False, False, 1))
            t = time.perf_counter()
            await self.conn.copy_records_to_table("comments", columns=cols, records=records)
            total += time.perf_counter() - t
        self.timings["comments"] = total
        return total

    async def sequences(self) -> None:
        """Move the serial sequences past the ids written."""
        for table in ("meetings", "rounds", "receptions", "problems", "problem_status_log", "calendars", "calendar_visits", "progress_reports"):
            await self.conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")


class Statements:
    """Times every SQL statement an engine runs (SQLAlchemy cursor events), to find the slow ones."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.seen: dict[str, tuple[float, Any]] = {}
        sync = engine.sync_engine
        event.listen(sync, "before_cursor_execute", self._before)
        event.listen(sync, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        conn.info["bench_t"] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        took = time.perf_counter() - conn.info.pop("bench_t", time.perf_counter())
        if statement.lstrip().upper().startswith("SELECT") and took > self.seen.get(statement, (0.0, None))[0]:
            self.seen[statement] = (took, parameters)

    def slowest(self, k: int) -> list[tuple[float, str, Any]]:
        """The ``k`` slowest distinct statements seen (their slowest run)."""
        return sorted(((t, s, p) for s, (t, p) in self.seen.items()), key=lambda x: x[0], reverse=True)[:k]


async def timed(label: str, repeat: int, run: Callable[[], Awaitable[Any]], results: dict[str, list[float]]) -> None:
    """Run ``run`` ``repeat`` times, keeping each duration under ``label``."""
    for _ in range(repeat):
        t = time.perf_counter()
        await run()
        results.setdefault(label, []).append(time.perf_counter() - t)


def p(values: list[float], q: float) -> float:
    """A percentile by the nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def measure(engine: AsyncEngine, loader: Loader, repeat: int) -> dict[str, list[float]]:
    """The timed operations."""
    rng = random.Random(11)
    year = Period(date(YEAR, 1, 1), date(YEAR, 12, 31))
    results: dict[str, list[float]] = {}

    async def with_conn(fn: Callable[[Any], Awaitable[Any]]) -> Any:
        async with engine.connect() as conn:
            return await fn(conn)

    await timed("national dashboard (year)", repeat, lambda: with_conn(lambda c: rollup(c, None, year)), results)
    await timed("regional dashboard (year)", repeat, lambda: with_conn(lambda c: rollup(c, rng.choice(loader.regions), year)), results)
    await timed("district dashboard (year)", repeat, lambda: with_conn(lambda c: rollup(c, rng.choice(loader.districts)[0], year)), results)

    async def central(c: Any) -> Any:
        return central_summary(await list_items(c, period=year))

    await timed("central list (national)", repeat, lambda: with_conn(central), results)

    async def compliance(c: Any, unit: str | None) -> Any:
        return monitor(await quarter_facts(c, YEAR, 3, unit_id=unit), date(2026, 12, 1))

    await timed("compliance monitor (national, Q3)", repeat, lambda: with_conn(lambda c: compliance(c, None)), results)
    await timed("compliance monitor (regional, Q3)", repeat, lambda: with_conn(lambda c: compliance(c, rng.choice(loader.regions))), results)

    async def summary(c: Any) -> Any:
        s = await collect_summary(c, YEAR, datetime(2026, 12, 1, 6, tzinfo=UTC))
        await asyncio.to_thread(summary_docx, s, "ru")
        await asyncio.to_thread(summary_xlsx, s, "kk")

    await timed("national summary (figures + DOCX + XLSX)", max(3, repeat // 5), lambda: with_conn(summary), results)
    return results


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regions", type=int, default=20)
    parser.add_argument("--districts", type=int, default=11)
    parser.add_argument("--rurals", type=int, default=10, help="rural districts per district (±2)")
    parser.add_argument("--meetings", type=int, default=28_300)
    parser.add_argument("--ministers", type=int, default=227, help="of the meetings, held by central bodies")
    parser.add_argument("--problems", type=int, default=63_000)
    parser.add_argument("--central", type=int, default=62)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the database (prints its name)")
    args = parser.parse_args()
    url, drop = await scratch_database("tyndau_national")
    name = url.database
    engine = create_async_engine(url.render_as_string(hide_password=False), pool_size=2)
    try:
        await upgrade(engine)
        raw = await asyncpg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))
        loader = Loader(raw, random.Random(42))
        t0 = time.perf_counter()
        await loader.units(args.regions, args.districts, args.rurals)
        await loader.calendars()
        await loader.meetings_and_rounds(args.meetings, args.ministers)
        await loader.problems(args.problems, args.central)
        await loader.progress()
        await loader.sequences()
        year_s = time.perf_counter() - t0
        comments_s = await loader.comments(args.comments)
        t1 = time.perf_counter()
        await raw.execute("ANALYZE")
        analyze_s = time.perf_counter() - t1
        counts = {t: await raw.fetchval(f"SELECT COUNT(*) FROM {t}") for t in (
            "admin_units", "admin_unit_paths", "organisers", "calendar_visits", "meetings", "rounds", "problems", "problem_status_log",
            "central_items", "progress_reports", "comments")}
        await raw.close()
        print(f"PostgreSQL database {name}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        rate = args.comments / comments_s if comments_s else 0.0
        print(f"load: the year without comments {year_s:.1f} s ({', '.join(f'{k} {v:.1f} s' for k, v in loader.timings.items() if k != 'comments')})")
        print(f"load: {args.comments:,} comments by COPY in {comments_s:.1f} s = {rate:,.0f} rows/s; 10,000,000 projected: "
              f"{10_000_000 / rate / 60:.1f} min" if rate else "load: no comments")
        print(f"ANALYZE {analyze_s:.1f} s\n")
        statements = Statements(engine)
        results = await measure(engine, loader, args.repeat)
        print(f"{'operation':44} {'runs':>5} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")
        for label, values in results.items():
            print(f"{label:44} {len(values):5d} {statistics.median(values) * 1000:9.1f} {p(values, 0.95) * 1000:9.1f} {max(values) * 1000:9.1f}")
        async with engine.connect() as conn:
            for took, statement, params in statements.slowest(2):
                plan = (await conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)).all()
                print(f"\nslowest statement ({took * 1000:.1f} ms):\n{statement.strip()[:1200]}\nparameters: {json.dumps(params, default=str)[:300]}")
                for row in plan:
                    print("   ", row[0])
    finally:
        await engine.dispose()
        if not args.keep:
            await drop()


if __name__ == "__main__":
    asyncio.run(main())
