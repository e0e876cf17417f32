"""The website page, the CSV files and the open-data JSON."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import replace
from html.parser import HTMLParser

from tyndau.reports.i18n import Strings
from tyndau.reports.package_csv import package_csv, package_csv_zip
from tyndau.reports.package_html import package_html
from tyndau.reports.package_json import package_json, package_json_text
from tyndau.reports.tables import action_plan_table, problems_table

from .sample import PROBLEMS, sample_round


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)


def _tags(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


def test_html_is_one_self_contained_semantic_page() -> None:
    page = package_html(sample_round(), "ru")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="ru">' in page
    parsed = _tags(page)
    assert "script" not in parsed.tags and "link" not in parsed.tags and "img" not in parsed.tags
    assert not any(name.startswith("on") for name, _ in parsed.attrs)
    assert not any(value and ("http://" in value or "https://" in value) for _, value in parsed.attrs)
    assert parsed.tags.count("table") == 4 and parsed.tags.count("caption") == 4
    assert parsed.tags.count("thead") == 4 and "section" in parsed.tags and "h1" in parsed.tags
    assert "Content-Security-Policy" in page and "<style>" in page
    assert '<th scope="col">Срок исполнения</th>' in page
    assert '<time datetime="2027-09-30">30.09.2027</time>' in page
    assert "Таблица 4. План мероприятий по решению проблемных вопросов" in page
    assert 'class="draft"' in page and "ПРОЕКТ" in page


def test_html_final_and_kazakh_and_fragment() -> None:
    page = package_html(sample_round(final=True), "kk")
    assert '<html lang="kk">' in page and "ЖОБА" not in page
    assert "Проблемалық мәселелерді шешу жөніндегі іс-шаралар жоспары" in page
    fragment = package_html(sample_round(), "ru", fragment=True)
    assert fragment.startswith('<article class="tyndau-report" lang="ru">') and "<html" not in fragment and "<style>" in fragment


def test_html_escapes_every_text() -> None:
    evil = replace(PROBLEMS[0], title_ru='<script>alert("x")</script> & <b onclick=1>', place='"><img src=x onerror=alert(1)>',
                   measures="<iframe src=//evil>", executor="</td></tr></table><script>")
    page = package_html(sample_round(problems=[evil]), "ru")
    assert "<script" not in page and "<iframe" not in page and "<img" not in page and "<b " not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b onclick=1&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "script" not in _tags(page).tags


def test_csv_files_have_a_bom_and_parse_back() -> None:
    files = package_csv(sample_round(), "ru")
    assert sorted(files) == ["action_plan_ru.csv", "meetings_ru.csv", "problems_ru.csv", "sources_ru.csv"]
    for text in files.values():
        assert text.startswith("\ufeff") and text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(files["action_plan_ru.csv"][1:]), delimiter=";"))
    assert rows[0][:3] == ["№", "Проблемный вопрос", "Место"] and len(rows) == 7
    assert rows[1][6] == "30.09.2027" and rows[1][8] == "450000000" and rows[1][9] == "120000000"
    assert rows[6][6] == "" and rows[6][7] == ""
    meetings = list(csv.reader(io.StringIO(files["meetings_ru.csv"][1:]), delimiter=";"))
    assert meetings[1][8] == "22,5" and meetings[1][9] == "да"
    kk = package_csv(sample_round(), "kk", delimiter=",")
    assert next(iter(csv.reader(io.StringIO(kk["sources_kk.csv"][1:])))) == ["Көзі", "Саны", "Үлесі"]


def test_csv_zip() -> None:
    with zipfile.ZipFile(io.BytesIO(package_csv_zip(sample_round(), "kk"))) as archive:
        assert sorted(archive.namelist()) == ["action_plan_kk.csv", "meetings_kk.csv", "problems_kk.csv", "sources_kk.csv"]
        assert archive.read("problems_kk.csv").startswith(b"\xef\xbb\xbf")


def test_csv_neutralises_formulas() -> None:
    evil = replace(PROBLEMS[0], title_ru='=HYPERLINK("http://evil","click")', place="+1+2 район", measures="@SUM(A1)")
    rows = list(csv.reader(io.StringIO(package_csv(sample_round(problems=[evil]), "ru")["action_plan_ru.csv"][1:]), delimiter=";"))
    assert rows[1][1] == "'=HYPERLINK(\"http://evil\",\"click\")" and rows[1][2].startswith("'+") and rows[1][5].startswith("'@")


EXPECTED_KEYS = {
    "schema", "lang", "final", "generated_at", "title", "title_ru", "title_kk", "akim", "region", "round_ended_at",
    "publication_deadline", "totals", "meetings", "problems", "russian_text_in", "receptions", "commission", "attendance",
}
PROBLEM_KEYS = {
    "number", "title", "title_ru", "title_kk", "place", "place_ru", "place_kk", "region", "category", "category_label", "category_ru", "category_kk",
    "mentions", "mentions_by_source", "measures", "measures_ru", "measures_kk", "deadline", "executor", "executor_ru",
    "executor_kk", "competence", "competence_label", "funding", "status", "status_label", "status_note", "central_list",
    "central_list_date", "meeting_id", "quotes",
}


def test_json_has_stable_keys_and_iso_dates() -> None:
    data = json.loads(package_json_text(sample_round(), "ru"))
    assert set(data) == EXPECTED_KEYS
    assert data["schema"] == "tyndau.publication/1" and data["final"] is False
    assert data["publication_deadline"] == "2026-12-05" and data["generated_at"] == "2026-11-24T06:30:00+00:00"
    assert data["totals"]["comments_by_source"] == {"file": 12, "floor": 54, "instagram": 98, "telegram": 156, "youtube": 412}
    assert data["totals"]["attendance"] == 214 and data["totals"]["problems"] == 6
    assert data["meetings"][0]["date"] == "2026-11-21" and data["meetings"][0]["timing"]["rule_held"] is True
    assert data["meetings"][1]["timing"] is None and data["meetings"][1]["attendance"] is None
    for problem in data["problems"]:
        assert set(problem) == PROBLEM_KEYS
        assert set(problem["funding"]) == {"need_tenge", "allocated_tenge", "source", "source_label"}
        assert problem["deadline"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", problem["deadline"])
    first = data["problems"][0]
    assert first["deadline"] == "2027-09-30" and first["funding"]["need_tenge"] == 450_000_000
    assert first["category"] == "utilities" and first["status"] == "in_progress" and first["status_label"] == "В работе"
    assert data["problems"][4]["central_list"] is True and data["problems"][4]["central_list_date"] == "2027-02-15"
    assert data["problems"][5]["executor"] is None and data["problems"][5]["deadline"] is None


def test_json_same_keys_in_kazakh_with_kazakh_labels() -> None:
    ru, kk = package_json(sample_round(), "ru"), package_json(sample_round(), "kk")
    assert set(ru) == set(kk) and [set(p) for p in ru["problems"]] == [set(p) for p in kk["problems"]]
    assert kk["title"] == "Қарасай ауданы әкімінің халықпен кездесуі"
    assert kk["problems"][0]["title"] == kk["problems"][0]["title_kk"] and kk["problems"][0]["status_label"] == "Жұмыс барысында"
    assert kk["problems"][0]["title_ru"] == ru["problems"][0]["title_ru"]


def test_each_language_shows_its_own_spelling_of_the_place_and_falls_back_to_the_other() -> None:
    both = replace(PROBLEMS[0], place="ул. Абая, Каскелен", place_kk="Қаскелең, Абай көшесі")
    russian_only = replace(PROBLEMS[1], place="с. Иргели", place_kk="")  # stored before the Kazakh place was kept
    kazakh_only = replace(PROBLEMS[2], place="", place_kk="Шамалған ауылы")  # a secretary filled the Kazakh one only
    round_ = sample_round(problems=[both, russian_only, kazakh_only])
    expected = {"kk": ["Қаскелең, Абай көшесі", "с. Иргели", "Шамалған ауылы"], "ru": ["ул. Абая, Каскелен", "с. Иргели", "Шамалған ауылы"]}
    for lang, places in expected.items():
        for table in (problems_table(round_, Strings(lang)), action_plan_table(round_, Strings(lang))):
            column = [c.key for c in table.columns].index("place")
            assert [row[column] for row in table.rows] == places, (lang, table.name)
        data = package_json(round_, lang)
        assert [p["place"] for p in data["problems"]] == places
        assert [(p["place_ru"], p["place_kk"]) for p in data["problems"]] == [
            ("ул. Абая, Каскелен", "Қаскелең, Абай көшесі"), ("с. Иргели", None), ("", "Шамалған ауылы")]
    rows = list(csv.reader(io.StringIO(package_csv(round_, "kk")["problems_kk.csv"][1:]), delimiter=";"))
    assert [r[2] for r in rows[1:]] == expected["kk"]


def test_beside_the_place_column_a_drafts_wording_does_not_repeat_its_place() -> None:
    drafted = replace(PROBLEMS[0], title_ru="Нет водоснабжения — Иргели", title_kk="Су жоқ — Іргелі", place="Иргели", place_kk="Іргелі")
    spaced = replace(PROBLEMS[1], title_ru="Ямы на дороге — ул.  Абая, Каскелен", title_kk="", place="ул. Абая, Каскелен", place_kk="")
    own = replace(PROBLEMS[2], title_ru="Ремонт моста — до весны", title_kk="Көпір жөндеу", place="Райымбек", place_kk="Райымбек")
    placeless = replace(PROBLEMS[3], title_ru="Иргели", title_kk="", place="Иргели", place_kk="")  # nothing would be left
    round_ = sample_round(problems=[drafted, spaced, own, placeless])
    expected = {"ru": ["Нет водоснабжения", "Ямы на дороге", "Ремонт моста — до весны", "Иргели"],
                "kk": ["Су жоқ", "Ямы на дороге", "Көпір жөндеу", "Иргели"]}
    for lang, wordings in expected.items():
        for table in (problems_table(round_, Strings(lang)), action_plan_table(round_, Strings(lang))):
            column = [c.key for c in table.columns].index("problem")
            assert [row[column] for row in table.rows] == wordings, (lang, table.name)
    # Where the wording stands alone it keeps its place.
    assert [p["title"] for p in package_json(round_, "ru")["problems"]][0] == "Нет водоснабжения — Иргели"
