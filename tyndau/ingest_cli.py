"""``tyndau ingest``: load files, replay recorded chats or follow a YouTube stream into a meeting's store."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import signal
from pathlib import Path
from typing import Any

from tyndau.live.intake import Intake, running
from tyndau.live.source_manager import SourceConfigError, build_source
from tyndau.live.sources.common import FileCheckpoint
from tyndau.live.sources.files import FileImportError, import_file
from tyndau.settings import Settings
from tyndau.store.engine import Engine
from tyndau.store.meetings import get_meeting


class IngestError(Exception):
    """A user-facing ingest failure (bad file, unknown meeting)."""


def add_parser(sub: Any, common: argparse.ArgumentParser, run: Any) -> None:
    """Register ``ingest file|replay|youtube``."""
    ingest = sub.add_parser("ingest", parents=[common], help="bring comments into a meeting").add_subparsers(dest="ingest_command", required=True, metavar="SOURCE")
    f = ingest.add_parser("file", parents=[common], help="import a .csv, .xlsx or .live_chat.json file (pooled requests, saved chats)")
    f.add_argument("path", type=Path)
    f.add_argument("--meeting", type=int, required=True)
    f.add_argument("--mapping", help='column mapping as JSON, e.g. \'{"text": "Текст обращения", "author": "ФИО"}\'')
    f.add_argument("--sheet", help="the XLSX sheet (default: the first)")
    f.add_argument("--source", default="file", help="source name stored with the comments (default: file)")
    f.set_defaults(run=run("file"))
    r = ingest.add_parser("replay", parents=[common], help="replay a recorded chat file as if live (rehearsals, demos)")
    r.add_argument("path", type=Path)
    r.add_argument("--meeting", type=int, required=True)
    r.add_argument("--speed", type=float, default=1.0, help="1 = real time, 10 = ten times faster, 0 = as fast as possible")
    r.set_defaults(run=run("replay"))
    y = ingest.add_parser("youtube", parents=[common], help="follow a YouTube live chat with yt-dlp until the stream ends")
    y.add_argument("url")
    y.add_argument("--meeting", type=int, required=True)
    y.set_defaults(run=run("youtube"))


async def _checked_meeting(engine: Engine, meeting_id: int) -> None:
    if await get_meeting(engine, meeting_id) is None:
        raise IngestError(f"no meeting {meeting_id}; create it first (see GET /api/v1/meetings)")


async def ingest(kind: str, args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    """Run one ingest command against an open store."""
    await _checked_meeting(engine, args.meeting)
    publish = Publisher(settings)
    intake = Intake(engine, publish.committed)
    try:
        async with running(intake.run):
            try:
                if kind == "file":
                    return await _file(args, intake)
                return await _follow(kind, args, settings, intake)
            finally:
                await intake.drained()  # the servers hear of the last batch before this process exits
    finally:
        await publish.close()


class Publisher:
    """Tells the servers what this process committed: through Redis when they run with it, else they read the store."""

    def __init__(self, settings: Settings) -> None:
        self._manager: Any = None
        self._bus: Any = None
        if settings.client_manager == "redis":
            import logging

            import socketio

            from tyndau.live.cluster_bus import RedisBus, channels

            sio_channel, events = channels(settings.redis_prefix)
            self._manager = socketio.AsyncRedisManager(settings.redis_url, channel=sio_channel, write_only=True,
                                                       logger=logging.getLogger("socketio"))
            self._bus = RedisBus(settings.redis_url, events)

    async def committed(self, rows: list[Any]) -> None:
        """Push new comments to the consoles on every server and to the process that labels."""
        if self._manager is None:
            return  # a server without Redis reads new rows from the store every second
        from tyndau.operator_ui.services import emit_by_audience

        by_meeting: dict[int, list[Any]] = {}
        for row in rows:
            by_meeting.setdefault(row.meeting_id, []).append(row)
        for meeting_id, items in by_meeting.items():
            await emit_by_audience(self._manager.emit, meeting_id, "comments", items)
        await self._bus.publish("committed", {"ids": [row.id for row in rows]})

    async def close(self) -> None:
        """Close the Redis connections."""
        if self._bus is not None:
            await self._bus.close()
        if self._manager is not None and self._manager.redis is not None:
            await self._manager.redis.aclose()


async def _file(args: argparse.Namespace, intake: Intake) -> int:
    try:
        mapping = json.loads(args.mapping) if args.mapping else None
    except json.JSONDecodeError as exc:
        raise IngestError(f"--mapping is not JSON: {exc}") from None
    if not args.path.is_file():
        raise IngestError(f"no such file: {args.path}")
    try:
        result = await import_file(args.path, mapping, sheet=args.sheet, source=args.source)
    except FileImportError as exc:
        raise IngestError(str(exc)) from None
    new = dup = 0
    for start in range(0, len(result.comments), 1000):
        for res in await intake.submit(args.meeting, result.comments[start:start + 1000]):
            new, dup = (new + 1, dup) if not res.duplicate else (new, dup + 1)
    print(f"{args.path.name}: {result.total_rows} rows, {new} new comments, {dup} already stored, {result.skipped} skipped")
    for problem in result.problems[:20]:
        print(f"  {problem}")
    if len(result.problems) > 20:
        print(f"  ... and {len(result.problems) - 20} more problems")
    return 0


async def _follow(kind: str, args: argparse.Namespace, settings: Settings, intake: Intake) -> int:
    target = str(args.path.resolve()) if kind == "replay" else args.url
    key = hashlib.sha256(f"{kind}:{args.meeting}:{target}".encode()).hexdigest()[:16]
    state_dir = settings.data_dir / "checkpoints"
    config: dict[str, Any] = {"path": target, "speed": args.speed} if kind == "replay" else {"url": target}
    try:
        source = build_source(kind, config, checkpoint=FileCheckpoint.in_dir(state_dir, f"{kind}-{key}"), work_dir=settings.data_dir / "sources" / f"cli-{key}")
    except SourceConfigError as exc:
        raise IngestError(str(exc)) from None
    sink = intake.sink_for(args.meeting)
    task = asyncio.create_task(source.run(sink))
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, task.cancel)
    try:
        while not task.done():
            await asyncio.wait({task}, timeout=5)
            h = source.health()
            print(f"{kind}: {h.state}, {h.received} received, {h.skipped} skipped", flush=True)
        await task
    except asyncio.CancelledError:
        print("stopped; run the same command again to resume where it stopped")
    return 0
