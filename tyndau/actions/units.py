"""Unit actions: import a KATO export (a dry run first), add a unit, rename or abolish one.

Every write goes through :func:`tyndau.domain.unit_changes.merge_units`: a unit that would move, or a
set that would stop being one valid tree, is refused as a whole (422 with the list), so the store
never holds a broken tree.
"""

from __future__ import annotations

import hashlib
from typing import Any

from tyndau.actions import Action, ActionError
from tyndau.actions.context import ActionContext
from tyndau.actions.errors import refuse
from tyndau.actions.planning_payloads import UNIT_ID, UnitAdd, UnitEdit, UnitsImport
from tyndau.domain.unit_changes import UnitMerge, edited, merge_units
from tyndau.domain.units import AdminUnit
from tyndau.live.kato_files import KatoFileError, read_kato_bytes
from tyndau.store.audit import record as audit
from tyndau.store.people import Principal
from tyndau.store.units import apply_merge, get_unit, list_units, record_import, skipped_json, unit_json
from tyndau.timeutil import utcnow


def _refusals(merge: UnitMerge) -> list[dict[str, str]]:
    return [{"unit_id": r.unit_id, "message": r.message} for r in merge.refused]


async def import_file(services: ActionContext, who: Principal, cmd: UnitsImport) -> dict[str, Any]:
    """Read an uploaded export and report what it would do; write it unless ``dry_run``.

    The answer lists the units that would be created or changed, the rows skipped (with why) and
    the rows in error; a file with errors, or one that would move or break stored units, is not
    written (422 with the same report).
    """
    data, filename, dry_run = cmd.data, cmd.filename, cmd.dry_run
    if not isinstance(data, bytes) or not isinstance(filename, str) or not filename.strip():
        refuse(400, "bad_request", "send the export as the file field of a multipart form", file="required")
    try:
        report = read_kato_bytes(data, filename)
    except KatoFileError as exc:
        refuse(422, "unreadable", str(exc), file=str(exc))
    async with services.engine.begin() as conn:
        merge = merge_units(await list_units(conn), report.units) if report.ok else None
        body: dict[str, Any] = {
            "filename": filename, "dry_run": dry_run, "units_total": len(report.units),
            "skipped": skipped_json(report),
            "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in report.errors],
            "new": [unit_json(u) for u in merge.new] if merge else [],
            "changed": [{"before": unit_json(a), "after": unit_json(b)} for a, b in merge.changed] if merge else [],
            "unchanged": len(merge.unchanged) if merge else 0,
            "refused": _refusals(merge) if merge else [],
        }
        if not report.ok or (merge is not None and not merge.ok):
            raise ActionError(422, "import_refused", "the file has rows in error or would break the stored units; nothing was written",
                              report=body)
        if dry_run:
            return body
        assert merge is not None
        now = utcnow()
        write = await apply_merge(conn, merge, f"kato:{filename[:190]}", now)
        saved = await record_import(conn, filename=filename, sha256=hashlib.sha256(data).hexdigest(), actor=who.name, now=now,
                                    report=report, write=write)
        await audit(conn, who, "units.import", None, {"import_id": saved.id, "filename": filename, "created": write.created,
                                                      "updated": write.updated})
    return {**body, "import": saved.to_json()}


async def add(services: ActionContext, who: Principal, cmd: UnitAdd) -> dict[str, Any]:
    """Add a unit by hand: its KATO code (or an id of ours), kind, parent, names and start."""
    unit_id, kind, parent_id = cmd.id, cmd.kind, cmd.parent_id or None
    unit = AdminUnit(unit_id, kind, cmd.name_ru, cmd.name_kk, parent_id, cmd.kato or None, cmd.valid_from, cmd.valid_to)
    async with services.engine.begin() as conn:
        if await get_unit(conn, unit_id) is not None:
            refuse(409, "exists", f"there is a unit {unit_id} already; rename it or abolish it instead", id="already stored")
        merge = merge_units(await list_units(conn), [unit])
        if not merge.ok:
            raise ActionError(422, "refused", "; ".join(r.message for r in merge.refused), {"unit": merge.refused[0].message},
                              refused=_refusals(merge))
        await apply_merge(conn, merge, "manual", utcnow())
        await audit(conn, who, "units.add", None, {"unit_id": unit_id, "kind": kind, "parent_id": parent_id})
    return unit_json(unit)


async def edit(services: ActionContext, who: Principal, cmd: UnitEdit) -> dict[str, Any]:
    """Rename a unit or change its dates (abolish: set ``valid_to``); it never moves to another parent."""
    unit_id = cmd.unit_id
    if not isinstance(unit_id, str) or not UNIT_ID.fullmatch(unit_id):
        refuse(404, "not_found", "no such unit")
    names = {k: getattr(cmd, k) for k in ("name_ru", "name_kk") if k in cmd.model_fields_set}
    dates = {k: getattr(cmd, k) for k in ("valid_from", "valid_to") if k in cmd.model_fields_set}
    async with services.engine.begin() as conn:
        before = await get_unit(conn, unit_id)
        if before is None:
            refuse(404, "not_found", f"no unit {unit_id}")
        after = edited(before, **names, **dates)  # type: ignore[arg-type]
        if not (after.name_ru or after.name_kk):
            refuse(422, "invalid", "a unit keeps a name in Russian or Kazakh", name_ru="required")
        merge = merge_units(await list_units(conn), [after])
        if not merge.ok:
            raise ActionError(422, "refused", "; ".join(r.message for r in merge.refused), {"unit": merge.refused[0].message},
                              refused=_refusals(merge))
        await apply_merge(conn, merge, "manual", utcnow())
        changed = {k: [str(getattr(before, k) or ""), str(getattr(after, k) or "")] for k in (*names, *dates)
                   if getattr(before, k) != getattr(after, k)}
        await audit(conn, who, "units.edit", None, {"unit_id": unit_id, "changed": changed})
    return unit_json(after)


ACTIONS = (
    Action("units.import", "planning.edit", import_file, UnitsImport),
    Action("units.add", "planning.edit", add, UnitAdd),
    Action("units.edit", "planning.edit", edit, UnitEdit),
)
