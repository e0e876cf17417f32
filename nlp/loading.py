"""Progress of building the NLP pipeline, so a console can show "Модель загружается: 40 %".

The percentage is real: it advances as each role is built, weighted by what that role costs on a
cold start (exporting the encoder, embedding and fitting the learned stages), and inside the
learned stages by how many example texts the encoder has embedded so far.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class LoadStep:
    """Where the build is: the role being built and the overall percentage (0–100)."""

    stage: str
    percent: int


logger = logging.getLogger(__name__)
ProgressCallback = Callable[[LoadStep], None]
# Share of a cold start each role takes (measured on 2 cores with an empty model cache).
ROLE_WEIGHTS: dict[str, float] = {"normaliser": 2, "language": 1, "personal_data": 1, "encoder": 25,
                                  "detector": 12, "categoriser": 50, "places": 1, "profanity": 1, "clusterer": 1,
                                  "warm_up": 6}
_EMBEDDING_SHARE = 0.8  # of a learned stage's time, when its examples are not cached yet


class LoadReporter:
    """Turns "role X is x % done" into monotonic overall steps for a callback."""

    def __init__(self, roles: Sequence[str], callback: ProgressCallback | None) -> None:
        self._callback = callback
        self._weights = {r: ROLE_WEIGHTS.get(r, 1.0) for r in roles}
        self._total = sum(self._weights.values()) or 1.0
        self._done = 0.0
        self._last = -1
        self._deferred: set[str] = set()

    def _emit(self, stage: str, within: float) -> None:
        if self._callback is None:
            return
        percent = int(100 * (self._done + self._weights.get(stage, 0.0) * min(max(within, 0.0), 1.0)) / self._total)
        percent = min(percent, 99) if stage != "ready" else 100
        if percent > self._last:
            self._last = percent
            self._callback(LoadStep(stage, percent))

    @contextlib.contextmanager
    def role(self, role: str, encoder: Any) -> Iterator[None]:
        """Report the build of ``role``; while it runs, the encoder's progress counts inside it."""
        self._emit(role, 0.0)
        started, cpu = time.perf_counter(), time.process_time()
        hooked = encoder is not None and hasattr(encoder, "on_progress")
        if hooked:
            encoder.on_progress = lambda done, total: self._emit(role, _EMBEDDING_SHARE * done / max(total, 1))
        try:
            yield
        finally:
            if hooked:
                encoder.on_progress = None
        if role in self._deferred:
            logger.info("NLP %s started (finishes in the background)", role)
            return
        self._done += self._weights.get(role, 0.0)
        logger.info("NLP %s built in %.1f s (%.1f s of CPU)", role, time.perf_counter() - started,
                    time.process_time() - cpu)
        self._emit(role, 0.0)

    def defer(self, role: str) -> None:
        """``role``'s stage finishes in the background; its share counts when :meth:`settle` is called."""
        self._deferred.add(role)

    def settle(self, role: str) -> None:
        """A deferred role has finished."""
        if role in self._deferred:
            self._deferred.discard(role)
            self._done += self._weights.get(role, 0.0)
            self._emit(role, 0.0)

    def ready(self) -> None:
        """The pipeline is built."""
        self._emit("ready", 1.0)
