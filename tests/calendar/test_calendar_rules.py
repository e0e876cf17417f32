"""Approval deadlines of the annual calendar and the minimum visiting frequency per akim level."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tyndau.domain.calendar_rules import (
    VISIT_RULES,
    approval_deadlines,
    approval_milestones,
    calendar_year_due,
    milestone,
    visit_rule,
)

from .helpers import CITY, DISTRICT, REGION, demo_tree


def test_the_calendar_of_a_year_is_due_in_january_and_passed_on_by_february() -> None:
    due = approval_deadlines(2027)
    assert (due.maslikhat, due.government, due.passed_on) == (date(2027, 1, 15), date(2027, 1, 20), date(2027, 2, 1))


@pytest.mark.parametrize(("today", "year"), [
    (date(2026, 12, 20), 2027),                              # Q4: next year's calendar is the one to prepare
    (date(2027, 1, 10), 2027),
    (date(2027, 2, 1), 2027),
    (date(2027, 2, 2), 2028),
    (datetime(2027, 2, 1, 19, 30, tzinfo=UTC), 2028),       # 00:30 on 2 February in Almaty
    (datetime(2027, 2, 1, 18, 30, tzinfo=UTC), 2027),
])
def test_which_calendar_is_due(today: date | datetime, year: int) -> None:
    assert calendar_year_due(today) == year


def test_milestones_compare_in_almaty_days() -> None:
    due = date(2027, 1, 15)
    assert milestone("maslikhat", due, date(2027, 1, 15), date(2027, 3, 1)).state == "done"
    assert milestone("maslikhat", due, datetime(2027, 1, 15, 19, 30, tzinfo=UTC), date(2027, 3, 1)).state == "late"
    pending = milestone("maslikhat", due, None, date(2026, 12, 20))
    assert (pending.state, pending.days_left) == ("pending", 26)
    assert milestone("maslikhat", due, None, date(2027, 1, 15)).days_left == 0
    overdue = milestone("maslikhat", due, None, date(2027, 1, 16))
    assert (overdue.state, overdue.days_left, overdue.done_on) == ("overdue", -1, None)


def test_only_regions_and_republican_cities_go_to_the_government() -> None:
    today = date(2027, 1, 25)
    region = approval_milestones(2027, "region", today, approved=date(2027, 1, 14), submitted=date(2027, 1, 21))
    assert [m.state for m in region] == ["done", "late", "pending"]
    city = approval_milestones(2027, "republican_city", today, approved=date(2027, 1, 14))
    assert [m.state for m in city] == ["done", "overdue", "not_applicable"]
    district = approval_milestones(2027, "district", today)
    assert [m.state for m in district] == ["overdue", "not_applicable", "not_applicable"]


@pytest.mark.parametrize(("level", "period", "targets"), [
    ("region", "half", {"district", "regional_city"}),
    ("republican_city", "quarter", {"city_district"}),
    ("district", "quarter", {"village", "settlement", "rural_district", "district_city"}),
    ("regional_city", "quarter", {"city_district", "microdistrict", "village", "settlement"}),
    ("district_city", "quarter", {"city_district", "microdistrict", "village", "settlement"}),
    ("rural_district", "quarter", {"city_district", "microdistrict", "village", "settlement"}),
    ("village", "quarter", None),
    ("city_district", "quarter", None),
    ("central", "quarter", None),
])
def test_visiting_frequency_per_level_as_the_decree_lists_it(level: str, period: str, targets: set[str] | None) -> None:
    rule = visit_rule(level)
    assert rule.period == period and rule.targets == (None if targets is None else frozenset(targets))
    assert rule.source


def test_rule_targets_on_the_demo_region() -> None:
    tree = demo_tree()
    region = visit_rule("region").target_units(tree, REGION)
    assert [u.kind for u in region] == ["regional_city", "district", "district"]
    district = visit_rule("district").target_units(tree, DISTRICT)
    kinds = [u.kind for u in district]
    assert kinds.count("rural_district") == 12 and kinds.count("district_city") == 1 and kinds.count("village") == 20
    city = visit_rule("regional_city").target_units(tree, CITY)
    assert sorted(u.kind for u in city) == ["microdistrict"] * 3 + ["village"] * 2
    assert visit_rule("village").target_units(tree, "991630100")[0].id == "991630100"
    with pytest.raises(ValueError, match="no visiting rule for level 'mayor'"):
        visit_rule("mayor")
    assert len(VISIT_RULES) == 9
