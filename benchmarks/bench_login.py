"""Login benchmark: does a user name leak by timing, and does password guessing stall the server?

Starts ``tyndau serve`` in its own process (SQLite in a temp dir) with a user, then from this
process: (1) times wrong-password logins for the real name and for unknown names (each name used
a few times only, under the lockout), (2) measures ``/healthz`` latency alone and while N loops
guess passwords as fast as the server answers (each loop with fresh names, so the per-name lock
does not stop them; the per-address limit is raised for the run).

    .venv/bin/python benchmarks/bench_login.py --loops 8 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

PASSWORD = "bench password 1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(data_dir: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "TYNDAU_LOG_LEVEL": "ERROR", "TYNDAU_NLP_ENABLED": "false", "TYNDAU_LOGIN_IP_MAX_FAILURES": "100000"}
    subprocess.run([sys.executable, "-m", "tyndau", "user", "add", "aigerim", "--role", "moderator", "--password", PASSWORD, "--data-dir", str(data_dir)],
                   check=True, capture_output=True, env=env)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tyndau", "serve", "--port", str(port), "--data-dir", str(data_dir)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{port}"


async def wait_up(http: aiohttp.ClientSession, url: str) -> None:
    for _ in range(300):
        try:
            async with http.get(f"{url}/healthz") as resp:
                if resp.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise SystemExit("server did not start")


async def login_ms(http: aiohttp.ClientSession, url: str, name: str) -> float:
    start = time.perf_counter()
    async with http.post(f"{url}/login", json={"username": name, "password": "wrong password"}) as resp:
        await resp.read()
        assert resp.status == 401, resp.status
    return (time.perf_counter() - start) * 1000


async def healthz(http: aiohttp.ClientSession, url: str, seconds: float) -> list[float]:
    out = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        start = time.perf_counter()
        async with http.get(f"{url}/healthz") as resp:
            await resp.read()
        out.append((time.perf_counter() - start) * 1000)
        await asyncio.sleep(0.05)
    return out


async def guess(http: aiohttp.ClientSession, url: str, until: float) -> int:
    n = 0
    while time.monotonic() < until:
        async with http.post(f"{url}/login", json={"username": f"guess-{uuid.uuid4().hex[:8]}", "password": "x" * 12}) as resp:
            await resp.read()
        n += 1
    return n


def figures(ms: list[float]) -> str:
    ms = sorted(ms)
    return f"p50 {statistics.median(ms):.1f} ms, p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms, max {ms[-1]:.1f} ms (n={len(ms)})"


async def main(args: argparse.Namespace) -> None:
    data = Path(tempfile.mkdtemp(prefix="tyndau-bench-login-"))
    proc, url = start(data)
    try:
        async with aiohttp.ClientSession() as http:
            await wait_up(http, url)
            known, unknown = [], []
            for i in range(args.samples):
                # Four tries per name stay under the lockout (5), so every answer is a real check.
                if i % 4 == 0:
                    unknown_name = f"nobody-{uuid.uuid4().hex[:8]}"
                known.append(await login_ms(http, url, "aigerim"))
                unknown.append(await login_ms(http, url, unknown_name))
                if i % 4 == 3:
                    async with http.post(f"{url}/login", json={"username": "aigerim", "password": PASSWORD}) as resp:
                        assert resp.status == 200  # clears the name's count
            print(f"wrong password, real name : {figures(known)}")
            print(f"wrong password, unknown   : {figures(unknown)}")
            print(f"ratio of medians unknown/known: {statistics.median(unknown) / statistics.median(known):.2f}")
            print(f"/healthz alone            : {figures(await healthz(http, url, 3))}")
            until = time.monotonic() + args.seconds
            loops = [asyncio.create_task(guess(http, url, until)) for _ in range(args.loops)]
            during = await healthz(http, url, args.seconds)
            tries = sum(await asyncio.gather(*loops))
            print(f"/healthz during {args.loops} guessing loops: {figures(during)}; {tries / args.seconds:.1f} logins/s answered")
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--loops", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    asyncio.run(main(parser.parse_args()))
