"""The running application's services, handed to actions and handlers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import socketio

from tyndau.actions import Action, ActionError
from tyndau.domain.ports import Labelling, SourceRegistry
from tyndau.live.clock_service import ClockService, SystemTime
from tyndau.live.cluster_bus import RedisBus
from tyndau.live.intake import FeedBroadcaster, FloodGuard, Intake
from tyndau.permissions import Audience, audience_of
from tyndau.settings import Settings
from tyndau.store.comments import AUDIENCES, comment_json, comment_views, comments_after, last_comment_id, same_for_everyone
from tyndau.store.engine import Engine
from tyndau.store.meetings import meeting_exists, meeting_starts_at
from tyndau.timeutil import ALMATY
from tyndau.vocabulary import Vocabulary

log = logging.getLogger(__name__)
CLOCK_NS = "/clock"
FEED_NS = "/feed"
REVIEW_NS = "/review"


def meeting_room(meeting_id: int) -> str:
    """The socket.io room of everyone watching one meeting."""
    return f"meeting:{meeting_id}"


def audience_room(meeting_id: int, audience: Audience) -> str:
    """The room of one meeting's feed watchers who may see as much as ``audience`` (see ``comment_json``)."""
    return f"meeting:{meeting_id}:{audience}"


@dataclass
class Services:
    """What a request or socket handler needs: the store, the clock, the intake, the socket server."""

    settings: Settings
    engine: Engine
    sio: socketio.AsyncServer
    time: SystemTime
    actions: Mapping[str, Action]
    clock: ClockService = field(init=False)
    intake: Intake = field(init=False)
    feed: FeedBroadcaster = field(init=False)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    labeller: Labelling | None = None
    sources: SourceRegistry | None = None
    nlp_off: str = "disabled"  # why there is no labeller: "disabled" or "not_installed"
    _known_meetings: set[int] = field(default_factory=set)
    bus: RedisBus | None = None
    _pushed_here: set[int] = field(default_factory=set)
    _sends: set[asyncio.Task[None]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.clock = ClockService(self.engine, self.time, self.settings.warning_ratio, self._publish_clock_view)
        self.feed = FeedBroadcaster(self._emit_comments)
        flood = FloodGuard(self.settings.flood_messages, timedelta(seconds=self.settings.flood_window_seconds))
        self.intake = Intake(self.engine, self._committed, flood=flood)

    async def _publish_clock_view(self, meeting_id: int, view: dict[str, Any]) -> None:
        await self.sio.emit("clock", view, room=meeting_room(meeting_id), namespace=CLOCK_NS)

    async def publish_clock(self, meeting_id: int) -> None:
        """Send the current clock of a meeting to everyone watching it."""
        _, view = await self.clock.snapshot(meeting_id)
        await self._publish_clock_view(meeting_id, view)

    async def publish_clock_event(self, meeting_id: int, event: str, body: Any) -> None:
        """Send a meeting-level event (meeting edited, presenter message, current question) to its watchers."""
        await self.sio.emit(event, body, room=meeting_room(meeting_id), namespace=CLOCK_NS)

    async def publish_feed_event(self, meeting_id: int, event: str, body: Any) -> None:
        """Send a feed event (a comment changed, source health) to the meeting's feed watchers."""
        await self.sio.emit(event, body, room=meeting_room(meeting_id), namespace=FEED_NS)

    async def meeting_exists(self, meeting_id: int) -> bool:
        """Whether a meeting exists (meetings are never deleted, so a positive answer is cached)."""
        known = self._known_meetings
        if meeting_id in known:
            return True
        async with self.engine.connect() as conn:
            found = await meeting_exists(conn, meeting_id)
        if found:
            known.add(meeting_id)
        return found

    async def meeting_day(self, meeting_id: int) -> date | None:
        """The meeting's planned date in Almaty (deadlines may not precede it)."""
        async with self.engine.connect() as conn:
            starts = await meeting_starts_at(conn, meeting_id)
        if starts is None:
            raise ActionError(404, "not_found", f"no meeting {meeting_id}")
        return starts.astimezone(ALMATY).date()

    async def publish_review(self, meeting_id: int, problem_ids: list[int]) -> None:
        """Tell every reviewer of the meeting which problems changed (they re-read them)."""
        await self.sio.emit("problems_changed", {"meeting_id": meeting_id, "problem_ids": problem_ids}, room=meeting_room(meeting_id), namespace=REVIEW_NS)

    async def publish_comment_update(self, meeting_id: int, row: Any, role: str | None = None) -> dict[str, Any]:
        """A changed comment to each audience of the meeting's feed; returns what ``role`` may see."""
        await self._emit_by_audience(meeting_id, "comment_update", [row], single=True)
        return comment_json(row, audience_of(role))

    async def publish_labels(self, meeting_id: int, updates: list[dict[str, Any]], changed_problems: list[int]) -> None:
        """New NLP labels to the feed (without the normaliser's unredacted text), and changed draft problems to the reviewers."""
        safe_updates = [{**u, "labels": {k: v for k, v in u["labels"].items() if k != "display"}} if isinstance(u.get("labels"), dict) else u
                        for u in updates]
        await self.publish_feed_event(meeting_id, "labels", {"meeting_id": meeting_id, "items": safe_updates})
        if changed_problems:
            await self.publish_review(meeting_id, changed_problems)

    async def publish_nlp_status(self, status: dict[str, Any]) -> None:
        """The NLP model's loading progress, to every console watching a feed (it is server-wide)."""
        await self.sio.emit("nlp_status", status, namespace=FEED_NS)

    async def publish_source_health(self, meeting_id: int) -> None:
        """Send the health of a meeting's sources to its feed watchers."""
        manager = self.sources
        if manager is not None:
            await self.publish_feed_event(meeting_id, "source_health", {"meeting_id": meeting_id, "sources": manager.health(meeting_id)})

    async def _committed(self, rows: list[Any]) -> None:
        self._pushed_here.update(row.id for row in rows)
        by_meeting: dict[int, list[Any]] = {}
        for row in rows:
            by_meeting.setdefault(row.meeting_id, []).append(row)
        for meeting_id, items in by_meeting.items():
            self.feed.push(meeting_id, items)
        if self.labeller is not None:
            self.labeller.enqueue([row.id for row in rows])
        if self.bus is not None:  # the labeller may run in another process
            await self.bus.publish("committed", {"ids": [row.id for row in rows]})

    def forward(self, kind: str, body: dict[str, Any]) -> None:
        """Send an event for the process that labels (a correction, a clustering decision) without waiting."""
        if self.bus is None:
            return
        task = asyncio.get_running_loop().create_task(self.bus.publish(kind, body))
        self._sends.add(task)
        task.add_done_callback(self._sends.discard)

    async def on_cluster_event(self, event: dict[str, Any]) -> None:
        """An event from another process: committed comments, a correction, a clustering decision (for the labeller)."""
        labeller = self.labeller
        # Only the process that labels acts on them: a standby one would forward them again, and
        # with two standby workers the event would go back and forth between them for ever.
        if labeller is None or labeller.status().get("state") == "standby":
            return
        kind = event.get("kind")
        if kind == "committed":
            labeller.enqueue([i for i in event.get("ids", ()) if isinstance(i, int)])
        elif kind == "clusters_changed" and isinstance(event.get("meeting_id"), int):
            labeller.clusters_changed(event["meeting_id"])
        elif kind == "rebuild" and isinstance(event.get("meeting_id"), int):
            labeller.rebuild(event["meeting_id"])
        elif kind == "reconsider":
            labeller.reconsider([i for i in event.get("ids", ()) if isinstance(i, int)])
        elif kind == "learn" and isinstance(event.get("text"), str):
            labeller.learn(event["text"], category=event.get("category"), is_problem=event.get("is_problem"))

    async def tail_other_writers(self, interval: float = 1.0, *, grace: float = 60.0) -> None:
        """Without Redis: push comments that other processes (``tyndau ingest``) committed to the store.

        Ids are handed out when a row is inserted, not when it commits, so on PostgreSQL a comment
        with a lower id can become visible after a higher one was read. Every id skipped below the
        watermark is looked for again for ``grace`` seconds (ids also go unused for good: a
        duplicate that ``ON CONFLICT DO NOTHING`` skipped still took one).
        """
        loop = asyncio.get_running_loop()
        async with self.engine.connect() as conn:
            watermark = await last_comment_id(conn)
        gaps: dict[int, float] = {}
        while True:
            await asyncio.sleep(interval)
            try:
                rows, watermark = await self._read_new(watermark, gaps, loop.time() + grace)
            except Exception as exc:  # noqa: BLE001 - a passing database error must not stop the pushes
                log.warning("could not read new comments from the store: %s", exc)
                continue
            now = loop.time()
            for gap in [g for g, until in gaps.items() if until < now]:
                del gaps[gap]
            foreign = [r for r in rows if r.id not in self._pushed_here]
            self._pushed_here = {i for i in self._pushed_here if i > watermark or i in gaps}
            if foreign:
                by_meeting: dict[int, list[Any]] = {}
                for row in foreign:
                    by_meeting.setdefault(row.meeting_id, []).append(row)
                for meeting_id, items in by_meeting.items():
                    self.feed.push(meeting_id, items)
                if self.labeller is not None:
                    self.labeller.enqueue([row.id for row in foreign])

    async def _read_new(self, watermark: int, gaps: dict[int, float], until: float) -> tuple[list[Any], int]:
        """Rows above the watermark or in a known gap; records the new gaps below the new watermark."""
        async with self.engine.connect() as conn:
            rows = await comments_after(conn, watermark, sorted(gaps)[:5000], limit=5000)
        for row in rows:
            gaps.pop(row.id, None)
        top = max([watermark] + [r.id for r in rows])
        present = {r.id for r in rows}
        for missing in range(max(watermark + 1, top - 100_000), top):
            if missing not in present and len(gaps) < 100_000:
                gaps[missing] = until
        return rows, top

    async def _emit_comments(self, meeting_id: int, rows: list[Any]) -> None:
        await emit_by_audience(self.sio.emit, meeting_id, "comments", rows)

    async def _emit_by_audience(self, meeting_id: int, event: str, rows: list[Any], *, single: bool = False) -> None:
        await emit_by_audience(self.sio.emit, meeting_id, event, rows, single=single)


Emit = Callable[..., Awaitable[Any]]


async def emit_by_audience(emit: Emit, meeting_id: int, event: str, rows: list[Any], *, single: bool = False) -> None:
    """Each audience room gets the comments as it may see them; the redaction is done once per comment.

    ``emit`` is a socket server's or a write-only Redis manager's (``tyndau ingest``) ``emit``.
    """
    views = [comment_views(row) for row in rows]
    if all(same_for_everyone(row) for row in rows):
        items = [comment_json(row, "public", views=v) for row, v in zip(rows, views)]
        await emit(event, items[0] if single else items, room=meeting_room(meeting_id), namespace=FEED_NS)
        return
    sends = []
    for audience in AUDIENCES:
        items = [comment_json(row, audience, views=v) for row, v in zip(rows, views)]
        sends.append(emit(event, items[0] if single else items, room=audience_room(meeting_id, audience), namespace=FEED_NS))
    for outcome in await asyncio.gather(*sends, return_exceptions=True):
        if isinstance(outcome, BaseException):
            log.warning("feed push failed: %s", outcome)
