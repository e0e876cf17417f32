"""A bounded memo for per-word work that a meeting's chat repeats.

A chat says the same few thousand words again and again; the stages that look at each word
(profanity, language, subtopic forms) ask the same question of the same word thousands of times
in a meeting. The memo lives on the stage instance (no module-level state) and is emptied when it
fills, so a long-running server's memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """``compute(key)`` remembered for up to ``size`` keys (then forgotten all at once)."""

    __slots__ = ("_compute", "_size", "_seen")

    def __init__(self, compute: Callable[[K], V], size: int = 1 << 16) -> None:
        self._compute = compute
        self._size = size
        self._seen: dict[K, V] = {}

    def __call__(self, key: K) -> V:
        try:
            return self._seen[key]
        except KeyError:
            pass
        value = self._compute(key)
        if len(self._seen) >= self._size:
            self._seen.clear()
        self._seen[key] = value
        return value
