"""The console's record and messages as a moderator meets them: a plan locked after the meeting (a
change only with a reason, shown in the record), a share that matches the verdict, a CSV in the
user's language, undo that says what it undid, no stale "not sent" after a reconnect, form errors
that go as the field is fixed, the name of a hall asker typed here, and the meeting's Kazakh title."""

from __future__ import annotations

import pytest

from tests.browser import needs_chromium
from tests.browser_env import shared  # noqa: F401 - the module's fixture
from tyndau.operator_ui.keys import SERVICES
from tyndau.operator_ui.services import CLOCK_NS, meeting_room

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.asyncio(loop_scope="module")]


async def test_an_ended_meetings_plan_changes_only_with_a_reason_and_the_record_shows_it(shared):
    meeting = await shared.meeting(planned_minutes=4)
    # 2 minutes of presentation against a 1-minute cap, then Q&A, then the end.
    await shared.clock_ran(meeting["id"], ("start_presentation", 300), ("start_qa", 180), ("end", 60))
    ctx, page, errors = await shared.page("moderator", f"/console?meeting={meeting['id']}")
    await page.locator("#phase[data-phase='ended']").wait_for(timeout=10_000)
    await page.locator("#timing-rule[data-held='false']").wait_for(timeout=10_000)
    assert "превышение 01:00" in await page.locator("#timing-rule-text").text_content()
    assert "50\u00a0%" in await page.locator("#timing-share").text_content()
    assert await page.locator("#plan-lock").is_visible()
    assert await page.locator("#f-planned_minutes").is_disabled()
    assert not await page.locator("#f-attendance, #f-title").first.is_disabled()

    await page.click("#btn-amend")
    await page.fill("#f-planned_minutes", "10")
    await page.click("#meeting-submit")
    await page.locator("#err-amend_reason:not(:empty)").wait_for(timeout=10_000)
    await page.fill("#f-amend_reason", "опечатка: по объявлению 10 минут")
    await page.locator("#err-amend_reason:empty").wait_for(state="attached", timeout=5_000)  # fixed field, no message
    await page.click("#meeting-submit")
    await page.locator("#timing-amendments:not([hidden])").wait_for(timeout=10_000)
    text = await page.locator("#timing-amendments").text_content()
    assert "4 → 10" in text and "moderator" in text and "опечатка" in text
    assert "правило ¼ нарушено" in text  # the verdict under the plan the meeting ran with stays in sight
    assert errors == []
    await ctx.close()


async def test_share_beside_a_broken_rule_never_reads_a_quarter_and_the_csv_is_in_kazakh(shared):
    meeting = await shared.meeting(planned_minutes=120)
    await shared.clock_ran(meeting["id"], ("start_presentation", 30 * 60 + 31 + 60), ("start_qa", 60), ("end", 0.5))
    ctx, page, errors = await shared.page("moderator", f"/console?meeting={meeting['id']}", lang="kk")
    await page.locator("#timing-rule[data-held='false']").wait_for(timeout=10_000)
    share = await page.locator("#timing-share").text_content()
    assert "25,4\u00a0%" in share and "25\u00a0%" not in share
    href = await page.locator("#timing-csv").get_attribute("href")
    assert href.endswith("timing.csv?lang=kk")
    csv = await shared.api("GET", href)
    assert csv.startswith("\ufeffР/с;Кезең;") and ";Баяндама;" in csv
    assert errors == []
    await ctx.close()


async def test_undo_says_what_it_undid(shared):
    meeting = await shared.meeting()
    ctx, page, errors = await shared.page("moderator", f"/console?meeting={meeting['id']}")
    await page.locator("#connection[data-state='connected']").wait_for(timeout=10_000)
    await page.click("#btn-start-presentation")
    await page.locator("#phase[data-phase='presentation']").wait_for(timeout=10_000)
    await page.click("#btn-qa")
    await page.locator("#phase[data-phase='qa']").wait_for(timeout=10_000)
    assert await page.locator("#btn-undo").get_attribute("title") == "Отменить: переход к вопросам (Ctrl+Z)"
    await page.click("#btn-undo")
    await page.locator("#phase[data-phase='presentation']").wait_for(timeout=10_000)
    alert = await page.locator("#alert").text_content()
    assert "Отменено: переход к вопросам. Сейчас: Доклад." in alert
    assert errors == []
    await ctx.close()


async def test_not_sent_is_cleared_after_the_console_reconnects(shared):
    meeting = await shared.meeting()
    ctx, page, errors = await shared.page("moderator", f"/console?meeting={meeting['id']}")
    await page.locator("#connection[data-state='connected']").wait_for(timeout=10_000)
    sio = shared.app[SERVICES].sio
    for sid, _ in list(sio.manager.get_participants(CLOCK_NS, meeting_room(meeting["id"]))):
        await sio.disconnect(sid, namespace=CLOCK_NS)
    await page.locator("#connection:not([data-state='connected'])").wait_for(timeout=5_000)
    await page.keyboard.press("KeyP")
    await page.locator("#alert[data-code='not_connected']").wait_for(timeout=5_000)
    await page.locator("#connection[data-state='connected']").wait_for(timeout=15_000)
    await page.locator("#alert[data-code='reconnected']").wait_for(timeout=5_000)
    assert "не отправлена" not in await page.locator("#alert").text_content()
    assert errors == []
    await ctx.close()


async def test_form_errors_go_as_the_field_is_fixed(shared):
    ctx, page, errors = await shared.page("moderator", "/console")
    await page.click("#btn-new-meeting")
    await page.fill("#f-title", "Встреча акима аула")
    await page.select_option("#f-akim_level", "village")
    await page.fill("#f-starts_at", "2026-12-01T10:00")
    await page.fill("#f-planned_minutes", "0")
    await page.click("#meeting-submit")
    await page.locator("#err-planned_minutes:not(:empty)").wait_for(timeout=10_000)
    assert "between" not in await page.locator("#err-planned_minutes").text_content()  # no English server text
    await page.fill("#f-planned_minutes", "90")
    assert await page.locator("#err-planned_minutes").text_content() == ""
    assert await page.locator("#f-planned_minutes").get_attribute("aria-invalid") is None
    assert errors == []
    await ctx.close()


async def test_the_moderator_sees_the_hall_askers_name_they_typed_and_no_one_else_does(shared):
    meeting = await shared.meeting(title_kk="Ауыл әкімінің тұрғындармен кездесуі")
    ctx, page, errors = await shared.page("moderator", f"/console?meeting={meeting['id']}", lang="kk")
    await page.locator("#feed-panel[data-conn='connected']").wait_for(timeout=10_000)
    assert await page.locator("#clock-title").text_content() == "Ауыл әкімінің тұрғындармен кездесуі"
    await page.fill("#floor-text", "Когда построят новую школу?")
    await page.fill("#floor-author", "Гульнара Ахметова")
    await page.click("#floor-submit")
    row = page.locator("#feed-list .feed-row[data-source='floor']")
    await row.wait_for(timeout=10_000)
    await page.locator("#feed-list .feed-row[data-source='floor'] .row-author.local-only").wait_for(timeout=10_000)
    assert await row.locator(".row-author").text_content() == "Гульнара Ахметова"
    assert await page.locator("#queue-list .local-only").text_content() == "Гульнара Ахметова"
    # Another moderator's console (another browser) and a viewer never get the name.
    from tyndau.store.people import add_user

    await add_user(shared.app[SERVICES].engine, "moderator2", "moderator", shared.people.password, replace=True)
    other, page2, _ = await shared.page("moderator2", f"/console?meeting={meeting['id']}")
    await page2.locator("#feed-list .feed-row[data-source='floor']").wait_for(timeout=10_000)
    assert "Гульнара" not in await page2.locator("#feed-list").text_content()
    for role in ("moderator", "viewer"):
        comments = await shared.api("GET", f"/api/v1/meetings/{meeting['id']}/comments", role=role)
        assert all("Гульнара" not in str(c) for c in comments["items"])
    assert errors == []
    await other.close()
    await ctx.close()
