"""The pair score: place relations (matrix and one-row forms agree), language centring, reference means."""

from __future__ import annotations

import numpy as np
import pytest

from tyndau.nlp.similarity import CANNOT, Item, PairScorer, PlaceInfo, PlaceMatrix, ScoreSettings, relation

PLACES = [
    [],
    ["street:абай", "house:абай/12"],
    ["street:абай", "house:абай/12к1"],
    ["street:абай", "house:абай/12к2"],
    ["street:абай", "house:абай/14"],
    ["street:абай"],
    ["street:толеби"],
    ["settlement:иргели"],
    ["settlement:каскелен", "street:абай"],
    ["rural_district:иргели"],
    ["house:12"],
    ["settlement:кемер", "settlement:каскелен"],
    ["settlement:иргели", "settlement:каскелен"],
    ["route:102", "settlement:каскелен", "settlement:алмати"],
    ["route:102"],
    ["route:515", "settlement:иргели"],
    ["microdistrict:айнабулак", "settlement:каскелен"],
    ["settlement:каскелен"],
]


def test_matrix_and_row_relations_agree() -> None:
    clash, level = PlaceMatrix(PLACES).relations()
    infos = [PlaceInfo.of(p) for p in PLACES]
    for i, a in enumerate(infos):
        for j, b in enumerate(infos):
            assert relation(a, b) == (bool(clash[i, j]), int(level[i, j])), (PLACES[i], PLACES[j])


@pytest.mark.parametrize("a, b, clash, level", [
    (1, 2, False, 3),   # "12" and "12 к1": the same house, one without its корпус
    (2, 3, True, 2),    # корпус 1 and корпус 2 are two buildings
    (1, 4, True, 2),    # the house next door
    (1, 5, False, 2),   # the street and a house on it
    (5, 6, True, 0),    # two streets
    (7, 9, False, 1),   # a village and its rural district share the name
    (7, 8, True, 0),    # another settlement
    (0, 1, False, 0),   # no place says nothing
    (10, 1, False, 0),  # a bare house number without a street says nothing either
    # "школьный автобус из Кемера в Каскелен" and "из Иргели в Каскелен": two villages' problems,
    # not one because both name the town at the other end; a comment naming only one of them still joins
    (11, 12, True, 0),
    (11, 17, False, 1),
    (12, 7, False, 1),
    # "Автобус 102 Каскелен—Алматы" and "avtobus 102": one route; routes 102 and 515 are two
    (13, 14, False, 2),
    (14, 15, True, 0),
    # one names another village, the other a street, route or microdistrict of the shared town:
    # "Автобус 102 Каскелен—Алматы" is not "ул. Абая, Каскелен", "из Кемера в Каскелен" not "мкр Айнабулак"
    (13, 8, True, 1),
    (16, 11, True, 1),
    (11, 8, True, 1),
    (16, 8, False, 1),   # a microdistrict and a street of one town: nothing says they differ
    (16, 17, False, 1),
])
def test_place_relations(a: int, b: int, clash: bool, level: int) -> None:
    assert relation(PlaceInfo.of(PLACES[a]), PlaceInfo.of(PLACES[b])) == (clash, level)


def test_scores_centre_languages_and_veto_clashes() -> None:
    rng = np.random.default_rng(1)
    ru_mean, kk_mean = rng.normal(size=16) * 3, rng.normal(size=16) * 3
    issue = rng.normal(size=16)
    items = [Item(ru_mean + issue, "ru", ("settlement:иргели",)), Item(kk_mean + issue, "kk", ("settlement:иргели",)),
             Item(kk_mean + issue, "kk", ("settlement:каскелен",))]
    scorer = PairScorer(ScoreSettings(cross_language=0.2, hubness=0.0, same_area=0.1), {"ru": ru_mean, "kk": kk_mean})
    scores = scorer.matrix(items)
    assert scores[0, 1] == pytest.approx(1.0 + 0.2 + 0.1, abs=1e-5)
    assert scores[0, 2] == CANNOT and scores[1, 2] == CANNOT
    row = scorer.row(*_prepared(scorer, items[0]), 0.0, PlaceInfo.of(items[0].places),
                     *_prepared_many(scorer, items[1:]), np.zeros(2, dtype=np.float32),
                     [PlaceInfo.of(i.places) for i in items[1:]])
    assert row[0] == pytest.approx(scores[0, 1], abs=1e-5) and row[1] == CANNOT


def _prepared(scorer: PairScorer, item: Item) -> tuple[np.ndarray, str]:
    unit, groups = scorer.prepare([item])
    return unit[0], str(groups[0])


def _prepared_many(scorer: PairScorer, items: list[Item]) -> tuple[np.ndarray, np.ndarray]:
    return scorer.prepare(items)


def test_reference_means_from_our_own_phrasings() -> None:
    from tyndau.nlp.registry import HashingEncoder
    from tyndau.nlp.similarity import reference_means
    from tyndau.nlp.taxonomy import load_taxonomy

    means = reference_means(load_taxonomy(), HashingEncoder(64))
    assert set(means) == {"ru", "kk", "mixed"} and means["ru"].shape == (64,)
    assert not np.allclose(means["ru"], means["kk"])


def test_optional_subtopic_terms_in_matrix_and_row() -> None:
    rng = np.random.default_rng(2)
    v = rng.normal(size=(3, 16))
    items = [Item(v[0], "ru", (), frozenset({"no_water"})), Item(v[1], "ru", (), frozenset({"no_water"})),
             Item(v[2], "ru", (), frozenset({"potholes"}))]
    off = PairScorer(ScoreSettings(hubness=0.0)).matrix(items)
    on = PairScorer(ScoreSettings(hubness=0.0, same_topic=0.1, other_topic=0.2)).matrix(items)
    assert on[0, 1] == pytest.approx(off[0, 1] + 0.1, abs=1e-5) and on[0, 2] == pytest.approx(off[0, 2] - 0.2, abs=1e-5)


def test_a_shared_street_says_nothing_of_two_different_issues() -> None:
    """topic_gate: lighting and a grader on one street get no street bonus; one house still does."""
    rng = np.random.default_rng(3)
    v = rng.normal(size=(4, 16))
    lights, grader = frozenset({"street_lighting"}), frozenset({"unpaved_road"})
    items = [Item(v[0], "ru", ("street:садовая",), lights), Item(v[1], "ru", ("street:садовая",), grader),
             Item(v[2], "ru", ("street:садовая",), lights), Item(v[3], "ru", ("street:садовая", "house:садовая/4"), grader)]
    base = ScoreSettings(hubness=0.0, same_street=0.3, same_house=0.4)
    plain = PairScorer(base).matrix(items)
    gated = PairScorer(ScoreSettings(hubness=0.0, same_street=0.3, same_house=0.4, topic_gate=True,
                                     same_topic_place=0.1)).matrix(items)
    assert gated[0, 1] == pytest.approx(plain[0, 1] - 0.3, abs=1e-5)  # one street, two issues
    assert gated[0, 2] == pytest.approx(plain[0, 2] + 0.1, abs=1e-5)  # one street, one issue
    no_place = [Item(it.vector, it.lang, (), it.topics) for it in items]
    assert PairScorer(ScoreSettings(hubness=0.0, same_topic_place=0.1)).matrix(no_place)[0, 2] == pytest.approx(
        PairScorer(ScoreSettings(hubness=0.0)).matrix(no_place)[0, 2], abs=1e-5)  # one issue, no place: nothing


def test_one_issue_in_one_village_counts_more_than_on_one_street() -> None:
    """same_topic_area: "Берекеде газ құбыры …" and "ПРО ГАЗ В БЕРЕКЕ" are the village's one gas problem; on one
    street or house the shared issue adds only same_topic_place (two flats' leaks are two problems)."""
    v = np.random.default_rng(6).normal(size=(4, 16))
    gas = frozenset({"gas_connection"})
    items = [Item(v[0], "kk", ("settlement:береке",), gas), Item(v[1], "ru", ("settlement:береке",), gas),
             Item(v[2], "ru", ("street:садовая",), gas), Item(v[3], "ru", ("street:садовая",), gas)]
    plain = PairScorer(ScoreSettings(hubness=0.0, same_topic_place=0.1)).matrix(items)
    more = PairScorer(ScoreSettings(hubness=0.0, same_topic_place=0.1, same_topic_area=0.1)).matrix(items)
    assert more[0, 1] == pytest.approx(plain[0, 1] + 0.1, abs=1e-5)
    assert more[2, 3] == pytest.approx(plain[2, 3], abs=1e-5)


def test_topic_terms_agree_between_matrix_and_row() -> None:
    rng = np.random.default_rng(4)
    topics = [frozenset({"no_water"}), frozenset({"potholes"}), frozenset(), frozenset({"no_water", "potholes"})]
    places = [("settlement:иргели",), ("settlement:иргели", "street:садовая"), (), ("street:садовая",)]
    items = [Item(rng.normal(size=16).astype(np.float32), ("ru", "kk")[i % 2], places[i % 4], topics[(i * 3) % 4])
             for i in range(12)]
    scorer = PairScorer(ScoreSettings(hubness=0.0, same_topic=0.05, other_topic=0.1, topic_gate=True, same_topic_place=0.2,
                                      same_topic_area=0.1))
    full = scorer.matrix(items)
    unit, groups = scorer.prepare(items)
    for i in range(len(items)):
        others = [j for j in range(len(items)) if j != i]
        row = scorer.row(unit[i], groups[i], 0.0, PlaceInfo.of(items[i].places), unit[others], groups[others],
                         np.zeros(len(others), np.float32), [PlaceInfo.of(items[j].places) for j in others],
                         items[i].topics, [items[j].topics for j in others])
        assert np.allclose(row, full[i, others], atol=1e-5)


def test_a_district_wide_issue_without_a_place_ties_far_wordings() -> None:
    """district_issue: unplaced comments naming one district-wide issue score higher; a place or another issue does not."""
    rng = np.random.default_rng(5)
    v = rng.normal(size=(5, 16))
    queue = "kindergarten_places"
    items = [Item(v[0], "ru", (), frozenset({queue}), queue), Item(v[1], "kk", (), frozenset({queue, "no_kindergarten"}), queue),
             Item(v[2], "ru", ("settlement:иргели",), frozenset({queue}), queue),
             Item(v[3], "ru", (), frozenset({queue}), None), Item(v[4], "ru", (), frozenset({"land_plot_queue"}), "land_plot_queue")]
    plain = PairScorer(ScoreSettings(hubness=0.0, cross_language=0.0)).matrix(items)
    scorer = PairScorer(ScoreSettings(hubness=0.0, cross_language=0.0, district_issue=0.6))
    full = scorer.matrix(items)
    assert full[0, 1] == pytest.approx(plain[0, 1] + 0.6, abs=1e-5)
    for j in (2, 3, 4):  # a named village, the kindergarten only mentioned, another waiting list: no bonus
        assert full[0, j] == pytest.approx(plain[0, j], abs=1e-5)
    unit, groups = scorer.prepare(items)
    for i in range(len(items)):
        others = [j for j in range(len(items)) if j != i]
        row = scorer.row(unit[i], groups[i], 0.0, PlaceInfo.of(items[i].places), unit[others], groups[others],
                         np.zeros(len(others), np.float32), [PlaceInfo.of(items[j].places) for j in others],
                         items[i].topics, [items[j].topics for j in others], items[i].district,
                         [items[j].district for j in others])
        assert np.allclose(row, full[i, others], atol=1e-5)


def test_a_district_wide_issue_ties_a_placed_comment_to_unplaced_ones_by_less() -> None:
    """district_issue_placed: "Молодёжи работы нет … промзону в Каскелене" and an unplaced "жұмыс жоқ" share
    the district's jobs issue; two comments of two villages still never join."""
    rng = np.random.default_rng(7)
    v = rng.normal(size=(4, 16))
    jobs = "jobs"
    items = [Item(v[0], "ru", ("settlement:каскелен",), frozenset({jobs}), jobs), Item(v[1], "kk", (), frozenset({jobs}), jobs),
             Item(v[2], "ru", ("settlement:иргели",), frozenset({jobs}), jobs), Item(v[3], "ru", (), frozenset({jobs}), None)]
    plain = PairScorer(ScoreSettings(hubness=0.0, cross_language=0.0)).matrix(items)
    scorer = PairScorer(ScoreSettings(hubness=0.0, cross_language=0.0, district_issue=0.6, district_issue_placed=0.3))
    full = scorer.matrix(items)
    assert full[0, 1] == pytest.approx(plain[0, 1] + 0.3, abs=1e-5)
    assert full[2, 1] == pytest.approx(plain[2, 1] + 0.3, abs=1e-5)
    assert full[0, 2] == CANNOT  # two villages
    assert full[0, 3] == pytest.approx(plain[0, 3], abs=1e-5)  # the issue only mentioned
    unit, groups = scorer.prepare(items)
    for i in range(len(items)):
        others = [j for j in range(len(items)) if j != i]
        row = scorer.row(unit[i], groups[i], 0.0, PlaceInfo.of(items[i].places), unit[others], groups[others],
                         np.zeros(len(others), np.float32), [PlaceInfo.of(items[j].places) for j in others],
                         items[i].topics, [items[j].topics for j in others], items[i].district,
                         [items[j].district for j in others])
        assert np.allclose(row, full[i, others], atol=1e-5)


def test_the_matrix_of_a_meeting_equals_each_pair_scored_alone() -> None:
    """The place, subtopic and district terms are computed once per distinct combination and gathered:
    in a meeting where combinations repeat, every pair must score as it does on its own."""
    rng = np.random.default_rng(7)
    topics = [frozenset(), frozenset({"no_water"}), frozenset({"road_potholes"}), frozenset({"no_water", "no_light"})]
    districts = [None, "kindergarten_queue"]
    items = [Item(rng.normal(size=16).astype(np.float32), ("ru", "kk", "mixed")[i % 3], tuple(PLACES[i % 7 * 2 % len(PLACES)]),
                  topics[i % 4], districts[i % 5 == 0]) for i in range(60)]
    assert len({(it.places, it.topics, it.district) for it in items}) < len(items)  # combinations repeat
    scorer = PairScorer(ScoreSettings(hubness=0.0, cross_language=0.3, other_topic=0.15, same_topic_place=0.1,
                                      district_issue=0.2, district_issue_placed=0.1))
    full = scorer.matrix(items)
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            assert full[i, j] == pytest.approx(scorer.matrix([items[i], items[j]])[0, 1], abs=1e-6), (i, j)
