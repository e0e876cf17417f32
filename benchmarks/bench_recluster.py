"""Re-clustering a meeting while secretaries have accepted (pinned) drafts.

    python benchmarks/bench_recluster.py [--comments 1500] [--pinned 0,20,100,200]

The server re-clusters a meeting after every batch while it has up to ``recluster_max`` comments.
Accepting a draft pins its comments (as a merge does), and each re-clustering asks which machine
clusters join which pinned ones; this times ``Clusterer.recluster`` on a synthetic meeting (random
384-d vectors around 300 centres, no places) with that many drafts pinned. Generated, not read:
no shared data needed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tyndau.nlp.cluster_settings import ClustererSettings
from tyndau.nlp.clusterer import Clusterer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1500)
    parser.add_argument("--pinned", default="0,20,100,200")
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
