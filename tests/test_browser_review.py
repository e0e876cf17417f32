"""The secretaries' review workspace in a real headless Chromium: edit and assign, merge, split, undo,
keyboard triage, the 10-day package downloaded and read back, a refused final export, and two
secretaries editing the same problem without losing each other's work."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import sqlalchemy as sa

from tests.browser import browser, login, needs_chromium
from tests.conftest import MEETING
from tyndau.domain.drafts import Draft
from tyndau.operator_ui.keys import SERVICES
from tyndau.store.people import add_user
from tyndau.store.problems import sync_drafts
from tyndau.store.schema import comments

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.parametrize("settings", ["sqlite"], indirect=True)]
expect = pytest.importorskip("playwright.async_api").expect

ROADS = "Отдел жилищно-коммунального хозяйства, пассажирского транспорта и автомобильных дорог (сектор дорог и транспорта)"
UTIL = "Отдел жилищно-коммунального хозяйства, пассажирского транспорта и автомобильных дорог (сектор ЖКХ)"
TEXTS = [
    ("youtube", "Яма на ул. Абая 12, невозможно проехать"), ("telegram", "Абай көшесінде шұңқыр көп"),
    ("youtube", "ул Абая дорога разбита, позвоните +7 701 123 45 67"), ("youtube", "В Иргели нет воды неделю"),
    ("instagram", "Иргелиде су жоқ"), ("facebook", "На Садовой в Иргели вода только ночью"), ("youtube", "Садовая көшесінде су жоқ"),
    ("youtube", "Всем привет!"), ("telegram", "Во дворе нет детской площадки"), ("youtube", "Интернет в селе очень медленный"),
]
TRIAGE = {8: ("improvement_ecology", 0.46, "social_infrastructure", 0.31), 9: ("connectivity", 0.52, "public_services", 0.2),
          7: ("other", 0.35, "culture_sport", 0.2)}


async def _seed(server: Any) -> tuple[int, list[int]]:
    """A meeting with comments and the machine's drafts: roads (3), water (2), water on Sadovaya (2); three to triage."""
    async with aiohttp.ClientSession() as http:
        resp = await http.post(f"{server.url}/api/v1/meetings", json=MEETING, headers=server.people.auth("moderator"))
        assert resp.status == 201, await resp.text()
        meeting_id = int((await resp.json())["id"])
        ids = []
        for n, (source, text) in enumerate(TEXTS):
            resp = await http.post(f"{server.url}/api/v1/meetings/{meeting_id}/comments", headers=server.people.auth("moderator"), json={
                "source": source, "external_id": f"c{n}", "author": f"Житель {n}", "text": text, "created_at": f"2026-12-01T10:{n:02d}:00+05:00"})
            assert resp.status in (200, 201), await resp.text()
            ids.append(int((await resp.json())["id"]))
    drafts = [
        Draft(1, "Ямы на улице Абая", "Абай көшесіндегі шұңқырлар", "roads_transport", "ул. Абая", ROADS, (ids[0], ids[1], ids[2]),
              place_kk="Абай көшесі"),
        Draft(2, "Нет воды в Иргели", "Іргеліде су жоқ", "utilities", "с. Иргели", "", (ids[3], ids[4])),  # no Kazakh place (an old row)
        Draft(3, "Нет воды на ул. Садовой", "Садовая көшесінде су жоқ", "utilities", "ул. Садовая", "", (ids[5], ids[6]),
              place_kk="Садовая көшесі"),
    ]
    async with server.app[SERVICES].engine.begin() as conn:
        await sync_drafts(conn, meeting_id, drafts, [ids[7]])
        for index, (guess, conf, runner, runner_conf) in TRIAGE.items():
            await conn.execute(comments.update().where(comments.c.id == ids[index]).values(needs_review=True, labels={
                "category": guess, "category_confidence": conf, "runner_up": runner, "runner_up_confidence": runner_conf,
                "is_problem": True, "problem_confidence": 0.6}))
    return meeting_id, ids


async def _get(server: Any, path: str, role: str = "secretary") -> Any:
    async with aiohttp.ClientSession() as http:
        resp = await http.get(f"{server.url}{path}", headers=server.people.auth(role))
        assert resp.status == 200, await resp.text()
        return await resp.json()


async def _problems(server: Any, meeting_id: int) -> dict[str, dict]:
    return {p["title_ru"]: p for p in (await _get(server, f"/api/v1/meetings/{meeting_id}/problems"))["items"]}


async def _open(chromium: Any, server: Any, meeting_id: int, user: str = "secretary") -> tuple[Any, Any, list[str]]:
    ctx = await chromium.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True, locale="ru-RU")
    page = await ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # No bypass_csp: the page runs under the server's strict CSP; a violation is logged, and fails the test.
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    await login(page, server.url, user, server.people.password, f"/review?meeting={meeting_id}")
    await page.locator("#connection[data-state='connected']").wait_for(timeout=10_000)
    await page.locator("#problem-list .problem").first.wait_for(timeout=10_000)
    return ctx, page, errors


def row(page: Any, problem_id: int) -> Any:
    return page.locator(f"#problem-list .problem[data-id='{problem_id}']")


async def _open_problem(page: Any, problem_id: int) -> None:
    await row(page, problem_id).locator(".problem-open").click()
    await page.locator("#detail-body:not([hidden]) #problem-form").wait_for(timeout=10_000)
    await page.locator(f"#detail[data-problem-id='{problem_id}']").wait_for(timeout=10_000)


async def _save(page: Any) -> None:
    await page.click("#btn-save")
    await page.locator("#save-state[data-state='saved']").wait_for(timeout=10_000)


def _docx_text(path: str) -> str:
    import docx

    document = docx.Document(path)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


async def test_secretary_reviews_edits_merges_splits_triages_and_exports(live_server):
    pytest.importorskip("docx")
    openpyxl = pytest.importorskip("openpyxl")
    meeting_id, ids = await _seed(live_server)
    before = await _problems(live_server, meeting_id)
    roads, water, sadovaya = before["Ямы на улице Абая"], before["Нет воды в Иргели"], before["Нет воды на ул. Садовой"]
    async with browser() as chromium:
        ctx, page, errors = await _open(chromium, live_server, meeting_id)
        assert await page.locator("#problem-list .problem").count() == 3
        assert await row(page, roads["id"]).locator(".rank").text_content() == "1"
        assert "3" in await row(page, roads["id"]).locator(".mentions-total").text_content()

        # Edit the wording of the roads problem (Russian and Kazakh).
        await _open_problem(page, roads["id"])
        assert await page.locator("#comment-list .comment").count() == 3
        await page.fill("#pf-title_ru", "Ремонт дороги по ул. Абая")
        await page.fill("#pf-title_kk", "Абай көшесіндегі жолды жөндеу")
        await _save(page)

        # Assign an executor (the suggested department comes first) and a deadline; a bad deadline is refused visibly.
        await _open_problem(page, water["id"])
        suggested = page.locator("#pf-executor optgroup").first.locator("option").first
        assert await suggested.get_attribute("value") == UTIL
        await page.select_option("#pf-executor", UTIL)
        await page.fill("#pf-deadline", "2026-01-05")
        await page.fill("#pf-funding_need", "-5")
        await page.click("#btn-save")
        await page.locator("#err-deadline:not(:empty)").wait_for(timeout=10_000)
        assert "раньше встречи" in await page.locator("#err-deadline").text_content()
        assert await page.locator("#err-funding_need").text_content() != ""
        await page.fill("#pf-deadline", "2027-03-31")
        await page.fill("#pf-funding_need", "120 000 000")
        await _save(page)
        assert await page.locator("#err-deadline").text_content() == ""
        after = await _problems(live_server, meeting_id)
        assert after["Ремонт дороги по ул. Абая"]["title_kk"] == "Абай көшесіндегі жолды жөндеу"
        assert after["Нет воды в Иргели"]["executor"] == UTIL and after["Нет воды в Иргели"]["deadline"] == "2027-03-31"
        assert after["Нет воды в Иргели"]["funding_need"] == 120_000_000
        await row(page, water["id"]).locator(".problem-deadline", has_text="31.03.2027").wait_for(timeout=10_000)

        # Merge the Sadovaya problem into the Irgeli one.
        await row(page, water["id"]).locator("input.pick").check()
        await row(page, sadovaya["id"]).locator("input.pick").check()
        await page.locator("#bulk-bar:not([hidden])").wait_for()
        await page.select_option("#merge-target", str(water["id"]))
        await page.click("#btn-merge")
        await row(page, sadovaya["id"]).wait_for(state="detached", timeout=10_000)
        await row(page, water["id"]).locator(".badge-merged").wait_for(timeout=10_000)
        merged = await _problems(live_server, meeting_id)
        assert len(merged) == 2 and merged["Нет воды в Иргели"]["mentions"] == 4

        # Split the Kazakh comment off the roads problem into its own problem.
        await _open_problem(page, roads["id"])
        await page.locator(f"#comment-list .comment[data-id='{ids[1]}'] input.pick-comment").check()
        await page.fill("#split-title", "Шұңқырлар: қазақша өтініштер")
        await page.click("#btn-split")
        await expect(page.locator("#problem-list .problem")).to_have_count(3, timeout=10_000)
        split = await _problems(live_server, meeting_id)
        assert split["Шұңқырлар: қазақша өтініштер"]["mentions"] == 1 and split["Шұңқырлар: қазақша өтініштер"]["origin"] == "human"
        assert split["Ремонт дороги по ул. Абая"]["mentions"] == 2
        await expect(page.locator("#comment-list .comment")).to_have_count(2, timeout=10_000)

        # Undo (Ctrl+Z outside inputs) puts the comment back.
        await page.locator("#scope-title").click()
        await page.keyboard.press("Control+z")
        await expect(page.locator("#problem-list .problem")).to_have_count(2, timeout=10_000)
        undone = await _problems(live_server, meeting_id)
        assert set(undone) == {"Ремонт дороги по ул. Абая", "Нет воды в Иргели"} and undone["Ремонт дороги по ул. Абая"]["mentions"] == 3
        await expect(page.locator("#comment-list .comment")).to_have_count(3, timeout=10_000)

        # Keyboard triage: 2 = the second category, N = not a problem, S = skip, U = undo, Enter = the guess.
        await page.click("#tab-triage")
        await page.locator("#triage-card:not([hidden])").wait_for(timeout=10_000)
        await expect(page.locator("#triage-pending")).to_have_text("3", timeout=10_000)
        assert await page.locator("#triage-card").get_attribute("data-id") == str(ids[7])
        assert "Всем привет" in await page.locator("#triage-text").text_content()
        await page.locator("#panel-triage[data-busy='false']").wait_for(timeout=10_000)
        await page.keyboard.press("2")
        await expect(page.locator("#triage-reviewed")).to_have_text("1", timeout=10_000)
        await expect(page.locator("#triage-card")).to_have_attribute("data-id", str(ids[8]))
        assert "Благоустройство" in await page.locator("#triage-suggest").text_content()
        await page.locator("#panel-triage[data-busy='false']").wait_for(timeout=10_000)
        await page.keyboard.press("n")
        await expect(page.locator("#triage-card")).to_have_attribute("data-id", str(ids[9]), timeout=10_000)
        await page.locator("#panel-triage[data-busy='false']").wait_for(timeout=10_000)
        await page.keyboard.press("s")
        await page.locator("#triage-empty:not([hidden])").wait_for(timeout=10_000)
        await page.locator("#panel-triage[data-busy='false']").wait_for(timeout=10_000)
        await page.keyboard.press("u")
        await page.locator(f"#triage-card:not([hidden])[data-id='{ids[8]}']").wait_for(timeout=10_000)
        await expect(page.locator("#triage-pending")).to_have_text("2", timeout=10_000)
        # The system's guess is highlighted: Enter accepts it.
        await page.locator("#triage-cats [aria-checked='true'][data-category='improvement_ecology']").wait_for(timeout=10_000)
        await page.locator("#panel-triage[data-busy='false']").wait_for(timeout=10_000)
        await page.keyboard.press("Enter")
        await expect(page.locator("#triage-reviewed")).to_have_text("2", timeout=10_000)
        queue = await _get(live_server, f"/api/v1/meetings/{meeting_id}/review-queue")
        assert [c["id"] for c in queue["items"]] == [ids[9]] and queue["pending"] == 1 and queue["reviewed"] == 2
        async with live_server.app[SERVICES].engine.connect() as conn:
            cats = dict((await conn.execute(sa.select(comments.c.id, comments.c.category).where(comments.c.id.in_([ids[7], ids[8]])))).all())
        assert cats == {ids[7]: "roads_transport", ids[8]: "improvement_ecology"}

        # Export the draft package in Russian: DOCX and XLSX downloaded and read back.
        await page.click("#tab-export")
        async with page.expect_download() as info:
            await page.click("[data-format='docx']")
        download = await info.value
        assert download.suggested_filename.endswith("-ru-draft.docx")
        text = _docx_text(await download.path())
        assert "Ремонт дороги по ул. Абая" in text and "Нет воды в Иргели" in text and "31.03.2027" in text
        assert "+7 701" not in text
        async with page.expect_download() as info:
            await page.click("[data-format='xlsx']")
        download = await info.value
        assert download.suggested_filename.endswith("-ru-draft.xlsx")
        book = openpyxl.load_workbook(io.BytesIO(Path(await download.path()).read_bytes()))
        plans = [ws for ws in book.worksheets if "Срок исполнения" in [c.value for c in ws[1]]]
        assert plans, [ws.title for ws in book.worksheets]
        header = [c.value for c in plans[0][1]]
        rows = {r[1].value: r for r in plans[0].iter_rows(min_row=2) if r[1].value}
        deadline = rows["Нет воды в Иргели"][header.index("Срок исполнения")]
        assert deadline.value.date() == dt.date(2027, 3, 31) and deadline.number_format.upper() == "DD.MM.YYYY"
        assert rows["Нет воды в Иргели"][header.index("Ответственный исполнитель")].value == UTIL
        assert "Ремонт дороги по ул. Абая" in rows
        await page.locator("#export-result:not(:empty)").wait_for()

        # A final package holds accepted problems only: accept the roads problem (from the list, in bulk),
        # and the final export is refused while it has no deadline; the list links to it.
        await page.click("#tab-problems")
        await row(page, roads["id"]).locator("input.pick").check()
        await page.click("#btn-accept-selected")
        await row(page, roads["id"]).locator(".badge-accepted").wait_for(timeout=10_000)
        await page.click("#tab-export")
        await page.check("input[name='export-mode'][value='final']")
        await page.click("[data-format='docx']")
        await page.locator("#export-blocked:not([hidden])").wait_for(timeout=10_000)
        blocked = page.locator("#blocked-list li")
        assert await blocked.count() == 1
        assert "Ремонт дороги по ул. Абая" in await blocked.first.text_content()
        assert "не указано: срок исполнения" in await blocked.first.text_content()
        await blocked.first.locator("a").click()
        await page.locator("#panel-problems:not([hidden])").wait_for()
        await page.locator(f"#detail[data-problem-id='{roads['id']}']").wait_for(timeout=10_000)
        assert await page.locator("#pf-title_ru").input_value() == "Ремонт дороги по ул. Абая"
        assert errors == []
        await ctx.close()


async def test_two_secretaries_edit_the_same_problem_and_neither_loses_work(live_server):
    meeting_id, _ = await _seed(live_server)
    await add_user(live_server.app[SERVICES].engine, "secretary2", "secretary", live_server.people.password)
    water = (await _problems(live_server, meeting_id))["Нет воды в Иргели"]
    async with browser() as chromium:
        ctx_a, a, errors_a = await _open(chromium, live_server, meeting_id)
        ctx_b, b, errors_b = await _open(chromium, live_server, meeting_id, user="secretary2")
        await _open_problem(a, water["id"])
        await _open_problem(b, water["id"])
        # B starts typing a deadline; meanwhile A renames the problem and saves.
        await b.fill("#pf-deadline", "2027-06-30")
        await b.locator("#save-state[data-state='dirty']").wait_for()
        await a.fill("#pf-title_ru", "Строительство водопровода в Иргели")
        await _save(a)
        # B hears about it live, and the list shows A's wording at once.
        await b.locator("#live-note:not([hidden])").wait_for(timeout=10_000)
        await row(b, water["id"]).locator(".problem-title", has_text="Строительство водопровода в Иргели").wait_for(timeout=10_000)
        # B saves: refused as stale, B sees A's change, B's own change is still in the form.
        await b.click("#btn-save")
        conflict = b.locator("#conflict:not([hidden])")
        await conflict.wait_for(timeout=10_000)
        assert "Строительство водопровода в Иргели" in await conflict.text_content()
        assert "Нет воды в Иргели" in await conflict.text_content()
        assert await b.locator("#pf-title_ru").input_value() == "Строительство водопровода в Иргели"
        assert await b.locator("#pf-deadline").input_value() == "2027-06-30"
        await b.click("#btn-reapply")
        await b.locator("#save-state[data-state='saved']").wait_for(timeout=10_000)
        await b.locator("#conflict").wait_for(state="hidden")
        problem = (await _get(live_server, f"/api/v1/meetings/{meeting_id}/problems/{water['id']}"))["problem"]
        assert problem["title_ru"] == "Строительство водопровода в Иргели" and problem["deadline"] == "2027-06-30"
        # A (nothing unsaved) gets B's deadline into the open form live.
        await expect(a.locator("#pf-deadline")).to_have_value("2027-06-30", timeout=10_000)
        assert errors_a == [] and errors_b == []

        # A viewer reads the same list but gets no edit controls.
        ctx_v, v, errors_v = await _open(chromium, live_server, meeting_id, user="viewer")
        await v.locator("#read-only:not([hidden])").wait_for()
        assert await v.locator("#problem-list input.pick:visible").count() == 0
        await _open_problem(v, water["id"])
        assert await v.locator("#pf-title_ru").is_disabled()
        assert await v.locator("#btn-save").is_hidden() and await v.locator("#tab-triage").is_hidden()
        assert errors_v == []
        for ctx in (ctx_a, ctx_b, ctx_v):
            await ctx.close()


async def test_in_kazakh_the_list_shows_the_kazakh_place_and_the_form_edits_it(live_server):
    """The list's second line spells the place as the UI language does, falling back to the other spelling;
    the form has both places side by side, and the Kazakh one is searched too."""
    meeting_id, _ = await _seed(live_server)
    before = await _problems(live_server, meeting_id)
    roads, water = before["Ямы на улице Абая"], before["Нет воды в Иргели"]
    async with browser() as chromium:
        ctx, page, errors = await _open(chromium, live_server, meeting_id)
        assert await row(page, roads["id"]).locator(".problem-meta").text_content() == "Дороги и транспорт · ул. Абая"
        await page.locator("#lang-switch [data-lang='kk']").click()
        await expect(row(page, roads["id"]).locator(".problem-meta")).to_have_text("Жолдар және көлік · Абай көшесі", timeout=5_000)
        assert (await row(page, water["id"]).locator(".problem-meta").text_content()).endswith(" · с. Иргели")

        await _open_problem(page, water["id"])
        await expect(page.locator("label[for='pf-place_kk']")).to_have_text("Орны (қазақша)")
        assert await page.locator("#pf-place").input_value() == "с. Иргели" and await page.locator("#pf-place_kk").input_value() == ""
        await page.fill("#pf-place_kk", "Іргелі ауылы")
        await _save(page)
        await expect(row(page, water["id"]).locator(".problem-meta")).to_have_text("ТКШ және коммуналдық инфрақұрылым · Іргелі ауылы", timeout=10_000)
        stored = (await _problems(live_server, meeting_id))["Нет воды в Иргели"]
        assert (stored["place"], stored["place_kk"]) == ("с. Иргели", "Іргелі ауылы") and "place_kk" in stored["human_fields"]

        await page.fill("#f-search", "ауылы")
        await expect(page.locator("#problem-list .problem")).to_have_count(1, timeout=5_000)
        assert await page.locator("#problem-list .problem").get_attribute("data-id") == str(water["id"])
        assert errors == []
        await ctx.close()


async def test_the_top_bar_follows_a_switch_to_kazakh(live_server):
    """The language switch relabels the whole top bar, the connection pill included (it kept its Russian)."""
    meeting_id, _ = await _seed(live_server)
    async with browser() as chromium:
        ctx, page, errors = await _open(chromium, live_server, meeting_id)
        await expect(page.locator("#connection-text")).to_have_text("На связи")
        await page.locator("#lang-switch [data-lang='kk']").click()
        await expect(page.locator("#connection-text")).to_have_text("Байланыс бар", timeout=5_000)
        await expect(page.locator("#user-role")).to_have_text("хатшы")
        await page.locator("#lang-switch [data-lang='ru']").click()
        await expect(page.locator("#connection-text")).to_have_text("На связи", timeout=5_000)
        assert errors == []
        await ctx.close()


async def test_a_placeless_draft_is_offered_the_problems_of_its_issue_and_merged_in_one_click(live_server):
    """"воды нет до весны" names no place: the pane offers the meeting's water problems; a click merges it
    into the one more people named, and that problem then shows the other water problem of its village."""
    meeting_id, ids = await _seed(live_server)
    async with aiohttp.ClientSession() as http:
        resp = await http.post(f"{live_server.url}/api/v1/meetings/{meeting_id}/comments", headers=live_server.people.auth("moderator"), json={
            "source": "youtube", "external_id": "late", "author": "Житель 99", "text": "нормальная? воды нет до весны",
            "created_at": "2026-12-01T11:00:00+05:00"})
        late = int((await resp.json())["id"])
    water = {"subtopic": "no_water", "is_problem": True}
    irgeli = [{"kind": "settlement", "name": "Иргели", "key": "settlement:иргели"}]
    async with live_server.app[SERVICES].engine.begin() as conn:
        for index in (3, 4):
            await conn.execute(comments.update().where(comments.c.id == ids[index]).values(labels={**water, "places": irgeli}))
        sadovaya = [{"kind": "street", "name": "ул. Садовая", "key": "street:садовая"}, *irgeli]
        for index in (5, 6):
            await conn.execute(comments.update().where(comments.c.id == ids[index]).values(labels={**water, "places": sadovaya}))
        await conn.execute(comments.update().where(comments.c.id == late).values(labels={**water, "places": []}))
        await conn.execute(comments.update().where(comments.c.id.in_(ids[:3])).values(
            labels={"subtopic": "potholes", "is_problem": True, "places": irgeli}))
        await sync_drafts(conn, meeting_id, [
            Draft(1, "Ямы на улице Абая", "Абай көшесіндегі шұңқырлар", "roads_transport", "ул. Абая", ROADS, (ids[0], ids[1], ids[2]),
                  place_kk="Абай көшесі"),
            Draft(2, "Нет воды в Иргели", "Іргеліде су жоқ", "utilities", "с. Иргели", "", (ids[3], ids[4])),
            Draft(3, "Нет воды на ул. Садовой", "Садовая көшесінде су жоқ", "utilities", "ул. Садовая", "", (ids[5], ids[6]),
                  place_kk="Садовая көшесі"),
            Draft(4, "Нет водоснабжения", "Су жоқ", "utilities", "", "", (late,)),
        ], [ids[7]])
    before = await _problems(live_server, meeting_id)
    alone, irgeli_water, sadovaya_water = before["Нет водоснабжения"], before["Нет воды в Иргели"], before["Нет воды на ул. Садовой"]
    async with browser() as chromium:
        ctx, page, errors = await _open(chromium, live_server, meeting_id)
        await _open_problem(page, before["Ямы на улице Абая"]["id"])
        await expect(page.locator("#similar")).to_be_hidden()  # same village, another issue
        await _open_problem(page, alone["id"])
        offered = page.locator("#similar-list li")
        await expect(offered).to_have_count(2, timeout=5_000)
        assert [await li.get_attribute("data-problem-id") for li in await offered.all()] == [str(irgeli_water["id"]), str(sadovaya_water["id"])]
        await expect(offered.first).to_contain_text("Нет воды в Иргели · упоминаний: 2")
        await offered.first.locator("[data-merge-with]").click()
        await page.locator(f"#detail[data-problem-id='{irgeli_water['id']}']").wait_for(timeout=10_000)
        await expect(page.locator("#comments-heading")).to_contain_text("3", timeout=5_000)
        await expect(row(page, alone["id"])).to_have_count(0, timeout=5_000)
        # the merged problem's own offer: the other water problem of its village, marked as the same place
        await expect(page.locator("#similar-list li")).to_have_count(1, timeout=5_000)
        await expect(page.locator("#similar-list li .badge")).to_have_text("то же место")
        await page.locator("#lang-switch [data-lang='kk']").click()
        await expect(page.locator("#similar-heading")).to_have_text("Кездесудегі осы мәселе", timeout=5_000)
        await expect(page.locator("#similar-list li .badge")).to_have_text("орны бір")
        assert errors == []
        await ctx.close()
    after = await _problems(live_server, meeting_id)
    assert "Нет водоснабжения" not in after and after["Нет воды в Иргели"]["mentions"] == 3
    undo = await _get(live_server, f"/api/v1/meetings/{meeting_id}/problems/{irgeli_water['id']}")
    assert [s["id"] for s in undo["similar"]] == [sadovaya_water["id"]] and undo["similar"][0]["shared_place"] is True
