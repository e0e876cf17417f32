"""Files of example embeddings: the per-encoder cache in the model cache, and the shipped seed.

The learned stages embed a few thousand phrasings written in ``config/`` (taxonomy examples,
problem examples, their wrapped variants). Those depend only on our own files and the pinned
weights, so the package ships them for the default encoder, quantised to int8 per row (~2 MB),
in ``config/nlp/example_embeddings.npz`` (int8 residuals from the mean) together with the encoder fingerprint they belong to.
Rows are keyed by the SHA-1 of the text: an edited example is simply missing from the seed and
gets embedded once into the model cache. Regenerate the seed after editing the examples::

    python -m tyndau.nlp.example_store --write
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .taxonomy import config_path

logger = logging.getLogger(__name__)
Matrix = npt.NDArray[np.float32]
SHIPPED = "nlp/example_embeddings.npz"


def read_rows(path: Path) -> dict[str, Matrix]:
    """Rows of a cache file (``keys`` + ``rows``, or the older one-member-per-key layout); {} if unreadable."""
    if not path.exists():
        return {}
    try:
        with np.load(path) as data:
            if "keys" in data.files and "rows" in data.files:
                rows = data["rows"].astype(np.float32)
                if "scales" in data.files:
                    rows = rows * data["scales"].astype(np.float32)[:, None] + data["mean"].astype(np.float32)
                return {str(k): rows[i] for i, k in enumerate(data["keys"])}
            return {k: np.asarray(data[k], dtype=np.float32) for k in data.files}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:  # a torn or foreign file: rebuild
        logger.warning("ignoring unreadable embedding cache %s (%s); it will be rebuilt", path, exc)
        return {}


def write_rows(path: Path, rows: dict[str, Matrix], *, fingerprint: str = "", int8: bool = False,
               mean: Matrix | None = None) -> bool:
    """Write rows atomically (readable by other accounts sharing the cache); False if the disk refused.

    ``mean`` (int8 only): the mean to quantise against, instead of these rows' own.
    """
    keys = sorted(rows)
    matrix = np.stack([rows[k] for k in keys]).astype(np.float32) if keys else np.zeros((0, 0), np.float32)
    arrays: dict[str, npt.NDArray[np.generic]] = {"keys": np.array(keys, dtype="U40"),
                                                  "fingerprint": np.array(fingerprint)}
    if int8 and keys:
        # e5 vectors share a large common part; quantising what is left after the mean keeps the
        # centred vectors the stages learn from as exact as the raw ones (cosine ~0.999).
        if mean is None or np.shape(mean) != matrix.shape[1:]:
            mean = matrix.mean(axis=0)
        residual = matrix - mean
        scales = np.maximum(np.abs(residual).max(axis=1), 1e-12) / 127.0
        arrays["rows"] = np.round(residual / scales[:, None]).astype(np.int8)
        arrays["scales"] = scales.astype(np.float32)
        arrays["mean"] = mean.astype(np.float32)
    else:
        arrays["rows"] = matrix
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
        with os.fdopen(fd, "wb") as fh:
            (np.savez_compressed if int8 else np.savez)(fh, **arrays)  # type: ignore[arg-type]  # numpy's stubs read **arrays as allow_pickle
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        return True
    except OSError as exc:
        logger.warning("cannot write embedding cache %s: %s", path, exc)
        return False


def shipped_fingerprint(path: Path | None = None) -> str | None:
    """The encoder fingerprint the shipped seed was made with (None when there is no seed)."""
    file = path or config_path(SHIPPED)
    if not file.exists():
        return None
    try:
        with np.load(file) as data:
            return str(data["fingerprint"])
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None


def shipped_rows(fingerprint: str, path: Path | None = None) -> dict[str, Matrix]:
    """The shipped rows if they were made by the encoder with ``fingerprint``, else {}."""
    file = path or config_path(SHIPPED)
    if os.environ.get("TYNDAU_NO_SHIPPED_EMBEDDINGS") or shipped_fingerprint(file) != fingerprint:
        return {}
    return read_rows(file)


def write_shipped(target: Path | None = None, *, fresh: bool = False) -> Path:
    """Build the default pipeline and ship the example rows it embedded.

    The seed's own rows are kept and only new texts are embedded: the int8 encoder's vector of a
    text moves a little with the texts batched beside it, so re-embedding everything after adding
    a hundred examples changed half the other rows and moved Kursk's macro-F1 0.622 -> 0.617 at
    equal accuracy. ``fresh`` embeds every row again (a new encoder, or a seed built from nothing).
    """
    from .features import encoder_fingerprint
    from .pipeline import Pipeline

    out = target or config_path(SHIPPED)
    with tempfile.TemporaryDirectory(prefix="tyndau-seed-") as tmp:
        if fresh:
            os.environ["TYNDAU_NO_SHIPPED_EMBEDDINGS"] = "1"  # start from nothing, so every row is fresh
        try:
            pipeline = Pipeline.from_config(cache_dir=Path(tmp))
        finally:
            os.environ.pop("TYNDAU_NO_SHIPPED_EMBEDDINGS", None)
        fingerprint = encoder_fingerprint(pipeline.stage("encoder"))
        rows = read_rows(Path(tmp) / f"nlp-embeddings-{fingerprint}.npz")
    # Quantised against the seed's own mean (same encoder), a kept row is written byte for byte as before.
    mean = None if fresh else _shipped_mean(out, fingerprint)
    write_rows(out, rows, fingerprint=fingerprint, int8=True, mean=mean)
    print(f"wrote {len(rows)} example embeddings for encoder {fingerprint} to {out} ({out.stat().st_size // 1024} KB)")
    return out


def _shipped_mean(path: Path, fingerprint: str) -> Matrix | None:
    """The quantisation mean of the seed at ``path`` when it was made for this encoder."""
    try:
        with np.load(path) as data:
            if "mean" in data.files and str(data["fingerprint"]) == fingerprint:
                return data["mean"].astype(np.float32)
    except (OSError, ValueError, KeyError):
        pass
    return None


def main() -> None:
    """``python -m tyndau.nlp.example_store --write``: regenerate the shipped seed."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="rebuild config/nlp/example_embeddings.npz")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--fresh", action="store_true", help="embed every example again, not only the new ones")
    args = parser.parse_args()
    if not args.write:
        print(f"shipped seed: {config_path(SHIPPED)} (encoder {shipped_fingerprint()})")
        return
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    write_shipped(args.out, fresh=args.fresh)


if __name__ == "__main__":
    main()
