"""The clusterer: same issue and same place, no chaining, stable ids, people's decisions and what they teach."""

from __future__ import annotations

import numpy as np
import pytest

from tyndau.nlp.cluster_settings import ClustererSettings
from tyndau.nlp.clusterer import Clusterer, cluster_labels

DIM = 48


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _topic(seed: int, n: int, noise: float = 0.15) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = _unit(rng.normal(size=DIM))
    return _unit(base + noise * rng.normal(size=(n, DIM)) / np.sqrt(DIM))


def _settings(**kw: object) -> ClustererSettings:
    defaults: dict[str, object] = {"threshold": 0.3, "hubness": 0.0, "cross_language": 0.0}
    defaults.update(kw)
    return ClustererSettings(**defaults)  # type: ignore[arg-type]


def _clusterer(**kw: object) -> Clusterer:
    return Clusterer(_settings(**kw))


def test_batch_clustering_finds_topics_without_being_told_how_many() -> None:
    a, b, c = _topic(1, 6), _topic(2, 5), _topic(3, 4)
    labels = cluster_labels(np.vstack([a, b, c]), settings=_settings())
    assert len(set(labels)) == 3
    assert len(set(labels[:6])) == 1 and len(set(labels[6:11])) == 1 and len(set(labels[11:])) == 1


def test_incremental_joins_near_and_opens_far() -> None:
    cl = _clusterer()
    a, b = _topic(1, 3), _topic(2, 2)
    ids = [cl.assign(("a", i), v) for i, v in enumerate(a)] + [cl.assign(("b", i), v) for i, v in enumerate(b)]
    assert ids[0] == ids[1] == ids[2] and ids[3] == ids[4] and ids[0] != ids[3]
    assert cl.assign(("a", 0), a[0]) == ids[0]  # idempotent


def test_place_joins_one_house_and_never_two() -> None:
    v = _topic(5, 4, noise=0.6)  # one issue, loosely worded
    cl = _clusterer()
    x = cl.assign(1, v[0], places=["street:абай", "house:абай/12"])
    assert cl.assign(2, v[1], places=["street:абай", "house:абай/12"]) == x
    assert cl.assign(3, v[2], places=["street:абай", "house:абай/14"]) != x  # the house next door
    assert cl.assign(4, v[3], places=["settlement:иргели"]) != cl.assign(5, v[3], places=["settlement:каскелен"])


def test_category_neither_splits_nor_merges() -> None:
    a, b = _topic(1, 3), _topic(2, 3)
    cl = _clusterer()
    first = cl.assign(1, a[0], category="utilities")
    assert cl.assign(2, a[1], category="education") == first  # a wrong category does not split a duplicate
    assert cl.assign(3, b[0], category="utilities") != first  # a shared category does not merge two issues
    old = Clusterer(_settings(by_category=True))
    assert old.assign(1, a[0], category="utilities") != old.assign(2, a[1], category="education")


def test_no_chaining() -> None:
    rng = np.random.default_rng(7)
    x, z = _unit(rng.normal(size=DIM)), _unit(rng.normal(size=DIM))
    chain = _unit(np.stack([x, 0.72 * x + 0.28 * z, 0.5 * x + 0.5 * z, 0.28 * x + 0.72 * z, z]))
    sims = chain @ chain.T
    assert sims[0, 1] >= 0.7 and sims[1, 2] >= 0.7 and sims[0, 4] < 0.2  # A≈B≈C… but A≉E
    for linkage in ("average", "complete"):
        labels = cluster_labels(chain, settings=_settings(linkage=linkage))
        assert labels[0] != labels[4], linkage
        cl = _clusterer(linkage=linkage)
        for i, v in enumerate(chain):
            cl.assign(i, v)
        cl.recluster()
        assert cl.cluster_of(0) != cl.cluster_of(4), linkage


def test_language_centring_joins_a_translation() -> None:
    rng = np.random.default_rng(3)
    ru_mean, kk_mean = 3 * _unit(rng.normal(size=DIM)), 3 * _unit(rng.normal(size=DIM))
    issue, other = _topic(11, 1)[0], _topic(12, 1)[0]
    ru, kk, ru_other = ru_mean + issue, kk_mean + issue, ru_mean + other
    plain = _clusterer()
    assert plain.assign(1, ru, lang="ru") != plain.assign(2, kk, lang="kk")  # raw: the language dominates
    cl = Clusterer(_settings(), means={"ru": ru_mean, "kk": kk_mean})
    first = cl.assign(1, ru, lang="ru")
    assert cl.assign(2, kk, lang="kk") == first
    assert cl.assign(3, ru_other, lang="ru") != first


def test_live_path_equals_batch_clustering() -> None:
    rng = np.random.default_rng(0)
    vectors = np.vstack([_topic(s, int(rng.integers(1, 5)), noise=0.4) for s in range(30)])
    order = rng.permutation(len(vectors))
    vectors = vectors[order]
    places = [[f"house:абай/{int(i) % 3}"] if i % 2 else [] for i in order]
    batch = cluster_labels(vectors, places=places, settings=_settings())
    cl = _clusterer()
    for start in range(0, len(vectors), 16):
        cl.add_batch([(i, vectors[i], {"places": places[i]}) for i in range(start, min(start + 16, len(vectors)))])
    live = [cl.cluster_of(i) for i in range(len(vectors))]
    pairs = [(i, j) for i in range(len(vectors)) for j in range(i)]
    assert all((batch[i] == batch[j]) == (live[i] == live[j]) for i, j in pairs)


def test_recluster_keeps_ids_stable() -> None:
    cl = _clusterer()
    a, b = _topic(1, 5), _topic(2, 5)
    for i in range(5):
        cl.assign(("a", i), a[i])
        cl.assign(("b", i), b[i])
    before = {k: cl.cluster_of(k) for k in [("a", i) for i in range(5)] + [("b", i) for i in range(5)]}
    assert cl.recluster() == {}
    assert {k: cl.cluster_of(k) for k in before} == before


def test_recluster_maps_renamed_clusters_back_to_old_ids() -> None:
    cl = _clusterer()
    a = _topic(1, 6)
    first = cl.assign(0, a[0])
    for i in range(1, 6):
        cl.assign(i, a[i])
    cl._move(5, "c99")  # an earlier machine mistake, not a human decision
    assert cl.recluster() == {5: first}
    assert {cl.cluster_of(i) for i in range(6)} == {first}


def test_judged_pairs_shift_the_threshold_within_bounds() -> None:
    a = _topic(1, 6, noise=1.2)
    cl = _clusterer(max_threshold_shift=0.1, feedback_prior=1.0, feedback_prior_loosen=1.0)
    for i, v in enumerate(a):
        cl.assign(i, v)
    before = cl.threshold
    cl.add_feedback([(0, j, True) for j in range(1, 6)])  # loose pairs people call one problem
    assert cl.threshold >= before
    assert cl.threshold <= before + 0.1 + 1e-9
    strict = _clusterer(max_threshold_shift=0.1, feedback_prior=1.0)
    strict.add_feedback([], scores=[(0.75, False)] * 10)  # close pairs people keep apart
    assert strict.threshold < before


def test_loosening_the_threshold_takes_more_judged_pairs_than_tightening() -> None:
    """Ten pairs people call one problem do not loosen the cut; ten they keep apart tighten it."""
    cl = _clusterer(max_threshold_shift=0.1, feedback_prior=3.0, feedback_prior_loosen=30.0)
    before = cl.threshold
    cl.add_feedback([], scores=[(0.65, True)] * 10)  # the cut is 0.7: a loosening by 0.05 sets them right
    assert cl.threshold == before
    cl.add_feedback([], scores=[(0.65, True)] * 30)  # forty in all: now they do
    assert cl.threshold > before
    strict = _clusterer(max_threshold_shift=0.1, feedback_prior=3.0, feedback_prior_loosen=30.0)
    strict.add_feedback([], scores=[(0.75, False)] * 10)
    assert strict.threshold < before


def test_two_unlike_clusters_do_not_both_join_a_people_made_one() -> None:
    """A and C each resemble a draft a person made; A≈B≈C must not make A and C one problem."""
    e1, e2 = np.eye(DIM)[0], np.eye(DIM)[1]
    angle = np.deg2rad(40)  # each side 0.77 like the people's draft (cut 0.7), 0.17 like the other
    rng = np.random.default_rng(5)
    near = [_unit(v + 0.02 * rng.normal(size=(2, DIM))) for v in
            (e1, np.cos(angle) * e1 + np.sin(angle) * e2, np.cos(angle) * e1 - np.sin(angle) * e2)]
    cl = _clusterer()
    for i, v in enumerate(near[0]):
        cl.assign(i, v)
        cl.pin(i, "person", "person")
    for i, v in enumerate(np.vstack(near[1:]), start=2):
        cl.assign(i, v)
    cl.recluster()
    assert cl.cluster_of(2) == cl.cluster_of(3) and cl.cluster_of(4) == cl.cluster_of(5)
    joined = [side for side in ((2, 3), (4, 5)) if cl.cluster_of(side[0]) == "person"]
    assert len(joined) == 1


@pytest.mark.parametrize("vector", [np.zeros(DIM), np.full(DIM, np.nan), np.full(DIM, 1e30)])
def test_broken_vectors_never_crash(vector: np.ndarray) -> None:
    cl = _clusterer()
    cl.add_batch([(1, _topic(1, 1)[0], {}), (2, vector, {"places": ["house:абай/1", "garbage"]}),
                  (3, _topic(1, 1)[0], {"lang": "xx"})])
    assert cl.cluster_of(2) is not None and cl.cluster_of(1) == cl.cluster_of(3)


def test_unplaced_comments_on_one_district_wide_issue_are_one_problem() -> None:
    """"Очередь в садик" and "Балабақшаға кезек" are far apart as vectors; the district-wide issue they name joins them."""
    a, b, c, d = (_topic(seed, 1)[0] for seed in (11, 12, 13, 14))
    queue = ["kindergarten_places"]
    cl = _clusterer(district_issue=0.8)
    first = cl.assign(1, a, text="Очередь в садик: стоим с рождения", subtopics=queue)
    assert cl.assign(2, b, text="Балабақшаға кезек 3 жыл, әлі жоқ", subtopics=queue) == first
    assert cl.assign(3, c, text="Очередь в садик, а садика в селе нет", subtopics=queue,
                     places=["settlement:иргели"]) != first  # a village's own kindergarten
    assert cl.assign(4, d, text="Воспитатель в детском саду грубит детям", subtopics=queue) != first  # names no waiting list
    off = _clusterer()
    assert off.assign(1, a, text="Очередь в садик", subtopics=queue) != off.assign(2, b, text="Балабақшаға кезек", subtopics=queue)


def test_a_bare_street_name_is_the_street_the_meeting_named_before() -> None:
    """known_streets: "Ремонт Абая обещали" after "ул. Абая" is on that street; off, or unseen, it has no place."""
    v = _topic(21, 4, noise=0.6)
    cl = _clusterer(known_streets=True, same_street=0.3)
    first = cl.assign(1, v[0], places=["street:абай", "settlement:каскелен"], text="На ул. Абая в Каскелене яма на яме")
    assert cl.assign(2, v[1], text="Ремонт Абая обещали ещё в 2024 году") == first
    assert cl._items[2].item.places == ("street:абай",)
    assert cl.assign(3, v[2], text="Ремонт Толе би обещали давно").startswith("c")
    assert cl._items[3].item.places == ()  # a street the meeting never named with its marker
    assert cl.assign(4, v[3], places=["settlement:иргели"], text="В Иргели на Абая темно") and \
        cl._items[4].item.places == ("settlement:иргели",)  # a comment with its own place keeps it
    off = _clusterer(same_street=0.3)
    off.assign(1, v[0], places=["street:абай"], text="ул. Абая")
    off.assign(2, v[1], text="Ремонт Абая обещали")
    assert off._items[2].item.places == ()


def test_a_bare_known_street_is_read_as_a_street_for_the_issue() -> None:
    """ "Ремонт Абая" is a road repair once "Абая" is a known street: it shares the potholes issue."""
    v = _topic(22, 3, noise=0.6)
    cl = _clusterer(known_streets=True, same_street=0.3, other_topic=0.15)
    cl.assign(1, v[0], places=["street:абай"], text="На ул. Абая яма на яме", subtopics=["potholes"])
    cl.assign(2, v[1], text="Ремонт Абая обещали ещё в 2024 году", subtopics=[])
    assert "potholes" in cl._items[2].item.topics
    cl.assign(3, v[2], text="Ремонт Толе би обещали", subtopics=[])  # never named as a street
    assert not cl._items[3].item.topics


def test_marking_a_known_street_for_the_lexicon() -> None:
    from tyndau.nlp.known_streets import KnownStreets

    streets = KnownStreets()
    assert streets.read(("street:абай",), "ул. Абая") == (("street:абай",), None)
    assert streets.read((), "Ремонт Абая обещали") == (("street:абай",), "Ремонт улица Абая обещали")
    assert streets.read(("settlement:иргели",), "В Иргели на Абая темно") == (("settlement:иргели",), None)
    assert streets.read((), "Абай көшесін қашан жөндейсіз?") == (("street:абай",), None)  # Kazakh: marker after
    assert streets.read((), "Ремонт обещали") == ((), None)


@pytest.mark.parametrize("linkage", ["average", "complete"])
def test_a_cluster_emptied_by_people_takes_no_new_comment(linkage: str) -> None:
    # Clusters are scored by code; a code whose members all left is gone (as complete linkage's
    # empty minimum it would read +inf and win every comment).
    cl = _clusterer(linkage=linkage)
    a, far = _topic(1, 2), _topic(9, 1)
    first = cl.assign("a0", a[0])
    assert cl.assign("a1", a[1]) == first
    for item in ("a0", "a1"):
        cl.pin(item, "people-1")
    assert first not in cl.clusters()
    new = cl.assign("far", far[0])
    assert new not in (first, "people-1") and cl.members(new) == ["far"]
