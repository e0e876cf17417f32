"""The console's Sources box in a real Chromium: why a source is not receiving, in the user's language."""

from __future__ import annotations

import aiohttp
import pytest

from tests.browser import browser, login, needs_chromium
from tests.conftest import MEETING

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.parametrize("settings", ["sqlite"], indirect=True)]


async def test_a_webhook_source_added_in_the_console_says_it_waits_in_russian_and_kazakh(live_server):
    async with aiohttp.ClientSession() as http:
        resp = await http.post(f"{live_server.url}/api/v1/meetings", json=MEETING, headers=live_server.people.auth("moderator"))
        meeting_id = (await resp.json())["id"]
    async with browser() as chromium:
        ctx = await chromium.new_context(viewport={"width": 1440, "height": 1000})
        page = await ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        await login(page, live_server.url, "moderator", live_server.people.password, f"/console?meeting={meeting_id}")
        await page.locator("#source-add").wait_for(state="attached", timeout=10_000)
        await page.locator("#source-add > summary").click()
        await page.select_option("#source-kind", "instagram_webhook")
        await page.fill("#source-instagram_webhook-object_id", "123123123")
        await page.locator("#source-form [type=submit]").click()
        item = page.locator("#source-list .source").first
        await item.locator(".source-detail:not([hidden])").wait_for(timeout=10_000)
        # meta_app_secret is not set on this server: the console says which setting is missing
        assert await item.locator(".source-detail").text_content() == "данные от Instagram не принимаются: задайте настройку meta_app_secret"
        assert await item.get_attribute("data-state") == "down"
        await page.locator("[data-lang='kk']").first.click()
        # locators, not wait_for_function: a string predicate that has to poll is eval'd in the page,
        # which the console's CSP refuses (the test failed whenever the switch took a moment)
        await page.locator("html[lang='kk']").wait_for(state="attached", timeout=10_000)
        await page.locator("#source-list .source-detail", has_text="баптауын").first.wait_for(timeout=10_000)
        assert errors == []
        await ctx.close()
