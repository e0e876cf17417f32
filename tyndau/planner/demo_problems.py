"""The demo district's published problem lists: what its secretaries accepted after each held meeting.

Without them the roll-up, the compliance monitor and the quarterly report of the demo show zeros.
The issues are fictional and written for the demo (not taken from any real list); each names the
meeting's place in Russian and Kazakh, has an executor from ``config/departments.toml``, a deadline
and a status that moved on as a secretary would have recorded it (the status log included).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from tyndau.domain.comments import IncomingComment
from tyndau.store.comments import PreparedComment, insert_batch
from tyndau.store.problems import create_problem, set_memberships, update_problem
from tyndau.timeutil import ALMATY


@dataclass(frozen=True, slots=True)
class DemoIssue:
    """One issue the demo files at a village: its wording around the place, category and size."""

    category: str
    ru: str  # "{place}" is the place's Russian name
    kk: str
    asked: tuple[str, str]  # what the resident said in the hall ("lang", text)
    days: int  # the deadline, days after the meeting
    need: int | None = None  # tenge
    competence: str = "local"


ISSUES: tuple[DemoIssue, ...] = (
    DemoIssue("utilities", "Перебои с водоснабжением — {place}", "Сумен жабдықтаудағы үзілістер — {place}",
              ("ru", "Воду дают по два часа в день, летом вообще нет. Когда сделают нормальный водопровод?"), 90, 48_000_000),
    DemoIssue("roads_transport", "Ремонт дороги по центральной улице — {place}", "Орталық көшедегі жолды жөндеу — {place}",
              ("kk", "Орталық көшедегі жол әбден бұзылды, күзде көлік жүре алмайды. Жөндеу қашан болады?"), 150, 120_000_000),
    DemoIssue("improvement_ecology", "Нет уличного освещения — {place}", "Көше жарығы жоқ — {place}",
              ("ru", "На нашей улице ни одного фонаря, дети зимой идут из школы в темноте."), 60, 9_500_000),
    DemoIssue("education", "Не хватает мест в детском саду — {place}", "Балабақшада орын жетіспейді — {place}",
              ("kk", "Балабақшаға кезекте екі жыл тұрмыз, ауылда бір ғана балабақша бар."), 240, None, "central"),
    DemoIssue("healthcare", "Нет врача в фельдшерско-акушерском пункте — {place}", "Фельдшерлік-акушерлік пунктте дәрігер жоқ — {place}",
              ("ru", "В ФАПе уже полгода нет врача, за каждым рецептом ездим в район."), 120),
    DemoIssue("connectivity", "Слабый мобильный интернет — {place}", "Мобильді интернет әлсіз — {place}",
              ("kk", "Ауылда интернет жоқтың қасы, балалар сабақты жүктей алмайды."), 180, None, "national_company"),
    DemoIssue("social_infrastructure", "Протекает кровля школы — {place}", "Мектептің шатыры ағады — {place}",
              ("ru", "В школе течёт крыша, в двух кабинетах на полу стоят вёдра."), 100, 35_000_000),
    DemoIssue("agriculture", "Нет пастбищ для скота — {place}", "Мал жайылымы жоқ — {place}",
              ("kk", "Жайылым жерлерінің бәрі жекеге берілген, малды жаятын жер қалмады."), 200),
)
PER_MEETING = 2  # the nation's average is ~2.3 problem questions a meeting (63,000 from 28,000)


def _status(index: int, deadline: date, today: date) -> str:
    """Most past deadlines met, one in seven waiting for next year's budget; open ones mostly in progress."""
    if deadline < today:
        return ("resolved", "resolved", "resolved", "next_year_budget", "resolved", "resolved", "resolved")[index % 7]
    return ("in_progress", "resolved", "in_progress", "no_design_documents")[index % 4]


async def _asked(conn: Any, meeting_id: int, day: date, index: int, issue: DemoIssue) -> int:
    """The resident's question from the hall that the problem was filed from (stored like any floor question)."""
    lang, text = issue.asked
    at = datetime.combine(day, time(10, 30 + index % 25), ALMATY)
    incoming = IncomingComment(source="floor", external_id=f"demo-list-{meeting_id}-{index}", author="Житель села",
                               text=text, created_at=at, lang=lang, kind="floor")
    [(result, _)] = await insert_batch(conn, [PreparedComment(meeting_id, incoming, at, throttled=False)])
    return result.id


async def publish_lists(conn: Any, meetings: list[tuple[int, date, Any]], departments: dict[str, str], today: date) -> int:
    """Accepted problems for each (meeting id, day, place unit) and their status moves; returns how many."""
    made = 0
    for k, (meeting_id, day, unit) in enumerate(sorted(meetings, key=lambda m: m[1])):
        for j in range(PER_MEETING):
            index = k * PER_MEETING + j
            issue = ISSUES[index % len(ISSUES)]
            deadline = day + timedelta(days=issue.days)
            comment_id = await _asked(conn, meeting_id, day, index, issue)
            pid = await create_problem(
                conn, meeting_id, origin="human", category=issue.category,
                title_ru=issue.ru.format(place=unit.name("ru")), title_kk=issue.kk.format(place=unit.name("kk")),
                place=unit.name("ru"), place_kk=unit.name("kk"), executor=departments.get(issue.category, ""), deadline=deadline,
                competence=issue.competence, funding_need=issue.need, accepted=True,
                funding_source="local" if issue.need else None,
                human_fields=["title_ru", "title_kk", "category", "place", "place_kk", "executor", "deadline"])
            await set_memberships(conn, {comment_id: (pid, True)})  # a person's decision: the labeller leaves it
            status = _status(index, deadline, today)
            if status != "in_progress":
                await update_problem(conn, pid, None, {"status": status,
                                                       "funding_allocated": issue.need if status == "resolved" else None},
                                     human=True)
            made += 1
    return made
