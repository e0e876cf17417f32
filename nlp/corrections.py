"""How secretaries' category corrections move the categoriser: a category bias and a neighbour vote.

Measured on the dev appeals (``tyndau nlp eval --adapt``): the taxonomy-trained prior is already
right four times in five, and what corrections add is mostly *this akimat's boundaries* between
neighbouring categories (improvement / roads / utilities). Two cheap heads capture that without
refitting anything large: the per-category log-ratio of how often corrections name a category to
how often the prior predicts it on the same texts (the confusion the corrections show), and a
similarity-weighted vote of the nearest corrected comments, mixed linearly into the prior. A
comment that repeats a corrected one (near-identical embedding) follows its correction at once.
A refitted logistic model on the corrections, with or without the taxonomy examples, did no better
and costs seconds per refit.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]


def category_bias(prior: Matrix, labels: npt.ArrayLike) -> Matrix:
    """log P(category | corrections) - log mean prior on the corrected texts, add-one smoothed."""
    probs = np.asarray(prior, dtype=np.float64)
    n, k = probs.shape
    counts = np.bincount(np.asarray(labels, dtype=np.int64), minlength=k)[:k]
    named = (counts + 1.0) / (n + k)
    predicted = (probs.sum(axis=0) + 1.0) / (n + k)
    return (np.log(named) - np.log(predicted)).astype(np.float32)


def neighbour_mix(probs: Matrix, queries: Matrix, memory: Matrix, labels: npt.NDArray[np.int64], *,
                  k: int, temperature: float, weight: float, same_text: float) -> Matrix:
    """Mix the softmax-weighted vote of the ``k`` nearest corrections into ``probs``.

    ``queries`` and ``memory`` are unit rows; the vote counts with ``weight``, or more — up to
    all of it — when the nearest correction is as close as a repeat of the same text.
    """
    if memory.shape[0] == 0 or probs.shape[0] == 0:
        return probs
    sims = queries @ memory.T
    k = max(1, min(k, memory.shape[0]))
    nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    near = np.take_along_axis(sims, nearest, axis=1).astype(np.float64)
    top = near.max(axis=1, keepdims=True)
    strength = np.exp((near - top) / max(temperature, 1e-6))
    votes = np.zeros(probs.shape, dtype=np.float64)
    rows = np.repeat(np.arange(probs.shape[0]), k)
    np.add.at(votes, (rows, labels[nearest].ravel()), strength.ravel())
    votes /= votes.sum(axis=1, keepdims=True)
    repeat = np.clip((top[:, 0] - same_text) / max(1.0 - same_text, 1e-6), 0.0, 1.0)
    mix = np.maximum(min(max(weight, 0.0), 1.0), repeat)[:, None]
    return ((1.0 - mix) * probs + mix * votes).astype(np.float32)
