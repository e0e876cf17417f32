"""The forms of personal data people really write, the invisible-character splits, and the
numbers that must stay (house numbers, years, sums); and the one text-safety function around it."""

from __future__ import annotations

import pytest

from tests.pd_forms import FORMS, KEEP, RLO, ZW
from tyndau.domain.personal_data import find_personal_data, redact
from tyndau.domain.text_chars import clean, clean_mapped, is_clean, storable
from tyndau.domain.text_safety import DOCUMENT, LINE, ORIGINAL, PUBLIC, comment_text, safe, safe_text


def _squashed(text: str) -> str:
    return "".join(ch for ch in clean(text).casefold() if ch not in " -./()\u2012+:")


@pytest.mark.parametrize(("text", "secret"), FORMS)
def test_every_form_is_redacted_in_the_public_view(text: str, secret: str) -> None:
    shown = safe(text, PUBLIC)
    assert secret.casefold() not in _squashed(shown), shown
    assert "[" in shown
    assert safe_text(text, PUBLIC).hidden


@pytest.mark.parametrize(("text", "secret"), FORMS)
def test_spans_in_the_raw_text_cover_the_secret_too(text: str, secret: str) -> None:
    """Redacting the stored original by the mapped spans hides the data as well (the API's ``text``)."""
    assert secret.casefold() not in _squashed(redact(text))
    assert secret.casefold() not in _squashed(comment_text(text).text)


@pytest.mark.parametrize("text", KEEP)
def test_ordinary_numbers_and_phrases_are_left_alone(text: str) -> None:
    assert safe(text, PUBLIC) == clean(text)
    assert find_personal_data(text) == []


def test_documents_and_lines_redact_after_cleaning_and_clip_last() -> None:
    text = f"Тел 8{ZW}701{ZW}555{ZW}66{ZW}77 " + "вода " * 100
    assert safe(text, LINE, limit=30).startswith("Тел [телефон]") and safe(text, LINE, limit=30).endswith("…")
    # a clip never cuts a number in half and leaves its digits readable
    assert "8701" not in safe(f"звоните {'x' * 5} 8 701 555 66 77", DOCUMENT, limit=15)
    assert safe("a\n\n\n\nb\r\nc\u2028d", DOCUMENT) == "a\n\nb\nc\nd"
    assert safe("a\nb", LINE) == "a b"


def test_the_original_profile_only_cleans() -> None:
    assert safe(f"тел {RLO}8 701 555 66 77", ORIGINAL) == "тел 8 701 555 66 77"


@pytest.mark.parametrize("text", [f"a{ZW}b  c", " x ", "a\n\n\nb", "\x00y", "e\u200dx", "👨\u200d👩\u200d👧 ok", "плain", "", "\u200b"])
def test_clean_mapping_points_back_at_the_original(text: str) -> None:
    mapped = clean_mapped(text)
    assert mapped.text == clean(text)
    if is_clean(text):  # the fast test may say "dirty" for a clean text (an emoji's joiner), never the reverse
        assert clean(text) == text
    for i, ch in enumerate(mapped.text):
        if ch not in " \n":
            assert text[mapped.raw_offset(i)] == ch


def test_emoji_sequences_keep_their_joiners_and_stray_joiners_go() -> None:
    assert clean("👨\u200d👩\u200d👧") == "👨\u200d👩\u200d👧"
    assert clean("9501\u200d01300125") == "950101300125"


def test_storable_replaces_only_what_the_store_refuses() -> None:
    assert storable("a\x00b\ud800c\u200b") == "a\ufffdb\ufffdc\u200b"
    assert storable(None) == "" and storable(5) == "5"


def test_comment_text_keeps_other_characters_as_received() -> None:
    raw = f"<b>{RLO}вода</b> тел 8{ZW}701{ZW}555{ZW}66{ZW}77"
    views = comment_text(raw)
    assert views.text == f"<b>{RLO}вода</b> тел [телефон]"
    assert views.display == "<b>вода</b> тел [телефон]"
    assert views.hidden == ("phone",)
