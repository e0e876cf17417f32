"""Calendar versions as a fold over change events: approval and adjustments need the maslikhat."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tyndau.domain.calendar_versions import (
    AddVisit,
    CalendarChange,
    CalendarError,
    CalendarState,
    CancelVisit,
    MoveVisit,
    PlannedVisit,
    check_change,
    fold,
    visit_history,
)

from .helpers import almaty

T0 = almaty(2027, 1, 10)


def change(seq: int, kind: str, *ops: object, agreed: date | None = None, reason: str = "", actor: str = "secretary") -> CalendarChange:
    return CalendarChange(seq, kind, T0 + timedelta(days=seq), actor, reason, tuple(ops), agreed)  # type: ignore[arg-type]


def visit(vid: str, day: date, place: str = "V1") -> AddVisit:
    return AddVisit(PlannedVisit(vid, day, place))


APPROVED = [
    change(1, "draft", visit("a", date(2027, 3, 30)), visit("b", date(2027, 5, 12))),
    change(2, "draft", MoveVisit("b", date(2027, 5, 14))),
    change(3, "approve", visit("c", date(2027, 8, 5), "V2"), agreed=date(2027, 1, 14), reason="session 12"),
]


def test_approval_makes_version_one_with_the_plan() -> None:
    state = fold(APPROVED)
    assert state.status == "approved" and state.version == 1 and state.approved_on == date(2027, 1, 14)
    v1 = state.versions[0]
    assert (v1.number, v1.kind, v1.actor, v1.reason, v1.seq) == (1, "approval", "secretary", "session 12", 3)
    assert [(v.id, v.planned_on) for v in v1.visits] == [("a", date(2027, 3, 30)), ("b", date(2027, 5, 14)), ("c", date(2027, 8, 5))]
    assert state.first_planned["b"] == date(2027, 5, 12)


def test_an_adjustment_is_a_new_version_with_who_when_why() -> None:
    moved = change(4, "adjust", MoveVisit("a", date(2027, 4, 2)), agreed=date(2027, 3, 20),
                   reason="flooding on the road", actor="akim's office")
    state = fold(APPROVED + [moved, change(5, "adjust", CancelVisit("c"), visit("d", date(2027, 9, 1)),
                                            agreed=date(2027, 7, 1), reason="c merged into d")])
    assert state.version == 3 and [v.kind for v in state.versions] == ["approval", "adjustment", "adjustment"]
    v2 = state.versions[1]
    assert (v2.actor, v2.reason, v2.maslikhat_agreed_on, v2.at) == ("akim's office", "flooding on the road", date(2027, 3, 20), moved.at)
    assert visit_history(state, "a") == ((1, date(2027, 3, 30)), (2, date(2027, 4, 2)), (3, date(2027, 4, 2)))
    assert set(state.visits) == {"a", "b", "d"} and set(state.cancelled) == {"c"}
    assert state.approved_plan()["a"].planned_on == date(2027, 3, 30)
    assert [v.id for v in state.planned()] == ["a", "b", "d"]


@pytest.mark.parametrize(("changes", "code"), [
    ([change(1, "approve", visit("a", date(2027, 3, 1)))], "no_maslikhat"),
    ([change(1, "approve", agreed=date(2027, 1, 14))], "empty"),
    (APPROVED + [change(4, "adjust", MoveVisit("a", date(2027, 4, 2)), reason="x")], "no_maslikhat"),
    (APPROVED + [change(4, "adjust", MoveVisit("a", date(2027, 4, 2)), agreed=date(2027, 3, 1))], "no_reason"),
    (APPROVED + [change(4, "adjust", agreed=date(2027, 3, 1), reason="x")], "no_operations"),
    (APPROVED + [change(4, "draft", visit("z", date(2027, 6, 1)))], "approved"),
    (APPROVED + [change(4, "approve", visit("z", date(2027, 6, 1)), agreed=date(2027, 1, 14))], "already_approved"),
    ([change(1, "adjust", visit("a", date(2027, 3, 1)), agreed=date(2027, 1, 14), reason="x")], "not_approved"),
    ([change(1, "submit")], "not_approved"),
    ([change(1, "pass_on")], "not_submitted"),
    (APPROVED + [change(4, "pass_on")], "not_submitted"),
    (APPROVED + [change(4, "submit"), change(5, "submit")], "already_submitted"),
    (APPROVED + [change(4, "submit", MoveVisit("a", date(2027, 4, 1)))], "operations_not_allowed"),
    ([change(1, "draft", visit("a", date(2027, 3, 1)), visit("a", date(2027, 3, 2)))], "duplicate_visit"),
    ([change(1, "draft", MoveVisit("nope", date(2027, 3, 1)))], "unknown_visit"),
    ([change(1, "draft", CancelVisit("nope"))], "unknown_visit"),
    ([change(1, "draft", visit(" ", date(2027, 3, 1)))], "no_id"),
    ([change(1, "draft", actor=" ")], "no_actor"),
    ([change(1, "publish")], "unknown_kind"),
    ([change(1, "draft", reason="x" * 2001)], "reason_too_long"),
])
def test_changes_that_cannot_apply(changes: list[CalendarChange], code: str) -> None:
    with pytest.raises(CalendarError) as caught:
        fold(changes)
    assert caught.value.code == code


def test_submission_and_passing_on_are_recorded_and_order_is_enforced() -> None:
    state = fold(APPROVED + [change(4, "submit"), change(5, "pass_on")])
    assert state.status == "passed_on" and state.submitted_at == T0 + timedelta(days=4)
    assert state.passed_on_at == T0 + timedelta(days=5)
    with pytest.raises(CalendarError) as caught:
        check_change(state, change(5, "adjust", CancelVisit("a"), agreed=date(2027, 2, 2), reason="x"))
    assert caught.value.code == "out_of_order"
    later = check_change(state, change(6, "adjust", CancelVisit("a"), agreed=date(2027, 2, 2), reason="x"))
    assert later.status == "passed_on" and later.version == 2


def test_fold_orders_by_seq_and_equals_stepwise_checks() -> None:
    state = CalendarState()
    for c in APPROVED:
        state = check_change(state, c)
    assert fold(list(reversed(APPROVED))) == state


ops = st.lists(st.tuples(st.sampled_from(["add", "move", "cancel"]), st.integers(0, 5), st.integers(0, 364)), max_size=25)


@given(ops)
def test_versions_are_numbered_consecutively_and_snapshot_the_plan(steps: list[tuple[str, int, int]]) -> None:
    state = fold(APPROVED)
    seq = 3
    snapshots = {1: state.planned()}
    for i, (what, n, offset) in enumerate(steps):
        day = date(2027, 1, 1) + timedelta(days=offset)
        vid = f"v{n}"
        op = AddVisit(PlannedVisit(vid, day)) if what == "add" else MoveVisit(vid, day) if what == "move" else CancelVisit(vid)
        seq += 1
        try:
            state = check_change(state, change(seq, "adjust", op, agreed=day, reason=f"step {i}"))
        except CalendarError as exc:
            assert exc.code in ("duplicate_visit", "unknown_visit")
            seq -= 1
            continue
        snapshots[state.version] = state.planned()
    assert [v.number for v in state.versions] == list(range(1, state.version + 1))
    for v in state.versions:
        assert v.visits == snapshots[v.number]
    assert not set(state.visits) & set(state.cancelled)
    assert isinstance(state.versions[-1].at, datetime)


def test_a_calendar_of_a_year_refuses_days_of_another_year() -> None:
    assert fold(APPROVED, year=2027).year == 2027
    with pytest.raises(CalendarError) as caught:
        fold(APPROVED + [change(4, "adjust", MoveVisit("a", date(2028, 1, 3)), agreed=date(2027, 12, 1), reason="x")],
             year=2027)
    assert caught.value.code == "outside_year" and "2028-01-03" in caught.value.message
    assert fold(APPROVED + [change(4, "adjust", MoveVisit("a", date(2028, 1, 3)), agreed=date(2027, 12, 1), reason="x")])
