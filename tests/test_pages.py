"""The pages are rendered from templates: one shared top bar, marked for the page it is on; no inline script."""

from __future__ import annotations

import re

import pytest

PLANNING = ("planner", "units", "national", "round")  # these add the units and the roll-up to the links
PAGES = {"console": True, "review": True, "dashboard": False, "planner": False, "units": False, "national": False, "round": False}  # page: whether its top bar shows the connection


@pytest.mark.parametrize("page", sorted(PAGES))
async def test_each_page_has_the_shared_top_bar_marked_for_itself(client, page):
    resp = await client.get(f"/{page}", headers=client.people.auth("secretary"), allow_redirects=False)
    assert resp.status == 200 and resp.content_type == "text/html"
    html = await resp.text()
    assert "{%" not in html and "{{" not in html, "a template tag reached the browser"
    assert html.count('<header class="topbar">') == 1
    links = re.findall(r'<a href="/(\w+)"( aria-current="page")?', html.split('<header class="topbar">')[1].split("</header>")[0])
    names = ("console", "review", "dashboard", "planner") + (("units", "national") if page in PLANNING else ())
    assert links == [(name, ' aria-current="page"' if name == page else "") for name in names]
    assert ('id="connection"' in html) is PAGES[page]
    assert 'id="btn-logout"' in html and 'id="alert"' in html and 'id="announcer"' in html
    assert all(" src=" in tag for tag in re.findall(r"<script\b[^>]*>", html)), "an inline script would break the CSP"
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]


async def test_pages_without_the_top_bar_render_as_they_are(client):
    for path in ("/login", "/offline", "/presenter/1", "/overlay/1"):
        resp = await client.get(path, allow_redirects=False)
        assert resp.status == 200, path
        assert "{%" not in await resp.text()
