"""The live labeller's rows: what is still unlabelled, labels written back, clusters to rebuild from.

The labeller (:mod:`tyndau.live.labeller`) decides; these are the statements it runs, inside
its own transactions (a batch's labels, cluster moves and drafts commit together).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from tyndau.store.schema import comments, corrections, problem_comments


@dataclass(frozen=True, slots=True)
class LabelUpdate:
    """One comment's labels as the NLP read it (and its triage, cluster and language)."""

    id: int
    labels: dict[str, Any]
    is_problem: bool | None
    category: str | None
    cluster_id: int | None
    needs_review: bool
    lang: str | None


@dataclass(frozen=True, slots=True)
class Clustered:
    """A comment that has a cluster: what a meeting's clusterer is rebuilt from after a restart."""

    id: int
    text: str
    category: str | None
    cluster_id: int
    labels: dict[str, Any] | None


async def category_corrections(conn: AsyncConnection) -> list[tuple[str, str]]:
    """(text, category) of every secretary correction that names a category (the categoriser replays them)."""
    query = sa.select(corrections.c.text, corrections.c.category).where(corrections.c.category.is_not(None))
    return [(str(r.text), str(r.category)) for r in await conn.execute(query)]


async def unlabelled_ids(conn: AsyncConnection, skip_kinds: Sequence[str]) -> list[int]:
    """Every comment without labels (other than the skipped kinds), in id order."""
    query = sa.select(comments.c.id).where(comments.c.labels.is_(None), comments.c.kind.not_in(skip_kinds)).order_by(comments.c.id)
    return [int(i) for i in (await conn.execute(query)).scalars()]


async def confirmed_unclustered_ids(conn: AsyncConnection, skip_kinds: Sequence[str]) -> list[int]:
    """Comments the machine held back from the drafts that a person has since confirmed as problems.

    Reviewed as a problem, and no person placed it in a problem (see ``held_ids``). The labeller
    clusters them, also after a restart or when the confirmation was made in another process.
    """
    return await _held(conn, comments.c.reviewed_at.is_not(None), comments.c.is_problem.is_(True), comments.c.kind.not_in(skip_kinds))


async def held_ids(conn: AsyncConnection, ids: Sequence[int]) -> list[int]:
    """Of ``ids``, the comments the machine kept out of the drafts as unsure.

    Labelled unsure whether it is a problem (``Labels.awaits_person``, or an unsure "no"), in no
    cluster, in no problem and no echo: only these need labelling again when a person says they are
    problems; the others already sit where they belong.
    """
    return await _held(conn, comments.c.id.in_(list(ids))) if ids else []


async def _held(conn: AsyncConnection, *where: Any) -> list[int]:
    placed = sa.select(problem_comments.c.comment_id)
    query = (sa.select(comments.c.id, comments.c.labels)
             .where(comments.c.cluster_id.is_(None), comments.c.labels.is_not(None), comments.c.id.not_in(placed), *where)
             .order_by(comments.c.id))
    return [int(r.id) for r in await conn.execute(query)
            if (r.labels or {}).get("unsure_problem") and (r.labels or {}).get("echo_of") is None]


async def set_labels(conn: AsyncConnection, updates: Sequence[LabelUpdate]) -> None:
    """Write a batch's labels (each comment's version goes up).

    A comment a person reviewed keeps their problem verdict, category and triage state, also when
    the review landed while the batch ran: the batch read the row before it, so the store decides.
    """
    machine = comments.c.reviewed_at.is_(None)
    for u in updates:
        await conn.execute(comments.update().where(comments.c.id == u.id).values(
            labels=u.labels, cluster_id=u.cluster_id, lang=u.lang, version=comments.c.version + 1,
            is_problem=sa.case((machine, u.is_problem), else_=comments.c.is_problem),
            category=sa.case((machine, u.category), else_=comments.c.category),
            needs_review=sa.case((machine, u.needs_review), else_=False)))


async def move_to_clusters(conn: AsyncConnection, moves: Mapping[int, int | None]) -> None:
    """Comments a re-clustering moved: comment id → its new cluster id."""
    for comment_id, cluster_id in moves.items():
        await conn.execute(comments.update().where(comments.c.id == comment_id).values(cluster_id=cluster_id))


async def clustered(conn: AsyncConnection, meeting_id: int) -> list[Clustered]:
    """A meeting's comments that have a cluster, in id order."""
    query = (sa.select(comments.c.id, comments.c.text, comments.c.category, comments.c.cluster_id, comments.c.labels)
             .where(comments.c.meeting_id == meeting_id, comments.c.cluster_id.is_not(None)).order_by(comments.c.id))
    return [Clustered(int(r.id), str(r.text), r.category, int(r.cluster_id), dict(r.labels) if isinstance(r.labels, dict) else None)
            for r in await conn.execute(query)]
