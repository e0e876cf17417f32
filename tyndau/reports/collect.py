"""Fill the report model from the store: meetings, their timing and comments, the reviewed problems.

Every citizen text that leaves through a report (problem titles, quotes) is redacted of personal
data here, once, so no export format can forget it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from tyndau.domain.participation import attendance_summary
from tyndau.domain.text_safety import PUBLIC, safe
from tyndau.live.clock_service import ClockService
from tyndau.reports.model import AudienceFacts, MeetingFacts, Problem, ProgressEntry, ProgressReport, ReceptionFacts, Round
from tyndau.store.comments import answered_count, counts_by_source
from tyndau.store.engine import Engine
from tyndau.store.meetings import get_meeting
from tyndau.store.participants import commissions_of_meetings, get_attendance
from tyndau.store.problems import list_problems, member_rows, quote, status_at
from tyndau.store.rounds import receptions_of_meetings
from tyndau.timeutil import as_utc, utcnow

QUOTES = 3


def _safe(text: str) -> str:
    return safe(text or "", PUBLIC)


async def collect_round(
    engine: Engine,
    clock: ClockService,
    meeting_ids: Sequence[int],
    *,
    final: bool,
    category_names: Mapping[str, Mapping[str, str]],
    executors_kk: Mapping[str, str],
    generated_at: datetime | None = None,
) -> Round:
    """A round of one or more meetings, ready for any export format.

    A final round holds the accepted problems only, numbered anew; the drafts nobody accepted yet
    are kept apart in ``left_out`` (the review lists them; the published document does not).
    """
    facts: list[MeetingFacts] = []
    titles: list[str] = []
    titles_kk: list[str] = []
    akims: list[str] = []
    async with engine.connect() as conn:
        for meeting_id in meeting_ids:
            meeting = await get_meeting(conn, meeting_id)
            if meeting is None:
                raise LookupError(meeting_id)
            timing = await clock.timing(meeting_id)
            by_source = await counts_by_source(conn, meeting_id)
            answered = await answered_count(conn, meeting_id)
            d = meeting.draft
            ended = datetime.fromisoformat(timing["ended_at"]) if timing.get("ended_at") else None
            facts.append(MeetingFacts(
                id=meeting.id, title=d.title, akim_name=d.akim_name, akim_level=d.akim_level, place=d.place,
                starts_at=as_utc(datetime.fromisoformat(timing["started_at"])) if timing.get("started_at") else d.starts_at,
                ended_at=ended, attendance=d.attendance, online_reach=d.online_reach,
                comments_by_source=by_source, answered_on_spot=int(answered), timing=timing if timing.get("started_at") else None,
            ))
            titles.append(d.title)
            titles_kk.append(d.title_kk)
            if d.akim_name:
                akims.append(d.akim_name)
        items = await list_problems(conn, list(meeting_ids))
        left_out = [p for p in items if final and not p["accepted"]]
        items = [p for p in items if not final or p["accepted"]]
        problems: list[Problem] = []
        for number, p in enumerate(items, start=1):
            members = await member_rows(conn, p["id"])
            quotes = _quotes([m.text for m in members])
            category = p["category"] or "other"
            names = category_names.get(category, {})
            problems.append(Problem(
                number=number, title_ru=_safe(p["title_ru"]), title_kk=_safe(p["title_kk"]),
                place=_safe(p["place"]), place_kk=_safe(p["place_kk"]),
                category=category, category_ru=names.get("ru", category), category_kk=names.get("kk", category),
                mentions=p["mentions"], mentions_by_source=p["mentions_by_source"], measures=p["measures"],
                deadline=_date(p["deadline"]), executor=p["executor"] or None, executor_kk=executors_kk.get(p["executor"]) or None,
                competence=p["competence"], funding_need_tenge=p["funding_need"], funding_allocated_tenge=p["funding_allocated"],
                funding_source=p["funding_source"], status=p["status"], status_note=p["notes"], quotes=quotes,
                central_list=p["central_list"], meeting_id=p["meeting_id"], problem_id=p["id"], accepted=bool(p["accepted"]),
            ))
        people = await _people_around(conn, meeting_ids)
    drafts = [Problem(number=0, title_ru=_safe(p["title_ru"]), title_kk=_safe(p["title_kk"]), place="", category=p["category"] or "other",
                      category_ru="", category_kk="", problem_id=p["id"], meeting_id=p["meeting_id"], accepted=False) for p in left_out]
    title = titles[0] if len(titles) == 1 else f"{titles[0]} (+{len(titles) - 1})"
    title_kk = "" if not titles_kk[0] else titles_kk[0] if len(titles_kk) == 1 else f"{titles_kk[0]} (+{len(titles_kk) - 1})"
    return Round(title=title, akim=akims[0] if akims else "", meetings=facts, problems=problems,
                 generated_at=generated_at or utcnow(), final=final, title_kk=title_kk, left_out=drafts, **people)


async def _people_around(conn: Any, meeting_ids: Sequence[int]) -> dict[str, Any]:
    """The round's receptions, commission and wide audience, as the package prints them (no names)."""
    receptions = [ReceptionFacts(
        id=r.id, starts_at=r.reception.starts_at, ended_at=r.reception.ended_at, place=_safe(r.reception.place),
        citizens_received=r.reception.citizens_received, questions=len(r.reception.questions),
        participants=[(p.role, _safe(p.organisation)) for p in r.reception.participants], cancelled=r.reception.cancelled,
    ) for r in await receptions_of_meetings(conn, meeting_ids)]
    commission = [(m.role, _safe(m.organisation)) for m in await commissions_of_meetings(conn, meeting_ids)]
    attendance = [AudienceFacts(c.category, c.people, [_safe(o) for o in c.organisations])
                  for c in attendance_summary(await get_attendance(conn, meeting_ids))]
    return {"receptions": receptions, "commission": commission, "attendance": attendance}


def _quotes(texts: Sequence[str]) -> tuple[str, ...]:
    """Up to three distinct, informative quotes (longer first, but not walls of text), redacted."""
    seen: set[str] = set()
    ranked = sorted((t for t in texts if t and t.strip()), key=lambda t: (abs(len(t) - 140), t))
    out: list[str] = []
    for text in ranked:
        key = " ".join(text.lower().split())[:80]
        if key in seen:
            continue
        seen.add(key)
        out.append(quote(_safe(text)))
        if len(out) == QUOTES:
            break
    return tuple(out)


def _date(value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    from datetime import date

    return date.fromisoformat(value)


async def collect_quarterly(
    engine: Engine,
    clock: ClockService,
    meeting_ids: Sequence[int],
    year: int,
    quarter: int,
    *,
    final: bool,
    category_names: Mapping[str, Mapping[str, str]],
    executors_kk: Mapping[str, str],
) -> ProgressReport:
    """The quarterly progress report: each problem's status at the start of the quarter and now
    (or at its end, once the quarter is over)."""
    from datetime import time as dtime

    from tyndau.domain.deadlines import quarter_bounds
    from tyndau.timeutil import ALMATY

    round_ = await collect_round(engine, clock, meeting_ids, final=final, category_names=category_names, executors_kk=executors_kk)
    first, last = quarter_bounds(year, quarter)
    start = datetime.combine(first, dtime.min, ALMATY)
    end = datetime.combine(last, dtime.max, ALMATY)
    ids = [p.problem_id for p in round_.problems if p.problem_id is not None]
    async with engine.connect() as conn:
        before = await status_at(conn, ids, start)
        after = await status_at(conn, ids, end) if end < utcnow() else None
    entries = []
    for problem in round_.problems:  # both looks back are keyed by problem id, never paired by position
        pid = problem.problem_id
        then = after.get(pid) if after is not None and pid is not None else None
        entries.append(ProgressEntry(problem=problem, previous_status=before.get(pid) if pid is not None else None,
                                     current_status=then or problem.status, note=problem.status_note))
    return ProgressReport(title=round_.title, akim=round_.akim, year=year, quarter=quarter, entries=entries,
                          generated_at=utcnow(), final=final)
