"""The presenter screen through a meeting: red only while the presentation runs over; in Q&A the
meeting's time left and the question; a large ПАУЗА / ҮЗІЛІС on pause; the Kazakh title in Kazakh."""

from __future__ import annotations

import pytest

from tests.browser import needs_chromium
from tests.browser_env import shared  # noqa: F401 - the module's fixture

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.asyncio(loop_scope="module")]
TITLE_KK = "Қарасай ауданы әкімінің тұрғындармен кездесуі"


async def _presenter(shared, meeting_id: int, lang: str):
    ctx = await shared.chromium.new_context(viewport={"width": 1280, "height": 720})
    page = await ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(f"{shared.url}/presenter/{meeting_id}?lang={lang}#token={shared.people.tokens['viewer']}")
    await page.locator("#presenter[data-conn='connected']").wait_for(timeout=10_000)
    return ctx, page, errors


async def _state(page) -> dict:
    return await page.evaluate("""() => {
      const root = document.getElementById('presenter');
      const big = document.getElementById('presenter-countdown');
      return { state: root.dataset.state, phase: root.dataset.phase, label: document.getElementById('presenter-label-text').textContent,
               big: big.textContent, size: parseFloat(getComputedStyle(big).fontSize), colour: getComputedStyle(root).getPropertyValue('--state').trim(),
               sub: document.getElementById('presenter-sub').textContent, title: document.getElementById('presenter-title').textContent,
               left: document.getElementById('presenter-meeting-left').textContent };
    }""")


@pytest.mark.parametrize(("lang", "pause_word", "qa_label"), [("ru", "ПАУЗА", "До конца встречи по плану"), ("kk", "ҮЗІЛІС", "Кездесудің жоспарлы аяқталуына дейін")])
async def test_presenter_screen_in_qa_and_pause_after_an_overrun(shared, lang, pause_word, qa_label):
    meeting = await shared.meeting(planned_minutes=120, title_kk=TITLE_KK)
    meeting_id = meeting["id"]
    # The presentation has run 31:00 of its 30:00 cap.
    await shared.clock_ran(meeting_id, ("start_presentation", 31 * 60))
    ctx, page, errors = await _presenter(shared, meeting_id, lang)
    await page.locator("#presenter[data-state='over']").wait_for(timeout=10_000)
    over = await _state(page)
    assert over["big"].startswith("+01:0")
    assert over["title"] == (TITLE_KK if lang == "kk" else meeting["title"])

    comment = await shared.comment(meeting_id, 1, "Когда отремонтируют дорогу на улице Абая?", author="Айгерим")
    await shared.api("POST", f"/api/v1/meetings/{meeting_id}/clock", json={"action": "start_qa"})
    await shared.api("POST", f"/api/v1/meetings/{meeting_id}/comments/{comment}/current", json={})
    await page.locator("#presenter[data-state='qa']").wait_for(timeout=10_000)
    await page.locator("#presenter-question[data-empty='false']").wait_for(timeout=10_000)
    qa = await _state(page)
    assert qa["label"] == qa_label
    assert not qa["big"].startswith("+") and (qa["big"] == "1:29:00" or qa["big"].startswith("1:28:"))  # 120 - 31 minutes, not the presentation's overrun
    assert qa["colour"] != over["colour"]  # no longer the red of an overrun
    assert "+01:0" not in qa["sub"] and qa["left"] == ""

    await shared.api("POST", f"/api/v1/meetings/{meeting_id}/clock", json={"action": "pause"})
    await page.locator("#presenter[data-state='pause']").wait_for(timeout=10_000)
    paused = await _state(page)
    assert paused["big"] == pause_word and paused["size"] >= 150  # the largest thing on the screen
    assert errors == []
    await ctx.close()
