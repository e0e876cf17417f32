"""Administrative units in the store: the tree, its closure table, imports, and scope queries.

``admin_unit_paths`` holds one row per (ancestor, unit) pair, the unit itself at depth 0, written
when a unit is first stored (records are never re-parented, so the rows never change). "A unit and
everything below it" is then ``unit_id IN (SELECT unit_id FROM admin_unit_paths WHERE
ancestor_id = :scope)`` — one primary-key range scan, the shape issue 15's scopes and roll-ups use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from tyndau.domain.kato import KatoImport
from tyndau.domain.unit_changes import UnitMerge
from tyndau.domain.units import AdminUnit, UnitTree, build_tree
from tyndau.store.engine import new_id
from tyndau.store.planning_schema import admin_unit_paths, admin_units, unit_imports
from tyndau.timeutil import as_utc, iso, store_time


def _unit(row: Any) -> AdminUnit:
    return AdminUnit(row.id, row.kind, row.name_ru, row.name_kk, row.parent_id, row.kato, row.valid_from, row.valid_to)


async def list_units(conn: AsyncConnection) -> tuple[AdminUnit, ...]:
    """Every stored unit, in code order."""
    rows = (await conn.execute(sa.select(admin_units).order_by(admin_units.c.kato, admin_units.c.id))).all()
    return tuple(_unit(r) for r in rows)


async def load_tree(conn: AsyncConnection) -> UnitTree:
    """The stored units as a tree (they were checked as one before they were written)."""
    return build_tree(await list_units(conn))


async def get_unit(conn: AsyncConnection, unit_id: str) -> AdminUnit | None:
    """One unit by id."""
    row = (await conn.execute(sa.select(admin_units).where(admin_units.c.id == unit_id))).first()
    return None if row is None else _unit(row)


def subtree_ids(scope_id: str) -> sa.Select[Any]:
    """A subquery of the ids of a unit and everything below it (for ``column.in_(...)``)."""
    return sa.select(admin_unit_paths.c.unit_id).where(admin_unit_paths.c.ancestor_id == scope_id)


def within(column: sa.ColumnElement[Any], scope_id: str) -> sa.ColumnElement[bool]:
    """A filter: ``column`` (a unit id) lies in the scope's subtree."""
    return column.in_(subtree_ids(scope_id))


async def ancestor_ids(conn: AsyncConnection, unit_id: str) -> tuple[str, ...]:
    """The unit and its ancestors, nearest first (from the closure table)."""
    rows = await conn.execute(sa.select(admin_unit_paths.c.ancestor_id).where(admin_unit_paths.c.unit_id == unit_id)
                              .order_by(admin_unit_paths.c.depth))
    return tuple(r.ancestor_id for r in rows)


@dataclass(frozen=True, slots=True)
class UnitWrite:
    """What a write did: how many units were created, updated or left as they were."""

    created: int
    updated: int
    unchanged: int


async def apply_merge(conn: AsyncConnection, merge: UnitMerge, source: str, now: datetime) -> UnitWrite:
    """Write a merge :func:`merge_units` accepted: new units (parents first) with their paths, then changes."""
    if not merge.ok or merge.tree is None:
        raise ValueError("only an accepted merge can be written")
    tree = merge.tree
    stamp = store_time(now)
    fresh = sorted(merge.new, key=lambda u: len(tree.ancestors(u.id)))
    if fresh:
        await conn.execute(admin_units.insert(), [
            {**_values(u), "source": source[:200], "created_at": stamp, "updated_at": stamp} for u in fresh
        ])
        paths = [{"ancestor_id": u.id, "unit_id": u.id, "depth": 0} for u in fresh]
        paths += [{"ancestor_id": a.id, "unit_id": u.id, "depth": depth}
                  for u in fresh for depth, a in enumerate(tree.ancestors(u.id), start=1)]
        await conn.execute(admin_unit_paths.insert(), paths)
    for _, after in merge.changed:
        await conn.execute(admin_units.update().where(admin_units.c.id == after.id).values(
            **_values(after), source=source[:200], updated_at=stamp))
    return UnitWrite(len(fresh), len(merge.changed), len(merge.unchanged))


def _values(u: AdminUnit) -> dict[str, Any]:
    return {"id": u.id, "kind": u.kind, "name_ru": u.name_ru, "name_kk": u.name_kk, "parent_id": u.parent_id,
            "kato": u.kato, "valid_from": u.valid_from, "valid_to": u.valid_to}


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """One applied import of a KATO file: who, when, what it did, and the rows it left out."""

    id: int
    filename: str
    sha256: str
    at: datetime
    actor: str
    units_total: int
    created: int
    updated: int
    unchanged: int
    skipped: tuple[dict[str, Any], ...]

    def to_json(self) -> dict[str, Any]:
        """As the API lists it."""
        return {"id": self.id, "filename": self.filename, "sha256": self.sha256, "at": iso(self.at), "actor": self.actor,
                "units_total": self.units_total, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "skipped": list(self.skipped)}


def skipped_json(report: KatoImport) -> list[dict[str, Any]]:
    """The skipped rows of a report, as stored and sent."""
    return [{"line": s.line, "code": s.code, "name": s.name, "reason": s.reason} for s in report.skipped]


async def record_import(conn: AsyncConnection, *, filename: str, sha256: str, actor: str, now: datetime,
                        report: KatoImport, write: UnitWrite) -> ImportRecord:
    """Keep a row for an applied import."""
    values: dict[str, Any] = {"filename": filename[:300], "sha256": sha256, "at": store_time(now), "actor": actor[:100],
              "units_total": len(report.units), "created": write.created, "updated": write.updated,
              "unchanged": write.unchanged, "skipped": skipped_json(report)}
    result = await conn.execute(unit_imports.insert().values(**values))
    return ImportRecord(new_id(result), values["filename"], sha256, as_utc(values["at"]), values["actor"],
                        len(report.units), write.created, write.updated, write.unchanged, tuple(values["skipped"]))


async def list_imports(conn: AsyncConnection, limit: int = 50) -> tuple[ImportRecord, ...]:
    """Recent imports, newest first."""
    rows = (await conn.execute(sa.select(unit_imports).order_by(unit_imports.c.id.desc()).limit(limit))).all()
    return tuple(ImportRecord(r.id, r.filename, r.sha256, as_utc(r.at), r.actor, r.units_total, r.created, r.updated,
                              r.unchanged, tuple(r.skipped or ())) for r in rows)


async def count_within(conn: AsyncConnection, scope_id: str, on: date | None = None) -> int:
    """How many units lie in a scope (existing on a day when given)."""
    query = sa.select(sa.func.count()).select_from(admin_units).where(within(admin_units.c.id, scope_id))
    if on is not None:
        query = query.where(sa.or_(admin_units.c.valid_from.is_(None), admin_units.c.valid_from <= on),
                            sa.or_(admin_units.c.valid_to.is_(None), admin_units.c.valid_to >= on))
    return int(await conn.scalar(query) or 0)


def unit_json(unit: AdminUnit, tree: UnitTree | None = None) -> dict[str, Any]:
    """A unit as the API sends it (with its depth and akim level; its path when the tree is given)."""
    body: dict[str, Any] = {
        "id": unit.id, "kind": unit.kind, "name_ru": unit.name_ru, "name_kk": unit.name_kk, "parent_id": unit.parent_id,
        "kato": unit.kato, "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else None, "akim_level": unit.akim_level,
    }
    if tree is not None:
        body["depth"] = len(tree.ancestors(unit.id))
    return body


def sorted_units(tree: UnitTree) -> Sequence[AdminUnit]:
    """Every unit in tree order (depth first, code order)."""
    return [u for root in tree.roots for u in tree.subtree(root.id)]
