"""A throw-away PostgreSQL database for a benchmark, on the server ``TYNDAU_TEST_POSTGRES_URL`` names."""

from __future__ import annotations

import os
import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.engine import URL, make_url


async def scratch_database(prefix: str = "tyndau_bench") -> tuple[URL, Callable[[], Awaitable[None]]]:
    """Create a fresh database; returns its asyncpg URL and the coroutine that drops it."""
    import asyncpg

    if not os.environ.get("TYNDAU_TEST_POSTGRES_URL"):
        raise SystemExit("set TYNDAU_TEST_POSTGRES_URL (scripts/test-postgres.sh prints one)")
    base = make_url(os.environ["TYNDAU_TEST_POSTGRES_URL"])
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin_dsn = base.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    admin = await asyncpg.connect(admin_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()

    async def drop() -> None:
        conn = await asyncpg.connect(admin_dsn)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()

    return base.set(drivername="postgresql+asyncpg", database=name), drop


def dsn(url: URL) -> str:
    """The URL as asyncpg's own connect() takes it."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)
