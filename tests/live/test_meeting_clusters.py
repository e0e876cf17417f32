"""A meeting's live clusters: stored ids stay stable across a restart and a re-clustering."""

from __future__ import annotations

import numpy as np

from tyndau.live.meeting_clusters import MeetingClusters
from tyndau.nlp.cluster_settings import ClustererSettings
from tyndau.nlp.clusterer import Clusterer


def _topic(seed: int, n: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = rng.normal(size=32)
    rows = base + 0.05 * rng.normal(size=(n, 32)) * np.linalg.norm(base)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _settings() -> ClustererSettings:
    return ClustererSettings(threshold=0.3, hubness=0.0)


def test_stored_ids_survive_a_restart() -> None:
    a, b = _topic(1, 4), _topic(2, 4)
    first = MeetingClusters(Clusterer(_settings()))
    changes = first.add([(10 + i, a[i], {}) for i in range(3)] + [(20 + i, b[i], {}) for i in range(3)])
    stored = dict(changes.clusters)
    assert stored[10] == stored[11] == stored[12] == 10 and stored[20] == stored[21] == 20  # first comment's id
    again = MeetingClusters(Clusterer(_settings()))  # the server restarted
    for comment_id, cluster_id in stored.items():
        again.restore(comment_id, (a if comment_id < 20 else b)[comment_id % 10], cluster_id, {})
    later = again.add([(13, a[3], {}), (23, b[3], {})])
    assert later.clusters == {13: 10, 23: 20}  # nothing old moved; the new ones join by their stored ids
    assert later.touched == {10, 20} and not later.emptied
