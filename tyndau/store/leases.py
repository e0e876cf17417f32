"""Leases: work that must run once across the cluster (the labeller, each polled source) runs where its lease is held.

On PostgreSQL a lease is a session-level advisory lock held on one dedicated connection per
process: PostgreSQL releases it the moment that connection ends (the process died, or its host
stopped answering the TCP keepalives set below), so there are no clocks, renewals or expiry rows.
The holder checks the connection every few seconds and drops all its work the moment it is lost,
sooner than the server gives the locks away. On SQLite there is one server process, and every
lease is granted locally.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Protocol

from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

LABELLER = "labeller"
_CLASS = {"labeller": 0x7479_0001, "source": 0x7479_0002}
# The server gives a dead peer's locks away after idle + interval * count seconds (10 + 5 * 3).
KEEPALIVE = {"tcp_keepalives_idle": "10", "tcp_keepalives_interval": "5", "tcp_keepalives_count": "3"}
CHECK_TIMEOUT = 5.0


def source_lease(source_id: int) -> str:
    """The lease name of one source."""
    return f"source:{source_id}"


def lock_key(name: str) -> int:
    """The 64-bit advisory lock key of a lease name (a class in the high half, the id in the low)."""
    kind, _, ident = name.partition(":")
    return (_CLASS[kind] << 32) | (int(ident) if ident else 0)


class Leases(Protocol):
    """Who runs what: ``acquire`` is non-blocking, ``holds`` is what the supervisors check."""

    async def acquire(self, name: str) -> bool: ...

    async def release(self, name: str) -> None: ...

    def holds(self, name: str) -> bool: ...

    async def check(self) -> bool: ...

    async def close(self) -> None: ...


class LocalLeases:
    """One process owns everything (SQLite, or a deployment without other workers)."""

    def __init__(self) -> None:
        self._held: set[str] = set()

    async def acquire(self, name: str) -> bool:
        """Always granted."""
        self._held.add(name)
        return True

    async def release(self, name: str) -> None:
        """Forget the lease."""
        self._held.discard(name)

    def holds(self, name: str) -> bool:
        """Whether this process took the lease."""
        return name in self._held

    async def check(self) -> bool:
        """Nothing can be lost."""
        return True

    async def close(self) -> None:
        """Nothing to close."""
        self._held.clear()


class NoLeases(LocalLeases):
    """A ``--role web`` process: it serves, and never takes the labeller or a source."""

    async def acquire(self, name: str) -> bool:
        """Never granted."""
        return False


class AdvisoryLeases:
    """PostgreSQL session-level advisory locks on one dedicated connection of this process."""

    def __init__(self, database_url: str, *, name: str = "tyndau") -> None:
        url = make_url(database_url).set(drivername="postgresql")
        self._dsn = url.render_as_string(hide_password=False)
        self._app_name = f"{name}-leases:{os.getpid()}"
        self._conn: Any = None
        self._held: set[str] = set()
        self._lock = asyncio.Lock()

    @property
    def application_name(self) -> str:
        """How this process's lease connection shows in ``pg_stat_activity`` (``<name>-leases:<pid>``)."""
        return self._app_name

    async def _connection(self) -> Any:
        import asyncpg

        if self._conn is None or self._conn.is_closed():
            self._held.clear()
            self._conn = await asyncpg.connect(self._dsn, timeout=CHECK_TIMEOUT,
                                               server_settings={"application_name": self._app_name, **KEEPALIVE})
            self._conn.add_termination_listener(self._terminated)
        return self._conn

    def _terminated(self, conn: Any) -> None:
        """The connection ended: the server has released (or will release) every lock of it."""
        if conn is self._conn and self._held:
            log.warning("lost the lease connection; giving up %s", ", ".join(sorted(self._held)))
            self._held.clear()

    async def acquire(self, name: str) -> bool:
        """Take the lease if nobody holds it (never waits for a holder)."""
        if name in self._held:
            return True
        async with self._lock:
            try:
                conn = await self._connection()
                got = bool(await conn.fetchval("SELECT pg_try_advisory_lock($1::bigint)", lock_key(name), timeout=CHECK_TIMEOUT))
            except Exception as exc:  # noqa: BLE001 - the store is away: hold nothing, try again later
                log.warning("could not take lease %s: %s", name, exc)
                await self._drop()
                return False
            if got:
                self._held.add(name)
            return got

    async def release(self, name: str) -> None:
        """Give the lease back (the work was stopped)."""
        if name not in self._held:
            return
        self._held.discard(name)
        async with self._lock:
            try:
                await self._conn.fetchval("SELECT pg_advisory_unlock($1::bigint)", lock_key(name), timeout=CHECK_TIMEOUT)
            except Exception as exc:  # noqa: BLE001 - a broken connection released it anyway
                log.warning("could not release lease %s: %s", name, exc)
                await self._drop()

    def holds(self, name: str) -> bool:
        """Whether this process holds the lease now."""
        return name in self._held

    async def check(self) -> bool:
        """Is the lease connection alive? When not, every lease is dropped (the holders stop their work)."""
        if self._conn is None:
            return True
        async with self._lock:
            try:
                await self._conn.fetchval("SELECT 1", timeout=CHECK_TIMEOUT)
                return True
            except Exception as exc:  # noqa: BLE001 - any failure means the locks may be gone
                log.warning("the lease connection failed (%s); giving up %s", exc, ", ".join(sorted(self._held)) or "nothing")
                await self._drop()
                return False

    async def _drop(self) -> None:
        self._held.clear()
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.terminate()

    async def close(self) -> None:
        """Release everything by closing the connection."""
        self._held.clear()
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await asyncio.wait_for(conn.close(), CHECK_TIMEOUT)
            except Exception:  # noqa: BLE001 - closing is best effort; the server frees the locks
                conn.terminate()


def leases_for(database_url: str, role: str = "all") -> Leases:
    """Advisory-lock leases on PostgreSQL, local ones on SQLite, none for a web-only process."""
    if role == "web":
        return NoLeases()
    if make_url(database_url).get_backend_name() == "postgresql":
        return AdvisoryLeases(database_url)
    return LocalLeases()
