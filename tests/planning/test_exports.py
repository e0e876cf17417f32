"""The calendar, its coverage matrix and its versions exported to DOCX and XLSX in Russian and Kazakh,
parsed back: the demo district's gap is in the matrix, the adjustment in the versions, in both languages."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from tyndau.operator_ui.keys import SERVICES
from tyndau.planner.demo import DISTRICT, seed_planning

NOW = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)
WORDS = {
    "ru": {"gap": "нет встречи", "held": "проведена", "adjust": "корректировка", "kyzylzhar": "Кызылжарский сельский округ",
           "sheets": ["Итоги", "Календарь", "Охват", "Версии", "Сроки"], "q3": "III кв. 2026", "title": "Гибкий календарь встреч с населением на 2026 год"},
    "kk": {"gap": "кездесу жоқ", "held": "өткізілді", "adjust": "түзету", "kyzylzhar": "Қызылжар ауылдық округі",
           "sheets": ["Қорытынды", "Күнтізбе", "Қамту", "Нұсқалар", "Мерзімдер"], "q3": "2026 ж. III тоқсан",
           "title": "2026 жылға арналған халықпен кездесулердің икемді күнтізбесі"},
}


@pytest.fixture
async def demo(client):
    await seed_planning(client.server.app[SERVICES], NOW)
    return client


async def _get(client, fmt: str, lang: str) -> bytes:
    resp = await client.get(f"/api/v1/organisers/{DISTRICT}/calendars/2026/calendar.{fmt}?lang={lang}&today=2026-12-02",
                            headers=client.people.auth("secretary"))
    assert resp.status == 200, await resp.text()
    assert f"tyndau-calendar-{DISTRICT}-2026-{lang}.{fmt}" in resp.headers["Content-Disposition"]
    return await resp.read()


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_docx_has_the_matrix_with_the_gap_and_the_versions(demo, lang):
    w = WORDS[lang]
    doc = Document(io.BytesIO(await _get(demo, "docx", lang)))
    assert doc.core_properties.title == w["title"] and doc.core_properties.language == ("ru-RU" if lang == "ru" else "kk-KZ")
    coverage = next(t for t in doc.tables if w["q3"] in [c.text for c in t.rows[0].cells])
    header = [c.text for c in coverage.rows[0].cells]
    q3 = header.index(w["q3"])
    row = next(r for r in coverage.rows if r.cells[0].text.strip() == w["kyzylzhar"])
    assert row.cells[q3].text == w["gap"] and row.cells[q3 - 1].text.startswith(w["held"])
    versions = doc.tables[-1]
    assert [c.text for c in versions.rows[-1].cells][1] == w["adjust"] and "Паводок" in versions.rows[-1].cells[5].text
    body = "\n".join(p.text for p in doc.paragraphs)
    assert w["kyzylzhar"] in body                                               # the note naming the period that ended with a gap


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_xlsx_has_a_sheet_per_table_with_real_dates(demo, lang):
    w = WORDS[lang]
    book = load_workbook(io.BytesIO(await _get(demo, "xlsx", lang)))
    assert book.sheetnames == w["sheets"]
    coverage = book[w["sheets"][2]]
    header = [c.value for c in coverage[1]]
    row = next(r for r in coverage.iter_rows(min_row=2, values_only=True) if str(r[0]).strip() == w["kyzylzhar"])
    assert row[header.index(w["q3"])] == w["gap"]
    plan = book[w["sheets"][1]]
    assert plan.cell(row=2, column=2).is_date and plan.max_row - 1 == 81          # every visit of the year
    versions = list(book[w["sheets"][3]].iter_rows(min_row=2, values_only=True))
    assert [v[0] for v in versions] == [1, 2] and versions[1][1] == w["adjust"]
