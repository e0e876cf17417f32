"""The labeller's sweep on a big store: its two queries over every comment of a deployment.

With several processes the labeller sweeps the store every 30 s for what the event channel may
have missed: comments still unlabelled (``unlabelled_ids``) and comments a person confirmed that
it had held back from the drafts (``confirmed_unclustered_ids``). Neither has an index of its own,
so each is a scan; this loads ``--comments`` labelled comments (100 meetings, ``--reviewed`` of
them reviewed, ``--clustered`` of them in a cluster) with PostgreSQL's COPY into a fresh database
(``TYNDAU_TEST_POSTGRES_URL``, dropped afterwards) and prints each query's best and median time.

    .venv/bin/python benchmarks/bench_sweep.py [--comments 1000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
from datetime import datetime

import sqlalchemy as sa
from scratch_postgres import dsn, scratch_database
from sqlalchemy.ext.asyncio import create_async_engine

from tyndau.live.labeller import SKIP_KINDS
from tyndau.store import labels as label_rows
from tyndau.store.migrate import upgrade

LABELS = {"lang": "ru", "is_problem": True, "problem_probability": 0.93, "problem_confidence": 0.9, "category": "utilities",
          "category_confidence": 0.8, "runner_up": "roads_transport", "needs_review": False, "unsure_problem": False,
          "places": [{"kind": "settlement", "name": "Іргелі", "key": "settlement:иргели"}], "subtopics": ["no_water"], "errors": {}}
COLUMNS = ["id", "meeting_id", "source", "dedup_key", "author", "text", "created_at", "received_at", "kind", "extra", "flags",
           "throttled", "hidden", "labels", "is_problem", "category", "cluster_id", "reviewed_at", "version"]


async def load(address: str, n: int, reviewed: float, clustered: float) -> float:
    import asyncpg

    conn = await asyncpg.connect(address)
    now = datetime(2026, 12, 1)
    try:
        for m in range(1, 101):
            await conn.execute("INSERT INTO meetings (id, title, akim_level, place, starts_at, planned_minutes, stream_links,"
                               " presenter_message, created_at, updated_at) VALUES ($1, 'm', 'district', 'p', $2, 120, '[]', '', $2, $2)", m, now)
        rng, labels, text = random.Random(1), json.dumps(LABELS, ensure_ascii=False), "В селе Иргели нет воды уже неделю, когда дадут? " * 3
        start, batch = time.perf_counter(), []
        for i in range(1, n + 1):
            batch.append((i, 1 + i % 100, "youtube", f"k{i}", "author", text, now, now, "text", "{}", "[]", False, False, labels, True,
                          "utilities", i if rng.random() < clustered else None, now if rng.random() < reviewed else None, 1))
            if len(batch) == 20_000 or i == n:
                await conn.copy_records_to_table("comments", records=batch, columns=COLUMNS)
                batch = []
        await conn.execute("ANALYZE comments")
        return time.perf_counter() - start
    finally:
        await conn.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--reviewed", type=float, default=0.05, help="share of comments a person reviewed")
    parser.add_argument("--clustered", type=float, default=0.6, help="share of comments in a cluster")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url, drop = await scratch_database()
    engine = create_async_engine(url.render_as_string(hide_password=False))
    try:
        await upgrade(engine)
        seconds = await load(dsn(url), args.comments, args.reviewed, args.clustered)
        async with engine.connect() as conn:
            size = await conn.scalar(sa.text("SELECT pg_size_pretty(pg_total_relation_size('comments'))"))
            print(f"{args.comments:,} comments ({args.reviewed:.0%} reviewed, {args.clustered:.0%} clustered) loaded in {seconds:.0f} s; "
                  f"comments table {size}")
            queries = {"unlabelled_ids": lambda: label_rows.unlabelled_ids(conn, SKIP_KINDS),
                       "confirmed_unclustered_ids": lambda: label_rows.confirmed_unclustered_ids(conn, SKIP_KINDS)}
            for label, query in queries.items():
                times = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    found = await query()
                    times.append(time.perf_counter() - start)
                print(f"{label:28s} {len(found):6d} ids   best {min(times) * 1000:6.0f} ms   median {statistics.median(times) * 1000:6.0f} ms")
    finally:
        await engine.dispose()
        await drop()


if __name__ == "__main__":
    asyncio.run(main())
