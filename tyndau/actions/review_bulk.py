"""Review decisions on several problems at once: accept them, or say none of them is a problem.

Both are single decisions with an exact undo (the caller's next undo puts every problem back).
"""

from __future__ import annotations

from typing import Any

from tyndau.actions import Action, ActionError
from tyndau.actions.context import ActionContext
from tyndau.actions.review import _clusters_changed, _decision, _dismiss_comments, _owned, lock_members, release_members
from tyndau.actions.review_schema import Accept, ProblemIds
from tyndau.store.people import Principal
from tyndau.store.problems import member_comment_ids, set_accepted


async def dismiss(services: ActionContext, who: Principal, cmd: ProblemIds) -> dict[str, Any]:
    """Several problems at once are "not a problem": every comment in them is; they leave the list (one undo brings all back)."""
    meeting_id, pids = cmd.meeting_id, cmd.problem_ids
    async with services.engine.begin() as conn:
        for pid in pids:
            await _owned(conn, meeting_id, pid)
        ids = await member_comment_ids(conn, pids)
        if not ids:
            raise ActionError(409, "nothing_to_dismiss", "these problems have no comments left")
        touched = await _dismiss_comments(conn, services, who, meeting_id, ids, "dismiss", {"problem_ids": pids, "comment_ids": ids})
    await services.publish_review(meeting_id, sorted(touched | set(pids)))
    return {"dismissed": pids, "not_problem": ids, "problems": sorted(touched | set(pids))}


async def accept(services: ActionContext, who: Principal, cmd: Accept) -> dict[str, Any]:
    """Accept (or un-accept) several problems at once; one undo puts each back as it was.

    Accepting locks the problems' comments where they are (:func:`lock_members`); un-accepting
    frees those the acceptance locked (:func:`release_members`), not those a person placed.
    """
    meeting_id, pids, value = cmd.meeting_id, cmd.problem_ids, cmd.accepted
    async with services.engine.begin() as conn:
        for pid in pids:
            await _owned(conn, meeting_id, pid)
        changed = await set_accepted(conn, pids, value)
        locked = await lock_members(conn, changed) if value and changed else []
        released = await release_members(conn, meeting_id, changed) if not value and changed else []
        await _decision(conn, who, meeting_id, "accept", {"problem_ids": pids, "accepted": value},
                        {"fields": {str(pid): {"accepted": not value} for pid in changed}, "unlock": locked, "lock": released})
    if locked or released:
        _clusters_changed(services, meeting_id)
    await services.publish_review(meeting_id, changed)
    return {"accepted": value, "problems": changed}


ACTIONS = (
    Action("review.accept", "review.decide", accept, Accept),
    Action("review.dismiss", "review.decide", dismiss, ProblemIds),
)
