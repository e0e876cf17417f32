"""The merges a secretary is offered: the same main issue, places that do not disagree."""

from __future__ import annotations

from tyndau.domain.similar_problems import similar, sketch


def _labels(subtopic: str | None, *keys: str) -> dict:
    return {"subtopic": subtopic, "places": [{"kind": k.split(":")[0], "name": k, "key": k} for k in keys]}


WATER_IRGELI = sketch(1, [_labels("no_water", "settlement:иргели"), _labels("no_water", "settlement:иргели"), _labels(None)])
WATER_SADOVAYA = sketch(2, [_labels("no_water", "street:садовая", "settlement:иргели"), _labels("no_water")])
WATER_SHAMALGAN = sketch(3, [_labels("no_water", "settlement:шамалган")] * 4)
WATER_NOWHERE = sketch(4, [_labels("no_water")])
ROADS_IRGELI = sketch(5, [_labels("potholes", "settlement:иргели")] * 5)
CHAT = sketch(6, [_labels(None), None])
ALL = [WATER_IRGELI, WATER_SADOVAYA, WATER_SHAMALGAN, WATER_NOWHERE, ROADS_IRGELI, CHAT]


def test_a_sketch_is_the_issue_most_comments_name_and_every_place_they_name() -> None:
    assert (WATER_IRGELI.issue, WATER_IRGELI.places, WATER_IRGELI.mentions) == ("no_water", {"settlement:иргели"}, 3)
    assert (CHAT.issue, CHAT.places, CHAT.mentions) == (None, frozenset(), 2)


def test_a_placeless_line_is_offered_every_problem_of_its_issue_the_most_mentioned_first() -> None:
    assert [(s.id, shared) for s, shared in similar(WATER_NOWHERE, ALL)] == [(3, False), (1, False), (2, False)]


def test_a_problem_with_a_place_is_offered_only_those_that_share_it() -> None:
    assert [(s.id, shared) for s, shared in similar(WATER_IRGELI, ALL)] == [(2, True)]  # not the placeless one
    assert similar(WATER_SHAMALGAN, ALL) == []  # not Иргели's water
    assert similar(ROADS_IRGELI, ALL) == []  # same village, another issue
    assert similar(CHAT, ALL) == []  # no issue: nothing to go by


def test_at_most_limit_are_offered() -> None:
    assert len(similar(WATER_NOWHERE, ALL, limit=2)) == 2
