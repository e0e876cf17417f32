"""Round actions: group meetings into a round, record personal receptions, mark the round published.

A reception's questions join its meeting's problem list through the intake, as comments with
source ``reception`` (kind ``request``: the citizen's name and contact stay private), so the NLP
labels them and the review workspace shows them like any pooled request; re-saving a reception
pools only what is new (the intake is idempotent on ``reception:<id>/<question>``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tyndau.actions import Action, ActionError
from tyndau.actions.context import ActionContext
from tyndau.actions.errors import refuse
from tyndau.actions.planning_payloads import ReceptionFields, ReceptionInput, ReceptionUpdate, RoundCreate, RoundUpdate
from tyndau.domain.comments import IncomingComment
from tyndau.domain.receptions import (
    RECEPTION_SOURCE,
    Reception,
    ReceptionInvalid,
    ReceptionParticipant,
    ReceptionQuestion,
    validate_reception,
)
from tyndau.domain.text_safety import PUBLIC, safe
from tyndau.live.intake import IntakeUnavailable
from tyndau.permissions import audience_of
from tyndau.planner.round_view import round_payload
from tyndau.store.audit import record as audit
from tyndau.store.meetings import get_meeting, set_links
from tyndau.store.people import Principal
from tyndau.store.rounds import (
    ReceptionRecord,
    create_round,
    get_round,
    insert_reception,
    list_receptions,
    replace_reception,
    set_question_comment,
    update_round,
)
from tyndau.timeutil import utcnow


def _reception(cmd: ReceptionFields, base: ReceptionRecord | None) -> tuple[Reception, dict[str, tuple[str, str]]]:
    """The reception a payload describes (over ``base``: only the fields sent change), and each new question's citizen and contact."""
    old = base.reception if base else None
    sent = cmd.model_fields_set if old else set(ReceptionFields.model_fields)
    if old is None and cmd.starts_at is None:
        refuse(422, "invalid", "the reception has invalid fields", starts_at="required, ISO 8601 with offset")
    starts = cmd.starts_at or (old.starts_at if old else None)
    ended = cmd.ended_at if "ended_at" in sent else (old.ended_at if old else None)
    place = cmd.place if "place" in sent or old is None else old.place
    received = cmd.citizens_received if "citizens_received" in sent else (old.citizens_received if old else None)
    cancelled = cmd.cancelled if "cancelled" in sent else (old.cancelled if old else False)
    people = [ReceptionParticipant(p.role, p.name, p.organisation) for p in cmd.participants] if "participants" in sent else list(old.participants if old else ())
    stored = {q.id: q for q in old.questions} if old else {}
    questions = list(old.questions) if old and "questions" not in sent else []
    private: dict[str, tuple[str, str]] = {}
    if "questions" in sent:
        questions = []
        used = set(stored)
        for item in cmd.questions:
            qid, text, lang, answered, citizen, contact = item.id or None, item.text, item.lang, item.answered_on_spot, item.citizen, item.contact
            if qid is not None and qid in stored:
                before = stored[qid].text
                text = before if text == safe(before, PUBLIC) else text  # a redacted copy sent back keeps the original
            elif qid is None or qid in used:
                n = len(used) + 1
                while f"q{n}" in used:
                    n += 1
                qid = f"q{n}"
            used.add(qid)
            questions.append(ReceptionQuestion(qid, text, lang, answered))
            if citizen or contact:
                private[qid] = (citizen, contact)
    assert starts is not None
    reception = Reception(str(base.id) if base else "new", "", starts, ended, place, tuple(people), tuple(questions), received, cancelled)
    try:
        return validate_reception(reception), private
    except ReceptionInvalid as exc:
        raise ActionError(422, "invalid", "the reception has invalid fields", exc.fields) from None


async def _pool(services: ActionContext, record: ReceptionRecord, private: Mapping[str, tuple[str, str]]) -> int:
    """Send the reception's questions to its meeting's feed (idempotent); returns how many are pooled."""
    r = record.reception
    if r.cancelled or not r.questions:
        return 0
    batch = []
    for q in r.questions:
        citizen, contact = private.get(q.id, ("", ""))
        extra: dict[str, Any] = {"reception_id": record.id}
        if contact:
            extra["contact"] = contact
        batch.append(IncomingComment(source=RECEPTION_SOURCE, external_id=f"{RECEPTION_SOURCE}:{record.id}/{q.id}", author=citizen,
                                     text=q.text, created_at=r.starts_at, lang=q.lang if q.lang in ("ru", "kk") else None,
                                     kind="request", extra=extra))
    try:
        results = await services.intake.submit(record.meeting_id, batch)
    except IntakeUnavailable as exc:
        raise ActionError(503, "store_unavailable", f"the reception is saved, its questions are not yet in the problem list: {exc}") from None
    async with services.engine.begin() as conn:
        for q, result in zip(r.questions, results):
            if result.stored and record.comment_ids.get(q.id) != result.id:
                await set_question_comment(conn, record.id, q.id, result.id)
    return sum(1 for res in results if res.stored)


async def _answer(services: ActionContext, who: Principal, round_id: int) -> dict[str, Any]:
    async with services.engine.connect() as conn:
        body = await round_payload(conn, round_id, utcnow(), private=audience_of(who.role) == "private")
    assert body is not None
    return body


async def record_reception(services: ActionContext, who: Principal, cmd: ReceptionInput) -> dict[str, Any]:
    """Record a reception after a meeting; the meeting's round is created on first use. Answers the round."""
    meeting_id = cmd.meeting_id
    reception, private = _reception(cmd, None)
    now = utcnow()
    async with services.engine.begin() as conn:
        meeting = await get_meeting(conn, meeting_id)
        if meeting is None:
            refuse(404, "not_found", f"no meeting {meeting_id}")
        round_id = meeting.links.round_id
        if round_id is None:
            round_id = await create_round(conn, organiser_id=meeting.links.organiser_id, title=meeting.draft.title, now=now)
            await set_links(conn, meeting_id, round_id=round_id)
        reception_id = await insert_reception(conn, round_id, meeting_id, reception, now)
        await audit(conn, who, "reception.record", meeting_id, {"reception_id": reception_id, "round_id": round_id,
                                                                 "questions": len(reception.questions)})
        (record,) = await list_receptions(conn, reception_id=reception_id)
    await _pool(services, record, private)
    return await _answer(services, who, round_id)


async def update_reception(services: ActionContext, who: Principal, cmd: ReceptionUpdate) -> dict[str, Any]:
    """Change a reception (its end moves the round's clock); ``version`` guards against a lost update."""
    reception_id = cmd.reception_id
    rest = sorted(cmd.model_fields_set - {"reception_id", "version"})
    async with services.engine.begin() as conn:
        found = await list_receptions(conn, reception_id=reception_id)
        if not found:
            refuse(404, "not_found", f"no reception {reception_id}")
        base = found[0]
        version = base.version if cmd.version is None else cmd.version
        reception, private = _reception(cmd, base)
        if not await replace_reception(conn, reception_id, reception, version=version, now=utcnow()):
            refuse(409, "stale_version", "someone changed this reception meanwhile; reload it")
        await audit(conn, who, "reception.update", base.meeting_id, {"reception_id": reception_id, "fields": rest})
        (record,) = await list_receptions(conn, reception_id=reception_id)
    await _pool(services, record, private)
    return await _answer(services, who, record.round_id)


async def create(services: ActionContext, who: Principal, cmd: RoundCreate) -> dict[str, Any]:
    """Group meetings of one organiser into a round (none of them may be in a round already)."""
    title = cmd.title
    async with services.engine.begin() as conn:
        meetings = []
        for meeting_id in sorted(set(cmd.meeting_ids)):
            meeting = await get_meeting(conn, meeting_id)
            if meeting is None:
                refuse(404, "not_found", f"no meeting {meeting_id}")
            if meeting.links.round_id is not None:
                refuse(409, "in_round", f"meeting {meeting_id} is in round {meeting.links.round_id} already")
            meetings.append(meeting)
        organisers = {m.links.organiser_id for m in meetings}
        if len(organisers) > 1:
            refuse(422, "invalid", "a round is one organiser's meetings", meeting_ids="meetings of different organisers")
        round_id = await create_round(conn, organiser_id=organisers.pop(), title=title or meetings[0].draft.title, now=utcnow())
        for m in meetings:
            await set_links(conn, m.id, round_id=round_id)
        await audit(conn, who, "round.create", None, {"round_id": round_id, "meeting_ids": [m.id for m in meetings]})
    return await _answer(services, who, round_id)


async def update(services: ActionContext, who: Principal, cmd: RoundUpdate) -> dict[str, Any]:
    """Rename a round, or record (or clear) when its results were published: the clock stops there."""
    round_id = cmd.round_id
    fields = {k: getattr(cmd, k) for k in ("title", "published_at") if k in cmd.model_fields_set}
    async with services.engine.begin() as conn:
        if await get_round(conn, round_id) is None:
            refuse(404, "not_found", f"no round {round_id}")
        if fields:
            await update_round(conn, round_id, utcnow(), **fields)
            await audit(conn, who, "round.update", None, {"round_id": round_id, "fields": sorted(fields)})
    return await _answer(services, who, round_id)


ACTIONS = (
    Action("reception.record", "planning.organise", record_reception, ReceptionInput),
    Action("reception.update", "planning.organise", update_reception, ReceptionUpdate),
    Action("round.create", "planning.organise", create, RoundCreate),
    Action("round.update", "planning.edit", update, RoundUpdate),
)
