"""An in-memory stand-in for the store's sink: idempotent on (source, dedup key), can be told to fail."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from tyndau.domain.comments import IncomingComment, IngestResult


class RecordingSink:
    """Commits comments in memory exactly like the store promises: once per (source, dedup key)."""

    def __init__(self, *, fail_times: int = 0) -> None:
        self.comments: list[IncomingComment] = []
        self.batches: list[list[IncomingComment]] = []
        self.duplicates = 0
        self.fail_times = fail_times
        self.calls = 0
        self._keys: dict[tuple[str, str], int] = {}
        self._changed = asyncio.Event()

    async def __call__(self, batch: Sequence[IncomingComment]) -> Sequence[IngestResult]:
        """Store a batch; raise while ``fail_times`` is positive (the store is "down")."""
        self.calls += 1
        if self.fail_times > 0:
            self.fail_times -= 1
            raise ConnectionError("store is down (fake)")
        results = []
        self.batches.append(list(batch))
        for comment in batch:
            key = (comment.source, comment.dedup_key())
            if key in self._keys:
                self.duplicates += 1
                results.append(IngestResult(self._keys[key], True))
                continue
            self.comments.append(comment)
            self._keys[key] = len(self.comments)
            results.append(IngestResult(len(self.comments), False))
        self._changed.set()
        return results

    @property
    def texts(self) -> list[str]:
        """The stored texts in order."""
        return [c.text for c in self.comments]

    @property
    def ids(self) -> list[str | None]:
        """The stored external ids in order."""
        return [c.external_id for c in self.comments]

    async def wait_for(self, count: int, timeout: float = 10.0) -> None:
        """Wait until at least ``count`` distinct comments are stored."""

        async def _wait() -> None:
            while len(self.comments) < count:
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(_wait(), timeout)
