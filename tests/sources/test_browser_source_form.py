"""A new kind of source needs no page or script of its own: registered with its options, the console
draws its form (real Chromium), the API checks its config and documents it, and the source runs."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tests.browser import browser, login, needs_chromium
from tests.conftest import MEETING, free_port, make_people
from tyndau.domain.comments import IncomingComment
from tyndau.live.source_kinds import Build, Option, SourceKind, builtin_kinds
from tyndau.live.sources.base import CommentSink, SourceHealth
from tyndau.operator_ui.app import create_app
from tyndau.timeutil import utcnow

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.parametrize("settings", ["sqlite"], indirect=True)]


class BulletinSource:
    """A throw-away polled source: says its greeting once per repeat, then waits."""

    name = "bulletin_board"

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config
        self.sent = 0

    async def run(self, sink: CommentSink) -> None:
        text = f"{self.config['greeting']} ({self.config['room']}, loud={self.config['loud']})"
        batch = [IncomingComment(source="bulletin_board", external_id=f"b{i}", author="board", text=text, created_at=utcnow())
                 for i in range(int(self.config["repeat"]))]
        await sink(batch)
        self.sent = len(batch)
        await asyncio.Event().wait()

    def health(self) -> SourceHealth:
        return SourceHealth("connected" if self.sent else "starting", received=self.sent)


def _build(config: Mapping[str, Any], given: Build) -> BulletinSource:
    return BulletinSource(config)


BULLETIN = SourceKind("bulletin_board", (
    Option("board_url", "url", required=True, help="the board", example="https://board.example/room"),
    Option("access_key", "secret", required=True, help="the board's key"),
    Option("greeting", required=True, help="what to say"),
    Option("repeat", "number", whole=True, low=1, high=5, default=2, help="how many times"),
    Option("room", "choice", choices=("hall", "lobby"), default="lobby", help="where"),
    Option("loud", "bool", default=False, help="shout"),
), _build, summary="A throw-away kind registered by a test.")


@pytest.fixture
async def server(settings):  # type: ignore[no-untyped-def]
    kinds = builtin_kinds()
    kinds.add(BULLETIN)  # the registry every server uses; nothing else knows this kind
    port = free_port()
    app = create_app(settings.replace(host="127.0.0.1", port=port), source_kinds=kinds)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}", await make_people(app)
    finally:
        await runner.cleanup()


async def _form_words(page) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return await page.evaluate("""() => {
        const box = document.querySelector('#source-fields [data-kind="bulletin_board"]');
        return {hidden: box.hidden, labels: [...box.querySelectorAll('label')].map((l) => l.textContent.trim()),
                types: [...box.querySelectorAll('[name]')].map((i) => `${i.name}:${i.type}:${i.required}`),
                choices: [...box.querySelectorAll('select option')].map((o) => o.value),
                kinds: [...document.querySelectorAll('#source-kind option')].map((o) => [o.value, o.textContent.trim()])};
    }""")


async def test_a_kind_registered_with_its_options_gets_its_form_its_check_and_runs(server, tmp_path):
    url, people = server
    shots = Path(os.environ.get("TYNDAU_SCREENSHOTS", str(tmp_path)))  # TYNDAU_SCREENSHOTS=/tmp keeps them
    async with aiohttp.ClientSession() as http:
        resp = await http.post(f"{url}/api/v1/meetings", json=MEETING, headers=people.auth("moderator"))
        meeting_id = (await resp.json())["id"]
        spec = await (await http.get(f"{url}/api/v1/openapi.json")).json()
        body = spec["paths"]["/api/v1/meetings/{meeting_id}/sources"]["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert {"$ref": "#/components/schemas/BulletinBoardSourceInput"} in body["oneOf"]
        config_schema = spec["components"]["schemas"]["BulletinBoardConfig"]
        assert config_schema["required"] == ["board_url", "access_key", "greeting"]
        assert config_schema["properties"]["access_key"]["writeOnly"] is True
        # the same options refuse bad input on the server, naming each field
        bad = await http.post(f"{url}/api/v1/meetings/{meeting_id}/sources", headers=people.auth("moderator"), json={
            "kind": "bulletin_board", "config": {"board_url": "ftp://x", "access_key": "k", "greeting": "hi", "repeat": 9, "room": "attic"}})
        error = (await bad.json())["error"]
        assert bad.status == 422 and set(error["fields"]) == {"config.board_url", "config.repeat", "config.room"}, error
        assert "config.repeat" in error["message"]
        unknown = await http.post(f"{url}/api/v1/meetings/{meeting_id}/sources", headers=people.auth("moderator"),
                                  json={"kind": "carrier_pigeon", "config": {}})
        assert unknown.status == 422 and "bulletin_board" in (await unknown.json())["error"]["fields"]["kind"]

    async with browser() as chromium:
        for lang, kind_label in (("ru", "Запись чата"), ("kk", "Чат жазбасы")):
            ctx = await chromium.new_context(viewport={"width": 1280, "height": 720}, locale=lang)
            page = await ctx.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
            await login(page, url, "moderator", people.password, f"/console?meeting={meeting_id}")
            if lang == "kk":
                # the switch is wired once the page's script has run (under load it can lag the login redirect)
                await page.locator("#connection[data-state='connected']").wait_for(timeout=15_000)
                await page.locator("[data-lang='kk']").first.click()
                await page.locator("html[lang='kk']").wait_for(state="attached", timeout=10_000)
            await page.locator("#source-add").wait_for(state="attached", timeout=10_000)
            await page.locator("#source-add > summary").click()
            await page.wait_for_selector('#source-kind option[value="bulletin_board"]', state="attached", timeout=10_000)
            words = await _form_words(page)
            # the built-in kinds keep their catalogue words, in the page's language
            assert ["replay", kind_label] in words["kinds"], words["kinds"]
            # the new kind has no words in the catalogues: readable names, never a raw key
            assert ["bulletin_board", "Bulletin board"] in words["kinds"]
            assert words["hidden"] is True
            await page.select_option("#source-kind", "bulletin_board")
            words = await _form_words(page)
            assert words["hidden"] is False
            assert words["labels"] == ["Board url", "Access key", "Greeting", "Repeat", "Room", "Loud"]
            assert words["types"] == ["board_url:url:true", "access_key:password:true", "greeting:text:true", "repeat:number:false",
                                      "room:select-one:false", "loud:checkbox:false"]
            assert words["choices"] == ["hall", "lobby"]
            assert await page.input_value("#source-bulletin_board-repeat") == "2"
            assert await page.input_value("#source-bulletin_board-room") == "lobby"
            await page.locator("#source-form").screenshot(path=str(shots / f"source-form-new-kind-{lang}.png"))
            await page.select_option("#source-kind", "telegram")
            telegram = await page.evaluate("""() => [...document.querySelectorAll('#source-fields [data-kind="telegram"] label')]
                .map((l) => l.textContent.trim())""")
            assert telegram == [{"ru": "Токен бота", "kk": "Бот токені"}[lang], {"ru": "ID группы обсуждения", "kk": "Талқылау тобының ID-і"}[lang],
                                {"ru": "Номер поста канала (необязательно)", "kk": "Арнадағы пост нөмірі (міндетті емес)"}[lang],
                                {"ru": "Режим", "kk": "Жұмыс тәртібі"}[lang]]
            await page.locator("#source-form").screenshot(path=str(shots / f"source-form-telegram-{lang}.png"))
            await page.screenshot(path=str(shots / f"console-source-form-{lang}-1280x720.png"))
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= 1280, width
            await page.select_option("#source-kind", "bulletin_board")
            assert errors == []
            if lang == "ru":
                await page.fill("#source-bulletin_board-board_url", "https://board.example/room")
                await page.fill("#source-bulletin_board-access_key", "s3cret-key")
                await page.fill("#source-bulletin_board-greeting", "Добрый день")
                await page.fill("#source-bulletin_board-repeat", "3")
                await page.select_option("#source-bulletin_board-room", "hall")
                await page.check("#source-bulletin_board-loud")
                await page.locator("#source-form [type=submit]").click()
                item = page.locator("#source-list .source").first
                await item.wait_for(timeout=10_000)
                await page.locator("#source-list .source[data-state='connected']").first.wait_for(timeout=15_000)
                assert "s3cret" not in await page.content()
                shown = await item.locator(".source-what").text_content()
                assert "board.example" in shown and "hall" in shown and "s3cret" not in shown
                assert await item.locator(".source-kind").text_content() == "Bulletin board"
            await ctx.close()

    async with aiohttp.ClientSession() as http:
        listed = await (await http.get(f"{url}/api/v1/meetings/{meeting_id}/sources", headers=people.auth("moderator"))).json()
        [source] = listed["items"]
        assert source["kind"] == "bulletin_board" and source["running"] is True
        assert source["config"] == {"board_url": "https://board.example/room", "access_key": "***", "greeting": "Добрый день",
                                    "repeat": 3, "room": "hall", "loud": True}
        feed = await (await http.get(f"{url}/api/v1/meetings/{meeting_id}/comments", headers=people.auth("moderator"))).json()
        texts = [c["text"] for c in feed["items"] if c["source"] == "bulletin_board"]
        assert texts == ["Добрый день (hall, loud=True)"] * 3
