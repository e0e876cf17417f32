"""Personal data in the console, in a real headless Chromium: the row says something was hidden,
the moderator is asked before such a question goes on screen, a secretary reveals the original."""

from __future__ import annotations

import aiohttp
import pytest

from tests.browser import browser, login, needs_chromium
from tests.conftest import MEETING

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.parametrize("settings", ["sqlite"], indirect=True)]
TEXT = "Меня зовут айгерим нурланова, тел 8\u200b701\u200b555\u200b66\u200b77. Когда дадут воду на Абая 12?"


async def test_marker_warning_before_the_screen_and_an_audited_reveal(live_server):
    async with aiohttp.ClientSession() as http:
        meeting_id = (await (await http.post(f"{live_server.url}/api/v1/meetings", json=MEETING, headers=live_server.people.auth("moderator"))).json())["id"]
        resp = await http.post(f"{live_server.url}/api/v1/meetings/{meeting_id}/comments", headers=live_server.people.auth("moderator"), json={
            "source": "webhook:test", "external_id": "1", "author": "Житель", "text": TEXT, "created_at": "2026-12-01T10:05:00+05:00"})
        comment_id = (await resp.json())["id"]
    async with browser() as chromium:
        ctx = await chromium.new_context(viewport={"width": 1440, "height": 1000})
        page = await ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        await login(page, live_server.url, "moderator", live_server.people.password, f"/console?meeting={meeting_id}")
        row = page.locator(f"#feed-list .feed-row[data-id='{comment_id}']")
        await row.wait_for(timeout=10_000)
        assert await row.locator(".row-text").text_content() == "Меня зовут [имя], тел [телефон]. Когда дадут воду на Абая 12?"
        assert "телефон" in await row.locator("[data-testid='pd-badge']").text_content()
        assert await row.locator("button[data-act='reveal']").is_hidden(), "moderators cannot reveal"

        asked: list[str] = []

        async def dismiss(dialog):  # type: ignore[no-untyped-def]
            asked.append(dialog.message)
            await dialog.dismiss()

        page.once("dialog", dismiss)
        await row.locator("button[data-act='current']").click()
        await page.wait_for_timeout(300)
        assert asked and "персональные данные" in asked[0] and "телефон" in asked[0]
        assert await page.locator("#onscreen-text").get_attribute("data-empty") == "true", "dismissed: nothing on screen"

        async def accept(dialog):  # type: ignore[no-untyped-def]
            await dialog.accept()

        page.once("dialog", accept)
        await row.locator("button[data-act='current']").click()
        await page.locator("#onscreen-text", has_text="[телефон]").wait_for(timeout=10_000)
        # in Kazakh the console reads the marks in Kazakh (the server sends one text, marked in Russian)
        await page.locator("button[data-lang='kk']").click()
        await page.locator("#onscreen-text", has_text="[аты-жөні]").wait_for(timeout=10_000)
        assert await row.locator(".row-text").text_content() == "Меня зовут [аты-жөні], тел [телефон]. Когда дадут воду на Абая 12?"
        await page.locator("button[data-lang='ru']").click()
        await page.locator("#onscreen-text", has_text="[имя]").wait_for(timeout=10_000)
        assert errors == []
        await ctx.close()

        ctx = await chromium.new_context(viewport={"width": 1440, "height": 1000})
        page = await ctx.new_page()
        await login(page, live_server.url, "secretary", live_server.people.password, f"/console?meeting={meeting_id}")
        row = page.locator(f"#feed-list .feed-row[data-id='{comment_id}']")
        await row.wait_for(timeout=10_000)
        await row.locator("button[data-act='reveal']").click()
        await row.locator(".row-text", has_text="нурланова").wait_for(timeout=10_000)
        assert await row.locator(".row-text").text_content() == "Меня зовут айгерим нурланова, тел 87015556677. Когда дадут воду на Абая 12?"
        assert "оригинал открыт" in await row.locator("[data-testid='pd-badge']").text_content()
        await ctx.close()
    async with aiohttp.ClientSession() as http:
        audit = (await (await http.get(f"{live_server.url}/api/v1/audit", headers=live_server.people.auth("admin"))).json())["items"]
    assert [(a["action"], a["actor"]) for a in audit if a["action"] == "feed.reveal"] == [("feed.reveal", "user:secretary")]
