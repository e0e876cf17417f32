"""Hostile and odd input: control characters, huge titles, formulas, empty rounds — never a crash."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, datetime

import openpyxl
import pytest

from tyndau.reports.model import MeetingFacts, Round
from tyndau.reports.package_csv import package_csv
from tyndau.reports.package_docx import package_docx
from tyndau.reports.package_html import package_html
from tyndau.reports.package_json import package_json_text
from tyndau.reports.package_xlsx import package_xlsx
from tyndau.reports.text import TITLE_LIMIT, clean, one_line, spreadsheet_safe

from .helpers import grid, open_docx
from .sample import MEETING, PROBLEMS, sample_round

CONTROL = "Вода\x00\x01\x07\x08\x0b\x0c\x1b[31m\x7f\x85\u202eтолько\ufeff\ud800 нет\r\nсовсем\u2028"
HUGE = "Дорога " * 1500  # 10,500 characters


def _hostile_round() -> Round:
    problems = [
        replace(PROBLEMS[0], title_ru=CONTROL, title_kk=CONTROL, measures=CONTROL, measures_kk=CONTROL, place=CONTROL, executor=CONTROL, executor_kk=CONTROL, quotes=[CONTROL, HUGE]),
        replace(PROBLEMS[1], title_ru=HUGE, title_kk=HUGE, measures=HUGE * 2, measures_kk=HUGE * 2, executor=HUGE, executor_kk=HUGE),
        replace(PROBLEMS[2], title_ru='=HYPERLINK("http://evil","x")', title_kk="=1+1", measures="-2+3", measures_kk="-2+3", place="@SUM(A1)"),
        replace(PROBLEMS[3], title_ru="", title_kk="", category_ru="", category_kk="", measures="", measures_kk=""),
    ]
    meeting = replace(MEETING, title=CONTROL, place=HUGE, comments_by_source={"webhook:<b>x</b>": 3, CONTROL: 1})
    return Round(title=HUGE, akim=CONTROL, meetings=[meeting], problems=problems, generated_at=datetime(2026, 11, 24, tzinfo=UTC))


def test_clean_strips_controls_and_clips() -> None:
    assert clean(CONTROL) == "Вода[31mтолько нет\nсовсем"
    assert one_line(CONTROL) == "Вода[31mтолько нет совсем"
    clipped = clean(HUGE, TITLE_LIMIT)
    assert len(clipped) <= TITLE_LIMIT and clipped.endswith("…")
    assert clean(None) == "" and clean(42) == "42"
    assert spreadsheet_safe("=1+1") == "'=1+1" and spreadsheet_safe("Дорога") == "Дорога"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_docx_survives_and_clips(lang: str) -> None:
    doc = open_docx(package_docx(_hostile_round(), lang))
    plan = grid(doc.tables[-1])
    assert plan[1][1] == "Вода[31mтолько нет\nсовсем"
    assert len(plan[2][1]) <= TITLE_LIMIT and plan[2][1].endswith("…")
    assert len(plan[2][5]) <= 2000
    assert len(doc.paragraphs[0].text) <= 300
    assert plan[3][1] == '=HYPERLINK("http://evil","x")' if lang == "ru" else plan[3][1] == "=1+1"
    assert plan[4][3] == "improvement_ecology"  # no category names at all: the id stands in


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_xlsx_survives_and_keeps_formulas_as_text(lang: str) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(package_xlsx(_hostile_round(), lang)))
    ws = wb.worksheets[-1]
    cell = ws.cell(4, 2)
    assert cell.data_type == "s" and cell.value.startswith("=")
    assert ws.cell(4, 3).data_type == "s" and ws.cell(4, 3).value == "@SUM(A1)"
    assert ws.cell(4, 6).data_type == "s" and ws.cell(4, 6).value == "-2+3"
    assert len(ws.cell(3, 2).value) <= TITLE_LIMIT
    assert all(len(str(c.value or "")) <= 32767 for row in ws.iter_rows() for c in row)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_html_csv_json_survive(lang: str) -> None:
    round_ = _hostile_round()
    page = package_html(round_, lang)
    assert "\x00" not in page and "\u202e" not in page and "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    files = package_csv(round_, lang)
    rows = list(csv.reader(io.StringIO(files[f"action_plan_{lang}.csv"][1:]), delimiter=";"))
    assert rows[3][1].startswith("'=") and rows[3][2] == "'@SUM(A1)" and rows[3][5] == "'-2+3"
    data = json.loads(package_json_text(round_, lang))
    assert all(len(p["title"]) <= TITLE_LIMIT for p in data["problems"])
    assert "\x00" not in json.dumps(data)


def test_empty_round_exports_everything() -> None:
    empty = Round(title="Пустой раунд", akim="—", meetings=[], problems=[], generated_at=datetime(2026, 11, 24, tzinfo=UTC))
    for lang in ("ru", "kk"):
        doc = open_docx(package_docx(empty, lang))
        assert len(grid(doc.tables[-1])) == 1  # header only
        openpyxl.load_workbook(io.BytesIO(package_xlsx(empty, lang)))
        assert "<table" in package_html(empty, lang)
        assert all(text.startswith("\ufeff") for text in package_csv(empty, lang).values())
        data = json.loads(package_json_text(empty, lang))
        assert data["publication_deadline"] is None and data["problems"] == [] and data["totals"]["attendance"] is None


def test_meeting_still_running_has_no_publication_deadline() -> None:
    open_meeting = replace(MEETING, ended_at=None, timing=None)
    round_ = sample_round(with_reception=False)
    round_ = replace(round_, meetings=[open_meeting])
    data = json.loads(package_json_text(round_, "ru"))
    assert data["publication_deadline"] is None and data["round_ended_at"] is None
    text = "\n".join(p.text for p in open_docx(package_docx(round_, "ru")).paragraphs)
    assert "Срок публикации" not in text and "Хронометраж встречи не вёлся." in text


def test_timing_record_from_the_clock_is_flattened() -> None:
    record = {
        "final": True, "rule_held": False, "presentation_share_of_planned": 0.3,
        "totals": {"presentation_seconds": 2160.0, "qa_seconds": 4000.0, "pause_seconds": 0.0, "cap_seconds": 1800.0,
                   "planned_seconds": 7200.0, "over_cap_seconds": 360.0},
    }
    meeting = MeetingFacts(id=1, title="t", akim_name="a", akim_level="village", place="p",
                           starts_at=datetime(2026, 11, 21, 5, tzinfo=UTC), timing=record)
    assert meeting.timing == {
        "presentation_seconds": 2160.0, "qa_seconds": 4000.0, "cap_seconds": 1800.0, "planned_seconds": 7200.0,
        "presentation_share_of_planned": 0.3, "rule_held": False,
    }
    round_ = Round(title="r", akim="a", meetings=[meeting], problems=[], generated_at=datetime(2026, 11, 24, tzinfo=UTC))
    text = "\n".join(p.text for p in open_docx(package_docx(round_, "ru")).paragraphs)
    assert "не соблюдено: превышение 6\u00a0мин\u00a000\u00a0с" in text
