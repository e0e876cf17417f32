"""The central-level list's one action: a central body (or the unit, or a national user) updates an item's analysis."""

from __future__ import annotations

from typing import Any

from tyndau.actions import Action, ActionError
from tyndau.actions.context import ActionContext
from tyndau.actions.errors import refuse
from tyndau.actions.planning_payloads import CentralUpdate
from tyndau.store.audit import record as audit
from tyndau.store.central import get_item, write_item
from tyndau.store.organisers import get_organiser
from tyndau.store.people import Principal
from tyndau.timeutil import utcnow


async def update(services: ActionContext, who: Principal, cmd: CentralUpdate) -> dict[str, Any]:
    """``{problem_id, version, analysis?, amount?, proposal?, body_id?, selected?}``; 409 when someone changed it first."""
    problem_id, version = cmd.problem_id, cmd.version
    sent = cmd.model_fields_set
    values: dict[str, Any] = {k: getattr(cmd, k) for k in ("analysis", "amount", "proposal", "selected") if k in sent}
    if "body_id" in sent:
        values["body_id"] = cmd.body_id or None
    if who.scope is not None and who.scope.organiser_id is not None and "body_id" in values:
        refuse(403, "forbidden", "a central body cannot hand an item to another body; ask the unit or a national user", body_id="not yours to change")
    now = utcnow()
    async with services.engine.begin() as conn:
        item = await get_item(conn, problem_id or 0)
        if item is None:
            refuse(404, "not_found", f"problem {problem_id} is not on the central-level list")
        if values.get("body_id") is not None:
            body = await get_organiser(conn, values["body_id"])
            if body is None or body.kind != "central_body":
                refuse(422, "invalid", "body_id must be a central body", body_id="a central body's id")
        if not await write_item(conn, item.problem_id, version or 0, values, who.name, now):
            raise ActionError(409, "stale_version", "someone changed this item first; reload it", current=(await get_item(conn, item.problem_id)).to_json())  # type: ignore[union-attr]
        await audit(conn, who, "central.update", item.meeting_id, {"problem_id": item.problem_id, "fields": sorted(values)})
        fresh = await get_item(conn, item.problem_id)
    assert fresh is not None
    return fresh.to_json()


ACTIONS = (Action("central.update", "central.update", update, CentralUpdate),)
