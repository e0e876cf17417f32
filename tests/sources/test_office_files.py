"""Files as offices export them, through the real import route: detected, explained, correctable, bounded."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import aiohttp
import openpyxl
import pytest

from tests.conftest import create_meeting
from tyndau.live.sources.files import import_file
from tyndau.live.sources.tables import Limits, TooLargeError
from tyndau.operator_ui.keys import SERVICES

SQLITE = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)

KAZAKH_ROWS = [
    ["№", "ФИО", "Текст обращения", "Дата"],
    ["1", "Қасымов Әлібек", "Біздің көшеде жарық жоқ, қашан жөнделеді?", "01.12.2026 10:30"],
    ["2", "Иванова Анна", "Когда починят дорогу на ул. Абая?", "02.12.2026"],
]
RUSSIAN_ROWS = [["№", "ФИО", "Текст обращения", "Дата"], ["1", "Петров Пётр", "Нет света во дворе, ёлки!", "01.12.2026"]]


def csv_bytes(rows: list[list[str]], encoding: str, delimiter: str = ";", first_line: str = "") -> bytes:
    text = first_line + "\r\n".join(delimiter.join(r) for r in rows) + "\r\n"
    return text.encode(encoding)


async def upload(client: Any, meeting_id: int, name: str, data: bytes, *, preview: bool = True, options: dict[str, Any] | None = None,
                 mapping: dict[str, str] | None = None) -> Any:
    form = aiohttp.FormData()
    form.add_field("file", data, filename=name)
    if options is not None:
        form.add_field("options", json.dumps(options))
    if mapping is not None:
        form.add_field("mapping", json.dumps(mapping))
    url = f"/api/v1/meetings/{meeting_id}/imports" + ("?preview=1" if preview else "")
    return await client.post(url, data=form, headers=client.people.auth("secretary"))


@pytest.mark.parametrize(("encoding", "rows", "expected", "code"), [
    ("kz1048", KAZAKH_ROWS, "kz1048", "enc_kazakh_letters"),
    ("cp1251", RUSSIAN_ROWS, "cp1251", "enc_cyrillic_no_kazakh"),
    ("cp866", RUSSIAN_ROWS, "cp866", "enc_scored"),
    ("utf-8-sig", KAZAKH_ROWS, "utf-8-sig", "enc_bom"),
    ("utf-16", KAZAKH_ROWS, "utf-16", "enc_bom"),
    ("utf-16-le", KAZAKH_ROWS, "utf-16-le", "enc_utf16_zeros"),
])
@SQLITE
async def test_csv_encodings_are_detected_with_a_reason(client, encoding, rows, expected, code):
    meeting = await create_meeting(client)
    resp = await upload(client, meeting["id"], "requests.csv", csv_bytes(rows, encoding))
    assert resp.status == 200, await resp.text()
    preview = await resp.json()
    assert preview["detected"]["encoding"]["value"] == expected and preview["detected"]["encoding"]["code"] == code
    assert preview["rows"][0]["values"]["author"] == rows[1][1] and preview["rows"][0]["values"]["text"] == rows[1][2]


@SQLITE
async def test_kz1048_read_as_cp1251_is_what_the_operator_can_see_and_undo(client):
    meeting = await create_meeting(client)
    data = csv_bytes(KAZAKH_ROWS, "kz1048")
    wrong = await (await upload(client, meeting["id"], "r.csv", data, options={"encoding": "cp1251"})).json()
    assert "жарыќ жоќ" in wrong["rows"][0]["values"]["text"]  # the bug, on request
    assert wrong["detected"]["encoding"]["code"] == "given"
    right = await (await upload(client, meeting["id"], "r.csv", data)).json()
    assert right["detected"]["encoding"]["params"]["letters"] and "жарық жоқ" in right["rows"][0]["values"]["text"]
    done = await upload(client, meeting["id"], "r.csv", data, preview=False)
    assert done.status == 201 and (await done.json())["imported"] == 2


@SQLITE
async def test_sep_line_from_excel_and_a_delimiter_correction(client):
    meeting = await create_meeting(client)
    preview = await (await upload(client, meeting["id"], "r.csv", csv_bytes(RUSSIAN_ROWS, "utf-8", ",", "sep=,\r\n"))).json()
    assert preview["detected"]["delimiter"] == {"value": ",", "code": "delim_sep_line", "params": {}, "alternatives": []}
    assert preview["rows"][0]["row"] == 3 and preview["rows"][0]["values"]["author"] == "Петров Пётр"
    forced = await (await upload(client, meeting["id"], "r.csv", csv_bytes(RUSSIAN_ROWS, "utf-8", "\t"), options={"delimiter": "tab"})).json()
    assert forced["detected"]["delimiter"]["code"] == "given" and forced["rows"][0]["values"]["text"] == "Нет света во дворе, ёлки!"


def registry_xlsx(path: Path) -> Path:
    """A registry of appeals as an akimat keeps it: merged title, blank row, two-row header, numbers, serial dates, a total."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Реестр обращений граждан к акиму района за ноябрь 2026 года"])
    ws.merge_cells("A1:E1")
    ws.append([])
    ws.append(["№", "Заявитель", None, "Текст обращения", "Дата поступления"])
    ws.merge_cells("B3:C3")
    ws.merge_cells("A3:A4")
    ws.merge_cells("D3:D4")
    ws.merge_cells("E3:E4")
    ws.append([None, "ФИО", "Телефон", None, None])
    ws.append([1, "Нурланова Айгерим", 87015556677, "Нет освещения на ул. Абая, ИИН 950101300125", 46357.4375])
    ws.append([2.0, "Иванов Иван", 8.7017654321e10, "Когда отремонтируют дорогу?", 46358])
    ws.append([3, "Сейткали Б.", "+7 702 111 22 33", "Прошу установить детскую площадку", "03.12.2026"])
    ws.append(["Итого: 3 обращения"])
    wb.save(path)
    return path


@SQLITE
async def test_xlsx_registry_with_title_two_row_header_numbers_serial_dates_and_a_total(client, tmp_path):
    meeting = await create_meeting(client)
    data = registry_xlsx(tmp_path / "реестр.xlsx").read_bytes()
    preview = await (await upload(client, meeting["id"], "реестр.xlsx", data)).json()
    d = preview["detected"]
    assert (d["header_row"]["value"], d["header_row"]["code"]) == (3, "header_matched")
    assert (d["header_rows"]["value"], d["header_rows"]["code"]) == (2, "header_two_rows")
    assert d["title_rows"]["value"] == [1] and d["footer_rows"]["value"] == [8]
    assert d["dates"]["code"] == "dates_excel_serial"
    assert preview["columns"] == ["№", "Заявитель / ФИО", "Заявитель / Телефон", "Текст обращения", "Дата поступления"]
    assert preview["mapping"] == {"author": "Заявитель / ФИО", "contact": "Заявитель / Телефон", "text": "Текст обращения",
                                  "created_at": "Дата поступления", "external_id": "№"}
    assert preview["total_rows"] == 3
    resp = await upload(client, meeting["id"], "реестр.xlsx", data, preview=False)
    assert resp.status == 201 and (await resp.json())["imported"] == 3
    page = await (await client.get(f"/api/v1/meetings/{meeting['id']}/comments", headers=client.people.auth("secretary"))).json()
    got = [(c["external_id"], c["author"], c.get("contact"), c["created_at"]) for c in page["items"]]
    assert got == [
        ("1", "Нурланова Айгерим", "87015556677", "2026-12-01T05:30:00+00:00"),
        ("2", "Иванов Иван", "87017654321", "2026-12-01T19:00:00+00:00"),
        ("3", "Сейткали Б.", "+7 702 111 22 33", "2026-12-02T19:00:00+00:00"),
    ]
    first = page["items"][0]
    assert "950101300125" not in first["text"] and first["personal_data"] == ["iin"]  # redacted for every role
    revealed = await client.post(f"/api/v1/meetings/{meeting['id']}/comments/{first['id']}/reveal", json={}, headers=client.people.auth("secretary"))
    assert "950101300125" in (await revealed.json())["text"]  # the IIN in the stored text is not a float
    # the operator may point at another header row; the preview follows
    other = await (await upload(client, meeting["id"], "реестр.xlsx", data, options={"header_row": 4, "header_rows": 1})).json()
    assert other["columns"][1:3] == ["ФИО", "Телефон"] and other["detected"]["header_row"]["code"] == "given"


@SQLITE
async def test_a_million_row_csv_is_refused_quickly_while_the_server_stays_responsive(client):
    meeting = await create_meeting(client)
    data = b"N;Text\n" + b"".join(b"%d;question %d\n" % (i, i) for i in range(1_000_000))

    async def health() -> int:
        await asyncio.sleep(0.05)
        return (await client.get("/healthz")).status

    resp, status = await asyncio.gather(upload(client, meeting["id"], "big.csv", data, preview=False), health())
    assert status == 200
    assert resp.status == 413 and "100,000 rows" in (await resp.json())["error"]["message"]


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return out.getvalue()


def _workbook_with(tmp_path: Path, member: str, replace: bytes) -> bytes:
    path = tmp_path / "base.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Текст", "ФИО"])
    wb.active.append(["вопрос", "автор"])
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members[member] = replace
    return _zip(members)


@SQLITE
async def test_hostile_and_broken_files_get_a_clear_4xx_and_leave_nothing_behind(client, tmp_path):
    meeting = await create_meeting(client)
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>')
    external = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>')
    shared = b"<sst>" + b"<si><t>" + b"a" * (70 << 20) + b"</t></si></sst>"
    cases = {
        "laughs.xlsx": (_workbook_with(tmp_path, "xl/worksheets/sheet1.xml", laughs), 422, "DTD"),
        "xxe.xlsx": (_workbook_with(tmp_path, "xl/worksheets/sheet1.xml", external), 422, "DTD"),
        "shared.xlsx": (_workbook_with(tmp_path, "xl/sharedStrings.xml", shared), 413, "shared strings"),
        "broken.xlsx": (b"PK\x03\x04 definitely not a workbook", 422, "XLSX"),
        "renamed.csv": (_zip({"readme.txt": b"hello"}), 422, "not an Excel workbook"),
        "sheet.csv": (_workbook_with(tmp_path, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row>"), 422, "XLSX"),
    }
    for name, (data, status, words) in cases.items():
        resp = await upload(client, meeting["id"], name, data)
        assert resp.status == status, (name, await resp.text())
        assert words in (await resp.json())["error"]["message"], name
    folder = client.app[SERVICES].settings.data_dir / "uploads"
    form = aiohttp.FormData()
    form.add_field("file", b"a;b\n", filename="one.csv")
    form.add_field("file", b"a;b\n", filename="two.csv")
    resp = await client.post(f"/api/v1/meetings/{meeting['id']}/imports", data=form, headers=client.people.auth("secretary"))
    assert resp.status == 422
    resp = await upload(client, meeting["id"], "r.csv", b"a;b\n", mapping=None, options={"evil": 1})
    assert resp.status == 422
    assert list(folder.iterdir()) == []  # nothing left behind


async def test_limits_hold_for_workbooks_too(tmp_path):
    path = tmp_path / "many.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["Текст"])
    for i in range(300):
        ws.append([f"вопрос {i}"])
    wb.save(path)
    with pytest.raises(TooLargeError, match="more than 100 rows"):
        await import_file(path, limits=Limits(rows=100))
    with pytest.raises(TooLargeError, match="filled cells"):
        await import_file(path, limits=Limits(cells=50))
