"""detect_language: Russian, Kazakh, mixed and other, with a lazily built model."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from tyndau.nlp.language import LanguageDetector, LanguageGuess, detect_language

pytest.importorskip("lingua")


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


def test_importing_does_not_load_lingua() -> None:
    code = "import sys, tyndau.nlp.language; print('lingua' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Когда починят дорогу на нашей улице?", "ru"),
        ("Здравствуйте, у нас третий день нет воды", "ru"),
        ("Абай көшесінде су жоқ, көмектесіңіздер", "kk"),
        ("Рахмет!", "kk"),
        ("Сәлеметсіз бе", "kk"),
        ("Оте жаксы екен", "kk"),  # Kazakh typed without Kazakh letters
        ("Маған ұнады өте керемет как будто айфон", "mixed"),
        ("Жол жаман, когда уже починят эту дорогу, біз күтіп жүрміз", "mixed"),
        ("This is a very good app", "other"),
        ("", "other"),
        ("😍😍😍", "other"),
        ("12345 !!!", "other"),
        ("kogda budet voda", "ru"),
        ("su joq, jol jaman", "kk"),
    ],
)
def test_languages(detector: LanguageDetector, text: str, lang: str) -> None:
    guess = detector.detect(text)
    assert isinstance(guess, LanguageGuess)
    assert guess.lang == lang, guess
    assert 0.0 <= guess.confidence <= 1.0


def test_russian_text_with_a_kazakh_place_name_stays_russian(detector: LanguageDetector) -> None:
    assert detector.detect("Прошу отремонтировать дорогу в селе Қаскелең возле школы").lang == "ru"


def test_ten_thousand_characters_and_controls(detector: LanguageDetector) -> None:
    assert detector.detect("вода\x00 нет " * 2000).lang == "ru"
    assert detector.detect("\u202e\u200b").lang == "other"


def test_without_model_words_still_decide() -> None:
    d = LanguageDetector(use_model=False)
    assert d.detect("Абай көшесінде су жоқ").lang == "kk"
    assert d.detect("когда будет вода").lang == "ru"


def test_module_function() -> None:
    assert detect_language("Спасибо большое").lang == "ru"


def test_accuracy_on_dev_data(detector: LanguageDetector, appeals_dir: Path) -> None:
    """Measured, not memorised: the shared files are read at test time only."""
    for name, minimum in (("kzgov_parallel_dev.csv", 0.97), ("kk_chatter_dev.csv", 0.90)):
        rows = list(csv.DictReader((appeals_dir / name).open(encoding="utf-8")))
        ok = sum(detector.detect(r["text"]).lang in (r["lang"], "mixed") for r in rows)
        assert ok / len(rows) >= minimum, (name, ok / len(rows))
