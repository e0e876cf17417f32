"""Live labelling: committed comments get NLP labels, clusters and draft problems as they arrive.

The pipeline loads in a worker thread after the server is up; until then (or if it cannot load)
comments simply stay unlabelled and are labelled later — intake never waits for NLP. Each
meeting has its own clusterer (:mod:`tyndau.live.meeting_clusters`), run exactly as ``tyndau nlp
eval`` runs it: each batch is assigned in order, then the meeting is re-clustered while it is
small enough. A cluster's stable id is the id of its first comment, so ids survive restarts (the
clusterer is rebuilt from the stored ids); merges, splits and moves are read back into it before
the next batch, and the pairs people judged teach it. People's decisions are never overwritten: reviewed comments keep their category, locked memberships and edited fields
stay (see :func:`tyndau.store.problems.sync_drafts`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from tyndau.live.meeting_clusters import Changes, MeetingClusters, place_keys
from tyndau.nlp.clusterer import LIVE_BATCH
from tyndau.nlp.drafts import Member, build_draft
from tyndau.store import cluster_state
from tyndau.store.comments import get_comments
from tyndau.store.problems import DraftProblem, sync_drafts
from tyndau.store.schema import comments, corrections

log = logging.getLogger(__name__)
SKIP_KINDS = ("deleted", "placeholder", "membership", "media")
Publish = Callable[[int, list[dict[str, Any]], list[int]], Awaitable[None]]
PublishStatus = Callable[[dict[str, Any]], Awaitable[None]]


class Labeller:
    """Labels comments in batches off the event loop and folds the result into the store."""

    def __init__(self, engine: AsyncEngine, load_pipeline: Callable[[Callable[[Any], None]], Any], publish: Publish,
                 executor_for: Mapping[str, str], *, batch_size: int = LIVE_BATCH, linger: float = 0.05,
                 publish_status: PublishStatus | None = None) -> None:
        self._engine = engine
        self._load = load_pipeline
        self._publish = publish
        self._publish_status = publish_status
        self._status_tasks: set[asyncio.Task[None]] = set()
        self._executor_for = executor_for
        self._batch_size = batch_size
        self._linger = linger
        self._queue: asyncio.Queue[int] = asyncio.Queue()
        self._queued: set[int] = set()
        self._learn: list[tuple[str, str | None, bool | None]] = []
        self._clusterers: dict[int, MeetingClusters | None] = {}
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

    def enqueue(self, ids: Iterable[int]) -> None:
        """Queue committed comments for labelling (never blocks)."""
        for comment_id in ids:
            if comment_id not in self._queued:
                self._queued.add(comment_id)
                self._queue.put_nowait(comment_id)

    def learn(self, text: str, *, category: str | None, is_problem: bool | None) -> None:
        """A secretary's correction; applied before the next batch is labelled."""
        self._learn.append((text, category, is_problem))

    async def run(self) -> None:
        """Load the pipeline, catch up with unlabelled comments, then label as they come."""
        started = time.perf_counter()
        loop = asyncio.get_running_loop()
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
            try:
                await self.label(ids)
            except Exception:
                log.exception("labelling %d comments failed; they stay unlabelled", len(ids))
            finally:
                self._queued.difference_update(ids)

    async def _replay_corrections(self) -> None:
        async with self._engine.connect() as conn:
            rows = (await conn.execute(sa.select(corrections.c.text, corrections.c.category).where(corrections.c.category.is_not(None)))).all()
        categoriser = self.pipeline.categoriser
        if rows and categoriser is not None:
            await asyncio.to_thread(categoriser.add_corrections, [(r.text, r.category) for r in rows])
            log.info("replayed %d secretary corrections into the categoriser", len(rows))

    async def _catch_up(self) -> None:
        async with self._engine.connect() as conn:
            ids = (await conn.execute(sa.select(comments.c.id).where(comments.c.labels.is_(None), comments.c.kind.not_in(SKIP_KINDS)).order_by(comments.c.id))).scalars().all()
        if ids:
            log.info("labelling %d comments that arrived while NLP was not running", len(ids))
            self.enqueue(ids)

    async def _apply_learning(self) -> None:
        pending, self._learn = self._learn, []
        categoriser = self.pipeline.categoriser if self.pipeline is not None else None
        items = [(text, category) for text, category, _ in pending if category]
        if items and categoriser is not None:
            await asyncio.to_thread(categoriser.add_corrections, items)

    async def label(self, ids: Sequence[int]) -> None:
        """Label one batch, cluster it per meeting, update drafts, and tell the consoles."""
        await self._apply_learning()
        async with self._engine.connect() as conn:
            rows = [r for r in await get_comments(conn, ids) if r.kind not in SKIP_KINDS and not (r.extra or {}).get("own")]  # the page's own posts are no problems
        if not rows:
            return
        labels = await asyncio.to_thread(self.pipeline.process, [r.text for r in rows], [r.id for r in rows], cluster=False)
        by_meeting: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
        for row, lab in zip(rows, labels):
            by_meeting[row.meeting_id].append((row, lab))
        for meeting_id, pairs in by_meeting.items():
            await self._fold(meeting_id, pairs)
        self.labelled += len(rows)

    async def _fold(self, meeting_id: int, pairs: list[tuple[Any, Any]]) -> None:
        mc = await self._clusters_for(meeting_id)
        if mc is not None and mc.dirty:
            async with self._engine.begin() as conn:
                await mc.sync_people(conn, meeting_id)
        updates: list[dict[str, Any]] = []
        not_problems: list[int] = []
        entries: list[tuple[int, Any, dict[str, Any]]] = []
        for row, lab in pairs:
            human = row.reviewed_at is not None
            is_problem = row.is_problem if human else lab.is_problem
            category = row.category if human else lab.category
            if is_problem and lab.vector is not None and mc is not None:
                entries.append((row.id, lab.vector, {"lang": lab.lang, "places": place_keys(lab), "category": category,
                                                     "text": lab.text}))
            elif is_problem is False:
                not_problems.append(row.id)
            data = lab.as_dict()
            data.pop("text", None)
            updates.append({"id": row.id, "labels": data, "is_problem": is_problem, "category": category,
                            "cluster_id": None, "needs_review": bool(lab.needs_review) and not human,
                            "lang": row.lang or lab.lang})
        changes = await asyncio.to_thread(mc.add, entries) if mc is not None and entries else Changes()
        for u in updates:
            u["cluster_id"] = changes.clusters.get(u["id"])
        in_batch = {u["id"] for u in updates}
        async with self._engine.begin() as conn:
            for u in updates:
                await conn.execute(comments.update().where(comments.c.id == u["id"]).values(
                    labels=u["labels"], is_problem=u["is_problem"], category=u["category"], cluster_id=u["cluster_id"],
                    needs_review=u["needs_review"], lang=u["lang"], version=comments.c.version + 1))
            for comment_id, cluster_id in changes.clusters.items():
                if comment_id not in in_batch:  # moved by a re-clustering
                    await conn.execute(comments.update().where(comments.c.id == comment_id).values(cluster_id=cluster_id))
            drafts = await self._drafts(conn, mc, changes.touched)
            changed = await sync_drafts(conn, meeting_id, drafts, not_problems)
            changed.update(await cluster_state.retire_empty(conn, meeting_id, sorted(changes.emptied)))
        await self._publish(meeting_id, [{k: u[k] for k in ("id", "labels", "is_problem", "category", "cluster_id", "needs_review", "lang")} for u in updates], sorted(changed))

    def clusters_changed(self, meeting_id: int) -> None:
        """A person merged, split or moved in this meeting: re-read their decisions before labelling on."""
        mc = self._clusterers.get(meeting_id)
        if mc is not None:
            mc.dirty = True

    async def _drafts(self, conn: Any, mc: MeetingClusters | None, touched: set[int]) -> list[DraftProblem]:
        if not touched or mc is None:
            return []
        drafts: list[DraftProblem] = []
        for anchor in sorted(touched):
            key = mc.key(anchor)
            if key is None:
                continue
            member_ids = sorted(mc.clusterer.members(key))
            if not member_ids:
                continue
            rows = await get_comments(conn, member_ids)
            members = [Member(r.id, r.text, (r.labels or {}).get("lang"), r.category, _place_name(r.labels)) for r in rows]
            vectors = [mc.clusterer.vector(r.id) for r in rows]
            stacked = np.stack(vectors) if rows and all(v is not None for v in vectors) else None
            d = build_draft(anchor, members, stacked, self._executor_for)
            drafts.append(DraftProblem(d.cluster_id, d.title_ru, d.title_kk, d.category, d.place, d.executor, d.comment_ids))
        return drafts

    async def _clusters_for(self, meeting_id: int) -> MeetingClusters | None:
        """The meeting's clusters; after a restart they are rebuilt from the stored cluster ids."""
        if meeting_id in self._clusterers:
            return self._clusterers[meeting_id]
        template = self.pipeline.clusterer
        if template is None:
            self._clusterers[meeting_id] = None
            return None
        mc = MeetingClusters(template.fresh())
        async with self._engine.connect() as conn:
            rows = (await conn.execute(sa.select(comments.c.id, comments.c.text, comments.c.category, comments.c.cluster_id, comments.c.labels)
                                       .where(comments.c.meeting_id == meeting_id, comments.c.cluster_id.is_not(None)).order_by(comments.c.id))).all()
        if rows:
            labels = await asyncio.to_thread(self.pipeline.process, [r.text for r in rows], [r.id for r in rows], cluster=False)
            for row, lab in zip(rows, labels):
                if lab.vector is not None:
                    mc.restore(row.id, lab.vector, row.cluster_id,
                               {"lang": lab.lang, "places": place_keys(row.labels or lab), "category": row.category,
                                "text": lab.text})
            log.info("rebuilt %d clusters of meeting %s from the store", len(mc.anchors), meeting_id)
        self._clusterers[meeting_id] = mc
        return mc


def _place_name(labels: Mapping[str, Any] | None) -> str | None:
    places = (labels or {}).get("places") or []
    for place in places:
        if place.get("kind") != "house":
            return place.get("name")
    return places[0].get("name") if places else None
