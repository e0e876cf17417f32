"""The ``tyndau`` command as a user runs it: real processes, real files, one-line errors."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import MEETING, free_port

TYNDAU = [sys.executable, "-m", "tyndau"]


def run(*args: str, data_dir: Path, stdin: str | None = None, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TYNDAU, *args, "--data-dir", str(data_dir)], input=stdin, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "TYNDAU_NLP_ENABLED": "false", **(env or {})},
    )


def http(method: str, url: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    req = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


class Server:
    """``tyndau serve`` in a child process."""

    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [*TYNDAU, "serve", "--data-dir", str(data_dir), "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "TYNDAU_HEARTBEAT_SECONDS": "0.5", "TYNDAU_NLP_ENABLED": "false"},
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=1)
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise AssertionError(self.proc.stdout.read() if self.proc.stdout else "server died") from None
                time.sleep(0.1)
        raise AssertionError("server did not start")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGTERM)
        out, _ = self.proc.communicate(timeout=15)
        return out


def test_user_add_and_token_create(tmp_path):
    result = run("user", "add", "aigerim", "--role", "moderator", data_dir=tmp_path, stdin="s3cret-password\n")
    assert result.returncode == 0, result.stderr
    assert "added" in result.stdout
    again = run("user", "add", "aigerim", "--role", "moderator", "--password", "another-pass", data_dir=tmp_path)
    assert again.returncode == 2 and again.stderr.strip() == "tyndau: error: user 'aigerim' exists already"
    token = run("token", "create", "--role", "viewer", "--name", "projector", data_dir=tmp_path)
    assert token.returncode == 0 and token.stdout.strip().startswith("tyn_")


def test_unknown_role_is_one_line_error(tmp_path):
    result = run("token", "create", "--role", "king", "--name", "x", data_dir=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "tyndau: error: unknown role 'king'; one of admin, moderator, secretary, viewer"


def test_bad_setting_stops_start_up_naming_the_setting(tmp_path):
    result = run("serve", data_dir=tmp_path, env={"TYNDAU_WARNING_RATIO": "1.5"})
    assert result.returncode == 2
    assert result.stderr.startswith("tyndau: error: setting warning_ratio: must be at most 0.99")
    assert "Traceback" not in result.stderr
    bad_file = tmp_path / "bad.toml"
    bad_file.write_text("port = 'eighty'\n")
    result = run("serve", "--config", str(bad_file), data_dir=tmp_path)
    assert result.returncode == 2 and "setting port: must be a whole number" in result.stderr


def test_corrupt_database_gives_a_clear_message(tmp_path):
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "tyndau.sqlite3").write_bytes(b"this is not a database at all" * 100)
    result = run("serve", "--port", str(free_port()), data_dir=tmp_path)
    assert result.returncode == 2
    assert "is corrupt or is not a SQLite database" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_locked_database_gives_a_clear_message(tmp_path):
    assert run("db", "upgrade", data_dir=tmp_path).returncode == 0
    holder = sqlite3.connect(tmp_path / "tyndau.sqlite3", isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")  # an exclusive lock blocks readers too
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run("db", "upgrade", data_dir=tmp_path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 2
    assert "is locked by another process" in result.stderr
    assert "Traceback" not in result.stderr


def test_taken_port_is_a_clear_error(tmp_path):
    server = Server(tmp_path / "a")
    try:
        result = run("serve", "--port", str(server.port), data_dir=tmp_path / "b")
        assert result.returncode == 2 and "cannot listen on" in result.stderr
    finally:
        server.stop()


def test_kill_9_mid_presentation_resumes_with_the_downtime_counted_and_shown(tmp_path):
    token = run("token", "create", "--role", "moderator", "--name", "t", data_dir=tmp_path).stdout.strip()
    server = Server(tmp_path)
    status, meeting = http("POST", f"{server.url}/api/v1/meetings", MEETING, token)
    assert status == 201
    clock_url = f"{server.url}/api/v1/meetings/{meeting['id']}/clock"
    status, clock = http("POST", clock_url, {"action": "start_presentation", "version": 0}, token)
    assert status == 200
    time.sleep(1.2)  # at least one heartbeat
    server.kill()
    time.sleep(1.5)  # the server is down
    server = Server(tmp_path)
    clock_url = f"{server.url}/api/v1/meetings/{meeting['id']}/clock"
    try:
        status, clock = http("GET", clock_url, None, token)
        assert clock["phase"] == "presentation"
        assert clock["presentation_seconds"] >= 2.5  # before + downtime + since restart
        assert len(clock["restarts"]) == 1
        restart = clock["restarts"][0]
        assert restart["phase"] == "presentation" and restart["down_from"] is not None
        status, clock = http("POST", clock_url, {"action": "start_qa", "version": clock["version"]}, token)
        assert status == 200 and clock["phase"] == "qa"
        status, timing = http("GET", f"{server.url}/api/v1/meetings/{meeting['id']}/timing", None, token)
        assert timing["segments"][0]["restarted"] is True
    finally:
        server.stop()


def test_settings_command_lists_every_setting_with_help(tmp_path):
    result = run("settings", data_dir=tmp_path)
    assert result.returncode == 0
    from tyndau.settings import load_table

    for name in load_table():
        assert f"{name} = " in result.stdout


@pytest.mark.parametrize("bad", [["--port", "0"], ["--port", "70000"]])
def test_out_of_range_port(tmp_path, bad):
    result = run("serve", *bad, data_dir=tmp_path)
    assert result.returncode == 2 and "setting port" in result.stderr


def test_nlp_eval_without_a_text_column_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("comment,category\nНет воды,utilities\n", encoding="utf-8")
    result = run("nlp", "eval", "--input", str(bad), "--json", data_dir=tmp_path)
    assert result.returncode == 2
    assert "no 'text' column" in result.stderr and "Traceback" not in result.stderr


def test_nlp_relabel_of_an_unknown_meeting(tmp_path):
    result = run("nlp", "relabel", "--meeting", "42", data_dir=tmp_path)
    assert result.returncode == 2 and result.stderr.strip() == "tyndau: error: no meeting 42"


def test_report_package_from_the_command_line(tmp_path):
    token = run("token", "create", "--role", "moderator", "--name", "t", data_dir=tmp_path).stdout.strip()
    server = Server(tmp_path)
    try:
        status, meeting = http("POST", f"{server.url}/api/v1/meetings", MEETING, token)
    finally:
        server.stop()
    out = tmp_path / "package.docx"
    result = run("report", "package", "--meetings", str(meeting["id"]), "--format", "docx", "-o", str(out), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:2] == b"PK"
    missing = run("report", "package", "--meetings", "999", data_dir=tmp_path)
    assert missing.returncode == 2 and missing.stderr.strip() == "tyndau: error: no meeting 999"


def test_user_scope_from_the_command_line(tmp_path):
    assert run("user", "add", "aigerim", "--role", "secretary", "--password", "s3cret-password", data_dir=tmp_path).returncode == 0
    unknown = run("user", "scope", "aigerim", "--unit", "991600000", data_dir=tmp_path)
    assert unknown.returncode == 2 and unknown.stderr.strip() == "tyndau: error: no unit '991600000'"
    both = run("user", "scope", "aigerim", "--unit", "1", "--body", "x", data_dir=tmp_path)
    assert both.returncode == 2  # argparse: one of --unit, --body, --national
    national = run("user", "scope", "aigerim", "--national", data_dir=tmp_path)
    assert national.returncode == 0 and "national" in national.stdout
    listed = run("user", "list", data_dir=tmp_path)
    assert listed.stdout.strip().endswith("national")
