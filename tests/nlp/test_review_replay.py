"""The secretary's review that ``nlp eval --adapt`` replays: splits and merges as the review workspace makes them."""

from __future__ import annotations

import numpy as np

from tests.nlp.test_clusterer import _clusterer, _topic
from tyndau.nlp.review_replay import replay_review


def test_a_mixed_draft_is_split_and_a_scattered_problem_merged() -> None:
    cl = _clusterer()
    water, road = _topic(1, 3), _topic(2, 2)
    for i, v in enumerate(np.vstack([water, road])):
        cl.assign(i, v)
    cl._move(3, cl.cluster_of(0))  # the machine's mistake: one road comment in the water draft
    cl._move(2, "c77")  # and one water comment in a draft of its own
    gold = {0: "water", 1: "water", 2: "water", 3: "road", 4: "road"}
    judged = replay_review(cl, list(range(5)), gold)
    # split: road 3 apart from water 0, 1; merges: water 2 with water 0, 1, road 3 with road 4
    assert judged == 2 + 2 + 1
    assert cl.cluster_of(0) == cl.cluster_of(1) == cl.cluster_of(2)
    assert cl.cluster_of(3) == cl.cluster_of(4) != cl.cluster_of(0)
    assert set(cl.locked()) == {0, 1, 2, 3}  # both sides of the split, and the comments merged in
    assert {cl.cluster_of(i) for i in range(3)} == {cl.locked()[2]}


def test_a_right_draft_list_is_left_alone() -> None:
    cl = _clusterer()
    for i, v in enumerate(np.vstack([_topic(1, 3), _topic(2, 2)])):
        cl.assign(i, v)
    gold = {i: ("water" if i < 3 else "road") for i in range(5)}
    assert replay_review(cl, list(range(5)), gold) == 0
    assert cl.locked() == {} and cl.threshold == 0.3


def test_comments_without_gold_or_unknown_to_the_clusterer_are_skipped() -> None:
    cl = _clusterer()
    cl.assign(0, _topic(1, 1)[0])
    assert replay_review(cl, [0, 1, 2], {0: "", 2: "water"}) == 0
