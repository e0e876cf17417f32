"""The pure clock: transitions, accounting, undo, restarts, the cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tyndau.domain.clock import (
    ClockError,
    ClockEvent,
    Instant,
    Plan,
    cap_state,
    decide,
    elapsed,
    fold,
    transition,
)
from tyndau.live.clock_view import clock_view, timing_csv, timing_record

T0 = datetime(2026, 11, 21, 5, 0, tzinfo=UTC)


class FakeTime:
    """A hand-driven clock: wall and monotonic advance together unless told otherwise."""

    def __init__(self, boot: str = "boot-a") -> None:
        self.wall = T0
        self.mono = 1000.0
        self.boot = boot

    def now(self) -> Instant:
        return Instant(self.wall, self.mono, self.boot)

    def advance(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)
        self.mono += seconds

    def restart(self, down_seconds: float, boot: str) -> None:
        """The process dies and a new one starts: the monotonic clock starts over."""
        self.wall += timedelta(seconds=down_seconds)
        self.mono = 5.0
        self.boot = boot


class Meeting:
    """Drives :func:`decide` the way the service does."""

    def __init__(self, planned_minutes: float = 120) -> None:
        self.time = FakeTime()
        self.events: list[ClockEvent] = []
        self.plan = Plan(planned_minutes * 60, T0)

    def do(self, action: str, *, version: int | None = None) -> bool:
        decision = decide(self.events, action, self.time.now(), expected_version=version)
        self.events.extend(decision.append)
        return not decision.noop

    def state(self):
        return fold(self.events, self.time.now())

    def view(self):
        return clock_view(1, self.state(), self.plan, self.time.wall)


def test_not_started_has_zero_totals():
    m = Meeting()
    v = m.view()
    assert v["phase"] == "not_started"
    assert v["presentation_seconds"] == v["qa_seconds"] == v["pause_seconds"] == 0
    assert v["version"] == 0
    assert v["cap_seconds"] == 30 * 60
    assert v["planned_end_at"] == (T0 + timedelta(minutes=120)).isoformat()


def test_presentation_then_qa_then_end_accumulates_each_phase():
    m = Meeting()
    m.do("start_presentation")
    m.time.advance(600)
    m.do("start_qa")
    m.time.advance(1200)
    m.do("end")
    m.time.advance(999)  # time after the end counts nowhere
    v = m.view()
    assert v["phase"] == "ended"
    assert v["presentation_seconds"] == 600
    assert v["qa_seconds"] == 1200
    assert v["qa_share"] == pytest.approx(1200 / 1800, abs=1e-4)
    assert v["remaining_seconds"] is None


def test_pause_inside_presentation_stops_presentation_time_and_resume_returns_to_it():
    m = Meeting()
    m.do("start_presentation")
    m.time.advance(300)
    m.do("pause")
    m.time.advance(120)
    v = m.view()
    assert (v["phase"], v["paused_phase"]) == ("pause", "presentation")
    assert v["presentation_seconds"] == 300 and v["pause_seconds"] == 120
    m.do("resume")
    m.time.advance(60)
    v = m.view()
    assert v["phase"] == "presentation"
    assert v["presentation_seconds"] == 360 and v["pause_seconds"] == 120


def test_resume_after_pause_in_qa_returns_to_qa():
    m = Meeting()
    m.do("start_qa")
    m.time.advance(10)
    m.do("pause")
    m.do("resume")
    assert m.state().phase == "qa"


def test_switching_back_to_presentation_after_qa_adds_to_the_same_total():
    m = Meeting()
    m.do("start_presentation")
    m.time.advance(600)
    m.do("start_qa")
    m.time.advance(300)
    m.do("start_presentation")
    m.time.advance(200)
    v = m.view()
    assert v["presentation_seconds"] == 800 and v["qa_seconds"] == 300
    assert [s.phase for s in m.state().segments] == ["presentation", "qa", "presentation"]


def test_undo_removes_a_mistaken_switch_as_if_it_never_happened():
    m = Meeting()
    m.do("start_presentation")
    m.time.advance(600)
    m.do("start_qa")  # clicked by mistake
    m.time.advance(30)
    m.do("undo")
    m.time.advance(30)
    v = m.view()
    assert v["phase"] == "presentation"
    assert v["presentation_seconds"] == 660 and v["qa_seconds"] == 0
    assert v["version"] == 3  # start, qa, undo: the record keeps the mistake and its undo


def test_undo_twice_walks_back_two_switches_and_then_refuses():
    m = Meeting()
    m.do("start_presentation")
    m.do("start_qa")
    m.do("undo")
    m.do("undo")
    assert m.state().phase == "not_started"
    with pytest.raises(ClockError) as err:
        m.do("undo")
    assert err.value.code == "nothing_to_undo"


def test_undo_of_end_reopens_the_meeting():
    m = Meeting()
    m.do("start_qa")
    m.time.advance(100)
    m.do("end")
    m.time.advance(50)
    m.do("undo")
    v = m.view()
    assert v["phase"] == "qa" and v["qa_seconds"] == 150


@pytest.mark.parametrize(
    ("setup", "action"),
    [
        ([], "end"),
        ([], "pause"),
        ([], "resume"),
        (["start_presentation", "end"], "start_qa"),
        (["start_presentation", "end"], "start_presentation"),
        (["start_presentation", "end"], "pause"),
    ],
)
def test_nonsense_switches_are_refused(setup, action):
    m = Meeting()
    for a in setup:
        m.do(a)
    before = list(m.events)
    with pytest.raises(ClockError) as err:
        m.do(action)
    assert err.value.code == "invalid_transition"
    assert m.events == before


def test_unknown_action_is_refused():
    with pytest.raises(ClockError) as err:
        decide([], "dance", FakeTime().now(), expected_version=None)
    assert err.value.code == "unknown_action"
    with pytest.raises(ClockError):
        transition("qa", None, "dance")


def test_repeating_the_current_phase_is_a_no_op():
    m = Meeting()
    assert m.do("start_presentation")
    assert not m.do("start_presentation")
    assert not m.do("resume")
    assert len(m.events) == 1


def test_stale_version_is_refused_unless_the_command_is_already_satisfied():
    m = Meeting()
    m.do("start_presentation", version=0)
    # A second console still at version 0 presses "presentation": already true, fine.
    assert not m.do("start_presentation", version=0)
    # ... but "Q&A" based on a stale view is refused, and so is undo.
    with pytest.raises(ClockError) as err:
        m.do("start_qa", version=0)
    assert err.value.code == "stale_version"
    with pytest.raises(ClockError):
        m.do("undo", version=0)
    assert m.do("start_qa", version=1)


def test_cap_states_calm_warning_exactly_at_cap_and_over():
    plan = Plan(120 * 60, T0, warning_ratio=0.8)
    assert cap_state(0, plan) == "calm"
    assert cap_state(0.8 * 1800 - 0.001, plan) == "calm"
    assert cap_state(0.8 * 1800, plan) == "warning"
    assert cap_state(1800, plan) == "warning"  # exactly at the cap: the rule still holds
    assert cap_state(1800.001, plan) == "over"


def test_cap_exactly_reached_holds_the_rule_and_overrun_counts_up_after():
    m = Meeting(planned_minutes=4)  # cap = 60 s
    m.do("start_presentation")
    m.time.advance(60)
    v = m.view()
    assert v["over_cap_seconds"] == 0 and v["cap_state"] == "warning"
    record = timing_record({"id": 1, "title": "t", "akim_level": "village", "place": "", "starts_at": None, "planned_minutes": 4}, m.state(), m.plan, m.time.wall)
    assert record["rule_held"] is True and record["presentation_share_of_planned"] == 0.25
    m.time.advance(15)
    v = m.view()
    assert v["cap_state"] == "over" and v["over_cap_seconds"] == 15


def test_cap_is_fixed_by_the_plan_not_by_how_long_the_meeting_runs():
    m = Meeting(planned_minutes=60)
    m.do("start_qa")
    m.time.advance(3 * 3600)
    v = m.view()
    assert v["cap_seconds"] == 900
    assert v["running_over"] is True
    assert v["remaining_seconds"] < 0


def test_restart_mid_phase_counts_the_downtime_in_the_running_phase_and_shows_it():
    m = Meeting()
    m.do("start_presentation")
    m.time.advance(100)
    last_seen = m.time.wall
    m.time.restart(down_seconds=40, boot="boot-b")
    m.events.append(ClockEvent(len(m.events) + 1, "restart", m.time.now(), down_from=last_seen))
    m.time.advance(10)
    state = m.state()
    assert state.phase == "presentation"
    assert state.totals["presentation"] == pytest.approx(150)
    assert state.restarts[0].phase == "presentation"
    assert state.restarts[0].down_from == last_seen
    assert state.segments[-1].restarted is True


def test_durations_within_a_boot_use_the_monotonic_clock_not_wall_time():
    a = Instant(T0, 10.0, "x")
    b = Instant(T0 + timedelta(hours=1), 12.5, "x")  # NTP stepped the wall clock
    assert elapsed(a, b) == 2.5
    c = Instant(T0 + timedelta(seconds=30), 1.0, "y")
    assert elapsed(a, c) == 30.0


def test_timing_record_lists_segments_and_exports_csv():
    m = Meeting(planned_minutes=60)
    m.do("start_presentation")
    m.time.advance(1000)
    m.do("start_qa")
    m.time.advance(2000)
    m.do("end")
    meeting = {"id": 7, "title": "t", "akim_level": "village", "place": "p", "starts_at": T0.isoformat(), "planned_minutes": 60}
    record = timing_record(meeting, m.state(), m.plan, m.time.wall)
    assert record["final"] is True
    assert [(s["phase"], s["seconds"]) for s in record["segments"]] == [("presentation", 1000), ("qa", 2000)]
    assert record["rule_held"] is False
    assert record["totals"]["over_cap_seconds"] == 100
    csv_text = timing_csv(record)
    lines = csv_text.splitlines()
    assert lines[0] == "\ufeffNo.;Phase;Start (Almaty);End (Almaty);Duration;Seconds;Note"
    assert lines[1].startswith("1;Presentation;21.11.2026 10:00:00;") and ";16:40;1000,0;" in lines[1]  # Almaty time
    assert ";The 1/4 rule;;;broken;;" in csv_text
    assert ";Presentation share of the plan;;;27,8 %;;" in csv_text
