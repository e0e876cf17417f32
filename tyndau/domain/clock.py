"""The meeting clock: a pure state machine folded from persisted phase events.

Nothing here reads a clock or a database. An :class:`Instant` pairs wall time with the monotonic
reading of the process (its ``boot``) that recorded it: durations inside one boot use the
monotonic clock (immune to NTP steps), durations across a restart use wall time, so the gap while
the server was down counts in the phase that was running, and :class:`Restart` markers show it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

Phase = Literal["not_started", "presentation", "qa", "pause", "ended"]
PHASE_ACTIONS = ("start_presentation", "start_qa", "pause", "resume", "end")
ACTIONS = PHASE_ACTIONS + ("undo",)
RESTART = "restart"
RUNNING: tuple[Phase, ...] = ("presentation", "qa")


@dataclass(frozen=True, slots=True)
class Instant:
    """A moment as one server process saw it."""

    wall: datetime
    mono: float
    boot: str


def elapsed(start: Instant, end: Instant) -> float:
    """Seconds from ``start`` to ``end``: monotonic within a boot, wall time across boots."""
    if start.boot == end.boot:
        return max(0.0, end.mono - start.mono)
    return max(0.0, (end.wall - start.wall).total_seconds())


@dataclass(frozen=True, slots=True)
class ClockEvent:
    """One persisted clock event: a phase action, an undo of one, or a restart marker."""

    seq: int
    action: str
    at: Instant
    undoes: int | None = None
    down_from: datetime | None = None
    actor: str = ""
    command_id: str | None = None


class ClockError(Exception):
    """A command that cannot apply; ``code`` is stable for clients."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of one phase; ``restarted`` when the server restarted inside it."""

    phase: Phase
    started_at: datetime
    ended_at: datetime | None
    seconds: float
    restarted: bool = False


@dataclass(frozen=True, slots=True)
class Restart:
    """The server came back while a meeting was running; the downtime counted in ``phase``."""

    down_from: datetime | None
    down_to: datetime
    phase: Phase


@dataclass(frozen=True, slots=True)
class ClockState:
    """Everything derived from the events as of one instant."""

    phase: Phase
    paused_phase: Phase | None
    version: int
    phase_started_at: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    totals: dict[str, float]
    segments: tuple[Segment, ...]
    restarts: tuple[Restart, ...]
    last_effective_seq: int | None
    can_undo: bool = field(default=False)
    last_action: str | None = None  # what an undo would take back


def transition(phase: Phase, paused: Phase | None, action: str) -> tuple[Phase, Phase | None]:
    """The phase after ``action``; a no-op returns the same phase, nonsense raises ClockError."""
    if action not in PHASE_ACTIONS:
        raise ClockError("unknown_action", f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    if phase == "ended":
        if action == "end":
            return phase, paused
        raise ClockError("invalid_transition", "the meeting has ended; undo the end to change it")
    if action == "start_presentation":
        return "presentation", None
    if action == "start_qa":
        return "qa", None
    if action == "pause":
        if phase in RUNNING:
            return "pause", phase
        if phase == "pause":
            return phase, paused
        raise ClockError("invalid_transition", "nothing to pause: the meeting has not started")
    if action == "resume":
        if phase == "pause":
            return paused or "presentation", None
        if phase in RUNNING:
            return phase, paused
        raise ClockError("invalid_transition", "nothing to resume: the meeting has not started")
    # end
    if phase == "not_started":
        raise ClockError("invalid_transition", "the meeting has not started")
    return "ended", None


def fold(events: Sequence[ClockEvent], now: Instant) -> ClockState:
    """Replay the events (in ``seq`` order) and account every second up to ``now``."""
    ordered = sorted(events, key=lambda e: e.seq)
    undone = {e.undoes for e in ordered if e.action == "undo" and e.undoes is not None}
    phase: Phase = "not_started"
    paused: Phase | None = None
    totals = {"presentation": 0.0, "qa": 0.0, "pause": 0.0}
    segments: list[Segment] = []
    restarts: list[Restart] = []
    seg_start: ClockEvent | None = None  # the phase event that opened the current segment
    cursor: Instant | None = None  # where accounting of the current segment has reached
    seg_seconds = 0.0
    seg_restarted = False
    started_at: datetime | None = None
    ended_at: datetime | None = None
    last_effective: int | None = None
    last_action: str | None = None

    def close(at: Instant | None) -> None:
        nonlocal seg_seconds
        if seg_start is None or cursor is None:
            return
        if at is not None and phase in totals:
            seg_seconds += elapsed(cursor, at)
        if phase in totals:
            totals[phase] += seg_seconds
            segments.append(Segment(phase, seg_start.at.wall, at.wall if at else None, seg_seconds, seg_restarted))

    for event in ordered:
        if event.action == RESTART:
            if seg_start is not None and cursor is not None and phase in totals:
                seg_seconds += elapsed(cursor, event.at)
                cursor = event.at
                seg_restarted = True
                restarts.append(Restart(event.down_from, event.at.wall, phase))
            continue
        if event.action not in PHASE_ACTIONS or event.seq in undone:
            continue
        new_phase, new_paused = transition(phase, paused, event.action)
        if (new_phase, new_paused) == (phase, paused):
            continue
        close(event.at)
        last_effective = event.seq
        last_action = event.action
        if started_at is None:
            started_at = event.at.wall
        phase, paused = new_phase, new_paused
        ended_at = event.at.wall if phase == "ended" else None
        seg_start, cursor, seg_seconds, seg_restarted = event, event.at, 0.0, False

    open_segment_start = seg_start.at.wall if seg_start is not None else None
    if phase in totals:
        close(now)
        segments[-1] = Segment(segments[-1].phase, segments[-1].started_at, None, segments[-1].seconds, segments[-1].restarted)
    return ClockState(
        phase=phase,
        paused_phase=paused,
        version=ordered[-1].seq if ordered else 0,
        phase_started_at=open_segment_start,
        started_at=started_at,
        ended_at=ended_at,
        totals=totals,
        segments=tuple(segments),
        restarts=tuple(restarts),
        last_effective_seq=last_effective,
        can_undo=last_effective is not None,
        last_action=last_action,
    )


@dataclass(frozen=True, slots=True)
class Decision:
    """What a command does: the events to append (none for a no-op)."""

    append: tuple[ClockEvent, ...]
    noop: bool


def decide(
    events: Sequence[ClockEvent],
    action: str,
    now: Instant,
    *,
    expected_version: int | None,
    actor: str = "",
    command_id: str | None = None,
) -> Decision:
    """Turn a command into events, refusing stale or nonsensical ones.

    A stale ``expected_version`` is forgiven when the command asks for what is already true
    (two consoles pressing "Q&A" together); anything else stale is refused.
    """
    if action not in ACTIONS:
        raise ClockError("unknown_action", f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    state = fold(events, now)
    stale = expected_version is not None and expected_version != state.version
    next_seq = state.version + 1
    if action == "undo":
        if stale:
            raise ClockError("stale_version", "the clock changed on another console; look again before undoing")
        if state.last_effective_seq is None:
            raise ClockError("nothing_to_undo", "there is no phase switch to undo")
        event = ClockEvent(next_seq, "undo", now, undoes=state.last_effective_seq, actor=actor, command_id=command_id)
        return Decision((event,), noop=False)
    new_phase, new_paused = transition(state.phase, state.paused_phase, action)
    if (new_phase, new_paused) == (state.phase, state.paused_phase):
        return Decision((), noop=True)
    if stale:
        raise ClockError("stale_version", "the clock changed on another console; the screen now shows the current phase")
    return Decision((ClockEvent(next_seq, action, now, actor=actor, command_id=command_id),), noop=False)


@dataclass(frozen=True, slots=True)
class Plan:
    """The meeting's plan that the clock measures against."""

    planned_seconds: float
    starts_at: datetime
    warning_ratio: float = 0.8

    @property
    def cap_seconds(self) -> float:
        """A quarter of the planned time: the decree's limit on the akim's presentation."""
        return self.planned_seconds / 4.0


def cap_state(presentation_seconds: float, plan: Plan) -> str:
    """calm, warning (from ``warning_ratio`` of the cap) or over (past the cap)."""
    if presentation_seconds > plan.cap_seconds:
        return "over"
    if presentation_seconds >= plan.cap_seconds * plan.warning_ratio:
        return "warning"
    return "calm"


def planned_end(state: ClockState, plan: Plan) -> datetime:
    """The actual start plus the planned duration; the planned start before the meeting begins."""
    base = state.started_at or plan.starts_at
    return base + timedelta(seconds=plan.planned_seconds)
