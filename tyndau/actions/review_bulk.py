"""Review decisions on several problems at once: accept them, or say none of them is a problem.

Both are single decisions with an exact undo (the caller's next undo puts every problem back).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tyndau.actions import Action, ActionError
from tyndau.actions.review import _decision, _dismiss_comments, _owned
from tyndau.actions.review_schema import Accept, ProblemIds
from tyndau.store.people import Principal
from tyndau.store.schema import problem_comments, problems
from tyndau.timeutil import utcnow


async def dismiss(services: Any, who: Principal, cmd: ProblemIds) -> dict[str, Any]:
    """Several problems at once are "not a problem": every comment in them is; they leave the list (one undo brings all back)."""
    meeting_id, pids = cmd.meeting_id, cmd.problem_ids
    async with services.engine.begin() as conn:
        for pid in pids:
            await _owned(conn, meeting_id, pid)
        ids = sorted((await conn.execute(sa.select(problem_comments.c.comment_id).where(problem_comments.c.problem_id.in_(pids)))).scalars())
        if not ids:
            raise ActionError(409, "nothing_to_dismiss", "these problems have no comments left")
        touched = await _dismiss_comments(conn, services, who, meeting_id, ids, "dismiss", {"problem_ids": pids, "comment_ids": ids})
    await services.publish_review(meeting_id, sorted(touched | set(pids)))
    return {"dismissed": pids, "not_problem": ids, "problems": sorted(touched | set(pids))}


async def accept(services: Any, who: Principal, cmd: Accept) -> dict[str, Any]:
    """Accept (or un-accept) several problems at once; one undo puts each back as it was."""
    meeting_id, pids, value = cmd.meeting_id, cmd.problem_ids, cmd.accepted
    async with services.engine.begin() as conn:
        for pid in pids:
            await _owned(conn, meeting_id, pid)
        rows = (await conn.execute(sa.select(problems.c.id, problems.c.accepted).where(problems.c.id.in_(pids)))).all()
        changed = [r.id for r in rows if bool(r.accepted) != value]
        if changed:
            await conn.execute(problems.update().where(problems.c.id.in_(changed)).values(
                accepted=value, version=problems.c.version + 1, updated_at=utcnow().replace(tzinfo=None)))
        await _decision(conn, who, meeting_id, "accept", {"problem_ids": pids, "accepted": value},
                        {"fields": {str(pid): {"accepted": not value} for pid in changed}})
    await services.publish_review(meeting_id, changed)
    return {"accepted": value, "problems": changed}


ACTIONS = (
    Action("review.accept", "review.decide", accept, Accept),
    Action("review.dismiss", "review.decide", dismiss, ProblemIds),
)
