"""What blocks a final export (the fields a secretary edits are checked by the review schema: tests/test_problem_fields.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tyndau.reports.validate import Missing, final_export_problems

from .sample import PROBLEMS, sample_round


def test_final_export_lists_what_each_problem_lacks() -> None:
    draft = sample_round()
    assert final_export_problems(draft) == [Missing(6, "Частые отключения электроэнергии", ("executor", "deadline"))]
    assert final_export_problems(sample_round(final=True)) == []


def test_blank_executor_counts_as_missing_and_numbers_are_in_order() -> None:
    problems = [replace(PROBLEMS[2], executor="   ", number=9), replace(PROBLEMS[0], deadline=None, number=2)]
    missing = final_export_problems(sample_round(problems=problems))
    assert [(m.number, m.fields) for m in missing] == [(2, ("deadline",)), (9, ("executor",))]


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
