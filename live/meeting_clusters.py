"""One meeting's live clusters: the clusterer, its stored ids, and what people decided.

The clusterer names clusters with its own keys; the store names them by a cluster id — the id of
the cluster's first comment (or ``-problem_id`` for a problem a person made). This class keeps
that mapping stable (across restarts too: it is rebuilt from the stored ids), folds people's
pins and judged pairs into the clusterer before the machine looks again, and reports which
stored clusters a batch touched or emptied. Echoes (see :mod:`tyndau.nlp.echoes`) are not in the
clusterer: each follows its root comment, so a re-clustering that moves the root moves the echo.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tyndau.store import cluster_state


def key_of(cluster_id: int) -> str:
    """The clusterer key of a stored cluster id."""
    return f"m{cluster_id}"


@dataclass(slots=True)
class Changes:
    """What a batch did: comment → stored cluster id, clusters to redraft, clusters emptied."""

    clusters: dict[int, int] = field(default_factory=dict)
    touched: set[int] = field(default_factory=set)
    emptied: set[int] = field(default_factory=set)


def place_keys(labels: Any) -> list[str]:
    """Every place key of a comment's labels (a ``Labels`` object or its stored dict)."""
    places = labels.get("places") if isinstance(labels, Mapping) else getattr(labels, "places", None)
    keys = []
    for p in places or ():
        key = p.get("key") if isinstance(p, Mapping) else getattr(p, "normalised_key", None)
        if key:
            keys.append(key)
    return keys


class MeetingClusters:
    """The live clusterer of one meeting with its key ↔ stored id mapping."""

    def __init__(self, clusterer: Any) -> None:
        self.clusterer = clusterer
        self.anchors: dict[str, int] = {}
        self.dirty = True
        self._judged: set[tuple[int, int, bool]] = set()
        self._pending: dict[int, str | None] = {}
        self._emptied: set[int] = set()
        self._spare = itertools.count(10**9)
        self.echoes: dict[int, int] = {}  # echo comment → the clustered comment it points at
        self._echo_at: dict[int, int] = {}  # echo comment → the stored cluster id it is in

    def restore(self, comment_id: int, vector: Any, cluster_id: int, meta: Mapping[str, Any]) -> None:
        """Put a stored comment back into its stored cluster (after a restart)."""
        key = key_of(cluster_id)
        self.clusterer.assign(comment_id, vector, places=meta.get("places") or (), lang=meta.get("lang"),
                              category=meta.get("category"), text=meta.get("text"),
                              subtopics=meta.get("subtopics"))
        self.clusterer._move(comment_id, key)  # noqa: SLF001 - restoring, not deciding
        self.anchors[key] = cluster_id

    def restore_echo(self, comment_id: int, root: int, cluster_id: int) -> None:
        """Put a stored echo back with its root (after a restart)."""
        self.echoes[comment_id] = root
        self._echo_at[comment_id] = cluster_id

    def echoes_in(self, cluster_id: int) -> list[int]:
        """The echoes that are mentions of this stored cluster."""
        return sorted(e for e, at in self._echo_at.items() if at == cluster_id)

    async def sync_people(self, conn: Any, meeting_id: int) -> None:
        """Pins and judged pairs from the store into the clusterer (after a review decision)."""
        cl = self.clusterer
        pins = await cluster_state.pinned(conn, meeting_id)
        wanted = {p.comment_id: key_of(p.cluster_id) for p in pins}
        for p in pins:
            if p.comment_id in self.echoes:  # a person placed this echo: it no longer follows its root
                self.echoes.pop(p.comment_id)
                self._echo_at.pop(p.comment_id, None)
            key = key_of(p.cluster_id)
            self.anchors.setdefault(key, p.cluster_id)
            if cl.cluster_of(p.comment_id) is None:
                continue
            if cl.locked().get(p.comment_id) != key:
                group = cl.cluster_of(p.comment_id)  # where the machine had it: the group it came from
                cl.pin(p.comment_id, key, group)
                self._pending.setdefault(p.comment_id, group)
        for comment_id in set(cl.locked()) - set(wanted):
            cl.unlock(comment_id)  # an undone decision
        alive = set(cl.clusters())
        for key in [k for k in self.anchors if k not in alive]:  # emptied by people's decisions
            gone = self.anchors.pop(key)
            if gone not in self.anchors.values():
                self._emptied.add(gone)
        pairs = [p for p in await cluster_state.feedback(conn, meeting_id) if p not in self._judged]
        if pairs:
            cl.add_feedback(pairs)
            self._judged.update(pairs)
        self.dirty = False

    def add(self, entries: Sequence[tuple[int, Any, Mapping[str, Any]]],
            echoes: Mapping[int, int] | None = None) -> Changes:
        """Run the server's step over a batch (see ``Clusterer.add_batch``) and map it to stored ids.

        ``echoes``: the batch's echoes, comment → the clustered comment it points at.
        """
        self.echoes.update(echoes or {})
        clusters = self.clusterer.clusters()
        before = set(clusters)
        old = {m: key for key, members in clusters.items() for m in members}
        old.update(self._pending)
        moved = self.clusterer.add_batch(entries)
        for comment_id in self._pending:
            moved.setdefault(comment_id, self.clusterer.cluster_of(comment_id))
        self._pending.clear()
        out = Changes(emptied=set(self._emptied))
        self._emptied.clear()
        now = self.clusterer.clusters()
        for key in before - set(now):
            if key in self.anchors:
                gone = self.anchors.pop(key)
                if gone not in self.anchors.values():
                    out.emptied.add(gone)
        for comment_id, key in moved.items():
            if key is None:
                continue
            out.clusters[comment_id] = self._anchor(key, now[key])
            out.touched.add(out.clusters[comment_id])
            prior = old.get(comment_id)
            if prior is not None and prior in self.anchors:
                out.touched.add(self.anchors[prior])
        self._follow_roots(now, out)
        out.touched -= out.emptied
        return out

    def _follow_roots(self, now: Mapping[str, Sequence[int]], out: Changes) -> None:
        """Every echo into the cluster its root is in now (an unknown root leaves it where it was)."""
        for echo, root in self.echoes.items():
            key = self.clusterer.cluster_of(root)
            if key is None:
                continue
            cluster_id = self._anchor(key, now[key])
            before = self._echo_at.get(echo)
            if before != cluster_id:
                self._echo_at[echo] = cluster_id
                out.clusters[echo] = cluster_id
                out.touched.add(cluster_id)
                if before is not None:
                    out.touched.add(before)

    def _anchor(self, key: str, members: Sequence[int]) -> int:
        found = self.anchors.get(key)
        if found is None:
            used = set(self.anchors.values())
            found = next((m for m in members if m not in used), None) or next(self._spare)
            self.anchors[key] = found
        return found

    def key(self, cluster_id: int) -> str | None:
        """The clusterer key of a stored cluster id, if this meeting has it."""
        alive = self.clusterer.clusters()
        keys = [key for key, anchor in self.anchors.items() if anchor == cluster_id]
        return next((k for k in keys if k in alive), keys[0] if keys else None)
