"""Review actions: secretaries edit, merge, split, move, mark "not a problem", assign, and undo.

Every decision is stored with its inverse, so undo is exact; decisions are human memberships or
human fields, which the machine never overwrites; category decisions feed the categoriser.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tyndau.actions import Action, ActionError
from tyndau.actions.context import ActionContext
from tyndau.actions.review_schema import Classify, CommentIds, Edit, MeetingOnly, Merge, Move, Split
from tyndau.actions.wording import split_wordings
from tyndau.store import cluster_state
from tyndau.store import labels as label_rows
from tyndau.store import review as rs
from tyndau.store.audit import record as audit
from tyndau.store.people import Principal
from tyndau.store.problems import (
    StaleProblem,
    create_problem,
    get_problem,
    member_comment_ids,
    memberships,
    restore,
    set_memberships,
    snapshot,
    update_problem,
)


async def _edit_context(services: ActionContext, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The meeting's date, against which a deadline is checked (none for a malformed or unknown meeting)."""
    meeting_id = payload.get("meeting_id")
    if isinstance(meeting_id, bool) or not isinstance(meeting_id, int) or not 0 < meeting_id < 2**53:
        return {}
    try:
        return {"meeting_day": await services.meeting_day(meeting_id)}
    except ActionError:
        return {}


async def _decision(conn: Any, who: Principal, meeting_id: int, action: str, payload: Mapping[str, Any], undo: Mapping[str, Any]) -> int:
    decision = await rs.add_decision(conn, meeting_id, f"{who.kind}:{who.name}", action, payload, undo)
    await audit(conn, who, f"review.{action}", meeting_id, dict(payload))
    return decision


def _clusters_changed(services: ActionContext, meeting_id: int) -> None:
    """Tell the live clusterer that people decided something (it re-reads before the next batch)."""
    if services.labeller is not None:
        services.labeller.clusters_changed(meeting_id)


async def _owned(conn: Any, meeting_id: int, problem_id: int) -> None:
    if not await rs.problem_in_meeting(conn, meeting_id, problem_id):
        raise ActionError(404, "not_found", f"no problem {problem_id} in meeting {meeting_id}")


async def lock_members(conn: Any, problem_ids: list[int]) -> list[int]:
    """Make an accepted problem's comments a person's: the machine no longer moves them away.

    A secretary who accepts a draft has read its comments; a re-clustering later in the meeting
    must not take one of them out from under the accepted wording (new comments can still join).
    Returns the comments that were free, for the decision's undo.
    """
    members = await memberships(conn, await member_comment_ids(conn, problem_ids))
    free = {cid: pid for cid, (pid, locked) in members.items() if not locked and pid is not None}
    if free:
        await set_memberships(conn, {cid: (pid, True) for cid, pid in free.items()})
    return sorted(free)


async def release_members(conn: Any, meeting_id: int, problem_ids: list[int]) -> list[int]:
    """Undo what accepting did to un-accepted problems: the comments only the acceptance locked are free again.

    Comments a person placed (moved, merged, split off) stay locked. Returns the released ones,
    for the decision's undo.
    """
    by_acceptance = await rs.locked_by_acceptance(conn, meeting_id)
    members = await memberships(conn, await member_comment_ids(conn, problem_ids))
    free = {cid: pid for cid, (pid, locked) in members.items() if locked and pid is not None and cid in by_acceptance}
    if free:
        await set_memberships(conn, {cid: (pid, False) for cid, pid in free.items()})
    return sorted(free)


async def _meeting_comments(conn: Any, meeting_id: int, ids: list[int]) -> None:
    found = await rs.comments_in_meeting(conn, meeting_id, ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise ActionError(404, "not_found", f"comments not in this meeting: {missing[:10]}")


async def _corrections(conn: Any, services: ActionContext, who: Principal, comment_ids: list[int], *, category: str | None = None, is_problem: bool | None = None) -> None:
    """Store corrections and teach the live categoriser at once."""
    rows = await rs.texts(conn, comment_ids)
    await rs.store_corrections(conn, rows, who.name, category=category, is_problem=is_problem)
    learner = services.labeller
    if learner is not None:
        for row in rows:
            learner.learn(row.text, category=category, is_problem=is_problem)


async def edit(services: ActionContext, who: Principal, cmd: Edit) -> dict[str, Any]:
    """Edit fields of a problem (``version`` required: a stale one gets 409 with the current problem)."""
    meeting_id, problem_id, version, values = cmd.meeting_id, cmd.problem_id, cmd.version, cmd.fields.values()
    await services.meeting_day(meeting_id)  # 404 for an unknown meeting
    async with services.engine.begin() as conn:
        await _owned(conn, meeting_id, problem_id)
        before = await snapshot(conn, problem_id)
        suggested: dict[str, Any] = {}
        if "category" in values and "executor" not in values and "executor" not in (before.get("human_fields") or []):
            # The suggested executor follows the category, unless a person chose one.
            usual = services.vocabulary.executor_for.get(values["category"] or "")
            if usual:
                suggested["executor"] = usual
        try:
            problem = await update_problem(conn, problem_id, version, values, human=True, suggested=suggested)
        except StaleProblem as exc:
            raise ActionError(409, "stale_version", "someone else changed this problem; look at their change and apply yours again", problem=exc.current) from None
        locked = await lock_members(conn, [problem_id]) if values.get("accepted") is True else []
        released = await release_members(conn, meeting_id, [problem_id]) if values.get("accepted") is False else []
        await _decision(conn, who, meeting_id, "edit", {"problem_id": problem_id, "fields": sorted(values)},
                        {"restore": [before], "unlock": locked, "lock": released})
        if "category" in values:
            members = await member_comment_ids(conn, [problem_id])
            await _corrections(conn, services, who, members, category=values["category"], is_problem=True)
    if locked or released:
        _clusters_changed(services, meeting_id)
    await services.publish_review(meeting_id, [problem_id])
    return {"problem": problem}


async def merge(services: ActionContext, who: Principal, cmd: Merge) -> dict[str, Any]:
    """Merge problems into a target: their comments move (locked); they are marked merged."""
    meeting_id, target = cmd.meeting_id, cmd.target_id
    sources = [s for s in cmd.source_ids if s != target]
    if not sources:
        raise ActionError(400, "bad_request", "name at least one other problem to merge", {"source_ids": "required"})
    async with services.engine.begin() as conn:
        for pid in (target, *sources):
            await _owned(conn, meeting_id, pid)
        moved = await member_comment_ids(conn, sources)
        kept = await member_comment_ids(conn, [target])
        before_members = await memberships(conn, moved)
        before = [await snapshot(conn, pid) for pid in sources]
        await set_memberships(conn, {cid: (target, True) for cid in moved})
        await rs.mark_merged(conn, sources, target)
        decision = await _decision(conn, who, meeting_id, "merge", {"target_id": target, "source_ids": sources},
                                   {"restore": before, "memberships": {str(k): list(v) for k, v in before_members.items()}})
        await cluster_state.record(conn, meeting_id, decision, ((a, b, True) for a in kept for b in moved))
        problem = await get_problem(conn, target)
    _clusters_changed(services, meeting_id)
    await services.publish_review(meeting_id, [target, *sources])
    return {"problem": problem}


async def split(services: ActionContext, who: Principal, cmd: Split) -> dict[str, Any]:
    """Split comments off into a new problem (a person's problem, comments locked)."""
    meeting_id, source, ids, title = cmd.meeting_id, cmd.problem_id, cmd.comment_ids, cmd.title_ru or ""
    async with services.engine.begin() as conn:
        await _owned(conn, meeting_id, source)
        current = await memberships(conn, ids)
        if any(current.get(cid, (None, False))[0] != source for cid in ids):
            raise ActionError(409, "not_members", "some comments are not (or no longer) in this problem; reload and try again")
        row = await rs.problem_row(conn, source)
        assert row is not None  # _owned checked it
        before = await snapshot(conn, source)
        members = await rs.member_texts(conn, source)
        moved = [m for m in members if m.id in set(ids)]
        kept = [m for m in members if m.id not in set(ids)]
        (new_ru, new_kk), (rest_ru, rest_kk) = split_wordings(row, moved, kept, given=str(title or ""))
        new_id = await create_problem(conn, meeting_id, origin="human", title_ru=new_ru[:500], title_kk=new_kk[:500],
                                      category=row.category, place=row.place, place_kk=row.place_kk, executor=row.executor,
                                      human_fields=["title_ru"] if title else [])
        await set_memberships(conn, {cid: (new_id, True) for cid in ids})
        human = set(row.human_fields or [])
        left = {k: v for k, v in (("title_ru", rest_ru), ("title_kk", rest_kk)) if k not in human and v != getattr(row, k)}
        if left:
            await rs.set_fields(conn, source, left)
        rest = [m.id for m in kept]
        was_free = [c for c, (_, locked) in (await memberships(conn, rest)).items() if not locked]
        await set_memberships(conn, {cid: (source, True) for cid in rest})  # both sides are a person's now
        decision = await _decision(conn, who, meeting_id, "split", {"problem_id": source, "new_id": new_id, "comment_ids": ids},
                                   {"delete": [new_id], "memberships": {str(k): list(v) for k, v in current.items()},
                                    "restore": [before] if left else [], "unlock": was_free})
        await cluster_state.record(conn, meeting_id, decision, ((a, b, False) for a in ids for b in rest))
        problem = await get_problem(conn, new_id)
    _clusters_changed(services, meeting_id)
    await services.publish_review(meeting_id, [source, new_id])
    return {"problem": problem}


async def move(services: ActionContext, who: Principal, cmd: Move) -> dict[str, Any]:
    """Move comments to another problem (locked)."""
    meeting_id, target, ids = cmd.meeting_id, cmd.to_problem_id, cmd.comment_ids
    async with services.engine.begin() as conn:
        await _owned(conn, meeting_id, target)
        await _meeting_comments(conn, meeting_id, ids)
        current = await memberships(conn, ids)
        joined = [c for c in await member_comment_ids(conn, [target]) if c not in ids]
        left = [c for c in await member_comment_ids(conn, sorted({v[0] for v in current.values() if v[0] and v[0] != target})) if c not in ids]
        await set_memberships(conn, {cid: (target, True) for cid in ids})
        decision = await _decision(conn, who, meeting_id, "move", {"to_problem_id": target, "comment_ids": ids},
                                   {"memberships": {str(cid): list(current[cid]) if cid in current else None for cid in ids}})
        await cluster_state.record(conn, meeting_id, decision, [*((a, b, True) for a in ids for b in joined),
                                                                 *((a, b, False) for a in ids for b in left)])
        await _corrections(conn, services, who, ids, category=await rs.problem_category(conn, target), is_problem=True)
    _clusters_changed(services, meeting_id)
    await services.publish_review(meeting_id, sorted({target, *(v[0] for v in current.values() if v[0])}))
    return {"moved": ids, "to_problem_id": target}


async def _dismiss_comments(conn: Any, services: ActionContext, who: Principal, meeting_id: int, ids: list[int], action: str, payload: Mapping[str, Any]) -> set[int]:
    """Mark comments "not a problem" (out of every problem, for good) with an exact undo; returns the problems they left."""
    current = await memberships(conn, ids)
    before = await rs.triage(conn, ids)
    await set_memberships(conn, {cid: (None, True) for cid in ids})
    await rs.set_reviewed(conn, ids, who.name, is_problem=False)
    await _decision(conn, who, meeting_id, action, payload,
                    {"memberships": {str(cid): list(current[cid]) if cid in current else None for cid in ids},
                     "comments": {str(k): list(v) for k, v in before.items()}})
    await _corrections(conn, services, who, ids, is_problem=False)
    return {v[0] for v in current.values() if v[0]}


async def not_problem(services: ActionContext, who: Principal, cmd: CommentIds) -> dict[str, Any]:
    """Mark comments "not a problem": out of every problem, for good (the machine respects it)."""
    meeting_id, ids = cmd.meeting_id, cmd.comment_ids
    async with services.engine.begin() as conn:
        await _meeting_comments(conn, meeting_id, ids)
        touched = await _dismiss_comments(conn, services, who, meeting_id, ids, "not_problem", {"comment_ids": ids})
    await services.publish_review(meeting_id, sorted(touched))
    return {"not_problem": ids, "problems": sorted(touched)}


async def classify(services: ActionContext, who: Principal, cmd: Classify) -> dict[str, Any]:
    """Triage: give comments a category (they stay problems) — a correction the categoriser learns at once."""
    meeting_id, ids, category = cmd.meeting_id, cmd.comment_ids, cmd.category
    async with services.engine.begin() as conn:
        await _meeting_comments(conn, meeting_id, ids)
        before = await rs.triage(conn, ids)
        held = await label_rows.held_ids(conn, ids)
        await rs.set_reviewed(conn, ids, who.name, is_problem=True, category=category, set_category=True)
        await _decision(conn, who, meeting_id, "classify", {"comment_ids": ids, "category": category},
                        {"comments": {str(k): list(v) for k, v in before.items()}, "held": held})
        await _corrections(conn, services, who, ids, category=category, is_problem=True)
    if held and services.labeller is not None:  # held back as unsure, a problem now: draft it
        services.labeller.reconsider(held)
    await services.publish_review(meeting_id, [])
    return {"classified": ids, "category": category}


async def undo(services: ActionContext, who: Principal, cmd: MeetingOnly) -> dict[str, Any]:
    """Undo the caller's last review decision in this meeting."""
    meeting_id = cmd.meeting_id
    actor = f"{who.kind}:{who.name}"
    touched: set[int] = set()
    async with services.engine.begin() as conn:
        row = await rs.last_decision(conn, meeting_id, actor)
        if row is None:
            raise ActionError(409, "nothing_to_undo", "you have no review decision to undo in this meeting")
        plan = row.undo or {}
        for data in plan.get("restore", []):
            await restore(conn, data)
            touched.add(data["id"])
        if plan.get("memberships"):
            changes = {int(k): (tuple(v) if v is not None else None) for k, v in plan["memberships"].items()}
            await set_memberships(conn, changes)
            touched.update(v[0] for v in changes.values() if v and v[0])
        for pid, values in (plan.get("fields") or {}).items():
            await rs.set_fields(conn, int(pid), values)
            touched.add(int(pid))
        for cid, before in (plan.get("comments") or {}).items():
            await rs.restore_triage(conn, int(cid), before)
        for cid in plan.get("unlock", []):
            await rs.unlock(conn, int(cid))
        for cid in plan.get("held", []):  # drafted only because of the undone decision: held back again
            touched.update(await _withhold(conn, meeting_id, int(cid)))
        await rs.lock(conn, [int(c) for c in plan.get("lock", [])])
        await cluster_state.forget_decision(conn, row.id)
        for pid in plan.get("delete", []):
            await rs.delete_problem(conn, pid)
            touched.add(pid)
        await rs.mark_undone(conn, row.id)
        await audit(conn, who, "review.undo", meeting_id, {"decision": row.id, "action": row.action})
    _clusters_changed(services, meeting_id)
    if plan.get("held") and services.labeller is not None:
        services.labeller.rebuild(meeting_id)
    await services.publish_review(meeting_id, sorted(touched))
    return {"undone": row.action, "problems": sorted(touched)}


async def _withhold(conn: Any, meeting_id: int, comment_id: int) -> set[int]:
    """Take a comment back out of the machine draft it joined; returns the problems that changed.

    Left where it is when a person has placed it since (a locked membership) or worked on that draft
    (a wording, a plan, acceptance): their draft does not lose a comment behind their back. A draft
    it leaves empty is deleted, as the labeller deletes the drafts it empties.
    """
    member = (await memberships(conn, [comment_id])).get(comment_id)
    if member is None or member[1] or member[0] is None:
        return set()
    cluster = await cluster_state.untouched_draft_cluster(conn, member[0])
    if cluster is None:
        return set()
    await set_memberships(conn, {comment_id: None})
    await label_rows.move_to_clusters(conn, {comment_id: None})
    gone = await cluster_state.retire_empty(conn, meeting_id, [cluster])
    return {member[0], *gone}


ACTIONS = (
    Action("review.edit", "review.decide", edit, Edit, context=_edit_context),
    Action("review.merge", "review.decide", merge, Merge),
    Action("review.split", "review.decide", split, Split),
    Action("review.move", "review.decide", move, Move),
    Action("review.not_problem", "review.decide", not_problem, CommentIds),
    Action("review.classify", "review.decide", classify, Classify),
    Action("review.undo", "review.decide", undo, MeetingOnly),
)
