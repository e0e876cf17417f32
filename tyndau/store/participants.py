"""The people around a meeting in the store: the round's pooling commission, a meeting's wide audience.

Both are replaced as a whole (the forms send the full list); names stay in the workspace — the
package shows :func:`tyndau.domain.participation.attendance_summary` and the commission's roles.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from tyndau.domain.participation import AttendanceEntry, Commission, CommissionMember
from tyndau.store.planning_schema import attendance_entries, commission_members
from tyndau.store.schema import meetings


async def get_commission(conn: AsyncConnection, round_id: int) -> Commission:
    """The round's commission (no members yet: an empty one)."""
    rows = await conn.execute(sa.select(commission_members).where(commission_members.c.round_id == round_id)
                              .order_by(commission_members.c.position))
    return Commission(tuple(CommissionMember(r.name, r.role, r.organisation) for r in rows))


async def replace_commission(conn: AsyncConnection, round_id: int, commission: Commission) -> None:
    """Store the commission's members in their order, replacing the previous list."""
    await conn.execute(commission_members.delete().where(commission_members.c.round_id == round_id))
    if commission.members:
        await conn.execute(commission_members.insert(), [
            {"round_id": round_id, "position": i, "name": m.name[:200], "role": m.role, "organisation": m.organisation[:300]}
            for i, m in enumerate(commission.members)])


async def get_attendance(conn: AsyncConnection, meeting_ids: Sequence[int]) -> tuple[AttendanceEntry, ...]:
    """The attendance entries of one or more meetings, in meeting then form order."""
    if not meeting_ids:
        return ()
    rows = await conn.execute(sa.select(attendance_entries).where(attendance_entries.c.meeting_id.in_(list(meeting_ids)))
                              .order_by(attendance_entries.c.meeting_id, attendance_entries.c.position))
    return tuple(AttendanceEntry(r.category, r.organisation, r.name, r._mapping["count"]) for r in rows)


async def replace_attendance(conn: AsyncConnection, meeting_id: int, entries: Sequence[AttendanceEntry]) -> None:
    """Store a meeting's attendance entries, replacing the previous list."""
    await conn.execute(attendance_entries.delete().where(attendance_entries.c.meeting_id == meeting_id))
    if entries:
        await conn.execute(attendance_entries.insert(), [
            {"meeting_id": meeting_id, "position": i, "category": e.category, "organisation": e.organisation[:300],
             "name": e.name[:200], "count": e.count} for i, e in enumerate(entries)])


async def commissions_of_meetings(conn: AsyncConnection, meeting_ids: Sequence[int]) -> tuple[CommissionMember, ...]:
    """The commission members of the rounds these meetings belong to (each person once)."""
    round_ids = sorted({r.round_id for r in await conn.execute(
        sa.select(meetings.c.round_id).where(meetings.c.id.in_(list(meeting_ids)), meetings.c.round_id.is_not(None)))})
    seen: set[str] = set()
    out: list[CommissionMember] = []
    for rid in round_ids:
        for m in (await get_commission(conn, rid)).members:
            key = " ".join(m.name.casefold().split())
            if key not in seen:
                seen.add(key)
                out.append(m)
    return tuple(out)
