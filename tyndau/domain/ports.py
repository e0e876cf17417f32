"""The ports between the core and the running server: the labeller, the publisher, the source registry.

Actions and handlers depend on these protocols, not on the live classes, so the core never reaches
into a bag of services and a test can hand in any object with the same methods.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from typing import Any, Protocol


class Labelling(Protocol):
    """The live labeller as the core sees it: queue comments, learn a correction, re-read clusters."""

    def enqueue(self, ids: Iterable[int]) -> None:
        """Queue committed comments for labelling (never blocks)."""

    def learn(self, text: str, *, category: str | None, is_problem: bool | None) -> None:
        """A secretary's correction, applied before the next batch."""

    def reconsider(self, ids: Iterable[int]) -> None:
        """A person confirmed these comments as problems: label them again (held ones get drafted)."""

    def clusters_changed(self, meeting_id: int) -> None:
        """People changed a meeting's clusters: re-read them before the next batch."""

    def rebuild(self, meeting_id: int) -> None:
        """A comment left the machine's clusters in a way it cannot follow: rebuild them from the store."""

    def status(self) -> dict[str, Any]:
        """Loading state, percentage, stage and comments waiting."""


class Publisher(Protocol):
    """The socket.io emits the core asks for (clock, feed and review watchers of a meeting)."""

    async def publish_clock(self, meeting_id: int) -> None:
        """The current clock of a meeting to everyone watching it."""

    async def publish_clock_event(self, meeting_id: int, event: str, body: Any) -> None:
        """A meeting-level event to its watchers."""

    async def publish_feed_event(self, meeting_id: int, event: str, body: Any) -> None:
        """A feed event to the meeting's feed watchers."""

    async def publish_review(self, meeting_id: int, problem_ids: list[int]) -> None:
        """Which problems changed, to the meeting's reviewers."""

    async def publish_comment_update(self, meeting_id: int, row: Any, role: str | None = None) -> dict[str, Any]:
        """A changed comment to each audience; returns what ``role`` may see."""


class SourceRegistry(Protocol):
    """The running comment sources of the server: start, stop, describe, and their live health."""

    async def start(self, meeting_id: int, kind: str, config: Mapping[str, Any]) -> dict[str, Any]:
        """Create and run a source."""

    async def stop(self, source_id: int) -> dict[str, Any] | None:
        """Stop a source (None when unknown)."""

    async def restart(self, source_id: int) -> dict[str, Any] | None:
        """Run a stopped source again (None when unknown)."""

    async def describe(self, source_id: int) -> dict[str, Any]:
        """A source's row and health (KeyError when unknown)."""

    async def list(self, meeting_id: int) -> list[dict[str, Any]]:
        """Every source of a meeting."""

    def health(self, meeting_id: int) -> builtins.list[dict[str, Any]]:
        """Live health of a meeting's running sources."""

    def active_meetings(self) -> set[int]:
        """Meetings with a running source."""

    def push_sources(self, kind: str) -> builtins.list[tuple[int, int, Any]]:
        """(source id, meeting id, source) of every running source of a push kind."""

    def running_source(self, source_id: int) -> tuple[int, str, Any] | None:
        """(meeting id, kind, source) of a running source, or None."""
