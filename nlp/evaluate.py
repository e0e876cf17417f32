"""``tyndau nlp eval``: run the real pipeline on a labelled CSV and print the agreed metrics.

Contract: a CSV with a header; ``text`` is required, ``category``, ``is_problem`` and ``cluster``
are used when present (an empty cell means "not labelled"), other columns are ignored.
``--adapt F`` feeds the gold categories of the first F of the rows to the categoriser as
secretary corrections and scores only the remaining rows; when those rows have clusters, the
file is one meeting whose first F rows' drafts a secretary fixes (splits and merges, replayed
from the gold clusters through the clusterer's own pins and judged pairs) before the rest arrive.

Clusters are made the way the server makes them: rows are read in file order for echoes (a "+"
or "и у нас тоже" joins the problem it points at) and go through ``Clusterer.add_batch`` in
batches of the live labeller's size, each batch assigned incrementally and the meeting
re-clustered as the server does (``--batch``: one stateless clustering of all rows instead). The
rows clustered are those the server would cluster (predicted problems) and every row with a
``cluster`` label (so the cluster metrics measure clustering, not the problem detector).
``--predictions OUT.csv`` writes the predicted ``text, category, is_problem, cluster`` of every
input row, in input order (cluster ids are comparable only within the file).
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from .pipeline import Pipeline

logger = logging.getLogger(__name__)
METRIC_KEYS = ("n", "category_accuracy", "category_macro_f1", "problem_precision", "problem_recall",
               "problem_f1", "problem_accuracy", "cluster_v_measure", "cluster_ari", "cluster_bcubed_precision",
               "cluster_bcubed_recall", "cluster_bcubed_f1", "texts_per_second")
_TRUE, _FALSE = {"1", "true", "yes", "да", "иә"}, {"0", "false", "no", "нет", "жоқ"}


class EvalInputError(ValueError):
    """The evaluation file cannot be used (missing, unreadable, no ``text`` column ...)."""


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of the CSV as dicts of stripped strings; raises EvalInputError with a clear reason."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            first = fh.readline()
            fh.seek(0)
            # Excel in a Russian or Kazakh locale saves "CSV" with semicolons: the header's own
            # separator decides (a header has no quoted commas worth counting).
            delimiter = max((",", ";", "\t"), key=first.count)
            reader = csv.DictReader(fh, delimiter=delimiter)
            header = [h.strip() for h in (reader.fieldnames or [])]
            if "text" not in header:
                raise EvalInputError(f"{path}: no 'text' column in the header "
                                     f"(found: {', '.join(header) or 'nothing'})")
            reader.fieldnames = header
            return [{k: (v or "").strip() if isinstance(v, str) else "" for k, v in row.items() if k}
                    for row in reader]
    except OSError as exc:
        raise EvalInputError(f"cannot read {path}: {exc}") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise EvalInputError(f"{path} is not a UTF-8 CSV file ({exc}); save it as \"CSV UTF-8\"") from exc


def _flag(value: str) -> int | None:
    low = value.strip().lower()
    if low in _TRUE:
        return 1
    if low in _FALSE:
        return 0
    try:
        return 1 if float(low) >= 0.5 else 0
    except ValueError:
        return None


def run_eval(input_path: str | Path, *, adapt: float = 0.0, with_place: bool = True,
             config_path: Path | None = None, cache_dir: Path | None = None,
             overrides: Mapping[str, Mapping[str, Any]] | None = None,
             pipeline: Pipeline | None = None, batch: bool = False,
             predictions: str | Path | None = None) -> dict[str, Any]:
    """Metrics of the pipeline on one labelled file (keys: ``METRIC_KEYS``; None = no rows)."""
    if not 0.0 <= adapt < 1.0:
        raise EvalInputError(f"--adapt must be in [0, 1), got {adapt}")
    rows = read_rows(Path(input_path))
    pipe = pipeline or Pipeline.from_config(config_path, overrides=overrides, cache_dir=cache_dir)
    n_adapt = round(adapt * len(rows))
    # the meeting's first rows, labelled before the secretary's corrections, for the live path's review
    reviewed = (pipe.process([r["text"] for r in rows[:n_adapt]], cluster=False)
                if n_adapt and not batch and any(r.get("cluster") for r in rows[:n_adapt]) else [])
    if reviewed:  # already read: their vectors become the corrections' own
        pipe.learn_labelled(reviewed, [r.get("category") or None for r in rows[:n_adapt]], refit=True)
    elif n_adapt:
        _feed_corrections(pipe, rows[:n_adapt])
    scored = rows[n_adapt:]
    started = time.perf_counter()
    labels = pipe.process([r["text"] for r in scored], cluster=False)
    cluster_rows = [i for i, r in enumerate(scored) if r.get("cluster")]
    if reviewed:
        found = _reviewed_live_clusters(pipe, rows, [*reviewed, *labels], n_adapt, with_place)
    else:
        clustered = [i for i, r in enumerate(scored) if r.get("cluster") or labels[i].is_problem]
        found = (_batch_clusters if batch else live_clusters)(pipe, labels, clustered, with_place)
    predicted_clusters = [found.get(i, f"unclustered-{i}") for i in cluster_rows]
    elapsed = max(time.perf_counter() - started, 1e-9)
    if predictions is not None:
        _write_predictions(Path(predictions), rows, n_adapt, labels, found)
    result: dict[str, Any] = {"n": len(scored)}
    result.update(_category_metrics(scored, labels))
    result.update(_problem_metrics(scored, labels))
    result.update(_cluster_metrics([scored[i]["cluster"] for i in cluster_rows], predicted_clusters))
    result["texts_per_second"] = round(len(scored) / elapsed, 2) if scored else None
    return {k: result.get(k) for k in METRIC_KEYS}


def _feed_corrections(pipe: Pipeline, rows: Sequence[Mapping[str, str]]) -> None:
    """The gold categories as secretary corrections, through the server's own path."""
    items = [(r["text"], r["category"]) for r in rows if r.get("category") and r.get("text")]
    if items:
        pipe.learn_categories(items, refit=True)


def _place_keys(lab: Any) -> list[str]:
    return [p.normalised_key for p in lab.places]


def _clusterer_for(pipe: Pipeline, with_place: bool) -> Any:
    template = pipe.clusterer
    if template is None:
        return None
    clusterer = template.fresh()
    if not with_place and clusterer.settings.with_place:
        from dataclasses import replace

        clusterer = type(clusterer)(replace(clusterer.settings, with_place=False), means=clusterer.means)
    return clusterer


def _reviewed_live_clusters(pipe: Pipeline, rows: Sequence[Mapping[str, str]], labels: Sequence[Any],
                            n_reviewed: int, with_place: bool) -> dict[int, str]:
    """``--adapt``: the whole file as one meeting, its first rows' drafts fixed by a secretary midway.

    Returns the clusters of the rows after the review, indexed from the first of them.
    """
    clustered = [i for i, r in enumerate(rows) if r.get("cluster") or labels[i].is_problem]
    gold = {i: r["cluster"] for i, r in enumerate(rows[:n_reviewed]) if r.get("cluster")}
    found = live_clusters(pipe, labels, clustered, with_place, review_at=n_reviewed, gold=gold)
    return {i - n_reviewed: cid for i, cid in found.items() if i >= n_reviewed}


def live_clusters(pipe: Pipeline, labels: Sequence[Any], rows: list[int], with_place: bool, *,
                   review_at: int = 0, gold: Mapping[int, str] | None = None) -> dict[int, str]:
    """Rows through the server's steps, in file order, in the labeller's batches (the benchmarks read clusters so too).

    Every row is read for echoes as the labeller reads a chat (``EchoTracker``); an echo takes the
    cluster of the comment it points at, the others to be clustered go through ``add_batch``.
    With ``gold``, a secretary fixes the drafts of the rows before ``review_at`` once they are in
    (``review_replay``), and the rest arrive after the review.
    """
    from .clusterer import LIVE_BATCH
    from .echoes import EchoTracker
    from .review_replay import replay_review

    clusterer = _clusterer_for(pipe, with_place)
    if clusterer is None:
        return {}
    wanted = set(rows)
    tracker = EchoTracker()
    roots: dict[int, Any] = {}
    have: list[int] = []
    starts = sorted({*range(0, len(labels), LIVE_BATCH), *([review_at] if gold else [])})
    for start, end in zip(starts, [*starts[1:], len(labels)]):
        if gold and start == review_at:
            replay_review(clusterer, have, gold)
        entries = []
        for i in range(start, end):
            lab = labels[i]
            own = i in wanted and lab.vector is not None
            verdict = tracker.read(i, lab, text=lab.text or "", is_problem=lab.is_problem or i in wanted, clustered=own)
            if verdict.root is not None:
                roots[i] = verdict.root
            elif own:
                entries.append((i, lab.vector, {"lang": lab.lang, "places": _place_keys(lab),
                                                "category": lab.category, "text": lab.text,
                                                "subtopics": lab.subtopics}))
                have.append(i)
        clusterer.add_batch(entries)
    found = {i: clusterer.cluster_of(i) for i in have}
    found.update({i: found[r] for i, r in roots.items() if r in found and i in wanted})
    return found


def _batch_clusters(pipe: Pipeline, labels: Sequence[Any], rows: list[int], with_place: bool) -> dict[int, str]:
    """One stateless clustering of all rows (``--batch``)."""
    from .clusterer import cluster_labels

    clusterer = _clusterer_for(pipe, with_place)
    have = [i for i in rows if labels[i].vector is not None] if clusterer is not None else []
    if not have:
        return {}
    found = cluster_labels(np.stack([labels[i].vector for i in have]), langs=[labels[i].lang for i in have],
                           places=[_place_keys(labels[i]) for i in have], settings=clusterer.settings,
                           means=clusterer.means, texts=[labels[i].text for i in have])
    return {i: f"b{int(c)}" for i, c in zip(have, found)}


def _write_predictions(path: Path, rows: Sequence[Mapping[str, str]], n_adapt: int, labels: Sequence[Any],
                       found: Mapping[int, str]) -> None:
    """One row per input row, in input order: the predicted category, problem flag and cluster."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["text", "category", "is_problem", "cluster"])
            for k, row in enumerate(rows):
                i = k - n_adapt
                lab = labels[i] if i >= 0 else None
                is_problem = "" if lab is None or lab.is_problem is None else int(bool(lab.is_problem))
                writer.writerow([row.get("text", ""), (lab.category or "") if lab else "", is_problem,
                                 found.get(i, "") if lab is not None else ""])
    except OSError as exc:
        raise EvalInputError(f"cannot write predictions to {path}: {exc}") from exc


def _category_metrics(rows: Sequence[Mapping[str, str]], labels: Sequence[Any]) -> dict[str, Any]:
    from sklearn.metrics import accuracy_score, f1_score

    idx = [i for i, r in enumerate(rows) if r.get("category")]
    if not idx:
        return {"category_accuracy": None, "category_macro_f1": None}
    gold = [rows[i]["category"] for i in idx]
    pred = [labels[i].category or "<none>" for i in idx]
    return {
        "category_accuracy": round(float(accuracy_score(gold, pred)), 4),
        "category_macro_f1": round(float(f1_score(gold, pred, labels=sorted(set(gold)),
                                                  average="macro", zero_division=0)), 4),
    }


def _problem_metrics(rows: Sequence[Mapping[str, str]], labels: Sequence[Any]) -> dict[str, Any]:
    from sklearn.metrics import precision_recall_fscore_support

    flags = [(_flag(r.get("is_problem", "")), bool(labels[i].is_problem)) for i, r in enumerate(rows)]
    pairs = [(g, int(p)) for g, p in flags if g is not None]
    if not pairs:
        return {"problem_precision": None, "problem_recall": None, "problem_f1": None, "problem_accuracy": None}
    gold, pred = zip(*pairs)
    p, r, f, _ = precision_recall_fscore_support(gold, pred, average="binary", pos_label=1,
                                                 zero_division=0)
    # Accuracy too: on a file of chatter only (no problem in it) precision and F1 are 0 whatever
    # the detector does, and the share of rows it leaves alone is the figure that says something.
    right = sum(g == q for g, q in pairs)
    return {"problem_precision": round(float(p), 4), "problem_recall": round(float(r), 4),
            "problem_f1": round(float(f), 4), "problem_accuracy": round(right / len(pairs), 4)}


def _cluster_metrics(gold: Sequence[str], predicted: Sequence[Any]) -> dict[str, Any]:
    from sklearn.metrics import adjusted_rand_score, v_measure_score

    if not gold:
        return {"cluster_v_measure": None, "cluster_ari": None, "cluster_bcubed_precision": None,
                "cluster_bcubed_recall": None, "cluster_bcubed_f1": None}
    pred = [str(p) for p in predicted]
    p, r, f = bcubed(gold, pred)
    return {"cluster_v_measure": round(float(v_measure_score(gold, pred)), 4),
            "cluster_ari": round(float(adjusted_rand_score(gold, pred)), 4),
            "cluster_bcubed_precision": round(p, 4), "cluster_bcubed_recall": round(r, 4),
            "cluster_bcubed_f1": round(f, 4)}


def bcubed(gold: Sequence[Any], predicted: Sequence[Any]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 (Bagga & Baldwin): per item, averaged over items."""
    from collections import Counter

    n = len(gold)
    if n == 0:
        return 0.0, 0.0, 0.0
    pairs = Counter(zip(gold, predicted))
    g_size, p_size = Counter(gold), Counter(predicted)
    precision = sum(c * c / p_size[p] for (_, p), c in pairs.items()) / n
    recall = sum(c * c / g_size[g] for (g, _), c in pairs.items()) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float(precision), float(recall), float(f1)


def format_table(result: Mapping[str, Any], source: str = "") -> str:
    """A readable two-column table of the metrics."""
    lines = [f"NLP evaluation{': ' + source if source else ''}"]
    width = max(len(k) for k in METRIC_KEYS)
    for key in METRIC_KEYS:
        value = result.get(key)
        shown = "—" if value is None else (f"{value:.4f}" if isinstance(value, float) else str(value))
        lines.append(f"  {key.ljust(width)}  {shown}")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    """Arguments of ``tyndau nlp eval``."""
    parser = argparse.ArgumentParser(prog="tyndau nlp eval",
                                     description="Run the NLP pipeline on a labelled CSV and print metrics.")
    parser.add_argument("--input", required=True, type=Path, help="CSV with a 'text' column")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--adapt", type=float, default=0.0, metavar="FRACTION",
                        help="feed the gold categories of the first FRACTION of rows as corrections "
                             "(and fix their drafts' clusters as a secretary would) and score the rest")
    parser.add_argument("--with-place", action="store_true", default=True,
                        help="cluster by issue and place, as the server does (the default)")
    parser.add_argument("--without-place", dest="with_place", action="store_false",
                        help="ignore places when clustering (for comparison)")
    parser.add_argument("--batch", action="store_true",
                        help="one stateless clustering of all rows instead of the server's live path")
    parser.add_argument("--predictions", type=Path, default=None, metavar="OUT.csv",
                        help="write the predicted text, category, is_problem, cluster of every row")
    parser.add_argument("--config", type=Path, default=None, help="NLP config (default: config/nlp.toml)")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="model cache (default: $TYNDAU_DATA_DIR/models)")
    return parser


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Entry point for ``tyndau nlp eval``; exit code 2 on bad input, never a traceback."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        result = run_eval(args.input, adapt=args.adapt, with_place=args.with_place,
                          config_path=args.config, cache_dir=args.cache_dir, batch=args.batch,
                          predictions=args.predictions)
    except EvalInputError as exc:
        print(f"tyndau nlp eval: error: {exc}", file=err)
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False), file=out)
    else:
        print(format_table(result, str(args.input)), file=out)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
