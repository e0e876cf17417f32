"""normalise: cleaning, emoji, squeezing, tokens, transliteration, caps and hostile input."""

from __future__ import annotations

import pytest

from tyndau.nlp.normalise import MAX_INPUT_CHARS, MAX_MODEL_CHARS, normalise


def test_empty_and_none() -> None:
    for raw in ("", None, b"", "   \n\t "):
        n = normalise(raw)
        assert n.text == "" and n.empty and "empty" in n.flags
        assert n.emoji_count == 0 and not n.emoji_only


def test_emoji_only_is_counted_and_flagged() -> None:
    n = normalise("😍😍❤️👍🏻 🇰🇿 👨‍👩‍👧")
    assert n.text == ""
    assert n.emoji_only and "emoji_only" in n.flags
    assert n.emoji_count == 6  # a ZWJ family, a flag and a skin-toned thumb count once each
    assert "😍" in n.display


def test_emoji_removed_from_model_text_but_kept_for_display() -> None:
    n = normalise("Спасибо аким 👍👍")
    assert n.text == "Спасибо аким"
    assert n.emoji_count == 2 and not n.emoji_only
    assert n.display == "Спасибо аким 👍👍"


def test_control_zero_width_and_bidi_characters_are_removed() -> None:
    n = normalise("во\u200bда\u202e нет\x00\x07 света\ufeff\u2066")
    assert n.text == "вода нет света"
    assert n.had_controls and "controls" in n.flags


def test_invalid_surrogates_and_bytes_do_not_raise() -> None:
    assert normalise("abc\ud800def\udfff").text == "abcdef"
    garbage = bytes(range(256)) * 50
    n = normalise(garbage)
    assert isinstance(n.text, str)
    assert "\x00" not in n.display


def test_nfkc_keeps_numero_sign() -> None:
    n = normalise("дом №５ ｆｕｌｌ")
    assert "№5" in n.text
    assert "full" in n.text


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ооооочень плохоооо!!!!!!", "очень плохо!!!"),
        ("спасибоооо", "спасибо"),
        ("ваууууу", "вауу"),  # unknown word: squeezed to two letters only
        ("сообщение", "сообщение"),  # legitimate doubles stay
    ],
)
def test_repeated_letters(raw: str, expected: str) -> None:
    assert normalise(raw).text == expected


def test_urls_mentions_hashtags() -> None:
    n = normalise("Смотрите https://t.me/x?y=1 и www.example.kz, @akim_almaty #СуЖоқ #вода_нет")
    assert n.text == "Смотрите <url> и <url>, <user> Су Жоқ вода нет"
    assert n.url_count == 2 and n.mention_count == 1
    assert n.hashtags == ("СуЖоқ", "вода_нет")


def test_email_is_not_a_mention_or_url() -> None:
    assert normalise("пишите user@mail.ru").text == "пишите user@mail.ru"


@pytest.mark.parametrize(
    "raw, expected, lang",
    [
        ("kogda budet voda?", "когда будет вода?", "ru"),
        ("Privet, u nas net sveta uzhe tri dnya", "Привет, у нас нет света уже три дня", "ru"),
        ("kogda pochinyat dorogi v nashem sele", "когда починят дороги в нашем селе", "ru"),
        ("su joq", "су жоқ", "kk"),
        ("auyl", "ауыл", "kk"),
        ("Ote jaksi eken.", "Өте жақсы екен.", "kk"),
        ("Öte qymbat! Qate körsetedı", "Өте қымбат! Қате көрсетеді", "kk"),
        ("Abai koshesi 12 uy, su joq", "Абай көшесі 12 үй, су жоқ", "kk"),
        ("Men o'zim bardym", "Мен өзім бардым", "kk"),
    ],
)
def test_translit_to_cyrillic(raw: str, expected: str, lang: str) -> None:
    n = normalise(raw)
    assert n.text == expected
    assert n.translit_lang == lang and "translit" in n.flags


@pytest.mark.parametrize(
    "raw",
    [
        "I love you",
        "Good job, thanks!",
        "I am on the way",
        "to be or not to be",
        "Kaspi Gold",
        "nice app, very good",
        "Советую всем omron.)",
        "Лучший банк Kaspi",
        "iPhone 15 Pro Max",
        "могу ли я пойти в Central Park вечером",
        "Kaspi Bank лучший",
    ],
)
def test_english_brands_and_lone_latin_words_are_left_alone(raw: str) -> None:
    n = normalise(raw)
    assert n.text == raw
    assert n.translit_words == 0


def test_english_inside_russian_translit_is_kept() -> None:
    assert normalise("ne rabotaet internet v sele").text == "не работает internet в селе"


def test_mixed_script_homoglyphs_are_fixed() -> None:
    assert normalise("пpивeт, вoдa нет").text == "привет, вода нет"  # Latin p, e, o, a inside


def test_code_mixed_cyrillic_is_untouched() -> None:
    raw = "Маған ұнады как будто айфон"
    assert normalise(raw).text == raw


def test_long_text_is_clipped_with_a_flag() -> None:
    raw = ("Когда починят дорогу на улице Абая? " * 400) + "конец"
    n = normalise(raw)
    assert n.clipped and "clipped" in n.flags
    assert len(n.text) <= MAX_MODEL_CHARS
    assert not n.text.endswith(" ")
    huge = normalise("а б " * 100_000)
    assert huge.clipped and len(huge.display) <= MAX_INPUT_CHARS


def test_whitespace_is_tidied() -> None:
    assert normalise("  много   пробелов\n\n\n\nи строк  ").text == "много пробелов\n\nи строк"
