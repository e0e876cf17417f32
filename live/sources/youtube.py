"""YouTube live chat through yt-dlp: run it, follow the file it writes, restart it when it dies.

"Top chat" only: while a stream is live, yt-dlp reads the chat's default view, which YouTube calls
*Top chat* (a filtered subset: messages YouTube considers likely spam are hidden). Only for a finished
stream does yt-dlp's replay download switch to *Live chat* (every message). So a live capture can miss
messages; after the stream ends this source lets yt-dlp run once more, which downloads the full replay
(same message ids, so only the missing ones are added), and then reports ``finished``.

Each yt-dlp run writes its own file (``chat-0001.live_chat.json``, ``chat-0002...``) because yt-dlp
skips a subtitle that already exists. The checkpoint is ``{"run", "file", "position", "finished"}``:
the run number, the chat file name inside ``work_dir`` and the follower position (byte offset, line,
inode, last delivered id), saved only after the sink has committed the comments.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from tyndau.domain.comments import IncomingComment
from tyndau.live.source_kinds import Build, Option, SourceKind
from tyndau.live.sources.base import CommentSink, SourceHealth
from tyndau.live.sources.common import (
    Backoff,
    Checkpoint,
    Clock,
    HealthTracker,
    MemoryCheckpoint,
    chunks,
    deliver_retrying,
)
from tyndau.live.sources.follow import FollowBatch, FollowPosition, JsonLinesFollower, skip_through
from tyndau.live.sources.youtube_chat import ChatParser
from tyndau.timeutil import utcnow

log = logging.getLogger(__name__)

CommandFactory = Callable[[str, str], Sequence[str]]
"""``(url, output_template) -> argv`` for one yt-dlp run; injectable so tests can use a fake."""

DEFAULT_EXTRA_ARGS: tuple[str, ...] = ("--wait-for-video", "10-60")
"""Wait for a scheduled stream to start instead of failing."""


def yt_dlp_command(
    url: str, output_template: str, *, extra_args: Sequence[str] = DEFAULT_EXTRA_ARGS
) -> list[str]:
    """The real command: chat only, no video, no user config; ``--`` keeps a URL from being an option."""
    return [
        sys.executable, "-m", "yt_dlp",
        "--ignore-config", "--no-progress", "--newline",
        "--skip-download", "--write-subs", "--sub-langs", "live_chat",
        *extra_args,
        "-o", output_template,
        "--", url,
    ]


def _die_with_parent() -> None:
    """Linux: let the kernel stop yt-dlp if the server is killed, so no orphan keeps writing."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - best effort only
        pass


class YouTubeLiveSource:
    """Supervises yt-dlp for one stream URL and delivers its chat to the sink."""

    name = "youtube"

    def __init__(
        self,
        url: str,
        work_dir: Path,
        *,
        checkpoint: Checkpoint | None = None,
        command: CommandFactory | None = None,
        lag_after: float = 60.0,
        stall_timeout: float | None = 300.0,
        backoff: Backoff | None = None,
        poll_interval: float = 0.5,
        batch_size: int = 500,
        max_restarts: int | None = None,
        file_prefix: str = "chat",
        clock: Clock = utcnow,
    ) -> None:
        self.url = url
        self.work_dir = Path(work_dir)
        self.checkpoint: Checkpoint = checkpoint or MemoryCheckpoint()
        self.command = command or (lambda u, t: yt_dlp_command(u, t))
        self.lag_after = lag_after
        self.stall_timeout = stall_timeout
        self.backoff = backoff or Backoff(initial=2.0, cap=60.0)
        self.poll_interval = poll_interval
        self.batch_size = batch_size
        self.max_restarts = max_restarts
        self.file_prefix = file_prefix
        self.clock = clock
        self._tracker = HealthTracker()
        self._output: deque[str] = deque(maxlen=20)
        self._run_no = 0
        self._running = False
        self._last_activity = time.monotonic()
        self._position = FollowPosition()
        self._live_lines = 0
        self._replay_lines = 0
        self._run_delivered = 0

    def health(self) -> SourceHealth:
        """connected / lagging (process up, no message for ``lag_after`` s) / down, and counts."""
        if self._running and self._tracker.state in ("connected", "lagging", "starting"):
            quiet = time.monotonic() - self._last_activity
            if quiet > self.lag_after:
                self._tracker.set("lagging", "ytdlp_quiet", seconds=int(quiet), output=self.last_output())
            elif self._tracker.state == "lagging":
                self._tracker.set("connected", "ytdlp_running")
        return self._tracker.snapshot()

    def last_output(self) -> str:
        """The last line yt-dlp printed (its errors explain most failures)."""
        return self._output[-1] if self._output else ""

    def chat_path(self, run_no: int) -> Path:
        """The chat file of one run."""
        return self.work_dir / f"{self.file_prefix}-{run_no:04d}.live_chat.json"

    async def run(self, sink: CommentSink) -> None:
        """Run yt-dlp until the stream is over (or forever, restarting) and deliver its chat."""
        self.work_dir.mkdir(parents=True, exist_ok=True)
        state = await self.checkpoint.load() or {}
        if state.get("finished"):
            self._tracker.set("finished", "stream_over_checkpoint")
            return
        self._run_no = int(state.get("run", 0) or 0)
        try:
            if self._run_no:
                await self._drain_previous(sink, FollowPosition.from_dict(state.get("position")))
            self._run_no = max(self._run_no, self._highest_run())  # never reuse a file yt-dlp would skip
            restarts = 0
            while True:
                self._run_no += 1
                await self._save(FollowPosition(), finished=False)
                code, replay = await self._run_once(sink)
                if code == 0 and replay:
                    await self._save(self._position, finished=True)
                    self._tracker.set("finished", "stream_over")
                    return
                restarts += 1
                self._tracker.restarts = restarts
                if self._run_delivered:
                    self.backoff.reset()  # that run was healthy: start the back-off again
                if self.max_restarts is not None and restarts > self.max_restarts:
                    self._tracker.set("down", "ytdlp_gave_up", exit=code, output=self.last_output())
                    return
                delay = self.backoff.next_delay()
                self._tracker.set("down", "ytdlp_restarting", exit=code, retry_in=round(delay), output=self.last_output())
                await asyncio.sleep(delay)
        except asyncio.CancelledError:
            self._tracker.set("stopped", "stopped")
            raise
        finally:
            self._running = False

    def _highest_run(self) -> int:
        """The highest run number already on disk in ``work_dir``."""
        numbers = [0]
        for path in self.work_dir.glob(f"{self.file_prefix}-*.live_chat.json*"):
            number = path.name[len(self.file_prefix) + 1 :].split(".", 1)[0]
            if number.isdigit():
                numbers.append(int(number))
        return max(numbers)

    async def _drain_previous(self, sink: CommentSink, position: FollowPosition) -> None:
        """Deliver what the previous run (before a crash or stop) wrote after the checkpoint."""
        follower = JsonLinesFollower(self.chat_path(self._run_no), position)
        parser = ChatParser(clock=self.clock)
        self._position = position
        while True:
            batch = await follower.read(final=True)
            if not (batch.lines or batch.oversized or batch.reset):
                return
            await self._deliver_batch(sink, batch, parser)

    async def _run_once(self, sink: CommentSink) -> tuple[int | None, bool]:
        """One yt-dlp process: follow its file until it exits; returns (exit code, saw replay form)."""
        path = self.chat_path(self._run_no)
        template = str(self.work_dir / f"{self.file_prefix}-{self._run_no:04d}.%(ext)s")
        argv = list(self.command(self.url, template))
        self._output.clear()
        self._position = FollowPosition()
        self._live_lines = self._replay_lines = self._run_delivered = 0
        extra: dict[str, Any] = {}
        if sys.platform.startswith("linux"):
            extra["preexec_fn"] = _die_with_parent
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                cwd=self.work_dir,
                **extra,
            )
        except OSError as exc:
            self._output.append(f"cannot start yt-dlp: {exc}")
            return None, False
        self._running = True
        self._last_activity = time.monotonic()
        last_bytes = time.monotonic()
        self._tracker.set("starting", "ytdlp_started", pid=proc.pid)
        reader = asyncio.create_task(self._read_output(proc))
        waiter = asyncio.create_task(proc.wait())
        follower = JsonLinesFollower(path)
        parser = ChatParser(clock=self.clock)
        stalled = False
        try:
            while True:
                exited = waiter.done()
                batch = await follower.read(final=exited)
                if batch.lines or batch.oversized:
                    last_bytes = time.monotonic()
                    await self._deliver_batch(sink, batch, parser)
                    continue
                if exited:
                    break
                quiet = time.monotonic() - last_bytes
                if not stalled and self.stall_timeout is not None and quiet > self.stall_timeout:
                    stalled = True
                    self._output.append(f"no chat data for {self.stall_timeout:.0f} s: restarting yt-dlp")
                    with contextlib.suppress(ProcessLookupError):
                        proc.terminate()
                await asyncio.wait({waiter}, timeout=self.poll_interval)
        finally:
            self._running = False
            if proc.returncode is None:
                await self._stop(proc, waiter)
            try:  # let the last lines (usually the error) arrive; the pipe closes with the process
                await asyncio.wait_for(reader, timeout=2.0)
            except (TimeoutError, asyncio.CancelledError):
                pass
        log.info("yt-dlp run %s exited with %s: %s", self._run_no, proc.returncode, self.last_output())
        return proc.returncode, self._replay_lines > 0 and self._live_lines == 0

    async def _stop(self, proc: asyncio.subprocess.Process, waiter: asyncio.Task[int]) -> None:
        """Terminate yt-dlp politely, then kill it."""
        with contextlib.suppress(ProcessLookupError):
            proc.terminate()
        try:
            await asyncio.wait_for(asyncio.shield(waiter), timeout=5.0)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await waiter

    async def _read_output(self, proc: asyncio.subprocess.Process) -> None:
        """Keep yt-dlp's output flowing (a full pipe would block it) and remember its last lines."""
        assert proc.stdout is not None
        while True:
            line = await proc.stdout.readline()
            if not line:
                return
            text = line.decode("utf-8", "replace").strip()
            if text:
                self._output.append(text[:500])
                log.debug("yt-dlp: %s", text)

    async def _deliver_batch(self, sink: CommentSink, batch: FollowBatch, parser: ChatParser) -> None:
        """Parse, deliver, then checkpoint the position (never before the sink has committed)."""
        comments: list[IncomingComment] = []
        skipped_before = parser.report.skipped
        for number, raw in batch.lines:
            parsed = parser.feed(raw, number)
            if parsed is None:
                continue
            if parsed.comments or parsed.ignored:
                if parsed.is_live:
                    self._live_lines += 1
                else:
                    self._replay_lines += 1
            comments.extend(parsed.comments)
        self._tracker.skipped += parser.report.skipped - skipped_before + len(batch.oversized)
        if batch.reset:
            comments, _ = skip_through(comments, self._position.last_id)
        for chunk in chunks(comments, self.batch_size):
            await deliver_retrying(sink, chunk, self._tracker, self.clock)
            self._run_delivered += len(chunk)
        last_id = next((c.external_id for c in reversed(comments) if c.external_id), None)
        self._position = batch.position.with_last_id(last_id or self._position.last_id)
        if comments:
            self._last_activity = time.monotonic()
            if self._running:
                self._tracker.set("connected", "ytdlp_running")
        await self._save(self._position, finished=False)

    async def _save(self, position: FollowPosition, *, finished: bool) -> None:
        await self.checkpoint.save(
            {
                "run": self._run_no,
                "file": self.chat_path(self._run_no).name,
                "position": position.as_dict(),
                "finished": finished,
            }
        )


def _build(config: Mapping[str, Any], given: Build) -> YouTubeLiveSource:
    return YouTubeLiveSource(config["url"], given.work_dir, checkpoint=given.checkpoint)


SOURCE_KINDS = (SourceKind("youtube", (
    Option("url", "url", required=True, help="the stream's URL (its live chat is followed with yt-dlp)",
           refusal="an http(s) URL of a YouTube stream", example="https://www.youtube.com/watch?v=…"),
), _build, rank=10, summary="A YouTube stream's live chat."),)
