"""Profanity, insults, masking and spam scores."""

from __future__ import annotations

import pytest

from tyndau.nlp.profanity import (
    ProfanityFilter,
    find_profanity,
    has_profanity,
    mask,
    spam_score,
)


@pytest.mark.parametrize(
    "text, masked, kinds",
    [
        ("Ты дурак, аким хуйнёй занимается", "Ты д****, аким х***** занимается", ["insult", "obscene"]),
        ("хуй", "х**", ["obscene"]),
        ("xуй", "x**", ["obscene"]),  # Latin x
        ("бляяяя", "б*****", ["obscene"]),
        ("ЗАЕБАЛИ уже", "З****** уже", ["obscene"]),
        ("пuздец", "п*****", ["obscene"]),  # Latin u for и
        ("Ақымақ әкім", "А***** әкім", ["insult"]),
        ("сіктір", "с*****", ["obscene"]),
    ],
)
def test_flags_and_masks(text: str, masked: str, kinds: list[str]) -> None:
    assert mask(text) == masked
    assert [h.kind for h in find_profanity(text)] == kinds
    assert has_profanity(text)


@pytest.mark.parametrize(
    "text",
    [
        "Страхуй машину",
        "колебания напряжения, хлеб, небо, себе, употреблять, ребенок",
        "сукно, скотина пасётся, гадать",
        "Мен сені сүйемін, есікті ашыңыз",
        "Когда починят дорогу?",
        "",
        "😍😍😍",
    ],
)
def test_clean_text_is_untouched(text: str) -> None:
    assert not has_profanity(text)
    assert mask(text) == text


def test_custom_lexicon() -> None:
    f = ProfanityFilter(["[insult]", "бездар*", "[exception]", "бездарный"])
    assert f.kind_of("Бездари") == "insult"
    assert f.kind_of("бездарный") is None
    assert f.mask("вы бездари") == "вы б******"
    assert f.spam_score("казино") == 0.0  # no [spam] section


def test_long_and_hostile_text() -> None:
    text = ("нормальный текст " * 700) + "\x00\u202e дебил"
    assert [h.word for h in find_profanity(text)] == ["дебил"]


def test_spam_scores() -> None:
    spam = "Заработок от 5000 в день без вложений! Переходи по ссылке https://bit.ly/xx подпишись"
    assert spam_score(spam) >= 0.8
    assert spam_score("casino bonus http://x.xyz") >= 0.5
    assert spam_score("купи " * 20) >= 0.5
    assert spam_score("Подпишись на канал\n" * 4) >= 0.6
    for ok in ("Когда починят дорогу на Абая?", "Подпишите петицию за ремонт школы", "", "👍"):
        assert spam_score(ok) < 0.3, ok
