"""Re-clustering a meeting while secretaries have accepted (pinned) drafts.

    python benchmarks/bench_recluster.py [--comments 1500] [--pinned 0,20,100,200]
    python benchmarks/bench_recluster.py --memory [--sizes 2000,4000,8000]

The server re-clusters a meeting after every batch while it has up to ``recluster_max`` comments.
Accepting a draft pins its comments (as a merge does), and each re-clustering asks which machine
clusters join which pinned ones; this times ``Clusterer.recluster`` on a synthetic meeting (random
384-d vectors around 300 centres, no places) with that many drafts pinned. Generated, not read:
no shared data needed.

``--memory``: one re-clustering of meetings of those sizes (beyond ``recluster_max`` the server
re-clusters whenever a meeting has grown by a quarter), in two languages, half the comments naming
one of four places and three of four a subtopic: its time and the peak memory numpy allocated.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tyndau.nlp.cluster_settings import ClustererSettings
from tyndau.nlp.clusterer import Clusterer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1500)
    parser.add_argument("--pinned", default="0,20,100,200")
    parser.add_argument("--memory", action="store_true", help="time and peak memory of one re-clustering per size")
    parser.add_argument("--sizes", default="2000,4000,8000")
    args = parser.parse_args()
    if args.memory:
        memory([int(x) for x in args.sizes.split(",")])
        return
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(300, 384))
    vectors = [(centres[i % 300] + 0.6 * rng.normal(size=384)).astype(np.float32) for i in range(args.comments)]
    print(f"{'pinned drafts':>14} {'clusters':>9} {'recluster ms':>13}")
    for pinned in (int(x) for x in args.pinned.split(",")):
        cl = Clusterer(ClustererSettings())
        for start in range(0, args.comments, 100):
            cl.add_batch([(i, vectors[i], {"lang": "ru"}) for i in range(start, min(start + 100, args.comments))])
        for cid in list(cl.clusters())[:pinned]:
            for member in cl.members(cid):
                cl.pin(member, cid, cid)
        started = time.perf_counter()
        cl.recluster()
        print(f"{pinned:>14} {len(cl.clusters()):>9} {(time.perf_counter() - started) * 1000:>13.0f}")


def memory(sizes: list[int]) -> None:
    """One full re-clustering per meeting size: milliseconds and the peak of numpy's allocations."""
    places = ["settlement:иргели", "settlement:каскелен", "settlement:шамалган", "street:абая"]
    topics = [["no_water"], ["road_potholes"], [], ["no_light"]]
    print(f"{'comments':>9} {'clusters':>9} {'recluster ms':>13} {'peak MiB':>9}")
    for n in sizes:
        rng = np.random.default_rng(0)
        centres = rng.normal(size=(300, 384))
        cl = Clusterer(replace(ClustererSettings(), recluster_max=0, recluster_growth=1e9))  # no re-clustering while filling
        for start in range(0, n, 500):
            cl.add_batch([(i, (centres[i % 300] + 0.6 * rng.normal(size=384)).astype(np.float32),
                           {"lang": "ru" if i % 3 else "kk", "places": [places[i % 4]] if i % 2 else [], "subtopics": topics[i % 4]})
                          for i in range(start, min(start + 500, n))])
        tracemalloc.start()
        started = time.perf_counter()
        cl.recluster()
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{n:>9} {len(cl.clusters()):>9} {elapsed * 1000:>13.0f} {peak / 2**20:>9.0f}")


if __name__ == "__main__":
    main()
