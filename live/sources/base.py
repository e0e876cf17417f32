"""The small interface every comment source implements; adding a platform is one module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Awaitable, Callable, Literal, Protocol, Sequence

from tyndau.live.comments import IncomingComment, IngestResult

HealthState = Literal["starting", "connected", "lagging", "down", "stopped", "finished"]

CommentSink = Callable[[Sequence[IncomingComment]], Awaitable[Sequence[IngestResult]]]
"""Stores a batch durably and returns one result per comment, in order."""


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """What the console shows about a source: is it alive, and when did it last hear anything."""

    state: HealthState
    last_message_at: datetime | None = None
    received: int = 0
    skipped: int = 0
    detail: str = ""


class CommentSource(Protocol):
    """A running feed of comments for one meeting."""

    name: str

    async def run(self, sink: CommentSink) -> None:
        """Deliver comments to ``sink`` until cancelled or the source is exhausted."""

    def health(self) -> SourceHealth:
        """The source's state right now, for the console."""
