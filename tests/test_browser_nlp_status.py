"""The console's NLP line in a real headless Chromium: "Модель загружается: N %" while the model
loads (from the HTTP status at once, then socket.io pushes), gone when it is ready."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tests.browser import browser, login, needs_chromium
from tests.conftest import MEETING, free_port, make_people
from tests.live.test_nlp_startup import GatedLoader, pipeline_config  # noqa: F401 - fixture
from tyndau.operator_ui.app import create_app

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.parametrize("settings", ["sqlite"], indirect=True)]


@pytest.mark.slow(seconds=70)
async def test_console_shows_the_loading_percentage_then_hides_it(settings: Any, pipeline_config: Any) -> None:
    loader = GatedLoader(pipeline_config)
    port = free_port()
    app = create_app(settings.replace(nlp_enabled=True, host="127.0.0.1", port=port), pipeline_loader=loader)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    url = f"http://127.0.0.1:{port}"
    people = await make_people(app)
    try:
        async with aiohttp.ClientSession(headers=people.auth("moderator")) as http:
            meeting = await (await http.post(f"{url}/api/v1/meetings", json=MEETING)).json()
        await asyncio.to_thread(loader.held.wait, 60)
        async with browser() as chromium:
            page = await (await chromium.new_context(viewport={"width": 1440, "height": 1000})).new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            await login(page, url, "moderator", people.password, f"/console?meeting={meeting['id']}")
            line = page.locator("#nlp-status")
            await line.wait_for(state="visible", timeout=15_000)
            text = await line.text_content()
            assert text and text.startswith("Модель загружается: ") and text.rstrip().endswith("%"), text
            assert 40 <= int(text.split(":")[1].strip().split()[0]) < 100
            await page.locator("#lang-switch [data-lang='kk']").click()
            await page.locator("#nlp-status", has_text="Модель жүктелуде").wait_for(timeout=10_000)
            loader.release.set()
            # the rest of the load (fitting the stages) took over a minute beside other test workers
            await line.wait_for(state="hidden", timeout=180_000)
            assert not errors, errors
    finally:
        loader.release.set()
        await runner.cleanup()
