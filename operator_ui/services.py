"""The running application's services, handed to actions and handlers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import socketio
from sqlalchemy.ext.asyncio import AsyncEngine

from tyndau.actions import Action
from tyndau.live.clock_service import ClockService, SystemTime
from tyndau.settings import Settings

CLOCK_NS = "/clock"


def meeting_room(meeting_id: int) -> str:
    """The socket.io room of everyone watching one meeting."""
    return f"meeting:{meeting_id}"


@dataclass
class Services:
    """What a request or socket handler needs: the store, the clock, the socket server."""

    settings: Settings
    engine: AsyncEngine
    sio: socketio.AsyncServer
    time: SystemTime
    actions: Mapping[str, Action]
    clock: ClockService = field(init=False)

    def __post_init__(self) -> None:
        self.clock = ClockService(self.engine, self.time, self.settings.warning_ratio, self._publish_clock_view)

    async def _publish_clock_view(self, meeting_id: int, view: dict[str, Any]) -> None:
        await self.sio.emit("clock", view, room=meeting_room(meeting_id), namespace=CLOCK_NS)

    async def publish_clock(self, meeting_id: int) -> None:
        """Send the current clock of a meeting to everyone watching it."""
        _, view = await self.clock.snapshot(meeting_id)
        await self._publish_clock_view(meeting_id, view)

    async def publish_clock_event(self, meeting_id: int, event: str, body: Any) -> None:
        """Send a meeting-level event (meeting edited, presenter message) to its watchers."""
        await self.sio.emit(event, body, room=meeting_room(meeting_id), namespace=CLOCK_NS)
