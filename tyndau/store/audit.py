"""The audit log: who changed what, when."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from tyndau.store.people import Principal
from tyndau.store.schema import audit_log
from tyndau.timeutil import as_utc, iso, utcnow


async def record(conn: AsyncConnection, who: Principal, action: str, meeting_id: int | None, detail: dict[str, Any]) -> None:
    """Append one audit entry inside the caller's transaction."""
    await conn.execute(
        audit_log.insert().values(
            at=utcnow().replace(tzinfo=None), actor=f"{who.kind}:{who.name}", role=who.role,
            action=action, meeting_id=meeting_id, detail=detail,
        )
    )


async def entries(engine: AsyncEngine, meeting_id: int | None = None, limit: int = 500) -> list[dict[str, Any]]:
    """Recent audit entries, newest first."""
    query = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if meeting_id is not None:
        query = query.where(audit_log.c.meeting_id == meeting_id)
    async with engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    return [
        {"id": r.id, "at": iso(as_utc(r.at)), "actor": r.actor, "role": r.role, "action": r.action,
         "meeting_id": r.meeting_id, "detail": r.detail}
        for r in rows
    ]
