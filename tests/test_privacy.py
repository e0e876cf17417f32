"""Personal data never leaves the workspace: every form of it, sent through every path.

Comments carrying each form (IINs in their groupings, phones with dots and slashes, e-mails on
Cyrillic domains, cards, lower-case "меня зовут …", and the same split by zero-width characters)
go in through the webhook; then the viewer API, the feed and clock sockets (join, older, pushes,
labels, the on-screen question), problems and their comments, draft titles, every export format
and the quarterly report are read back and searched for any of them. The store keeps the
originals: a secretary's audited reveal returns them.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import unicodedata
import zipfile
from collections.abc import Iterable
from typing import Any

import aiohttp
import openpyxl
import pytest
import socketio

from tests.browser import browser, needs_chromium
from tests.conftest import MEETING
from tests.pd_forms import FORMS
from tests.reports.helpers import open_docx
from tyndau.domain.personal_data import PLACEHOLDERS as PD_PLACEHOLDERS
from tyndau.domain.personal_data import PLACEHOLDERS_KK as PD_PLACEHOLDERS_KK
from tyndau.domain.text_chars import clean
from tyndau.nlp.drafts import Member, build_draft
from tyndau.operator_ui.keys import SERVICES
from tyndau.store.problems import sync_drafts

SQUASH = str.maketrans("", "", " -./()\u2012+:\n\t\ufffd")  # U+FFFD: the store's NUL, read through


def squash(text: str) -> str:
    """What a reader sees, with separators gone and full-width digits read as digits."""
    return unicodedata.normalize("NFKC", clean(text)).casefold().translate(SQUASH)


SECRETS = sorted({squash(s) for _, s in FORMS})
TEXTS = [f"Нет воды в доме 12 уже неделю. {form}" for form, _ in FORMS]


def strings(value: Any) -> Iterable[str]:
    """Every string inside a JSON value (keys too)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from strings(v)


def leaks(texts: Iterable[str]) -> list[tuple[str, str]]:
    """(secret, text) for every text in which a form of personal data can still be read."""
    found = []
    for text in texts:
        squashed = squash(text)
        found.extend((secret, text[:200]) for secret in SECRETS if secret in squashed)
    return found


def assert_private(where: str, value: Any) -> None:
    found = leaks(strings(value))
    assert not found, f"{where} shows personal data: {found[:5]}"


def docx_texts(data: bytes) -> list[str]:
    doc = open_docx(data)
    out = [doc.core_properties.title or ""]
    out += [p.text for p in doc.paragraphs]
    out += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    out += [p.text for s in doc.sections for part in (s.header, s.footer) for p in part.paragraphs]
    return out


def xlsx_texts(data: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]


def zip_texts(data: bytes) -> list[str]:
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            text = z.read(name).decode("utf-8-sig")
            out.extend(cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row)
    return out


async def _until(predicate, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_no_form_of_personal_data_leaves_through_any_path(live_server):
    server, tokens = live_server, live_server.people.tokens
    auth = {role: {"Authorization": f"Bearer {t}"} for role, t in tokens.items()}
    assert all(leaks([text]) for text in TEXTS), "the checker finds every form in the original texts"
    async with aiohttp.ClientSession() as http:
        resp = await http.post(f"{server.url}/api/v1/meetings", json=MEETING, headers=auth["moderator"])
        meeting_id = (await resp.json())["id"]
        base = f"{server.url}/api/v1/meetings/{meeting_id}"
        comments = [{"source": "vk", "external_id": f"pd-{i}", "author": f"Житель {i}", "text": text,
                     "created_at": "2026-12-01T10:05:00+05:00"} for i, text in enumerate(TEXTS)]
        resp = await http.post(f"{base}/comments", json={"items": comments[:-3]}, headers=auth["moderator"])
        assert resp.status == 201
        ids = [item["id"] for item in (await resp.json())["items"]]
        floor = await http.post(f"{base}/floor-questions", json={"text": TEXTS[0], "author": "Нурланова Айгерим", "contact": "8 701 123 45 67"},
                                headers=auth["secretary"])
        floor_id = (await floor.json())["id"]

        # Screens and sockets, as the projector PC and OBS see them (a viewer token).
        feed_events: list[tuple[str, Any]] = []
        clock_events: list[tuple[str, Any]] = []
        viewer = socketio.AsyncClient(reconnection=False)
        for name in ("comments", "comment_update", "labels", "current_question"):
            viewer.on(name, (lambda n: lambda data: feed_events.append((n, data)))(name), namespace="/feed")
        viewer.on("current_question", lambda data: clock_events.append(("current_question", data)), namespace="/clock")
        await viewer.connect(server.url, namespaces=["/feed", "/clock"], auth={"token": tokens["viewer"]}, transports=["websocket"], wait_timeout=5)
        try:
            joined = await viewer.call("join", {"meeting_id": meeting_id}, namespace="/feed")
            assert joined["ok"] and len(joined["items"]) == len(ids) + 1
            assert_private("feed join", joined)
            assert all(item["personal_data"] for item in joined["items"]), ("every comment is marked as having had something hidden", [i["display"] for i in joined["items"] if not i["personal_data"]])
            older = await viewer.call("older", {"meeting_id": meeting_id, "before": ids[-1] + 1, "limit": 100}, namespace="/feed")
            assert_private("feed older", older)
            clock_join = await viewer.call("join", {"meeting_id": meeting_id}, namespace="/clock")
            assert clock_join["ok"]
            # Live pushes: new comments, a moderation update, NLP labels with the normaliser's display text.
            resp = await http.post(f"{base}/comments", json={"items": comments[-3:]}, headers=auth["moderator"])
            ids += [item["id"] for item in (await resp.json())["items"]]
            await http.post(f"{base}/comments/{ids[1]}/pin", json={}, headers=auth["moderator"])
            await server.app[SERVICES].publish_labels(meeting_id, [{"id": ids[2], "labels": {"display": TEXTS[2], "personal_data": [], "lang": "ru"}}], [])
            # The question on screen: the moderator is warned first, then confirms.
            refused = await http.post(f"{base}/comments/{ids[0]}/current", json={}, headers=auth["moderator"])
            assert refused.status == 409 and (await refused.json())["error"]["code"] == "personal_data"
            for comment_id in (ids[5], ids[-1], floor_id):
                shown = await http.post(f"{base}/comments/{comment_id}/current", json={"confirm_personal_data": True}, headers=auth["moderator"])
                assert shown.status == 200, await shown.text()
                assert_private("on-screen question (HTTP answer)", await shown.json())
            await _until(lambda: sum(n == "current_question" for n, _ in clock_events) == 3
                         and any(n == "comments" for n, _ in feed_events) and any(n == "labels" for n, _ in feed_events))
            assert_private("pushed feed events", feed_events)
            assert_private("presenter/overlay pushes", clock_events)
            assert clock_events[-1][1]["question"]["author"] == "", "a hall asker's name never goes on screen"
            rejoined = await viewer.call("join", {"meeting_id": meeting_id}, namespace="/clock")
            assert rejoined["question"]["comment_id"] == floor_id
            assert_private("presenter/overlay join", rejoined)
        finally:
            await viewer.disconnect()

        # The HTTP API for every role: nobody reads the original without a reveal.
        for role in ("viewer", "moderator", "secretary", "admin"):
            page = await (await http.get(f"{base}/comments", params={"limit": 1000}, headers=auth[role])).json()
            assert len(page["items"]) == len(ids) + 1
            hall = next(i for i in page["items"] if i["id"] == floor_id)
            # A hall asker's name and contact reach secretaries and admins only (the console that typed the name keeps it itself).
            assert (hall.pop("author"), hall.pop("author_display")) == (("Нурланова Айгерим",) * 2 if role in ("secretary", "admin") else ("", ""))
            assert hall.pop("contact", None) == ("8 701 123 45 67" if role in ("secretary", "admin") else None)
            assert_private(f"GET comments as {role}", page)
        searched = await (await http.get(f"{base}/comments", params={"q": "8701"}, headers=auth["viewer"])).json()
        assert searched["items"] == [], "a search cannot probe the hidden digits"

        # Problems: the machine's drafts (worded from the comments) and a secretary's own title.
        rows = [Member(i, t, "ru", "utilities", None) for i, t in zip(ids, TEXTS)]
        drafts = [build_draft(1, rows[:20], None, {}), build_draft(2, rows[20:], None, {})]
        assert_private("draft titles", [(d.title_ru, d.title_kk) for d in drafts])
        async with server.app[SERVICES].engine.begin() as conn:
            await sync_drafts(conn, meeting_id, drafts, [])  # the builder's drafts are the store's: one shape
        listed = await (await http.get(f"{base}/problems", headers=auth["secretary"])).json()
        first = listed["items"][0]
        edit = await http.post(f"{base}/review/edit", headers=auth["secretary"], json={
            "problem_id": first["id"], "version": first["version"],
            "fields": {"title_ru": f"Нет воды, звонить {FORMS[6][0]}", "measures": f"Связаться: {FORMS[15][0]}", "place": FORMS[0][0],
                       "place_kk": FORMS[24][0]}})
        assert edit.status == 200, await edit.text()
        for role in ("viewer", "moderator"):
            items = (await (await http.get(f"{base}/problems", headers=auth[role])).json())["items"]
            assert_private(f"problems as {role}", items)
            for p in items:
                detail = await (await http.get(f"{base}/problems/{p['id']}", headers=auth[role])).json()
                assert_private(f"problem {p['id']} as {role}", detail)
        assert_private("problem comments as secretary",
                       (await (await http.get(f"{base}/problems/{first['id']}", headers=auth["secretary"])).json())["comments"])

        # Every export format, both languages, and the quarterly report.
        for lang in ("ru", "kk"):
            for fmt, read in (("docx", docx_texts), ("xlsx", xlsx_texts), ("html", lambda b: [b.decode("utf-8")]),
                              ("json", lambda b: list(strings(json.loads(b)))), ("zip", zip_texts)):
                resp = await http.get(f"{base}/report.{fmt}", params={"lang": lang}, headers=auth["secretary"])
                assert resp.status == 200, (fmt, await resp.text())
                texts = read(await resp.read())
                # The Kazakh wording is made from the issue and place (no quote in it); the measures fall back to Russian.
                assert any(mark in t for t in texts for mark in PD_PLACEHOLDERS.values()), f"report.{fmt} holds the problems and their quotes"
                if lang == "kk" and fmt != "json":  # a Kazakh document's marks are Kazakh (the JSON's *_ru fields keep Russian ones)
                    russian_only = {m for k, m in PD_PLACEHOLDERS.items() if PD_PLACEHOLDERS_KK[k] != m}
                    assert not [t for t in texts if any(m in t for m in russian_only)], f"report.{fmt} (kk)"
                    assert any(PD_PLACEHOLDERS_KK["name"] in t for t in texts), f"report.{fmt} (kk)"
                assert_private(f"report.{fmt} ({lang})", texts)
            for fmt, read in (("docx", docx_texts), ("xlsx", xlsx_texts), ("json", lambda b: list(strings(json.loads(b))))):
                resp = await http.get(f"{server.url}/api/v1/quarterly.{fmt}", params={"meetings": str(meeting_id), "year": 2026, "quarter": 4, "lang": lang},
                                      headers=auth["secretary"])
                assert resp.status == 200, (fmt, await resp.text())
                assert_private(f"quarterly.{fmt} ({lang})", read(await resp.read()))
        dashboard = await (await http.get(f"{server.url}/api/v1/dashboard", params={"meetings": str(meeting_id)}, headers=auth["secretary"])).json()
        assert_private("dashboard", dashboard)

        # The store kept the originals; only a secretary or an admin reads one, and it is audited.
        for role in ("viewer", "moderator"):
            assert (await http.post(f"{base}/comments/{ids[6]}/reveal", json={}, headers=auth[role])).status == 403
        revealed = await (await http.post(f"{base}/comments/{ids[6]}/reveal", json={}, headers=auth["secretary"])).json()
        assert revealed["text"] == TEXTS[6] and revealed["personal_data"] == ["phone"]
        floor_original = await (await http.post(f"{base}/comments/{floor_id}/reveal", json={}, headers=auth["admin"])).json()
        assert floor_original["author"] == "Нурланова Айгерим" and floor_original["contact"] == "8 701 123 45 67"
        audit = (await (await http.get(f"{server.url}/api/v1/audit", params={"meeting_id": meeting_id}, headers=auth["admin"])).json())["items"]
        reveals = [a for a in audit if a["action"] == "feed.reveal"]
        assert [(a["actor"], a["detail"]["comment_id"]) for a in reversed(reveals)] == [("token:test-secretary", ids[6]), ("token:test-admin", floor_id)]


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_moderators_see_neither_contacts_nor_hall_askers_in_the_review_queue(live_server):
    server, tokens = live_server, live_server.people.tokens
    auth = {role: {"Authorization": f"Bearer {t}"} for role, t in tokens.items()}
    async with aiohttp.ClientSession() as http:
        meeting_id = (await (await http.post(f"{server.url}/api/v1/meetings", json=MEETING, headers=auth["moderator"])).json())["id"]
        base = f"{server.url}/api/v1/meetings/{meeting_id}"
        floor = await http.post(f"{base}/floor-questions", json={"text": "Когда починят свет?", "author": "Нурланова Айгерим", "contact": "aigul@mail.kz"},
                                headers=auth["moderator"])
        floor_id = (await floor.json())["id"]
        from tyndau.store.schema import comments

        async with server.app[SERVICES].engine.begin() as conn:
            await conn.execute(comments.update().where(comments.c.id == floor_id).values(needs_review=True))
        queue = await (await http.get(f"{base}/review-queue", headers=auth["moderator"])).json()
        item = queue["items"][0]
        assert item["id"] == floor_id and "contact" not in item and item["author"] == "" and item["extra"] == {}
        # Nor does the feed API give moderators the asker's name or contact.
        page = await (await http.get(f"{base}/comments", headers=auth["moderator"])).json()
        assert page["items"][0]["author"] == "" and "contact" not in page["items"][0]
        secretary = await (await http.get(f"{base}/review-queue", headers=auth["secretary"])).json()
        assert secretary["items"][0]["contact"] == "aigul@mail.kz"
        viewer = await (await http.get(f"{base}/comments", headers=auth["viewer"])).json()
        assert viewer["items"][0]["author"] == "" and "contact" not in viewer["items"][0]


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_presenter_screen_and_stream_overlay_show_the_question_redacted(live_server):
    server, tokens = live_server, live_server.people.tokens
    auth = {role: {"Authorization": f"Bearer {t}"} for role, t in tokens.items()}
    text = "Меня зовут айгерим нурланова, ИИН 9501\u200b01300125, тел 8\u200b701\u200b555\u200b66\u200b77, aigul@пошта.қаз. Когда дадут воду?"
    async with aiohttp.ClientSession() as http:
        meeting_id = (await (await http.post(f"{server.url}/api/v1/meetings", json=MEETING, headers=auth["moderator"])).json())["id"]
        base = f"{server.url}/api/v1/meetings/{meeting_id}"
        resp = await http.post(f"{base}/comments", headers=auth["moderator"], json={
            "source": "vk", "external_id": "x", "author": "@Айгерим_Нурланова", "text": text, "created_at": "2026-12-01T10:05:00+05:00"})
        comment_id = (await resp.json())["id"]
        # the handle spells the name the text gave: shown as the author it would undo the redaction
        public = await (await http.get(f"{base}/comments", headers=auth["viewer"])).json()
        assert [c["author"] for c in public["items"]] == [""]
        private = await (await http.get(f"{base}/comments", headers=auth["secretary"])).json()
        assert [c["author"] for c in private["items"]] == ["@Айгерим_Нурланова"]
        shown = await http.post(f"{base}/comments/{comment_id}/current", json={"confirm_personal_data": True}, headers=auth["moderator"])
        assert shown.status == 200
    async with browser() as chromium:
        page = await chromium.new_page()
        for screen, selector in (("presenter", "#presenter-question-text"), ("overlay", "#overlay-text")):
            await page.goto(f"{server.url}/{screen}/{meeting_id}#token={tokens['viewer']}")
            # No bypass_csp: the screens run under the server's strict CSP; every wait is a locator.
            await page.locator(selector).filter(has_text="воду").wait_for(timeout=15_000)
            body = await page.locator("body").inner_text()
            assert "[телефон]" in body and "[ИИН]" in body
            assert "Нурланова" not in body and "Айгерим" not in body, (screen, body)
            assert not leaks([body, await page.content()]), (screen, leaks([body]))
            # the hall reads the marks in the screen's language; the server sent the Russian ones
            await page.goto(f"{server.url}/{screen}/{meeting_id}?lang=kk#token={tokens['viewer']}")
            await page.locator(selector).filter(has_text="[ЖСН]").wait_for(timeout=15_000)
            body = await page.locator(selector).inner_text()
            assert "[аты-жөні]" in body and "[телефон]" in body and "[ИИН]" not in body and "[имя]" not in body, (screen, body)
