"""Periodic jobs that meet a busy or unreachable store say so once, not with a traceback per round.

A SQLite file locked by a long import or a PostgreSQL restart makes every heartbeat, sweep and
reconcile fail until it is over; the next round does the work, so one line when the wait starts
and one when it ends is all an operator needs. Failures that are not the store's keep their
traceback (they are bugs).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from tyndau.store.engine import error_line, is_outage


class StoreWaits:
    """The log of one periodic job's rounds: quiet while the store is away, loud on anything else."""

    def __init__(self, log: logging.Logger, job: str) -> None:
        """``job`` names it in the log as a subject: "the heartbeat"."""
        self._log = log
        self._job = job
        self._missed = 0

    async def round(self, job: Callable[[], Awaitable[object]]) -> None:
        """Run one round of the job; log its failure once per outage of the store, any other with its traceback."""
        try:
            await job()
        except Exception as exc:  # noqa: BLE001 - every failure is logged: an outage of the store once, anything else with its traceback
            if not is_outage(exc):
                self._log.warning("%s failed", self._job, exc_info=True)
                return
            if not self._missed:
                self._log.info("%s waits for the store (%s): it runs again once the store answers", self._job, error_line(exc))
            self._missed += 1
        else:
            if self._missed:
                self._log.info("%s runs again after %d missed round(s)", self._job, self._missed)
            self._missed = 0
