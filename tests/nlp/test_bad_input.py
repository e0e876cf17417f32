"""Bad input never crashes a batch: empty, emoji-only, 10,000 characters, all caps, mixed scripts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tyndau.nlp.pipeline import Pipeline

BAD = ["", "   ", "😡😡😡🙏", "А" * 10_000, "НЕТ ВОДЫ В СЕЛЕ!!! КОГДА ДАДУТ???", "Irgeli су жоқ voda нет 😡 akim",
       "\x00\u202e\ud800 bad", "12345", "+", "<script>alert(1)</script>", "ул. " * 3000, "Аким говорит: " * 500]


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    folder: Path = tmp_path_factory.mktemp("nlp")
    (folder / "nlp.toml").write_text('[encoder]\nuse = "hashing"\n')
    return Pipeline.from_config(folder / "nlp.toml", cache_dir=folder / "models")


@pytest.mark.slow(seconds=50)
def test_a_batch_of_bad_input_is_labelled_without_errors(pipeline: Pipeline) -> None:
    labels = pipeline.process(BAD + ["В Иргели третий день нет воды"])
    assert len(labels) == len(BAD) + 1
    for lab in labels:
        assert not lab.errors, lab.errors
        assert isinstance(lab.subtopics, list)
    assert labels[0].is_problem is None and labels[2].is_problem is not True
    assert labels[4].subtopics[:1] == ["no_water"] and labels[-1].subtopics[:1] == ["no_water"]
    assert labels[8].chat_act == "echo" and labels[8].is_problem is False
    assert labels[11].chat_act == "relay" and labels[11].is_problem is False
