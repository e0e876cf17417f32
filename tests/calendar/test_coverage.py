"""The coverage matrix: held, planned, missing, not required — and warnings before a period ends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tyndau.domain.calendar_versions import AddVisit, CalendarChange, MoveVisit, PlannedVisit, fold
from tyndau.domain.coverage import MeetingRecord, Organiser, coverage_matrix, plan_problems, uncovered_soon
from tyndau.domain.periods import Period, period_of, periods_of_year
from tyndau.domain.units import build_tree

from .helpers import CITY, DISTRICT, NEW_DISTRICT, REGION, almaty, demo_tree, small_district, unit

Q = [Period(2026, "quarter", i) for i in range(1, 5)]
H = [Period(2026, "half", i) for i in (1, 2)]
ZHAILAU, USHKONYR_RD, SAMAL, KONYR = "991645200", "991645000", "991641300", "991649200"


def held(mid: str, org: str, place: str | None, start: datetime, *, visit: str | None = None, reason: str = "") -> MeetingRecord:
    return MeetingRecord(mid, org, start, place, start + timedelta(hours=2), visit_id=visit, off_calendar_reason=reason)


def district_year(skip: set[tuple[str, int]] = frozenset()) -> list[MeetingRecord]:  # type: ignore[assignment]
    """A district akim's year: one meeting per quarter in every village and the district city."""
    tree = demo_tree()
    places = [u for u in tree.of_kinds(DISTRICT, ["village", "district_city"])]
    out = []
    for q in Q:
        for i, place in enumerate(places):
            day = q.first_day + timedelta(days=20 + i)
            if (place.id, q.index) in skip or not place.exists_on(day):
                continue
            out.append(held(f"{place.id}-{q.key}", DISTRICT, place.id, almaty(day.year, day.month, day.day)))
    return out


def test_the_demo_district_year_flags_its_gap() -> None:
    tree = demo_tree()
    org = Organiser.akimat(tree.get(DISTRICT))
    matrix = coverage_matrix(tree, org, 2026, district_year({(ZHAILAU, 3)}), date(2026, 12, 20))
    assert matrix.periods == tuple(Q) and len(matrix.rows) == 33
    assert matrix.cell(ZHAILAU, Q[2]).status == "missing" and not matrix.cell(ZHAILAU, Q[2]).period_open
    assert matrix.cell(USHKONYR_RD, Q[2]).status == "held"          # its other village was visited
    assert [c.status for c in matrix.rows[[r.target_id for r in matrix.rows].index(SAMAL)].cells] == \
        ["not_required", "not_required", "held", "held"]              # formed on 1 July
    assert matrix.cell(KONYR, Q[3]).status == "not_required" and matrix.cell(KONYR, Q[2]).status == "held"
    assert dict(matrix.counts()) == {"held": 128, "planned": 0, "missing": 1, "not_required": 3}
    assert matrix.on_demand == tuple(m.id for m in district_year({(ZHAILAU, 3)}))   # no calendar given
    assert matrix.outside_targets == ()


def test_region_half_years_with_a_district_added_and_one_abolished() -> None:
    tree = build_tree([
        unit("R", "region"), unit("D1", "district", "R"), unit("C", "regional_city", "R"),
        unit("D2", "district", "R", start=date(2026, 4, 1)),      # 91 of 181 days of H1: required
        unit("D3", "district", "R", start=date(2026, 5, 15)),     # 47 days of H1: not required then
        unit("D4", "district", "R", end=date(2026, 8, 31)),       # 62 of 184 days of H2: not required then
        unit("D5", "district", "R", end=date(2025, 12, 31)),      # gone before the year: no row
    ])
    meetings = [held("m1", "R", "D1", almaty(2026, 2, 10)), held("m2", "R", "D4", almaty(2026, 8, 1))]
    matrix = coverage_matrix(tree, Organiser.akimat(tree.get("R")), 2026, meetings, date(2026, 12, 31))
    assert matrix.periods == tuple(H)
    assert [r.target_id for r in matrix.rows] == ["C", "D1", "D2", "D3", "D4"]
    status = {(r.target_id, c.period.index): (c.status, c.existing_days) for r in matrix.rows for c in r.cells}
    assert status[("D1", 1)] == ("held", 181) and status[("D1", 2)] == ("missing", 184)
    assert status[("D2", 1)] == ("missing", 91) and status[("D3", 1)] == ("not_required", 47)
    assert status[("D3", 2)] == ("missing", 184)
    assert status[("D4", 1)] == ("missing", 181) and status[("D4", 2)] == ("held", 62)   # held though not required
    assert status[("C", 1)] == ("missing", 181)
    strict = coverage_matrix(tree, Organiser.akimat(tree.get("R")), 2026, meetings, date(2026, 12, 31),
                             required_share=Fraction(1))
    assert strict.cell("D2", H[0]).status == "not_required"
    with pytest.raises(ValueError):
        coverage_matrix(tree, Organiser.akimat(tree.get("R")), 2026, meetings, date(2026, 12, 31), required_share=Fraction(0))


def calendar_with(day: date, *, moved_to: date | None = None) -> object:
    changes = [CalendarChange(1, "approve", almaty(2026, 1, 12), "secretary", "",
                              (AddVisit(PlannedVisit("v1", day, "V11")),), date(2026, 1, 12))]
    if moved_to:
        changes.append(CalendarChange(2, "adjust", almaty(2026, 3, 20), "secretary", "road closed",
                                      (MoveVisit("v1", moved_to),), date(2026, 3, 19)))
    return fold(changes)


def test_a_meeting_moved_from_30_march_to_2_april() -> None:
    tree = small_district()
    org = Organiser.akimat(tree.get("D"))
    meeting = held("m1", "D", "V11", almaty(2026, 4, 2), visit="v1")
    for calendar in (calendar_with(date(2026, 3, 30), moved_to=date(2026, 4, 2)), calendar_with(date(2026, 3, 30))):
        before = coverage_matrix(tree, org, 2026, [], date(2026, 3, 25), calendar=calendar)  # type: ignore[arg-type]
        after = coverage_matrix(tree, org, 2026, [meeting], date(2026, 4, 10), calendar=calendar)  # type: ignore[arg-type]
        q1, q2 = after.cell("V11", Q[0]), after.cell("V11", Q[1])
        assert (q1.status, q1.held, q1.moved_out, q1.planned) == ("missing", (), ("v1",), ())
        assert (q2.status, q2.held, q2.on_demand) == ("held", ("m1",), ())
        assert after.cell("RD1", Q[0]).moved_out == ("v1",)          # the rural district lost its Q1 visit too
        assert after.on_demand == ()
        moved = calendar.visits["v1"].planned_on != date(2026, 3, 30)  # type: ignore[attr-defined]
        # before it is held: a moved plan sits in Q2; an unmoved one is still Q1's plan
        assert before.cell("V11", Q[1 if moved else 0]).status == "planned"
        assert before.cell("V11", Q[0]).moved_out == (("v1",) if moved else ())


def test_plans_ahead_overdue_plans_and_scheduled_meetings_outside_the_calendar() -> None:
    tree = small_district()
    org = Organiser.akimat(tree.get("D"))
    calendar = fold([CalendarChange(1, "approve", almaty(2026, 1, 12), "s", "", (
        AddVisit(PlannedVisit("late", date(2026, 2, 3), "V12")), AddVisit(PlannedVisit("ahead", date(2026, 3, 20), "V21")),
    ), date(2026, 1, 12))])
    scheduled = MeetingRecord("sched", "D", almaty(2026, 3, 25), "S22")
    matrix = coverage_matrix(tree, org, 2026, [scheduled], date(2026, 3, 1), calendar=calendar)
    late, ahead, extra = matrix.cell("V12", Q[0]), matrix.cell("V21", Q[0]), matrix.cell("S22", Q[0])
    assert (late.status, late.overdue, late.planned) == ("missing", ("late",), ())
    assert (ahead.status, ahead.planned, ahead.period_open) == ("planned", ("ahead",), True)
    assert (extra.status, extra.planned) == ("planned", ("sched",))
    assert matrix.cell("RD2", Q[0]).planned == ("ahead", "sched")


def test_almaty_dates_decide_the_quarter_at_midnight() -> None:
    tree = small_district()
    org = Organiser.akimat(tree.get("D"))
    late_evening = held("eve", "D", "V11", almaty(2026, 3, 31, 23, 30))
    past_midnight = MeetingRecord("night", "D", datetime(2026, 3, 31, 19, 30, tzinfo=UTC), "V12",
                                  datetime(2026, 3, 31, 20, 30, tzinfo=UTC))
    matrix = coverage_matrix(tree, org, 2026, [late_evening, past_midnight], date(2026, 6, 1))
    assert matrix.cell("V11", Q[0]).held == ("eve",) and matrix.cell("V12", Q[0]).held == ()
    assert matrix.cell("V12", Q[1]).held == ("night",)
    new_year = held("ny", "D", "V11", datetime(2026, 12, 31, 19, 30, tzinfo=UTC))   # 1 January 2027 in Almaty
    assert coverage_matrix(tree, org, 2026, [new_year], date(2027, 1, 5)).cell("V11", Q[3]).held == ()
    assert coverage_matrix(tree, org, 2027, [new_year], date(2027, 1, 5)).cell("V11", Period(2027, "quarter", 1)).held == ("ny",)


def test_29_february_and_a_unit_formed_in_a_leap_quarter() -> None:
    def matrix_for(year: int, start: date, meetings: list[MeetingRecord]) -> object:
        tree = build_tree([unit("R", "region"), unit("D", "district", "R"), unit("RD", "rural_district", "D"),
                           unit("V", "village", "RD", start=start)])
        return coverage_matrix(tree, Organiser.akimat(tree.get("D")), year, meetings, date(year, 12, 31))

    leap = matrix_for(2028, date(2028, 2, 16), [held("leap", "D", "V", almaty(2028, 2, 29))])
    q1 = Period(2028, "quarter", 1)
    cell = leap.cell("V", q1)  # type: ignore[attr-defined]
    assert (cell.existing_days, q1.days, cell.required, cell.status) == (45, 91, False, "held")  # 45 of 91 days
    assert leap.cell("RD", q1).held == ("leap",) and leap.cell("RD", q1).existing_days == 91  # type: ignore[attr-defined]
    plain = matrix_for(2027, date(2027, 2, 15), [])
    cell = plain.cell("V", Period(2027, "quarter", 1))  # type: ignore[attr-defined]
    assert (cell.existing_days, cell.required, cell.status) == (45, True, "missing")        # 45 of 90: half


def test_organisers_that_meet_themselves_and_what_does_not_count() -> None:
    tree = small_district()
    village = Organiser.akimat(tree.get("V21"))
    meetings = [
        held("a", "V21", "V21", almaty(2026, 1, 20)),
        held("b", "V21", None, almaty(2026, 5, 20), reason="population_demand"),
        MeetingRecord("c", "V21", almaty(2026, 8, 1), "V21", almaty(2026, 8, 1, 12), cancelled=True),
        held("d", "D", "V21", almaty(2026, 8, 2)),                     # someone else's meeting
    ]
    matrix = coverage_matrix(tree, village, 2026, meetings, date(2026, 12, 31))
    assert [c.status for c in matrix.rows[0].cells] == ["held", "held", "missing", "missing"]
    assert matrix.cell("V21", Q[1]).on_demand == ("b",)
    ministry = Organiser("health", "central")
    central = coverage_matrix(tree, ministry, 2026, [held("m", "health", "V11", almaty(2026, 11, 3))], date(2026, 12, 31))
    assert [(r.target_id, r.unit) for r in central.rows] == [("health", None)]
    assert [c.status for c in central.rows[0].cells] == ["missing", "missing", "missing", "held"]
    district = coverage_matrix(tree, Organiser.akimat(tree.get("D")), 2026, [held("x", "D", "D", almaty(2026, 2, 2))],
                               date(2026, 12, 31))
    assert district.outside_targets == ("x",)                            # at the akimat itself: no village visited
    with pytest.raises(ValueError, match="has no akim"):
        Organiser.akimat(unit("M", "microdistrict", "C"))
    with pytest.raises(ValueError, match="needs its unit"):
        coverage_matrix(tree, Organiser("D", "district"), 2026, [], date(2026, 1, 1))


def test_warnings_before_a_period_ends_uncovered() -> None:
    tree = small_district()
    org = Organiser.akimat(tree.get("D"))
    calendar = fold([CalendarChange(1, "approve", almaty(2026, 1, 12), "s", "",
                                    (AddVisit(PlannedVisit("p", date(2026, 12, 28), "V12")),), date(2026, 1, 12))])
    meetings = [held("m", "D", "V11", almaty(2026, 10, 5)), held("n", "D", "DC", almaty(2026, 11, 5))]
    matrix = coverage_matrix(tree, org, 2026, meetings, date(2026, 12, 21), calendar=calendar)
    (warning,) = uncovered_soon(matrix, date(2026, 12, 21), within_days=10)
    assert (warning.period, warning.ends_on, warning.days_left) == (Q[3], date(2026, 12, 31), 10)
    assert warning.uncovered == ("V12", "RD2", "S22", "V21") and warning.unplanned == ("RD2", "S22", "V21")
    assert uncovered_soon(matrix, date(2026, 12, 20), within_days=10) == ()       # 11 days left
    assert uncovered_soon(matrix, date(2026, 12, 31), within_days=0)[0].days_left == 0
    assert uncovered_soon(matrix, date(2027, 1, 1), within_days=30) == ()         # over: that is the matrix's job
    with pytest.raises(ValueError):
        uncovered_soon(matrix, date(2026, 12, 21), within_days=-1)


def test_region_and_regional_city_on_the_demo_tree() -> None:
    tree = demo_tree()
    region = coverage_matrix(tree, Organiser.akimat(tree.get(REGION)), 2026,
                             [held("r1", REGION, "991630100", almaty(2026, 3, 3))], date(2026, 12, 31))
    assert region.cell(DISTRICT, H[0]).held == ("r1",) and region.cell(NEW_DISTRICT, H[0]).status == "missing"
    city = coverage_matrix(tree, Organiser.akimat(tree.get(CITY)), 2026, [], date(2026, 12, 31))
    assert len(city.rows) == 5 and city.counts()["missing"] == 20


@st.composite
def meeting_sets(draw: st.DrawFn) -> list[MeetingRecord]:
    tree = small_district()
    places = [None] + sorted(tree.units)
    out = []
    for i in range(draw(st.integers(0, 30))):
        start = datetime(2025, 12, 25, tzinfo=UTC) + timedelta(minutes=draw(st.integers(0, 60 * 24 * 380)))
        ended = draw(st.booleans())
        out.append(MeetingRecord(f"m{i}", draw(st.sampled_from(["D", "D", "V11"])), start, draw(st.sampled_from(places)),
                                 start + timedelta(hours=1) if ended else None, cancelled=draw(st.booleans()) and draw(st.booleans()),
                                 visit_id=draw(st.sampled_from([None, "x"]))))
    return out


@settings(max_examples=150, deadline=None)
@given(meeting_sets(), st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 1, 10)))
def test_coverage_properties(meetings: list[MeetingRecord], today: date) -> None:
    tree = small_district()
    matrix = coverage_matrix(tree, Organiser.akimat(tree.get("D")), 2026, meetings, today)
    mine = {m.id: m for m in meetings if m.organiser_id == "D" and m.held
            and period_of(m.starts_at, "quarter").year == 2026}
    for row in matrix.rows:
        scope = tree.subtree_ids(row.target_id)
        ids = [mid for c in row.cells for mid in c.held]
        assert len(ids) == len(set(ids))                                   # never in two periods
        assert set(ids) == {mid for mid, m in mine.items() if m.place_unit_id in scope}
        for c in row.cells:
            assert c.status in (("held", "planned", "missing") if c.required else ("held", "not_required"))
            assert (c.status == "held") == bool(c.held)
            assert all(c.period == period_of(mine[mid].starts_at, "quarter") for mid in c.held)
    placed = {mid for row in matrix.rows for c in row.cells for mid in c.held}
    assert placed | set(matrix.outside_targets) == set(mine) and not placed & set(matrix.outside_targets)
    assert sum(matrix.counts().values()) == len(matrix.rows) * len(periods_of_year(2026, "quarter"))


def test_plan_problems_name_bad_places() -> None:
    tree = build_tree([unit("R", "region"), unit("D", "district", "R"), unit("RD", "rural_district", "D"),
                       unit("V", "village", "RD", end=date(2026, 6, 30)), unit("D2", "district", "R")])
    calendar = fold([CalendarChange(1, "approve", almaty(2026, 1, 12), "s", "", tuple(AddVisit(PlannedVisit(*v)) for v in (
        ("ok", date(2026, 3, 1), "V"), ("gone", date(2026, 8, 1), "V"), ("far", date(2026, 3, 1), "D2"),
        ("nowhere", date(2026, 3, 1), "X"), ("blank", date(2026, 3, 1), None),
    )), date(2026, 1, 12))], year=2026)
    assert plan_problems(calendar, tree, Organiser.akimat(tree.get("D"))) == (
        "blank: no place", "far: D2 is not within D", "nowhere: unknown unit X", "gone: V does not exist on 2026-08-01")
    assert plan_problems(calendar, tree, Organiser("health", "central")) == (
        "nowhere: unknown unit X", "gone: V does not exist on 2026-08-01")
