"""Review actions: secretaries edit, merge, split, move, mark "not a problem", assign, and undo.

Every decision is stored with its inverse, so undo is exact; decisions are human memberships or
human fields, which the machine never overwrites; category decisions feed the categoriser.
"""

from __future__ import annotations

from typing import Any, Mapping

import sqlalchemy as sa

from tyndau.actions import Action, ActionError
from tyndau.actions.review_schema import Classify, CommentIds, Edit, MeetingOnly, Merge, Move, Split
from tyndau.actions.wording import split_wordings
from tyndau.store import cluster_state
from tyndau.store.audit import record as audit
from tyndau.store.people import Principal
from tyndau.store.problems import (
    StaleProblem, create_problem, get_problem, memberships, restore, set_memberships, snapshot, update_problem,
)
from tyndau.store.schema import comments, corrections, problem_comments, problems, review_decisions
from tyndau.timeutil import utcnow


async def _edit_context(services: Any, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The meeting's date, against which a deadline is checked (none for a malformed or unknown meeting)."""
    meeting_id = payload.get("meeting_id")
    if isinstance(meeting_id, bool) or not isinstance(meeting_id, int) or not 0 < meeting_id < 2**53:
        return {}
    try:
        return {"meeting_day": await services.meeting_day(meeting_id)}
    except ActionError:
        return {}


async def _decision(conn: Any, who: Principal, meeting_id: int, action: str, payload: Mapping[str, Any], undo: Mapping[str, Any]) -> int:
    result = await conn.execute(review_decisions.insert().values(
        meeting_id=meeting_id, at=utcnow().replace(tzinfo=None), actor=f"{who.kind}:{who.name}", action=action,
        payload=dict(payload), undo=dict(undo), undone=False,
    ))
    await audit(conn, who, f"review.{action}", meeting_id, dict(payload))
    return int(result.inserted_primary_key[0])


async def _members(conn: Any, problem_ids: list[int]) -> list[int]:
    return list((await conn.execute(sa.select(problem_comments.c.comment_id).where(problem_comments.c.problem_id.in_(problem_ids)))).scalars())


def _clusters_changed(services: Any, meeting_id: int) -> None:
    """Tell the live clusterer that people decided something (it re-reads before the next batch)."""
    labeller = services.extra.get("labeller")
    if labeller is not None and hasattr(labeller, "clusters_changed"):
        labeller.clusters_changed(meeting_id)


async def _owned(conn: Any, meeting_id: int, problem_id: int) -> None:
    found = await conn.scalar(sa.select(problems.c.id).where(problems.c.id == problem_id, problems.c.meeting_id == meeting_id))
    if found is None:
        raise ActionError(404, "not_found", f"no problem {problem_id} in meeting {meeting_id}")


async def _meeting_comments(conn: Any, meeting_id: int, ids: list[int]) -> None:
    found = set((await conn.execute(sa.select(comments.c.id).where(comments.c.id.in_(ids), comments.c.meeting_id == meeting_id))).scalars())
    missing = [i for i in ids if i not in found]
    if missing:
        raise ActionError(404, "not_found", f"comments not in this meeting: {missing[:10]}")


async def _corrections(conn: Any, services: Any, who: Principal, comment_ids: list[int], *, category: str | None = None, is_problem: bool | None = None) -> None:
    """Store corrections and teach the live categoriser at once."""
    rows = (await conn.execute(sa.select(comments.c.id, comments.c.text).where(comments.c.id.in_(comment_ids)))).all()
    now = utcnow().replace(tzinfo=None)
    for row in rows:
        await conn.execute(corrections.delete().where(corrections.c.comment_id == row.id))
        await conn.execute(corrections.insert().values(comment_id=row.id, text=row.text, category=category, is_problem=is_problem, actor=who.name, at=now))
    learner = services.extra.get("labeller")
    if learner is not None:
        for row in rows:
            learner.learn(row.text, category=category, is_problem=is_problem)


async def edit(services: Any, who: Principal, cmd: Edit) -> dict[str, Any]:
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
        await _decision(conn, who, meeting_id, "edit", {"problem_id": problem_id, "fields": sorted(values)}, {"restore": [before]})
        if "category" in values:
            members = list((await conn.execute(sa.select(problem_comments.c.comment_id).where(problem_comments.c.problem_id == problem_id))).scalars())
            await _corrections(conn, services, who, members, category=values["category"], is_problem=True)
    await services.publish_review(meeting_id, [problem_id])
    return {"problem": problem}


async def merge(services: Any, who: Principal, cmd: Merge) -> dict[str, Any]:
    """Merge problems into a target: their comments move (locked); they are marked merged."""
    meeting_id, target = cmd.meeting_id, cmd.target_id
    sources = [s for s in cmd.source_ids if s != target]
    if not sources:
        raise ActionError(400, "bad_request", "name at least one other problem to merge", {"source_ids": "required"})
    async with services.engine.begin() as conn:
        for pid in (target, *sources):
            await _owned(conn, meeting_id, pid)
        moved = list((await conn.execute(sa.select(problem_comments.c.comment_id).where(problem_comments.c.problem_id.in_(sources)))).scalars())
        kept = await _members(conn, [target])
        before_members = await memberships(conn, moved)
        before = [await snapshot(conn, pid) for pid in sources]
        await set_memberships(conn, {cid: (target, True) for cid in moved})
        await conn.execute(problems.update().where(problems.c.id.in_(sources)).values(merged_into=target, version=problems.c.version + 1))
        decision = await _decision(conn, who, meeting_id, "merge", {"target_id": target, "source_ids": sources},
                                   {"restore": before, "memberships": {str(k): list(v) for k, v in before_members.items()}})
        await cluster_state.record(conn, meeting_id, decision, ((a, b, True) for a in kept for b in moved))
        problem = await get_problem(conn, target)
    _clusters_changed(services, meeting_id)
    await services.publish_review(meeting_id, [target, *sources])
    return {"problem": problem}


async def split(services: Any, who: Principal, cmd: Split) -> dict[str, Any]:
    """Split comments off into a new problem (a person's problem, comments locked)."""
    meeting_id, source, ids, title = cmd.meeting_id, cmd.problem_id, cmd.comment_ids, cmd.title_ru or ""
    async with services.engine.begin() as conn:
        await _owned(conn, meeting_id, source)
        current = await memberships(conn, ids)
        if any(current.get(cid, (None, False))[0] != source for cid in ids):
            raise ActionError(409, "not_members", "some comments are not (or no longer) in this problem; reload and try again")
        row = (await conn.execute(sa.select(problems).where(problems.c.id == source))).first()
        before = await snapshot(conn, source)
        members = (await conn.execute(sa.select(comments.c.id, comments.c.text, comments.c.lang, comments.c.labels)
                                      .join(problem_comments, problem_comments.c.comment_id == comments.c.id)
                                      .where(problem_comments.c.problem_id == source))).all()
        moved = [m for m in members if m.id in set(ids)]
        kept = [m for m in members if m.id not in set(ids)]
        (new_ru, new_kk), (rest_ru, rest_kk) = split_wordings(row, moved, kept, given=str(title or ""))
        new_id = await create_problem(conn, meeting_id, origin="human", title_ru=new_ru[:500], title_kk=new_kk[:500],
                                      category=row.category, place=row.place, executor=row.executor, human_fields=["title_ru"] if title else [])
        await set_memberships(conn, {cid: (new_id, True) for cid in ids})
        human = set(row.human_fields or [])
        left = {k: v for k, v in (("title_ru", rest_ru), ("title_kk", rest_kk)) if k not in human and v != getattr(row, k)}
        if left:
            await conn.execute(problems.update().where(problems.c.id == source).values(**left, version=problems.c.version + 1))
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


async def move(services: Any, who: Principal, cmd: Move) -> dict[str, Any]:
    """Move comments to another problem (locked)."""
    meeting_id, target, ids = cmd.meeting_id, cmd.to_problem_id, cmd.comment_ids
    async with services.engine.begin() as conn:
        await _owned(conn, meeting_id, target)
        await _meeting_comments(conn, meeting_id, ids)
        current = await memberships(conn, ids)
        joined = [c for c in await _members(conn, [target]) if c not in ids]
        left = [c for c in await _members(conn, sorted({v[0] for v in current.values() if v[0] and v[0] != target})) if c not in ids]
        await set_memberships(conn, {cid: (target, True) for cid in ids})
        decision = await _decision(conn, who, meeting_id, "move", {"to_problem_id": target, "comment_ids": ids},
                                   {"memberships": {str(cid): list(current[cid]) if cid in current else None for cid in ids}})
        await cluster_state.record(conn, meeting_id, decision, [*((a, b, True) for a in ids for b in joined),
                                                                 *((a, b, False) for a in ids for b in left)])
        row = (await conn.execute(sa.select(problems.c.category).where(problems.c.id == target))).first()
        await _corrections(conn, services, who, ids, category=row.category if row else None, is_problem=True)
    _clusters_changed(services, meeting_id)
    await services.publish_review(meeting_id, sorted({target, *(v[0] for v in current.values() if v[0])}))
    return {"moved": ids, "to_problem_id": target}


async def _dismiss_comments(conn: Any, services: Any, who: Principal, meeting_id: int, ids: list[int], action: str, payload: Mapping[str, Any]) -> set[int]:
    """Mark comments "not a problem" (out of every problem, for good) with an exact undo; returns the problems they left."""
    current = await memberships(conn, ids)
    before = {r.id: (r.category, r.needs_review, r.is_problem) for r in (await conn.execute(
        sa.select(comments.c.id, comments.c.category, comments.c.needs_review, comments.c.is_problem).where(comments.c.id.in_(ids))))}
    await set_memberships(conn, {cid: (None, True) for cid in ids})
    await conn.execute(comments.update().where(comments.c.id.in_(ids)).values(
        is_problem=False, needs_review=False, reviewed_at=utcnow().replace(tzinfo=None), reviewed_by=who.name))
    await _decision(conn, who, meeting_id, action, payload,
                    {"memberships": {str(cid): list(current[cid]) if cid in current else None for cid in ids},
                     "comments": {str(k): list(v) for k, v in before.items()}})
    await _corrections(conn, services, who, ids, is_problem=False)
    return {v[0] for v in current.values() if v[0]}


async def not_problem(services: Any, who: Principal, cmd: CommentIds) -> dict[str, Any]:
    """Mark comments "not a problem": out of every problem, for good (the machine respects it)."""
    meeting_id, ids = cmd.meeting_id, cmd.comment_ids
    async with services.engine.begin() as conn:
        await _meeting_comments(conn, meeting_id, ids)
        touched = await _dismiss_comments(conn, services, who, meeting_id, ids, "not_problem", {"comment_ids": ids})
    await services.publish_review(meeting_id, sorted(touched))
    return {"not_problem": ids, "problems": sorted(touched)}


async def classify(services: Any, who: Principal, cmd: Classify) -> dict[str, Any]:
    """Triage: give comments a category (they stay problems) — a correction the categoriser learns at once."""
    meeting_id, ids, category = cmd.meeting_id, cmd.comment_ids, cmd.category
    async with services.engine.begin() as conn:
        await _meeting_comments(conn, meeting_id, ids)
        before = {r.id: (r.category, r.needs_review, r.is_problem) for r in (await conn.execute(
            sa.select(comments.c.id, comments.c.category, comments.c.needs_review, comments.c.is_problem).where(comments.c.id.in_(ids))))}
        await conn.execute(comments.update().where(comments.c.id.in_(ids)).values(
            category=category, is_problem=True, needs_review=False, reviewed_at=utcnow().replace(tzinfo=None), reviewed_by=who.name))
        await _decision(conn, who, meeting_id, "classify", {"comment_ids": ids, "category": category},
                        {"comments": {str(k): list(v) for k, v in before.items()}})
        await _corrections(conn, services, who, ids, category=category, is_problem=True)
    await services.publish_review(meeting_id, [])
    return {"classified": ids, "category": category}


async def undo(services: Any, who: Principal, cmd: MeetingOnly) -> dict[str, Any]:
    """Undo the caller's last review decision in this meeting."""
    meeting_id = cmd.meeting_id
    actor = f"{who.kind}:{who.name}"
    touched: set[int] = set()
    async with services.engine.begin() as conn:
        row = (await conn.execute(
            sa.select(review_decisions).where(review_decisions.c.meeting_id == meeting_id, review_decisions.c.actor == actor, review_decisions.c.undone.is_(False))
            .order_by(review_decisions.c.id.desc()).limit(1)
        )).first()
        if row is None:
            raise ActionError(409, "nothing_to_undo", "you have no review decision to undo in this meeting")
        plan = row.undo or {}
        for data in plan.get("restore", []):
            await restore(conn, data)
            touched.add(data["id"])
        if plan.get("memberships"):
            changes = {int(k): (tuple(v) if v is not None else None) for k, v in plan["memberships"].items()}
            await set_memberships(conn, changes)  # type: ignore[arg-type]
            touched.update(v[0] for v in changes.values() if v and v[0])
        for pid, values in (plan.get("fields") or {}).items():
            await conn.execute(problems.update().where(problems.c.id == int(pid)).values(**values, version=problems.c.version + 1))
            touched.add(int(pid))
        for cid, (category, needs_review, is_problem) in (plan.get("comments") or {}).items():
            await conn.execute(comments.update().where(comments.c.id == int(cid)).values(
                category=category, needs_review=needs_review, is_problem=is_problem, reviewed_at=None, reviewed_by=None))
        for cid in plan.get("unlock", []):
            await conn.execute(problem_comments.update().where(problem_comments.c.comment_id == int(cid)).values(locked=False))
        await cluster_state.forget_decision(conn, row.id)
        for pid in plan.get("delete", []):
            await conn.execute(problem_comments.delete().where(problem_comments.c.problem_id == pid))
            await conn.execute(problems.delete().where(problems.c.id == pid))
            touched.add(pid)
        await conn.execute(review_decisions.update().where(review_decisions.c.id == row.id).values(undone=True))
        await audit(conn, who, "review.undo", meeting_id, {"decision": row.id, "action": row.action})
    _clusters_changed(services, meeting_id)
    await services.publish_review(meeting_id, sorted(touched))
    return {"undone": row.action, "problems": sorted(touched)}


ACTIONS = (
    Action("review.edit", "review.decide", edit, Edit, context=_edit_context),
    Action("review.merge", "review.decide", merge, Merge),
    Action("review.split", "review.decide", split, Split),
    Action("review.move", "review.decide", move, Move),
    Action("review.not_problem", "review.decide", not_problem, CommentIds),
    Action("review.classify", "review.decide", classify, Classify),
    Action("review.undo", "review.decide", undo, MeetingOnly),
)
