"""Which language a comment is in: Russian, Kazakh, a mix of both, or something else.

Word-level evidence first (Kazakh-only letters, the shipped lexicons), then
lingua-language-detector restricted to Russian, Kazakh and English for what the words leave open.
The lingua model (~1 s, ~130 MB) is built on the first call of a ``LanguageDetector``, never at
import.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from tyndau.nlp.lexicon import Lexicon, folded_kazakh, load_lexicon
from tyndau.nlp.memo import Memo
from tyndau.nlp.normalise import Normalised, normalise
from tyndau.nlp.translit import ENGLISH_WORDS

Lang = Literal["ru", "kk", "mixed", "other"]
KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_OTHER_CYRILLIC = frozenset("їєґўЇЄҐЎ")  # Ukrainian / Belarusian
_WORD_RE = re.compile(r"[^\W\d_]+")
_WORD_CONFIDENCE = 0.75
MIXED_MIN_WORDS = 2
MIXED_MIN_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """The language of a text with a confidence in [0, 1] and the word counts behind it."""

    lang: Lang
    confidence: float
    ru_words: int = 0
    kk_words: int = 0
    other_words: int = 0


class LanguageDetector:
    """Russian / Kazakh / mixed / other; ``use_model=False`` keeps to letters and lexicons."""

    def __init__(self, use_model: bool = True, ru: Lexicon | None = None,
                 kk: Lexicon | None = None) -> None:
        self._use_model = use_model
        self._ru = ru
        self._kk = kk
        self._model: Any = None
        self._word_lang: Memo[str, str | None] = Memo(self._judge_word)

    def _lexicons(self) -> tuple[Lexicon, Lexicon]:
        if self._ru is None or self._kk is None:
            self._ru, self._kk = load_lexicon("ru"), load_lexicon("kk")
        return self._ru, self._kk

    def _in_folded_kk(self, word: str) -> bool:
        """True for Kazakh written without its letters ("жаксы" for "жақсы")."""
        return word in folded_kazakh()

    def _lingua(self) -> Any:
        """The lingua detector, built on first use (about a second, 130 MB)."""
        if self._model is None and self._use_model:
            from lingua import Language, LanguageDetectorBuilder

            self._model = LanguageDetectorBuilder.from_languages(
                Language.RUSSIAN, Language.KAZAKH, Language.ENGLISH
            ).build()
        return self._model

    def _model_scores(self, text: str) -> dict[str, float]:
        model = self._lingua()
        if model is None or not text.strip():
            return {}
        values = model.compute_language_confidence_values(text)
        return {v.language.iso_code_639_1.name.lower(): float(v.value) for v in values}

    def word_lang(self, word: str) -> str | None:
        """"ru", "kk", "en" or None (undecided) for one word."""
        return self._word_lang(word)

    def _judge_word(self, word: str) -> str | None:
        if KAZAKH_LETTERS & set(word):
            return "kk"
        low = word.lower()
        if _is_latin(low):
            return "en" if low in ENGLISH_WORDS else None
        if not _is_cyrillic(low) or len(low) < 2:
            return None
        ru, kk = self._lexicons()
        in_ru, in_kk = low in ru, low in kk
        if in_ru != in_kk:
            return "ru" if in_ru else "kk"
        if not in_ru and self._in_folded_kk(low):
            return "kk"
        if "ъ" in low or "ё" in low:
            return "ru"
        if len(low) < 3:
            return None
        scores = self._model_scores(low)
        best = max(scores, key=lambda k: scores[k], default=None)
        if best in ("ru", "kk") and scores[best] >= _WORD_CONFIDENCE:
            return best
        return None

    def detect(self, text: str | Normalised | None) -> LanguageGuess:
        """Guess the language of one comment (raw or already normalised)."""
        norm = text if isinstance(text, Normalised) else normalise(text)
        body = norm.text.replace("<url>", " ").replace("<user>", " ")
        words = _WORD_RE.findall(body)
        if not words:
            return LanguageGuess("other", 1.0)
        if _OTHER_CYRILLIC & set(body):
            return LanguageGuess("other", 0.6)
        counts = {"ru": 0, "kk": 0, "en": 0}
        latin = 0
        for word in words:
            latin += _is_latin(word.lower())
            lang = self.word_lang(word)
            if lang is not None:
                counts[lang] += 1
        ru, kk, en = counts["ru"], counts["kk"], counts["en"]
        guess = self._decide(body, len(words), latin, ru, kk, en)
        return LanguageGuess(guess[0], round(guess[1], 3), ru, kk, len(words) - ru - kk)

    def _decide(self, body: str, n: int, latin: int, ru: int, kk: int,
                en: int) -> tuple[Lang, float]:
        if latin > n / 2 and latin >= ru + kk:
            return "other", min(1.0, 0.5 + latin / (2 * n))
        both = ru + kk
        if both and min(ru, kk) >= MIXED_MIN_WORDS and min(ru, kk) / both >= MIXED_MIN_SHARE:
            return "mixed", min(ru, kk) / both * 2
        scores = self._model_scores(body)
        model_lang = max(scores, key=lambda k: scores[k], default=None)
        if both:
            lead = "ru" if ru > kk else "kk" if kk > ru else None
            if lead is None:
                lead = model_lang if model_lang in ("ru", "kk") else "kk"
            share = max(ru, kk) / both
            agree = scores.get(lead, 0.5)
            return lead, 0.5 * share + 0.5 * agree  # type: ignore[return-value]
        if model_lang in ("ru", "kk"):
            return model_lang, scores[model_lang]  # type: ignore[return-value]
        if model_lang == "en" or en:
            return "other", scores.get("en", 0.6)
        return "other", 0.3


def _is_latin(word: str) -> bool:
    return bool(word) and all(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in word)


def _is_cyrillic(word: str) -> bool:
    return bool(word) and all("\u0400" <= ch <= "\u04ff" for ch in word)


@functools.cache
def default_detector() -> LanguageDetector:
    """One shared detector per process; its model is built on the first detection."""
    return LanguageDetector()


def detect_language(text: str | Normalised | None) -> LanguageGuess:
    """Guess "ru", "kk", "mixed" or "other" for one comment with the shared detector."""
    return default_detector().detect(text)


def detect_languages(texts: Iterable[str | Normalised | None]) -> list[LanguageGuess]:
    """``detect_language`` over many comments."""
    detector = default_detector()
    return [detector.detect(t) for t in texts]
