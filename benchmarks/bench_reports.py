"""Report export benchmark: a synthetic 2,000-problem round exported in every format, both languages.

Builds the round in memory (no database), then times each builder (best of ``--repeat`` runs)
and prints seconds and output size. The issue's target: a 2,000-problem round exports in seconds.

    .venv/bin/python benchmarks/bench_reports.py
    .venv/bin/python benchmarks/bench_reports.py --problems 5000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from tyndau.reports.charts import charts_svg
from tyndau.reports.figures import dashboard_figures
from tyndau.reports.model import (
    STATUSES,
    MeetingFacts,
    Problem,
    ProgressEntry,
    ProgressReport,
    Round,
)
from tyndau.reports.package_csv import package_csv
from tyndau.reports.package_docx import package_docx
from tyndau.reports.package_html import package_html
from tyndau.reports.package_json import package_json_text
from tyndau.reports.package_xlsx import package_xlsx
from tyndau.reports.quarterly_docx import quarterly_docx
from tyndau.reports.quarterly_xlsx import quarterly_xlsx

CATEGORIES = [
    ("utilities", "ЖКХ и коммунальная инфраструктура", "ТКШ және коммуналдық инфрақұрылым"),
    ("roads_transport", "Дороги и транспорт", "Жолдар және көлік"),
    ("improvement_ecology", "Благоустройство и экология", "Абаттандыру және экология"),
    ("social_infrastructure", "Социальная инфраструктура", "Әлеуметтік инфрақұрылым"),
    ("education", "Образование", "Білім беру"),
    ("healthcare", "Здравоохранение", "Денсаулық сақтау"),
]
VILLAGES = ["г. Каскелен", "с. Шамалган", "с. Иргели", "с. Райымбек", "с. Жандосов", "с. Ушконыр", "с. Ельтай"]
EXECUTORS = [
    ("ГУ «Отдел жилищно-коммунального хозяйства Карасайского района»", "«Қарасай ауданының тұрғын үй-коммуналдық шаруашылығы бөлімі» ММ"),
    ("ГУ «Отдел образования по Карасайскому району»", "«Қарасай ауданы бойынша білім бөлімі» ММ"),
    ("ГУ «Отдел строительства Карасайского района»", "«Қарасай ауданының құрылыс бөлімі» ММ"),
]


def synthetic_round(n: int, seed: int = 7) -> Round:
    """A round of three meetings with ``n`` realistic-length bilingual problems."""
    rng = random.Random(seed)
    start = datetime(2026, 11, 21, 5, 0, tzinfo=UTC)
    meetings = [
        MeetingFacts(
            id=i + 1, title=f"Встреча акима района с жителями, округ {i + 1}", akim_name="Сейтказиев А. Б.", akim_level="district",
            place=VILLAGES[i], starts_at=start + timedelta(days=i), ended_at=start + timedelta(days=i, hours=2),
            attendance=rng.randint(80, 400), online_reach=rng.randint(500, 9000),
            comments_by_source={"youtube": rng.randint(100, 900), "telegram": rng.randint(50, 400), "floor": rng.randint(5, 40)},
            answered_on_spot=rng.randint(5, 30),
            timing={"presentation_seconds": 1700.0, "qa_seconds": 5200.0, "cap_seconds": 1800.0, "planned_seconds": 7200.0,
                    "presentation_share_of_planned": 0.2361, "rule_held": True},
        )
        for i in range(3)
    ]
    problems = []
    for k in range(1, n + 1):
        cat = rng.choice(CATEGORIES)
        ex = rng.choice(EXECUTORS)
        need = rng.choice([None, 0, rng.randint(1, 900) * 1_000_000])
        problems.append(Problem(
            number=k, title_ru=f"Проблема № {k}: ремонт и обслуживание объекта по ул. Абая, {k % 300} — жители просят ускорить работы",
            title_kk=f"№ {k} мәселе: Абай көшесі, {k % 300} нысанын жөндеу және күтіп ұстау — тұрғындар жұмысты жеделдетуді сұрайды",
            place=f"{rng.choice(VILLAGES)}, ул. Абая, {k % 300}", category=cat[0], category_ru=cat[1], category_kk=cat[2],
            mentions=rng.randint(1, 60), mentions_by_source={"youtube": rng.randint(0, 30)},
            measures="Обследование объекта, разработка ПСД, включение в бюджетную заявку и проведение ремонтных работ",
            measures_kk="Нысанды тексеру, ЖСҚ әзірлеу, бюджеттік өтінімге енгізу және жөндеу жұмыстарын жүргізу",
            deadline=date(2027, 1, 1) + timedelta(days=rng.randint(0, 700)), executor=ex[0], executor_kk=ex[1],
            competence=rng.choice(["local", "local", "central", "national_company"]), funding_need_tenge=need,
            funding_allocated_tenge=None if not need else rng.randint(0, need), funding_source="local" if need else None,
            status=rng.choice(STATUSES), quotes=["Просим решить вопрос до зимы", "Жолды жөндеу керек"],
            central_list=rng.random() < 0.1, region=rng.choice(["Алматинская область", "Жетысуская область"]),
        ))
    return Round(title="Встречи акима Карасайского района с населением", title_kk="Қарасай ауданы әкімінің халықпен кездесулері",
                 akim="Сейтказиев А. Б.", meetings=meetings, problems=problems, generated_at=start + timedelta(days=4))


def best(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The fastest of ``repeat`` runs and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def size(result: object) -> int:
    if isinstance(result, bytes):
        return len(result)
    if isinstance(result, str):
        return len(result.encode("utf-8"))
    if isinstance(result, dict):
        return sum(size(v) for v in result.values())
    return len(json.dumps(result, ensure_ascii=False).encode("utf-8"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--problems", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    t0 = time.perf_counter()
    round_ = synthetic_round(args.problems)
    progress = ProgressReport(
        title="Карасайский район", akim="Сейтказиев А. Б.", year=2027, quarter=1, generated_at=round_.generated_at,
        entries=[ProgressEntry(p, "in_progress", p.status) for p in round_.problems],
    )
    print(f"synthetic round: {args.problems} problems, built in {time.perf_counter() - t0:.2f} s; best of {args.repeat}")
    builders: list[tuple[str, Callable[[Round, str], object]]] = [
        ("DOCX", package_docx), ("XLSX", package_xlsx), ("HTML", package_html), ("CSV", package_csv), ("JSON", package_json_text),
        ("quarterly DOCX", lambda _r, lang: quarterly_docx(progress, lang)),
        ("quarterly XLSX", lambda _r, lang: quarterly_xlsx(progress, lang)),
        ("dashboard+SVG", lambda r, lang: charts_svg(dashboard_figures([r], lang=lang))),
    ]
    print(f"{'export':<16}{'lang':<6}{'seconds':>9}{'size, KB':>11}")
    total = 0.0
    for name, build in builders:
        for lang in ("ru", "kk"):
            seconds, result = best(lambda: build(round_, lang), args.repeat)  # noqa: B023
            total += seconds
            print(f"{name:<16}{lang:<6}{seconds:>9.3f}{size(result) / 1024:>11.0f}")
    print(f"{'all of the above':<22}{total:>9.3f}")


if __name__ == "__main__":
    main()
