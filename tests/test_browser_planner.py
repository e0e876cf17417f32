"""The planning side in a real Chromium, in Russian and in Kazakh: the coverage matrix flags the demo
district's rural district left without a meeting in a quarter that has ended; a meeting is planned from
the calendar (it gets its organiser, unit, level and day); a reception is recorded after a meeting and
the round's 10-day clock moves — first it waits for the reception, then it runs from the reception's end."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from tests.browser import needs_chromium
from tests.browser_env import ago, shared  # noqa: F401 - the module's fixture
from tyndau.domain.deadlines import almaty_date
from tyndau.domain.periods import periods_of_year
from tyndau.operator_ui.keys import SERVICES
from tyndau.planner.demo import DISTRICT, KYZYLZHAR_VILLAGE, demo_year, seed_planning
from tyndau.timeutil import utcnow

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.asyncio(loop_scope="module")]
CATALOGUES = Path(__file__).resolve().parents[1] / "config" / "i18n"
KYZYLZHAR = "991639000"
AKBULAK_RD = "991630000"


def words(lang: str) -> dict[str, str]:
    return json.loads((CATALOGUES / f"{lang}.planner.json").read_text("utf-8"))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def demo(shared):
    """The demo's planning data, once per module, as of now."""
    return await seed_planning(shared.app[SERVICES])


def dd(day: date) -> str:
    return day.strftime("%d.%m.%Y")


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_the_coverage_matrix_flags_the_gap(shared, demo, lang):
    w = words(lang)
    today = almaty_date(utcnow())
    year = demo_year(today)
    gap = max(p for p in periods_of_year(year, "quarter") if p.last_day < today)
    ctx, page, errors = await shared.page("secretary", f"/planner?organiser={DISTRICT}&year={year}", lang=lang, width=1280, height=720)
    cell = page.locator(f"[data-testid='cell-{KYZYLZHAR}-{gap.key}']")
    await cell.wait_for(timeout=10_000)
    assert await cell.get_attribute("data-status") == "missing" and w["planner.cell_missing"] in await cell.inner_text()
    assert await page.locator(f"tr[data-target='{KYZYLZHAR}']").get_attribute("data-gap") == "true"
    warning = page.locator("#warning-list li[data-kind='gap']")
    assert (gap.label(lang) in await warning.inner_text()) and w["planner.warnings_heading"] in await page.inner_text("#warnings")
    await page.check("#only-gaps")
    rows = page.locator("#matrix-body tr")
    assert await rows.count() == 2 and {await rows.nth(i).get_attribute("data-target") for i in range(2)} == {KYZYLZHAR, KYZYLZHAR_VILLAGE}
    assert w["planner.status_approved"] in await page.inner_text("#plan-status")
    assert not errors
    await ctx.close()


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_planning_a_meeting_from_the_calendar(shared, demo, lang):
    w = words(lang)
    day = almaty_date(utcnow()) + timedelta(days=5)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    village = "991630100" if lang == "ru" else "991630200"
    organiser = AKBULAK_RD
    try:
        await shared.api("POST", "/api/v1/organisers", role="admin", json={"unit_id": organiser})
    except AssertionError:
        pass  # the other language's run made it
    await shared.api("POST", f"/api/v1/organisers/{organiser}/calendars/{day.year}/changes", role="secretary",
                     json={"kind": "draft", "operations": [{"op": "add", "planned_on": day.isoformat(), "place_unit_id": village}]})
    ctx, page, errors = await shared.page("secretary", f"/planner?organiser={organiser}&year={day.year}", lang=lang, width=1280, height=720)
    await page.locator("#plan-heading:not(:empty)").wait_for(timeout=10_000)
    await page.click("#tab-visits")
    row = page.locator(f"tr[data-state='planned']:has-text('{dd(day)}')").last
    create = row.locator("[data-testid^='create-meeting-']")
    visit_id = (await create.get_attribute("data-testid")).removeprefix("create-meeting-")
    await create.click()
    await page.fill("#meeting-time", "11:30")
    await page.fill("#meeting-minutes", "90")
    await page.click("[data-testid='meeting-create']")
    link = page.locator(f"[data-testid='open-meeting-{visit_id}']")
    await link.wait_for(timeout=10_000)
    meeting_id = int((await link.get_attribute("href")).split("=")[1])
    assert w["planner.visit_scheduled"] in await page.locator(f"tr:has([href='/console?meeting={meeting_id}'])").inner_text()
    meeting = await shared.api("GET", f"/api/v1/meetings/{meeting_id}")
    assert (meeting["organiser_id"], meeting["place_unit_id"], meeting["akim_level"]) == (organiser, village, "rural_district")
    assert meeting["starts_at"].startswith(day.isoformat()) and meeting["planned_minutes"] == 90 and meeting["calendar_visit_id"]
    assert not errors
    await ctx.close()


@pytest.mark.parametrize("lang", ["ru", "kk"])
async def test_recording_a_reception_moves_the_10_day_clock(shared, demo, lang):
    w = words(lang)
    meeting = await shared.meeting(title=f"Встреча ({lang})")
    await shared.clock_ran(meeting["id"], ("start_presentation", 3 * 86400 + 5400), ("start_qa", 3 * 86400 + 3600), ("end", 3 * 86400))
    ended = almaty_date(ago(3 * 86400))
    ctx, page, errors = await shared.page("moderator", f"/round?meeting={meeting['id']}", lang=lang, width=1280, height=720)
    deadline = page.locator("[data-testid='clock-deadline']")
    await page.locator("#clock[data-state='running']").wait_for(timeout=10_000)
    assert await deadline.inner_text() == dd(ended + timedelta(days=10))

    local = almaty_local(utcnow() - timedelta(hours=2))
    await page.fill("#rec-start", local)
    await page.fill("#rec-place", "Акимат")
    await page.locator("[data-testid='rec-question']").first.fill("Нет света на улице Абая")
    await page.click("[data-testid='rec-save']")
    await page.locator("#clock[data-state='waiting']").wait_for(timeout=10_000)      # the reception has not ended yet
    assert await deadline.inner_text() == "—" and w["round.clock_waiting"] in await page.inner_text("#clock-left")
    await page.locator("[data-testid^='end-reception-']").click()
    await page.locator("#clock[data-state='running']").wait_for(timeout=10_000)
    today = almaty_date(utcnow())
    assert await deadline.inner_text() == dd(today + timedelta(days=10))              # it moved: ten days from the reception's end
    assert w["round.from_reception"] in await page.inner_text("#clock-from")
    comments = (await shared.api("GET", f"/api/v1/meetings/{meeting['id']}/comments?source=reception", role="secretary"))["items"]
    assert [c["text"] for c in comments] == ["Нет света на улице Абая"]

    # The meeting was not in a calendar: it is marked as held on the population's demand, in the district's coverage.
    await page.select_option("#place-organiser", DISTRICT)
    await page.locator("#place-unit option[value='991630100']").wait_for(state="attached", timeout=10_000)
    await page.select_option("#place-unit", "991630100")
    await page.select_option("#place-reason", "population_demand")
    await page.click("[data-testid='place-save']")
    await page.locator(f"#place-state:has-text('{w['round.reason.population_demand']}')").wait_for(timeout=10_000)
    marked = await shared.api("GET", f"/api/v1/meetings/{meeting['id']}")
    assert (marked["organiser_id"], marked["place_unit_id"], marked["off_calendar_reason"]) == (DISTRICT, "991630100", "population_demand")
    assert not errors
    await ctx.close()


def almaty_local(instant) -> str:
    """A datetime-local value in Almaty time."""
    from tyndau.timeutil import ALMATY

    return instant.astimezone(ALMATY).strftime("%Y-%m-%dT%H:%M")


ROW_CELLS = """(selector) => [...document.querySelectorAll(selector)].slice(0, 40).map((tr) => {
  const row = tr.getBoundingClientRect();
  return [...tr.children].filter((td) => { const c = td.getBoundingClientRect(); return Math.abs(c.top - row.top) > 1 || Math.abs(c.bottom - row.bottom) > 1; }).map((td) => td.className);
}).flat()"""


@pytest.mark.parametrize("user", ["moderator", "secretary"])
async def test_the_units_and_the_calendars_meetings_keep_each_rows_cells_in_the_row(shared, demo, user):
    # The actions cell was a flex box: its borders ran apart from its row's, without buttons or with them.
    ctx, page, errors = await shared.page(user, "/units", lang="kk", width=1280, height=720)
    await page.locator("#units-body tr").nth(10).wait_for(timeout=10_000)
    assert await page.evaluate(ROW_CELLS, "#units-body tr") == []
    await page.goto(f"{shared.url}/planner?organiser={DISTRICT}&year={demo_year(almaty_date(utcnow()))}")
    await page.locator("#matrix-body tr").first.wait_for(timeout=10_000)  # the page's script is running
    await page.locator("#tab-visits").click()
    await page.locator("#tab-visits[aria-selected='true']").wait_for(timeout=10_000)
    await page.locator("#visit-groups tr[data-visit]").nth(3).wait_for(timeout=10_000)
    assert await page.evaluate(ROW_CELLS, "#visit-groups tr[data-visit]") == []
    assert not errors
    await ctx.close()
