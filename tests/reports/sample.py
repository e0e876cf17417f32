"""A small bilingual round: a Karasay district akim's meeting and a follow-up reception."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from tyndau.reports.model import (
    MeetingFacts,
    Problem,
    ProgressEntry,
    ProgressReport,
    Round,
)

GENERATED = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)  # 24.11.2026 11:30 Almaty

HOUSING = (
    "ГУ «Отдел жилищно-коммунального хозяйства, пассажирского транспорта и автомобильных дорог Карасайского района»",
    "«Қарасай ауданының тұрғын үй-коммуналдық шаруашылығы, жолаушылар көлігі және автомобиль жолдары бөлімі» ММ",
)
EDUCATION = ("ГУ «Отдел образования по Карасайскому району»", "«Қарасай ауданы бойынша білім бөлімі» ММ")
BUILDING = ("ГУ «Отдел строительства Карасайского района»", "«Қарасай ауданының құрылыс бөлімі» ММ")
AKIMAT_OFFICE = ("ГУ «Аппарат акима Карасайского района»", "«Қарасай ауданы әкімінің аппараты» ММ")
DEPARTMENTS = [HOUSING[0], EDUCATION[0], BUILDING[0], AKIMAT_OFFICE[0]]

MEETING = MeetingFacts(
    id=7,
    title="Отчётная встреча акима Карасайского района с населением",
    akim_name="Сейтказиев А. Б.",
    akim_level="district",
    place="г. Каскелен, районный Дом культуры",
    starts_at=datetime(2026, 11, 21, 5, 0, tzinfo=UTC),
    ended_at=datetime(2026, 11, 21, 7, 10, tzinfo=UTC),
    attendance=214,
    online_reach=3870,
    comments_by_source={"youtube": 412, "telegram": 156, "instagram": 98, "floor": 23},
    answered_on_spot=17,
    timing={
        "presentation_seconds": 1620.0, "qa_seconds": 5400.0, "cap_seconds": 1800.0, "planned_seconds": 7200.0,
        "presentation_share_of_planned": 0.225, "rule_held": True,
    },
)
RECEPTION = MeetingFacts(
    id=8,
    title="Личный приём граждан акимом района",
    akim_name="Сейтказиев А. Б.",
    akim_level="district",
    place="с. Иргели, здание акимата сельского округа",
    starts_at=datetime(2026, 11, 25, 4, 0, tzinfo=UTC),
    ended_at=datetime(2026, 11, 25, 8, 0, tzinfo=UTC),
    attendance=None,
    online_reach=None,
    comments_by_source={"floor": 31, "file": 12},
    answered_on_spot=9,
    timing=None,
)


def _p(number: int, ru: str, kk: str, place: str, category: tuple[str, str, str], **kw: object) -> Problem:
    return Problem(number=number, title_ru=ru, title_kk=kk, place=place, category=category[0], category_ru=category[1], category_kk=category[2], **kw)  # type: ignore[arg-type]


UTILITIES = ("utilities", "ЖКХ и коммунальная инфраструктура", "ТКШ және коммуналдық инфрақұрылым")
ROADS = ("roads_transport", "Дороги и транспорт", "Жолдар және көлік")
EDU = ("education", "Образование", "Білім беру")
IMPROVE = ("improvement_ecology", "Благоустройство и экология", "Абаттандыру және экология")
SOCIAL = ("social_infrastructure", "Социальная инфраструктура", "Әлеуметтік инфрақұрылым")

PROBLEMS = [
    _p(1, "Отсутствие централизованного водоснабжения в мкр. «Жаңалық»", "«Жаңалық» шағын ауданында орталықтандырылған сумен жабдықтау жоқ",
       "с. Иргели, мкр. «Жаңалық»", UTILITIES, mentions=37, mentions_by_source={"youtube": 21, "telegram": 12, "floor": 4},
       measures="Разработка ПСД и строительство разводящих сетей водоснабжения протяжённостью 6,2 км",
       measures_kk="ЖСҚ әзірлеу және ұзындығы 6,2 км сумен жабдықтаудың тарату желілерін салу",
       deadline=date(2027, 9, 30), executor=HOUSING[0], executor_kk=HOUSING[1], funding_need_tenge=450_000_000,
       funding_allocated_tenge=120_000_000, funding_source="local", status="in_progress",
       quotes=["Воды нет уже третью неделю, возим из соседнего села", "Су жоқ, балалар ауырып жатыр"], meeting_id=7),
    _p(2, "Ремонт дороги по ул. Абая", "Абай көшесіндегі жолды жөндеу", "г. Каскелен, ул. Абая", ROADS, mentions=24,
       measures="Средний ремонт дорожного покрытия (2,4 км), устройство тротуаров", measures_kk="Жол жабынын орташа жөндеу (2,4 км), жаяу жүргіншілер жолын салу",
       deadline=date(2027, 10, 31), executor=HOUSING[0], executor_kk=HOUSING[1], funding_need_tenge=310_500_000,
       funding_allocated_tenge=0, funding_source="local", status="next_year_budget", meeting_id=7),
    _p(3, "Нехватка мест в детском саду", "Балабақшада орын жетіспейді", "с. Шамалган", EDU, mentions=18,
       measures="Открытие дополнительной группы на 25 мест в ясли-саду «Балапан»", measures_kk="«Балапан» бөбекжай-бақшасында 25 орындық қосымша топ ашу",
       deadline=date(2027, 2, 1), executor=EDUCATION[0], executor_kk=EDUCATION[1], funding_need_tenge=0, status="in_progress", meeting_id=7),
    _p(4, "Нет уличного освещения в мкр. Бирлик", "Бірлік шағын ауданында көше жарығы жоқ", "с. Райымбек, мкр. Бирлик", IMPROVE, mentions=11,
       measures="Установка 48 светодиодных светильников", measures_kk="48 жарықдиодты шам орнату", deadline=date(2026, 12, 15),
       executor=HOUSING[0], executor_kk=HOUSING[1], funding_need_tenge=14_200_000, funding_allocated_tenge=14_200_000,
       funding_source="local", status="resolved", meeting_id=7),
    _p(5, "Строительство врачебной амбулатории", "Дәрігерлік амбулатория салу", "с. Ушконыр", SOCIAL, mentions=9,
       measures="Внесение в перечень Правительства; разработка ПСД", deadline=date(2027, 12, 31), executor=BUILDING[0],
       executor_kk=BUILDING[1], competence="central", funding_need_tenge=820_000_000, funding_source="republican",
       status="no_design_documents", central_list=True, meeting_id=8),
    _p(6, "Частые отключения электроэнергии", "Электр энергиясының жиі өшуі", "с. Жандосов", UTILITIES, mentions=6,
       measures="", competence="national_company", status="in_progress", meeting_id=8),
]


def sample_round(final: bool = False, *, problems: list[Problem] | None = None, with_reception: bool = True) -> Round:
    """The fixture round; ``final`` fills the missing executor and deadline so a final export may go."""
    items = list(PROBLEMS if problems is None else problems)
    if final and problems is None:
        items[5] = replace(items[5], executor=HOUSING[0], executor_kk=HOUSING[1], deadline=date(2027, 3, 1),
                           measures="Замена трансформаторной подстанции совместно с АО «АЖК»")
    return Round(
        title="Встреча акима Карасайского района с населением",
        title_kk="Қарасай ауданы әкімінің халықпен кездесуі",
        akim="Сейтказиев А. Б.",
        meetings=[MEETING, RECEPTION] if with_reception else [MEETING],
        problems=items,
        generated_at=GENERATED,
        final=final,
        region="Алматинская область",
    )


def sample_progress(final: bool = False) -> ProgressReport:
    """The first quarter of 2027 for the fixture round: one resolved, one moved to next year's budget, one new."""
    p = {problem.number: problem for problem in sample_round(final=True).problems}
    entries = [
        ProgressEntry(replace(p[1], status="in_progress"), "in_progress", "in_progress", "ПСД на экспертизе"),
        ProgressEntry(replace(p[2], status="next_year_budget"), "in_progress", "next_year_budget", "Включено в бюджет 2028 года"),
        ProgressEntry(replace(p[3], status="resolved"), "in_progress", "resolved", "Группа открыта 15.01.2027"),
        ProgressEntry(replace(p[4], status="resolved"), "resolved", "resolved"),
        ProgressEntry(replace(p[5], status="no_design_documents"), "no_design_documents", "no_design_documents"),
        ProgressEntry(replace(p[6], status="in_progress"), None, "in_progress", "Новый вопрос с личного приёма"),
    ]
    return ProgressReport(
        title="Карасайский район", title_kk="Қарасай ауданы", akim="Сейтказиев А. Б.", year=2027, quarter=1,
        entries=entries, generated_at=datetime(2027, 4, 20, 5, 0, tzinfo=UTC), final=final,
    )
