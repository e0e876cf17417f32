"""Scopes: the unit (with everything below it) or the central body a user works for.

A user without a scope is national and sees everything, as before issue 15. A unit-scoped user
reads what belongs to its unit's subtree and changes only what belongs to its own unit; a
central body's user reads and changes its own meetings and the central-level problems in its
competence. What a meeting, round or calendar belongs to is its organiser's unit (an akimat's
id is its unit's id), else the meeting's place; :func:`meeting_unit` is that rule in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from tyndau.store.national_schema import token_scopes, user_scopes
from tyndau.store.planning_schema import admin_unit_paths, admin_units, organisers, receptions, rounds
from tyndau.store.schema import comments, meetings, problems, sources, users
from tyndau.timeutil import store_time, utcnow


class ScopeError(ValueError):
    """A scope that cannot be set (unknown user, unit or body)."""


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a principal works: a unit (and its subtree) or a central body (``organiser_id``)."""

    unit_id: str | None = None
    organiser_id: str | None = None

    def to_json(self) -> dict[str, str | None]:
        """As ``/api/v1/me`` sends it."""
        return {"unit_id": self.unit_id, "organiser_id": self.organiser_id}


def scope_of(row: Any) -> Scope | None:
    """The scope on a row joined with ``user_scopes`` (``scope_unit``, ``scope_organiser``), if any."""
    unit, organiser = getattr(row, "scope_unit", None), getattr(row, "scope_organiser", None)
    return Scope(unit, organiser) if unit or organiser else None


def scope_columns(table: Any = user_scopes) -> tuple[Any, ...]:
    """The columns :func:`scope_of` reads (for an outer join with ``user_scopes`` or ``token_scopes``)."""
    return table.c.unit_id.label("scope_unit"), table.c.organiser_id.label("scope_organiser")


def meeting_unit() -> sa.ColumnElement[Any]:
    """A meeting's unit: its organiser's unit, else its place (needs the outer join :func:`with_organiser`)."""
    return sa.func.coalesce(organisers.c.unit_id, meetings.c.place_unit_id)


def with_organiser(source: Any) -> Any:
    """``source`` (meetings, or a join holding it) outer-joined with the meeting's organiser."""
    return source.outerjoin(organisers, organisers.c.id == meetings.c.organiser_id)


def visible_meetings(scope: Scope) -> sa.ColumnElement[bool]:
    """A filter on meetings (joined by :func:`with_organiser`) that a scope may read."""
    if scope.organiser_id is not None:
        return meetings.c.organiser_id == scope.organiser_id
    subtree = sa.select(admin_unit_paths.c.unit_id).where(admin_unit_paths.c.ancestor_id == scope.unit_id)
    return meeting_unit().in_(subtree)


async def visible_meeting_ids(conn: AsyncConnection, scope: Scope, ids: list[int] | None = None) -> set[int]:
    """Which meetings (of ``ids``, or all) a scope may read."""
    query = sa.select(meetings.c.id).select_from(with_organiser(meetings)).where(visible_meetings(scope))
    if ids is not None:
        query = query.where(meetings.c.id.in_(ids))
    return {r.id for r in await conn.execute(query)}


async def owner_of_meeting(conn: AsyncConnection, meeting_id: int) -> tuple[str | None, str | None] | None:
    """(unit, organiser) a meeting belongs to; None when there is no such meeting."""
    row = (await conn.execute(sa.select(meeting_unit().label("unit"), meetings.c.organiser_id)
                              .select_from(with_organiser(meetings)).where(meetings.c.id == meeting_id))).first()
    return None if row is None else (row.unit, row.organiser_id)


async def owner_of_organiser(conn: AsyncConnection, organiser_id: str) -> tuple[str | None, str | None] | None:
    """(unit, organiser) of an organiser; None when unknown."""
    row = (await conn.execute(sa.select(organisers.c.unit_id, organisers.c.id).where(organisers.c.id == organiser_id))).first()
    return None if row is None else (row.unit_id, row.id)


# Things that belong to the meeting they name: the table and its meeting column.
MeetingPart = Literal["reception", "source", "comment", "problem"]
_PARTS = {"reception": receptions, "source": sources, "comment": comments, "problem": problems}


async def owner_via_meeting(conn: AsyncConnection, part: MeetingPart, part_id: int) -> tuple[str | None, str | None] | None:
    """(unit, organiser) of a reception, source, comment or problem: its meeting's; None when unknown."""
    table = _PARTS[part]
    meeting_id = await conn.scalar(sa.select(table.c.meeting_id).where(table.c.id == part_id))
    return None if meeting_id is None else await owner_of_meeting(conn, int(meeting_id))


async def owner_of_round(conn: AsyncConnection, round_id: int) -> tuple[str | None, str | None] | None:
    """A round belongs to its organiser, else to the unit of its meetings; None when unknown."""
    row = (await conn.execute(sa.select(rounds.c.organiser_id).where(rounds.c.id == round_id))).first()
    if row is None:
        return None
    if row.organiser_id:
        return await owner_of_organiser(conn, str(row.organiser_id))
    meeting_id = await conn.scalar(sa.select(meetings.c.id).where(meetings.c.round_id == round_id).limit(1))
    return None if meeting_id is None else await owner_of_meeting(conn, int(meeting_id))


async def unit_within(conn: AsyncConnection, unit_id: str | None, scope_unit: str) -> bool:
    """Whether a unit lies in the subtree of ``scope_unit`` (itself included)."""
    if unit_id is None:
        return False
    found = await conn.scalar(sa.select(admin_unit_paths.c.depth).where(
        admin_unit_paths.c.ancestor_id == scope_unit, admin_unit_paths.c.unit_id == unit_id))
    return found is not None


async def check_scope(conn: AsyncConnection, unit_id: str | None, organiser_id: str | None) -> None:
    """Refuse a scope naming both, an unknown unit, or an organiser that is not a central body."""
    if unit_id and organiser_id:
        raise ScopeError("a scope is a unit or a central body, not both")
    if unit_id is not None and await conn.scalar(sa.select(admin_units.c.id).where(admin_units.c.id == unit_id)) is None:
        raise ScopeError(f"no unit {unit_id!r}")
    if organiser_id is not None:
        kind = await conn.scalar(sa.select(organisers.c.kind).where(organisers.c.id == organiser_id))
        if kind != "central_body":
            raise ScopeError(f"no central body {organiser_id!r} (an akimat's users are scoped to its unit)")


async def set_scope(engine: AsyncEngine, name: str, *, unit_id: str | None, organiser_id: str | None) -> Scope | None:
    """Give a user a scope (a unit, or a central body), or make it national again (both None)."""
    async with engine.begin() as conn:
        user_id = await conn.scalar(sa.select(users.c.id).where(users.c.name == name.strip()))
        if user_id is None:
            raise ScopeError(f"no user {name!r}")
        await check_scope(conn, unit_id, organiser_id)
        await conn.execute(user_scopes.delete().where(user_scopes.c.user_id == user_id))
        if unit_id is None and organiser_id is None:
            return None
        await conn.execute(user_scopes.insert().values(user_id=user_id, unit_id=unit_id, organiser_id=organiser_id,
                                                       set_at=store_time(utcnow())))
    return Scope(unit_id, organiser_id)


async def scope_token(conn: AsyncConnection, token_id: int, *, unit_id: str | None, organiser_id: str | None) -> None:
    """Give a new API token a scope (a unit or a central body); none keeps it national."""
    await check_scope(conn, unit_id, organiser_id)
    if unit_id is not None or organiser_id is not None:
        await conn.execute(token_scopes.insert().values(token_id=token_id, unit_id=unit_id, organiser_id=organiser_id))


async def subtree_unit_ids(conn: AsyncConnection, scope: Scope) -> set[str]:
    """The units a scope reaches (none for a central body's scope)."""
    if scope.unit_id is None:
        return set()
    rows = await conn.execute(sa.select(admin_unit_paths.c.unit_id).where(admin_unit_paths.c.ancestor_id == scope.unit_id))
    return {r.unit_id for r in rows}


async def own_links(conn: AsyncConnection, scope: Scope, now: Any) -> dict[str, str | None]:
    """Where a meeting created by a scoped user belongs: its unit's akimat (or its central body)."""
    from tyndau.store.organisers import ensure_akimat
    from tyndau.store.units import get_unit

    if scope.organiser_id is not None:
        return {"organiser_id": scope.organiser_id, "place_unit_id": None}
    unit = await get_unit(conn, scope.unit_id or "")
    if unit is None:
        return {"organiser_id": None, "place_unit_id": None}
    if unit.akim_level is None:
        return {"organiser_id": None, "place_unit_id": unit.id}
    return {"organiser_id": (await ensure_akimat(conn, unit, now)).id, "place_unit_id": unit.id}
