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
ROLE_WEIGHTS: dict[str, float] = {"normaliser": 2, "language": 6, "personal_data": 1, "encoder": 30,
                                  "detector": 25, "categoriser": 32, "places": 1, "profanity": 1, "clusterer": 2}
_EMBEDDING_SHARE = 0.8  # of a learned stage's time, when its examples are not cached yet


class LoadReporter:
    """Turns "role X is x % done" into monotonic overall steps for a callback."""

    def __init__(self, roles: Sequence[str], callback: ProgressCallback | None) -> None:
        self._callback = callback
        self._weights = {r: ROLE_WEIGHTS.get(r, 1.0) for r in roles}
        self._total = sum(self._weights.values()) or 1.0
        self._done = 0.0
        self._last = -1

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
        started = time.perf_counter()
        hooked = encoder is not None and hasattr(encoder, "on_progress")
        if hooked:
            encoder.on_progress = lambda done, total: self._emit(role, _EMBEDDING_SHARE * done / max(total, 1))
        try:
            yield
        finally:
            if hooked:
                encoder.on_progress = None
        self._done += self._weights.get(role, 0.0)
        logger.info("NLP %s built in %.1f s", role, time.perf_counter() - started)
        self._emit(role, 0.0)

    def ready(self) -> None:
        """The pipeline is built."""
        self._emit("ready", 1.0)
