"""Slow down password guessing: a lockout per user name and a limit per address.

Failures are counted per user name whether or not the user exists, so the answers (and their
timing) say nothing about which names are real. Counts live in the server's memory: they reset
on restart, and each worker counts its own.
"""

from __future__ import annotations

import collections
import time
from dataclasses import dataclass, field

MAX_TRACKED = 20_000
MAX_LOCK_SECONDS = 900.0


FORGET_AFTER = 3600.0  # a name's count starts again after an hour without failures


@dataclass
class _Name:
    failures: int = 0
    locked_until: float = 0.0
    last: float = 0.0


@dataclass
class LoginGuard:
    """``max_failures`` wrong passwords lock a name for ``lockout_seconds`` (doubling, up to 15 min);
    ``ip_max_failures`` wrong logins from one address within ``ip_window_seconds`` pause that address."""

    max_failures: int = 5
    lockout_seconds: float = 60.0
    ip_max_failures: int = 30
    ip_window_seconds: float = 600.0
    _names: dict[str, _Name] = field(default_factory=dict)
    _ips: dict[str, collections.deque[float]] = field(default_factory=dict)

    @staticmethod
    def key(name: str) -> str:
        """How a user name is counted (case and surrounding spaces do not make a new name)."""
        return name.strip().casefold()[:100]

    def wait(self, name: str, ip: str, now: float | None = None) -> float:
        """Seconds until this name may try again from this address (0: go ahead)."""
        now = time.monotonic() if now is None else now
        waits = [0.0]
        entry = self._names.get(self.key(name))
        if entry is not None and entry.locked_until > now:
            waits.append(entry.locked_until - now)
        times = self._ips.get(ip)
        if times:
            while times and now - times[0] > self.ip_window_seconds:
                times.popleft()
            if len(times) >= self.ip_max_failures:
                waits.append(self.ip_window_seconds - (now - times[0]))
        return max(waits)

    def failed(self, name: str, ip: str, now: float | None = None) -> None:
        """Count a wrong password (or an unknown name)."""
        now = time.monotonic() if now is None else now
        self._bound(now)
        entry = self._names.setdefault(self.key(name), _Name())
        if now - entry.last > FORGET_AFTER:
            entry.failures = 0
        entry.failures += 1
        entry.last = now
        if entry.failures >= self.max_failures:
            extra = entry.failures - self.max_failures
            entry.locked_until = now + min(self.lockout_seconds * (2 ** min(extra, 16)), MAX_LOCK_SECONDS)
        self._ips.setdefault(ip, collections.deque(maxlen=self.ip_max_failures * 2)).append(now)

    def succeeded(self, name: str) -> None:
        """A right password clears the name's count (not the address's)."""
        self._names.pop(self.key(name), None)

    def _bound(self, now: float) -> None:
        """Forget settled entries so a flood of made-up names cannot grow memory without end."""
        if len(self._names) >= MAX_TRACKED:
            self._names = {k: v for k, v in self._names.items() if v.locked_until > now}
            if len(self._names) >= MAX_TRACKED:
                self._names.clear()
        if len(self._ips) >= MAX_TRACKED:
            self._ips = {k: v for k, v in self._ips.items() if v and now - v[-1] <= self.ip_window_seconds}
            if len(self._ips) >= MAX_TRACKED:
                self._ips.clear()
