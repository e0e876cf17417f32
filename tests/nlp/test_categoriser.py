"""The categoriser on our own tiny examples (model-free) and on the shipped config (model)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from tyndau.nlp.categoriser import Categoriser, CategoriserSettings
from tyndau.nlp.registry import HashingEncoder
from tyndau.nlp.taxonomy import parse_taxonomy

TINY = """
[[category]]
id = "water"
name = {ru = "Вода", kk = "Су"}
description = {ru = "Водоснабжение и канализация", kk = "Сумен жабдықтау және кәріз"}
keywords = {ru = ["вод"], kk = ["су"]}
examples = {ru = ["Нет воды третий день", "Из крана течёт ржавая вода", "Слабый напор воды", "Прорвало водопровод"], kk = ["Үйде су жоқ", "Су қысымы әлсіз", "Краннан лас су ағады"]}

[[category]]
id = "roads"
name = {ru = "Дороги", kk = "Жолдар"}
description = {ru = "Ямы и ремонт дорог", kk = "Жол жөндеу"}
keywords = {ru = ["дорог", "ям"], kk = ["жол", "шұңқыр"]}
examples = {ru = ["Ямы на дороге по улице", "Отремонтируйте дорогу", "Асфальт разбит, ямы", "Дорогу не чистят от снега"], kk = ["Жолда шұңқыр көп", "Жолды жөндеңіздер", "Асфальт бұзылған"]}

[[category]]
id = "trash"
name = {ru = "Мусор", kk = "Қоқыс"}
description = {ru = "Вывоз мусора и свалки", kk = "Қоқыс шығару"}
keywords = {ru = ["мусор"], kk = ["қоқыс"]}
examples = {ru = ["Мусор не вывозят неделю", "Контейнеры переполнены мусором", "Стихийная свалка мусора за домом"], kk = ["Қоқыс шығарылмайды", "Контейнерлер қоқысқа толы"]}
"""


@pytest.fixture()
def tiny() -> Categoriser:
    settings = CategoriserSettings(wrapped_copies=0, refit_every=1000, corrections_for_full_weight=3)
    return Categoriser(parse_taxonomy(TINY), HashingEncoder(), settings=settings, wrappers_path=Path("/nonexistent"))


def test_predicts_our_own_phrasings(tiny: Categoriser) -> None:
    preds = tiny.predict(["Опять нет воды в доме", "Большие ямы на дороге", "Мусор не вывозят", "Үйде су жоқ"])
    assert [p.category for p in preds] == ["water", "roads", "trash", "water"]
    for p in preds:
        assert 0.0 <= p.runner_up_confidence <= p.confidence <= 1.0
        assert p.runner_up is not None and p.runner_up != p.category


def test_probabilities_are_calibrated_rows(tiny: Categoriser) -> None:
    probs = tiny.probabilities(["Нет воды", "мусор"])
    assert probs.shape == (2, 3)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert tiny.predict([]) == []


def test_low_confidence_goes_to_review() -> None:
    settings = CategoriserSettings(wrapped_copies=0, review_threshold=0.99)
    cat = Categoriser(parse_taxonomy(TINY), HashingEncoder(), settings=settings, wrappers_path=Path("/nonexistent"))
    assert cat.predict(["Что-то странное произошло"])[0].needs_review


def test_a_correction_changes_predictions_at_once(tiny: Categoriser) -> None:
    text = "Провалился люк водопроводного колодца на дороге"
    before = tiny.predict([text])[0]
    target = "roads" if before.category != "roads" else "water"
    tiny.add_correction(text, target)
    assert tiny.predict([text])[0].category == target  # no refit, no restart
    assert tiny.corrections == [(text, target)]


def test_corrections_replayed_in_bulk_and_refitted(tiny: Categoriser) -> None:
    items = [("Сломана скамейка во дворе", "trash"), ("Нет скамеек во дворе", "trash"),
             ("Ямы во дворе", "roads")]
    tiny.add_corrections(items, refit=True)
    assert tiny.predict(["Сломана скамейка"])[0].category == "trash"
    with pytest.raises(KeyError):
        tiny.add_correction("x", "no_such_category")


def _model_cache(factory: pytest.TempPathFactory) -> Path:
    """The CI model cache when set (converted once per machine), else one per test run."""
    env = os.environ.get("TYNDAU_MODEL_CACHE_DIR")
    return Path(env) if env else factory.getbasetemp() / "nlp-models"


@pytest.mark.model
def test_shipped_config_with_e5(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The categoriser as the server builds it: config/nlp.toml's encoder (int8 ONNX) and the shipped example rows."""
    from tyndau.nlp.pipeline import Pipeline

    pipeline = Pipeline.from_config(cache_dir=_model_cache(tmp_path_factory),
                                    overrides={"detector": {"use": "none"}, "clusterer": {"use": "none"}})
    texts = ["Третий день нет горячей воды в доме на Абая", "Көшеде шамдар жанбайды, қараңғы",
             "Когда отремонтируют дорогу, одни ямы", "Балабақшаға кезек жылжымайды"]
    assert [p.category for p in pipeline.categoriser.predict(texts)] == [
        "utilities", "improvement_ecology", "roads_transport", "education"]
