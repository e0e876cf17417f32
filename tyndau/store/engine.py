"""Open the store: SQLite (WAL) in the data directory by default, PostgreSQL by URL.

Every way the database can be wrong at start-up (corrupt file, locked, unreachable server, bad
URL) becomes a :class:`StoreError` with one line a person can act on.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, TypeAlias

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import CursorResult, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from tyndau.settings import Settings

log = logging.getLogger(__name__)

# The names the layers above use for the store's handles, so that only the store imports SQLAlchemy.
Engine: TypeAlias = AsyncEngine
Connection: TypeAlias = AsyncConnection
# A write refused by a unique constraint: someone else wrote the same thing at the same moment.
Conflict: TypeAlias = IntegrityError


class StoreError(RuntimeError):
    """The store cannot be used; the message says why in one line."""


def is_sqlite(engine: AsyncEngine) -> bool:
    """True for the embedded SQLite store."""
    return engine.dialect.name == "sqlite"


def create_engine(settings: Settings) -> AsyncEngine:
    """An async engine for the configured URL, with SQLite tuned for durability and concurrency."""
    raw_url = settings.effective_database_url
    try:
        url = make_url(raw_url)
    except ArgumentError:
        raise StoreError(f"setting database_url: not a database URL: {raw_url!r}") from None
    kwargs: dict[str, Any] = {}
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 5}
    elif url.get_backend_name() == "postgresql":
        if url.get_driver_name() in ("", "psycopg2"):
            url = url.set(drivername="postgresql+asyncpg")
        kwargs.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
    else:
        raise StoreError(f"setting database_url: only sqlite and postgresql are supported, got {url.get_backend_name()!r}")
    try:
        engine = create_async_engine(url, **kwargs)
    except (NoSuchModuleError, ArgumentError, ImportError) as exc:
        raise StoreError(f"setting database_url: {exc}") from None
    if engine.dialect.name == "sqlite":
        synchronous = settings.sqlite_synchronous

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={synchronous}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

    return engine


def error_line(exc: BaseException) -> str:
    """The driver's own first line of a store error ("database is locked"), without SQLAlchemy's wrapping."""
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def describe_error(exc: BaseException, engine: AsyncEngine) -> str:
    """One line that says what is wrong with the database, without a traceback."""
    text = error_line(exc)
    where = engine.url.render_as_string(hide_password=True)
    if is_sqlite(engine):
        where = engine.url.database or where
        low = text.lower()
        if "not a database" in low or "malformed" in low or "corrupt" in low:
            return f"the database file {where} is corrupt or is not a SQLite database ({text}); restore it from a backup or move it aside"
        if "locked" in low or "busy" in low:
            return f"the database file {where} is locked by another process ({text}); stop the other Tyndau server or wait"
        if "unable to open" in low or "readonly" in low or "permission" in low:
            return f"the database file {where} cannot be opened for writing ({text}); check the data directory and its permissions"
    return f"the database at {where} cannot be used: {text}"


async def check_connection(engine: AsyncEngine) -> None:
    """Open a connection and touch the schema, turning failures into StoreError."""
    try:
        async with engine.connect() as conn:
            await conn.execute(sa.text("SELECT 1"))
            if is_sqlite(engine):
                result = await conn.execute(sa.text("PRAGMA quick_check"))
                verdict = result.scalar()
                if verdict != "ok":
                    raise StoreError(describe_error(RuntimeError(f"corrupt: {verdict}"), engine))
    except StoreError:
        raise
    except (DBAPIError, OperationalError, OSError, ConnectionError) as exc:
        raise StoreError(describe_error(exc, engine)) from None


def new_id(result: CursorResult[Any]) -> int:
    """The primary key of the one row an INSERT wrote."""
    key = result.inserted_primary_key
    assert key is not None  # an INSERT of one row always has its key
    return int(key[0])


def is_outage(exc: BaseException) -> bool:
    """True for failures of the store itself (retry later), false for a write it refuses."""
    if getattr(exc, "connection_invalidated", False):
        return True
    return isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError, sa_exc.TimeoutError,
                            ConnectionError, TimeoutError, asyncio.TimeoutError, OSError))
