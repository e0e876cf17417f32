"""Live labelling: committed comments get NLP labels, clusters and draft problems as they arrive.

The pipeline loads in a worker thread after the server is up; until then (or if it cannot load)
comments simply stay unlabelled and are labelled later — intake never waits for NLP. Each
meeting has its own clusterer (:mod:`tyndau.live.meeting_clusters`), run exactly as ``tyndau nlp
eval`` runs it: each batch is assigned in order, then the meeting is re-clustered while it is
small enough. A cluster's stable id is the id of its first comment, so ids survive restarts (the
clusterer is rebuilt from the stored ids); merges, splits and moves are read back into it before
the next batch, and the pairs people judged teach it. People's decisions are never overwritten:
reviewed comments keep their category, locked memberships and edited fields stay (see
:func:`tyndau.store.problems.sync_drafts`). An echo ("+", "и у нас тоже", "про Кемер так и не
ответили") joins the problem it points at as a mention, follows it through re-clustering, and
never starts a draft or goes to triage (:mod:`tyndau.nlp.echoes`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from tyndau.domain.drafts import Draft
from tyndau.live.meeting_clusters import Changes, MeetingClusters, place_keys
from tyndau.live.store_waits import StoreWaits
from tyndau.nlp.clusterer import LIVE_BATCH
from tyndau.nlp.drafts import DraftBuilder, Member
from tyndau.nlp.echoes import EchoTracker
from tyndau.nlp.place_names import mentions_from_labels
from tyndau.store import cluster_state
from tyndau.store import labels as label_rows
from tyndau.store.comments import get_comments
from tyndau.store.engine import Connection, Engine
from tyndau.store.labels import LabelUpdate
from tyndau.store.problems import sync_drafts

log = logging.getLogger(__name__)
SKIP_KINDS = ("deleted", "placeholder", "membership", "media")
Publish = Callable[[int, list[dict[str, Any]], list[int]], Awaitable[None]]
PublishStatus = Callable[[dict[str, Any]], Awaitable[None]]
Forward = Callable[[str, dict[str, Any]], None]


class Labeller:
    """Labels comments in batches off the event loop and folds the result into the store."""

    def __init__(self, engine: Engine, load_pipeline: Callable[[Callable[[Any], None]], Any], publish: Publish,
                 executor_for: Mapping[str, str], *, batch_size: int = LIVE_BATCH, linger: float = 0.05,
                 publish_status: PublishStatus | None = None, forward: Forward | None = None,
                 sweep_seconds: float | None = None) -> None:
        self._engine = engine
        self._forward = forward
        self._sweep_seconds = sweep_seconds
        self._load = load_pipeline
        self._publish = publish
        self._publish_status = publish_status
        self._status_tasks: set[asyncio.Task[None]] = set()
        self._executor_for = executor_for
        self._batch_size = batch_size
        self._linger = linger
        self._queue: asyncio.Queue[int] = asyncio.Queue()
        self._queued: set[int] = set()
        self._again: set[int] = set()  # labelled comments to label once more (a person confirmed them)
        self._learn: list[tuple[str, str | None, bool | None]] = []
        self._clusterers: dict[int, MeetingClusters | None] = {}
        self._rebuilds: dict[int, int] = {}  # meeting → how many rebuilds were asked for (see ``rebuild``)
        self._echo_trackers: dict[int, EchoTracker] = {}
        self._builder: DraftBuilder | None = None
        self.pipeline: Any = None
        self.state = "loading"
        self.percent = 0
        self.stage = "start"
        self.error: str | None = None
        self.labelled = 0
        self.latencies: list[float] = []

    def status(self) -> dict[str, Any]:
        """What a console shows while the model loads: state, real percentage, stage, comments waiting."""
        return {"state": self.state, "percent": self.percent, "stage": self.stage,
                "pending": len(self._queued), "labelled": self.labelled, "error": self.error}

    def _progress(self, step: Any) -> None:
        """A build step from the loading thread (called on the event loop)."""
        if self.state == "loading" and step.percent > self.percent:
            self.percent, self.stage = int(step.percent), str(step.stage)
            self._announce()

    def _announce(self) -> None:
        """Push the status to the consoles without waiting (a slow socket never slows the load)."""
        if self._publish_status is None:
            return
        task = asyncio.get_running_loop().create_task(self._publish_status(self.status()))
        self._status_tasks.add(task)
        task.add_done_callback(self._status_tasks.discard)

    def reset(self, *, standby: bool = True) -> None:
        """Forget everything (another process holds the labeller lease, or this one lost it)."""
        self.pipeline = None
        self._clusterers.clear()
        self._learn.clear()
        self._queued.clear()
        self._again.clear()
        self._queue = asyncio.Queue()
        self.state, self.percent, self.stage, self.error = ("standby" if standby else "loading"), 0, "start", None

    def enqueue(self, ids: Iterable[int]) -> None:
        """Queue committed comments for labelling (never blocks; ignored on a process that does not label)."""
        if self.state == "standby":
            return
        for comment_id in ids:
            if comment_id not in self._queued:
                self._queued.add(comment_id)
                self._queue.put_nowait(comment_id)

    def reconsider(self, ids: Iterable[int]) -> None:
        """A person confirmed these comments as problems: label them again so that held ones get drafted."""
        ids = list(ids)
        if self.state == "standby":
            if self._forward is not None:
                self._forward("reconsider", {"ids": ids})
            return
        self._again.update(ids)
        self.enqueue(ids)

    def learn(self, text: str, *, category: str | None, is_problem: bool | None) -> None:
        """A secretary's correction; applied before the next batch is labelled (by the process that labels)."""
        if self.state == "standby":
            if self._forward is not None:
                self._forward("learn", {"text": text, "category": category, "is_problem": is_problem})
            return
        self._learn.append((text, category, is_problem))

    async def run(self) -> None:
        """Load the pipeline, catch up with unlabelled comments, then label as they come."""
        started = time.perf_counter()
        loop = asyncio.get_running_loop()
        self.state, self.percent, self.stage, self.error = "loading", 0, "start", None
        self._announce()
        try:
            self.pipeline = await asyncio.to_thread(self._load, lambda step: loop.call_soon_threadsafe(self._progress, step))
        except Exception as exc:  # noqa: BLE001 - the server runs on without NLP
            self.state, self.error = "failed", f"{type(exc).__name__}: {exc}"
            hint = " (pip install 'tyndau[nlp-reference]' for the fp32 encoder)" if isinstance(exc, ImportError) else ""
            log.error("the NLP pipeline could not load (%s)%s; comments stay unlabelled", exc, hint)
            self._announce()
            return
        log.info("NLP pipeline ready in %.1f s", time.perf_counter() - started)
        try:
            await self._replay_corrections()
        except Exception:
            log.exception("could not replay the stored corrections; labelling without them")
        self.state, self.percent, self.stage = "ready", 100, "ready"
        self._announce()
        try:
            await self._catch_up()
        except Exception:
            log.exception("could not queue the comments that arrived while NLP was not running")
        sweeper = asyncio.create_task(self._sweep()) if self._sweep_seconds else None
        try:
            await self._label_forever()
        finally:
            if sweeper is not None:
                sweeper.cancel()

    async def _sweep(self) -> None:
        """With several processes, a safety net under the event channel (at most once): queue what is still unlabelled."""
        assert self._sweep_seconds
        waits = StoreWaits(log, "the sweep for unlabelled comments")
        while True:
            await asyncio.sleep(self._sweep_seconds)
            await waits.round(lambda: self._catch_up(quiet=True))

    async def sweep_now(self) -> None:
        """Queue every comment still unlabelled (after the event channel reconnected)."""
        await self._catch_up(quiet=True)

    async def _label_forever(self) -> None:
        while True:
            ids = [await self._queue.get()]
            deadline = asyncio.get_running_loop().time() + self._linger
            while len(ids) < self._batch_size:
                timeout = deadline - asyncio.get_running_loop().time()
                if timeout <= 0:
                    break
                try:
                    ids.append(await asyncio.wait_for(self._queue.get(), timeout))
                except TimeoutError:
                    break
            done = False
            try:
                await self.label(ids, only_new=True)
                done = True
            except Exception:
                log.exception("labelling %d comments failed; they stay unlabelled", len(ids))
            finally:
                self._queued.difference_update(ids)
            if done:  # confirmed while this batch ran (enqueue skipped them), or the batch gave way to a rebuild
                self.enqueue([i for i in ids if i in self._again])

    async def _replay_corrections(self) -> None:
        async with self._engine.connect() as conn:
            said = await label_rows.category_corrections(conn)
        if said and self.pipeline is not None:
            learned = await asyncio.to_thread(self.pipeline.learn_categories, said, refit=True)
            log.info("replayed %d secretary corrections into the categoriser", learned)

    async def _catch_up(self, *, quiet: bool = False) -> None:
        async with self._engine.connect() as conn:
            ids = await label_rows.unlabelled_ids(conn, SKIP_KINDS)
            if self.pipeline is not None and self.pipeline.clusterer is not None:
                confirmed = await label_rows.confirmed_unclustered_ids(conn, SKIP_KINDS)
                self._again.update(confirmed)
                ids += confirmed
        ids = [i for i in ids if i not in self._queued]
        if ids and not quiet:
            log.info("labelling %d comments that arrived while NLP was not running", len(ids))
        self.enqueue(ids)

    async def _apply_learning(self) -> None:
        pending, self._learn = self._learn, []
        items = [(text, category) for text, category, _ in pending if category]
        if items and self.pipeline is not None:
            await asyncio.to_thread(self.pipeline.learn_categories, items)

    async def label(self, ids: Sequence[int], *, only_new: bool = False) -> None:
        """Label one batch, cluster it per meeting, update drafts, and tell the consoles.

        ``only_new`` skips comments that already have labels (a comment heard of twice, by the
        event channel and by a sweep, is labelled once).
        """
        await self._apply_learning()
        generations = dict(self._rebuilds)  # before the rows are read: a rebuild after this makes them stale
        async with self._engine.connect() as conn:
            rows = [r for r in await get_comments(conn, ids) if r.kind not in SKIP_KINDS and not (r.extra or {}).get("own")  # the page's own posts are no problems
                    and not (only_new and r.labels is not None and r.id not in self._again)]
            self._again.difference_update(ids)
        if not rows:
            return
        labels = await asyncio.to_thread(self.pipeline.process, [r.text for r in rows], [r.id for r in rows], cluster=False)
        by_meeting: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
        for row, lab in zip(rows, labels):
            by_meeting[row.meeting_id].append((row, lab))
        for meeting_id, pairs in by_meeting.items():
            await self._fold(meeting_id, pairs, generations.get(meeting_id, 0))
        self.labelled += len(rows)

    async def _fold(self, meeting_id: int, pairs: list[tuple[Any, Any]], generation: int) -> None:
        mc = await self._clusters_for(meeting_id)
        if mc is not None and mc.dirty:
            async with self._engine.begin() as conn:
                await mc.sync_people(conn, meeting_id)
        updates: list[dict[str, Any]] = []
        not_problems: list[int] = []
        entries: list[tuple[int, Any, dict[str, Any]]] = []
        echoes: dict[int, int] = {}
        tracker = self._echo_trackers.setdefault(meeting_id, EchoTracker())
        for row, lab in pairs:
            human = row.reviewed_at is not None
            category = row.category if human else lab.category
            # Unsure and naming nothing: it waits in triage for a person, not in a draft of its own.
            held = not human and lab.awaits_person and mc is not None and mc.clusterer.cluster_of(row.id) is None
            verdict = tracker.read(row.id, lab, text=row.text or "", author=row.author or "",
                                   is_problem=row.is_problem if human else lab.is_problem, human=human,
                                   clustered=lab.vector is not None and mc is not None and not held)
            is_problem = verdict.is_problem
            if verdict.root is not None:
                lab.echo_of = verdict.root
                echoes[row.id] = int(verdict.root)  # type: ignore[call-overload]
            elif is_problem and lab.vector is not None and mc is not None and not held:
                entries.append((row.id, lab.vector, {"lang": lab.lang, "places": place_keys(lab), "category": category,
                                                     "text": lab.text, "subtopics": lab.subtopics}))
            elif is_problem is False:
                not_problems.append(row.id)
            data = lab.as_dict()
            data.pop("text", None)
            updates.append({"id": row.id, "labels": data, "is_problem": is_problem, "category": category,
                            "cluster_id": row.cluster_id, "lang": row.lang or lab.lang,
                            "needs_review": bool(lab.needs_review) and not human and verdict.root is None})
        busy = mc is not None and (entries or echoes)
        changes = await asyncio.to_thread(mc.add, entries, echoes) if busy else Changes()  # type: ignore[union-attr]
        for u in updates:  # a comment labelled again keeps its cluster unless this batch moved it
            u["cluster_id"] = changes.clusters.get(u["id"], u["cluster_id"])
        in_batch = {u["id"] for u in updates}
        moved = {cid: cluster for cid, cluster in changes.clusters.items() if cid not in in_batch}  # moved by a re-clustering
        if self._rebuilds.get(meeting_id, 0) != generation:  # a rebuild was asked for meanwhile: these clusters are stale
            self._again.update(in_batch)
            return
        async with self._engine.begin() as conn:
            await label_rows.set_labels(conn, [LabelUpdate(**u) for u in updates])
            await label_rows.move_to_clusters(conn, moved)
            drafts = await self._drafts(conn, mc, changes.touched)
            changed = await sync_drafts(conn, meeting_id, drafts, not_problems)
            changed.update(await cluster_state.retire_empty(conn, meeting_id, sorted(changes.emptied)))
        await self._publish(meeting_id, [{k: u[k] for k in ("id", "labels", "is_problem", "category", "cluster_id", "needs_review", "lang")} for u in updates], sorted(changed))

    def rebuild(self, meeting_id: int) -> None:
        """A comment left the machine's clusters in a way the clusterer cannot follow (an undone
        confirmation of a held comment): rebuild the meeting's clusters from the store, as after a
        restart, before its next batch."""
        if self.state == "standby":
            if self._forward is not None:
                self._forward("rebuild", {"meeting_id": meeting_id})
            return
        self._rebuilds[meeting_id] = self._rebuilds.get(meeting_id, 0) + 1
        self._clusterers.pop(meeting_id, None)
        self._echo_trackers.pop(meeting_id, None)  # its recent roots may include the comment that left

    def clusters_changed(self, meeting_id: int) -> None:
        """A person merged, split or moved in this meeting: re-read their decisions before labelling on."""
        if self.state == "standby":
            if self._forward is not None:
                self._forward("clusters_changed", {"meeting_id": meeting_id})
            return
        mc = self._clusterers.get(meeting_id)
        if mc is not None:
            mc.dirty = True

    async def _drafts(self, conn: Connection, mc: MeetingClusters | None, touched: set[int]) -> list[Draft]:
        if not touched or mc is None:
            return []
        drafts: list[Draft] = []
        for anchor in sorted(touched):
            key = mc.key(anchor)
            if key is None:
                continue
            member_ids = sorted(mc.clusterer.members(key))
            if not member_ids:
                continue
            echo_ids = [e for e in mc.echoes_in(anchor) if e not in set(member_ids)]
            rows = await get_comments(conn, member_ids + echo_ids)
            members = [_member(r, r.id in echo_ids) for r in rows]
            drafts.append(self._draft_builder().build(anchor, members, _vectors(mc, [r.id for r in rows])))
        return drafts

    def _draft_builder(self) -> DraftBuilder:
        if self._builder is None:
            taxonomy = getattr(self.pipeline, "taxonomy", None)
            names = {c.id: dict(c.name) for c in taxonomy} if taxonomy is not None else {}
            self._builder = DraftBuilder(self._executor_for, category_names=names)
        return self._builder

    async def _clusters_for(self, meeting_id: int) -> MeetingClusters | None:
        """The meeting's clusters; after a restart they are rebuilt from the stored cluster ids."""
        if meeting_id in self._clusterers:
            return self._clusterers[meeting_id]
        generation = self._rebuilds.get(meeting_id, 0)
        template = self.pipeline.clusterer
        if template is None:
            self._clusterers[meeting_id] = None
            return None
        mc = MeetingClusters(template.fresh())
        async with self._engine.connect() as conn:
            rows = await label_rows.clustered(conn, meeting_id)
        echoes = [r for r in rows if (r.labels or {}).get("echo_of") is not None]
        for row in echoes:
            mc.restore_echo(row.id, int(row.labels["echo_of"]), row.cluster_id)
        rows = [r for r in rows if (r.labels or {}).get("echo_of") is None]
        if rows:
            labels = await asyncio.to_thread(self.pipeline.process, [r.text for r in rows], [r.id for r in rows], cluster=False)
            for row, lab in zip(rows, labels):
                if lab.vector is not None:
                    mc.restore(row.id, lab.vector, row.cluster_id,
                               {"lang": lab.lang, "places": place_keys(row.labels or lab), "category": row.category,
                                "text": lab.text, "subtopics": lab.subtopics})
            log.info("rebuilt %d clusters of meeting %s from the store", len(mc.anchors), meeting_id)
        if self._rebuilds.get(meeting_id, 0) == generation:  # else a rebuild was asked for while this one read
            self._clusterers[meeting_id] = mc
        return mc


def _vectors(mc: MeetingClusters, ids: Sequence[int]) -> np.ndarray | None:
    """Members' embeddings for the draft's medoid (an echo, not in the clusterer, gets zeros)."""
    vectors = [mc.clusterer.vector(i) for i in ids]
    known = [v for v in vectors if v is not None]
    if not known:
        return None
    zero = np.zeros_like(np.asarray(known[0], dtype=np.float32))
    return np.stack([zero if v is None else np.asarray(v, dtype=np.float32) for v in vectors])


def _member(row: Any, echo: bool) -> Member:
    """A stored comment as the draft builder reads it."""
    labels = row.labels or {}
    lang = labels.get("lang") or row.lang
    subtopics = labels.get("subtopics")
    return Member(row.id, row.text, lang, row.category, _place_name(labels), tuple(mentions_from_labels(labels, lang)),
                  tuple(subtopics) if isinstance(subtopics, list) else None, echo=echo or labels.get("echo_of") is not None)


def _place_name(labels: Mapping[str, Any] | None) -> str | None:
    places = (labels or {}).get("places") or []
    for place in places:
        if place.get("kind") != "house":
            return place.get("name")
    return places[0].get("name") if places else None
