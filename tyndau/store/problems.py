"""Problems: the draft list the NLP proposes and the secretaries decide.

A problem groups comments (``problem_comments``). Memberships placed by a person are ``locked``
and the machine never moves them; a locked row with no problem means "a person said this is not
a problem". Fields a person edited are listed in ``human_fields`` and the machine never
overwrites them. Every update is versioned: a stale version is refused, never merged silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from tyndau.domain.drafts import Draft
from tyndau.domain.similar_problems import similar, sketch
from tyndau.domain.text_safety import PUBLIC, SCREEN, safe
from tyndau.store.schema import comments, problem_comments, problem_status_log, problems
from tyndau.timeutil import as_utc, iso, utcnow

EDITABLE = (
    "title_ru", "title_kk", "category", "place", "place_kk", "executor", "deadline", "competence", "funding_need",
    "funding_allocated", "funding_source", "status", "measures", "notes", "central_list", "accepted",
)
MACHINE_FIELDS = ("title_ru", "title_kk", "category", "place", "place_kk")
# Fields a person's edit marks as theirs: the machine's fields, and the executor (which otherwise
# follows the category's usual department).
HUMAN_FIELDS = (*MACHINE_FIELDS, "executor")


class StaleProblem(Exception):
    """The problem changed since the client read it."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__("stale version")
        self.current = current


def _now() -> datetime:
    return utcnow().replace(tzinfo=None)


def problem_json(row: Any, stats: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The API's view of a problem, with its mentions."""
    stats = stats or {}
    return {
        "id": row.id, "meeting_id": row.meeting_id, "cluster_id": row.cluster_id, "origin": row.origin,
        "title_ru": row.title_ru, "title_kk": row.title_kk, "category": row.category, "place": row.place,
        "place_kk": row.place_kk, "human_fields": list(row.human_fields or []), "executor": row.executor,
        "deadline": row.deadline.isoformat() if isinstance(row.deadline, date) else row.deadline,
        "competence": row.competence, "funding_need": row.funding_need, "funding_allocated": row.funding_allocated,
        "funding_source": row.funding_source, "status": row.status, "measures": row.measures, "notes": row.notes,
        "central_list": row.central_list, "accepted": row.accepted, "merged_into": row.merged_into, "version": row.version,
        "created_at": iso(as_utc(row.created_at)), "updated_at": iso(as_utc(row.updated_at)),
        "mentions": stats.get("mentions", 0), "mentions_by_source": stats.get("by_source", {}),
        "first_seen": stats.get("first_seen"), "last_seen": stats.get("last_seen"),
    }


async def _stats(conn: AsyncConnection, problem_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    if not problem_ids:
        return {}
    rows = await conn.execute(
        sa.select(problem_comments.c.problem_id, comments.c.source, sa.func.count(), sa.func.min(comments.c.created_at), sa.func.max(comments.c.created_at))
        .join(comments, comments.c.id == problem_comments.c.comment_id)
        .where(problem_comments.c.problem_id.in_(problem_ids))
        .group_by(problem_comments.c.problem_id, comments.c.source)
    )
    out: dict[int, dict[str, Any]] = {}
    for pid, source, count, first, last in rows:
        s = out.setdefault(pid, {"mentions": 0, "by_source": {}, "first": None, "last": None})
        s["mentions"] += count
        s["by_source"][source] = count
        s["first"] = first if s["first"] is None or first < s["first"] else s["first"]
        s["last"] = last if s["last"] is None or last > s["last"] else s["last"]
    for s in out.values():
        s["first_seen"] = iso(as_utc(s.pop("first"))) if s.get("first") else None
        s["last_seen"] = iso(as_utc(s.pop("last"))) if s.get("last") else None
    return out


async def list_problems(conn: AsyncConnection, meeting_ids: Sequence[int], *, include_merged: bool = False) -> list[dict[str, Any]]:
    """Problems of one or several meetings, ranked by mentions then recency."""
    query = sa.select(problems).where(problems.c.meeting_id.in_(list(meeting_ids)))
    if not include_merged:
        query = query.where(problems.c.merged_into.is_(None))
    rows = (await conn.execute(query)).all()
    stats = await _stats(conn, [r.id for r in rows])
    # A problem left with no comments ("не проблема", moved away) is no problem: it leaves the list
    # and every export; an undo that brings its comments back brings it back.
    items = [problem_json(r, stats.get(r.id)) for r in rows if r.id in stats or r.merged_into is not None]
    items.sort(key=lambda p: (p["mentions"], p["last_seen"] or ""), reverse=True)
    return items


async def similar_problems(conn: AsyncConnection, meeting_id: int, problem_id: int, limit: int = 3) -> list[dict[str, Any]]:
    """Live problems of the meeting that may be this one's issue (``tyndau.domain.similar_problems``), with ``shared_place``."""
    # Only the two label fields the rule reads, not each comment's whole labels (text included).
    rows = await conn.execute(
        sa.select(problem_comments.c.problem_id, comments.c.labels["subtopic"].as_string(), comments.c.labels["places"])
        .join(comments, comments.c.id == problem_comments.c.comment_id)
        .join(problems, problems.c.id == problem_comments.c.problem_id)
        .where(problems.c.meeting_id == meeting_id, problems.c.merged_into.is_(None)))
    labels: dict[int, list[Any]] = {}
    for pid, subtopic, places in rows:
        labels.setdefault(pid, []).append({"subtopic": subtopic, "places": places if isinstance(places, list) else []})
    if problem_id not in labels:
        return []
    sketches = [sketch(pid, labs) for pid, labs in labels.items()]
    target = next(s for s in sketches if s.id == problem_id)
    picked = similar(target, sketches, limit)
    if not picked:
        return []
    by_id = {r.id: r for r in (await conn.execute(sa.select(problems).where(problems.c.id.in_([s.id for s, _ in picked])))).all()}
    stats = await _stats(conn, list(by_id))
    return [{**problem_json(by_id[s.id], stats.get(s.id)), "shared_place": shared} for s, shared in picked]


async def get_problem(conn: AsyncConnection, problem_id: int) -> dict[str, Any] | None:
    """One problem with its mentions."""
    row = (await conn.execute(sa.select(problems).where(problems.c.id == problem_id))).first()
    if row is None:
        return None
    return problem_json(row, (await _stats(conn, [row.id])).get(row.id))


async def member_rows(conn: AsyncConnection, problem_id: int) -> list[Any]:
    """The comments of a problem with their lock state, oldest first."""
    return list((await conn.execute(
        sa.select(comments, problem_comments.c.locked).join(problem_comments, problem_comments.c.comment_id == comments.c.id)
        .where(problem_comments.c.problem_id == problem_id).order_by(comments.c.created_at, comments.c.id)
    )).all())


async def memberships(conn: AsyncConnection, comment_ids: Iterable[int]) -> dict[int, tuple[int | None, bool]]:
    """comment id → (problem id or None, locked)."""
    ids = list(comment_ids)
    if not ids:
        return {}
    rows = await conn.execute(sa.select(problem_comments).where(problem_comments.c.comment_id.in_(ids)))
    return {r.comment_id: (r.problem_id, r.locked) for r in rows}


async def set_memberships(conn: AsyncConnection, changes: Mapping[int, tuple[int | None, bool] | None]) -> None:
    """Place comments: (problem or None, locked), or ``None`` to forget the membership."""
    if not changes:
        return
    await conn.execute(problem_comments.delete().where(problem_comments.c.comment_id.in_(list(changes))))
    rows = [{"comment_id": cid, "problem_id": v[0], "locked": v[1]} for cid, v in changes.items() if v is not None]
    if rows:
        await conn.execute(problem_comments.insert(), rows)


async def create_problem(conn: AsyncConnection, meeting_id: int, *, origin: str, cluster_id: int | None = None, **fields: Any) -> int:
    """Insert a problem and return its id."""
    now = _now()
    values = {"title_ru": "", "title_kk": "", "place": "", "place_kk": "", "executor": "", "competence": "local", "status": "in_progress",
              "measures": "", "notes": "", "central_list": False, "accepted": False, "human_fields": [], **fields}
    result = await conn.execute(problems.insert().values(meeting_id=meeting_id, origin=origin, cluster_id=cluster_id,
                                                         version=1, created_at=now, updated_at=now, **values))
    key = result.inserted_primary_key
    assert key is not None  # an INSERT of one row always has its key
    return int(key[0])


async def update_problem(conn: AsyncConnection, problem_id: int, expected_version: int | None, fields: Mapping[str, Any], *, human: bool,
                         suggested: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Change fields if the version matches; human changes are remembered so the machine leaves them.

    ``suggested`` values change along (the executor that follows a new category) without being
    counted as a person's decision.
    """
    row = (await conn.execute(sa.select(problems).where(problems.c.id == problem_id))).first()
    if row is None:
        raise KeyError(problem_id)
    if expected_version is not None and row.version != expected_version:
        current = await get_problem(conn, problem_id)
        assert current is not None
        raise StaleProblem(current)
    values = {**(suggested or {}), **fields}
    if human:
        values["human_fields"] = sorted(set(row.human_fields or []) | (set(fields) & set(HUMAN_FIELDS)))
    result = await conn.execute(
        problems.update().where(problems.c.id == problem_id, problems.c.version == row.version)
        .values(**values, version=row.version + 1, updated_at=_now())
    )
    if not result.rowcount:
        current = await get_problem(conn, problem_id)
        assert current is not None
        raise StaleProblem(current)
    if "status" in fields and fields["status"] != row.status:
        await conn.execute(problem_status_log.insert().values(problem_id=problem_id, status=fields["status"], at=_now()))
    found = await get_problem(conn, problem_id)
    assert found is not None
    return found


async def snapshot(conn: AsyncConnection, problem_id: int) -> dict[str, Any]:
    """Every stored column of a problem (for undo)."""
    row = (await conn.execute(sa.select(problems).where(problems.c.id == problem_id))).first()
    if row is None:
        raise KeyError(problem_id)
    data = dict(row._mapping)
    for key in ("created_at", "updated_at"):
        data[key] = data[key].isoformat()
    if isinstance(data.get("deadline"), date):
        data["deadline"] = data["deadline"].isoformat()
    return data


async def restore(conn: AsyncConnection, data: Mapping[str, Any]) -> None:
    """Put a problem back as :func:`snapshot` saw it (bumping the version so clients notice)."""
    values = dict(data)
    pid = values.pop("id")
    values["created_at"] = datetime.fromisoformat(values["created_at"])
    values["updated_at"] = _now()
    if values.get("deadline"):
        values["deadline"] = date.fromisoformat(values["deadline"])
    current = await conn.scalar(sa.select(problems.c.version).where(problems.c.id == pid))
    values["version"] = (current or values.get("version", 1)) + 1
    if current is None:
        await conn.execute(problems.insert().values(id=pid, **values))
    else:
        await conn.execute(problems.update().where(problems.c.id == pid).values(**values))


async def sync_drafts(conn: AsyncConnection, meeting_id: int, drafts: Sequence[Draft], not_problems: Sequence[int]) -> set[int]:
    """Fold the machine's drafts into the stored problems without undoing anything a person decided.

    Returns the ids of problems that changed.
    """
    changed: set[int] = set()
    all_ids = [cid for d in drafts for cid in d.comment_ids] + list(not_problems)
    current = await memberships(conn, all_ids)
    rows = (await conn.execute(sa.select(problems).where(problems.c.meeting_id == meeting_id))).all()
    by_cluster = {r.cluster_id: r for r in rows if r.cluster_id is not None and r.merged_into is None}
    merged_target = {r.id: r.merged_into for r in rows if r.merged_into is not None}
    for draft in drafts:
        row = by_cluster.get(draft.cluster_id)
        if row is None:
            pid = await create_problem(conn, meeting_id, origin="machine", cluster_id=draft.cluster_id, title_ru=draft.title_ru[:500],
                                       title_kk=draft.title_kk[:500], category=draft.category, place=draft.place[:300],
                                       place_kk=draft.place_kk[:300], executor=draft.executor[:300])
            changed.add(pid)
        else:
            pid = row.id
            human = set(row.human_fields or [])
            proposed = {"title_ru": draft.title_ru[:500], "title_kk": draft.title_kk[:500], "category": draft.category,
                        "place": draft.place[:300], "place_kk": draft.place_kk[:300]}
            if any(placed is not None and placed[1] and placed[0] != pid for placed in (current.get(cid) for cid in draft.comment_ids)):
                # A person split or moved comments out of this cluster: the machine's wording may come
                # from one of those, so it no longer rewords this problem.
                proposed.pop("title_ru")
                proposed.pop("title_kk")
            if human & {"place", "place_kk"}:
                # One place in two spellings: a person who corrected either one decided the place.
                proposed.pop("place")
                proposed.pop("place_kk")
            if row.accepted:
                proposed = {}  # "формулировка и план проверены": later comments join it, they do not reword it
            updates = {k: v for k, v in proposed.items() if k not in human and getattr(row, k) != v}
            if not row.executor and "executor" not in human and draft.executor and not row.accepted:
                updates["executor"] = draft.executor[:300]
            if updates:
                await conn.execute(problems.update().where(problems.c.id == pid).values(**updates, version=row.version + 1, updated_at=_now()))
                changed.add(pid)
        moves: dict[int, tuple[int | None, bool] | None] = {}
        for cid in draft.comment_ids:
            placed = current.get(cid)
            if placed is not None and placed[1]:
                continue  # a person decided where this comment goes
            target = pid
            while target in merged_target:
                target = merged_target[target]
            if placed is None or placed[0] != target:
                moves[cid] = (target, False)
                changed.add(target)
                if placed is not None and placed[0] is not None:
                    changed.add(placed[0])
        await set_memberships(conn, moves)
    drop = {cid: None for cid in not_problems if cid in current and not current[cid][1]}
    for cid in drop:
        if current[cid][0] is not None:
            changed.add(current[cid][0])  # type: ignore[arg-type]
    await set_memberships(conn, drop)
    return changed


async def status_at(conn: AsyncConnection, problem_ids: Sequence[int], moment: datetime) -> dict[int, str | None]:
    """Each problem's status as it was at ``moment`` (None: the problem did not exist yet)."""
    if not problem_ids:
        return {}
    naive = as_utc(moment).replace(tzinfo=None)
    created = dict((await conn.execute(sa.select(problems.c.id, problems.c.created_at).where(problems.c.id.in_(list(problem_ids))))).all())
    out: dict[int, str | None] = {pid: ("in_progress" if created.get(pid) and created[pid] < naive else None) for pid in problem_ids}
    rows = await conn.execute(
        sa.select(problem_status_log.c.problem_id, problem_status_log.c.status)
        .where(problem_status_log.c.problem_id.in_(list(problem_ids)), problem_status_log.c.at < naive)
        .order_by(problem_status_log.c.at, problem_status_log.c.id)
    )
    for pid, status in rows:
        out[pid] = status
    return out


def quote(text: str) -> str:
    """A comment shortened for a representative quote, redacted of personal data."""
    return str(safe(text, SCREEN, limit=300))


PERSON_TEXTS = ("title_ru", "title_kk", "place", "place_kk", "measures", "notes")


def redacted_problem(problem: dict[str, Any]) -> dict[str, Any]:
    """A problem as anyone but its secretaries sees it: every free text redacted of personal data."""
    return {**problem, **{k: safe(problem[k], PUBLIC) for k in PERSON_TEXTS if isinstance(problem.get(k), str)}}


async def member_comment_ids(conn: AsyncConnection, problem_ids: Sequence[int]) -> list[int]:
    """The comments of these problems, in id order."""
    query = sa.select(problem_comments.c.comment_id).where(problem_comments.c.problem_id.in_(problem_ids))
    return sorted(int(i) for i in (await conn.execute(query)).scalars())


async def set_accepted(conn: AsyncConnection, problem_ids: Sequence[int], value: bool) -> list[int]:
    """Accept (or un-accept) problems; returns those whose flag changed (their version goes up)."""
    rows = (await conn.execute(sa.select(problems.c.id, problems.c.accepted).where(problems.c.id.in_(problem_ids)))).all()
    changed = [int(r.id) for r in rows if bool(r.accepted) != value]
    if changed:
        await conn.execute(problems.update().where(problems.c.id.in_(changed)).values(
            accepted=value, version=problems.c.version + 1, updated_at=utcnow().replace(tzinfo=None)))
    return changed
