"""NLP benchmark: pipeline load time, batch texts/s on 10,000 comments, live latency at 20/s, peak RSS.

The comments are generated from the bundled demo chat (our own text) with varied streets,
villages and numbers, so no two are identical (the embedding cache cannot shortcut them).

    .venv/bin/python benchmarks/bench_nlp.py [--n 10000] [--rate 20] [--seconds 30] [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import queue
import random
import resource
import statistics
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STREETS = ["Абая", "Толе би", "Жибек жолы", "Сейфуллина", "Райымбека", "Гагарина", "Момышулы", "Садовая", "Наурызбай батыра", "Шамалган"]
VILLAGES = ["Каскелен", "Иргели", "Шамалган", "Үшқоңыр", "Береке", "Жандосов", "Раимбек", "Абай ауылы"]


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache" / "tyndau" / "models")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from tyndau.nlp.pipeline import Pipeline

    texts = corpus(args.n)
    started = time.perf_counter()
    pipeline = Pipeline.from_config(cache_dir=args.cache_dir)
    load_s = time.perf_counter() - started
    rss_after_load = peak_rss_mb()

    started = time.perf_counter()
    for i in range(0, len(texts), 256):
        pipeline.process(texts[i:i + 256], list(range(i, i + len(texts[i:i + 256]))))
    batch_s = time.perf_counter() - started
    batch_rate = len(texts) / batch_s

    # Live: one comment every 1/rate s; a consumer labels whatever has arrived (like the server).
    live = corpus(int(args.rate * args.seconds), seed=11)
    arrivals: queue.Queue[tuple[int, str, float]] = queue.Queue()
    latencies: list[float] = []

    def consume() -> None:
        done = 0
        while done < len(live):
            first = arrivals.get()
            batch = [first]
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
        due = t_start + i / args.rate
        time.sleep(max(0.0, due - time.perf_counter()))
        arrivals.put((i, text, time.perf_counter()))
    worker.join()
    lat = sorted(latencies)
    p50 = statistics.median(lat) * 1000
    p99 = lat[min(len(lat) - 1, int(0.99 * (len(lat) - 1)))] * 1000
    result = {
        "load_seconds": round(load_s, 1), "batch_texts": len(texts), "batch_texts_per_second": round(batch_rate, 1),
        "live_rate": args.rate, "live_comments": len(live), "live_p50_ms": round(p50, 1), "live_p99_ms": round(p99, 1),
        "peak_rss_mb": round(peak_rss_mb(), 0), "rss_after_load_mb": round(rss_after_load, 0),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"pipeline load: {result['load_seconds']} s (peak RSS after load {result['rss_after_load_mb']:.0f} MB)")
        print(f"batch: {len(texts)} comments in {batch_s:.1f} s = {batch_rate:.1f} texts/s")
        print(f"live at {args.rate:g}/s for {args.seconds:g} s: p50 {p50:.0f} ms, p99 {p99:.0f} ms")
        print(f"peak RSS: {result['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
