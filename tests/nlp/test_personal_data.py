"""Personal data: IIN (checksum and date), phones, e-mails, cards (Luhn), self-given names."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from tyndau.domain.personal_data import (
    KINDS,
    PLACEHOLDERS,
    PLACEHOLDERS_KK,
    Span,
    find_personal_data,
    iin_check_digit,
    iin_is_valid,
    localise_marks,
    luhn_is_valid,
    redact,
)
from tyndau.domain.text_safety import safe
from tyndau.nlp.taxonomy import config_path

W1 = list(range(1, 12))
W2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]


def reference_check_digit(first11: str) -> int | None:
    """The published IIN algorithm, written out again independently for the test."""
    digits = [int(c) for c in first11]
    control = sum(a * b for a, b in zip(digits, W1)) % 11
    if control == 10:
        control = sum(a * b for a, b in zip(digits, W2)) % 11
        if control == 10:
            return None
    return control


def make_iin(birth: dt.date, century_sex: int, serial: str) -> str | None:
    first11 = birth.strftime("%y%m%d") + str(century_sex) + serial
    check = reference_check_digit(first11)
    return None if check is None else first11 + str(check)


def valid_iins(n: int) -> list[str]:
    rng = random.Random(7)
    out: list[str] = []
    while len(out) < n:
        year = rng.randint(1930, 2015)
        birth = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        sex = rng.choice((3, 4)) if year < 2000 else rng.choice((5, 6))
        iin = make_iin(birth, sex, f"{rng.randint(0, 9999):04d}")
        if iin:
            out.append(iin)
    return out


@pytest.mark.parametrize("iin", valid_iins(30))
def test_valid_iins(iin: str) -> None:
    assert iin_is_valid(iin)
    assert iin_check_digit(iin[:11]) == int(iin[11])
    spans = find_personal_data(f"Мой ИИН {iin}, помогите")
    assert spans == [Span(8, 20, "iin")]


def test_invalid_iins() -> None:
    good = valid_iins(1)[0]
    wrong_check = good[:11] + str((int(good[11]) + 1) % 10)
    bad_date = "901301" + good[6:]  # month 13
    bad_century = good[:6] + "9" + good[7:]
    for bad in (wrong_check, bad_date, bad_century, "123456789012", "000000000000", good[:11]):
        assert not iin_is_valid(bad)
        assert not any(s.kind == "iin" for s in find_personal_data(f"номер {bad}"))


@pytest.mark.parametrize(
    "text",
    [
        "+7 701 123 45 67", "+7 (701) 123-45-67", "8 777 123 45 67", "87011234567",
        "8(727)2501234", "+77011234567", "8-705-123-45-67",
    ],
)
def test_phones(text: str) -> None:
    spans = find_personal_data(f"звоните {text} вечером")
    assert [s.kind for s in spans] == ["phone"]
    assert spans[0].start == len("звоните ") and spans[0].end == len("звоните ") + len(text)


def test_email_and_card() -> None:
    text = "пишите на test.user+1@mail.kz, карта 4111 1111 1111 1111 или 5500-0000-0000-0004"
    spans = find_personal_data(text)
    assert [s.kind for s in spans] == ["email", "card", "card"]
    assert redact(text, spans) == "пишите на [e-mail], карта [карта] или [карта]"
    assert luhn_is_valid("4111111111111111") and not luhn_is_valid("4111111111111112")
    assert find_personal_data("договор 4111 1111 1111 1112") == []


@pytest.mark.parametrize(
    "text, name",
    [
        ("Меня зовут Айгүл Серікова, живу в Каскелене", "Айгүл Серікова"),
        ("Здравствуйте, я — Петров Иван, житель дома 5", "Петров Иван"),
        ("С уважением, Иванов И.И.", "Иванов И.И."),
        ("Менің атым Болат, Абай көшесінде тұрамын", "Болат"),
        ("Мен Айгүлмін, 3 балам бар", "Айгүлмін"),
        ("Құрметпен, Серік Әлиев", "Серік Әлиев"),
        ("Прошу связаться: Ахметов Серик, ул. Наурызбай батыра 112", "Ахметов Серик"),  # the demo chat's comment
        ("свяжитесь со мной: Айгерим Нурланова", "Айгерим Нурланова"),
        ("Маған хабарласыңыз: Болат Серіков", "Болат Серіков"),
    ],
)
def test_names(text: str, name: str) -> None:
    spans = [s for s in find_personal_data(text) if s.kind == "name"]
    assert [text[s.start : s.end] for s in spans] == [name]
    assert "[имя]" in redact(text)


def test_no_false_names() -> None:
    for text in ("я — житель этого района", "с уважением, жители дома 5", "меня зовут соседи",
                 "Прошу связаться с Водоканалом", "Прошу связаться - Водоканал не отвечает",
                 "связаться со мной по телефону"):
        assert not [s for s in find_personal_data(text) if s.kind == "name"]


def test_everything_together_and_edge_cases() -> None:
    iin = valid_iins(1)[0]
    text = f"Меня зовут Асель. ИИН {iin}. Тел: 8 701 123 45 67, e-mail asel@gmail.com"
    assert redact(text) == "Меня зовут [имя]. ИИН [ИИН]. Тел: [телефон], e-mail [e-mail]"
    assert find_personal_data("") == [] and redact("") == ""
    assert find_personal_data("😍😍") == []
    long = ("вода нет " * 1200) + iin
    assert find_personal_data(long)[-1].kind == "iin"
    assert find_personal_data("\x00\u202e" + iin)[0].kind == "iin"


def test_marks_in_the_readers_language() -> None:
    iin = valid_iins(1)[0]
    text = f"Меня зовут Асель, ИИН {iin}, тел 8 701 123 45 67"
    assert safe(text, lang="kk") == "Меня зовут [аты-жөні], ИИН [ЖСН], тел [телефон]"
    assert safe(text, lang="ru") == safe(text) == "Меня зовут [имя], ИИН [ИИН], тел [телефон]"
    # a text stored redacted (a draft's wording, a quote) gets the reader's marks too
    assert localise_marks("Прошу связаться: [имя], счёт [счёт]", "kk") == "Прошу связаться: [аты-жөні], счёт [шот]"
    assert localise_marks("[имя]", "ru") == localise_marks("[имя]", None) == "[имя]"
    # every kind has a Kazakh mark, and the screens' catalogues say the same as the server
    assert set(PLACEHOLDERS_KK) == set(PLACEHOLDERS) == set(KINDS)
    for lang, marks in (("ru", PLACEHOLDERS), ("kk", PLACEHOLDERS_KK)):
        catalogue = json.loads((config_path("i18n") / f"{lang}.privacy.json").read_text(encoding="utf-8"))
        assert {k: catalogue[f"pd.mark_{k}"] for k in KINDS} == marks
    # clipping counts the mark as shown
    assert len(safe("Меня зовут Асель " + "вода " * 100, limit=40, lang="kk")) <= 40


def test_flat_numbers() -> None:
    assert redact("Прошу связаться: Ахметов Серик, ул. Наурызбай батыра 112, кв. 7") == "Прошу связаться: [имя], ул. Наурызбай батыра 112, [квартира]"
    assert redact("предоставить соседям (кв 103 и 104) доступ") == "предоставить соседям ([квартира]) доступ"
    assert redact("Квартиры 10, 14: недостаточный уровень") == "[квартира]: недостаточный уровень"
    assert redact("кв. 7, 12 лет живём без ремонта") == "[квартира], 12 лет живём без ремонта"  # the years stay
    assert redact("Абай көшесі 12, 45-пәтер") == "Абай көшесі 12, [квартира]"
