"""What people decided about clusters, as the live clusterer needs it.

Locked memberships (``problem_comments.locked``) say where a person put a comment; the
``cluster_feedback`` pairs say which comments a person judged one problem (merge, move) or not
(split, move away). Both are read when a meeting's clusterer is built and after every review
decision, so the machine follows them and never undoes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from tyndau.store.schema import cluster_feedback, problem_comments, problems
from tyndau.timeutil import utcnow

MAX_PAIRS = 400  # per decision: enough to teach, bounded for a merge of two huge problems


@dataclass(frozen=True, slots=True)
class Pinned:
    """A comment a person placed: its problem and that problem's cluster id."""

    comment_id: int
    problem_id: int
    cluster_id: int


async def pinned(conn: AsyncConnection, meeting_id: int) -> list[Pinned]:
    """Locked memberships of a meeting's live problems; a person's problem gets a cluster id.

    A problem made by a person (a split) has no machine cluster; it is given the cluster id
    ``-problem_id`` (never a comment id), so drafts find it again.
    """
    rows = (await conn.execute(
        sa.select(problem_comments.c.comment_id, problems.c.id, problems.c.cluster_id, problems.c.merged_into)
        .join(problems, problems.c.id == problem_comments.c.problem_id)
        .where(problems.c.meeting_id == meeting_id, problem_comments.c.locked.is_(True))
    )).all()
    if not rows:
        return []
    targets = dict((await conn.execute(
        sa.select(problems.c.id, problems.c.merged_into).where(problems.c.meeting_id == meeting_id)
    )).all())
    clusters = dict((await conn.execute(
        sa.select(problems.c.id, problems.c.cluster_id).where(problems.c.meeting_id == meeting_id)
    )).all())
    out: list[Pinned] = []
    for comment_id, pid, _, _ in rows:
        seen = {pid}
        while targets.get(pid) is not None and targets[pid] not in seen:
            pid = targets[pid]
            seen.add(pid)
        cluster = clusters.get(pid)
        if cluster is None:
            cluster = -pid
            await conn.execute(problems.update().where(problems.c.id == pid, problems.c.cluster_id.is_(None))
                               .values(cluster_id=cluster))
            clusters[pid] = cluster
        out.append(Pinned(comment_id, pid, cluster))
    return out


async def feedback(conn: AsyncConnection, meeting_id: int) -> list[tuple[int, int, bool]]:
    """Pairs people judged in this meeting: (comment, comment, same problem?)."""
    rows = await conn.execute(
        sa.select(cluster_feedback.c.a_comment_id, cluster_feedback.c.b_comment_id, cluster_feedback.c.same)
        .where(cluster_feedback.c.meeting_id == meeting_id).order_by(cluster_feedback.c.id))
    return [(a, b, bool(same)) for a, b, same in rows]


async def record(conn: AsyncConnection, meeting_id: int, decision_id: int | None,
                 pairs: Iterable[tuple[int, int, bool]]) -> int:
    """Store judged pairs of one decision (at most ``MAX_PAIRS``); returns how many."""
    now = utcnow().replace(tzinfo=None)
    values = [{"meeting_id": meeting_id, "a_comment_id": a, "b_comment_id": b, "same": same,
               "decision_id": decision_id, "at": now}
              for a, b, same in list(dict.fromkeys((a, b, s) for a, b, s in pairs if a != b))[:MAX_PAIRS]]
    if values:
        await conn.execute(cluster_feedback.insert(), values)
    return len(values)


async def forget_decision(conn: AsyncConnection, decision_id: int) -> None:
    """An undone decision teaches nothing."""
    await conn.execute(cluster_feedback.delete().where(cluster_feedback.c.decision_id == decision_id))


async def retire_empty(conn: AsyncConnection, meeting_id: int, cluster_ids: Sequence[int]) -> list[int]:
    """Delete machine drafts whose cluster the machine emptied and no person has touched."""
    if not cluster_ids:
        return []
    rows = (await conn.execute(sa.select(problems).where(
        problems.c.meeting_id == meeting_id, problems.c.cluster_id.in_(list(cluster_ids)),
        problems.c.origin == "machine", problems.c.merged_into.is_(None)))).all()
    gone: list[int] = []
    for row in rows:
        if row.human_fields or row.accepted or row.status != "in_progress" or _edited(row):
            continue
        members = await conn.scalar(sa.select(sa.func.count()).select_from(problem_comments)
                                    .where(problem_comments.c.problem_id == row.id))
        merged_in = await conn.scalar(sa.select(sa.func.count()).select_from(problems)
                                      .where(problems.c.merged_into == row.id))
        if not members and not merged_in:
            await conn.execute(problems.delete().where(problems.c.id == row.id))
            gone.append(row.id)
    return gone


async def untouched_draft_cluster(conn: AsyncConnection, problem_id: int) -> int | None:
    """The machine cluster of a draft nobody has worked on (no wording, plan or acceptance), else None."""
    row = (await conn.execute(sa.select(problems).where(problems.c.id == problem_id))).first()
    if row is None or row.origin != "machine" or row.cluster_id is None or row.merged_into is not None:
        return None
    if row.human_fields or row.accepted or row.status != "in_progress" or _edited(row):
        return None
    return int(row.cluster_id)


def _edited(row: Any) -> bool:
    return bool(row.measures or row.notes or row.deadline or row.funding_need or row.funding_allocated)
