"""Cold and warm start of the real server: from ``tyndau serve`` to the first labelled comment.

Cold: a fresh data directory and an empty model cache (``mktemp -d``), so the encoder is exported
and the learned stages are fitted during the run. Warm: the same server restarted on the same
cache. A comment is posted as soon as the console answers; the clock stops when its labels are
stored. The NLP status (``GET /api/v1/nlp/status``) is sampled meanwhile to show the progress.

    .venv/bin/python benchmarks/bench_coldstart.py [--encoder fast|fp32] [--no-seed] [--json]

``--no-seed`` ignores the shipped example embeddings (as for a taxonomy of one's own).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TYNDAU = Path(sys.executable).with_name("tyndau")
MEETING = {"title": "Бенчмарк запуска", "akim_level": "district", "planned_minutes": 60,
           "starts_at": "2026-12-01T10:00:00+05:00", "place": "Каскелен", "announced_at": "2026-11-20T09:00:00+05:00"}
FP32_CONFIG = '[encoder]\nuse = "e5"\nmax_length = 128\nbatch_size = 32\nthreads = 2\n'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _call(method: str, url: str, token: str, body: Any = None) -> Any:
    req = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read() or b"null")


def start(env: dict[str, str], token: str, text: str, external_id: str, timeout: float) -> dict[str, Any]:
    """Start the server, post one comment once it answers, wait until it is labelled; return the timings."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    server = subprocess.Popen([str(TYNDAU), "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out: dict[str, Any] = {"load_avg_start": round(os.getloadavg()[0], 1), "progress": []}
    try:
        while True:
            try:
                urllib.request.urlopen(f"{url}/login", timeout=2).close()
                break
            except OSError:
                if time.perf_counter() - t0 > timeout:
                    raise SystemExit("the server did not come up") from None
                time.sleep(0.05)
        out["server_up_s"] = round(time.perf_counter() - t0, 2)
        meetings = _call("GET", f"{url}/api/v1/meetings", token)
        items = meetings["items"] if isinstance(meetings, dict) else meetings
        meeting_id = items[0]["id"] if items else _call("POST", f"{url}/api/v1/meetings", token, MEETING)["id"]
        comments = f"{url}/api/v1/meetings/{meeting_id}/comments"
        _call("POST", comments, token, {"source": "youtube", "external_id": external_id, "author": "Бенчмарк",
                                        "text": text, "created_at": "2026-12-01T10:00:00+05:00"})
        while time.perf_counter() - t0 < timeout:
            status = _call("GET", f"{url}/api/v1/nlp/status", token)
            elapsed = round(time.perf_counter() - t0, 1)
            if not out["progress"] or out["progress"][-1][1] != status["percent"]:
                out["progress"].append((elapsed, status["percent"], status["stage"]))
            if status["state"] == "ready" and "nlp_ready_s" not in out:
                out["nlp_ready_s"] = elapsed
            if status["state"] == "failed":
                raise SystemExit(f"NLP failed to load: {status['error']}")
            mine = [c for c in _call("GET", comments, token)["items"] if c["external_id"] == external_id]
            if mine and mine[0]["labels"] is not None:
                out["first_labelled_s"] = round(time.perf_counter() - t0, 2)
                out["labels"] = {k: mine[0].get(k) for k in ("is_problem", "category")}
                break
            time.sleep(0.1)
        else:
            raise SystemExit(f"not labelled within {timeout} s")
    finally:
        server.terminate()
        server.wait(timeout=60)
    out["load_avg_end"] = round(os.getloadavg()[0], 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--encoder", choices=["fast", "fp32"], default="fast")
    parser.add_argument("--no-seed", action="store_true", help="ignore the shipped example embeddings")
    parser.add_argument("--timeout", type=float, default=1200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tyndau-cold-") as tmp:
        root = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("TYNDAU_")}
        env.update({"TYNDAU_DATA_DIR": str(root / "data"), "TYNDAU_MODEL_CACHE_DIR": str(root / "models"),
                    "TYNDAU_PASSWORD": "bench password 1", "HF_HUB_OFFLINE": "1", "TYNDAU_LOG_LEVEL": "WARNING"})
        if args.no_seed:
            env["TYNDAU_NO_SHIPPED_EMBEDDINGS"] = "1"
        if args.encoder == "fp32":
            (root / "nlp.toml").write_text(FP32_CONFIG)
            env["TYNDAU_NLP_CONFIG"] = str(root / "nlp.toml")
        # A login to post with (the data directory is otherwise empty; this takes no NLP).
        subprocess.run([str(TYNDAU), "user", "add", "bench", "--role", "moderator"], env=env, check=True, capture_output=True)
        token = subprocess.run([str(TYNDAU), "token", "create", "--role", "moderator", "--name", "bench"], env=env,
                               check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        cold = start(env, token, "Когда отремонтируют дорогу на улице Абая? Ямы огромные", "cold-1", args.timeout)
        warm = start(env, token, "Ауылда су жоқ, көмектесіңіздер", "warm-1", args.timeout)
    result = {"encoder": args.encoder, "seed": not args.no_seed, "cold": cold, "warm": warm}
    if args.json:
        print(json.dumps(result))
        return
    for name, r in (("cold", cold), ("warm", warm)):
        print(f"{name} ({args.encoder}{'' if result['seed'] else ', no seed'}): server up {r['server_up_s']} s, "
              f"NLP ready {r.get('nlp_ready_s')} s, first comment labelled {r['first_labelled_s']} s "
              f"(load average {r['load_avg_start']} → {r['load_avg_end']})")
        print("   progress: " + ", ".join(f"{t}s {p}% {s}" for t, p, s in r["progress"]))


if __name__ == "__main__":
    main()
