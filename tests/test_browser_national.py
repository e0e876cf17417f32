"""The national page in a real Chromium, in Russian and Kazakh: the region's user sees its districts'
figures, drills down to a district and its rural districts, and never sees a neighbour; a national
user sees the nation and may download the summary (a screenshot with TYNDAU_SCREENSHOTS set)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import pytest_asyncio

from tests.browser import needs_chromium
from tests.browser_env import shared  # noqa: F401 - the module's fixture
from tests.conftest import PASSWORD
from tests.national.hierarchy import NEIGHBOUR, build
from tyndau.operator_ui.keys import SERVICES
from tyndau.store import people
from tyndau.store.scopes import set_scope

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.asyncio(loop_scope="module")]
CATALOGUES = Path(__file__).resolve().parents[1] / "config" / "i18n"


def words(lang: str) -> dict[str, str]:
    return json.loads((CATALOGUES / f"{lang}.national.json").read_text("utf-8"))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def hierarchy(shared):
    """The roll-up test's hierarchy, a region user and a district user."""
    engine = shared.app[SERVICES].engine
    h = await build(engine)
    for name, unit in (("region", "R"), ("district", "D1")):
        await people.add_user(engine, name, "secretary", PASSWORD)
        await set_scope(engine, name, unit_id=unit, organiser_id=None)
    return h


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_the_region_drills_down_to_a_district(shared, hierarchy, lang, tmp_path):
    # The screenshot is of the test's marker data: kept only when asked (TYNDAU_SCREENSHOTS=/tmp),
    # never over docs/img/national-rollup.png, which is taken from the demo.
    shots = Path(os.environ.get("TYNDAU_SCREENSHOTS", str(tmp_path)))
    w = words(lang)
    ctx, page, errors = await shared.page("region", "/national?year=2026", lang=lang, width=1280, height=900)
    row = page.locator("[data-testid='unit-D1']")
    await row.wait_for(timeout=10_000)
    assert "6" in await row.inner_text() and "33" in await row.inner_text()
    assert "11" in await page.inner_text("[data-testid='fig-problems']")
    # Executors by their names in the page's language (they are stored by their Russian names).
    executors = page.locator("#executors-body")
    await executors.locator("tr", has_text={"ru": "Отдел образования", "kk": "Білім бөлімі"}[lang]).wait_for(timeout=10_000)
    if lang == "kk":
        assert "Отдел образования" not in await executors.inner_text()
    heading = await page.inner_text("#national-heading")
    assert heading.startswith(w["national.heading_unit"].split("{")[0].strip())
    if lang == "ru":
        await page.screenshot(path=str(shots / "national-rollup-test.png"), full_page=True)
    await page.click("[data-testid='unit-D1'] a")
    await page.locator("[data-testid='unit-A1']").wait_for(timeout=10_000)
    assert "2" in await page.inner_text("[data-testid='unit-A1']")
    assert await page.locator("[data-testid='unit-D1'][data-own='true']").count() == 1
    assert "6" in await page.inner_text("[data-testid='fig-problems']")
    await ctx.close()
    assert not errors


async def test_the_district_never_sees_its_neighbour(shared, hierarchy):
    ctx, page, errors = await shared.page("district", "/national?quarter=1", lang="ru")
    await page.locator("[data-testid='unit-A1']").wait_for(timeout=10_000)
    text = await page.inner_text("body")
    assert NEIGHBOUR not in text and "Соседний" not in text
    options = await page.locator("#f-unit option").all_inner_texts()
    assert not any(NEIGHBOUR in o for o in options) and not any("Акжайлауская" in o for o in options)
    await page.locator("[data-testid='late-D1']").wait_for(timeout=10_000)
    await ctx.close()
    assert not errors


async def test_a_national_user_sees_the_nation_and_downloads_the_summary(shared, hierarchy):
    ctx, page, errors = await shared.page("secretary", "/national?year=2026", lang="kk", accept_downloads=True)
    await page.locator("[data-testid='unit-R']").wait_for(timeout=10_000)
    async with page.expect_download() as info:
        await page.click("[data-testid='dl-summary-xlsx']")
    download = await info.value
    assert download.suggested_filename == "tyndau-national-2026-kk.xlsx"
    await ctx.close()
    assert not errors
