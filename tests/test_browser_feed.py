"""The comment feed in a real headless Chromium: hostile text stays text, live moderation reaches
the presenter screen and the stream overlay, and 10,000 comments scroll in a virtualised list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from tests.browser import browser, login, needs_chromium
from tests.conftest import MEETING

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.parametrize("settings", ["sqlite"], indirect=True)]

T0 = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=1">'
BIDI = "Оплата \u202eexe.ьтаплО\u202c по ссылке"
ZERO_WIDTH = "Жол\u200b жөн\u200cдеу\u2060 керек\ufeff"


async def _meeting(server: Any) -> int:
    async with aiohttp.ClientSession() as http:
        resp = await http.post(f"{server.url}/api/v1/meetings", json=MEETING, headers=server.people.auth("moderator"))
        assert resp.status == 201, await resp.text()
        return int((await resp.json())["id"])


def _comment(n: int, text: str, author: str = "", source: str = "webhook:test") -> dict[str, Any]:
    return {"source": source, "external_id": f"c{n}", "author": author or f"Житель {n:05d}", "text": text,
            "created_at": (T0 + timedelta(seconds=n)).isoformat()}


async def _post(server: Any, meeting_id: int, body: dict[str, Any]) -> Any:
    async with aiohttp.ClientSession() as http:
        resp = await http.post(f"{server.url}/api/v1/meetings/{meeting_id}/comments", json=body, headers=server.people.auth("moderator"))
        assert resp.status in (200, 201), await resp.text()
        return await resp.json()


async def _console(chromium: Any, server: Any, meeting_id: int, **context: Any) -> tuple[Any, Any, list[str]]:
    ctx = await chromium.new_context(viewport={"width": 1440, "height": 1000}, **context)
    page = await ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await login(page, server.url, "moderator", server.people.password, f"/console?meeting={meeting_id}")
    await page.locator("#feed-panel[data-conn='connected']").wait_for(timeout=10_000)
    return ctx, page, errors


def row(page: Any, comment_id: int) -> Any:
    return page.locator(f"#feed-list .feed-row[data-id='{comment_id}']")


async def test_hostile_comments_are_shown_as_text_and_never_run(live_server):
    meeting_id = await _meeting(live_server)
    bodies = [_comment(1, SCRIPT, author=IMG), _comment(2, IMG, author=SCRIPT), _comment(3, BIDI, author="Bidi\u202eTrick"), _comment(4, ZERO_WIDTH)]
    ids = [(await _post(live_server, meeting_id, b))["id"] for b in bodies]
    async with browser() as chromium:
        # No bypass_csp: the page runs under the server's strict CSP, and every wait is a locator.
        ctx, page, errors = await _console(chromium, live_server, meeting_id)
        for comment_id in ids:
            await row(page, comment_id).wait_for(timeout=10_000)
        assert await row(page, ids[0]).locator(".row-text").text_content() == SCRIPT
        assert await row(page, ids[0]).locator(".row-author").text_content() == IMG
        assert await row(page, ids[1]).locator(".row-text").text_content() == IMG
        assert await row(page, ids[1]).locator(".row-author").text_content() == SCRIPT
        # Bidi overrides and zero-width characters are removed for display (the store keeps them).
        assert await row(page, ids[2]).locator(".row-text").text_content() == "Оплата exe.ьтаплО по ссылке"
        assert await row(page, ids[2]).locator(".row-author").text_content() == "BidiTrick"
        assert await row(page, ids[3]).locator(".row-text").text_content() == "Жол жөндеу керек"
        assert await row(page, ids[3]).locator("text=скрытые символы").count() == 1  # the "control_chars" flag

        # The queue, the hide dialog and the presenter screen render the same text safely.
        await row(page, ids[1]).locator("button[data-act='pin']").click()
        queued = page.locator(f"#queue-list .queue-item[data-id='{ids[1]}']")
        await queued.wait_for(timeout=10_000)
        assert await queued.locator(".queue-text").text_content() == IMG
        await row(page, ids[0]).locator("button[data-act='hide']").click()
        await page.locator("#hide-dialog[open]").wait_for()
        assert await page.locator("#hide-quote").text_content() == SCRIPT
        await page.locator("#hide-cancel").click()
        await queued.locator("button[data-act='current']").click()
        await page.locator("#onscreen-text", has_text="window.__xss").wait_for(timeout=10_000)
        presenter = await ctx.new_page()
        await presenter.goto(f"{live_server.url}/presenter/{meeting_id}")
        await presenter.locator("#presenter-question-text", has_text=IMG).wait_for(timeout=10_000)
        assert await presenter.locator("#presenter-question-text").text_content() == IMG

        # Search works on the literal text (of the comment and of its author).
        await page.fill("#feed-search", "<script")
        await row(page, ids[2]).wait_for(state="detached", timeout=5_000)
        shown = await page.locator("#feed-list .feed-row").evaluate_all("rows => rows.map(r => Number(r.dataset.id))")
        assert sorted(shown) == sorted(ids[:2])

        for p in (page, presenter):
            assert await p.evaluate("typeof window.__xss") == "undefined"
            assert await p.locator("img[src='x']").count() == 0
            assert await p.locator("script:not([src])").count() == 0
        assert errors == []
        await ctx.close()


async def test_live_comments_queue_screen_overlay_and_hiding(live_server):
    meeting_id = await _meeting(live_server)
    async with browser() as chromium:
        ctx, page, errors = await _console(chromium, live_server, meeting_id)
        await page.locator("#feed-empty").wait_for()

        # The overlay: a separate browser source with only a viewer token in the fragment.
        obs = await chromium.new_context(viewport={"width": 1920, "height": 1080})
        overlay = await obs.new_page()
        await overlay.goto(f"{live_server.url}/overlay/{meeting_id}#token={live_server.people.tokens['viewer']}")
        card = overlay.locator("#overlay-card")
        assert await card.get_attribute("data-state") == "out"
        presenter = await ctx.new_page()
        await presenter.goto(f"{live_server.url}/presenter/{meeting_id}")
        await presenter.locator("#presenter-countdown").wait_for()

        # Comments posted after the page loaded appear live.
        question = (await _post(live_server, meeting_id, _comment(1, "Когда отремонтируют дорогу на ул. Абая?", author="Айгерим")))["id"]
        spam = (await _post(live_server, meeting_id, _comment(2, "Заработок от 100 000 ₸ в день, пишите в директ", author="bot777")))["id"]
        await row(page, question).wait_for(timeout=10_000)
        await row(page, spam).wait_for(timeout=10_000)

        # Pin: the question goes into the Q&A queue.
        await row(page, question).locator("button[data-act='pin']").click()
        queued = page.locator(f"#queue-list .queue-item[data-id='{question}']")
        await queued.wait_for(timeout=10_000)
        await page.locator(f"#feed-list .feed-row[data-id='{question}'][data-pinned='true']").wait_for(timeout=5_000)

        # On screen: the presenter screen and the overlay show it.
        await queued.locator("button[data-act='current']").click()
        await presenter.locator("#presenter-question-text", has_text="ул. Абая").wait_for(timeout=10_000)
        assert await presenter.locator("#presenter-question-author").text_content() == "Айгерим"
        await overlay.locator("#overlay-card[data-state='in']").wait_for(timeout=10_000)
        assert await overlay.locator("#overlay-text").text_content() == "Когда отремонтируют дорогу на ул. Абая?"
        assert await overlay.locator("#overlay-author").text_content() == "Айгерим"
        await page.locator(f"#feed-list .feed-row[data-id='{question}'][data-onscreen='true']").wait_for(timeout=5_000)
        assert await overlay.evaluate("getComputedStyle(document.body).backgroundColor") == "rgba(0, 0, 0, 0)"

        # Hide with a reason: gone from the default view, back with "show hidden".
        await row(page, spam).locator("button[data-act='hide']").click()
        await page.locator("#hide-dialog[open]").wait_for()
        await page.locator("#hide-dialog input[value='spam']").check()
        await page.locator("#hide-yes").click()
        await row(page, spam).wait_for(state="detached", timeout=10_000)
        await page.locator("#feed-hidden").check()
        await row(page, spam).wait_for(timeout=10_000)
        assert await row(page, spam).get_attribute("data-hidden") == "true"
        assert "спам" in (await row(page, spam).locator(".badge-hidden").text_content()).lower()
        async with aiohttp.ClientSession() as http:
            resp = await http.get(f"{live_server.url}/api/v1/meetings/{meeting_id}/comments", headers=live_server.people.auth("moderator"))
            stored = {c["id"]: c for c in (await resp.json())["items"]}
        assert stored[spam]["hidden"] is True and stored[spam]["hidden_reason"] == "spam"

        # Answered: the question leaves the queue and the screens.
        await queued.locator("button[data-act='answered']").click()
        await queued.wait_for(state="detached", timeout=10_000)
        await overlay.locator("#overlay-card[data-state='in']").wait_for(state="detached", timeout=10_000)
        assert await card.get_attribute("data-state") == "out"
        await card.wait_for(state="hidden", timeout=5_000)  # after the slide-out
        await presenter.locator("#presenter-question[data-empty='true']").wait_for(state="attached", timeout=10_000)

        # A hall question: typed by the console, queued at once, on screen without the asker's name.
        await page.fill("#floor-text", "Будет ли освещение во дворе дома 12?")
        await page.fill("#floor-author", "Нурлан Сапаров")
        await page.fill("#floor-contact", "+7 701 000 00 00")
        await page.locator("#floor-submit").click()
        hall = page.locator("#queue-list .queue-item", has_text="освещение во дворе")
        await hall.wait_for(timeout=10_000)
        await hall.locator("button[data-act='current']").click()
        await overlay.locator("#overlay-text", has_text="освещение во дворе").wait_for(timeout=10_000)
        await overlay.locator("#overlay-card[data-state='in']").wait_for(timeout=10_000)
        assert await overlay.locator("#overlay-author").text_content() == ""
        assert await overlay.locator("#overlay-label").text_content() == "Вопрос из зала"
        await presenter.locator("#presenter-question-text", has_text="освещение во дворе").wait_for(timeout=10_000)
        assert "Нурлан" not in await presenter.locator("#presenter").inner_text()
        assert "Нурлан" not in await overlay.locator("body").inner_text()
        assert errors == []
        await obs.close()
        await ctx.close()


async def test_ten_thousand_comments_scroll_in_a_virtual_list(live_server):
    meeting_id = await _meeting(live_server)
    for start in range(1, 10_001, 1000):
        batch = [_comment(n, f"Комментарий №{n:05d}: вопрос о дорогах, школах и освещении улиц посёлка") for n in range(start, start + 1000)]
        result = await _post(live_server, meeting_id, {"items": batch})
        assert all(not item["duplicate"] for item in result["items"])
    async with browser() as chromium:
        ctx, page, errors = await _console(chromium, live_server, meeting_id)
        rows = page.locator("#feed-list .feed-row")
        await page.locator("#feed-list .feed-row", has_text="№10000").wait_for(timeout=15_000)
        assert await rows.count() < 100
        # The newest is in view (the list follows the newest); the list is as tall as all loaded rows.
        assert await page.locator("#feed-list .feed-row", has_text="№10000").is_visible()

        # Scrolling to the top pages back through older comments until the very first one.
        first = page.locator("#feed-list .feed-row", has_text="№00001")
        for _ in range(12):
            await page.locator("#feed-scroller").evaluate("el => { el.scrollTop = 0; }")
            try:
                await first.wait_for(timeout=2_000)
                break
            except Exception:  # noqa: BLE001 - not there yet: another page of older comments is loading
                continue
        await first.wait_for(timeout=5_000)
        assert await first.is_visible()
        assert await rows.count() < 100
        count = await page.locator("#feed-count").text_content()
        assert "10000 из 10000" in count.replace("\u00a0", " ")
        # Keyboard: End goes back to the newest.
        await first.click(position={"x": 20, "y": 10})
        await page.keyboard.press("End")
        await page.locator("#feed-list .feed-row", has_text="№10000").wait_for(timeout=5_000)
        assert await page.locator("#feed-list .feed-row", has_text="№10000").is_visible()
        assert await rows.count() < 100
        assert errors == []
        await ctx.close()
