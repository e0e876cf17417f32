"""Reloading the console while the server is down shows Tyndau's own page (from the service worker),
in the user's language, and it comes back by itself when the server does."""

from __future__ import annotations

import pytest
from aiohttp import web

from tests.browser import browser, login, needs_chromium
from tyndau.operator_ui.app import create_app
from tyndau.operator_ui.keys import SETTINGS

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.parametrize("settings", ["sqlite"], indirect=True)]


async def test_reload_while_the_server_is_down_shows_a_friendly_page_and_recovers(live_server):
    async with browser() as chromium:
        ctx = await chromium.new_context(viewport={"width": 1280, "height": 720})
        await ctx.add_init_script("try { localStorage.setItem('tyndau.lang', 'kk'); } catch (e) {}")
        page = await ctx.new_page()
        await login(page, live_server.url, "moderator", live_server.people.password, "/console")
        await page.locator("#btn-new-meeting").wait_for(timeout=10_000)
        # The service worker is installed and controls the page.
        assert await page.evaluate("async () => { await navigator.serviceWorker.ready; "
                                   "for (let i = 0; i < 50 && !navigator.serviceWorker.controller; i++) await new Promise(r => setTimeout(r, 100)); "
                                   "return Boolean(navigator.serviceWorker.controller); }")
        await live_server.runner.cleanup()  # the server is down: no listener, no open connection
        await page.reload()
        await page.locator("[data-testid='offline']").wait_for(timeout=10_000)
        assert await page.locator("#offline-title").text_content() == "Тыңдау сервері қазір қолжетімсіз"
        assert page.url.endswith("/console")
        # The server is back on the same port: the page returns to the console by itself.
        port = int(live_server.url.rsplit(":", 1)[1])
        runner = web.AppRunner(create_app(live_server.app[SETTINGS]), access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, "127.0.0.1", port).start()
            await page.locator("#btn-new-meeting").wait_for(timeout=20_000)
            assert await page.locator("[data-testid='offline']").count() == 0
        finally:
            await ctx.close()
            await runner.cleanup()
