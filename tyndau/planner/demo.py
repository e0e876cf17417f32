"""The demo's planning side: the Бесагаш district akimat's year with a gap, a reception, and a ministry.

Everything goes through the same store functions and actions the server uses. The year is the
current one (the previous one in January–March, so a quarter has always ended): every village and
the district city is visited each quarter — except Кызылжар (one village, one rural district) in
the last quarter that ended, which the coverage matrix flags. The last held meeting has a round
with a reception two days later whose questions join its problem list; the existing demo meeting
gets a round with a reception planned for the next day, so ending both moves the 10-day clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from tyndau.actions import perform
from tyndau.actions.context import ActionContext
from tyndau.actions.meetings import new_draft
from tyndau.config import path as config_path
from tyndau.domain.calendar_versions import AddVisit, CalendarChange, MoveVisit, PlannedVisit, check_change, fold
from tyndau.domain.clock import ClockEvent, Instant
from tyndau.domain.coverage import Organiser
from tyndau.domain.deadlines import almaty_date
from tyndau.domain.periods import period_of, periods_of_year
from tyndau.domain.unit_changes import merge_units
from tyndau.live.calendar_plan import propose_visits
from tyndau.live.kato_files import read_kato_file
from tyndau.planner.demo_problems import publish_lists
from tyndau.store import clock_log
from tyndau.store.calendars import append_change, calendar_id, load_changes, visit_rows
from tyndau.store.meetings import MeetingLinks, create_meeting, get_meeting
from tyndau.store.organisers import create_central_body, ensure_akimat, get_organiser
from tyndau.store.people import Principal
from tyndau.store.units import apply_merge, list_units, load_tree
from tyndau.timeutil import ALMATY, utcnow

DISTRICT = "991600000"
KYZYLZHAR_VILLAGE = "991639100"  # the one village of Кызылжарский сельский округ (991639000)
SHOLAK_VILLAGE = "991647100"  # a meeting on the population's demand is held here
MINISTRY = "health"
AKIM = "Н. Сейткали"
SYSTEM = Principal("demo", "admin", "user")


@dataclass(frozen=True, slots=True)
class DemoPlanning:
    """What the demo prints: the year, the akimat, the ministry, and the rounds to open."""

    year: int
    district: str
    ministry: str
    round_meeting: int | None


def demo_year(today: date) -> int:
    """This year, unless no quarter of it has ended yet."""
    return today.year if today.month > 3 else today.year - 1


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), ALMATY)


async def _held(conn: Any, meeting_id: int, day: date) -> None:
    """Clock events of a meeting that ran 10:00–11:40 Almaty (a 25-minute presentation) on a past day."""
    events = (ClockEvent(1, "start_presentation", Instant(_at(day, 10), 0.0, "demo")),
              ClockEvent(2, "start_qa", Instant(_at(day, 10, 25), 1500.0, "demo")),
              ClockEvent(3, "end", Instant(_at(day, 11, 40), 6000.0, "demo")))
    await clock_log.append_events(conn, meeting_id, events)


async def _meeting(conn: Any, tree: Any, organiser: Any, day: date, place: str | None, links: MeetingLinks, *,
                   akim: str = AKIM) -> int:
    unit = tree.get(place) if place else None
    draft = new_draft({
        "title": f"Встреча с населением: {unit.name('ru')}" if unit else f"Встреча с населением: {organiser.name('ru')}",
        "title_kk": f"Халықпен кездесу: {unit.name('kk')}" if unit else f"Халықпен кездесу: {organiser.name('kk')}",
        "akim_level": organiser.level, "place": unit.name("ru") if unit else "", "planned_minutes": 100,
        "starts_at": _at(day, 10).isoformat(), "announced_at": _at(day - timedelta(days=15), 9).isoformat(), "akim_name": akim,
    })
    return (await create_meeting(conn, draft, links)).id


async def _calendar(conn: Any, organiser: Any, year: int, changes: list[CalendarChange]) -> int:
    cal = await calendar_id(conn, organiser.id, year, create=True, now=changes[0].at)
    assert cal is not None
    state = fold((), year=year)
    for change in changes:
        state = check_change(state, change)
        await append_change(conn, cal, organiser.id, change, state)
    return cal


async def seed_planning(services: ActionContext, now: datetime | None = None) -> DemoPlanning:
    """Load the demo units, the district's year, its rounds and the ministry (once; later starts find them)."""
    now = now or utcnow()
    today = almaty_date(now)
    year = demo_year(today)
    engine = services.engine
    async with engine.begin() as conn:
        if not await list_units(conn):
            report = read_kato_file(str(config_path("demo", "units.csv")))
            await apply_merge(conn, merge_units((), report.units), "kato:units.csv", now)
        tree = await load_tree(conn)
        akimat = await ensure_akimat(conn, tree.get(DISTRICT), now)
        fresh = await calendar_id(conn, akimat.id, year, create=False) is None
    last_meeting = None
    if fresh:
        last_meeting = await _district_year(services, tree, akimat, year, today)
        await _ministry_year(services, tree, year, today)
    return DemoPlanning(year, akimat.id, MINISTRY, last_meeting)


async def _district_year(services: ActionContext, tree: Any, akimat: Any, year: int, today: date) -> int | None:
    """The district's approved calendar (one adjustment), its held meetings, the gap, an on-demand meeting."""
    proposals = propose_visits(tree, Organiser.akimat(tree.get(DISTRICT)), year, [], date(year, 1, 1) - timedelta(days=1))
    visits = [PlannedVisit(f"v{i}", p.planned_on, p.place_unit_id) for i, p in enumerate(proposals, start=1)]
    approved = datetime.combine(date(year, 1, 12), time(15), ALMATY)
    changes = [
        CalendarChange(1, "draft", approved - timedelta(days=20), "secretary", operations=tuple(AddVisit(v) for v in visits)),
        CalendarChange(2, "approve", approved, "secretary", maslikhat_agreed_on=date(year, 1, 12), maslikhat_ref="№ 32-4"),
    ]
    april = next((v for v in visits if v.planned_on.month == 4), None)
    if april is not None:  # an adjustment agreed with the maslikhat: a visit moved a week later within the quarter
        changes.append(CalendarChange(3, "adjust", datetime.combine(date(year, 3, 20), time(11), ALMATY), "secretary",
                                      "Паводок: дорога к селу закрыта до середины апреля",
                                      (MoveVisit(april.id, april.planned_on + timedelta(days=7)),), date(year, 3, 19), "№ 35-2"))
    periods = periods_of_year(year, "quarter")
    last_closed = max((p for p in periods if p.last_day < today), default=None)
    latest: tuple[date, int] | None = None
    held: list[tuple[int, date, Any]] = []
    async with services.engine.begin() as conn:
        cal = await _calendar(conn, akimat, year, changes)
        rows = await visit_rows(conn, cal)
        state = fold(await load_changes(conn, cal), year=year)
        for visit in state.planned():
            if visit.planned_on >= today:
                continue
            if last_closed and visit.place_unit_id == KYZYLZHAR_VILLAGE and period_of(visit.planned_on, "quarter") == last_closed:
                continue  # the gap the matrix shows: planned, never held
            mid = await _meeting(conn, tree, akimat, visit.planned_on, visit.place_unit_id,
                                 MeetingLinks(akimat.id, visit.place_unit_id, rows[visit.id].id))
            await _held(conn, mid, visit.planned_on)
            held.append((mid, visit.planned_on, tree.get(visit.place_unit_id)))
            if latest is None or visit.planned_on >= latest[0]:
                latest = (visit.planned_on, mid)
        demand_day = date(year, 5, 14)
        if demand_day < today:
            mid = await _meeting(conn, tree, akimat, demand_day, SHOLAK_VILLAGE,
                                 MeetingLinks(akimat.id, SHOLAK_VILLAGE, off_calendar_reason="population_demand"))
            await _held(conn, mid, demand_day)
            held.append((mid, demand_day, tree.get(SHOLAK_VILLAGE)))
        departments = {d.category: d.label("ru") for d in services.vocabulary.departments}
        await publish_lists(conn, held, departments, today)
    if latest is None:
        return None
    day, meeting_id = latest
    reception_day = day + timedelta(days=2) if day + timedelta(days=2) < today else day  # after the meeting, before today
    await perform(services.actions, services, SYSTEM, "reception.record", {
        "meeting_id": meeting_id, "starts_at": _at(reception_day, 15).isoformat(), "ended_at": _at(reception_day, 17, 30).isoformat(),
        "place": "Акимат района, зал приёма граждан", "citizens_received": 14,
        "participants": [{"role": "akim", "name": AKIM}, {"role": "prosecutor", "name": "Представитель прокуратуры", "organisation": "Прокуратура района"},
                         {"role": "police", "name": "Начальник отдела полиции", "organisation": "ОП Бесагашского района"},
                         {"role": "maslikhat_deputy", "name": "Депутат маслихата", "organisation": "Маслихат района"}],
        "questions": [{"text": "В селе нет уличного освещения на улице Абая, просим установить фонари", "lang": "ru"},
                      {"text": "Ауылдағы мектепке жөндеу керек, шатыры ағып тұр", "lang": "kk"},
                      {"text": "Автобус до райцентра ходит раз в день, нужен второй рейс", "lang": "ru", "answered_on_spot": True}],
    })
    return meeting_id


async def _ministry_year(services: ActionContext, tree: Any, year: int, today: date) -> None:
    """A ministry as an organiser: a visit per quarter, the past ones held."""
    async with services.engine.begin() as conn:
        ministry = await get_organiser(conn, MINISTRY) or await create_central_body(
            conn, MINISTRY, "Министерство здравоохранения Республики Казахстан",
            "Қазақстан Республикасының Денсаулық сақтау министрлігі", exempt=False, now=utcnow())
        days = [date(year, 2, 18), date(year, 5, 20), date(year, 8, 19), date(year, 12, 17)]
        places = ["990000000", DISTRICT, "991100000", "990000000"]
        at = datetime.combine(date(year, 1, 10), time(12), ALMATY)
        visits = [PlannedVisit(f"v{i}", d, p) for i, (d, p) in enumerate(zip(days, places), start=1)]
        cal = await _calendar(conn, ministry, year, [
            CalendarChange(1, "draft", at, "secretary", operations=tuple(AddVisit(v) for v in visits)),
            CalendarChange(2, "approve", at + timedelta(days=1), "secretary", maslikhat_agreed_on=date(year, 1, 11),
                           maslikhat_ref="график, согласованный с уполномоченным органом"),
        ])
        rows = await visit_rows(conn, cal)
        for visit in visits:
            if visit.planned_on < today:
                mid = await _meeting(conn, tree, ministry, visit.planned_on, visit.place_unit_id,
                                     MeetingLinks(ministry.id, visit.place_unit_id, rows[visit.id].id), akim="А. Министр")
                await _held(conn, mid, visit.planned_on)


async def seed_demo_round(services: ActionContext, meeting_id: int) -> int:
    """The demo meeting's round: a reception planned for the next day, the commission, the wide audience."""
    async with services.engine.connect() as conn:
        meeting = await get_meeting(conn, meeting_id)
    assert meeting is not None
    if meeting.links.round_id is not None:
        return meeting.links.round_id
    day = almaty_date(meeting.draft.starts_at) + timedelta(days=1)
    body = await perform(services.actions, services, SYSTEM, "reception.record", {
        "meeting_id": meeting_id, "starts_at": _at(day, 15).isoformat(), "place": "Акимат района, зал приёма граждан",
        "participants": [{"role": "akim", "name": "Аким района"}, {"role": "local_executive_head", "name": "Руководитель ЖКХ",
                                                                    "organisation": "Отдел ЖКХ акимата"}],
    })
    await perform(services.actions, services, SYSTEM, "round.commission", {"round_id": body["id"], "members": [
        {"name": "Председатель комиссии", "role": "chair", "organisation": "Аппарат акима района"},
        {"name": "Секретарь комиссии", "role": "secretary", "organisation": "Аппарат акима района"},
        {"name": "Член собрания местного сообщества", "role": "community_assembly", "organisation": "Собрание местного сообщества"},
        {"name": "Член общественного совета", "role": "public_council", "organisation": "Общественный совет района"},
    ]})
    await perform(services.actions, services, SYSTEM, "meeting.attendance", {"meeting_id": meeting_id, "entries": [
        {"category": "maslikhat_deputy", "organisation": "Маслихат района", "count": 4},
        {"category": "party", "organisation": "Партия «Аманат»", "count": 2},
        {"category": "ngo", "organisation": "ОФ «Жасыл аймақ»", "count": 1},
        {"category": "media", "organisation": "Районная газета", "count": 2},
    ]})
    return int(body["id"])
