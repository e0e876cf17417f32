"""Length-bucketed batches: texts of similar length run together, so padding wastes no compute."""

from __future__ import annotations

from collections.abc import Callable, Sequence

Progress = Callable[[int, int], None]  # (texts done, texts in this call)


def length_batches(lengths: Sequence[int], *, batch_size: int, max_tokens: int) -> list[list[int]]:
    """Indices grouped shortest first; a batch holds ≤ ``batch_size`` rows and ≤ ``max_tokens`` padded tokens."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        width = lengths[i]  # sorted ascending, so the newest row is the widest
        if current and (len(current) >= batch_size or (len(current) + 1) * width > max_tokens):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches
