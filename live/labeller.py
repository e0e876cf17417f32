"""Live labelling: committed comments get NLP labels, clusters and draft problems as they arrive.

The pipeline loads in a worker thread after the server is up; until then (or if it cannot load)
comments simply stay unlabelled and are labelled later — intake never waits for NLP. Each
meeting has its own incremental clusterer; a cluster's stable id is the id of its first comment,
so ids survive restarts (the clusterer is rebuilt from the stored labels). People's decisions are
never overwritten: reviewed comments keep their category, locked memberships and edited fields
stay (see :func:`tyndau.store.problems.sync_drafts`). An echo ("+", "и у нас тоже", "про Кемер
так и не ответили") joins the recent problem it points at as a mention and never starts a draft.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from typing import Any, Awaitable, Callable, Iterable, Mapping, Sequence

import numpy as np
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from tyndau.nlp.chat import ECHO, ChatContext, Seen, names
from tyndau.nlp.drafts import DraftBuilder, Member
from tyndau.nlp.place_names import mentions_from_labels
from tyndau.store.comments import get_comments
from tyndau.store.problems import DraftProblem, sync_drafts
from tyndau.store.schema import comments, corrections

log = logging.getLogger(__name__)
SKIP_KINDS = ("deleted", "placeholder", "membership")
Publish = Callable[[int, list[dict[str, Any]], list[int]], Awaitable[None]]


class Labeller:
    """Labels comments in batches off the event loop and folds the result into the store."""

    def __init__(self, engine: AsyncEngine, load_pipeline: Callable[[], Any], publish: Publish,
                 executor_for: Mapping[str, str], *, batch_size: int = 64, linger: float = 0.05) -> None:
        self._engine = engine
        self._load = load_pipeline
        self._publish = publish
        self._executor_for = executor_for
        self._batch_size = batch_size
        self._linger = linger
        self._queue: asyncio.Queue[int] = asyncio.Queue()
        self._queued: set[int] = set()
        self._learn: list[tuple[str, str | None, bool | None]] = []
        self._clusterers: dict[int, Any] = {}
        self._anchors: dict[int, dict[str, int]] = {}
        self._echoes: dict[int, dict[int, set[int]]] = {}
        self._context: dict[int, ChatContext] = {}
        self._builder: DraftBuilder | None = None
        self.pipeline: Any = None
        self.state = "loading"
        self.labelled = 0
        self.latencies: list[float] = []

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
        try:
            self.pipeline = await asyncio.to_thread(self._load)
        except Exception as exc:  # noqa: BLE001 - the server runs on without NLP
            self.state = "failed"
            log.error("the NLP pipeline could not load (%s); comments stay unlabelled", exc)
            return
        log.info("NLP pipeline ready in %.1f s", time.perf_counter() - started)
        try:
            await self._replay_corrections()
        except Exception:  # noqa: BLE001 - labelling without old corrections beats not labelling
            log.exception("could not replay the stored corrections; labelling without them")
        self.state = "ready"
        try:
            await self._catch_up()
        except Exception:  # noqa: BLE001 - new comments are still labelled as they arrive
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
                except asyncio.TimeoutError:
                    break
            try:
                await self.label(ids)
            except Exception:  # noqa: BLE001 - a failing batch stays unlabelled, the loop goes on
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
            rows = [r for r in await get_comments(conn, ids) if r.kind not in SKIP_KINDS]
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
        clusterer = await self._clusterer_for(meeting_id)
        anchors = self._anchors.setdefault(meeting_id, {})
        touched: set[int] = set()
        updates: list[dict[str, Any]] = []
        not_problems: list[int] = []
        context = self._context.setdefault(meeting_id, ChatContext())
        echoes = self._echoes.setdefault(meeting_id, {})
        for row, lab in pairs:
            human = row.reviewed_at is not None
            is_problem = row.is_problem if human else lab.is_problem
            category = row.category if human else lab.category
            cluster_id = None
            target = None if human else _echo_target(context, row, lab)
            if target is not None:
                is_problem, lab.echo_of, cluster_id = True, target.comment_id, target.cluster
                echoes.setdefault(int(target.cluster), set()).add(row.id)  # type: ignore[arg-type]
                touched.add(int(target.cluster))  # type: ignore[arg-type]
            elif lab.chat_act == ECHO and not human:
                is_problem = False
            if target is None and is_problem and lab.vector is not None and clusterer is not None:
                key = clusterer.assign(row.id, lab.vector, category=category, place=lab.place_key)
                cluster_id = anchors.setdefault(key, row.id)
                touched.add(cluster_id)
            elif is_problem is False:
                not_problems.append(row.id)
            context.observe(Seen(row.id, row.author or "", lab.chat_act, bool(is_problem),
                                 lab.subtopics[0] if lab.subtopics else None, lab.place_key, cluster_id,
                                 names(row.text or "")))
            data = lab.as_dict()
            data.pop("text", None)
            updates.append({"id": row.id, "labels": data, "is_problem": is_problem, "category": category,
                            "cluster_id": cluster_id, "needs_review": bool(lab.needs_review) and not human and lab.echo_of is None,
                            "lang": row.lang or lab.lang})
        async with self._engine.begin() as conn:
            for u in updates:
                await conn.execute(comments.update().where(comments.c.id == u["id"]).values(
                    labels=u["labels"], is_problem=u["is_problem"], category=u["category"], cluster_id=u["cluster_id"],
                    needs_review=u["needs_review"], lang=u["lang"], version=comments.c.version + 1))
            drafts = await self._drafts(conn, meeting_id, clusterer, touched)
            changed = await sync_drafts(conn, meeting_id, drafts, not_problems)
        await self._publish(meeting_id, [{k: u[k] for k in ("id", "labels", "is_problem", "category", "cluster_id", "needs_review", "lang")} for u in updates], sorted(changed))

    async def _drafts(self, conn: Any, meeting_id: int, clusterer: Any, touched: set[int]) -> list[DraftProblem]:
        if not touched or clusterer is None:
            return []
        keys = {anchor: key for key, anchor in self._anchors[meeting_id].items() if anchor in touched}
        echoes = self._echoes.get(meeting_id, {})
        builder = self._draft_builder()
        drafts: list[DraftProblem] = []
        for anchor, key in keys.items():
            member_ids = sorted(clusterer.members(key))
            if not member_ids:
                continue
            echo_ids = sorted(echoes.get(anchor, set()) - set(member_ids))
            rows = await get_comments(conn, member_ids + echo_ids)
            members = [_member(r, r.id in echo_ids) for r in rows]
            vectors = self._vectors(clusterer, [r.id for r in rows])
            d = builder.build(anchor, members, vectors)
            drafts.append(DraftProblem(d.cluster_id, d.title_ru, d.title_kk, d.category, d.place, d.executor, d.comment_ids))
        return drafts

    def _draft_builder(self) -> DraftBuilder:
        if self._builder is None:
            taxonomy = getattr(self.pipeline, "taxonomy", None)
            names = {c.id: dict(c.name) for c in taxonomy} if taxonomy is not None else {}
            self._builder = DraftBuilder(self._executor_for, category_names=names)
        return self._builder

    @staticmethod
    def _vectors(clusterer: Any, ids: Sequence[int]) -> np.ndarray | None:
        items = getattr(clusterer, "_items", None)
        if not items or not all(i in items for i in ids):
            return None
        return np.stack([items[i].vector for i in ids])

    async def _clusterer_for(self, meeting_id: int) -> Any:
        """The meeting's clusterer; after a restart it is rebuilt from the stored clusters."""
        if meeting_id in self._clusterers:
            return self._clusterers[meeting_id]
        template = self.pipeline.clusterer
        if template is None:
            self._clusterers[meeting_id] = None
            return None
        clusterer = type(template)(template.settings, center=template.center)
        anchors: dict[str, int] = {}
        async with self._engine.connect() as conn:
            rows = (await conn.execute(sa.select(comments.c.id, comments.c.text, comments.c.category, comments.c.cluster_id, comments.c.labels)
                                       .where(comments.c.meeting_id == meeting_id, comments.c.cluster_id.is_not(None)).order_by(comments.c.id))).all()
        echoes = self._echoes.setdefault(meeting_id, {})
        rows = [r for r in rows if not _stored_echo(r, echoes)]
        if rows:
            labels = await asyncio.to_thread(self.pipeline.process, [r.text for r in rows], [r.id for r in rows], cluster=False)
            for row, lab in zip(rows, labels):
                if lab.vector is None:
                    continue
                key = f"m{row.cluster_id}"
                clusterer.assign(row.id, lab.vector, category=row.category, place=(row.labels or {}).get("place_key"))
                clusterer.move(row.id, key)
                clusterer.unlock(row.id)
                anchors[key] = row.cluster_id
            log.info("rebuilt %d clusters of meeting %s from the store", len(anchors), meeting_id)
        self._clusterers[meeting_id] = clusterer
        self._anchors[meeting_id] = anchors
        return clusterer


def _echo_target(context: ChatContext, row: Any, lab: Any) -> Seen | None:
    """The recent problem this comment only echoes, if it is an echo (see ``ChatContext.echo_target``)."""
    return context.echo_target(act=lab.chat_act, is_problem=lab.is_problem, text=row.text or "",
                               subtopics=lab.subtopics, place=lab.place_key)


def _stored_echo(row: Any, echoes: dict[int, set[int]]) -> bool:
    """True (and remembered) when a stored comment joined its problem as an echo."""
    if (row.labels or {}).get("echo_of") is None or row.cluster_id is None:
        return False
    echoes.setdefault(int(row.cluster_id), set()).add(row.id)
    return True


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
