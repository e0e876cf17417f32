"""The problem fields a secretary edits, checked by the one review schema: every bad field is named
at once, in words a secretary can act on, against the akimat's departments and the meeting's date."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from tests.reports.sample import DEPARTMENTS, HOUSING
from tyndau.actions import ActionError
from tyndau.actions.review_schema import Edit, ProblemFields
from tyndau.actions.schema import parse
from tyndau.vocabulary import Vocabulary

VOCABULARY = Vocabulary(categories={"roads": {"ru": "Дороги", "kk": "Жолдар"}, "water": {"ru": "Вода", "kk": "Су"}},
                        departments=tuple(SimpleNamespace(category="roads", name={"ru": d, "kk": d}) for d in DEPARTMENTS))  # type: ignore[misc]
CONTEXT = {"vocabulary": VOCABULARY, "meeting_day": date(2026, 11, 21)}


def fields(**changes: object) -> dict[str, object]:
    return {"meeting_id": 1, "problem_id": 2, "version": 3, "fields": changes}


def refusal(payload: dict[str, object]) -> ActionError:
    with pytest.raises(ActionError) as info:
        parse(Edit, payload, CONTEXT)
    return info.value


def test_every_bad_field_is_named_at_once_with_a_422():
    error = refusal(fields(deadline="2026-01-01", funding_need=-5, funding_allocated=True, executor="Отдел по делам инопланетян",
                           status="done", competence="galactic", funding_source="crypto", category="weather", colour="red"))
    assert (error.status, error.code, error.message) == (422, "invalid", "the problem has invalid fields")
    assert set(error.fields) == {"deadline", "funding_need", "funding_allocated", "executor", "status", "competence",
                                 "funding_source", "category", "colour"}
    assert error.fields["deadline"] == "cannot be before the meeting (21.11.2026)"
    assert error.fields["funding_need"] == "tenge as a whole number, not negative"
    assert error.fields["status"].startswith("one of resolved, in_progress")
    assert error.fields["executor"].startswith("unknown executor") and error.fields["colour"] == "not an editable field"


@pytest.mark.parametrize("value", [-1, True, 12.5, "100", 10**16])
def test_bad_funding_figures(value: object):
    assert "funding_need" in refusal(fields(funding_need=value)).fields


def test_good_values_are_cleaned_and_central_goes_on_the_central_list():
    spaced = "  " + HOUSING[0].upper().replace(" ", "  ") + " "
    good = parse(Edit, fields(deadline="2026-11-21", funding_need=450_000_000, executor=spaced, competence="central",
                              title_ru="  Ремонт дороги  ", funding_source=None, category="roads"), CONTEXT)
    values = good.fields.values()
    assert values == {"deadline": date(2026, 11, 21), "funding_need": 450_000_000, "executor": spaced.strip(), "competence": "central",
                      "central_list": True, "title_ru": "Ремонт дороги", "funding_source": None, "category": "roads"}
    assert parse(Edit, fields(deadline="", executor=""), CONTEXT).fields.values() == {"deadline": None, "executor": ""}


@pytest.mark.parametrize("day", ["31.12.2026", "2026-02-30", "tomorrow", 20261231])
def test_a_deadline_is_an_iso_date(day: object):
    assert refusal(fields(deadline=day)).fields == {"deadline": "a date like 2026-03-15"}


def test_a_malformed_request_is_a_400_naming_the_field():
    for payload, name in [({**fields(title_ru="x"), "problem_id": "2"}, "problem_id"), (fields(), "fields"),
                          ({**fields(), "fields": []}, "fields"), ({**fields(title_ru="x"), "version": 0}, "version")]:
        error = refusal(payload)
        assert (error.status, error.code, list(error.fields)) == (400, "bad_request", [name]), payload


def test_without_a_taxonomy_any_category_and_executor_go():
    assert parse(ProblemFields, {"category": "weather", "executor": "Кто угодно"}).values() == {"category": "weather", "executor": "Кто угодно"}


def test_the_kazakh_place_has_the_russian_ones_limit_and_cleaning():
    error = refusal(fields(place="х" * 301, place_kk="ж" * 301))
    assert error.fields == {"place": "a text of at most 300 characters", "place_kk": "a text of at most 300 characters"}
    good = parse(Edit, fields(place=" ул. Абая ", place_kk="  Абай\x00 көшесі "), CONTEXT).fields.values()
    assert good == {"place": "ул. Абая", "place_kk": "Абай\ufffd көшесі"}
