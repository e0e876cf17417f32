"""translit: skeletons, edit-distance lookup and letter tables."""

from __future__ import annotations

from tyndau.nlp.lexicon import Lexicon
from tyndau.nlp.translit import (
    SkeletonIndex,
    cyr_skeleton,
    latin_skeletons,
    letters_to_cyrillic,
    match_case,
    within_one_edit,
)


def _lex(lang: str, words: list[str]) -> Lexicon:
    return Lexicon(lang, {w: i for i, w in enumerate(words)})


def test_skeletons_meet_across_scripts() -> None:
    assert cyr_skeleton("жоқ") in latin_skeletons("joq")
    assert cyr_skeleton("жоқ") in latin_skeletons("zhok")
    assert cyr_skeleton("ауыл") in latin_skeletons("auyl")
    assert cyr_skeleton("вода") in latin_skeletons("voda")
    assert cyr_skeleton("яма") in latin_skeletons("yama")
    assert cyr_skeleton("ыңғайсыз") in latin_skeletons("yngaisyz")
    assert cyr_skeleton("шешім") in latin_skeletons("şeşım")


def test_lookup_exact_then_one_edit() -> None:
    index = SkeletonIndex([_lex("ru", ["когда", "будет", "вода", "работает"])])
    exact = index.lookup("kogda", "ru")
    assert exact is not None and exact.word == "когда" and exact.exact
    typo = index.lookup("rabotayet", "ru")
    assert typo is not None and typo.word == "работает"
    assert index.lookup("kogda", "kk") is None
    assert index.lookup("xyzzy", "ru") is None


def test_a_doubled_letter_the_candidate_lacks_is_an_edit_of_its_own() -> None:
    """Skeletons write "ll" once: "bulling" (буллинг) is one skeleton edit from "бүгін" but two letters off."""
    index = SkeletonIndex([_lex("kk", ["бүгін", "мектепте"])])
    assert index.lookup("bulling", "kk") is None
    typo = index.lookup("mektpte", "kk")
    assert typo is not None and typo.word == "мектепте" and not typo.exact


def test_within_one_edit() -> None:
    assert within_one_edit("mumkin", "mimkin")
    assert within_one_edit("voda", "vodaa")
    assert not within_one_edit("keregi", "erdegi")


def test_letter_tables() -> None:
    assert letters_to_cyrillic("körsetedı", "kk") == "көрсетеді"
    assert letters_to_cyrillic("boiynşa", "kk") == "бойынша"
    assert letters_to_cyrillic("shchuka", "ru") == "щука"
    assert letters_to_cyrillic("moy", "ru") == "мой"


def test_match_case() -> None:
    assert match_case("KOGDA", "когда") == "КОГДА"
    assert match_case("Kogda", "когда") == "Когда"
    assert match_case("kogda", "когда") == "когда"
