"""The publication package as DOCX, parsed back with python-docx."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT

from tyndau.reports.package_docx import package_docx

from .helpers import (
    DATE,
    body_order,
    captions,
    grid,
    header_text,
    header_xml,
    headings,
    is_landscape,
    open_docx,
    repeats_header_row,
    style_name,
)
from .sample import HOUSING, sample_round

NBSP = "\u00a0"


def test_russian_draft_has_the_official_structure() -> None:
    doc = open_docx(package_docx(sample_round(), "ru"))
    assert style_name(doc.paragraphs[0]) == "Title"
    assert doc.paragraphs[0].text == "Встреча акима Карасайского района с населением"
    assert headings(doc) == ["1. Итоги встреч", "2. Перечень проблемных вопросов", "3. План мероприятий по решению проблемных вопросов"]
    assert captions(doc) == [
        "Таблица 1. Сведения о проведённых встречах",
        "Таблица 2. Обращения и комментарии по источникам поступления",
        "Таблица 3. Перечень проблемных вопросов",
        "Таблица 4. План мероприятий по решению проблемных вопросов",
    ]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Дата проведения: 21.11.2026 – 25.11.2026" in text
    assert f"Охват онлайн-трансляции: 3{NBSP}870" in text
    assert "Количество участников: 214" in text
    assert "Поступило обращений и комментариев: 732" in text
    assert "Вопросов, по которым дан ответ на месте: 26" in text
    assert "Проблемных вопросов взято на контроль: 6" in text
    assert "Срок публикации (10 календарных дней после последней встречи или приёма): 05.12.2026" in text
    assert "продолжался 27" in text and "(22,5" in text and "соблюдено" in text
    assert "Хронометраж встречи не вёлся." in text
    assert doc.core_properties.language == "ru-RU"


def test_action_plan_table_rows_cells_and_dates() -> None:
    doc = open_docx(package_docx(sample_round(), "ru"))
    assert len(doc.tables) == 4
    rows = grid(doc.tables[3])
    assert rows[0] == [
        "№", "Проблемный вопрос", "Место", "Категория", "Кол-во обращений", "Планируемые меры", "Срок исполнения",
        "Ответственный исполнитель", "Финансирование",
    ]
    assert len(rows) == 7
    first = rows[1]
    assert first[:5] == ["1", "Отсутствие централизованного водоснабжения в мкр. «Жаңалық»", "с. Иргели, мкр. «Жаңалық»",
                         "ЖКХ и коммунальная инфраструктура", "37"]
    assert first[6] == "30.09.2027"
    assert first[7] == HOUSING[0]
    assert first[8] == f"потребность 450{NBSP}000{NBSP}000 тг (местный бюджет); выделено 120{NBSP}000{NBSP}000 тг"
    assert rows[3][8] == "не требуется"
    assert rows[6][6] == "не установлен" and rows[6][7] == "не назначен"
    assert all(DATE.match(r[6]) for r in rows[1:6])
    for table in doc.tables:
        assert repeats_header_row(table)


def test_summary_tables() -> None:
    doc = open_docx(package_docx(sample_round(), "ru"))
    meetings = grid(doc.tables[0])
    assert meetings[1][2] == "21.11.2026" and meetings[2][2] == "25.11.2026"
    assert meetings[1][8] == f"22,5{NBSP}%" and meetings[1][9] == "да"
    assert meetings[2][4] == "нет данных"
    assert meetings[-1][1] == "Итого" and meetings[-1][6] == "732"
    sources = grid(doc.tables[1])
    assert sources[1] == ["YouTube", "412", f"56,3{NBSP}%"]
    assert ["Вопросы из зала", "54", f"7,4{NBSP}%"] in sources
    assert sources[-1] == ["Итого", "732", f"100,0{NBSP}%"]
    problems = grid(doc.tables[2])
    assert problems[0] == ["№", "Проблемный вопрос", "Место", "Категория", "Кол-во обращений", "Уровень решения"]
    assert problems[5][5] == "Центральные государственные органы"


def test_action_plan_sits_in_a_landscape_section_and_pages_are_numbered() -> None:
    doc = open_docx(package_docx(sample_round(), "ru"))
    assert [s.orientation for s in doc.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    assert is_landscape(doc.sections[1]) and not is_landscape(doc.sections[0])
    order = [x for x in body_order(doc) if x != "p"]
    assert order == ["tbl", "tbl", "tbl", "sect", "tbl"]  # the action plan comes after the portrait section ends
    footer = doc.sections[0].footer._element.xml
    assert " PAGE " in footer and " NUMPAGES " in footer and "Страница" in footer


def test_draft_is_marked_and_final_is_not() -> None:
    draft = open_docx(package_docx(sample_round(), "ru"))
    assert "ПРОЕКТ" in header_text(draft)
    assert 'string="ПРОЕКТ"' in header_xml(draft)
    assert draft.core_properties.title.startswith("ПРОЕКТ")
    final = open_docx(package_docx(sample_round(final=True), "ru"))
    assert "ПРОЕКТ" not in header_text(final) and "ПРОЕКТ" not in header_xml(final)
    text = "\n".join(p.text for p in final.paragraphs)
    assert "Срок публикации" not in text
    assert final.core_properties.title == "Встреча акима Карасайского района с населением"


def test_kazakh_package() -> None:
    doc = open_docx(package_docx(sample_round(), "kk"))
    assert doc.paragraphs[0].text == "Қарасай ауданы әкімінің халықпен кездесуі"
    assert headings(doc) == [
        "1. Кездесулердің қорытындылары", "2. Проблемалық мәселелер тізбесі", "3. Проблемалық мәселелерді шешу жөніндегі іс-шаралар жоспары",
    ]
    assert "ЖОБА" in header_text(doc) and 'string="ЖОБА"' in header_xml(doc)
    plan = grid(doc.tables[3])
    assert plan[0][1] == "Проблемалық мәселе" and plan[0][7] == "Жауапты орындаушы"
    assert plan[1][1] == "«Жаңалық» шағын ауданында орталықтандырылған сумен жабдықтау жоқ"
    assert plan[1][3] == "ТКШ және коммуналдық инфрақұрылым"
    assert plan[1][5].startswith("ЖСҚ әзірлеу")
    assert plan[1][6] == "30.09.2027"
    assert plan[1][7] == HOUSING[1]
    assert plan[6][6] == "белгіленбеген" and plan[6][7] == "тағайындалмаған"
    assert captions(doc)[0] == "1-кесте. Өткізілген кездесулер туралы мәліметтер"
    assert doc.core_properties.language == "kk-KZ"
    assert "беттің" in doc.sections[0].footer._element.xml


def test_single_meeting_round_has_no_meetings_table() -> None:
    doc = open_docx(package_docx(sample_round(with_reception=False), "ru"))
    assert headings(doc)[0] == "1. Итоги встречи"
    assert len(doc.tables) == 3
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Дата проведения: 21.11.2026" in text and "Таблица 1. Обращения" in text
