"""The compliance monitor's rules as pure functions: edges of each deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tyndau.rollup.compliance import Facts, MeetingFact, announcements, coverage, evaluate, package, progress, quarter_rule


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _meeting(**changes) -> MeetingFact:
    base = dict(id=1, starts_at=_utc(2026, 3, 20, 5), akim_level="district", planned_minutes=120, announced_at=_utc(2026, 3, 6, 5),
                ended_at=_utc(2026, 3, 20, 7), presentation_seconds=1800.0)
    return MeetingFact(**{**base, **changes})


def _facts(*meetings: MeetingFact, visits: int = 0, submitted: datetime | None = None, quarter: int = 1) -> Facts:
    return Facts("D1", "D1", "Акимат", "Әкімдік", 2026, quarter, visits, meetings, submitted)


def test_an_announcement_on_the_last_day_is_on_time_a_day_later_is_late():
    # 20 March, a district: 14 days' notice -> by 6 March (Almaty).
    assert announcements(_facts(_meeting()), date(2026, 5, 1)).to_json()["late"] == 0
    late = announcements(_facts(_meeting(announced_at=_utc(2026, 3, 7, 5))), date(2026, 5, 1))
    assert (late.late, late.days_late) == (1, 1)
    rural = announcements(_facts(_meeting(akim_level="rural_district", announced_at=_utc(2026, 3, 13, 5))), date(2026, 5, 1))
    assert rural.late == 0  # 7 days' notice -> by 13 March


def test_a_meeting_not_yet_announced_is_late_only_after_its_deadline():
    pending = _meeting(announced_at=None, starts_at=_utc(2026, 3, 30, 5), ended_at=None)
    assert announcements(_facts(pending), date(2026, 3, 16)).total == 0  # due 16 March: still in time
    c = announcements(_facts(pending), date(2026, 3, 20))
    assert (c.late, c.days_late) == (1, 4)


def test_the_quarter_rule_counts_minutes_over_and_meetings_without_a_record():
    kept = quarter_rule(_facts(_meeting(presentation_seconds=1800.0)))  # exactly a quarter of 120 minutes
    assert (kept.ok, kept.late) == (1, 0)
    over = quarter_rule(_facts(_meeting(presentation_seconds=1800.0 + 61), _meeting(id=2, presentation_seconds=None)))
    assert (over.late, over.detail["minutes_over"], over.detail["not_recorded"]) == (1, 2, 1)


def test_the_package_counts_from_the_round_end_and_to_today_when_unpublished():
    # Ended 20 March -> due 30 March; a reception on 25 March moves it to 4 April.
    on_time = package(_facts(_meeting(published_at=_utc(2026, 3, 30, 12))), date(2026, 5, 1))
    assert (on_time.ok, on_time.late) == (1, 0)
    reception = package(_facts(_meeting(round_end=_utc(2026, 3, 25, 10), published_at=_utc(2026, 4, 4, 10))), date(2026, 5, 1))
    assert reception.late == 0
    unpublished = package(_facts(_meeting()), date(2026, 4, 9))
    assert (unpublished.late, unpublished.days_late, unpublished.detail["unpublished"]) == (1, 10, 1)


def test_coverage_is_late_only_once_the_quarter_is_over_and_progress_only_after_the_25th():
    short = _facts(_meeting(), visits=3)
    assert coverage(short, date(2026, 3, 31)).late == 0
    c = coverage(short, date(2026, 4, 10))
    assert (c.late, c.days_late, c.detail["missing"]) == (2, 10, 2)
    assert progress(_facts(), date(2026, 4, 25)).total == 0  # not due yet
    assert progress(_facts(), date(2026, 4, 26)).days_late == 1
    assert progress(_facts(submitted=_utc(2026, 4, 25, 18)), date(2026, 5, 1)).late == 0  # 23:00 in Almaty on the 25th
    q4 = progress(_facts(quarter=4), date(2027, 1, 30))
    assert (q4.days_late, q4.detail["due"]) == (5, "2027-01-25")


def test_evaluate_names_the_late_checks_and_the_worst_delay():
    result = evaluate(_facts(_meeting(announced_at=None), visits=1), date(2026, 5, 1))
    assert result["late"] == ["announcements", "package", "progress"] and result["days_late"] == 32  # package due 30 March
