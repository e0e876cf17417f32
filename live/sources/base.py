"""The small interface every comment source implements; adding a platform is one module."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from tyndau.domain.comments import IncomingComment, IngestResult

HealthState = Literal["starting", "waiting", "connected", "lagging", "down", "stopped", "finished"]
"""``waiting``: a push source (webhook) that is set up but has not been pushed anything yet."""

CommentSink = Callable[[Sequence[IncomingComment]], Awaitable[Sequence[IngestResult]]]
"""Stores a batch durably and returns one result per comment, in order."""


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """What the console shows about a source: is it alive, and when did it last hear anything.

    ``code`` and ``params`` say why, for the console to render in the user's language
    (``sources.code_<code>`` in ``config/i18n``); ``detail`` is the same in English, for logs and the API.
    """

    state: HealthState
    last_message_at: datetime | None = None
    received: int = 0
    skipped: int = 0
    detail: str = ""
    code: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    restarts: int = 0


class CommentSource(Protocol):
    """A running feed of comments for one meeting."""

    name: str

    async def run(self, sink: CommentSink) -> None:
        """Deliver comments to ``sink`` until cancelled or the source is exhausted."""

    def health(self) -> SourceHealth:
        """The source's state right now, for the console."""
