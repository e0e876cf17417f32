"""A secretary's review of a meeting's first drafts, replayed from gold clusters (``nlp eval --adapt``).

The review workspace fixes a draft list with three actions (``tyndau.actions.review``): a split
takes comments out of a draft into a new one (both sides then a person's, the pairs across judged
apart), a merge moves one draft's comments into another (the moved ones a person's, every pair
across judged one problem), a move does either for a few comments. The live clusterer hears of
them as pins and judged pairs (``MeetingClusters.sync_people``). Replaying the gold clusters of
the rows seen so far through the same two calls lets ``tyndau nlp eval --adapt`` measure what a
review teaches the clusterer about the comments that arrive after it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)


def replay_review(clusterer: Any, reviewed: Sequence[K], gold: Mapping[K, str]) -> int:
    """Fix the drafts of ``reviewed`` comments to match ``gold`` as a secretary would; judged pairs made.

    Each draft keeps its largest gold problem and the others are split off; then the drafts of
    one gold problem are merged into its largest. Comments the clusterer does not hold are skipped.
    """
    drafts: dict[str, list[K]] = defaultdict(list)
    for item in reviewed:
        cid = clusterer.cluster_of(item)
        if cid is not None and gold.get(item):
            drafts[cid].append(item)
    pairs: list[tuple[K, K, bool]] = []
    fixed: dict[str, list[K]] = {}
    for n, (cid, members) in enumerate(sorted(drafts.items(), key=lambda kv: str(kv[0]))):
        counts = Counter(gold[m] for m in members)
        if len(counts) == 1:
            fixed[cid] = members
            continue
        keep = counts.most_common(1)[0][0]
        rest = [m for m in members if gold[m] == keep]
        for k, problem in enumerate(g for g in counts if g != keep):
            split = [m for m in members if gold[m] == problem]
            new = f"review-split-{n}-{k}"
            pairs += [(a, b, False) for a in split for b in rest]
            for m in split:
                clusterer.pin(m, new, cid)
            fixed[new] = split
        for m in rest:
            clusterer.pin(m, cid, cid)
        fixed[cid] = rest
    by_problem: dict[str, list[str]] = defaultdict(list)
    for cid, members in fixed.items():
        by_problem[gold[members[0]]].append(cid)
    for cids in by_problem.values():
        if len(cids) < 2:
            continue
        target, *sources = sorted(cids, key=lambda c: (-len(fixed[c]), str(c)))
        for source in sources:
            pairs += [(a, b, True) for a in fixed[target] for b in fixed[source]]
            for m in fixed[source]:
                clusterer.pin(m, target, source)
    clusterer.add_feedback(pairs)
    return len(pairs)
