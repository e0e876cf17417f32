"""Helpers for the real-browser tests: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("TYNDAU_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed (apt-get install chromium)")


@contextlib.asynccontextmanager
async def browser() -> AsyncIterator[object]:
    """A headless Chromium (the machine's own; Playwright never downloads one)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        instance = await pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield instance
        finally:
            await instance.close()


async def login(page, base_url: str, user: str, password: str, next_path: str) -> None:  # type: ignore[no-untyped-def]
    """Log in through the real login form.

    The wait for the next page is long (60 s): on a loaded two-core CI machine one login once took
    over 30 s. When it still fails, the message says what the page showed instead of a bare timeout.
    """
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    await page.goto(f"{base_url}/login?next={next_path}")
    await page.fill("#login-username", user)
    await page.fill("#login-password", password)
    await page.click("#login-submit")
    try:
        await page.wait_for_url(f"{base_url}{next_path}", timeout=60_000)
    except PlaywrightTimeout:
        shown = await page.locator("body").inner_text()
        raise AssertionError(f"login as {user!r} did not reach {next_path}; {page.url} shows: {shown[:400]!r}") from None
