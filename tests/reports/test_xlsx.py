"""The publication package as XLSX, parsed back with openpyxl."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest

from tyndau.reports.package_xlsx import package_xlsx

from .sample import HOUSING, sample_round


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.mark.parametrize(("lang", "sheets"), [
    ("ru", ["Итоги", "Встречи", "Источники", "Проблемные вопросы", "План мероприятий"]),
    ("kk", ["Қорытынды", "Кездесулер", "Көздер", "Проблемалық мәселелер", "Іс-шаралар жоспары"]),
])
def test_one_sheet_per_table_with_frozen_filtered_header(lang: str, sheets: list[str]) -> None:
    wb = _open(package_xlsx(sample_round(), lang))
    assert wb.sheetnames == sheets
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A1:")
        assert ws.cell(1, 1).font.bold
        assert ws.column_dimensions["A"].width > 5
    plan = wb[sheets[-1]]
    assert plan.auto_filter.ref == "A1:N7"
    assert plan.print_title_rows == "$1:$1"
    assert plan.page_setup.orientation == "landscape"


def test_action_plan_cells_and_real_dates() -> None:
    wb = _open(package_xlsx(sample_round(), "ru"))
    ws = wb["План мероприятий"]
    header = [c.value for c in ws[1]]
    assert header == [
        "№", "Проблемный вопрос", "Место", "Категория", "Кол-во обращений", "Планируемые меры", "Срок исполнения",
        "Ответственный исполнитель", "Потребность, тенге", "Выделено, тенге", "Источник финансирования",
        "Уровень решения", "Статус", "В перечень Правительства",
    ]
    row = [c.value for c in ws[2]]
    assert row[0] == 1 and row[4] == 37
    assert row[6] == datetime(2027, 9, 30) and ws.cell(2, 7).is_date
    assert ws.cell(2, 7).number_format == "DD.MM.YYYY"
    assert row[7] == HOUSING[0]
    assert row[8] == 450_000_000 and row[9] == 120_000_000 and ws.cell(2, 9).number_format == "#,##0"
    assert row[10] == "Местный бюджет" and row[12] == "В работе" and row[13] == "нет"
    last = [c.value for c in ws[7]]
    assert last[0] == 6 and last[6] is None and last[7] is None
    assert ws.max_row == 7


def test_meetings_and_sources_sheets() -> None:
    wb = _open(package_xlsx(sample_round(), "ru"))
    meetings = wb["Встречи"]
    assert meetings.cell(2, 3).value == datetime(2026, 11, 21) and meetings.cell(2, 3).is_date
    assert meetings.cell(2, 9).value == 0.225 and meetings.cell(2, 9).number_format == "0.0%"
    assert meetings.auto_filter.ref == "A1:J3"
    assert meetings.cell(5, 2).value == "Итого" and meetings.cell(5, 7).value == 732  # totals below the filter range
    sources = wb["Источники"]
    assert [sources.cell(r, 1).value for r in range(2, 7)] == ["YouTube", "Telegram", "Instagram", "Вопросы из зала", "Письменные обращения"]
    assert sources.cell(2, 2).value == 412


def test_summary_sheet_and_draft_marks() -> None:
    draft = _open(package_xlsx(sample_round(), "ru"))
    summary = draft["Итоги"]
    assert summary.cell(2, 1).value == "Статус документа" and summary.cell(2, 2).value.startswith("ПРОЕКТ")
    values = {summary.cell(r, 1).value: summary.cell(r, 2).value for r in range(2, summary.max_row + 1)}
    assert values["Количество участников"] == "214"
    assert values["Срок публикации (10 календарных дней после последней встречи или приёма)"] == "05.12.2026"
    assert draft.properties.title.startswith("ПРОЕКТ")
    assert draft["План мероприятий"].oddHeader.center.text == "ПРОЕКТ"
    final = _open(package_xlsx(sample_round(final=True), "kk"))
    assert final["Қорытынды"].cell(2, 1).value == "Атауы"
    assert not final.properties.title.startswith("ЖОБА")
    assert not final["Іс-шаралар жоспары"].oddHeader.center.text
    assert final.properties.language == "kk-KZ"


def test_kazakh_cells() -> None:
    wb = _open(package_xlsx(sample_round(), "kk"))
    ws = wb["Іс-шаралар жоспары"]
    assert ws.cell(1, 7).value == "Орындау мерзімі"
    assert ws.cell(2, 2).value == "«Жаңалық» шағын ауданында орталықтандырылған сумен жабдықтау жоқ"
    assert ws.cell(2, 8).value == HOUSING[1]
    assert ws.cell(2, 11).value == "Жергілікті бюджет"
    assert ws.cell(6, 14).value == "иә"  # problem 5 goes to the government's list
