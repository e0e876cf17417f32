"""Find the places a comment is about: streets, microdistricts, settlements, houses.

Russian and Kazakh markers ("ул. Абая 12", "Абай көшесі, 12", "мкр Айнабулак", "Қаскелең
ауылы", "№50 үйдің") plus an optional gazetteer (``config/gazetteer.toml``). Every place gets a
canonical key ("street:абай") so that the Russian and the Kazakh mention of one street meet.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

UP = "А-ЯЁӘҒҚҢӨҰҮҺІA-Z"
LO = "а-яёәғқңөұүһіa-z"
KK = "а-яёәғқңөұүһі"
_FOLD = str.maketrans("әғқңөұүһіё", "агкноуухие")
_CONNECTOR = r"(?:би|Би|батыр[а-я]*|Батыр[а-я]*|хан[а-я]?|ата|ана|ақын|акын[а-я]?|ұлы|улы)"
_NW = rf"[{UP}][{LO}]+(?:-[{UP}]?[{LO}]+)*"
_SURNAME_GEN = rf"[{UP}][{LO}]+(?:ова|ева|ина|ына|ого|ой|улы|ұлы)"
_NAME_RU = rf"{_NW}(?:\s+(?:{_CONNECTOR}|{_SURNAME_GEN})(?![{LO}]))?"
_NAME_KK = rf"{_NW}(?:\s+{_CONNECTOR}(?![{LO}]))?"
_NUM = r"\d{1,4}(?:\s?[а-яa-z](?![а-яa-z\d]))?(?:/\d{1,4})?"
_HOUSE_TAIL = rf"(?:\s*,?\s*(?:(?i:д\.|дом[а-я]*)\s*)?(?:№\s*)?(?P<num>{_NUM})(?![\d.,]?\d))?"
_W = r"(?<![\w.])"

STREET_RU = re.compile(
    rf"{_W}(?i:ул\.|ул(?=\s)|улиц[а-я]*|пр\.|пр-т|пр-кт|просп\.|проспект[а-я]*|пер\.|"
    rf"переул[а-я]*|бульвар[а-я]*|б-р|шоссе|трасс[а-я]+)\s*(?P<name>{_NAME_RU}){_HOUSE_TAIL}"
)
STREET_PO = re.compile(rf"{_W}(?i:по|на)\s+(?P<name>{_NW}){_HOUSE_TAIL}")
STREET_KK = re.compile(
    rf"(?<![\w])(?P<name>{_NAME_KK})\s+(?P<mk>(?i:көше[{KK}]*|даңғыл[{KK}]*|тұйы[{KK}]*))"
    rf"(?:\s*,?\s*(?:№\s*)?(?P<num>{_NUM})(?![\d.,]?\d))?"
)
MKR_RU = re.compile(
    rf"{_W}(?i:мкр\.?|мкрн\.?|мк-н|м-н|микрорайон[а-я]*)\s*"
    rf"(?P<name>\d{{1,3}}[а-я]?(?![\w])|{_NW}(?:[\s-]\d{{1,2}})?)"
)
MKR_NUM_FIRST = re.compile(
    rf"(?<![\w])(?P<name>\d{{1,3}})\s*-?(?:й|ий|ой|ші|шы)?\s*"
    rf"(?i:мкр\.?|мкрн\.?|микрорайон[а-я]*|(?:ықшам|шағын)\s+аудан[{KK}]*)"
)
MKR_KK = re.compile(
    rf"(?<![\w])(?P<name>{_NAME_KK})\s+(?P<mk>(?i:ықшам|шағын)\s+аудан[{KK}]*)"
)
RURAL_KK = re.compile(rf"(?<![\w])(?P<name>{_NAME_KK})\s+(?P<mk>(?i:ауылдық)\s+округ[{KK}]*)")
RURAL_RU = re.compile(
    rf"(?<![\w])(?P<name>{_NW})(?:ский|ского|скому|ском|ским)\s+"
    rf"(?P<mk>(?i:сельск[а-я]+\s+округ[а-я]*|с/о|с\.о\.))"
)
RURAL_RU_AFTER = re.compile(
    rf"{_W}(?i:сельск[а-я]+\s+округ[а-я]*|с/о|с\.о\.)\s*(?P<name>{_NW}(?:\s+[{LO}]+(?=\s*[,.!?]|$))?)"
)
SETTLEMENT_RU = re.compile(
    rf"{_W}(?i:с\.|село|сел[еау]|селом|пос\.|п\.|пгт\.?|пос[её]л[оке][а-я]*|аул[еау]?|г\.|"
    rf"город[а-я]*|деревн[а-я]+)\s*(?P<name>{_NAME_KK})"
)
SETTLEMENT_KK = re.compile(
    rf"(?<![\w])(?P<name>{_NAME_KK})\s+(?P<mk>(?i:ауыл(?!д)[{KK}]*|кент[{KK}]*|қала[{KK}]*|"
    rf"елді\s+мекен[{KK}]*))"
)
HOUSE_RU = re.compile(rf"{_W}(?i:дом[а-я]*|д\.)\s*(?:№\s*)?(?P<num>{_NUM})(?![\d.,]?\d)")
HOUSE_KK = re.compile(rf"(?<![\w/])(?:№\s*)?(?P<num>{_NUM})\s*(?:-\s*)?(?i:үй[{KK}]*)(?![\w])")
_SENTENCE_END = re.compile(r"[.!?\n]")
_LINK_DISTANCE = 80

_RU_SUFFIXES = ("а", "у", "е", "ом", "ем", "ым", "ой", "ы", "и")
_KK_SUFFIXES = (
    "да", "де", "та", "те", "нда", "нде", "га", "ге", "ка", "ке", "на", "не", "нан", "нен",
    "дан", "ден", "тан", "тен", "нын", "нин", "дын", "дин", "тын", "тин", "ны", "ни", "ды",
    "ди", "ты", "ти", "дагы", "деги", "тагы", "теги", "ндагы", "ндеги", "лык", "лик",
)


@dataclass(frozen=True, slots=True)
class Place:
    """A place mention: its kind, the name as shown, a canonical key and where it is."""

    kind: str
    name: str
    normalised_key: str
    span: tuple[int, int]


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One known place: kind, canonical name, key and spellings."""

    kind: str
    name: str
    key: str
    variants: tuple[str, ...] = ()


def fold(text: str) -> str:
    """Lower case with Kazakh letters and ё folded to Russian ones, same length as ``text``."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text).translate(_FOLD)


def strip_case(name: str, russian: bool = True) -> str:
    """A folded name in a conservative nominative: "Абая" -> "абай", "Сатпаева" -> "сатпаев"."""
    words = []
    for word in fold(name).split():
        if re.search(r"(?:ов|ев|ин|ын)ой$", word):
            word = word[:-2] + "а"
        elif re.search(r"(?:ов|ев|ин|ын)а$", word):
            word = word[:-1]
        elif re.search(r"(?:ба[яюе]|[еоуэю]я)$", word):
            word = word[:-1] + "й"
        elif re.search(r"(?:ск|цк)(?:ого|ому|ом)$", word):
            word = re.sub(r"(?:ого|ому|ом)$", "ий", word)
        elif re.search(r"(?:ск|цк|н|в)(?:ой|ую)$", word):
            word = word[:-2] + "ая"
        elif russian and len(word) >= 4 and re.search(r"[бвгджзклмнпрстфхцчшщ]а$", word):
            word = word[:-1]
        elif russian and len(word) >= 5 and re.search(r"[лнр]я$", word):
            word = word[:-1] + "ь"
        words.append(word)
    return " ".join(words)


class Gazetteer:
    """Known places, matched case- and inflection-tolerantly in folded text."""

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self.entries = tuple(entries)
        self._by_name: dict[tuple[str, str], GazetteerEntry] = {}
        forms: dict[str, GazetteerEntry] = {}
        for entry in self.entries:
            for spelling in (entry.name, *entry.variants):
                for russian in (True, False):
                    self._by_name.setdefault((entry.kind, strip_case(spelling, russian)), entry)
                for form in _inflected(fold(spelling)):
                    forms.setdefault(form, entry)
        self._forms = forms
        alts = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        suffixes = "|".join(sorted({*_RU_SUFFIXES, *_KK_SUFFIXES}, key=len, reverse=True))
        self._regex = re.compile(rf"(?<![\w-])(?P<form>{alts})(?:{suffixes})?(?![\w])") if forms else None

    @classmethod
    def from_toml(cls, path: str | Path | None = None) -> Gazetteer:
        """Read ``config/gazetteer.toml`` (or ``path``); a missing file gives an empty gazetteer."""
        if path is None:
            res = resources.files("tyndau.config").joinpath("gazetteer.toml")
            data: dict[str, Any] = tomllib.loads(res.read_text(encoding="utf-8")) if res.is_file() else {}
        else:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        return cls(
            GazetteerEntry(p["kind"], p["name"], p.get("key") or f"{p['kind']}:{strip_case(p['name'])}",
                           tuple(p.get("variants", ())))
            for p in data.get("place", ())
        )

    def lookup(self, kind: str, name: str, russian: bool) -> GazetteerEntry | None:
        """The entry of ``kind`` whose spelling matches ``name`` after case stripping."""
        return (self._by_name.get((kind, strip_case(name, russian)))
                or self._by_name.get((kind, fold(name))))

    def find(self, text: str) -> list[tuple[GazetteerEntry, tuple[int, int]]]:
        """Every gazetteer place mentioned in ``text`` with its span."""
        if self._regex is None:
            return []
        return [(self._forms[m.group("form")], m.span()) for m in self._regex.finditer(fold(text))]


def _inflected(form: str) -> set[str]:
    out = {form}
    if form.endswith(("й", "ь")):
        out.update(form[:-1] + end for end in ("я", "ю", "е", "ем"))
    elif form.endswith("а") and len(form) > 3:
        out.update(form[:-1] + end for end in ("ы", "е", "у", "ой"))
    return out


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, read once per process."""
    return Gazetteer.from_toml()


def extract_places(text: str, gazetteer: Gazetteer | None = None) -> list[Place]:
    """Places in ``text``, in order of appearance; houses are keyed to a nearby street."""
    if not text:
        return []
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    found: list[Place] = []
    houses: list[tuple[str, tuple[int, int]]] = []

    def add(kind: str, m: re.Match[str], russian: bool, key_name: str | None = None) -> None:
        raw = m.group("name")
        start, end = m.start(), max(m.end("name"), m.end("mk") if "mk" in m.re.groupindex else 0)
        entry = gaz.lookup(kind, raw, russian)
        if entry is not None:
            found.append(Place(kind, entry.name, entry.key, (start, end)))
        else:
            name = key_name or strip_case(raw, russian and kind == "street")
            found.append(Place(kind, raw, f"{kind}:{name}", (start, end)))
        num = m.groupdict().get("num")
        if num:
            houses.append((num, m.span("num")))

    for rx, kind, russian in (
        (RURAL_KK, "rural_district", False), (RURAL_RU, "rural_district", True),
        (RURAL_RU_AFTER, "rural_district", False),
        (STREET_RU, "street", True), (STREET_KK, "street", False),
        (MKR_RU, "microdistrict", True), (MKR_NUM_FIRST, "microdistrict", False),
        (MKR_KK, "microdistrict", False), (SETTLEMENT_RU, "settlement", True),
        (SETTLEMENT_KK, "settlement", False),
    ):
        for m in rx.finditer(text):
            if m.group("name") and not _overlaps(m.span(), found):
                add(kind, m, russian)
    for m in STREET_PO.finditer(text):
        if _overlaps(m.span(), found):
            continue
        if m.group("num") or gaz.lookup("street", m.group("name"), True):
            add("street", m, True)
    for rx in (HOUSE_RU, HOUSE_KK):
        for m in rx.finditer(text):
            if not any(s == m.span("num") for _, s in houses) and not _overlaps(m.span("num"), found):
                houses.append((m.group("num"), m.span("num")))
    for entry, span in gaz.find(text):
        # Bare names need a capital; streets always need a marker ("школа имени Абая").
        if entry.kind != "street" and text[span[0]].isupper() and not _overlaps(span, found):
            found.append(Place(entry.kind, entry.name, entry.key, span))
    streets = [p for p in found if p.kind == "street"]
    areas = [p for p in found if p.kind in ("microdistrict", "settlement")]
    for num, span in houses:
        street = _nearest_street(text, span, streets) or _nearest_street(text, span, areas)
        number = re.sub(r"\s", "", num.lower())
        key = f"house:{street.normalised_key.split(':', 1)[1]}/{number}" if street else f"house:{number}"
        found.append(Place("house", num, key, span))
    return sorted(found, key=lambda p: p.span)


def _overlaps(span: tuple[int, int], places: Iterable[Place]) -> bool:
    return any(span[0] < p.span[1] and p.span[0] < span[1] for p in places)


def _nearest_street(text: str, span: tuple[int, int], streets: list[Place]) -> Place | None:
    """The closest of ``streets`` in the same sentence as the house number at ``span``."""
    best: tuple[int, Place] | None = None
    for street in streets:
        lo, hi = (street.span[1], span[0]) if street.span[0] < span[0] else (span[1], street.span[0])
        gap = text[lo:hi] if hi > lo else ""
        if len(gap) > _LINK_DISTANCE or _ends(gap):
            continue
        if best is None or len(gap) < best[0]:
            best = (len(gap), street)
    return best[1] if best else None


def _ends(gap: str) -> bool:
    """True when a sentence ends inside ``gap`` (the dot of "ул." or "д." does not count)."""
    for m in _SENTENCE_END.finditer(gap):
        if m.group(0) != "." or not re.search(r"(?i:\bул|\bпр|\bд|\bмкр|\bпросп|\bпер|\bс|\bп|\bг|\bмкрн)$", gap[: m.start()]):
            return True
    return False
