"""The one place a scoped principal's reach is checked, for every action and every HTTP route.

Every id a request names (in its path, its query or its payload) is resolved to the unit or the
central body it belongs to; a unit-scoped principal may read what lies in its unit's subtree and
change only what is its own unit's; a central body's principal reads and changes its own. What is
out of reach answers 404 (its existence is not confirmed); what is readable but not its own, 403
``read_only``. National principals (no scope) are never checked here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tyndau.actions import ActionError
from tyndau.store.central import body_of
from tyndau.store.engine import Connection, Engine
from tyndau.store.scopes import Scope, owner_of_meeting, owner_of_organiser, owner_of_round, owner_via_meeting, unit_within

Owner = tuple[str | None, str | None]  # (unit, organiser)
# Actions a scoped principal may not run at all: they change what every unit shares.
NATIONAL_ONLY_ACTIONS = frozenset({"units.import"})
# Actions that only read (the announcement is a draft text, the commission and attendance reads).
READ_ACTIONS = frozenset({"round.commission_read", "meeting.attendance_read", "meeting.announcement"})
# Payload and path keys naming a unit: it must lie within the scope (to read or to write).
UNIT_KEYS = ("unit_id", "parent_id", "place_unit_id", "under", "unit")


def out_of_reach(what: str) -> ActionError:
    """The refusal for something outside the scope: the same as for something that does not exist."""
    return ActionError(404, "not_found", f"no {what} in your scope")


def allowed(scope: Scope, owner: Owner | None, *, write: bool) -> bool:
    """Whether a scope may read (or change) what belongs to ``owner``."""
    if owner is None:
        return False
    unit, organiser = owner
    if scope.organiser_id is not None:
        return organiser == scope.organiser_id
    return unit is not None and (unit == scope.unit_id if write else True)


async def check_owner(conn: Connection, scope: Scope, owner: Owner | None, what: str, *, write: bool) -> None:
    """404 unless readable, 403 ``read_only`` when readable but not the scope's own and ``write``."""
    if owner is None:
        raise out_of_reach(what)
    if scope.organiser_id is None and not await unit_within(conn, owner[0], scope.unit_id or ""):
        raise out_of_reach(what)
    if not allowed(scope, owner, write=False):
        raise out_of_reach(what)
    if write and not allowed(scope, owner, write=True):
        raise ActionError(403, "read_only", f"this {what} belongs to a unit below yours: you may read it, not change it")


def _ints(value: Any) -> list[int]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items[:1000]:
        if isinstance(item, bool):
            continue
        if isinstance(item, int) and 0 < item < 2**53:
            out.append(item)
        elif isinstance(item, str) and item.isascii() and item.isdigit() and len(item) <= 12:
            out.append(int(item))
    return out


async def _owners(conn: Connection, key: str, value: Any) -> Iterable[tuple[str, Owner | None]]:
    """The owners of the things ``key`` names (an unknown id gives None: refused as out of reach)."""
    if key in ("meeting_id", "meeting_ids", "meetings"):
        raw = value.split(",") if isinstance(value, str) else value
        return [("meeting", await owner_of_meeting(conn, i)) for i in _ints(raw)]
    if key in ("round_id",):
        return [("round", await owner_of_round(conn, i)) for i in _ints(value)]
    if key == "reception_id":
        return [("reception", await owner_via_meeting(conn, "reception", i)) for i in _ints(value)]
    if key == "source_id":
        return [("source", await owner_via_meeting(conn, "source", i)) for i in _ints(value)]
    if key.endswith("comment_id") or key.endswith("comment_ids"):
        return [("comment", await owner_via_meeting(conn, "comment", i)) for i in _ints(value)]
    if key.endswith("problem_id") or key.endswith("problem_ids"):
        return [("problem", await owner_via_meeting(conn, "problem", i)) for i in _ints(value)]
    if key in ("organiser_id", "organiser") and isinstance(value, str) and value:
        return [("organiser", await owner_of_organiser(conn, value[:60]))]
    return []


async def check_keys(conn: Connection, scope: Scope, values: Mapping[str, Any], *, write: bool) -> None:
    """Check every id in ``values`` (a payload, a path's match, a query) against the scope."""
    for key, value in values.items():
        if key in UNIT_KEYS:
            if isinstance(value, str) and value and (scope.organiser_id is not None or not await unit_within(conn, value[:40], scope.unit_id or "")):
                raise out_of_reach("unit")
            continue
        for what, owner in await _owners(conn, key, value):
            await check_owner(conn, scope, owner, what, write=write)


async def check_action(engine: Engine, scope: Scope, name: str, payload: Mapping[str, Any]) -> None:
    """Refuse an action a scoped principal may not run on what its payload names."""
    if name in NATIONAL_ONLY_ACTIONS or (name == "organiser.create" and payload.get("kind") == "central_body"):
        raise ActionError(403, "national_only", "only a national user may do this")
    if name.startswith("central.") and scope.organiser_id is not None:
        # A central body updates the problems in its competence: the item's body must be its own.
        async with engine.connect() as conn:
            for problem_id in _ints(payload.get("problem_id")):
                if await body_of(conn, problem_id) != scope.organiser_id:
                    raise out_of_reach("central-level problem")
        return
    values = dict(payload)
    if name.startswith("review."):  # a merge names its problems target_id and source_ids
        values.update({f"{k}_problem_ids": values.pop(k) for k in ("target_id", "source_ids") if k in values})
    async with engine.connect() as conn:
        await check_keys(conn, scope, values, write=name not in READ_ACTIONS)
