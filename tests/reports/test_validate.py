"""What blocks a final export, and the field errors a secretary sees."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from tyndau.reports.validate import (
    FieldError,
    Missing,
    ReportInvalid,
    check_choice,
    check_deadline,
    check_executor,
    check_funding,
    final_export_problems,
    parse_date,
    validate_problem,
    validate_round,
)

from .sample import DEPARTMENTS, HOUSING, PROBLEMS, sample_round


def test_final_export_lists_what_each_problem_lacks() -> None:
    draft = sample_round()
    assert final_export_problems(draft) == [Missing(6, "Частые отключения электроэнергии", ("executor", "deadline"))]
    assert final_export_problems(sample_round(final=True)) == []


def test_blank_executor_counts_as_missing_and_numbers_are_in_order() -> None:
    problems = [replace(PROBLEMS[2], executor="   ", number=9), replace(PROBLEMS[0], deadline=None, number=2)]
    missing = final_export_problems(sample_round(problems=problems))
    assert [(m.number, m.fields) for m in missing] == [(2, ("deadline",)), (9, ("executor",))]


def test_deadline_before_the_meeting_is_a_field_error() -> None:
    meeting = datetime(2026, 11, 21, 5, 0, tzinfo=UTC)
    error = check_deadline(date(2026, 11, 20), meeting)
    assert error == FieldError("deadline", "cannot be before the meeting (21.11.2026)")
    assert check_deadline(date(2026, 11, 21), meeting) is None
    assert check_deadline("2026-12-31", meeting) is None
    assert check_deadline("2026-11-01", meeting) is not None
    assert check_deadline("31.12.2026", meeting) == FieldError("deadline", "a date, YYYY-MM-DD")
    assert check_deadline("2026-02-30", meeting) == FieldError("deadline", "a date, YYYY-MM-DD")
    assert check_deadline(None, meeting) is None and check_deadline("", meeting) is None
    # the meeting's Almaty date counts: 19:30 UTC on the 21st is the 22nd in Almaty
    assert check_deadline(date(2026, 11, 21), datetime(2026, 11, 21, 19, 30, tzinfo=UTC)) is not None


@pytest.mark.parametrize(("value", "message"), [
    (-1, "cannot be negative"), (-450_000_000, "cannot be negative"), (True, "a whole number of tenge"),
    (12.5, "a whole number of tenge"), ("100", "a whole number of tenge"), (10**16, "too large; give the amount in tenge"),
])
def test_bad_funding_figures(value: object, message: str) -> None:
    assert check_funding(value, field="funding_need_tenge") == FieldError("funding_need_tenge", message)


@pytest.mark.parametrize("value", [None, "", 0, 450_000_000])
def test_good_funding_figures(value: object) -> None:
    assert check_funding(value, field="funding_allocated_tenge") is None


def test_executor_must_be_a_known_department() -> None:
    assert check_executor("Отдел по делам инопланетян", DEPARTMENTS) == FieldError(
        "executor", "unknown executor; choose one of the akimat's departments",
    )
    assert check_executor(HOUSING[0], DEPARTMENTS) is None
    assert check_executor("  " + HOUSING[0].upper().replace(" ", "  ") + " ", DEPARTMENTS) is None
    assert check_executor("anything", None) is None
    assert check_executor(None, DEPARTMENTS) is None


def test_choices() -> None:
    assert check_choice("resolved", ("resolved",), field="status") is None
    assert check_choice("done", ("resolved", "in_progress"), field="status") == FieldError("status", "one of resolved, in_progress")
    assert check_choice(None, ("a",), field="status", required=True) == FieldError("status", "required")


def test_validate_problem_reports_every_error_at_once() -> None:
    bad = replace(
        PROBLEMS[0], deadline=date(2026, 1, 1), funding_need_tenge=-5, funding_allocated_tenge=-1,
        executor="Неизвестный отдел", status="done", competence="galactic", funding_source="crypto", mentions=-2,
    )
    errors = validate_problem(bad, meeting_date=date(2026, 11, 21), departments=DEPARTMENTS)
    assert [e.field for e in errors] == [
        "deadline", "funding_need_tenge", "funding_allocated_tenge", "executor", "status", "competence", "funding_source", "mentions",
    ]
    assert validate_problem(PROBLEMS[0], meeting_date=date(2026, 11, 21), departments=DEPARTMENTS) == []


def test_validate_round_checks_each_deadline_against_its_own_meeting() -> None:
    # problem 5 comes from the reception on 25.11: a deadline of 23.11 is after the meeting but before the reception
    problems = [replace(PROBLEMS[4], deadline=date(2026, 11, 23)), replace(PROBLEMS[0], deadline=date(2026, 11, 23))]
    result = validate_round(sample_round(problems=problems), departments=DEPARTMENTS)
    assert list(result) == [5]
    invalid = ReportInvalid(result[5])
    assert invalid.fields == {"deadline": "cannot be before the meeting (25.11.2026)"}
    assert "deadline" in str(invalid)


def test_parse_date() -> None:
    assert parse_date("2027-02-28") == date(2027, 2, 28)
    assert parse_date(datetime(2026, 12, 31, 20, 0, tzinfo=UTC)) == date(2027, 1, 1)
    with pytest.raises(ValueError):
        parse_date("2027-02-29")
    with pytest.raises(ValueError):
        parse_date("tomorrow")


def test_final_builders_refuse_incomplete_problems_and_drafts_still_export() -> None:
    from tyndau.reports.package_csv import package_csv
    from tyndau.reports.package_docx import package_docx
    from tyndau.reports.package_html import package_html
    from tyndau.reports.package_json import package_json
    from tyndau.reports.package_xlsx import package_xlsx
    from tyndau.reports.validate import FinalExportBlocked

    blocked = replace(sample_round(), final=True)
    for build in (package_docx, package_xlsx, package_html, package_csv, package_json):
        with pytest.raises(FinalExportBlocked) as info:
            build(blocked, "ru")
        assert info.value.missing == (Missing(6, "Частые отключения электроэнергии", ("executor", "deadline")),)
        assert "№6: executor, deadline" in str(info.value)
        assert build(sample_round(), "kk")
