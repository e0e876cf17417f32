"""The core runs without the ``[nlp]`` extra: ``pip install .`` serves the console and accepts comments.

The lean venv (core dependencies from PyPI through pip's cache) is made once per pyproject under the
model cache directory and reused; the project itself is reinstalled (no deps) on every run, so the
test always checks the current code. Deselect it locally with ``-m "not lean_install"``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MEETING, REPO, free_port

BLOCKED = ("numpy", "torch", "sklearn", "scipy", "onnxruntime", "onnx", "transformers", "tokenizers", "lingua", "spacy")

BLOCKER = f"""
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {BLOCKED!r}:
            raise ImportError("blocked: " + name)
sys.meta_path.insert(0, Block())
"""


def test_the_core_imports_no_nlp_library() -> None:
    """The app factory, the CLI and the reports import with every NLP library made unimportable."""
    code = BLOCKER + """
import tyndau.cli, tyndau.operator_ui.app, tyndau.reports.collect, tyndau.demo, tyndau.nlp.extras
from tyndau.settings import load_settings
from tyndau.operator_ui.app import create_app
create_app(load_settings(env={}, overrides={"data_dir": "unused"}))
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]


def _core_requirements() -> list[str]:
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return list(data["project"]["dependencies"]) + list(data["build-system"]["requires"]) + ["wheel"]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def lean_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with the core dependencies only and the current project installed without extras."""
    base = Path(os.environ["TYNDAU_MODEL_CACHE_DIR"]) if os.environ.get("TYNDAU_MODEL_CACHE_DIR") else tmp_path_factory.mktemp("lean")
    reqs = _core_requirements()
    venv = base / f"lean-venv-{hashlib.sha256(json.dumps(reqs).encode()).hexdigest()[:12]}"
    py = venv / "bin" / "python"
    with _locked(base / ".lean-venv.lock"):
        if not (venv / ".complete").exists():
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, timeout=300)
            subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *reqs],
                           check=True, timeout=900)
            (venv / ".complete").write_text("\n".join(reqs))
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                        "--no-build-isolation", "--force-reinstall", str(REPO)], check=True, timeout=600)
    return venv


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TYNDAU_", "PYTHON", "VIRTUAL_ENV"))}
    env.update({"TYNDAU_DATA_DIR": str(tmp / "data"), "TYNDAU_MODEL_CACHE_DIR": str(tmp / "models"), "TYNDAU_PASSWORD": "lean pass 12345"})
    return env


def _call(method: str, url: str, token: str, body: Any = None) -> Any:
    req = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, json.loads(resp.read() or b"null")


@pytest.mark.slow(seconds=65)
@pytest.mark.lean_install
def test_pip_install_without_extras_serves_the_console_and_accepts_comments(lean_venv: Path, tmp_path: Path) -> None:
    bin_dir = lean_venv / "bin"
    env = _env(tmp_path)
    probe = subprocess.run([str(bin_dir / "python"), "-c", "import numpy"], capture_output=True, env=env)
    assert probe.returncode != 0, "the lean venv must not have numpy"
    subprocess.run([str(bin_dir / "tyndau"), "user", "add", "moderator", "--role", "moderator"], env=env, check=True,
                   capture_output=True, timeout=120)
    token = subprocess.run([str(bin_dir / "tyndau"), "token", "create", "--role", "moderator", "--name", "lean"],
                           env=env, check=True, capture_output=True, text=True, timeout=120).stdout.strip().splitlines()[-1]
    port = free_port()
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen([str(bin_dir / "tyndau"), "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{url}/login", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("server did not come up: " + (tmp_path / "serve.log").read_text()[-2000:])
        with urllib.request.urlopen(f"{url}/static/js/nlp-status.js", timeout=5) as resp:
            assert resp.status == 200
        status, meeting = _call("POST", f"{url}/api/v1/meetings", token, MEETING)
        assert status == 201
        comment = {"source": "youtube", "external_id": "lean-1", "author": "Айгуль", "text": "Когда будет вода в селе?",
                   "created_at": "2026-12-01T10:00:00+05:00"}
        status, _ = _call("POST", f"{url}/api/v1/meetings/{meeting['id']}/comments", token, comment)
        assert status in (200, 201)
        _, listed = _call("GET", f"{url}/api/v1/meetings/{meeting['id']}/comments", token)
        assert [c["text"] for c in listed["items"]] == [comment["text"]]
        _, nlp = _call("GET", f"{url}/api/v1/nlp/status", token)
        assert nlp["state"] == "off" and nlp["reason"] == "not_installed" and "tyndau[nlp]" in nlp["install"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    log.seek(0)
    lines = log.read().splitlines()
    off = [line for line in lines if "NLP is off" in line]
    assert len(off) == 1 and "pip install 'tyndau[nlp]'" in off[0], lines[-20:]
    assert not any("Traceback" in line for line in lines), lines[-40:]
