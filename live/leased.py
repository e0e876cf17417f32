"""Run work only while this process holds its lease, and take over work whose holder stopped."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Awaitable, Callable

from tyndau.store.leases import Leases

log = logging.getLogger(__name__)


async def run_leased(leases: Leases, name: str, work: Callable[[], Awaitable[None]], *, check_seconds: float,
                     on_standby: Callable[[], None] | None = None) -> None:
    """Until cancelled: take the lease when it is free, run ``work`` while holding it, stop it the moment it is lost.

    ``on_standby`` runs whenever this process does not hold the lease (at start and after a loss),
    so the work's state can say so. Work that ends by itself keeps the lease (another process
    would meet the same failure).
    """
    standing_by = False
    while True:
        if await leases.acquire(name):
            standing_by = False
            log.info("this process took the %s lease", name)
            task = asyncio.create_task(_logged(name, work), name=f"leased-{name}")
            try:
                while leases.holds(name):
                    if task.done():
                        await asyncio.sleep(check_seconds)
                    else:
                        await asyncio.wait({task}, timeout=check_seconds)
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            log.warning("this process lost the %s lease; another process takes over", name)
        if not standing_by and on_standby is not None:
            on_standby()
        standing_by = True
        await asyncio.sleep(check_seconds)


async def _logged(name: str, work: Callable[[], Awaitable[None]]) -> None:
    try:
        await work()
    except asyncio.CancelledError:
        raise
    except Exception:  # noqa: BLE001 - reported; the lease stays held
        log.exception("the work under the %s lease failed", name)


async def keep_leases(leases: Leases, check_seconds: float) -> None:
    """Check the lease connection every ``check_seconds``; a lost one drops every lease of this process."""
    while True:
        await asyncio.sleep(check_seconds)
        await leases.check()
