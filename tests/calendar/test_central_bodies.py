"""Central executive bodies (2024 resolution): the exempt list, quarterly reports, semi-annual dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tyndau.domain.deadlines import Quarter
from tyndau.domain.periods import Period
from tyndau.live.central_bodies import (
    CentralBodiesError,
    authorised_body_deadlines,
    generalised_report_deadline,
    load_exempt_bodies,
    must_meet_quarterly,
    next_authorised_body_deadlines,
    next_generalised_report,
    off_schedule_allowed,
)


def test_the_exempt_bodies_are_data_in_both_languages() -> None:
    bodies = load_exempt_bodies()
    assert [b.id for b in bodies] == ["defence", "foreign_affairs", "emergencies", "internal_affairs", "justice"]
    assert bodies[4].name("kk") == "Қазақстан Республикасының Әділет министрлігі"
    assert bodies[0].name("ru") == "Министерство обороны Республики Казахстан"
    assert not must_meet_quarterly("defence", bodies) and must_meet_quarterly("health", bodies)


@pytest.mark.parametrize(("text", "message"), [
    ('[[exempt]]\nid = "a"\nru = "А"\n', "needs kk"),
    ('[[exempt]]\nid = "a"\nru = "А"\nkk = "А"\n[[exempt]]\nid = "a"\nru = "Б"\nkk = "Б"\n', "repeats"),
    ("exempt = [1]\n", "expected a table"),
    ("[[exempt\n", "cannot read"),
])
def test_a_malformed_list_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bodies.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CentralBodiesError, match=message):
        load_exempt_bodies(path)


@pytest.mark.parametrize(("quarter", "deadline"), [
    (1, date(2026, 4, 10)), (2, date(2026, 7, 10)), (3, date(2026, 10, 10)), (4, date(2027, 1, 10)),
])
def test_generalised_report_by_the_10th_of_the_month_after_the_quarter(quarter: int, deadline: date) -> None:
    assert generalised_report_deadline(2026, quarter) == deadline


@pytest.mark.parametrize(("today", "quarter", "deadline"), [
    (date(2027, 1, 5), Quarter(2026, 4), date(2027, 1, 10)),
    (date(2027, 1, 10), Quarter(2026, 4), date(2027, 1, 10)),
    (date(2027, 1, 11), Quarter(2027, 1), date(2027, 4, 10)),
    (datetime(2027, 1, 10, 19, 30, tzinfo=UTC), Quarter(2027, 1), date(2027, 4, 10)),   # 11 January in Almaty
    (date(2028, 2, 29), Quarter(2028, 1), date(2028, 4, 10)),
])
def test_next_generalised_report(today: date | datetime, quarter: Quarter, deadline: date) -> None:
    assert next_generalised_report(today) == (quarter, deadline)
    with pytest.raises(ValueError):
        generalised_report_deadline(2026, 0)


def test_the_authorised_body_semi_annual_dates() -> None:
    year = authorised_body_deadlines(2026)
    assert [(d.kind, d.due, d.covers.key) for d in year] == [
        ("results", date(2026, 6, 15), "2026-H1"), ("schedule", date(2026, 6, 15), "2026-H2"),
        ("results", date(2026, 12, 15), "2026-H2"), ("schedule", date(2026, 12, 15), "2027-H1"),
    ]


@pytest.mark.parametrize(("today", "schedule", "covers", "results"), [
    (date(2026, 12, 15), date(2026, 12, 15), Period(2027, "half", 1), date(2026, 12, 15)),
    (date(2026, 12, 16), date(2027, 6, 15), Period(2027, "half", 2), date(2027, 6, 15)),   # over the year boundary
    (date(2026, 6, 16), date(2026, 12, 15), Period(2027, "half", 1), date(2026, 12, 15)),
    (date(2026, 1, 1), date(2026, 6, 15), Period(2026, "half", 2), date(2026, 6, 15)),
])
def test_next_authorised_body_deadlines(today: date, schedule: date, covers: Period, results: date) -> None:
    s, r = next_authorised_body_deadlines(today)
    assert (s.kind, s.due, s.covers, r.kind, r.due) == ("schedule", schedule, covers, "results", results)


def test_out_of_schedule_reasons() -> None:
    assert off_schedule_allowed("central", "social_tension") and not off_schedule_allowed("central", "population_demand")
    assert off_schedule_allowed("district", "population_demand") and off_schedule_allowed("village", "social_tension")
    assert not off_schedule_allowed("district", "whim")
