"""Find and redact personal data in comments before they are shown, exported or embedded.

IINs are checked by the official checksum and date rules, card numbers by Luhn, so ordinary
long numbers (contract numbers, amounts, years, house numbers) are left alone; an explicit
"ИИН"/"ЖСН" or "карта" before the digits is redacted even with a typo in them. The search runs
on the text with invisible characters removed (:mod:`tyndau.domain.text_chars`), so a zero-width
space or a soft hyphen cannot split an IIN into pieces that slip through; spans are reported in
the coordinates of the text given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from tyndau.domain.text_chars import clean_mapped, is_clean

Kind = Literal["iin", "phone", "email", "card", "account", "name", "flat"]
KINDS: tuple[str, ...] = ("iin", "card", "account", "email", "phone", "name", "flat")
PLACEHOLDERS: dict[str, str] = {
    "iin": "[ИИН]", "phone": "[телефон]", "email": "[e-mail]", "card": "[карта]", "account": "[счёт]", "name": "[имя]",
    "flat": "[квартира]",
}
# The same marks for a Kazakh reader. Stored and sent texts carry the Russian ones above (one
# redacted text for every viewer); a Kazakh screen or document swaps them as it shows the text.
# The screens' copy is ``pd.mark_*`` in ``config/i18n/{ru,kk}.privacy.json``.
PLACEHOLDERS_KK: dict[str, str] = {
    "iin": "[ЖСН]", "phone": "[телефон]", "email": "[e-mail]", "card": "[карта]", "account": "[шот]", "name": "[аты-жөні]",
    "flat": "[пәтер]",
}
_IIN_W1 = tuple(range(1, 12))
_IIN_W2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_CENTURY = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}

_S = r"[ \-./]"  # one separator people put between groups of digits
# 12 digits as written: together, or in the groupings people use (6+6, 6+3+3, 4+4+4, 3+3+3+3).
_IIN = re.compile(
    rf"(?<![\d])(?:\d{{12}}|\d{{6}}{_S}\d{{6}}|\d{{6}}{_S}\d{{3}}{_S}\d{{3}}|\d{{4}}{_S}\d{{4}}{_S}\d{{4}}"
    rf"|\d{{3}}{_S}\d{{3}}{_S}\d{{3}}{_S}\d{{3}})(?![\d])"
)
# "ИИН: 9501 0130 0125" — labelled by the writer, so redacted whatever the checksum says.
_IIN_CUED = re.compile(r"(?<![\w])(?i:иин|жсн|iin)\s?(?:[:№#—–-]\s?)?(?P<n>\d(?:[ \-./]?\d){11})(?![\d])")
_CARD = re.compile(r"(?<![\d])\d(?:[ \-.]?\d){12,18}(?![\d])")
_CARD_CUED = re.compile(
    r"(?<![\w])(?i:карт[аыуеойі]\w*|card|kaspi|каспи|visa|mastercard)\s?(?:[:№#—–-]\s?)?(?P<n>\d(?:[ \-.]?\d){15})(?![\d])"
)
_ACCOUNT = re.compile(r"(?<![\w])KZ\d{2}(?: ?[0-9A-Z]){16}(?![\w])", re.IGNORECASE)
_PH = r"[ \-./]?"
_PHONE = re.compile(
    # +7 / 8 / 7, then a 7xx (Kazakhstan) or 9xx (Russia) code and seven digits in any grouping,
    # or a longer city code in brackets: 8 (7172) 12-34-56, 8 (72775) 1-23-45
    rf"(?<![\d+])(?:(?:\+{_PH}7|8|7){_PH}(?:\(?{_PH}[79]\d{{2}}{_PH}\)?(?:{_PH}\d){{7}}"
    rf"|\(\s?7\d{{3}}\s?\)(?:{_PH}\d){{6}}|\(\s?7\d{{4}}\s?\)(?:{_PH}\d){{5}})"
    # or the bare ten digits of a 7xx number: (701) 123-45-67, 701 123 4567
    rf"|\(?7\d{{2}}\)?{_PH}\d{{3}}{_PH}\d{{2}}{_PH}\d{{2}})(?!\d)"
)
# After "тел" / "WhatsApp" any run of 6 to 14 digits is a phone, local numbers included.
_PHONE_CUED = re.compile(
    r"(?<![\w])(?i:тел(?:ефон\w*)?|моб(?:ильный|\.)?|сот(?:овый|\.)?|whats\s?app|ват[сц]ап|вотсап|ұялы)\.?\s?(?:[:№#—–-]\s?)?"
    r"(?P<n>\+?\d(?:[ \-()./]{0,2}\d){5,13})(?!\d)"
)
_AT = r"(?:@|＠|\s?[(\[](?i:at|собака)[)\]]\s?)"
_EMAIL = re.compile(rf"(?<![\w.+-])[\w.+-]+{_AT}[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{{2,}}(?![\w@])")
# A flat number: with the house it is where a family lives, not where the problem is ("ул. Абая 12,
# кв. 7" keeps the house, the problem's place). Not a count, an area or a temperature after the word
# ("в квартире 5 человек", "квартира 70 кв. м", "в квартире 16 градусов", "дом на 100 квартир"); in
# Kazakh only "пәтер 45" and the ordinal "45-пәтер" ("3 пәтер" is three flats). A range ("кв. 76-90")
# is a stairwell's flats, a place in the house.
_NOT_A_FLAT_NUMBER = (r"человек|чел\b|люд|реб[её]н|дет|жил|год|лет|месяц|мес\b|дн|недел|раз\b|час|минут|градус|комнат|этаж"
                      r"|м\b|м2|м²|кв\b|кв\.|квадрат|тыс|руб|тг\b|тенге|%|процент|сем|бала|адам|жыл|ай\b|күн|бөлме|-?[хтм]и?\b")
_FLAT = re.compile(
    r"(?<![\w])(?:(?i:кв)\.?|(?i:квартир[аеуы]|пәтер))\s*(?:№\s*)?\d{1,4}(?![.,]?\d)(?![сСcC°](?!\w))(?!\s?[-–—]\s?\d)"
    rf"(?:[а-яА-Я](?!\w))?(?:\s?(?:,|и|және)\s?\d{{1,4}}(?![.,]?\d))*(?!\s*(?i:{_NOT_A_FLAT_NUMBER}))"
    r"|(?<![\w])(?:№\s*)?\d{1,4}\s?-\s?(?i:пәтер\w*)"
)
_FLAT_HINTS = ("кв", "пәтер")
# Cheap tests first: most comments hold no run of six digits, no @ and no naming phrase.
_SIX_DIGITS = re.compile(r"\d(?:\D{0,3}\d){5}")
_EMAIL_HINTS = ("@", "＠", "(at)", "[at]", "собака")
_STRONG_HINTS = ("зов", "звать", "имя", "фамил", "фио", "ф.и.о", "атым", "есім", "аты-жөн", "тегім")
_WEAK_HINTS = (" я", "уважени", "құрметпен")
# Other scripts' digits and full-width punctuation read as ASCII, one character for one.
_DIGIT_ZEROS = (0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xFF10, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1FBF0)
_FOLD: dict[int, int | str] = {
    **{zero + i: 0x30 + i for zero in _DIGIT_ZEROS for i in range(10)},
    **{ord(a): b for a, b in zip("＋＠－．／（）\u2010\u2011\u2012\u2013\u2212", "+@-./()-----")},
}
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(c)) for c in _FOLD) + "]")

_UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІA-Z"
_LETTERS = "а-яёәғқңөұүһіa-zА-ЯЁӘҒҚҢӨҰҮҺІA-Z"
_WORD = re.compile(rf"[{_LETTERS}]+(?:-[{_LETTERS}]+)?")
_INITIALS = re.compile(rf"[{_UPPER}]\.(?:\s?[{_UPPER}]\.)?")
# Cues after which the next word is a name even in lower case ("меня зовут айгерим нурланова").
_STRONG_CUES = (
    r"меня\s+зовут", r"зовут\s+меня", r"меня\s+звать", r"мо[её]\s+имя", r"имя\s+мо[её]", r"моя\s+фамилия",
    r"фамилия\s+моя", r"ф\.?\s?и\.?\s?о\.?", r"менің\s+атым", r"менің\s+есімім", r"менің\s+аты-жөнім",
    r"аты-жөнім", r"атым", r"есімім", r"менің\s+тегім", r"тегім",
)
# Cues after which only a capitalised word is taken for a name ("я — Петров Иван", "С уважением, Иванов И.И.").
_WEAK_CUES = (r"я\s*[—–-]", r"я", r"с\s+уважением\s*,?", r"құрметпен\s*,?")
_STRONG = re.compile(rf"(?<![\w])(?i:{'|'.join(_STRONG_CUES)})(?![\w])\s*[:—–-]?\s*")
_WEAK = re.compile(rf"(?<![\w])(?i:{'|'.join(_WEAK_CUES)})(?![\w])\s*")
# A contact request with a colon, then a capitalised name ("Прошу связаться: Ахметов Серик, …").
_CONTACT_CUES = (r"(?:прошу\s+)?связаться(?:\s+со\s+мной)?\s*:", r"свяжитесь(?:\s+со\s+мной)?\s*:",
                 r"контактное\s+лицо\s*:", r"(?:маған\s+)?хабарласыңыз(?:дар)?\s*:")
_CONTACT = re.compile(rf"(?<![\w])(?i:{'|'.join(_CONTACT_CUES)})\s*")
_CONTACT_HINTS = ("связ", "свяж", "контакт", "хабарлас")
# "Мен Айгүлмін" / "Мен, Болат, ..." : a capitalised word right after "мен".
_NAME_KK_MEN = re.compile(
    rf"(?<![\w])(?i:мен)\s*,?\s+(?P<name>[{_UPPER}][{_LETTERS}]+)(?=(?:мын|мін|пын|пін|бын|бін)\b|\s*,)"
)
_SURNAME_LIKE = re.compile(
    r"(?:ов|ев|ёв|ин|ын|ова|ева|ёва|ина|ына|ский|ская|цкий|цкая|вич|вна|кызы|қызы|улы|ұлы|енко|ук|юк|бек|бай|бекова|баева|ханова)$"
)
_NOT_NAMES = frozenset("""
житель жительница жители пенсионер пенсионерка мама мать отец инвалид ветеран студент студентка учитель врач аким депутат
тоже вам вас здесь из с по на в во и а но или не я мы он она они это этот эта тут там уже еще ещё все всё вот так как
хочу хотела хотел хотим прошу просим живу проживаю обращаюсь пишу спрашиваю спросить задать вопрос жалуюсь работаю
соседи соседка сосед люди народ многодетная многодетный мать-одиночка одинокая безработный безработная
из-за насчет насчёт про у к от до для при без над под за через
тұрғын тұрғынмын зейнеткер ана әке ата мұғалім дәрігер және мен біз сіз ол бұл осы тұрамын сұрақ сұраймын
алматы астана шымкент каскелен қаскелең
""".split())


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


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def find_in_clean(text: str) -> list[Span]:
    """Spans of personal data in a text already cleaned of invisible characters, in order."""
    if not text:
        return []
    if _FOLDABLE.search(text):
        text = text.translate(_FOLD)
    found: list[Span] = []
    if _SIX_DIGITS.search(text):
        _numbers(text, found)
    lower = text.lower()
    if any(hint in lower for hint in _EMAIL_HINTS):
        found.extend(Span(m.start(), m.end(), "email") for m in _EMAIL.finditer(text))
    found.extend(_names(text, lower))
    if any(hint in lower for hint in _FLAT_HINTS):
        found.extend(Span(m.start(), m.end(), "flat") for m in _FLAT.finditer(text))
    return _without_overlaps(found) if found else found


def _numbers(text: str, found: list[Span]) -> None:
    """IINs, cards, accounts and phones."""
    for m in _IIN.finditer(text):
        if iin_is_valid(_digits(m.group(0))):
            found.append(Span(m.start(), m.end(), "iin"))
    for m in _IIN_CUED.finditer(text):
        found.append(Span(m.start("n"), m.end("n"), "iin"))
    for m in _CARD.finditer(text):
        digits = _digits(m.group(0))
        if 13 <= len(digits) <= 19 and luhn_is_valid(digits) and not iin_is_valid(digits):
            found.append(Span(m.start(), m.end(), "card"))
    for m in _CARD_CUED.finditer(text):
        found.append(Span(m.start("n"), m.end("n"), "card"))
    for m in _ACCOUNT.finditer(text):
        found.append(Span(m.start(), m.end(), "account"))
    for m in _PHONE.finditer(text):
        found.append(Span(m.start(), m.end(), "phone"))
    for m in _PHONE_CUED.finditer(text):
        found.append(Span(m.start("n"), m.end("n"), "phone"))


def find_personal_data(text: str) -> list[Span]:
    """Spans of IINs, cards, accounts, e-mails, phones, self-given names and flat numbers in ``text``, in order.

    The search runs on the cleaned text; the spans are mapped back to positions in ``text``.
    """
    if not text:
        return []
    if is_clean(text):
        return find_in_clean(text)
    cleaned = clean_mapped(text)
    spans = find_in_clean(cleaned.text)
    return [Span(*cleaned.raw_span(s.start, s.end), kind=s.kind) for s in spans]


def _names(text: str, lower: str) -> list[Span]:
    out: list[Span] = []
    spaced = " " + lower
    for rx, hints, strong in ((_STRONG, _STRONG_HINTS, True), (_WEAK, _WEAK_HINTS, False),
                              (_CONTACT, _CONTACT_HINTS, False)):
        if any(hint in spaced for hint in hints):
            for m in rx.finditer(text):
                span = _name_after(text, m.end(), strong)
                if span is not None:
                    out.append(span)
    if "мен" in lower:
        for m in _NAME_KK_MEN.finditer(text):
            if m.group("name").lower() not in _NOT_NAMES:
                out.append(Span(m.start("name"), m.end("name"), "name"))
    return out


def _name_after(text: str, pos: int, strong: bool) -> Span | None:
    """Up to three name words (or initials) starting at ``pos``."""
    start = end = -1
    words = 0
    at = pos
    while words < 3:
        initials = _INITIALS.match(text, at)
        word = None if initials else _WORD.match(text, at)
        m = initials or word
        if m is None:
            break
        token = m.group(0)
        lower = token.lower()
        if word is not None:
            capital = token[0].isupper()
            if lower in _NOT_NAMES:
                break
            if words == 0 and not (strong or capital):
                break
            if words > 0 and not (capital or _SURNAME_LIKE.search(lower)):
                break
        elif words == 0:
            break  # initials alone are not a name
        if start < 0:
            start = m.start()
        end = m.end()
        words += 1
        if text[end : end + 1] != " ":
            break
        at = end + 1
    return Span(start, end, "name") if words else None


_PRIORITY = {"iin": 0, "card": 1, "account": 2, "email": 3, "phone": 4, "name": 5, "flat": 6}


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """Keep the strongest of overlapping spans (IIN > card > account > e-mail > phone > name)."""
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


def localise_marks(text: str, lang: str | None) -> str:
    """``text`` with the redaction marks in ``lang`` ("[имя]" is "[аты-жөні]" for a Kazakh reader)."""
    if lang != "kk" or "[" not in text:
        return text
    for kind, mark in PLACEHOLDERS.items():
        if mark in text and PLACEHOLDERS_KK[kind] != mark:
            text = text.replace(mark, PLACEHOLDERS_KK[kind])
    return text
