"""The problem detector: our own problem / non-problem phrasings, with and without the model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tyndau.nlp.problem import DetectorSettings, ProblemDetector, load_problem_examples
from tyndau.nlp.registry import HashingEncoder
from tyndau.nlp.taxonomy import load_taxonomy


def test_shipped_examples_have_both_classes_in_both_languages() -> None:
    train = load_problem_examples()
    for label in ("problem", "not_problem"):
        langs = {lang for lang, lab in zip(train.langs, train.labels) if lab == label}
        assert {"ru", "kk"} <= langs


@pytest.fixture(scope="module")
def hashing_detector() -> ProblemDetector:
    return ProblemDetector(load_taxonomy(), HashingEncoder(), settings=DetectorSettings(threshold=0.5, text_weight=0.0))


def test_verdicts_are_well_formed(hashing_detector: ProblemDetector) -> None:
    verdicts = hashing_detector.predict(["Нет воды третий день", "🙏🙏🙏", ""])
    assert len(verdicts) == 3
    for v in verdicts:
        assert 0.0 <= v.probability <= 1.0 and 0.5 <= v.confidence <= 1.0
    assert not verdicts[1].is_problem and not verdicts[2].is_problem  # no letters: not a problem
    assert hashing_detector.predict([]) == []


def _model_cache(factory: pytest.TempPathFactory) -> Path:
    """The CI model cache when set (converted once per machine), else one per test run."""
    env = os.environ.get("TYNDAU_MODEL_CACHE_DIR")
    return Path(env) if env else factory.getbasetemp() / "nlp-models"


@pytest.mark.model
def test_e5_detector_on_our_phrasings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The detector as the server builds it: config/nlp.toml's encoder (int8 ONNX) and the shipped example rows."""
    from tyndau.nlp.pipeline import Pipeline

    pipeline = Pipeline.from_config(cache_dir=_model_cache(tmp_path_factory),
                                    overrides={"categoriser": {"use": "none"}, "clusterer": {"use": "none"}})
    det = pipeline.stage("detector")
    problems = ["Третий день нет воды на Сейфуллина, когда дадут?",
                "Вы там совсем обалдели, бардак, мусор не вывозят месяц!",
                "Ауылға баратын жол бұзылған, жөндеңіздер"]
    chatter = ["Всем привет из Караганды!", "Рахмет, әкім, жақсы кездесу болды",
               "Қосымша жақсы екен, бірақ жарнамасы көп"]
    assert [v.is_problem for v in det.predict(problems)] == [True, True, True]
    assert [v.is_problem for v in det.predict(chatter)] == [False, False, False]
