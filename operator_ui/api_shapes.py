"""The shapes the API answers with, for the OpenAPI document (the request shapes are the actions'
and routes' own schemas). Extra keys are allowed: clients must ignore what they do not know.

A field typed without ``None`` but defaulting to it may be absent, never null.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tyndau.domain.clock import ACTIONS as CLOCK_ACTIONS
from tyndau.domain.meeting import AKIM_LEVELS, MAX_PLANNED_MINUTES, MAX_TITLE, MIN_PLANNED_MINUTES

Phase = Literal["not_started", "presentation", "qa", "pause", "ended"]


class Shape(BaseModel):
    """An answer's documented fields."""

    model_config = ConfigDict(extra="allow")


class ErrorBody(Shape):
    """``{"code", "message", "fields"?}``."""

    code: str
    message: str
    fields: dict[str, str] = None  # type: ignore[assignment]


class Error(Shape):
    """Every 4xx/5xx of the API."""

    error: ErrorBody


class Announcement(Shape):
    """Whether the meeting was announced early enough for its akim level."""

    notice_days: int = None  # type: ignore[assignment]
    deadline: date = None  # type: ignore[assignment]
    announced_on: date | None = None
    days_ahead: int | None = None
    met: bool | None = None


class Meeting(Shape):
    """A meeting as stored."""

    id: int
    title: str
    title_kk: Annotated[str, Field(max_length=MAX_TITLE)] = None  # type: ignore[assignment]
    akim_level: Literal[AKIM_LEVELS]
    place: str = None  # type: ignore[assignment]
    starts_at: datetime
    planned_minutes: Annotated[int, Field(ge=MIN_PLANNED_MINUTES, le=MAX_PLANNED_MINUTES)]
    announced_at: datetime | None = None
    stream_links: list[str] = None  # type: ignore[assignment]
    akim_name: str = None  # type: ignore[assignment]
    attendance: Annotated[int, Field(ge=0)] | None = None
    online_reach: Annotated[int, Field(ge=0)] | None = None
    created_at: datetime = None  # type: ignore[assignment]
    presenter_message: str = None  # type: ignore[assignment]
    presenter_message_at: datetime | None = None
    announcement: Announcement = None  # type: ignore[assignment]


class MeetingList(Shape):
    """``{"items": [Meeting]}``, newest first."""

    items: list[Meeting]


class Clock(Shape):
    """The clock now (the same over HTTP and socket.io); totals are as of ``server_time``."""

    meeting_id: int = None  # type: ignore[assignment]
    phase: Phase
    paused_phase: str | None = None
    version: int
    phase_started_at: datetime | None = None
    server_time: datetime = None  # type: ignore[assignment]
    presentation_seconds: float
    qa_seconds: float
    pause_seconds: float
    cap_seconds: float
    warning_seconds: float = None  # type: ignore[assignment]
    over_cap_seconds: float
    planned_seconds: float
    cap_state: Literal["calm", "warning", "over"] = None  # type: ignore[assignment]
    started_at: datetime | None = None
    ended_at: datetime | None = None
    planned_end_at: datetime = None  # type: ignore[assignment]
    remaining_seconds: float | None = None
    running_over: bool = None  # type: ignore[assignment]
    qa_share: float | None = None
    can_undo: bool = None  # type: ignore[assignment]
    undo_action: Literal[CLOCK_ACTIONS] | None = None
    restarts: list[dict[str, Any]] = None  # type: ignore[assignment]


class Segment(Shape):
    """One phase as it ran."""

    phase: str = None  # type: ignore[assignment]
    started_at: datetime | None = None
    ended_at: datetime | None = None
    seconds: float = None  # type: ignore[assignment]
    restarted: bool = None  # type: ignore[assignment]


class Timing(Shape):
    """The timing record: segments, totals, and whether the presentation kept to its quarter."""

    segments: list[Segment]
    totals: dict[str, Any]
    presentation_share_of_planned: float = None  # type: ignore[assignment]
    qa_share: float | None = None
    rule_held: bool


class CommentAccepted(Shape):
    """A stored comment (or, for a batch, ``items`` with one answer each)."""

    id: int | None = None
    duplicate: bool = None  # type: ignore[assignment]
    items: list[dict[str, Any]] = None  # type: ignore[assignment]


class Comment(Shape):
    """A comment as a reader may see it: personal data replaced by placeholders."""

    id: int
    source: str
    external_id: str | None
    author: str
    text: Annotated[str, Field(description="as received, with personal data replaced by placeholders")]
    display: Annotated[str, Field(description="control, zero-width and bidi characters removed, personal data redacted; clipped")] = None  # type: ignore[assignment]
    personal_data: Annotated[list[str], Field(description="the kinds of personal data hidden (iin, phone, ...)")] = None  # type: ignore[assignment]
    created_at: datetime
    received_at: datetime
    lang: str | None = None
    kind: str = None  # type: ignore[assignment]
    hidden: bool = None  # type: ignore[assignment]
    throttled: bool = None  # type: ignore[assignment]
    flags: list[str] = None  # type: ignore[assignment]


class CommentPage(Shape):
    """``{"items": [Comment], "next": cursor | null}``."""

    items: list[Comment]
    next: str | None = None
