"""How much can category corrections add? The server's corrections beside what the frozen encoder allows.

Per labelled file (the dev appeals in ../shared when present, or ``--files``), all through the
server's own ``Pipeline``:

- **corrections**: the first 20 %, 40 %, 60 %, 80 % of the rows fed to ``learn_categories`` (a
  fresh pipeline each time), accuracy on the **same last fifth** — so more corrections are compared
  on the same rows;
- **ceiling**: a logistic model on [log prior, centred e5 vector] given four fifths of the rows to
  learn from, five-fold — what a head on the frozen encoder reaches with four times the
  corrections ``--adapt 0.2`` gives;
- **clusters** (files with a ``cluster`` column): BCubed F1 of the last four fifths of the rows,
  the file read as one live meeting, without and with a secretary's review of the first fifth's
  drafts (``tyndau nlp eval --adapt 0.2``: splits and merges replayed from the gold clusters).

    python benchmarks/bench_adapt.py [--shared ../shared] [--files a.csv,b.csv] [--cache-dir DIR]

Prints one table per file. Needs scikit-learn (part of ``.[nlp]``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tyndau.nlp.evaluate import bcubed, live_clusters, read_rows, run_eval  # noqa: E402
from tyndau.nlp.pipeline import Pipeline  # noqa: E402

DEFAULT_FILES = ("kursk_appeals_dev.csv", "spb_appeals_dev.csv", "kzgov_parallel_dev.csv")
CLUSTER_FILES = ("spb_dups_dev1.csv", "spb_dups_dev2.csv", "kzgov_crossling_dev.csv")


def _accuracy(pipe: Any, texts: list[str], gold: list[str]) -> float:
    labels = pipe.process(texts, cluster=False)
    return float(np.mean([lab.category == g for lab, g in zip(labels, gold)]))


def corrections_curve(rows: list[dict[str, str]], cache_dir: Path | None) -> list[tuple[int, float]]:
    """(corrections, accuracy on the last fifth) for 0 and 20..80 % of the rows as corrections."""
    n = len(rows)
    test = rows[round(0.8 * n):]
    texts, gold = [r["text"] for r in test], [r["category"] for r in test]
    out = []
    for fraction in (0.0, 0.2, 0.4, 0.6, 0.8):
        pipe = Pipeline.from_config(None, cache_dir=cache_dir)
        learned = pipe.learn_categories([(r["text"], r["category"]) for r in rows[: round(fraction * n)]])
        out.append((learned, _accuracy(pipe, texts, gold)))
    return out


def frozen_ceiling(rows: list[dict[str, str]], cache_dir: Path | None) -> float:
    """Five-fold accuracy of a logistic model on [log prior, centred vector], four fifths to learn from."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    pipe = Pipeline.from_config(None, cache_dir=cache_dir)
    labels = pipe.process([r["text"] for r in rows], cluster=False)
    keep = [i for i, lab in enumerate(labels) if lab.vector is not None]
    texts = [labels[i].text for i in keep]
    vectors = np.stack([labels[i].vector for i in keep]).astype(np.float32)
    prior = pipe.categoriser.probabilities(texts, vectors)
    centred = vectors - vectors.mean(axis=0)
    centred /= np.linalg.norm(centred, axis=1, keepdims=True) + 1e-9
    features = np.hstack([np.log(prior + 1e-6), 3 * centred])
    gold = np.array([rows[i]["category"] for i in keep])
    predicted = cross_val_predict(LogisticRegression(C=0.3, max_iter=3000), features, gold, cv=5)
    return float(np.mean(predicted == gold))


def review_gain(path: Path, cache_dir: Path | None) -> tuple[float, float]:
    """BCubed F1 of the rows after the first fifth: the meeting unreviewed, and reviewed at a fifth."""
    rows = read_rows(path)
    pipe = Pipeline.from_config(None, cache_dir=cache_dir)
    labels = pipe.process([r["text"] for r in rows], cluster=False)
    found = live_clusters(pipe, labels, [i for i, r in enumerate(rows) if r.get("cluster") or labels[i].is_problem], True)
    rest = [i for i in range(round(0.2 * len(rows)), len(rows)) if rows[i].get("cluster")]
    unreviewed = bcubed([rows[i]["cluster"] for i in rest], [found.get(i, f"u{i}") for i in rest])[2]
    reviewed = run_eval(path, adapt=0.2, cache_dir=cache_dir)["cluster_bcubed_f1"]
    return unreviewed, float(reviewed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--files", help="comma-separated labelled CSVs (text, category)")
    parser.add_argument("--cache-dir", type=Path, default=Path(os.environ.get("TYNDAU_MODEL_CACHE_DIR", REPO / ".cache" / "models")))
    args = parser.parse_args()
    files = [Path(f) for f in args.files.split(",")] if args.files else [args.shared / "data" / "appeals" / f for f in DEFAULT_FILES]
    files = [f for f in files if f.is_file()]
    if not files:
        print("no labelled files found (the dev appeals live in ../shared/data/appeals; or pass --files)")
        return 0
    for path in files:
        rows = [r for r in read_rows(path) if r.get("text") and r.get("category")]
        started = time.perf_counter()
        curve = corrections_curve(rows, args.cache_dir)
        ceiling = frozen_ceiling(rows, args.cache_dir)
        print(f"\n{path.name}: {len(rows)} labelled rows, accuracy on the last fifth ({len(rows) - round(0.8 * len(rows))} rows)")
        for (learned, acc), fraction in zip(curve, (0, 20, 40, 60, 80)):
            print(f"  {fraction:>2} % as corrections ({learned:>4} learned): {acc:.3f} ({100 * (acc - curve[0][1]):+.1f})")
        print(f"  frozen-encoder ceiling (logistic, five-fold, all rows): {ceiling:.3f}")
        print(f"  ({time.perf_counter() - started:.0f} s)")
    cluster_files = [Path(f) for f in args.files.split(",")] if args.files else [args.shared / "data" / "appeals" / f for f in CLUSTER_FILES]
    cluster_files = [f for f in cluster_files if f.is_file() and "cluster" in (read_rows(f)[:1] or [{}])[0]]
    if cluster_files:
        print("\nclusters: BCubed F1 of the last four fifths, one live meeting, without / with a review of the first fifth")
    for path in cluster_files:
        started = time.perf_counter()
        unreviewed, reviewed = review_gain(path, args.cache_dir)
        print(f"  {path.name}: {unreviewed:.3f} / {reviewed:.3f} ({100 * (reviewed - unreviewed):+.1f}; "
              f"{time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
