"""The central-level list in the store: problems marked as needing the central level, with their analysis.

A problem joins the list when a secretary marks it (``problems.central_list``, accepted, not
merged); its analysis (``central_items``) is written when someone first analyses it and is
versioned like a problem, so two bodies editing at once do not overwrite each other silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from tyndau.store.national_schema import central_items
from tyndau.store.planning_schema import admin_unit_paths, admin_units
from tyndau.store.rollup import Period
from tyndau.store.schema import meetings, problems
from tyndau.store.scopes import meeting_unit, with_organiser
from tyndau.timeutil import as_utc, iso, store_time

# The analysis the government's review reports (issue 15), in its order; "pending" until analysed.
ANALYSIS = ("pending", "no_design_documents", "funded_republican", "budget_revision", "being_executed",
            "not_supported_local", "executed")
MAX_PROPOSAL = 4000


@dataclass(frozen=True, slots=True)
class CentralItem:
    """One problem on the list with its analysis."""

    problem_id: int
    meeting_id: int
    unit_id: str | None
    unit_name_ru: str
    unit_name_kk: str
    title_ru: str
    title_kk: str
    category: str | None
    executor: str
    status: str
    funding_need: int | None
    funding_allocated: int | None
    analysis: str
    amount: int | None
    proposal: str
    body_id: str | None
    selected: bool
    version: int
    updated_at: datetime | None
    updated_by: str
    meeting_starts_at: datetime

    @property
    def sum(self) -> int:
        """The sum the analysis counts: the analysed amount, else the problem's funding need."""
        return self.amount if self.amount is not None else (self.funding_need or 0)

    def to_json(self) -> dict[str, Any]:
        """As the API sends it (titles redacted by the caller)."""
        return {"problem_id": self.problem_id, "meeting_id": self.meeting_id, "unit_id": self.unit_id, "unit_name_ru": self.unit_name_ru,
                "unit_name_kk": self.unit_name_kk, "title_ru": self.title_ru, "title_kk": self.title_kk, "category": self.category,
                "executor": self.executor, "status": self.status, "funding_need": self.funding_need,
                "funding_allocated": self.funding_allocated, "analysis": self.analysis, "amount": self.amount, "sum": self.sum,
                "proposal": self.proposal, "body_id": self.body_id, "selected": self.selected, "version": self.version,
                "updated_at": iso(self.updated_at), "updated_by": self.updated_by, "meeting_starts_at": iso(self.meeting_starts_at)}


def _query(unit_id: str | None, body_id: str | None, period: Period | None) -> Any:
    unit = meeting_unit().label("unit_id")
    source = (with_organiser(meetings).join(problems, problems.c.meeting_id == meetings.c.id)
              .outerjoin(central_items, central_items.c.problem_id == problems.c.id)
              .outerjoin(admin_units, admin_units.c.id == meeting_unit()))
    query = sa.select(problems.c.id, problems.c.meeting_id, unit, admin_units.c.name_ru.label("unit_ru"), admin_units.c.name_kk.label("unit_kk"),
                      problems.c.title_ru, problems.c.title_kk, problems.c.category, problems.c.executor, problems.c.status,
                      problems.c.funding_need, problems.c.funding_allocated, central_items.c.analysis, central_items.c.amount,
                      central_items.c.proposal, central_items.c.body_id, central_items.c.selected, central_items.c.version.label("item_version"),
                      central_items.c.updated_at, central_items.c.updated_by, meetings.c.starts_at).select_from(source).where(
        problems.c.central_list.is_(True), problems.c.accepted.is_(True), problems.c.merged_into.is_(None))
    if unit_id is not None:
        query = query.where(meeting_unit().in_(sa.select(admin_unit_paths.c.unit_id).where(admin_unit_paths.c.ancestor_id == unit_id)))
    if body_id is not None:
        query = query.where(central_items.c.body_id == body_id)
    if period is not None:
        start, end = period.bounds()
        query = query.where(meetings.c.starts_at >= start, meetings.c.starts_at < end)
    return query.order_by(meetings.c.starts_at, problems.c.id)


def _item(r: Any) -> CentralItem:
    return CentralItem(r.id, r.meeting_id, r.unit_id, r.unit_ru or "", r.unit_kk or "", r.title_ru, r.title_kk, r.category, r.executor,
                       r.status, r.funding_need, r.funding_allocated, r.analysis or "pending", r.amount, r.proposal or "", r.body_id,
                       bool(r.selected), int(r.item_version or 0), as_utc(r.updated_at) if r.updated_at else None, r.updated_by or "",
                       as_utc(r.starts_at))


async def list_items(conn: AsyncConnection, *, unit_id: str | None = None, body_id: str | None = None,
                     period: Period | None = None) -> list[CentralItem]:
    """The list for a scope (a unit's subtree, a central body's competence, or all), oldest meetings first."""
    return [_item(r) for r in await conn.execute(_query(unit_id, body_id, period))]


async def get_item(conn: AsyncConnection, problem_id: int) -> CentralItem | None:
    """One problem on the list (None: not on it)."""
    row = (await conn.execute(_query(None, None, None).where(problems.c.id == problem_id))).first()
    return None if row is None else _item(row)


async def write_item(conn: AsyncConnection, problem_id: int, expected_version: int, values: dict[str, Any], actor: str,
                     now: datetime) -> bool:
    """Write the analysis if it is still at ``expected_version`` (0: never analysed); False if someone was first."""
    stamp = store_time(now)
    if expected_version == 0:
        exists = await conn.scalar(sa.select(central_items.c.version).where(central_items.c.problem_id == problem_id))
        if exists is not None:
            return False
        base = {"analysis": "pending", "amount": None, "proposal": "", "body_id": None, "selected": False}
        await conn.execute(central_items.insert().values(problem_id=problem_id, version=1, updated_at=stamp, updated_by=actor[:100],
                                                         **{**base, **values}))
        return True
    result = await conn.execute(central_items.update().where(central_items.c.problem_id == problem_id,
                                                             central_items.c.version == expected_version)
                                .values(**values, version=expected_version + 1, updated_at=stamp, updated_by=actor[:100]))
    return bool(result.rowcount)


async def body_of(conn: AsyncConnection, problem_id: int) -> str | None:
    """The central body a central-level problem is in the competence of (None: not analysed, or no body)."""
    found = await conn.scalar(sa.select(central_items.c.body_id).where(central_items.c.problem_id == problem_id))
    return None if found is None else str(found)
