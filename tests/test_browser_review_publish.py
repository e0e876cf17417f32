"""Publishing as a secretary does it, in a real Chromium: accept or dismiss many drafts at once (and
undo), a final package of accepted problems with the drafts left out and listed, the akim's name
entered once, search across scripts, and a dashboard that keeps drafts apart and has a deadline per
akim's round. Every page, in both languages, shows names, never raw category ids or catalogue keys."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.browser import needs_chromium
from tests.browser_env import shared  # noqa: F401 - the module's fixture
from tyndau.domain.drafts import Draft
from tyndau.operator_ui.keys import SERVICES
from tyndau.store.problems import sync_drafts

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.asyncio(loop_scope="module")]
CATALOGUES = Path(__file__).resolve().parents[1] / "config" / "i18n"
TEXTS = ["Яма на ул. Абая 12, невозможно проехать", "Абай көшесінде шұңқыр көп", "В Иргели нет воды неделю", "Иргелиде су жоқ",
         "Во дворе нет детской площадки", "Спасибо за эфир"]


async def _round(shared, **meeting) -> tuple[int, dict[str, int]]:
    m = await shared.meeting(**meeting)
    ids = [await shared.comment(m["id"], n, text) for n, text in enumerate(TEXTS)]
    drafts = [
        Draft(1, "Ямы на улице Абая", "Абай көшесіндегі шұңқырлар", "roads_transport", "ул. Абая", "", (ids[0], ids[1])),
        Draft(2, "Нет воды в Иргели", "Іргеліде су жоқ", "utilities", "с. Иргели", "", (ids[2], ids[3])),
        Draft(3, "Нет детской площадки", "", "improvement_ecology", "", "", (ids[4],)),
    ]
    async with shared.app[SERVICES].engine.begin() as conn:
        await sync_drafts(conn, m["id"], drafts, [ids[5]])
    items = (await shared.api("GET", f"/api/v1/meetings/{m['id']}/problems", role="secretary"))["items"]
    return int(m["id"]), {p["title_ru"]: p["id"] for p in items}


async def _review(shared, meeting_id: int, lang: str = "ru", **kw):
    ctx, page, errors = await shared.page("secretary", f"/review?meeting={meeting_id}", lang=lang, accept_downloads=True, **kw)
    await page.locator("#connection[data-state='connected']").wait_for(timeout=10_000)
    await page.locator("#problem-list .problem").first.wait_for(timeout=10_000)
    return ctx, page, errors


async def test_bulk_accept_and_bulk_not_a_problem_with_undo(shared):
    meeting_id, ids = await _round(shared)
    ctx, page, errors = await _review(shared, meeting_id)
    await page.check("#pick-all")
    assert await page.locator("#bulk-bar").is_visible()
    await page.click("#btn-accept-selected")
    await page.locator("#problem-list .badge-accepted").nth(2).wait_for(timeout=10_000)
    await page.click("#btn-undo")
    await page.locator("#problem-list .badge-accepted").first.wait_for(state="detached", timeout=10_000)
    # Two drafts are not problems at all: one click, and they leave the list (and the package).
    for title in ("Нет воды в Иргели", "Нет детской площадки"):
        await page.check(f"#problem-list .problem[data-id='{ids[title]}'] input.pick")
    await page.click("#btn-dismiss-selected")
    await page.locator(f"#problem-list .problem[data-id='{ids['Нет воды в Иргели']}']").wait_for(state="detached", timeout=10_000)
    assert await page.locator("#problem-list .problem").count() == 1
    await page.click("#btn-undo")
    await page.locator("#problem-list .problem").nth(2).wait_for(timeout=10_000)
    assert errors == []
    await ctx.close()


async def test_final_package_of_accepted_problems_lists_the_drafts_left_out_and_names_the_akim(shared):
    meeting_id, ids = await _round(shared)
    roads = ids["Ямы на улице Абая"]
    detail = await shared.api("GET", f"/api/v1/meetings/{meeting_id}/problems/{roads}", role="secretary")
    await shared.api("POST", f"/api/v1/meetings/{meeting_id}/review/edit", role="secretary", json={
        "problem_id": roads, "version": detail["problem"]["version"],
        "fields": {"executor": "Отдел образования", "deadline": "2027-03-31", "accepted": True}})
    ctx, page, errors = await _review(shared, meeting_id)
    await page.click("#tab-export")
    await page.fill("#akim-name", "Сейтказиев А. Б.")
    await page.click("#btn-akim-save")
    await page.locator("#akim-status", has_text="Сейтказиев").wait_for(timeout=10_000)
    await page.check("input[name='export-mode'][value='final']")
    await page.locator("#export-scope:not([hidden])").wait_for(timeout=5_000)
    assert "1 из 3" in await page.locator("#export-scope-text").text_content()
    left = await page.locator("#export-left-out-list li").all_text_contents()
    assert len(left) == 2 and any("Иргели" in x for x in left)
    async with page.expect_download() as info:
        await page.click("[data-testid='export-docx']")
    path = await (await info.value).path()
    import docx

    document = docx.Document(path)
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Аким: Сейтказиев А. Б." in text and "Ямы на улице Абая" in text and "Иргели" not in text
    assert errors == []
    await ctx.close()


async def test_search_finds_words_typed_in_latin(shared):
    meeting_id, ids = await _round(shared)
    ctx, page, errors = await _review(shared, meeting_id)
    for query, title in (("voda", "Нет воды в Иргели"), ("shunkyr", "Ямы на улице Абая"), ("ploshchadki", "Нет детской площадки")):
        await page.fill("#f-search", query)
        await page.locator(f"#problem-list .problem[data-id='{ids[title]}']").wait_for(timeout=5_000)
        await page.locator("#problem-list .problem").nth(1).wait_for(state="detached", timeout=5_000)
        assert [int(x) for x in await page.locator("#problem-list .problem").evaluate_all("els => els.map(e => e.dataset.id)")] == [ids[title]], query
    # The console's feed search too.
    console = await ctx.new_page()
    await console.goto(f"{shared.url}/console?meeting={meeting_id}")
    await console.locator("#feed-panel[data-conn='connected']").wait_for(timeout=10_000)
    await console.fill("#feed-search", "Irgeli")
    await console.locator("#feed-count", has_text="2").wait_for(timeout=5_000)
    assert errors == []
    await ctx.close()


async def test_dashboard_shows_accepted_problems_apart_from_drafts_and_a_deadline_per_akim(shared):
    one, ids = await _round(shared, title="Встреча акима Ахметова", akim_name="Ахметов С.")
    two, _ = await _round(shared, title="Встреча акима Бековой", akim_name="Бекова А.")
    await shared.api("POST", f"/api/v1/meetings/{one}/review/accept", role="secretary", json={"problem_ids": [ids["Ямы на улице Абая"]]})
    for action in ("start_presentation", "end"):
        await shared.api("POST", f"/api/v1/meetings/{one}/clock", json={"action": action})
    ctx, page, errors = await shared.page("secretary", f"/dashboard?meetings={one},{two}")
    await page.locator("#dash[aria-busy='false']").wait_for(timeout=10_000)
    await page.locator("[data-testid='tile-total']").wait_for(timeout=10_000)
    total = await page.locator("[data-testid='tile-total'] .tile-value").text_content()
    drafts = await page.locator("[data-testid='tile-drafts']").text_content()
    assert total == "1" and "5" in drafts
    rows = await page.locator("[data-testid='tile-publication'] li").all_text_contents()
    assert len(rows) == 2
    ended = next(r for r in rows if "Ахметов" in r)
    pending = next(r for r in rows if "Бекова" in r)
    assert "не завершена" not in ended and "дн" in ended
    assert "не завершена" in pending
    assert errors == []
    await ctx.close()


async def test_the_dashboard_names_a_round_in_kazakh_in_kazakh(shared):
    # A round without an akim's name is shown by its title: it was the Russian one in Kazakh too.
    meeting_id, _ = await _round(shared, title="Встреча с населением: с. Иргели", title_kk="Халықпен кездесу: Іргелі ауылы", akim_name="")
    for lang, title in (("kk", "Халықпен кездесу: Іргелі ауылы"), ("ru", "Встреча с населением: с. Иргели")):
        ctx, page, errors = await shared.page("secretary", f"/dashboard?meetings={meeting_id}", lang=lang)
        await page.locator("[data-testid='tile-publication'] li").first.wait_for(timeout=10_000)
        assert title in await page.locator("[data-testid='tile-publication']").inner_text()
        assert errors == []
        await ctx.close()


def _keys() -> set[str]:
    keys: set[str] = set()
    for path in CATALOGUES.glob("*.json"):
        if not path.name.startswith("reports"):
            keys |= set(json.loads(path.read_text("utf-8")))
    return keys


TEXT_NODES = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) { const t = walker.currentNode.textContent.trim(); if (t) out.push(t); }
  for (const el of document.querySelectorAll('[title], [placeholder], [aria-label]')) {
    for (const a of ['title', 'placeholder', 'aria-label']) if (el.getAttribute(a)) out.push(el.getAttribute(a).trim());
  }
  return out;
}"""


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_no_page_shows_a_raw_category_id_or_a_catalogue_key(shared, lang):
    meeting_id, ids = await _round(shared)
    taxonomy = shared.app[SERVICES].vocabulary.category_ids
    keys = _keys()
    pages = [f"/console?meeting={meeting_id}", f"/review?meeting={meeting_id}#problem-{ids['Ямы на улице Абая']}", "/dashboard",
             f"/presenter/{meeting_id}"]
    ctx, page, errors = await shared.page("secretary", pages[0], lang=lang)
    for path in pages:
        if page.url != f"{shared.url}{path}":
            await page.goto(f"{shared.url}{path}")
        await page.wait_for_load_state("networkidle")
        await page.wait_for_timeout(400)
        texts = await page.evaluate(TEXT_NODES)
        words = {w for t in texts for w in re.split(r"[\s,;:()«»\"]+", t) if w}
        assert not (words & taxonomy), (path, words & taxonomy)
        assert not (set(texts) & keys), (path, set(texts) & keys)
    assert errors == []
    await ctx.close()
