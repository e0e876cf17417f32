"""Intake benchmark: comments/s through the webhook and a replay source while N consoles watch.

Starts ``tyndau serve`` in its own process (SQLite in a temp dir, or ``--database-url``), then
from this process pushes single-comment webhook requests at rising target rates while N
socket.io clients watch the meeting's feed. For each step it prints the achieved rate, loss
(acknowledged but not delivered to every watcher, or not stored) and latency from acceptance
(``received_at``, set when the comment is committed) to arrival at each watcher.

    .venv/bin/python benchmarks/bench_intake.py --watchers 1 10 50 --rates 500 1000 2000 3000
    .venv/bin/python benchmarks/bench_intake.py --database-url postgresql+asyncpg://...
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import aiohttp
import socketio

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, database_url: str | None) -> tuple[subprocess.Popen, str, str]:
    env = {**os.environ, "TYNDAU_LOG_LEVEL": "WARNING", "TYNDAU_NLP_ENABLED": "false"}
    extra = ["--database-url", database_url] if database_url else []
    token = subprocess.run([sys.executable, "-m", "tyndau", "token", "create", "--role", "moderator", "--name", "bench", "--data-dir", str(data_dir), *extra],
                           capture_output=True, text=True, check=True, env=env).stdout.strip()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tyndau", "serve", "--port", str(port), "--data-dir", str(data_dir), *extra],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{port}", token


async def wait_up(url: str) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(300):
            try:
                async with http.get(f"{url}/healthz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("server did not start")


class Watcher:
    """A console watching the feed; records when each comment arrived."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.arrivals: dict[str, float] = {}
        self.sio.on("comments", self._on_comments, namespace="/feed")

    def _on_comments(self, items: list[dict]) -> None:
        now = time.time()
        for item in items:
            self.arrivals.setdefault(item["external_id"], now - datetime.fromisoformat(item["received_at"]).timestamp())

    async def start(self, url: str, token: str, meeting_id: int) -> None:
        await self.sio.connect(url, namespaces=["/feed"], auth={"token": token}, transports=["websocket"])
        ack = await self.sio.call("join", {"meeting_id": meeting_id, "limit": 1}, namespace="/feed")
        assert ack["ok"], ack


async def push(url: str, token: str, meeting_id: int, prefix: str, rate: float, seconds: float) -> tuple[list[str], float]:
    """Send single-comment webhook requests at ``rate``/s for ``seconds``; returns acknowledged ids and elapsed."""
    total = int(rate * seconds)
    acked: list[str] = []
    headers = {"Authorization": f"Bearer {token}"}
    connector = aiohttp.TCPConnector(limit=256)
    sem = asyncio.Semaphore(256)
    async with aiohttp.ClientSession(connector=connector) as http:
        async def one(n: int) -> None:
            body = {"source": "bench", "external_id": f"{prefix}-{n}", "author": f"a{n % 500}", "text": f"Когда починят дорогу на улице {n % 50}? Жол жөндеу керек",
                    "created_at": "2026-12-01T10:00:00+05:00"}
            async with sem:
                async with http.post(f"{url}/api/v1/meetings/{meeting_id}/comments", json=body, headers=headers) as resp:
                    if resp.status in (200, 201):
                        acked.append(body["external_id"])

        start = time.perf_counter()
        tasks = []
        for n in range(total):
            due = start + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(n)))
        await asyncio.gather(*tasks)
        return acked, time.perf_counter() - start


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def run_step(url: str, token: str, meeting_id: int, watchers: list[Watcher], rate: float, seconds: float, label: str) -> dict:
    acked, elapsed = await push(url, token, meeting_id, label, rate, seconds)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(len([a for a in acked if a in w.arrivals]) < len(acked) for w in watchers):
        await asyncio.sleep(0.1)
    latencies = [w.arrivals[a] * 1000 for w in watchers for a in acked if a in w.arrivals]
    delivered = min((sum(1 for a in acked if a in w.arrivals) for w in watchers), default=0)
    return {
        "target_rate": rate, "sent": int(rate * seconds), "acked": len(acked), "achieved_rate": round(len(acked) / elapsed, 1),
        "lost_to_watchers": len(acked) - delivered, "p50_ms": round(pct(latencies, 50), 1), "p99_ms": round(pct(latencies, 99), 1),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--watchers", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--rates", type=float, nargs="+", default=[500, 1000, 2000, 3000])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="tyndau-bench-"))
    proc, url, token = start_server(data_dir, args.database_url)
    results = []
    try:
        await wait_up(url)
        async with aiohttp.ClientSession() as http:
            body = {"title": "bench", "akim_level": "district", "planned_minutes": 120, "starts_at": "2026-12-01T10:00:00+05:00"}
            async with http.post(f"{url}/api/v1/meetings", json=body, headers={"Authorization": f"Bearer {token}"}) as resp:
                meeting_id = (await resp.json())["id"]
        for n_watchers in args.watchers:
            watchers = [Watcher() for _ in range(n_watchers)]
            await asyncio.gather(*(w.start(url, token, meeting_id) for w in watchers))
            for rate in args.rates:
                step = await run_step(url, token, meeting_id, watchers, rate, args.seconds, f"w{n_watchers}-r{int(rate)}")
                step["watchers"] = n_watchers
                results.append(step)
                if not args.json:
                    print(f"watchers={n_watchers:>3} target={rate:>6.0f}/s achieved={step['achieved_rate']:>7.1f}/s acked={step['acked']:>6} "
                          f"lost={step['lost_to_watchers']:>4} p50={step['p50_ms']:>7.1f} ms p99={step['p99_ms']:>7.1f} ms", flush=True)
            await asyncio.gather(*(w.sio.disconnect() for w in watchers))
    finally:
        proc.terminate()
        proc.wait(10)
    db = "postgresql" if args.database_url else "sqlite"
    if args.json:
        print(json.dumps({"database": db, "steps": results}))
    else:
        ok = [r for r in results if r["lost_to_watchers"] == 0 and r["acked"] == r["sent"] and r["p99_ms"] < 250]
        best = max((r["achieved_rate"] for r in ok), default=0)
        print(f"{db}: best sustained rate with zero loss and p99 < 250 ms: {best:.0f} comments/s")


if __name__ == "__main__":
    asyncio.run(main())
