"""NLP benchmark, fp32 reference vs the fast path side by side in one run.

Per encoder (each in its own process, so peak RSS is its own): pipeline load time, batch texts/s
on 10,000 chat-length comments, live latency at 20 comments/s, peak RSS, and — when the dev files
in ../shared/data/appeals are present — category accuracy and problem F1 per file. Then how far
the fast encoder moves embeddings and pairwise similarities (what the clusterer thresholds see).
The comments are generated from the bundled demo chat (our own text) with varied streets,
villages and numbers, so no two are identical (the embedding cache cannot shortcut them).

    .venv/bin/python benchmarks/bench_nlp.py [--variants fp32,fast[,onnx-fp32,fast64,fast-spin]] [--n 10000] [--rate 20] [--seconds 30]
        [--corrections N] [--cache-dir DIR] [--dev-dir DIR | --no-dev] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "data" / "appeals"
STREETS = ["Абая", "Толе би", "Жибек жолы", "Сейфуллина", "Райымбека", "Гагарина", "Момышулы", "Садовая", "Наурызбай батыра", "Шамалган"]
VILLAGES = ["Каскелен", "Иргели", "Шамалган", "Үшқоңыр", "Береке", "Жандосов", "Раимбек", "Абай ауылы"]
# What each variant changes in config/nlp.toml (the fast path is the shipped default).
VARIANTS: dict[str, dict[str, dict[str, Any]]] = {
    "fp32": {"encoder": {"use": "e5", "max_length": 128, "batch_size": 32, "threads": 2}},
    "fast": {},
    "onnx-fp32": {"encoder": {"use": "e5_onnx", "precision": "fp32", "max_length": 128, "batch_size": 64, "max_tokens": 4096}},
    "fast64": {"encoder": {"use": "e5_onnx", "precision": "int8", "max_length": 64, "batch_size": 64, "max_tokens": 4096}},
    "fast-spin": {"encoder": {"use": "e5_onnx", "precision": "int8", "max_length": 128, "batch_size": 64,
                              "max_tokens": 4096, "spin": True}},
}


def corpus(n: int, seed: int = 7) -> list[str]:
    """``n`` distinct bilingual comments built from the demo chat."""
    from tyndau.live.sources.youtube_chat import parse_bytes

    raw = (REPO / "config" / "demo" / "meeting_chat.live_chat.json").read_bytes()
    comments, _ = parse_bytes(raw)
    base = [c.text for c in comments if c.text and c.kind in ("text", "paid")]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = rng.choice(base)
        tail = rng.choice([f" (ул. {rng.choice(STREETS)} {rng.randint(1, 200)})", f" — {rng.choice(VILLAGES)}",
                           f" #{i}", f" {rng.choice(VILLAGES)} ауылы, {rng.randint(1, 99)} үй", ""])
        out.append(f"{text}{tail} ({i})")
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load() -> float:
    return round(os.getloadavg()[0], 1)


def live_latency(pipeline: Any, rate: float, seconds: float) -> tuple[float, float]:
    """One comment every 1/rate s; a consumer labels whatever has arrived (like the server)."""
    live = corpus(int(rate * seconds), seed=11)
    arrivals: queue.Queue[tuple[int, str, float]] = queue.Queue()
    latencies: list[float] = []

    def consume() -> None:
        done = 0
        while done < len(live):
            batch = [arrivals.get()]
            while not arrivals.empty() and len(batch) < 64:
                batch.append(arrivals.get_nowait())
            pipeline.process([t for _, t, _ in batch], [10**7 + i for i, _, _ in batch])
            now = time.perf_counter()
            latencies.extend(now - t0 for _, _, t0 in batch)
            done += len(batch)

    worker = threading.Thread(target=consume)
    worker.start()
    t_start = time.perf_counter()
    for i, text in enumerate(live):
        time.sleep(max(0.0, t_start + i / rate - time.perf_counter()))
        arrivals.put((i, text, time.perf_counter()))
    worker.join()
    lat = sorted(latencies)
    return statistics.median(lat) * 1000, lat[min(len(lat) - 1, int(0.99 * (len(lat) - 1)))] * 1000


def worker(variant: str, args: argparse.Namespace) -> dict[str, Any]:
    """Everything measured for one encoder, in this process."""
    from tyndau.nlp.evaluate import run_eval
    from tyndau.nlp.pipeline import Pipeline

    out: dict[str, Any] = {"variant": variant, "load_avg_start": load()}
    texts = corpus(args.n)
    started = time.perf_counter()
    pipeline = Pipeline.from_config(cache_dir=args.cache_dir, overrides=VARIANTS[variant])
    out["load_seconds"] = round(time.perf_counter() - started, 1)
    out["rss_after_load_mb"] = round(peak_rss_mb())
    out["corrections"] = args.corrections
    if args.corrections:  # what labelling costs once secretaries have corrected categories (not their quality)
        ids = [c.id for c in pipeline.taxonomy]
        taught = corpus(args.corrections, seed=23)
        started = time.perf_counter()
        pipeline.learn_categories([(t, ids[i % len(ids)]) for i, t in enumerate(taught)], refit=True)
        out["learn_seconds"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    for i in range(0, len(texts), 256):
        chunk = texts[i:i + 256]
        pipeline.process(chunk, list(range(i, i + len(chunk))))
    out["batch_texts_per_second"] = round(len(texts) / (time.perf_counter() - started), 1)
    out["load_avg_batch"] = load()
    p50, p99 = live_latency(pipeline, args.rate, args.seconds)
    out.update(live_p50_ms=round(p50), live_p99_ms=round(p99), load_avg_live=load())
    out["dev"] = {}
    if args.dev_dir is not None:
        for path in sorted(args.dev_dir.glob("*.csv")):
            metrics = run_eval(path, pipeline=pipeline)
            out["dev"][path.stem] = {k: metrics[k] for k in ("n", "category_accuracy", "problem_f1", "texts_per_second")}
    out["peak_rss_mb"] = round(peak_rss_mb())
    out["load_avg_end"] = load()
    return out


def agreement(args: argparse.Namespace) -> dict[str, Any]:
    """How the fast encoder moves embeddings (cosine to fp32) and pairwise similarities (raw and centred)."""
    import numpy as np

    from tyndau.nlp.encoder import E5Encoder, ensure_model
    from tyndau.nlp.encoder.fast import load_onnx_encoder

    texts = corpus(1500, seed=3)
    if args.dev_dir is not None:
        from tyndau.nlp.evaluate import read_rows

        rng = random.Random(5)
        for path in sorted(args.dev_dir.glob("*.csv")):
            rows = read_rows(path)
            texts += [r["text"] for r in rng.sample(rows, min(300, len(rows)))]
    ref = E5Encoder(ensure_model(args.cache_dir), max_length=128).encode(texts)
    fast = load_onnx_encoder(args.cache_dir, precision="int8", max_length=128).encode(texts)
    cos = (ref * fast).sum(axis=1)
    rng_np = np.random.default_rng(0)
    a, b = rng_np.integers(0, len(texts), 40_000), rng_np.integers(0, len(texts), 40_000)
    keep = a != b
    a, b = a[keep], b[keep]

    def centred(m: Any) -> Any:
        c = m - m.mean(axis=0)
        return c / np.linalg.norm(c, axis=1, keepdims=True)

    result: dict[str, Any] = {"texts": len(texts), "cosine_to_fp32": _summary(cos, signed=True)}
    for name, (r, f) in {"raw": (ref, fast), "centred": (centred(ref), centred(fast))}.items():
        sim_r, sim_f = (r[a] * r[b]).sum(axis=1), (f[a] * f[b]).sum(axis=1)
        delta = sim_f - sim_r
        close = sim_r >= np.quantile(sim_r, 0.95)
        result[f"pair_delta_{name}"] = {"all": _summary(delta, signed=True), "closest_5pct": _summary(delta[close], signed=True)}
    return result


def _summary(x: Any, *, signed: bool = False) -> dict[str, float]:
    import numpy as np

    ab = np.abs(x)
    out = {"mean_abs": float(ab.mean()), "p50_abs": float(np.quantile(ab, 0.5)), "p95_abs": float(np.quantile(ab, 0.95)),
           "p99_abs": float(np.quantile(ab, 0.99)), "max_abs": float(ab.max())}
    if signed:
        out = {"mean": float(np.mean(x)), "min": float(np.min(x)), **out}
    return {k: round(v, 5) for k, v in out.items()}


def _run_child(mode: str, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", mode, "--n", str(args.n), "--rate", str(args.rate),
           "--seconds", str(args.seconds), "--cache-dir", str(args.cache_dir), "--corrections", str(args.corrections)]
    cmd += ["--dev-dir", str(args.dev_dir)] if args.dev_dir is not None else ["--no-dev"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _print(results: dict[str, dict[str, Any]], agree: dict[str, Any] | None) -> None:
    names = list(results)
    rows = [("pipeline load, s", "load_seconds"), ("corrections taught", "corrections"),
            ("learning them, s", "learn_seconds"), ("batch texts/s", "batch_texts_per_second"),
            ("live p50 ms", "live_p50_ms"), ("live p99 ms", "live_p99_ms"), ("peak RSS MB", "peak_rss_mb"),
            ("load average (start/batch/live)", None)]
    print(f"{'':34}" + "".join(f"{n:>18}" for n in names))
    for label, key in rows:
        if key is None:
            cells = [f"{r['load_avg_start']}/{r['load_avg_batch']}/{r['load_avg_live']}" for r in results.values()]
        else:
            cells = [str(r.get(key, "—")) for r in results.values()]
        print(f"{label:34}" + "".join(f"{c:>18}" for c in cells))
    files = sorted({f for r in results.values() for f in r["dev"]})
    if files:
        print(f"\ndev files: category accuracy / problem F1 in points ({' / '.join(names)}; Δ against {names[0]})")
        for f in files:
            cells = []
            for metric in ("category_accuracy", "problem_f1"):
                vals = [results[n]["dev"].get(f, {}).get(metric) for n in names]
                if f.startswith("kk_chatter") and metric == "problem_f1":
                    cells.append("— (no problems in the file)")
                    continue
                shown = " / ".join("—" if v is None else f"{100 * v:.1f}" for v in vals)
                deltas = [f"{100 * (v - vals[0]):+.1f}" for v in vals[1:] if v is not None and vals[0] is not None]
                cells.append(shown + (f" (Δ {', '.join(deltas)})" if deltas else ""))
            print(f"  {f:24} acc {cells[0]:34} F1 {cells[1]}")
    else:
        print("\ndev files: skipped (../shared/data/appeals not present)")
    if agree:
        c = agree["cosine_to_fp32"]
        print(f"\nfast vs fp32 on {agree['texts']} texts: cosine mean {c['mean']:.4f}, min {c['min']:.4f}")
        for name in ("raw", "centred"):
            for part in ("all", "closest_5pct"):
                d = agree[f"pair_delta_{name}"][part]
                print(f"  pair cosine Δ ({name}, {part}): mean {d['mean']:+.4f}, |Δ| mean {d['mean_abs']:.4f}, "
                      f"p95 {d['p95_abs']:.4f}, p99 {d['p99_abs']:.4f}, max {d['max_abs']:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", default="fp32,fast")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--corrections", type=int, default=0,
                        help="category corrections to teach before labelling (their cost, not their quality)")
    parser.add_argument("--cache-dir", type=Path, default=Path(os.environ.get("TYNDAU_MODEL_CACHE_DIR") or
                                                                Path.home() / ".cache" / "tyndau" / "models"))
    parser.add_argument("--dev-dir", type=Path, default=DEV)
    parser.add_argument("--no-dev", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.no_dev or not args.dev_dir.is_dir():
        args.dev_dir = None
    if args.child:
        print(json.dumps(agreement(args) if args.child == "agreement" else worker(args.child, args)))
        return
    variants = [v for v in args.variants.split(",") if v]
    results = {v: _run_child(v, args) for v in variants}
    agree = _run_child("agreement", args) if set(variants) >= {"fp32", "fast"} else None
    if args.json:
        print(json.dumps({"variants": results, "agreement": agree}))
    else:
        _print(results, agree)


if __name__ == "__main__":
    main()
