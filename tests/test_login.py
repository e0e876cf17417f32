"""Logging in: lockout per user name and a limit per address, the same cost for unknown names,
scrypt off the event loop, and no way to be sent to another site afterwards."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from tests.browser import browser, needs_chromium
from tests.conftest import PASSWORD
from tyndau.security import hash_password


async def _login(client, name: str, password: str, **extra):
    return await client.post("/login", json={"username": name, "password": password, **extra})


async def test_five_wrong_passwords_lock_the_name_even_for_the_right_one(client):
    for _ in range(5):
        assert (await _login(client, "moderator", "wrong password")).status == 401
    locked = await _login(client, "moderator", PASSWORD)
    assert locked.status == 429 and (await locked.json())["error"]["code"] == "too_many_attempts"
    assert 1 <= int(locked.headers["Retry-After"]) <= 61
    # Other names are not affected; an unknown name locks the same way (so nothing tells them apart).
    assert (await _login(client, "secretary", PASSWORD)).status == 200
    for _ in range(5):
        assert (await _login(client, "nobody-here", "wrong password")).status == 401
    assert (await _login(client, "nobody-here", "wrong password")).status == 429


def test_the_lock_doubles_and_forgets_after_a_success() -> None:
    from tyndau.operator_ui.login_guard import LoginGuard

    guard = LoginGuard(max_failures=2, lockout_seconds=10, ip_max_failures=100, ip_window_seconds=60)
    for t in (0.0, 1.0):
        guard.failed("Aigerim ", "10.0.0.1", now=t)
    assert guard.wait("aigerim", "10.0.0.2", now=2.0) == pytest.approx(9.0)
    guard.failed("aigerim", "10.0.0.1", now=12.0)
    assert guard.wait("aigerim", "10.0.0.1", now=12.0) == pytest.approx(20.0)
    guard.succeeded("AIGERIM")
    assert guard.wait("aigerim", "10.0.0.3", now=13.0) == 0


@pytest.fixture
def strict_ip_settings(settings):
    return settings.replace(login_ip_max_failures=3, login_max_failures=100)


async def test_one_address_guessing_many_names_is_paused(strict_ip_settings, aiohttp_client):
    from tests.conftest import make_people
    from tyndau.operator_ui.app import create_app

    app = create_app(strict_ip_settings)
    client = await aiohttp_client(app)
    await make_people(app)
    for name in ("a1", "a2", "a3"):
        assert (await _login(client, name, "wrong password")).status == 401
    assert (await _login(client, "moderator", PASSWORD)).status == 429


async def test_an_unknown_name_costs_the_same_password_check(client):
    """CPU time of this process (scrypt runs in a worker thread): an unknown name must not be cheap."""
    async def cost(name: str) -> float:
        start = time.process_time()
        for _ in range(3):
            assert (await _login(client, name, "wrong password")).status == 401
        return time.process_time() - start

    await _login(client, "warm-up", "x")
    known = await cost("moderator")
    unknown = await cost("no-such-user")
    assert unknown > 0.5 * known, (unknown, known)


async def test_scrypt_runs_off_the_event_loop(client, caplog):
    """Wrong passwords must not block the loop: asyncio's slow-callback report stays silent."""
    start = time.perf_counter()
    hash_password("calibration password")
    scrypt = time.perf_counter() - start
    loop = asyncio.get_running_loop()
    loop.set_debug(True)
    loop.slow_callback_duration = max(0.6 * scrypt, 0.02)
    caplog.set_level(logging.WARNING, logger="asyncio")
    try:
        for _ in range(4):  # under the lockout of five
            assert (await _login(client, "moderator", "wrong password")).status == 401
    finally:
        loop.set_debug(False)
    slow = [r for r in caplog.records if r.name == "asyncio" and "took" in r.getMessage()]
    assert len(slow) <= 1, [r.getMessage() for r in slow]


@pytest.mark.parametrize("next_value, expected", [
    ("/\t/evil.example/phish", "/console"), ("//evil.example", "/console"), ("/\\evil.example", "/console"),
    ("https://evil.example/", "/console"), ("/login?next=/x", "/console"), ("/review?meeting=2#problem-5", "/review?meeting=2#problem-5"),
    (None, "/console"), (42, "/console"),
])
async def test_login_answers_with_a_local_next_only(client, next_value, expected):
    resp = await _login(client, "secretary", PASSWORD, next=next_value)
    assert resp.status == 200 and (await resp.json())["next"] == expected


async def test_pages_send_anonymous_users_to_login_with_the_path_encoded(client):
    resp = await client.get("/review?meeting=1&x=%2F%2Fevil", allow_redirects=False)
    assert resp.status == 302
    assert resp.headers["Location"] == "/login?next=/review?meeting%3D1%26x%3D//evil"


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_the_login_page_never_follows_next_to_another_host(live_server):
    async with browser() as chromium:
        page = await chromium.new_page()
        await page.goto(f"{live_server.url}/login?next=/%09/evil.example/phish")
        await page.fill("#login-username", "moderator")
        await page.fill("#login-password", PASSWORD)
        await page.click("#login-submit")
        await page.wait_for_url(f"{live_server.url}/console", timeout=10_000)


async def test_the_form_posted_without_its_script_logs_in_and_keeps_the_password_out_of_urls(client):
    """A submit before login.js took the form over: a same-site form post, answered with redirects."""
    form = {"username": "secretary", "password": PASSWORD}
    resp = await client.post("/login?next=/review?meeting=2", data=form, allow_redirects=False)
    assert resp.status == 303 and resp.headers["Location"] == "/review?meeting=2"
    session = resp.cookies["tyndau_session"]
    assert session.value and session["httponly"] and session["samesite"] == "Strict"
    assert (await client.get("/api/v1/me", headers={"Cookie": f"tyndau_session={session.value}"})).status == 200
    wrong = await client.post("/login?next=/%09/evil.example", data={**form, "password": "wrong password"}, allow_redirects=False)
    assert wrong.status == 303 and wrong.headers["Location"] == "/login?next=/console&error=bad_credentials"
    assert not wrong.cookies
    empty = await client.post("/login", data={"username": "secretary"}, allow_redirects=False)
    assert empty.status == 303 and empty.headers["Location"].endswith("error=bad_request")
    # still a same-site form only, and only the login form: a cross-site post or any other form body is refused
    assert (await client.post("/login", data=form, headers={"Origin": "http://evil.example"})).status == 403
    assert (await client.post("/logout", data={"x": "1"})).status == 415
    # the wrong-password counter is the same one the page's script meets
    for _ in range(4):
        await client.post("/login", data={**form, "password": "wrong password"}, allow_redirects=False)
    locked = await client.post("/login", data=form, allow_redirects=False)
    assert locked.headers["Location"].endswith("error=too_many_attempts")


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_without_its_script_the_login_page_still_logs_in_by_post(live_server):
    async with browser() as chromium:
        ctx = await chromium.new_context(java_script_enabled=False)
        page = await ctx.new_page()
        seen: list[str] = []
        page.on("request", lambda req: seen.append(req.url))
        await page.goto(f"{live_server.url}/login?next=/review")
        await page.fill("#login-username", "secretary")
        await page.fill("#login-password", "wrong password")
        await page.click("#login-submit")
        await page.wait_for_url(f"{live_server.url}/login?next=/review&error=bad_credentials", timeout=10_000)
        await page.fill("#login-username", "secretary")
        await page.fill("#login-password", PASSWORD)
        await page.click("#login-submit")
        await page.wait_for_url(f"{live_server.url}/review", timeout=10_000)
        assert not [u for u in seen if "password" in u or "wrong" in u]
        await ctx.close()
        # with the script, the error the form came back with is shown in words
        page = await chromium.new_page()
        await page.goto(f"{live_server.url}/login?next=/review&error=bad_credentials")
        await page.locator("#login-error", has_text="Неверное имя").wait_for(timeout=10_000)
