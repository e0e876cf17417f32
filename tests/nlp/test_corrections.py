"""Corrections teach the categoriser: this akimat's own boundaries, learned from a fifth of the rows.

A synthetic set built here (no shared data): the taxonomy says potholes are roads, but this
akimat files everything in a yard (potholes, broken asphalt by the entrance) under improvement
("trash" in the tiny taxonomy), and burst pipes flooding a road under water. Fed a fifth of the
rows as corrections, the categoriser must get the rest markedly better; with none or a few, no worse.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score

from tyndau.nlp.categoriser import Categoriser, CategoriserSettings
from tyndau.nlp.corrections import category_bias, neighbour_mix
from tyndau.nlp.registry import HashingEncoder
from tyndau.nlp.taxonomy import parse_taxonomy

from .test_categoriser import TINY

STREETS = ["Абая", "Толе би", "Гагарина", "Садовая", "Момышулы", "Райымбека", "Сейфуллина", "Шамалган"]
TEMPLATES = [  # (template, this akimat's category)
    ("Нет воды в доме {n} по улице {s}", "water"),
    ("Слабый напор воды, ул. {s} {n}", "water"),
    ("Прорвало трубу на улице {s}, вода течёт по дороге", "water"),
    ("Из-под асфальта на {s} {n} бьёт вода из водопровода", "water"),
    ("Ямы на дороге по улице {s}", "roads"),
    ("Отремонтируйте дорогу на {s}, асфальт разбит", "roads"),
    ("Ямы во дворе дома {n} на {s}, не пройти", "trash"),
    ("Разбит асфальт у подъезда дома {n} по {s}", "trash"),
    ("Во дворе дома {n} ул. {s} яма на яме", "trash"),
    ("Мусор не вывозят неделю, {s} {n}", "trash"),
    ("Контейнеры переполнены мусором у дома {n}", "trash"),
]


def _rows(n: int = 220, seed: int = 3) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        template, category = rng.choice(TEMPLATES)
        out.append((template.format(s=rng.choice(STREETS), n=rng.randint(1, 120)), category))
    return out


def _categoriser(**over: object) -> Categoriser:
    settings = CategoriserSettings(wrapped_copies=0, refit_every=10, corrections_for_full_weight=40, **over)  # type: ignore[arg-type]
    return Categoriser(parse_taxonomy(TINY), HashingEncoder(), settings=settings, wrappers_path=Path("/nonexistent"))


def _scores(cat: Categoriser, rows: list[tuple[str, str]]) -> tuple[float, float]:
    gold = [c for _, c in rows]
    pred = [p.category for p in cat.predict([t for t, _ in rows])]
    return (float(accuracy_score(gold, pred)),
            float(f1_score(gold, pred, labels=sorted(set(gold)), average="macro", zero_division=0)))


def _adapted(fraction: float, **over: object) -> tuple[tuple[float, float], tuple[float, float]]:
    """(accuracy, macro-F1) on the rows after the first ``fraction``: without, then with corrections."""
    rows = _rows()
    n = round(fraction * len(rows))
    cat = _categoriser(**over)
    before = _scores(cat, rows[n:])
    if n:
        cat.add_corrections(rows[:n], refit=True)
    return before, _scores(cat, rows[n:])


def test_a_fifth_of_the_rows_as_corrections_helps_markedly() -> None:
    (acc0, f10), (acc1, f11) = _adapted(0.2)
    assert acc0 < 0.85  # the convention is not in the taxonomy: there is something to learn
    assert acc1 >= acc0 + 0.05 and f11 >= f10 + 0.05


def test_the_neighbour_vote_alone_still_helps() -> None:
    """The convention is local (a yard, not potholes as such): the vote of similar corrections learns it."""
    (acc0, _), (acc1, _) = _adapted(0.2, bias_weight=0.0)
    assert acc1 >= acc0 + 0.03


def test_without_both_heads_nothing_is_learned_beyond_repeats() -> None:
    """The check above can fail: switched off, corrections teach (almost) nothing."""
    (acc0, _), (acc1, _) = _adapted(0.2, knn_weight=0.0, bias_weight=0.0, same_text_similarity=1.0)
    assert acc1 < acc0 + 0.03


@pytest.mark.parametrize("fraction", [0.01, 0.05])
def test_a_few_corrections_do_no_harm(fraction: float) -> None:
    (acc0, f10), (acc1, f11) = _adapted(fraction)
    assert acc1 >= acc0 - 0.01 and f11 >= f10 - 0.02


def test_no_corrections_leave_the_prior_as_it_was() -> None:
    cat, fresh = _categoriser(), _categoriser()
    texts = [t for t, _ in _rows(30)]
    cat.add_corrections([], refit=True)
    cat.refit()
    assert np.array_equal(cat.probabilities(texts), fresh.probabilities(texts))


def test_category_bias_undoes_the_confusion_the_corrections_show() -> None:
    prior = np.array([[0.9, 0.1, 0.0]] * 8 + [[0.1, 0.9, 0.0]] * 2, dtype=np.float32)
    labels = [1] * 8 + [1] * 2  # the prior says 0 where the secretary says 1
    bias = category_bias(prior, labels)
    assert bias[1] > 0 > bias[0]
    assert abs(bias[2]) < 0.1  # a category neither named nor predicted stays put


def test_neighbour_vote_weight_and_repeats() -> None:
    probs = np.array([[0.8, 0.2], [0.8, 0.2]], dtype=np.float32)
    memory = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    queries = np.array([[1.0, 0.0], [0.6, 0.8]], dtype=np.float32)
    labels = np.array([1, 1])
    kept = neighbour_mix(probs, queries, memory, labels, k=2, temperature=0.05, weight=0.0, same_text=0.99)
    assert kept[0, 1] == pytest.approx(1.0)  # a repeat of a corrected text follows it at once ...
    assert np.allclose(kept[1], probs[1])  # ... a merely similar one only with the vote's weight
    half = neighbour_mix(probs, queries, memory, labels, k=2, temperature=0.05, weight=0.5, same_text=0.99)
    assert half[1, 1] == pytest.approx(0.6)
    assert np.allclose(half.sum(axis=1), 1.0)


def test_the_server_path_learns_what_the_eval_feeds(tmp_path: Path) -> None:
    """``Pipeline.learn_categories`` (review actions via the labeller, start-up replay, ``eval --adapt``):
    the corrected comment, as the pipeline labels it, takes the secretary's category at once."""
    from tyndau.nlp.pipeline import Pipeline

    from .test_evaluate import FAST_TOML

    config = tmp_path / "nlp.toml"
    config.write_text(FAST_TOML, encoding="utf-8")
    pipe = Pipeline.from_config(config)
    text = "  ПРОВАЛИЛСЯ люк у подъезда дома 5 по Абая!!  "
    before = pipe.process([text], cluster=False)[0].category
    target = "utilities" if before != "utilities" else "roads_transport"
    assert pipe.learn_categories([(text, target), ("", target), ("Нет воды", "no_such_category")]) == 1
    assert pipe.process([text], cluster=False)[0].category == target
    assert [c for _, c in pipe.categoriser.corrections] == [target]
    learned = pipe.learn_categories([("😀😀😀🔥", target), ("а" * 10_000, target), ("\x00\u202e ул. Абая 12", target)], refit=True)
    assert learned == len(pipe.categoriser.corrections) - 1  # odd texts are learned or skipped, never a crash


def test_comments_already_read_are_learned_from_their_own_vectors(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """``nlp eval --adapt``: the first rows were labelled once; their corrections reuse those vectors."""
    from tyndau.nlp.pipeline import Pipeline

    from .test_evaluate import FAST_TOML

    config = tmp_path / "nlp.toml"
    config.write_text(FAST_TOML, encoding="utf-8")
    pipe = Pipeline.from_config(config)
    texts = ["  ПРОВАЛИЛСЯ люк у подъезда дома 5 по Абая!!  ", "Нет воды на Шамалган", "", "😀😀😀"]
    labels = pipe.process(texts, cluster=False)
    target = "utilities" if labels[0].category != "utilities" else "roads_transport"
    encoder = pipe.stages["encoder"]
    calls: list[int] = []
    encode = encoder.encode
    encoder.encode = lambda ts: (calls.append(len(ts)), encode(ts))[1]
    learned = pipe.learn_labelled(labels, [target, "no_such_category", target, None], refit=True)
    assert calls == [] and learned == 1  # no second encoding; unknown, empty and missing skipped
    assert "no_such_category" in caplog.text  # a typo in a labelled file is said, not swallowed
    assert pipe.process([texts[0]], cluster=False)[0].category == target
    assert [t for t, _ in pipe.categoriser.corrections] == [labels[0].text]
