"""The quarterly progress report: figures, DOCX, XLSX, JSON."""

from __future__ import annotations

import io
import json
from datetime import datetime

import openpyxl

from tyndau.reports.quarterly import quarterly_figures, quarterly_json
from tyndau.reports.quarterly_docx import quarterly_docx
from tyndau.reports.quarterly_xlsx import quarterly_xlsx

from .helpers import (
    grid,
    header_text,
    headings,
    is_landscape,
    open_docx,
    repeats_header_row,
)
from .sample import HOUSING, sample_progress

NBSP = "\u00a0"


def test_figures_compare_with_last_quarter() -> None:
    f = quarterly_figures(sample_progress())
    assert f["period"] == {"year": 2027, "quarter": 1, "first_day": "2027-01-01", "last_day": "2027-03-31", "report_deadline": "2027-04-25"}
    assert f["problems_total"] == 6 and f["resolved"] == 2 and f["share_resolved"] == 0.3333 and f["percent_resolved"] == 33.3
    assert f["changed"] == 3 and f["new"] == 1 and f["resolved_this_quarter"] == 1
    assert f["previous"]["problems_total"] == 5 and f["previous"]["resolved"] == 1
    assert f["previous"]["by_status"]["in_progress"] == 3
    assert {r["status"]: r["count"] for r in f["by_status"]} == {
        "resolved": 2, "in_progress": 2, "next_year_budget": 1, "budget_revision": 0, "no_design_documents": 1, "not_supported": 0,
    }
    assert f["funding"] == {
        "problems_with_need": 4, "need_tenge": 1_594_700_000, "allocated_tenge": 134_200_000, "share": 0.0842, "percent": 8.4,
    }
    housing = next(r for r in f["by_executor"] if r["executor"] == HOUSING[0])
    assert housing["total"] == 4 and housing["resolved"] == 1 and housing["need_tenge"] == 774_700_000
    utilities = next(r for r in f["by_category"] if r["category"] == "utilities")
    assert utilities["total"] == 2 and utilities["label"] == "ЖКХ и коммунальная инфраструктура"


def test_quarterly_docx_ru() -> None:
    doc = open_docx(quarterly_docx(sample_progress(), "ru"))
    assert doc.paragraphs[0].text == (
        "Информация о ходе решения проблемных вопросов, поднятых на встречах акима с населением, за I квартал 2027 года"
    )
    assert headings(doc)[0] == "1. Общие показатели" and len(headings(doc)) == 5
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"решено 2 (33,3{NBSP}%)" in text and "Срок размещения отчёта: 25.04.2027" in text
    assert "ПРОЕКТ" in header_text(doc)
    by_status = grid(doc.tables[0])
    assert by_status[1] == ["Решён", "1", "2", f"33,3{NBSP}%"]
    assert by_status[-1][0] == "Всего"
    progress = grid(doc.tables[-1])
    assert progress[0][5:8] == ["Статус в прошлом квартале", "Текущий статус", "Изменение"]
    assert progress[3][4] == "01.02.2027" and progress[3][5:8] == ["В работе", "Решён", "да"]
    assert progress[6][5] == "Новый"
    assert all(repeats_header_row(t) for t in doc.tables)
    assert is_landscape(doc.sections[-1])


def test_quarterly_docx_kk_final() -> None:
    doc = open_docx(quarterly_docx(sample_progress(final=True), "kk"))
    assert doc.paragraphs[0].text.startswith("2027 жылғы I тоқсан бойынша әкімнің халықпен кездесулерінде")
    assert "ЖОБА" not in header_text(doc)
    assert grid(doc.tables[-1])[0][6] == "Ағымдағы мәртебесі"


def test_quarterly_xlsx() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(quarterly_xlsx(sample_progress(), "ru")))
    assert wb.sheetnames == ["Ход решения", "По статусам", "По исполнителям", "По категориям"]
    ws = wb["Ход решения"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:I7"
    assert ws.cell(4, 5).value == datetime(2027, 2, 1) and ws.cell(4, 5).number_format == "DD.MM.YYYY"
    assert [ws.cell(4, c).value for c in (6, 7, 8)] == ["В работе", "Решён", "да"]
    executors = wb["По исполнителям"]
    assert executors.cell(2, 1).value == HOUSING[0] and executors.cell(2, 5).value == 774_700_000
    kk = openpyxl.load_workbook(io.BytesIO(quarterly_xlsx(sample_progress(), "kk")))
    assert kk.sheetnames == ["Шешілу барысы", "Мәртебелер бойынша", "Орындаушылар бойынша", "Санаттар бойынша"]


def test_quarterly_json() -> None:
    data = json.loads(json.dumps(quarterly_json(sample_progress(), "kk"), ensure_ascii=False))
    assert set(data) == {"schema", "lang", "final", "generated_at", "title", "akim", "figures", "entries"}
    assert data["schema"] == "tyndau.quarterly/1" and data["title"] == "Қарасай ауданы"
    entry = data["entries"][2]
    assert entry["previous_status"] == "in_progress" and entry["current_status"] == "resolved" and entry["changed"] is True
    assert entry["deadline"] == "2027-02-01" and entry["current_status_label"] == "Шешілді"
    assert data["entries"][5]["previous_status"] is None
