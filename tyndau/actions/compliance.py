"""The compliance monitor's one action: an organiser records that it handed in its quarterly progress report."""

from __future__ import annotations

from typing import Any

from tyndau.actions import Action
from tyndau.actions.context import ActionContext
from tyndau.actions.errors import refuse
from tyndau.actions.planning_payloads import ProgressSubmit
from tyndau.store.audit import record as audit
from tyndau.store.compliance_data import record_progress
from tyndau.store.organisers import get_organiser
from tyndau.store.people import Principal
from tyndau.timeutil import iso, utcnow


async def submit_progress(services: ActionContext, who: Principal, cmd: ProgressSubmit) -> dict[str, Any]:
    """``{organiser_id, year, quarter, submitted_at?}``: the report went to the superior akimat (now, or when it did)."""
    organiser_id, year, quarter = cmd.organiser_id, cmd.year, cmd.quarter
    at = cmd.submitted_at or utcnow()
    async with services.engine.begin() as conn:
        if await get_organiser(conn, organiser_id) is None:
            refuse(404, "not_found", f"no organiser {organiser_id}", organiser_id="unknown")
        if not await record_progress(conn, organiser_id, year or 0, quarter or 0, at, who.name):
            refuse(409, "exists", "this quarter's report was recorded already", quarter="recorded")
        await audit(conn, who, "progress.submit", None, {"organiser_id": organiser_id, "year": year, "quarter": quarter})
    return {"organiser_id": organiser_id, "year": year, "quarter": quarter, "submitted_at": iso(at)}


ACTIONS = (Action("progress.submit", "progress.submit", submit_progress, ProgressSubmit),)
