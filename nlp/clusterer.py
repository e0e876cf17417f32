"""The ``clusterer`` stage: comments about the same issue (and, optionally, the same place).

Two modes share one distance and one threshold, so they agree: a full agglomerative
clustering (average linkage on centred cosine distance, cut at ``threshold``, no number of
clusters given) and an incremental ``assign`` that joins a new comment to the nearest cluster
when its average distance to the members is within the same threshold. Cluster ids are stable:
a re-clustering maps new clusters onto old ids by maximum overlap (Hungarian assignment), and
memberships fixed by people (merge, split, move) are locked and never undone by the machine.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .features import Matrix, unit_rows

ItemId = Hashable


@dataclass(frozen=True, slots=True)
class ClustererSettings:
    """Knobs of the clusterer (``[clusterer]`` in ``config/nlp.toml``)."""

    threshold: float = 0.6
    by_category: bool = True
    with_place: bool = True
    max_block: int = 4000
    id_prefix: str = "c"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> ClustererSettings:
        """Settings from a config table; unknown keys are an error so typos do not go unseen."""
        from .features import settings_from_mapping

        return settings_from_mapping(cls, data, "clusterer")


def _group_key(category: str | None, by_category: bool) -> str:
    return (category or "") if by_category else ""


def _places_clash(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a != b


def cluster_labels(vectors: Matrix, *, categories: Sequence[str | None] | None = None,
                   places: Sequence[str | None] | None = None, threshold: float = 0.6,
                   by_category: bool = True, with_place: bool = False,
                   max_block: int = 4000) -> np.ndarray:
    """Batch clustering of unit vectors: one integer label per row (no cluster count needed)."""
    from sklearn.cluster import AgglomerativeClustering

    n = len(vectors)
    labels = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return labels
    cats = list(categories) if categories is not None else [None] * n
    plc = list(places) if (places is not None and with_place) else [None] * n
    groups: dict[str, list[int]] = defaultdict(list)
    for i, cat in enumerate(cats):
        groups[_group_key(cat, by_category)].append(i)
    next_label = 0
    for rows in groups.values():
        head, tail = rows[:max_block], rows[max_block:]
        if len(head) == 1:
            sub = np.zeros(1, dtype=np.int64)
        else:
            u = vectors[head]
            dist = np.clip(1.0 - u @ u.T, 0.0, 2.0).astype(np.float64)
            if with_place:
                hp = [plc[i] for i in head]
                clash = np.array([[_places_clash(a, b) for b in hp] for a in hp])
                dist[clash] = 4.0
            np.fill_diagonal(dist, 0.0)
            sub = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                          distance_threshold=threshold).fit_predict(dist)
        labels[head] = sub + next_label
        next_label += int(sub.max()) + 1
        for i in tail:  # beyond max_block: join the nearest cluster of this group or open one
            members = defaultdict(list)
            for j in rows:
                if labels[j] >= 0 and not (with_place and _places_clash(plc[i], plc[j])):
                    members[int(labels[j])].append(j)
            best, best_d = None, threshold
            for lab, idx in members.items():
                d = 1.0 - float(vectors[idx].mean(axis=0) @ vectors[i])
                if d <= best_d:
                    best, best_d = lab, d
            if best is None:
                best, next_label = next_label, next_label + 1
            labels[i] = best
    return labels


@dataclass(slots=True)
class _Item:
    vector: Matrix
    category: str | None
    place: str | None
    cluster: str


@dataclass(slots=True)
class _Cluster:
    total: Matrix
    members: set[ItemId] = field(default_factory=set)
    category: str | None = None
    place: str | None = None


class _Index:
    """Cluster centroids of one category group as arrays, so ``assign`` is one matrix product."""

    def __init__(self, dim: int) -> None:
        self.ids: list[str] = []
        self.row: dict[str, int] = {}
        self.totals = np.zeros((16, dim), dtype=np.float32)
        self.counts = np.zeros(16, dtype=np.float32)
        self.places: list[str | None] = []

    def update(self, cid: str, delta: Matrix, count: int, place: str | None) -> None:
        r = self.row.get(cid)
        if r is None:
            r = self.row[cid] = len(self.ids)
            self.ids.append(cid)
            self.places.append(place)
            if r >= len(self.counts):
                self.totals = np.vstack([self.totals, np.zeros_like(self.totals)])
                self.counts = np.concatenate([self.counts, np.zeros_like(self.counts)])
        self.totals[r] += delta
        self.counts[r] += count
        if self.places[r] is None:
            self.places[r] = place

    def nearest(self, u: Matrix, place: str | None, with_place: bool) -> tuple[str | None, float]:
        n = len(self.ids)
        if n == 0:
            return None, float("inf")
        counts = self.counts[:n]
        dist = 1.0 - (self.totals[:n] @ u) / np.maximum(counts, 1.0)
        dist[counts <= 0] = np.inf
        if with_place and place is not None:
            clash = np.fromiter((p is not None and p != place for p in self.places), bool, n)
            dist[clash] = np.inf
        best = int(np.argmin(dist))
        return self.ids[best], float(dist[best])


class Clusterer:
    """Stateful clusters for one meeting: incremental assignment, re-clustering and locks."""

    def __init__(self, settings: ClustererSettings | None = None, *, center: Matrix | None = None) -> None:
        self.settings = settings or ClustererSettings()
        self.center = None if center is None else np.asarray(center, dtype=np.float32)
        self._items: dict[ItemId, _Item] = {}
        self._clusters: dict[str, _Cluster] = {}
        self._locks: dict[ItemId, str] = {}
        self._ids = itertools.count(1)
        self._index: dict[str, _Index] = {}

    # -- vectors and ids ------------------------------------------------------------------

    def prepare(self, vectors: Matrix) -> Matrix:
        """Centre (with the configured reference mean) and renormalise embeddings."""
        v = np.asarray(vectors, dtype=np.float32)
        if v.ndim == 1:
            v = v[None, :]
        if self.center is not None:
            v = v - self.center
        return unit_rows(v)

    def _new_id(self) -> str:
        while True:
            cid = f"{self.settings.id_prefix}{next(self._ids)}"
            if cid not in self._clusters:
                return cid

    def batch_labels(self, vectors: Matrix, categories: Sequence[str | None] | None = None,
                     places: Sequence[str | None] | None = None, *,
                     with_place: bool | None = None) -> np.ndarray:
        """Stateless full clustering of raw embeddings (used by evaluation)."""
        s = self.settings
        return cluster_labels(self.prepare(vectors), categories=categories, places=places,
                              threshold=s.threshold, by_category=s.by_category,
                              with_place=s.with_place if with_place is None else with_place,
                              max_block=s.max_block)

    # -- incremental ----------------------------------------------------------------------

    def assign(self, item_id: ItemId, vector: Matrix, *, category: str | None = None,
               place: str | None = None) -> str:
        """Put a new comment into the nearest compatible cluster, or open a new one."""
        if item_id in self._items:
            return self._items[item_id].cluster
        u = self.prepare(vector)[0]
        s = self.settings
        index = self._index.get(_group_key(category, s.by_category))
        best, best_d = (None, float("inf")) if index is None else index.nearest(u, place, s.with_place)
        if best_d > s.threshold:
            best = None
        cid = best or self._new_id()
        self._add(item_id, _Item(u, category, place, cid))
        return cid

    def _add(self, item_id: ItemId, item: _Item) -> None:
        self._items[item_id] = item
        cl = self._clusters.get(item.cluster)
        if cl is None:
            cl = self._clusters[item.cluster] = _Cluster(np.zeros_like(item.vector), category=item.category)
        cl.total = cl.total + item.vector
        cl.members.add(item_id)
        if cl.place is None:
            cl.place = item.place
        self._indexed(cl.category, item.vector.shape[0]).update(item.cluster, item.vector, 1, cl.place)

    def _remove(self, item_id: ItemId) -> _Item:
        item = self._items.pop(item_id)
        cl = self._clusters[item.cluster]
        cl.total = cl.total - item.vector
        cl.members.discard(item_id)
        self._indexed(cl.category, item.vector.shape[0]).update(item.cluster, -item.vector, -1, cl.place)
        if not cl.members:
            del self._clusters[item.cluster]
        return item

    def _indexed(self, category: str | None, dim: int) -> _Index:
        key = _group_key(category, self.settings.by_category)
        index = self._index.get(key)
        if index is None:
            index = self._index[key] = _Index(dim)
        return index

    def _move(self, item_id: ItemId, cid: str) -> None:
        item = self._remove(item_id)
        item.cluster = cid
        self._add(item_id, item)

    # -- human decisions ------------------------------------------------------------------

    def merge(self, keep: str, other: str) -> str:
        """Move every member of ``other`` into ``keep`` and lock all of them there."""
        for item_id in list(self.members(other)):
            self._move(item_id, keep)
        for item_id in self.members(keep):
            self._locks[item_id] = keep
        return keep

    def split(self, cluster_id: str, item_ids: Sequence[ItemId]) -> str:
        """Move ``item_ids`` out of ``cluster_id`` into a new cluster; lock both sides."""
        new = self._new_id()
        for item_id in item_ids:
            if self.cluster_of(item_id) == cluster_id:
                self._move(item_id, new)
                self._locks[item_id] = new
        for item_id in self.members(cluster_id):
            self._locks[item_id] = cluster_id
        return new

    def move(self, item_id: ItemId, cluster_id: str) -> None:
        """Put one comment into ``cluster_id`` (an existing or a new id) and lock it there."""
        self._move(item_id, cluster_id)
        self._locks[item_id] = cluster_id

    def unlock(self, item_id: ItemId) -> None:
        """Let the machine move this comment again."""
        self._locks.pop(item_id, None)

    # -- full re-clustering ---------------------------------------------------------------

    def recluster(self) -> dict[ItemId, str]:
        """Cluster everything again; keep old ids where clusters overlap, keep locked members."""
        from scipy.optimize import linear_sum_assignment

        ids = list(self._items)
        if not ids:
            return {}
        s = self.settings
        vectors = np.stack([self._items[i].vector for i in ids])
        labels = cluster_labels(vectors, categories=[self._items[i].category for i in ids],
                                places=[self._items[i].place for i in ids], threshold=s.threshold,
                                by_category=s.by_category, with_place=s.with_place,
                                max_block=s.max_block)
        # 1. a new cluster holding locked comments takes their (human) id, even if several do
        mapping: dict[int, str] = {}
        anchors: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for k, item_id in enumerate(ids):
            if item_id in self._locks:
                anchors[int(labels[k])][self._locks[item_id]] += 1
        for lab, votes in anchors.items():
            mapping[lab] = max(sorted(votes), key=lambda cid: votes[cid])
        # 2. the rest map onto the remaining old ids by maximum overlap (Hungarian)
        taken = set(mapping.values())
        free = [k for k in range(len(ids)) if int(labels[k]) not in mapping]
        new_labels = sorted({int(labels[k]) for k in free})
        old_ids = sorted({self._items[ids[k]].cluster for k in free} - taken)
        if new_labels and old_ids:
            row = {lab: r for r, lab in enumerate(new_labels)}
            col = {cid: c for c, cid in enumerate(old_ids)}
            overlap = np.zeros((len(new_labels), len(old_ids)))
            for k in free:
                old = self._items[ids[k]].cluster
                if old in col:
                    overlap[row[int(labels[k])], col[old]] += 1
            for r, c in zip(*linear_sum_assignment(-overlap)):
                if overlap[r, c] > 0:
                    mapping[new_labels[r]] = old_ids[c]
        for lab in sorted({int(lab) for lab in labels}):
            if lab not in mapping:
                mapping[lab] = self._new_id()
        result: dict[ItemId, str] = {}
        for k, item_id in enumerate(ids):
            target = self._locks.get(item_id) or mapping[int(labels[k])]
            if self._items[item_id].cluster != target:
                self._move(item_id, target)
            result[item_id] = target
        return result

    # -- views ----------------------------------------------------------------------------

    def cluster_of(self, item_id: ItemId) -> str | None:
        """The cluster id of a comment, or None when it is unknown."""
        item = self._items.get(item_id)
        return item.cluster if item else None

    def members(self, cluster_id: str) -> list[ItemId]:
        """Comments in a cluster (no particular order)."""
        cl = self._clusters.get(cluster_id)
        return list(cl.members) if cl else []

    def clusters(self) -> dict[str, list[ItemId]]:
        """Every cluster id with its members."""
        return {cid: list(cl.members) for cid, cl in self._clusters.items()}

    def locked(self) -> dict[ItemId, str]:
        """Memberships fixed by people."""
        return dict(self._locks)

    def __len__(self) -> int:
        return len(self._items)
