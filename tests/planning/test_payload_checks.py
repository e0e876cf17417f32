"""The planning payloads check their own fields: every bad field at once, named as the forms name them,
in the API's one error shape (ids and years are a 400, as before)."""

from __future__ import annotations

import pytest

from tyndau.actions import ActionError
from tyndau.actions.planning_payloads import (
    CalendarChangeInput,
    CentralUpdate,
    OrganiserCreate,
    ReceptionInput,
    ReceptionUpdate,
    RoundCreate,
    UnitAdd,
)
from tyndau.actions.schema import parse


def refused(model, payload):  # type: ignore[no-untyped-def]
    with pytest.raises(ActionError) as err:
        parse(model, payload)
    return err.value


def test_every_bad_field_of_a_calendar_change_is_named_at_once():
    err = refused(CalendarChangeInput, {"organiser_id": "D1", "year": 2026, "kind": "draft", "last_seq": True, "operations": [
        {"op": "zip"}, {"op": "add"}, {"op": "move", "planned_on": "2026-13-01"}, {"op": "cancel", "visit_id": "v1", "colour": "red"}]})
    assert (err.status, err.code, err.message) == (422, "invalid", "the change has invalid fields")
    assert err.fields == {"operations[0].op": "one of add, cancel, move", "operations[1].planned_on": "required, a date like 2026-03-15",
                          "operations[2].visit_id": "required", "operations[2].planned_on": "a date like 2026-03-15",
                          "operations[3].colour": "unknown field", "last_seq": "a whole number from 0 to 1000000000"}


def test_ids_and_years_are_a_400_naming_the_field():
    err = refused(CalendarChangeInput, {"organiser_id": "D1", "year": 1999, "kind": "draft"})
    assert (err.status, err.code, err.fields) == (400, "bad_request", {"year": "from 2000 to 2100"})
    err = refused(ReceptionUpdate, {"reception_id": 0})
    assert (err.status, err.code, err.message) == (400, "bad_request", "reception_id must be a positive integer")
    assert refused(ReceptionUpdate, {"reception_id": 3, "version": True}).message == "version must be the reception's version"


def test_texts_are_cleaned_trimmed_and_bounded_and_lists_hold_objects():
    ok = parse(ReceptionInput, {"meeting_id": 1, "place": " Зал\u200b приёма ", "starts_at": "2026-12-02T15:00:00+05:00",
                                "questions": [{"text": "Нет света", "lang": "ru"}]})
    assert ok.place == "Зал приёма" and ok.questions[0].answered_on_spot is False and ok.model_fields_set >= {"place", "questions"}
    err = refused(ReceptionInput, {"meeting_id": 1, "place": "x" * 301, "participants": [{"role": "akim", "name": " "}], "questions": "x"})
    assert err.fields == {"place": "at most 300 characters", "participants[0].name": "required", "questions": "a list of objects"}


def test_rules_across_fields_name_the_field_they_concern():
    assert refused(UnitAdd, {"kind": "district"}).fields == {"id": "give the KATO code, or an id of letters, digits, - and _",
                                                             "name_ru": "a name in Russian or Kazakh is required"}
    assert parse(UnitAdd, {"kind": "district", "kato": "195020000", "name_kk": "Аудан"}).id == "195020000"
    assert refused(OrganiserCreate, {"kind": "central_body", "id": "Health"}).fields == {
        "id": "lower-case letters, digits, - and _", "name_ru": "required", "name_kk": "required"}
    assert refused(OrganiserCreate, {}).fields == {"unit_id": "required"}
    assert refused(RoundCreate, {"meeting_ids": []}).fields == {"meeting_ids": "a list of 1 to 50 meeting ids"}
    sent = parse(CentralUpdate, {"problem_id": 5, "version": 1, "amount": None})
    assert sent.model_fields_set == {"problem_id", "version", "amount"} and sent.amount is None
