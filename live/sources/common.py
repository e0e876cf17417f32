"""Pieces every source shares: checkpoints, back-off, health bookkeeping (text hygiene is
:func:`tyndau.domain.text_safety.storable`, the one text-safety module)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from tyndau.domain.comments import IncomingComment, IngestResult
from tyndau.live.sources.base import CommentSink, HealthState, SourceHealth
from tyndau.live.sources.health_codes import render
from tyndau.timeutil import utcnow

Clock = Callable[[], datetime]

log = logging.getLogger(__name__)

def as_mapping(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a JSON object, else an empty one: platform payloads are never trusted."""
    return value if isinstance(value, Mapping) else {}


class Checkpoint(Protocol):
    """Where a source keeps its resume point; the lead may back it with the database."""

    async def load(self) -> dict[str, Any] | None:
        """The last saved state, or None when the source never ran."""

    async def save(self, state: Mapping[str, Any]) -> None:
        """Persist ``state`` durably (called only after the sink has committed the batch)."""


class MemoryCheckpoint:
    """A checkpoint held in memory: for tests and one-shot imports."""

    def __init__(self, state: Mapping[str, Any] | None = None) -> None:
        self.state: dict[str, Any] | None = dict(state) if state is not None else None
        self.saves = 0

    async def load(self) -> dict[str, Any] | None:
        """Return a copy of the saved state."""
        return None if self.state is None else dict(self.state)

    async def save(self, state: Mapping[str, Any]) -> None:
        """Keep a copy of ``state``."""
        self.state = dict(state)
        self.saves += 1


class FileCheckpoint:
    """A JSON file written atomically (temp file, fsync, rename), so a crash never leaves half a state."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @classmethod
    def in_dir(cls, state_dir: Path, name: str) -> FileCheckpoint:
        """A checkpoint file named after the source inside ``state_dir``."""
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "source"
        return cls(Path(state_dir) / f"{safe}.checkpoint.json")

    async def load(self) -> dict[str, Any] | None:
        """Read the state; a missing or unreadable file means "start from scratch"."""
        return await asyncio.to_thread(self._load)

    async def save(self, state: Mapping[str, Any]) -> None:
        """Write the state atomically."""
        await asyncio.to_thread(self._save, dict(state))

    def _load(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _save(self, state: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(state, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)


@dataclass(slots=True)
class Backoff:
    """Exponential back-off with a cap and a little jitter, reset after a success."""

    initial: float = 1.0
    factor: float = 2.0
    cap: float = 60.0
    jitter: float = 0.1
    attempts: int = 0

    def next_delay(self) -> float:
        """The delay before the next attempt; grows until the cap."""
        base = min(self.cap, self.initial * (self.factor**self.attempts))
        self.attempts += 1
        spread = base * self.jitter
        return max(0.0, min(self.cap, base + random.uniform(-spread, spread)))

    def reset(self) -> None:
        """Start again from the initial delay."""
        self.attempts = 0


@dataclass(slots=True)
class HealthTracker:
    """Mutable bookkeeping behind :class:`SourceHealth` snapshots."""

    state: HealthState = "starting"
    last_message_at: datetime | None = None
    received: int = 0
    skipped: int = 0
    code: str = "starting"
    params: dict[str, Any] = field(default_factory=dict)
    restarts: int = 0

    def set(self, state: HealthState, code: str | None = None, **params: Any) -> None:
        """Change the state and (when given) the reason code with its parameters."""
        self.state = state
        if code is not None:
            self.code = code
            self.params = {k: ("" if v is None else v) for k, v in params.items()}

    @property
    def detail(self) -> str:
        """The reason in English (logs, the API)."""
        return render(self.code, self.params)

    def delivered(self, count: int, at: datetime) -> None:
        """Record that ``count`` comments were committed."""
        if count:
            self.received += count
            self.last_message_at = at

    def snapshot(self) -> SourceHealth:
        """An immutable view for the console."""
        detail = self.detail
        if self.restarts:
            detail = f"{detail} (restarts: {self.restarts})" if detail else f"restarts: {self.restarts}"
        return SourceHealth(
            state=self.state,
            last_message_at=self.last_message_at,
            received=self.received,
            skipped=self.skipped,
            detail=detail,
            code=self.code,
            params=dict(self.params),
            restarts=self.restarts,
        )


async def deliver(
    sink: CommentSink,
    batch: Sequence[IncomingComment],
    tracker: HealthTracker,
    clock: Clock = utcnow,
) -> Sequence[IngestResult]:
    """Hand one batch to the sink and count it; the batch is durable when this returns."""
    if not batch:
        return ()
    results = await sink(list(batch))
    tracker.delivered(len(batch), clock())
    return results


async def deliver_retrying(
    sink: CommentSink,
    batch: Sequence[IncomingComment],
    tracker: HealthTracker,
    clock: Clock = utcnow,
    *,
    cap: float = 30.0,
) -> Sequence[IngestResult]:
    """Deliver, retrying with back-off while the store fails: the comments stay in hand, none is lost."""
    backoff = Backoff(initial=0.5, cap=cap)
    previous = (tracker.state, tracker.code, dict(tracker.params))
    while True:
        try:
            results = await deliver(sink, batch, tracker, clock)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            delay = backoff.next_delay()
            log.exception("sink failed; retrying in %.1f s", delay)
            tracker.set("down", "store_unavailable", error=type(exc).__name__)
            await asyncio.sleep(delay)
            continue
        if backoff.attempts:
            tracker.set(previous[0], previous[1], **previous[2])
        return results


def chunks(items: Sequence[IncomingComment], size: int) -> list[Sequence[IncomingComment]]:
    """Split ``items`` into batches of at most ``size``."""
    size = max(1, size)
    return [items[i : i + size] for i in range(0, len(items), size)]
