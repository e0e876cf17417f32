"""A source fed by pushes (Meta webhooks): nothing to poll, healthy when pushes arrive.

The server's webhook route hands each pushed comment to the running source of the meeting it
belongs to; the source stores it through the meeting's sink and keeps the health the console shows:
``waiting`` until the first push, ``connected`` once pushes arrive, ``down`` when the server is not
set up to accept them (a missing secret) or when a push with a bad signature was refused since.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from tyndau.domain.comments import IncomingComment, IngestResult
from tyndau.live.source_kinds import PUSH_KINDS, Build, Option, SourceKind
from tyndau.live.sources.base import CommentSink, SourceHealth
from tyndau.live.sources.common import Clock, HealthTracker, deliver
from tyndau.timeutil import iso, utcnow


class PushSource:
    """One meeting's subscription to a platform's pushes for one object (a live media, a post)."""

    def __init__(self, platform: str, object_id: str, *, missing_setting: str | None = None, clock: Clock = utcnow) -> None:
        self.name = platform.lower()
        self.platform = platform
        self.object_id = object_id
        self.missing_setting = missing_setting
        self.clock = clock
        self._tracker = HealthTracker()
        self._sink: CommentSink | None = None
        self._last_push: datetime | None = None
        self._refused_at: datetime | None = None

    @property
    def ready(self) -> bool:
        """Is the source running (so pushes can be stored)?"""
        return self._sink is not None

    def health(self) -> SourceHealth:
        """waiting / connected / down, with the reason."""
        t = self._tracker
        if self.missing_setting:
            t.set("down", "push_not_configured", platform=self.platform, setting=self.missing_setting)
        elif self._refused_at is not None and (self._last_push is None or self._refused_at > self._last_push):
            t.set("down", "push_bad_signature", platform=self.platform, at=iso(self._refused_at), setting="meta_app_secret")
        elif self._last_push is not None:
            t.set("connected", "push_receiving", platform=self.platform)
        elif t.state != "stopped":
            t.set("waiting", "push_waiting", platform=self.platform)
        return t.snapshot()

    async def run(self, sink: CommentSink) -> None:
        """Accept pushes until cancelled."""
        self._sink = sink
        try:
            await asyncio.Event().wait()
        finally:
            self._sink = None
            self._tracker.set("stopped", "stopped")

    async def push(self, batch: Sequence[IncomingComment]) -> Sequence[IngestResult]:
        """Store pushed comments; durable when this returns."""
        self._last_push = self.clock()
        if self._sink is None or not batch:
            return ()
        return await deliver(self._sink, batch, self._tracker, self.clock)

    def pushed(self, ignored: int = 0) -> None:
        """A push arrived that stored nothing here (hides, ignored changes)."""
        self._last_push = self.clock()
        self._tracker.skipped += ignored

    def refused(self) -> None:
        """A push with a bad signature was refused (the console says so until a good one arrives)."""
        self._refused_at = self.clock()


def _build(platform: str) -> Callable[[Mapping[str, Any], Build], PushSource]:
    def build(config: Mapping[str, Any], given: Build) -> PushSource:
        return PushSource(platform, config["object_id"], missing_setting=None if given.context.meta_ready else "meta_app_secret")

    return build


_OBJECT = {"Instagram": ("the live video's or post's media id", r"\d{1,20}", "17900000000000001"),
           "Facebook": ("the post's id as Meta sends it, PAGE_POST", r"\d{1,20}(_\d{1,20})?", "1000000000000001_2000000000000002")}
SOURCE_KINDS = tuple(SourceKind(kind, (
    Option("object_id", required=True, pattern=_OBJECT[platform][1], example=_OBJECT[platform][2], help=_OBJECT[platform][0],
           refusal="the numeric id Meta sends (media id, or post id as PAGE_POST)"),
), _build(platform), push=platform, rank=40, summary=f"{platform} comments pushed by Meta's webhooks.") for kind, platform in PUSH_KINDS.items())
