"""Apply clock commands against the store and announce the new state.

The pure rules live in :mod:`tyndau.domain.clock`; this module adds the store's transaction, the
process's time source and restart markers.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from tyndau.domain.clock import ClockError, Instant, Plan, decide, fold
from tyndau.live.clock_view import clock_view, timing_record
from tyndau.store import clock_log
from tyndau.store.audit import record as audit
from tyndau.store.engine import Conflict, Engine
from tyndau.store.meetings import Meeting, get_meeting
from tyndau.store.people import Principal
from tyndau.timeutil import utcnow


class SystemTime:
    """This process's clock: wall time plus the monotonic reading, tagged with a boot id."""

    def __init__(self, boot_id: str | None = None) -> None:
        self.boot_id = boot_id or uuid.uuid4().hex

    def now(self) -> Instant:
        """The current instant."""
        return Instant(utcnow(), time.monotonic(), self.boot_id)


class MeetingNotFound(LookupError):
    """No meeting with that id."""


@dataclass(frozen=True, slots=True)
class CommandOutcome:
    """The clock after a command, and whether the command changed anything."""

    clock: dict[str, Any]
    changed: bool


Publish = Callable[[int, dict[str, Any]], Awaitable[None]]


class ClockService:
    """Reads and changes meeting clocks; every change is audited and published."""

    def __init__(self, engine: Engine, clock: SystemTime, warning_ratio: float, publish: Publish) -> None:
        self._engine = engine
        self._clock = clock
        self._warning_ratio = warning_ratio
        self._publish = publish

    def plan(self, meeting: Meeting) -> Plan:
        """The plan the clock of this meeting measures against."""
        return Plan(meeting.planned_seconds, meeting.draft.starts_at, self._warning_ratio)

    async def snapshot(self, meeting_id: int) -> tuple[Meeting, dict[str, Any]]:
        """The meeting and its clock view now."""
        async with self._engine.connect() as conn:
            meeting = await get_meeting(conn, meeting_id)
            if meeting is None:
                raise MeetingNotFound(meeting_id)
            events = await clock_log.load_events(conn, meeting_id)
        now = self._clock.now()
        return meeting, clock_view(meeting_id, fold(events, now), self.plan(meeting), now.wall)

    async def timing(self, meeting_id: int) -> dict[str, Any]:
        """The timing record of a meeting."""
        async with self._engine.connect() as conn:
            meeting = await get_meeting(conn, meeting_id)
            if meeting is None:
                raise MeetingNotFound(meeting_id)
            events = await clock_log.load_events(conn, meeting_id)
        now = self._clock.now()
        return timing_record(meeting.to_json(), fold(events, now), self.plan(meeting), now.wall)

    async def command(
        self, who: Principal, meeting_id: int, action: str, *, version: int | None, command_id: str | None
    ) -> CommandOutcome:
        """Apply one command atomically; a lost race surfaces as ``stale_version``."""
        try:
            async with self._engine.begin() as conn:
                meeting = await get_meeting(conn, meeting_id)
                if meeting is None:
                    raise MeetingNotFound(meeting_id)
                repeated = command_id is not None and await clock_log.find_command(conn, meeting_id, command_id)
                events = await clock_log.load_events(conn, meeting_id)
                now = self._clock.now()
                if repeated:
                    view = clock_view(meeting_id, fold(events, now), self.plan(meeting), now.wall)
                    return CommandOutcome(view, changed=False)
                decision = decide(events, action, now, expected_version=version, actor=f"{who.kind}:{who.name}", command_id=command_id)
                await clock_log.append_events(conn, meeting_id, decision.append)
                if not decision.noop:
                    await audit(conn, who, f"clock.{action}", meeting_id, {"version": version, "seq": decision.append[0].seq})
                view = clock_view(meeting_id, fold([*events, *decision.append], now), self.plan(meeting), now.wall)
        except Conflict:
            raise ClockError("stale_version", "another console changed the clock at the same moment; the screen now shows the current phase") from None
        if not decision.noop:
            await self._publish(meeting_id, view)
        return CommandOutcome(view, changed=not decision.noop)

    async def mark_restarts(self, down_from: Any) -> list[int]:
        """After a restart, split every running meeting's phase so the downtime is shown."""
        marked: list[int] = []
        async with self._engine.begin() as conn:
            for meeting_id in await clock_log.running_meetings(conn):
                events = await clock_log.load_events(conn, meeting_id)
                now = self._clock.now()
                state = fold(events, now)
                if state.phase in ("presentation", "qa", "pause"):
                    await clock_log.append_events(conn, meeting_id, (clock_log.restart_event(state.version + 1, now, down_from),))
                    marked.append(meeting_id)
        return marked

