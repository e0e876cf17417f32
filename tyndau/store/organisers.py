"""Organisers in the store: the akimat of a unit (its id is the unit's id) or a central executive body."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from tyndau.domain.coverage import Organiser
from tyndau.domain.meeting import CENTRAL_LEVEL
from tyndau.domain.units import AdminUnit
from tyndau.store.planning_schema import organisers
from tyndau.timeutil import store_time

OrganiserKind = Literal["akimat", "central_body"]
ORGANISER_KINDS: tuple[OrganiserKind, ...] = ("akimat", "central_body")


@dataclass(frozen=True, slots=True)
class OrganiserRecord:
    """A stored organiser with its names; :meth:`organiser` is what the pure rules take."""

    id: str
    kind: OrganiserKind
    level: str
    unit_id: str | None
    name_ru: str
    name_kk: str
    exempt: bool = False

    def organiser(self) -> Organiser:
        """The pure rules' view."""
        return Organiser(self.id, self.level, self.unit_id)

    def name(self, lang: str) -> str:
        """The name in a language, falling back to the other."""
        return (self.name_kk or self.name_ru) if lang == "kk" else (self.name_ru or self.name_kk)

    def to_json(self) -> dict[str, Any]:
        """As the API sends it."""
        return {"id": self.id, "kind": self.kind, "level": self.level, "unit_id": self.unit_id,
                "name_ru": self.name_ru, "name_kk": self.name_kk, "exempt": self.exempt}


def _record(row: Any) -> OrganiserRecord:
    return OrganiserRecord(row.id, row.kind, row.level, row.unit_id, row.name_ru, row.name_kk, bool(row.exempt))


def akimat_names(unit: AdminUnit) -> tuple[str, str]:
    """The default names of a unit's akimat: «Акимат: Бесагашский район» / «Әкімдік: Бесағаш ауданы»."""
    return f"Акимат: {unit.name('ru')}", f"Әкімдік: {unit.name('kk')}"


async def get_organiser(conn: AsyncConnection, organiser_id: str) -> OrganiserRecord | None:
    """One organiser by id."""
    row = (await conn.execute(sa.select(organisers).where(organisers.c.id == organiser_id))).first()
    return None if row is None else _record(row)


async def list_organisers(conn: AsyncConnection) -> tuple[OrganiserRecord, ...]:
    """Every organiser: akimats by unit code, then central bodies by name."""
    rows = (await conn.execute(sa.select(organisers).order_by(organisers.c.kind, organisers.c.unit_id, organisers.c.name_ru))).all()
    return tuple(_record(r) for r in rows)


async def ensure_akimat(conn: AsyncConnection, unit: AdminUnit, now: datetime) -> OrganiserRecord:
    """The akimat of a unit, created on first use (a unit without an akim has none: ValueError)."""
    found = await get_organiser(conn, unit.id)
    if found is not None:
        return found
    if unit.akim_level is None:
        raise ValueError(f"{unit.id}: a {unit.kind} has no akim of its own")
    ru, kk = akimat_names(unit)
    record = OrganiserRecord(unit.id, "akimat", unit.akim_level, unit.id, ru, kk)
    await conn.execute(organisers.insert().values(**record.to_json(), created_at=store_time(now)))
    return record


async def create_central_body(conn: AsyncConnection, organiser_id: str, name_ru: str, name_kk: str, *, exempt: bool,
                              now: datetime) -> OrganiserRecord:
    """Store a central executive body as an organiser (its level is ``central``)."""
    record = OrganiserRecord(organiser_id, "central_body", CENTRAL_LEVEL, None, name_ru, name_kk, exempt)
    await conn.execute(organisers.insert().values(**record.to_json(), created_at=store_time(now)))
    return record


async def rename_organiser(conn: AsyncConnection, organiser_id: str, name_ru: str, name_kk: str) -> None:
    """Change an organiser's names."""
    await conn.execute(organisers.update().where(organisers.c.id == organiser_id).values(name_ru=name_ru, name_kk=name_kk))
