"""The people around a meeting, and its announcement: the round's pooling commission, the meeting's
wide-audience record, and the announcement text for the official accounts (ru and kk).

The rules are :mod:`tyndau.domain.participation` and :mod:`tyndau.live.announcement`: errors there
refuse the save (422 naming the field), warnings (no member of a public council, a wide-audience
category nobody came from) are saved and answered so the form shows them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tyndau.actions import Action, ActionError
from tyndau.actions.context import ActionContext
from tyndau.actions.errors import refuse
from tyndau.actions.planning_payloads import AnnouncementInput, AttendanceInput, CommissionInput, MeetingRef, RoundId
from tyndau.domain.deadlines import almaty_date
from tyndau.domain.participation import (
    COMMISSION_ROLES,
    AttendanceEntry,
    Commission,
    CommissionMember,
    Issue,
    attendance_summary,
    check_attendance,
    check_commission,
)
from tyndau.live.announcement import DEFAULT_TEMPLATES, PLACEHOLDERS, AnnouncementFacts, TemplateError, announcement_text
from tyndau.store.audit import record as audit
from tyndau.store.meetings import get_meeting
from tyndau.store.participants import get_attendance, get_commission, replace_attendance, replace_commission
from tyndau.store.people import Principal
from tyndau.store.rounds import get_round
from tyndau.store.units import get_unit


def _issues(issues: tuple[Issue, ...]) -> list[dict[str, str]]:
    return [{"level": i.level, "field": i.field, "message": i.message} for i in issues]


def _refuse_errors(issues: tuple[Issue, ...], what: str) -> None:
    errors = {i.field: i.message for i in issues if i.level == "error"}
    if errors:
        raise ActionError(422, "invalid", f"the {what} has errors", errors)


async def commission(services: ActionContext, who: Principal, cmd: CommissionInput) -> dict[str, Any]:
    """Replace the round's commission; answers its members and the check's warnings."""
    round_id = cmd.round_id
    members = [CommissionMember(m.name, m.role, m.organisation) for m in cmd.members]
    issues = check_commission(Commission(tuple(members))) if members else ()
    _refuse_errors(issues, "commission")
    async with services.engine.begin() as conn:
        if await get_round(conn, round_id) is None:
            refuse(404, "not_found", f"no round {round_id}")
        await replace_commission(conn, round_id, Commission(tuple(members)))
        await audit(conn, who, "round.commission", None, {"round_id": round_id, "members": len(members)})
    return {"round_id": round_id, "members": [{"name": m.name, "role": m.role, "organisation": m.organisation} for m in members],
            "issues": _issues(issues)}


async def attendance(services: ActionContext, who: Principal, cmd: AttendanceInput) -> dict[str, Any]:
    """Replace the meeting's wide-audience record; answers it, its summary (no names) and the warnings."""
    meeting_id = cmd.meeting_id
    entries = [AttendanceEntry(e.category, e.organisation, e.name, e.count or 1) for e in cmd.entries]
    issues = check_attendance(entries)
    _refuse_errors(issues, "attendance record")
    async with services.engine.begin() as conn:
        if await get_meeting(conn, meeting_id) is None:
            refuse(404, "not_found", f"no meeting {meeting_id}")
        await replace_attendance(conn, meeting_id, entries)
        await audit(conn, who, "meeting.attendance", meeting_id, {"entries": len(entries)})
    return attendance_json(meeting_id, tuple(entries), issues)


def attendance_json(meeting_id: int, entries: tuple[AttendanceEntry, ...], issues: tuple[Issue, ...] | None = None) -> dict[str, Any]:
    """The record, its summary per category (counts and organisations only) and the check."""
    return {
        "meeting_id": meeting_id,
        "entries": [{"category": e.category, "organisation": e.organisation, "name": e.name, "count": e.count} for e in entries],
        "summary": [{"category": c.category, "people": c.people, "organisations": list(c.organisations)} for c in attendance_summary(entries)],
        "issues": _issues(issues if issues is not None else check_attendance(entries)),
    }


async def read_attendance(services: ActionContext, who: Principal, cmd: MeetingRef) -> dict[str, Any]:
    """A meeting's wide-audience record as stored."""
    meeting_id = cmd.meeting_id
    async with services.engine.connect() as conn:
        if await get_meeting(conn, meeting_id) is None:
            refuse(404, "not_found", f"no meeting {meeting_id}")
        entries = await get_attendance(conn, [meeting_id])
    return attendance_json(meeting_id, entries)


async def read_commission(services: ActionContext, who: Principal, cmd: RoundId) -> dict[str, Any]:
    """A round's commission as stored, with the check and the roles a member may have."""
    round_id = cmd.round_id
    async with services.engine.connect() as conn:
        if await get_round(conn, round_id) is None:
            refuse(404, "not_found", f"no round {round_id}")
        found = await get_commission(conn, round_id)
    return {"round_id": round_id, "members": [{"name": m.name, "role": m.role, "organisation": m.organisation} for m in found.members],
            "issues": _issues(check_commission(found) if found.members else ()), "roles": list(COMMISSION_ROLES)}


async def announcement(services: ActionContext, who: Principal, cmd: AnnouncementInput) -> dict[str, Any]:
    """Draft the announcement for the official accounts in both languages (nothing is stored)."""
    meeting_id, until, place_kk = cmd.meeting_id, cmd.questions_until, cmd.place_kk
    templates = {"ru": cmd.template_ru or None, "kk": cmd.template_kk or None}
    channels = {"ru": cmd.channels_ru, "kk": cmd.channels_kk}
    akim = {"ru": cmd.akim_ru, "kk": cmd.akim_kk}
    topic = {"ru": cmd.topic_ru, "kk": cmd.topic_kk}
    async with services.engine.connect() as conn:
        meeting = await get_meeting(conn, meeting_id)
        if meeting is None:
            refuse(404, "not_found", f"no meeting {meeting_id}")
        unit = await get_unit(conn, meeting.links.place_unit_id) if meeting.links.place_unit_id else None
    d = meeting.draft
    day = almaty_date(d.starts_at)
    facts = AnnouncementFacts(
        starts_at=d.starts_at, akim_ru=akim["ru"] or d.akim_name or "Аким", akim_kk=akim["kk"] or d.akim_name or "Әкім",
        place_ru=d.place or (unit.name("ru") if unit else ""), place_kk=place_kk or (unit.name("kk") if unit else "") or d.place,
        stream_links=d.stream_links, question_channels_ru=tuple(channels["ru"]), question_channels_kk=tuple(channels["kk"]),
        questions_until=until or day - timedelta(days=1), topic_ru=topic["ru"] or d.title, topic_kk=topic["kk"] or d.title_kk,
    )
    texts: dict[str, str] = {}
    for lang in ("ru", "kk"):
        try:
            texts[lang] = announcement_text(facts, lang, templates[lang])
        except TemplateError as exc:
            raise ActionError(422, "bad_template", str(exc), {f"template_{lang}": str(exc)}) from None
    return {"meeting_id": meeting_id, "ru": texts["ru"], "kk": texts["kk"], "placeholders": list(PLACEHOLDERS),
            "templates": dict(DEFAULT_TEMPLATES), "questions_until": facts.questions_until.isoformat() if facts.questions_until else None,
            "announced_at": d.announced_at.isoformat() if d.announced_at else None}


ACTIONS = (
    Action("round.commission", "planning.organise", commission, CommissionInput),
    Action("round.commission_read", "planning.read", read_commission, RoundId),
    Action("meeting.attendance", "planning.organise", attendance, AttendanceInput),
    Action("meeting.attendance_read", "planning.read", read_attendance, MeetingRef),
    Action("meeting.announcement", "planning.read", announcement, AnnouncementInput),
)
