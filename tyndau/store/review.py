"""The review workspace's rows: decisions with their exact inverse, corrections, and comment triage.

The review actions (:mod:`tyndau.actions.review`) decide; this module is the SQL they need,
each function one statement or one small group inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from tyndau.store.comments import CommentRow
from tyndau.store.schema import comments, corrections, problem_comments, problems, review_decisions
from tyndau.timeutil import utcnow

# A comment's triage before a decision: (category, needs_review, is_problem).
Triage = tuple[str | None, bool, bool | None]


@dataclass(frozen=True, slots=True)
class Decision:
    """One stored review decision: what was done and how to undo it."""

    id: int
    action: str
    undo: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Said:
    """A comment's id and text (what a correction teaches)."""

    id: int
    text: str


@dataclass(frozen=True, slots=True)
class Queue:
    """The triage queue of a meeting: the first comments the NLP was unsure about, and the counters."""

    rows: list[CommentRow]
    pending: int
    reviewed: int


def _now() -> Any:
    return utcnow().replace(tzinfo=None)


async def add_decision(conn: AsyncConnection, meeting_id: int, actor: str, action: str,
                       payload: Mapping[str, Any], undo: Mapping[str, Any]) -> int:
    """Store a decision with its inverse; returns its id."""
    result = await conn.execute(review_decisions.insert().values(
        meeting_id=meeting_id, at=_now(), actor=actor, action=action, payload=dict(payload), undo=dict(undo), undone=False))
    key = result.inserted_primary_key
    assert key is not None  # an INSERT of one row always has its key
    return int(key[0])


async def last_decision(conn: AsyncConnection, meeting_id: int, actor: str) -> Decision | None:
    """The actor's newest decision in a meeting that is not undone yet."""
    row = (await conn.execute(
        sa.select(review_decisions.c.id, review_decisions.c.action, review_decisions.c.undo)
        .where(review_decisions.c.meeting_id == meeting_id, review_decisions.c.actor == actor, review_decisions.c.undone.is_(False))
        .order_by(review_decisions.c.id.desc()).limit(1))).first()
    return None if row is None else Decision(int(row.id), str(row.action), dict(row.undo or {}))


async def mark_undone(conn: AsyncConnection, decision_id: int) -> None:
    """A decision was undone (it is kept, for the record)."""
    await conn.execute(review_decisions.update().where(review_decisions.c.id == decision_id).values(undone=True))


async def problem_in_meeting(conn: AsyncConnection, meeting_id: int, problem_id: int) -> bool:
    """Whether the problem exists and belongs to the meeting."""
    found = await conn.scalar(sa.select(problems.c.id).where(problems.c.id == problem_id, problems.c.meeting_id == meeting_id))
    return found is not None


async def comments_in_meeting(conn: AsyncConnection, meeting_id: int, ids: Sequence[int]) -> set[int]:
    """Which of ``ids`` are comments of the meeting."""
    query = sa.select(comments.c.id).where(comments.c.id.in_(ids), comments.c.meeting_id == meeting_id)
    return {int(i) for i in (await conn.execute(query)).scalars()}


async def texts(conn: AsyncConnection, ids: Sequence[int]) -> list[Said]:
    """The texts of comments (what the categoriser learns from)."""
    rows = (await conn.execute(sa.select(comments.c.id, comments.c.text).where(comments.c.id.in_(ids)))).all()
    return [Said(int(r.id), str(r.text)) for r in rows]


async def store_corrections(conn: AsyncConnection, said: Sequence[Said], actor: str, *,
                            category: str | None, is_problem: bool | None) -> None:
    """A person's correction per comment (the newest replaces an older one)."""
    now = _now()
    for s in said:
        await conn.execute(corrections.delete().where(corrections.c.comment_id == s.id))
        await conn.execute(corrections.insert().values(comment_id=s.id, text=s.text, category=category, is_problem=is_problem, actor=actor, at=now))


async def triage(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, Triage]:
    """Each comment's (category, needs_review, is_problem), to undo a triage exactly."""
    query = sa.select(comments.c.id, comments.c.category, comments.c.needs_review, comments.c.is_problem).where(comments.c.id.in_(ids))
    return {int(r.id): (r.category, bool(r.needs_review), r.is_problem) for r in (await conn.execute(query))}


async def set_reviewed(conn: AsyncConnection, ids: Sequence[int], reviewer: str, *, is_problem: bool, category: str | None = None,
                       set_category: bool = False) -> None:
    """Comments reviewed by a person: a problem or not (and, when ``set_category``, their category)."""
    values: dict[str, Any] = {"is_problem": is_problem, "needs_review": False, "reviewed_at": _now(), "reviewed_by": reviewer}
    if set_category:
        values["category"] = category
    await conn.execute(comments.update().where(comments.c.id.in_(ids)).values(**values))


async def restore_triage(conn: AsyncConnection, comment_id: int, before: Sequence[Any]) -> None:
    """Put a comment's triage back as it was before a decision (unreviewed)."""
    category, needs_review, is_problem = before
    await conn.execute(comments.update().where(comments.c.id == comment_id).values(
        category=category, needs_review=needs_review, is_problem=is_problem, reviewed_at=None, reviewed_by=None))


async def problem_row(conn: AsyncConnection, problem_id: int) -> sa.Row[Any] | None:
    """A problem's row (its fields and wording)."""
    return (await conn.execute(sa.select(problems).where(problems.c.id == problem_id))).first()


async def problem_category(conn: AsyncConnection, problem_id: int) -> str | None:
    """A problem's category (None when it has none or does not exist)."""
    found = await conn.scalar(sa.select(problems.c.category).where(problems.c.id == problem_id))
    return None if found is None else str(found)


async def member_texts(conn: AsyncConnection, problem_id: int) -> list[sa.Row[Any, Any, Any, Any]]:
    """The id, text, language and labels of a problem's comments (a split words both sides from them)."""
    query = (sa.select(comments.c.id, comments.c.text, comments.c.lang, comments.c.labels)
             .join(problem_comments, problem_comments.c.comment_id == comments.c.id).where(problem_comments.c.problem_id == problem_id))
    return list((await conn.execute(query)).all())


async def set_fields(conn: AsyncConnection, problem_id: int, values: Mapping[str, Any]) -> None:
    """Set a problem's fields as they were or as decided (its version goes up)."""
    await conn.execute(problems.update().where(problems.c.id == problem_id).values(**values, version=problems.c.version + 1))


async def mark_merged(conn: AsyncConnection, problem_ids: Sequence[int], target: int) -> None:
    """Problems merged into ``target`` (their version goes up)."""
    await conn.execute(problems.update().where(problems.c.id.in_(problem_ids)).values(merged_into=target, version=problems.c.version + 1))


async def unlock(conn: AsyncConnection, comment_id: int) -> None:
    """Let the machine move a comment again."""
    await conn.execute(problem_comments.update().where(problem_comments.c.comment_id == comment_id).values(locked=False))


async def lock(conn: AsyncConnection, comment_ids: Sequence[int]) -> None:
    """Lock comments where they are (undo of an un-accept)."""
    if comment_ids:
        await conn.execute(problem_comments.update().where(problem_comments.c.comment_id.in_(list(comment_ids))).values(locked=True))


async def locked_by_acceptance(conn: AsyncConnection, meeting_id: int) -> set[int]:
    """Comments whose lock came from accepting their draft, not from a person placing them.

    Read from the meeting's decisions in order: an acceptance lists the comments it locked (its
    undo's ``unlock``); a decision that placed comments (a move, merge, split or dismissal, whose
    undo restores ``memberships``) makes them a person's; an un-accept lists those it released
    (``lock``).
    """
    rows = await conn.execute(
        sa.select(review_decisions.c.action, review_decisions.c.undo)
        .where(review_decisions.c.meeting_id == meeting_id, review_decisions.c.undone.is_(False))
        .order_by(review_decisions.c.id))
    found: set[int] = set()
    for action, undo in rows:
        plan = undo or {}
        unlocked = {int(c) for c in plan.get("unlock") or ()}
        if action in ("accept", "edit"):
            found |= unlocked
        else:
            found -= unlocked
        found -= {int(c) for c in plan.get("memberships") or {}}
        found -= {int(c) for c in plan.get("lock") or ()}
    return found


async def delete_problem(conn: AsyncConnection, problem_id: int) -> None:
    """Remove a problem a decision created (undo of a split)."""
    await conn.execute(problem_comments.delete().where(problem_comments.c.problem_id == problem_id))
    await conn.execute(problems.delete().where(problems.c.id == problem_id))


async def queue(conn: AsyncConnection, meeting_id: int, limit: int) -> Queue:
    """Visible comments of a meeting still needing review (oldest first), how many there are, and how many were reviewed."""
    base = sa.select(comments).where(comments.c.meeting_id == meeting_id, comments.c.needs_review.is_(True), comments.c.hidden.is_(False))
    rows = (await conn.execute(base.order_by(comments.c.id).limit(limit))).all()
    pending = await conn.scalar(sa.select(sa.func.count()).select_from(base.subquery()))
    done = await conn.scalar(sa.select(sa.func.count()).where(comments.c.meeting_id == meeting_id, comments.c.reviewed_at.is_not(None)))
    return Queue(list(rows), int(pending or 0), int(done or 0))
