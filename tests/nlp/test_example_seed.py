"""The shipped seed of example embeddings: adding examples leaves every other row as it was."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tyndau.nlp.example_store import _shipped_mean, read_rows, write_rows


def test_rows_written_again_against_the_seeds_mean_are_byte_for_byte_the_same(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    base = rng.normal(size=384).astype(np.float32)
    rows = {f"k{i}": (base + 0.1 * rng.normal(size=384)).astype(np.float32) for i in range(20)}
    first = tmp_path / "seed.npz"
    assert write_rows(first, rows, fingerprint="enc", int8=True)
    kept = read_rows(first)  # what a pipeline built on the seed holds: the dequantised rows
    grown = {**kept, "new": (base + 0.1 * rng.normal(size=384)).astype(np.float32)}
    second = tmp_path / "seed2.npz"
    assert write_rows(second, grown, fingerprint="enc", int8=True, mean=_shipped_mean(first, "enc"))
    with np.load(first) as a, np.load(second) as b:
        old = dict(zip(a["keys"].tolist(), a["rows"]))
        new = dict(zip(b["keys"].tolist(), b["rows"]))
        assert np.array_equal(a["mean"], b["mean"])
    assert all(np.array_equal(old[k], new[k]) for k in old)
    # against the grown rows' own mean, the old rows would have moved
    third = tmp_path / "seed3.npz"
    write_rows(third, grown, fingerprint="enc", int8=True)
    with np.load(third) as c:
        moved = dict(zip(c["keys"].tolist(), c["rows"]))
    assert not all(np.array_equal(old[k], moved[k]) for k in old)
    assert _shipped_mean(first, "another encoder") is None and _shipped_mean(tmp_path / "none.npz", "enc") is None
