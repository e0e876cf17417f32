"""What a reader of the package must be told: the akim's name (or that it is missing), the page
count in the footer, where a Kazakh package shows Russian texts, and plan changes after the meeting."""

from __future__ import annotations

import html
import re
from dataclasses import replace

from tyndau.reports.package_docx import package_docx
from tyndau.reports.package_html import package_html
from tyndau.reports.package_json import package_json
from tyndau.reports.package_xlsx import package_xlsx

from .helpers import open_docx
from .sample import MEETING, PROBLEMS, UTILITIES, _p, sample_round

NBSP = "\u00a0"


def _text(data: bytes) -> str:
    doc = open_docx(data)
    return "\n".join(p.text for p in doc.paragraphs)


def test_a_missing_akim_name_is_said_so_not_left_as_a_bare_level():
    round_ = replace(sample_round(), akim="")
    text = _text(package_docx(round_, "ru"))
    assert "Аким: ФИО не указано (аким района)" in text
    assert "Аким: (аким района)" not in text
    assert "Әкім: Аты-жөні көрсетілмеген (аудан әкімі)" in _text(package_docx(round_, "kk"))
    assert "Аким: Сейтказиев А. Б. (аким района)" in _text(package_docx(sample_round(), "ru"))


def _numpages(data: bytes) -> tuple[int, str]:
    footer = open_docx(data).sections[0].footer._element.xml
    stored = re.search(r"NUMPAGES </w:instrText>.*?<w:t>(\d+)</w:t>", footer, re.S)
    assert stored, footer
    return int(stored.group(1)), footer


def test_footer_fields_are_live_and_the_stored_page_count_is_not_a_constant_one():
    pages, footer = _numpages(package_docx(sample_round(), "ru"))
    assert footer.count('w:dirty="true"') == 2  # Word and LibreOffice recompute PAGE and NUMPAGES
    assert pages >= 2  # a portrait part and a landscape action plan: never "Страница 1 из 1"
    many = [replace(PROBLEMS[i % len(PROBLEMS)], number=i + 1) for i in range(183)]
    big, _ = _numpages(package_docx(sample_round(problems=many), "ru"))
    assert big >= 10 and big > pages


def test_kazakh_package_says_where_it_shows_russian_texts():
    problems = [
        *PROBLEMS[:5],
        _p(6, "Частые отключения электроэнергии", "", "с. Жандосов", UTILITIES, mentions=6, measures="Замена подстанции"),
    ]
    round_ = sample_round(problems=problems)
    text = _text(package_docx(round_, "kk"))
    note = "Қазақ тіліндегі мәтін әлі дайындалмаған, орыс тіліндегі мәтін берілген: мәселенің тұжырымы — № 6; жоспарланған шаралар — № 5, 6."
    assert note in text
    assert note in html.unescape(package_html(round_, "kk"))
    assert package_json(round_, "kk")["russian_text_in"] == {"title": [6], "measures": [5, 6]}
    assert package_json(round_, "ru")["russian_text_in"] == {}
    assert "орыс тіліндегі" not in _text(package_docx(round_, "ru"))
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(package_xlsx(round_, "kk"))).worksheets[0]
    assert any(note == cell.value for row in sheet.iter_rows() for cell in row)


def test_plan_changed_after_the_meeting_is_told_in_the_package_with_the_verdict_as_run():
    timing = {**MEETING.timing, "presentation_seconds": 1831.0, "planned_seconds": 7200.0, "cap_seconds": 1800.0, "rule_held": False,
              "presentation_share_of_planned": 0.2543}
    timing_amended = {**timing, "planned_seconds": 9000.0, "cap_seconds": 2250.0, "rule_held": True, "presentation_share_of_planned": 0.2034,
                      "amendments": [{"field": "planned_minutes", "old": 120, "new": 150, "actor": "aigerim", "at": "2026-11-21T09:00:00+00:00",
                                      "reason": "по объявлению встреча на 150 минут"}],
                      "planned_minutes_as_run": 120, "rule_held_as_planned": False}
    plain = _text(package_docx(replace(sample_round(), meetings=[replace(MEETING, timing=timing)]), "ru"))
    assert f"(25,4{NBSP}%" in plain and "не соблюдено" in plain
    text = _text(package_docx(replace(sample_round(), meetings=[replace(MEETING, timing=timing_amended)]), "ru"))
    assert "После встречи изменено: продолжительность по плану, мин: 120 → 150 (aigerim, 21.11.2026 14:00; причина: по объявлению встреча на 150 минут)." in text
    assert "По плану, с которым прошла встреча (120 мин), требование о продолжительности доклада не соблюдено." in text


def test_the_share_beside_a_broken_rule_never_reads_as_a_quarter():
    timing = {**MEETING.timing, "presentation_seconds": 1801.0, "rule_held": False, "presentation_share_of_planned": 0.2501}
    text = _text(package_docx(replace(sample_round(), meetings=[replace(MEETING, timing=timing)]), "ru"))
    assert f"(25,1{NBSP}%" in text and f"(25,0{NBSP}%" not in text
