"""The central-level list's one action: a central body (or the unit, or a national user) updates an item's analysis."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tyndau.actions import Action, ActionError
from tyndau.actions.context import ActionContext
from tyndau.actions.planning_fields import Fields, refuse
from tyndau.actions.planning_payloads import CentralUpdate, fields_of
from tyndau.store.audit import record as audit
from tyndau.store.central import ANALYSIS, MAX_PROPOSAL, get_item, write_item
from tyndau.store.organisers import get_organiser
from tyndau.store.people import Principal
from tyndau.timeutil import utcnow

MAX_AMOUNT = 10**15  # tenge


async def update(services: ActionContext, who: Principal, payload: Mapping[str, Any]) -> dict[str, Any]:
    """``{problem_id, version, analysis?, amount?, proposal?, body_id?, selected?}``; 409 when someone changed it first."""
    f = Fields(payload, known=("problem_id", "version", "analysis", "amount", "proposal", "body_id", "selected"))
    problem_id = f.integer("problem_id", 1, 2**53, required=True)
    version = f.integer("version", 0, 10**9, required=True)
    values: dict[str, Any] = {}
    if f.has("analysis"):
        values["analysis"] = f.choice("analysis", ANALYSIS)
    if f.has("amount"):
        values["amount"] = None if payload.get("amount") is None else f.integer("amount", 0, MAX_AMOUNT)
    if f.has("proposal"):
        values["proposal"] = f.text("proposal", MAX_PROPOSAL, multiline=True)
    if f.has("selected"):
        values["selected"] = f.flag("selected")
    if f.has("body_id"):
        values["body_id"] = f.text("body_id", 60) or None
    f.done("the central-level item has invalid fields")
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


ACTIONS = (Action("central.update", "central.update", fields_of(update), CentralUpdate),)
