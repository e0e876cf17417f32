"""The pipeline: stages chosen by config, hostile input, and failing stages that do not crash."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from tyndau.nlp.pipeline import Labels, Pipeline, read_config

# model-free and quick: hashed n-grams instead of e5, no wrapped copies of the examples
HASHING = {"encoder": {"use": "hashing"}, "categoriser": {"wrapped_copies": 0, "text_weight": 0.0},
           "detector": {"threshold": 0.5}}


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline.from_config(overrides=HASHING)


def test_shipped_config_names_every_role() -> None:
    config = read_config()
    assert config["encoder"]["use"] == "e5_onnx" and config["categoriser"]["use"] == "two_view"
    assert config["clusterer"]["use"] == "agglomerative" and config["detector"]["use"] == "two_view"


def test_batch_labels_everything(pipe: Pipeline) -> None:
    out = pipe.process(["Нет воды на ул. Абая 12 уже три дня! Звоните 87011234567",
                        "Спасибо за встречу!", "Абай көшесінде су жоқ"])
    first = out[0]
    assert isinstance(first, Labels) and first.lang == "ru" and first.category
    assert first.place_key == "street:абай" and first.personal_data
    assert first.is_problem is True and first.cluster is not None
    assert out[1].is_problem is False and out[1].cluster is None
    assert out[2].lang == "kk"
    assert set(first.as_dict()) >= {"category", "runner_up", "needs_review", "is_problem", "cluster"}


def test_hostile_input_never_crashes(pipe: Pipeline) -> None:
    texts: list[Any] = ["", "   ", "😀😀😀", "а" * 10_000, b"\xff\xfe\x00garbage", None, "\x00\x01\x02"]
    out = pipe.process(texts)
    assert len(out) == len(texts)
    assert out[0].category is None and out[2].is_problem in (None, False)


class _Boom:
    def predict(self, texts: Any, embeddings: Any = None) -> Any:
        raise RuntimeError("model exploded")


def test_failing_stage_leaves_comments_unlabelled_and_logs(pipe: Pipeline, caplog: pytest.LogCaptureFixture) -> None:
    broken = Pipeline(dict(pipe.stages, categoriser=_Boom()), taxonomy=pipe.taxonomy)
    with caplog.at_level(logging.WARNING):
        out = broken.process(["Нет воды", "Ямы на дороге"])
    assert [lab.category for lab in out] == [None, None]
    assert all("categoriser" in lab.errors for lab in out)
    assert all(lab.is_problem is not None for lab in out)  # other stages still ran
    assert "model exploded" in caplog.text


def test_roles_can_be_switched_off_or_stubbed(pipe: Pipeline) -> None:
    p = Pipeline.from_config(overrides={**HASHING, "detector": {"use": "always"}, "categoriser": {"use": "none"},
                                        "clusterer": {"use": "none"}, "language": {"use": "none"}})
    lab, thanks = p.process(["Добрый вечер всем", "Спасибо!"])
    assert lab.category is None
    assert lab.is_problem is True and lab.cluster is None and lab.lang is None
    assert thanks.is_problem is False  # "always" still respects the form of a message (thanks, relays, echoes)


def test_unknown_implementation_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown implementation 'bert9000'"):
        Pipeline.from_config(overrides={"encoder": {"use": "bert9000"}})
    bad = tmp_path / "nlp.toml"
    bad.write_text('[encodr]\nuse = "e5"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown NLP role"):
        read_config(bad)
