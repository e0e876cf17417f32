"""Pooled requests from CSV/XLSX: encodings, delimiters, mapping, preview, errors, and the file source."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from tests.fakes.sink import RecordingSink
from tyndau.live.sources.common import MemoryCheckpoint
from tyndau.live.sources.encodings import detect_encoding
from tyndau.live.sources.files import (
    FileImportError,
    FileSource,
    MissingColumnsError,
    guess_mapping,
    import_file,
    parse_when,
    preview,
    resolve_mapping,
)
from tyndau.live.sources.tables import UnsupportedFileError, sniff_delimiter

CHAT = Path("/work/shared/data/chat/chatreplay_49msgs.live_chat.json")
MAPPING = {
    "text": "Текст обращения",
    "author": "ФИО",
    "created_at": "Дата",
    "external_id": "Номер",
    "contact": "Телефон",
}
ROWS = [
    ["Номер", "ФИО", "Текст обращения", "Дата", "Телефон"],
    [
        "101",
        "Иванов Иван",
        "Прошу отремонтировать дорогу на ул. Абая, ямы; лужи",
        "01.11.2026 09:30",
        "+7 701 123 45 67",
    ],
    ["102", "Петрова Анна", 'Когда включат отопление в доме 5? "Срочно"', "02.11.2026", "87017654321"],
    ["103", "", "Анонимный вопрос про освещение", "", ""],
]


def write_csv(path: Path, rows: list[list[str]], delimiter: str, encoding: str) -> Path:
    def quote(cell: str) -> str:
        if any(ch in cell for ch in (delimiter, '"', "\n")):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    text = "\r\n".join(delimiter.join(quote(c) for c in row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("encoding", "delimiter", "expected"),
    [
        ("utf-8", ",", "utf-8"),
        ("utf-8-sig", ";", "utf-8-sig"),
        ("cp1251", ";", "cp1251"),
        ("utf-16", "\t", "utf-16"),
    ],
)
async def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str, expected: str):
    path = write_csv(tmp_path / "requests.csv", ROWS, delimiter, encoding)
    result = await import_file(path, MAPPING)
    assert result.encoding == expected and result.delimiter == delimiter
    assert [c.external_id for c in result.comments] == ["101", "102", "103"]
    first = result.comments[0]
    assert first.kind == "request" and first.source == "file"
    assert first.text == "Прошу отремонтировать дорогу на ул. Абая, ямы; лужи"
    assert first.author == "Иванов Иван"
    assert first.created_at == datetime(2026, 11, 1, 4, 30, tzinfo=UTC)  # 09:30 Almaty
    assert first.extra["contact"] == "+7 701 123 45 67"
    assert result.comments[1].text == 'Когда включат отопление в доме 5? "Срочно"'
    anonymous = result.comments[2]
    assert (
        anonymous.author == "" and "contact" not in anonymous.extra and anonymous.extra["created_at_missing"]
    )


async def test_kazakh_headers_are_guessed_and_kz1048_detected(tmp_path: Path):
    rows = [
        ["Тіркеу нөмірі", "Аты-жөні", "Өтініш мәтіні", "Күні", "Телефон нөмірі"],
        ["KZ-1", "Әлия Қасымова", "Көшеде жарық жоқ, шамдарды жөндеңіздер", "03.11.2026", "+77015550000"],
        ["KZ-2", "Ұлан Серіков", "Аулада балалар алаңы қажет", "04.11.2026", ""],
    ]
    path = write_csv(tmp_path / "otinish.csv", rows, ";", "kz1048")
    result = await import_file(path)
    assert result.encoding == "kz1048"
    assert result.mapping == {"external_id": "Тіркеу нөмірі", "author": "Аты-жөні", "text": "Өтініш мәтіні",
                              "created_at": "Күні", "contact": "Телефон нөмірі"}
    assert result.comments[0].text == "Көшеде жарық жоқ, шамдарды жөндеңіздер"
    assert result.comments[0].extra["contact"] == "+77015550000"


def test_guesses_for_common_headers():
    assert guess_mapping(["ID", "Name", "Question", "Date", "Email", "Language"]) == {
        "external_id": "ID", "author": "Name", "text": "Question", "created_at": "Date",
        "contact": "Email", "lang": "Language"}
    guessed = guess_mapping(
        ["Номер обращения", "Тема обращения", "Текст обращения", "Контекст", "Номер телефона"]
    )
    assert guessed["text"] == "Текст обращения" and guessed["contact"] == "Номер телефона"
    assert guessed["external_id"] == "Номер обращения" and "Контекст" not in guessed.values()
    assert guess_mapping(["Адрес", "Район"]) == {}


def test_missing_columns_are_named():
    columns = ["Номер", "ФИО", "Обращ.", "Дата"]
    with pytest.raises(MissingColumnsError) as err:
        resolve_mapping(columns, {"text": "Текст обращения", "contact": "Телефон"})
    message = str(err.value)
    assert '"Текст обращения" (for text)' in message and '"Телефон" (for contact)' in message
    assert "Номер, ФИО, Обращ., Дата" in message
    assert err.value.missing == {"text": "Текст обращения", "contact": "Телефон"}
    with pytest.raises(MissingColumnsError, match="a column for text"):
        resolve_mapping(["Адрес", "Район"], None)
    with pytest.raises(FileImportError, match="unknown field"):
        resolve_mapping(columns, {"txt": "ФИО"})
    # headers match ignoring case and spacing
    assert (
        resolve_mapping(["  текст   ОБРАЩЕНИЯ "], {"text": "Текст обращения"})["text"]
        == "  текст   ОБРАЩЕНИЯ "
    )


async def test_preview_shows_rows_and_problems(tmp_path: Path):
    rows = ROWS + [
        ["104", "Хулиган", "", "05.11.2026", ""],
        ["105", "Сидоров", "<script>alert('xss')</script>", "31.02.2026", "x"],
    ]
    path = write_csv(tmp_path / "p.csv", rows, ";", "utf-8")
    shown = await preview(path, MAPPING, rows=10)
    assert shown.kind == "csv" and shown.total_rows == 5 and len(shown.rows) == 5
    assert shown.columns == ROWS[0] and shown.mapping["text"] == "Текст обращения"
    empty, hostile = shown.rows[3], shown.rows[4]
    assert empty.comment is None and empty.problems == ["empty text: row skipped"] and empty.row == 5
    assert hostile.comment.text == "<script>alert('xss')</script>"
    assert 'unreadable date "31.02.2026"' in hostile.problems[0]
    assert (await preview(path, MAPPING, rows=2)).rows[1].values["author"] == "Петрова Анна"
    # a wrong mapping is a problem in the preview (raw rows still shown) but an error on import
    wrong = await preview(path, {"text": "Вопрос"})
    assert (
        wrong.mapping == {} and "Вопрос" in wrong.problems[0] and wrong.rows[0].values["ФИО"] == "Иванов Иван"
    )
    with pytest.raises(MissingColumnsError):
        await import_file(path, {"text": "Вопрос"})
    result = await import_file(path, MAPPING)
    assert result.skipped == 1 and len(result.comments) == 4
    assert any(p.startswith("row 6: unreadable date") for p in result.problems)


async def test_xlsx_with_dates_numbers_and_long_text(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Обращения"
    ws.append([None])  # a blank first row before the header
    ws.append(["№", "Заявитель", "Суть обращения", "Дата поступления", "Контактный телефон"])
    long_text = "Очень длинное обращение. " * 1300  # Excel holds at most 32,767 characters a cell
    ws.append([1.0, "Нурлан", long_text, datetime(2026, 11, 5, 14, 0), 77012223344])
    ws.append([2, "Гүлнар", "Қоқыс шығарылмайды", 46000, None])  # a date typed as an Excel serial number
    path = tmp_path / "table.xlsx"
    wb.save(path)
    result = await import_file(path)
    assert result.encoding is None and result.mapping["text"] == "Суть обращения"
    first, second = result.comments
    assert first.external_id == "1" and first.text == long_text.strip() and len(first.text) > 32_000
    assert first.created_at == datetime(2026, 11, 5, 9, 0, tzinfo=UTC)
    assert first.extra["contact"] == "77012223344" and first.extra["row"] == 3
    assert second.created_at == datetime(2025, 12, 8, 19, 0, tzinfo=UTC)  # 2025-12-09 00:00 Almaty
    shown = await preview(path)
    assert shown.kind == "xlsx" and shown.total_rows == 2


async def test_rows_without_number_get_stable_ids(tmp_path: Path):
    rows = [["Вопрос", "Имя"], ["Где автобус 12?", "Бахыт"], ["Где автобус 12?", "Бахыт"], ["Другое", "Бахыт"],
            ["Очень длинно, " * 20_000, "Графоман"]]
    path = write_csv(tmp_path / "q.csv", rows, ",", "utf-8")
    once = await import_file(path)
    assert len(once.comments[3].text) == len(("Очень длинно, " * 20_000).strip())  # over-long: kept whole
    twice = await import_file(path)
    assert [c.external_id for c in once.comments] == [c.external_id for c in twice.comments]
    assert once.comments[0].external_id == once.comments[1].external_id  # identical rows are one request
    assert (
        once.comments[0].external_id.startswith("row:")
        and once.comments[2].external_id != once.comments[0].external_id
    )


async def test_bad_files(tmp_path: Path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 definitely not a workbook")
    with pytest.raises(FileImportError, match="XLSX"):
        await import_file(broken)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UnsupportedFileError, match=".xlsx or .csv"):
        await import_file(old)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\n\n")
    with pytest.raises(FileImportError, match="empty"):
        await import_file(empty)
    invalid = tmp_path / "invalid.csv"
    invalid.write_bytes("Текст,Имя\nПривет \xff мир,Ан\n".encode().replace(b"\xc3\xbf", b"\xff"))
    result = await import_file(invalid)
    assert result.comments[0].text == "Привет \ufffd мир" and "invalid UTF-8" in result.problems[0]


def test_decode_and_sniff_helpers():
    assert detect_encoding("a;б\n".encode("cp1251")).value == "cp1251"
    assert detect_encoding(b"plain ascii").value == "utf-8"
    assert sniff_delimiter('a,"b;c",d\n1,"2;3",4\n')[0] == ","
    assert sniff_delimiter("a\tb\n1\t2\n")[0] == "\t"
    assert parse_when("2026-11-21T10:00:00+05:00") == datetime(2026, 11, 21, 5, tzinfo=UTC)
    assert parse_when("garbage") is None and parse_when(None) is None and parse_when(True) is None


async def test_live_chat_files_go_through_the_youtube_parser(tmp_path: Path):
    result = await import_file(CHAT)
    assert len(result.comments) == 49 and result.comments[0].source == "youtube"
    shown = await preview(CHAT, rows=3)
    assert shown.kind == "live_chat" and shown.total_rows == 49 and len(shown.rows) == 3


async def test_file_source_delivers_in_batches_and_resumes(tmp_path: Path):
    rows = [["Номер", "Текст"]] + [[str(i), f"вопрос {i}"] for i in range(10)]
    path = write_csv(tmp_path / "many.csv", rows, ";", "utf-8")
    checkpoint = MemoryCheckpoint({"sha256": "other file", "delivered": 7})
    sink = RecordingSink(fail_times=0)
    src = FileSource(path, checkpoint=checkpoint, batch_size=4)
    await src.run(sink)
    assert [len(b) for b in sink.batches] == [4, 4, 2] and src.health().state == "finished"
    assert checkpoint.state["delivered"] == 10
    again = RecordingSink()
    await FileSource(path, checkpoint=checkpoint).run(again)
    assert again.comments == []  # already delivered: nothing to redo
    missing = FileSource(path, {"text": "Нет такого"})
    with pytest.raises(MissingColumnsError):
        await missing.run(RecordingSink())
    assert missing.health().state == "down" and "Нет такого" in missing.health().detail
