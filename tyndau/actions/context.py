"""What an action is handed: the store, the clock, the intake, the vocabulary, the labeller and the publisher."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Protocol

from tyndau.domain.ports import Labelling, Publisher

if TYPE_CHECKING:
    from collections.abc import Mapping

    from tyndau.actions import Action
    from tyndau.live.clock_service import ClockService
    from tyndau.live.intake import Intake
    from tyndau.store.engine import Engine
    from tyndau.vocabulary import Vocabulary


class ActionContext(Publisher, Protocol):
    """The typed context of every action (the server's ``Services`` is one; a test may pass its own)."""

    engine: Engine
    clock: ClockService
    intake: Intake
    vocabulary: Vocabulary
    labeller: Labelling | None
    actions: Mapping[str, Action]  # the app's actions by name (the demo seeds through them)

    async def meeting_day(self, meeting_id: int) -> date | None:
        """The meeting's planned date in Almaty (404 for an unknown meeting)."""
