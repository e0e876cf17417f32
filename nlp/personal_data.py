"""Find and redact personal data in comments before they are shown, exported or embedded.

IINs are checked by the official checksum and date rules, card numbers by Luhn, so ordinary
long numbers (contract numbers, amounts) are left alone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Kind = Literal["iin", "phone", "email", "card", "name"]
PLACEHOLDERS: dict[str, str] = {
    "iin": "[ИИН]", "phone": "[телефон]", "email": "[e-mail]", "card": "[карта]", "name": "[имя]",
}
_IIN_W1 = tuple(range(1, 12))
_IIN_W2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_CENTURY = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}

_DIGITS_12 = re.compile(r"(?<![\d])\d{12}(?!\d)")
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d])")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\s?7|8|7)?[\s\-]?\(?\s?(7\d{2})\s?\)?[\s\-]?\d{3}[\s\-]?\d{2}[\s\-]?\d{2}(?!\d)"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w@])")
_UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІA-Z"
_LOWER = "а-яёәғқңөұүһіa-z"
_NAME_WORD = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_INITIALS = rf"(?:\s+[{_UPPER}]\.\s?(?:[{_UPPER}]\.)?)?"
_NAME = rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}{_INITIALS})"
_NAME_CUES = (
    r"меня\s+зовут", r"зовут\s+меня", r"мо[её]\s+имя", r"моя\s+фамилия", r"фио\s*[:\-–—]?",
    r"я\s*[—–-]\s*", r"с\s+уважением\s*,?", r"менің\s+атым", r"менің\s+есімім", r"атым",
    r"есімім", r"құрметпен\s*,?", r"аты-жөнім",
)
_NAME_AFTER_CUE = re.compile(
    rf"(?<![\w])(?i:{'|'.join(_NAME_CUES)})\s*{_NAME}"
)
# "Мен Айгүлмін" / "Мен, Болат, ..." : a capitalised word right after "мен".
_NAME_KK_MEN = re.compile(
    rf"(?<![\w])(?i:мен)\s*,?\s+(?P<name>{_NAME_WORD})(?=(?:мын|мін|пын|пін|бын|бін)\b|\s*,)"
)
_NOT_NAMES = frozenset(
    ["житель", "жительница", "жители", "пенсионер", "пенсионерка", "мама", "мать", "отец", "инвалид", "ветеран", "студент", "студентка", "учитель", "врач", "аким", "депутат", "тоже", "вам", "вас", "здесь", "из", "с", "по", "на", "житель", "тұрғын", "тұрғынмын", "зейнеткер", "ана", "әке", "ата", "мұғалім", "дәрігер", "алматы", "астана", "шымкент"]
)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A piece of personal data at ``text[start:end]``."""

    start: int
    end: int
    kind: Kind


def iin_is_valid(iin: str) -> bool:
    """True for a 12-digit Kazakhstan IIN with a valid birth date, century digit and checksum."""
    if len(iin) != 12 or not iin.isdigit():
        return False
    d = [int(c) for c in iin]
    if d[6] not in _CENTURY:
        return False
    try:
        dt.date(_CENTURY[d[6]] + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return False
    return iin_check_digit(iin[:11]) == d[11]


def iin_check_digit(first11: str) -> int | None:
    """The 12th digit for the first eleven, or None when no check digit exists (sum 10 twice)."""
    d = [int(c) for c in first11]
    s = sum(w * x for w, x in zip(_IIN_W1, d)) % 11
    if s == 10:
        s = sum(w * x for w, x in zip(_IIN_W2, d)) % 11
    return None if s == 10 else s


def luhn_is_valid(number: str) -> bool:
    """Luhn checksum of a string of digits."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        n = int(ch)
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def find_personal_data(text: str) -> list[Span]:
    """Spans of IINs, card numbers, phone numbers, e-mails and self-given names, in order."""
    if not text:
        return []
    found: list[Span] = []
    for m in _DIGITS_12.finditer(text):
        if iin_is_valid(m.group(0)):
            found.append(Span(m.start(), m.end(), "iin"))
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if 13 <= len(digits) <= 19 and luhn_is_valid(digits) and not iin_is_valid(digits):
            found.append(Span(m.start(), m.end(), "card"))
    for m in _EMAIL.finditer(text):
        found.append(Span(m.start(), m.end(), "email"))
    for m in _PHONE.finditer(text):
        found.append(Span(m.start(), m.end(), "phone"))
    for rx in (_NAME_AFTER_CUE, _NAME_KK_MEN):
        for m in rx.finditer(text):
            span = _name_span(m)
            if span is not None:
                found.append(span)
    return _without_overlaps(found)


def _name_span(m: re.Match[str]) -> Span | None:
    start, end = m.span("name")
    words = m.group("name").split()
    while words and words[-1].lower().strip(".") in _NOT_NAMES:
        words.pop()
    if not words or words[0].lower() in _NOT_NAMES:
        return None
    end = start + len(" ".join(words)) if len(words) < len(m.group("name").split()) else end
    return Span(start, end, "name")


_PRIORITY = {"iin": 0, "card": 1, "email": 2, "phone": 3, "name": 4}


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """Keep the strongest of overlapping spans (IIN > card > e-mail > phone > name)."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (_PRIORITY[s.kind], s.start, -s.end)):
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept)


def redact(text: str, spans: Sequence[Span] | None = None) -> str:
    """``text`` with each span replaced by its placeholder ("[ИИН]", "[телефон]" ...)."""
    if spans is None:
        spans = find_personal_data(text)
    out: list[str] = []
    pos = 0
    for span in sorted(spans):
        if span.start < pos:
            continue
        out.append(text[pos : span.start])
        out.append(PLACEHOLDERS[span.kind])
        pos = span.end
    out.append(text[pos:])
    return "".join(out)
