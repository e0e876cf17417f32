"""The clusterer: incremental assignment, stable ids on re-clustering, and human locks."""

from __future__ import annotations

import numpy as np
from tyndau.nlp.clusterer import Clusterer, ClustererSettings, cluster_labels


def _topic(seed: int, n: int, dim: int = 32, noise: float = 0.05) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = rng.normal(size=dim)
    rows = base + noise * rng.normal(size=(n, dim)) * np.linalg.norm(base)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _clusterer(**kw: object) -> Clusterer:
    return Clusterer(ClustererSettings(threshold=0.3, **kw))  # type: ignore[arg-type]


def test_batch_clustering_finds_topics_without_being_told_how_many() -> None:
    a, b, c = _topic(1, 6), _topic(2, 5), _topic(3, 4)
    labels = cluster_labels(np.vstack([a, b, c]), threshold=0.3)
    assert len(set(labels)) == 3
    assert len(set(labels[:6])) == 1 and len(set(labels[6:11])) == 1 and len(set(labels[11:])) == 1


def test_incremental_joins_near_and_opens_far() -> None:
    cl = _clusterer()
    a, b = _topic(1, 3), _topic(2, 2)
    ids = [cl.assign(("a", i), v) for i, v in enumerate(a)] + [cl.assign(("b", i), v) for i, v in enumerate(b)]
    assert ids[0] == ids[1] == ids[2] and ids[3] == ids[4] and ids[0] != ids[3]
    assert cl.assign(("a", 0), a[0]) == ids[0]  # idempotent


def test_category_and_place_keep_problems_apart() -> None:
    v = _topic(5, 4)
    cl = _clusterer()
    x = cl.assign(1, v[0], category="roads", place="street:абай")
    assert cl.assign(2, v[1], category="roads", place="street:абай") == x
    assert cl.assign(3, v[2], category="roads", place="street:сатпаев") != x  # another street
    assert cl.assign(4, v[3], category="utilities", place="street:абай") != x  # another issue
    labels = cluster_labels(v, categories=["r", "r", "r", "u"], places=["a", "a", "s", "a"],
                            threshold=0.3, with_place=True)
    assert labels[0] == labels[1] and len({labels[0], labels[2], labels[3]}) == 3


def test_recluster_keeps_ids_stable() -> None:
    cl = _clusterer()
    a, b = _topic(1, 5), _topic(2, 5)
    for i in range(5):
        cl.assign(("a", i), a[i])
        cl.assign(("b", i), b[i])
    before = {k: cl.cluster_of(k) for k in [("a", i) for i in range(5)] + [("b", i) for i in range(5)]}
    after = cl.recluster()
    assert after == before


def test_recluster_maps_renamed_clusters_back_to_old_ids() -> None:
    cl = _clusterer()
    a = _topic(1, 6)
    first = cl.assign(0, a[0])
    for i in range(1, 6):
        cl.assign(i, a[i])
    cl._move(5, "c99")  # an earlier machine mistake, not a human decision
    result = cl.recluster()
    assert set(result.values()) == {first}


def test_merge_and_split_survive_reclustering() -> None:
    cl = _clusterer()
    a, b = _topic(1, 4), _topic(2, 4)
    for i in range(4):
        cl.assign(("a", i), a[i])
        cl.assign(("b", i), b[i])
    ca, cb = cl.cluster_of(("a", 0)), cl.cluster_of(("b", 0))
    assert ca != cb
    cl.merge(ca, cb)  # a secretary says: one problem
    new = cl.split(ca, [("a", 3)])  # ... except this comment
    for _ in range(2):
        result = cl.recluster()
        assert result[("b", 0)] == result[("a", 0)] == ca
        assert result[("a", 3)] == new
    cl.unlock(("a", 3))
    assert cl.recluster()[("a", 3)] == ca


def test_new_comments_still_join_locked_clusters() -> None:
    cl = _clusterer()
    a = _topic(1, 4)
    x = cl.assign(0, a[0])
    cl.move(0, x)
    assert cl.assign(1, a[1]) == x
    assert cl.locked() == {0: x}
