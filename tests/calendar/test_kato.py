"""KATO exports: code structure, parents from the code, kinds from the names, bad rows and skips."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from tyndau.domain.kato import KatoRow, name_marker, parse_kato, units_from_rows
from tyndau.domain.units import UnitTreeError
from tyndau.live.kato_files import KatoFileError, read_kato_bytes, read_kato_file

from .helpers import CITY, DEMO_UNITS, DISTRICT, NEW_DISTRICT, REGION

HEADER = "te;ab;cd;ef;hij;k;name_kaz;name_rus;nn"


def rows(*lines: str, header: str = HEADER, title: str | None = None) -> bytes:
    """A semicolon CSV in the stat.gov.kz column layout (optionally with a title line above)."""
    text = ([title] if title else []) + [header, *lines]
    return ("\n".join(text) + "\n").encode("utf-8")


def load(*lines: str, **kw: str) -> tuple:
    result = read_kato_bytes(rows(*lines, **kw), "kato.csv")
    return result, {u.id: u for u in result.units}


@pytest.mark.parametrize(("value", "code"), [
    ("611010000", "611010000"), (611010000, "611010000"), (611010000.0, "611010000"), ("61 10 10 000", "611010000"),
])
def test_codes_are_read_from_text_and_spreadsheet_numbers(value: object, code: str) -> None:
    assert parse_kato(value).code == code


@pytest.mark.parametrize(("value", "message"), [
    ("", "empty"), ("61101000", "8 digits, not 9"), ("6110100001", "10 digits"), ("61101000A", "other than digits"),
    ("６１１０１００００", "other than digits"), (True, "yes/no"),
])
def test_bad_codes_say_what_is_wrong(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_kato(value)


@pytest.mark.parametrize(("code", "level", "parents"), [
    ("610000000", 1, ()),
    ("611000000", 2, ("610000000",)),
    ("611633000", 3, ("611600000", "610000000")),
    ("611633100", 4, ("611633000", "611600000", "610000000")),
    ("613637103", 5, ("613637100", "613637000", "613600000", "610000000")),
    ("613820100", 4, ("613820000", "613800000", "610000000")),   # a city of district significance
])
def test_code_structure(code: str, level: int, parents: tuple[str, ...]) -> None:
    k = parse_kato(code)
    assert k.level == level and k.parent_candidates() == parents
    assert (k.ab, k.cd, k.ef, k.hij) == (code[:2], code[2:4], code[4:6], code[6:])


@pytest.mark.parametrize(("ru", "kk", "marker"), [
    ("Туркестанская область", "", "region"), ("", "Алматы облысы", "region"),
    ("Туркестан Г.А.", "", "city_admin"), ("", "Ақтас қ.ә.", "city_admin"), ("г.Арысь", "", "city"),
    ("", "Қаскелең қаласы", "city"), ("Карасайский район", "", "district"), ("район Байдибека", "", "district"),
    ("", "Қарасай ауданы", "district"), ("Акдалинский с.о.", "", "rural_district"), ("с.о.Байыркумский", "", "rural_district"),
    ("Жамбылский сельский округ", "", "rural_district"), ("", "Жамбыл ауылдық округі", "rural_district"),
    ("с.Акдала", "", "village"), ("", "Іргелі ауылы", "village"), ("", "Шамалған а.", "village"),
    ("п. Асыката", "", "settlement"), ("Асыкатинская п.а.", "", "settlement_admin"), ("с.а.Ачисай", "", "village_admin"),
    ("мкр Самал", "", "microdistrict"), ("", "Шұғыла шағын ауданы", "microdistrict"), ("Чабанский жил.дом", "", None),
    ("с.Октябрьское", "", "village"),
])
def test_name_markers(ru: str, kk: str, marker: str | None) -> None:
    assert name_marker(ru, kk) == marker


def test_the_demo_file_loads_into_a_district_with_a_dozen_rural_districts() -> None:
    result = read_kato_file(DEMO_UNITS)
    assert result.ok and len(result.units) == 47
    assert [(s.code, s.reason.split(";")[0]) for s in result.skipped] == [
        ("991110000", "the seat of the administration 991100000 (line 3)"),
        ("991653103", "a locality inside с. Жамбыл, not a unit with an akim"),
    ]
    tree = result.tree()
    assert tree.get(REGION).kind == "region" and tree.get(CITY).kind == "regional_city"
    assert [u.kind for u in tree.children(REGION)] == ["regional_city", "district", "district"]
    assert len(tree.of_kinds(DISTRICT, ["rural_district"])) == 12
    assert [u.name_ru for u in tree.of_kinds(CITY, ["microdistrict"])] == ["мкр Самал", "мкр Шугыла", "мкр Нурлы жол"]
    assert tree.get("991620100").kind == "district_city" and tree.get("991620100").parent_id == DISTRICT
    assert tree.get(NEW_DISTRICT).valid_from == date(2026, 4, 1)
    assert tree.get("991649200").valid_to == date(2026, 9, 30)
    assert tree.get("991641300").name_kk == "Самал ауылы" and result.lines["991641300"] == 29


def test_a_stat_gov_kz_shaped_file_with_a_title_row_in_kz1048() -> None:
    data = rows(
        "190000000;19;00;00;000;;Жетісу облысы (мысал);Жетысуская область (пример);1",
        "191600000;19;16;00;000;;Ақсу ауданы;Аксуский район;2",
        "191630000;19;16;30;000;;Арасан а.о.;Арасанский с.о.;3",
        "191630100;19;16;30;100;;Арасан а.;с.Арасан;4",
        "191630103;19;16;30;103;;Қыстақ;Зимовка;5",
        "191620100;19;16;20;100;;Жансүгіров қаласы;г.Жансугуров;6",
        "191643000;19;16;43;000;;Қарасу кенттік әкімдігі;Карасуская п.а.;7",
        "191643100;19;16;43;100;;Қарасу кенті;п. Карасу;8",
        header="te;ab;cd;ef;hij;k;nameKaz;nameRus;nn", title="Классификатор административно-территориальных объектов",
    ).decode("utf-8").encode("kz1048")
    result = read_kato_bytes(data, "KATO_2026.csv")
    assert result.ok, result.errors
    kinds = {u.id: (u.kind, u.parent_id) for u in result.units}
    assert kinds == {
        "190000000": ("region", None), "191600000": ("district", "190000000"),
        "191630000": ("rural_district", "191600000"), "191630100": ("village", "191630000"),
        "191620100": ("district_city", "191600000"), "191643000": ("settlement", "191600000"),
    }
    assert {s.code for s in result.skipped} == {"191630103", "191643100"}
    assert result.lines["191630100"] == 6   # the title is line 1, the header line 2


def test_cities_of_republican_significance_the_capital_and_city_districts() -> None:
    result, units = load(
        "710000000;71;00;00;000;;Астана қаласы;г.Астана;1",
        "711110000;71;11;10;000;;Алматы ауданы;район Алматы;2",
        "750000000;75;00;00;000;;Алматы қаласы;г.Алматы;3",
        "751110000;75;11;10;000;;Алмалы ауданы;Алмалинский район;4",
        "351000000;35;10;00;000;;Қарағанды қ.ә.;Караганда Г.А.;5",
    )
    assert units["710000000"].kind == "capital" and units["750000000"].kind == "republican_city"
    assert units["711110000"].kind == "city_district" and units["711110000"].parent_id == "710000000"
    assert units["751110000"].kind == "city_district" and units["751110000"].parent_id == "750000000"
    assert [e.line for e in result.errors] == [6] and "no unit above it" in result.errors[0].message


def test_bad_rows_are_reported_with_their_line_and_column() -> None:
    result, units = load(
        "190000000;19;00;00;000;;Жетісу облысы;Жетысуская область;1",
        "19160000;19;16;00;000;;Ақсу ауданы;Аксуский район;2",           # 8 digits
        "191600000;18;16;00;000;;Ақсу ауданы;Аксуский район;3",          # ab disagrees with the code
        "191800000;19;18;00;000;;;;4",                                   # no names
        "190000000;19;00;00;000;;Жетісу облысы;Жетысуская область;5",    # repeats line 2
        "192000000;19;20;00;000;;Көксу ауданы;Коксуский район;6",
    )
    assert not result.ok
    assert [(e.line, e.column) for e in result.errors] == [(3, "code"), (4, "ab"), (5, "name_rus"), (6, "code")]
    assert "8 digits" in result.errors[0].message and "repeats line 2" in result.errors[3].message
    assert str(result.errors[1]).startswith("line 4, ab: 18 does not match the code 191600000")
    assert set(units) == {"190000000", "192000000"}
    with pytest.raises(UnitTreeError, match="line 3, code"):
        result.tree()


def test_kind_parent_and_date_columns_override_and_are_checked() -> None:
    header = HEADER + ";kind;parent;valid_from;valid_to"
    result, units = load(
        "190000000;19;00;00;000;;Облыс;Область;1;;;;",
        "191600000;19;16;00;000;;Жаңа аудан;Новый район;2;;;2026-07-01;",
        "191630000;19;16;30;000;;Ескі;Старый;3;rural_district;;2026-07-01;2026-12-31",  # a kind the name does not say
        "191630100;19;16;30;100;;Орталық;Центр;4;microdistrict;191600000;2026-07-01;",
        "191640000;19;16;40;000;;Х;Х;5;okrug;;;",                             # unknown kind
        "191650000;19;16;50;000;;Ү;Ү;6;;;1 July;",                            # not a date
        "191660000;19;16;60;000;;Ө;Ө;7;;;2026-07-02;2026-07-01",              # ends before it starts
        header=header,
    )
    assert [(e.line, e.column) for e in result.errors] == [(5, "kind"), (6, "kind"), (7, "valid_from"), (8, "valid_to")]
    assert "191630100: a microdistrict cannot sit under a district" in result.errors[0].message  # the explicit parent
    assert units["191630000"].kind == "rural_district" and units["191630000"].valid_to == date(2026, 12, 31)
    assert units["191600000"].valid_from == date(2026, 7, 1)


def test_what_is_skipped_and_why() -> None:
    result, units = load(
        "000000000;00;00;00;000;;Қазақстан Республикасы;Республика Казахстан;1",
        "190000000;19;00;00;000;;Жетісу облысы;Жетысуская область;2",
        "194400000;19;44;00;000;;Кеген ауданы (жойылған);Кегенский район (упразднен.);3",
        "194430000;19;44;30;000;;Жалаңаш а.о.;Жаланашский с.о.;4",
        "194600000;19;46;00;000;;Белгісіз;Неизвестное;5",
    )
    assert result.ok and set(units) == {"190000000"}
    reasons = {s.code: s.reason for s in result.skipped}
    assert reasons["000000000"].startswith("the country")
    assert reasons["194400000"].startswith("marked abolished")
    assert reasons["194430000"] == "its parent 194400000 (line 4) was not imported"
    assert reasons["194600000"].startswith("the name does not say what it is") and "add a kind column" in reasons["194600000"]


def test_the_seat_of_a_city_administration_is_merged_and_its_children_follow() -> None:
    result, units = load(
        "610000000;61;00;00;000;;Түркістан облысы;Туркестанская область;1",
        "611600000;61;16;00;000;;Арыс қ.ә.;Арысь Г.А.;2",
        "611610000;61;16;10;000;;Арыс қ.;г.Арысь;3",
        "611610100;61;16;10;100;;Самал шағын ауданы;мкр Самал;4",
        "611633000;61;16;33;000;;Ақдала а.о.;Акдалинский с.о.;5",
        "611633100;61;16;33;100;;Ақдала а.;с.Акдала;6",
    )
    assert result.ok
    assert units["611600000"].kind == "regional_city" and "611610000" not in units
    assert units["611610100"].parent_id == "611600000" and units["611610100"].kind == "microdistrict"
    assert units["611633000"].parent_id == "611600000"


def test_xlsx_export_with_numeric_codes(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Классификатор административно-территориальных объектов (КАТО)"])
    sheet.append([])
    sheet.append(["te", "ab", "cd", "ef", "hij", "k", "name_kaz", "name_rus", "nn"])
    sheet.append([190000000, 19, 0, 0, 0, 1, "Жетісу облысы", "Жетысуская область", 1])
    sheet.append([191600000, 19, 16, 0, 0, 2, "Ақсу ауданы", "Аксуский район", 2])
    sheet.append([191630000.0, 19, 16, 30, 0, 3, "Арасан а.о.", "Арасанский с.о.", 3])
    sheet.append([None, None, None, None, None, None, None, None, None])
    sheet.append([1916301, 19, 16, 30, 100, 4, "Арасан а.", "с.Арасан", 4])
    path = tmp_path / "kato.xlsx"
    book.save(path)
    result = read_kato_file(path)
    assert {u.id: u.kind for u in result.units} == {"190000000": "region", "191600000": "district", "191630000": "rural_district"}
    assert [(e.line, e.column) for e in result.errors] == [(8, "code")]
    assert "7 digits" in result.errors[0].message


def test_whole_file_problems() -> None:
    with pytest.raises(KatoFileError, match="expected a .csv or .xlsx"):
        read_kato_bytes(b"x", "kato.pdf")
    with pytest.raises(KatoFileError, match="no header row"):
        read_kato_bytes("Код;Название\n1;2\n".encode(), "kato.csv")
    with pytest.raises(KatoFileError, match="not a readable .xlsx"):
        read_kato_bytes(b"PK\x03\x04 not really a zip", "kato.xlsx")


def test_rows_can_come_from_any_reader() -> None:
    result = units_from_rows([KatoRow(10, {"code": "190000000", "name_ru": "Жетысуская область", "name_kk": ""})],
                             valid_from=date(2026, 1, 1))
    assert result.ok and result.units[0].valid_from == date(2026, 1, 1) and result.lines == {"190000000": 10}


def test_hostile_files_give_clear_errors_not_tracebacks() -> None:
    header = HEADER + ";parent"
    lines = [f"19{i:07d};;;;;;Аудан {i};Район {i};{i};19{i + 1:07d}" for i in range(1, 60)]
    result = read_kato_bytes(rows(*lines, header=header), "deep.csv")
    assert not result.ok and any("deeper than 20 levels" in e.message for e in result.errors)
    dirty = read_kato_bytes(rows("190000000;19;00;00;000;;Жетісу\x00 облысы\u202e;Жетысуская\u200b область;1"), "nul.csv")
    assert (dirty.units[0].name_kk, dirty.units[0].name_ru) == ("Жетісу облысы", "Жетысуская область")
    loop = read_kato_bytes(rows("191600000;;;;;;А;Аудан;1;191700000", "191700000;;;;;;Б;Аудан;2;191600000",
                                header=header), "loop.csv")
    assert [(e.line, e.message) for e in loop.errors] == [
        (2, "its parent 191700000 (line 3) was not imported"), (3, "its parent chain loops through 191600000")]
