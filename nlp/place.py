"""Find the places a comment is about: streets with houses, microdistricts, settlements, bus routes.

Russian, Kazakh and Latin-script markers ("ул. Абая 12", "Абай көшесі, 12", "Тихорецкий проспект,
9 к3", "мкр Айнабулак", "Қаскелең ауылы", "№50 үйдің", "автобус 102", "515 маршрут") plus the
akimat's gazetteer (``config/gazetteer.toml``), matched word by word through
:func:`place_keys.name_key`, so the Russian, Kazakh and transliterated mention of one place get
one key ("street:абай", "house:абай/12", "settlement:иргели", "route:102"). A bus route is where
a transport problem is: two comments on route 102 are about one thing, and routes 102 and 515 two.
A highway between two towns ("трасса Каскелен — Алматы") is a street keyed by both ends, and the
road to a village ("дорога в Шамалган") one keyed by its end.
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

from .place_keys import fold, house_number, is_adjectival, name_key, strip_case

__all__ = ["Gazetteer", "GazetteerEntry", "Place", "default_gazetteer", "extract_places", "fold", "strip_case"]

UP = "А-ЯЁӘҒҚҢӨҰҮҺІA-Z"
LO = "а-яёәғқңөұүһіa-z"
KK = "а-яёәғқңөұүһі"
_CONT = r"(?:би|Би|батыр[а-я]*|Батыр[а-я]*|хан[а-я]?|ата|ана|ақын|акын[а-я]?|ұлы|улы|жолы|Жолы|жол|канала|реки|острова|bi|batyr|zholy)"
_CAP = rf"[{UP}][{LO}]+(?:-[{UP}]?[{LO}]+)*"
_NAME = rf"{_CAP}(?:\s+(?:{_CONT}|{_CAP})(?![{LO}]))?"
_NAME_KK = rf"{_CAP}(?:\s+{_CONT}(?![{LO}]))?"
_ORDINAL = r"\d{1,2}\s*-?\s*(?:й|я|е|ий|ый|ая|ое|ой|го|м|ом|ем|ю|ую)\s+"
_NUM = (r"\d{1,4}(?:-?[а-яa-z](?![а-яa-z\d]))?(?:/\d{1,4})?"
        r"(?:\s*,?\s*(?i:корпус|корп\.?|к\.?)\s*\d{1,3}(?![\d]))?")
_HOUSE_TAIL = rf"(?:\s*,?\s*(?:(?i:д\.|дом[а-я]*)\s*)?(?:№\s*)?(?P<num>{_NUM})(?![\d.,]?\d))?"
_W = r"(?<![\w.])"
_TITLE = r"(?:Академика|Маршала|Генерала|Адмирала|Комиссара|Профессора|Героя|Героев|Братьев|Юрия|Кабанбай|Толе)"
_RU_TYPES = (r"ул\.|пр\.|пр-т|пр-кт|улиц[а-я]*|проспект[а-я]*|шоссе|переул[а-я]*|дорог[аиеу]|проезд[а-я]*|бульвар[а-я]*|"
             r"набережн[а-я]+|площад(?:ь|и|ью)(?![а-я])|лини[яиюей]|алле[яиюей]|тупик[а-я]*")

STREET_RU = re.compile(
    rf"{_W}(?P<mk>(?i:ул\.|ул(?=\s)|улиц[а-я]*|пр\.|пр-т|пр-кт|просп\.|проспект[а-я]*|пер\.|переул[а-я]*|"
    rf"бульвар[а-я]*|б-р|шоссе|трасс[а-я]+|наб\.|набережн[а-я]+|пл\.|площад[а-я]+|проезд[а-я]*|"
    rf"ul\.|ulitsa|ulica|prospekt|pr\.))\s*(?P<name>(?:{_ORDINAL})?{_NAME}){_HOUSE_TAIL}"
)
STREET_RU_NAME_FIRST = re.compile(
    rf"(?<![\w-])(?P<name>(?:{_ORDINAL})?(?:{_TITLE}\s+)?(?:[{UP}][{LO}]{{2,}}(?:-[{UP}]?[{LO}]+)*|"
    rf"[а-яёa-z]{{3,}}))\s+(?P<mk>(?i:{_RU_TYPES}|ulitsa|ulica|koshesi|dangyly|prospekt)){_HOUSE_TAIL}"
)
STREET_PO = re.compile(rf"{_W}(?i:по|на)\s+(?P<name>{_CAP}){_HOUSE_TAIL}")
# "на Толе би", "по Наурызбай батыра": a known street of two words after the same prepositions.
_PO_BEFORE = re.compile(r"(?<![\w.])(?i:по|на)\s+$")
STREET_BARE = re.compile(rf"(?<![\w.-])(?P<name>{_CAP})\s*,?\s+(?:(?i:д\.|дом)\s*)?(?P<num>{_NUM})(?![\d.,:]?\d)(?!\s*(?i:этаж|кв|парадн|подъезд|год|г\.|мкр))")
STREET_KK = re.compile(
    rf"(?<![\w-])(?P<name>{_NAME_KK})\s+(?P<mk>(?i:көше[{KK}]*|даңғыл[{KK}]*|тұйы[{KK}]*|koshe[a-z]*|dangyl[a-z]*))"
    rf"(?:\s*,?\s*(?:№\s*)?(?P<num>{_NUM})(?![\d.,]?\d))?"
)
# The second word of an area's name ("Озеро Долгое, 84", "Комендантский аэродром, 5") when a house
# number follows it, so "мкр Самал нет воды" keeps its one-word name.
_AREA_SECOND = (rf"\s+(?!(?i:дом|д\.|корп|кв))(?:{_CAP}(?=\s*,?\s*(?:№\s*)?\d)|[{LO}]{{3,}}(?=\s*,\s*(?:№\s*)?\d))")
MKR_RU = re.compile(
    rf"{_W}(?i:мкр\.?|мкрн\.?|мк-н|м-н|микрорайон[а-я]*|(?:муниципальн|внутригородск)[а-я]+\s+округ[а-я]*)\s*"
    rf"(?P<name>\d{{1,3}}[а-я]?(?![\w])|{_CAP}(?:[\s-]\d{{1,2}}|{_AREA_SECOND})?){_HOUSE_TAIL}"
)
MKR_NUM_FIRST = re.compile(
    rf"(?<![\w])(?P<name>\d{{1,3}})\s*-?(?:й|ий|ой|ші|шы)?\s*"
    rf"(?i:мкр\.?|мкрн\.?|микрорайон[а-я]*|(?:ықшам|шағын)\s+аудан[{KK}]*)"
)
MKR_KK = re.compile(rf"(?<![\w-])(?P<name>{_NAME_KK})\s+(?P<mk>(?i:ықшам|шағын)\s+аудан[{KK}]*)")
RURAL_KK = re.compile(rf"(?<![\w-])(?P<name>{_NAME_KK})\s+(?P<mk>(?i:ауылдық)\s+округ[{KK}]*)")
RURAL_RU = re.compile(
    rf"(?<![\w-])(?P<name>{_CAP})(?:ский|ского|скому|ском|ским)\s+"
    rf"(?P<mk>(?i:сельск[а-я]+\s+округ[а-я]*|с/о|с\.о\.))"
)
RURAL_RU_AFTER = re.compile(
    rf"{_W}(?i:сельск[а-я]+\s+округ[а-я]*|с/о|с\.о\.)\s*(?P<name>{_CAP}(?:\s+[{LO}]+(?=\s*[,.!?]|$))?)"
)
SETTLEMENT_RU = re.compile(
    rf"{_W}(?i:с\.|село|сел[еау]|селом|пос\.|п\.|пгт\.?|пос[её]л[оке][а-я]*|аул[еау]?|г\.|"
    rf"город[а-я]*|деревн[а-я]+)\s*(?P<name>{_NAME_KK})"
)
SETTLEMENT_KK = re.compile(
    rf"(?<![\w-])(?P<name>{_NAME_KK})\s+(?P<mk>(?i:ауыл(?!д)[{KK}]*|кент[{KK}]*|қала[{KK}]*|"
    rf"елді\s+мекен[{KK}]*|auyl(?!d)[a-z]*))"
)
# "автобус 102", "маршрут №515", "avtobus 102", "515 маршрут", "102-ші автобус"; not a count, a
# time, a fleet or a model ("2 автобуса", "автобус 2 сағат", "автобусов 10 штук", "трамвай 71-619").
_ROUTE_NUM = r"(\d{1,3}(?:(?i:[а-яa-z])(?![\w]))?)"
_NOT_ROUTE_TAIL = (r"(?![\d.,:/-]?\d)(?!\s*(?i:раз|мин|час|сағат|saghat|sagat|sag|km|км|м\b|тенге|тг|тыс|"
                   r"человек|адам|детей|бала|год|г\.|жыл|минут|шт|штук|единиц|%|-?\s*(?:го|й|ый|ий)\s+(?:год|час)))")
ROUTE = re.compile(
    rf"(?<![\w-])(?!(?i:автобусов|маршруток)\b)(?i:автобус[а-я]*|маршрут[а-я]*|маршрутк[а-я]*|троллейбус[а-я]*|трамва[а-я]+|"
    rf"avtobus[a-z]*|marshrut[a-z]*|bus)\s*(?:№\s*)?{_ROUTE_NUM}{_NOT_ROUTE_TAIL}"
    rf"|(?<![\w.,-])(?:№\s*)?{_ROUTE_NUM}\s*(?:-?\s*(?:ші|шы|й|ый|ий|ой)\s*)?"
    rf"(?i:маршрут(?:ка)?|бағыт[{KK}]*|marshrut)(?![а-я])"
    rf"|(?<![\w.,-])(?:№\s*{_ROUTE_NUM}|{_ROUTE_NUM}\s*-?\s*(?:ші|шы))\s*(?i:автобус[{KK}а-я]*|avtobus[a-z]*)"
)
# A highway between two towns is a place of its own, named by its ends in either order ("вдоль трассы
# Каскелен — Алматы", "шоссе Алматы-Бишкек", "Алматы — Бішкек тас жолы"), not a street of the first town.
_END = rf"[{UP}][{LO}]{{2,}}"
_ROAD_ENDS = rf"(?P<a>{_END})(?P<dash>\s*[—–-]\s*)(?P<b>{_END}(?:-{_END})?)(?![{LO}])"
ROAD_RU = re.compile(
    rf"{_W}(?P<mk>(?i:трасс[а-я]*|автотрасс[а-я]*|шоссе|автодорог[а-я]*|дорог[аеиуой]*|тракт[а-я]*))\s+{_ROAD_ENDS}")
ROAD_KK = re.compile(rf"(?<![\w-]){_ROAD_ENDS}\s+(?P<mk>(?i:тас\s+жол[{KK}]*|трасса[{KK}]*|автожол[{KK}]*))")
# The road to a village is a place of its own, not the village's streets ("А дорога в Шамалган от
# трассы?", "дорога до с. Иргели", "Іргеліге баратын жол").
ROAD_TO_RU = re.compile(
    rf"{_W}(?i:дорог[аиеуой]*|подъезд[а-я]*|автодорог[а-я]*)\s+(?i:в|во|до|к|на)\s+"
    rf"(?P<mk>(?i:с\.|село|сел[ау]|пос\.|пос[её]лок|аул)\s*)?(?P<b>{_END})(?![{LO}-])")
ROAD_TO_KK = re.compile(rf"(?<![\w-])(?P<b>[{UP}][{LO}]{{2,}}?)(?:ға|ге|қа|ке|а|е)\s+(?i:баратын|апаратын|кіретін)\s+жол(?:ы|ға|да|ды)?(?![{LO}])")
HOUSE_RU = re.compile(rf"{_W}(?i:дом[а-я]*|д\.)\s*(?:№\s*)?(?P<num>{_NUM})(?![\d.,]?\d)")
HOUSE_KK = re.compile(rf"(?<![\w/])(?:№\s*)?(?P<num>{_NUM})\s*(?:-\s*)?(?i:үй[{KK}]*)(?![\w])")
# Where people go, or what they compare with, is not where the problem is: "с ребёнком едем в Алматы",
# "все уехали в Алматы", "Алматыға барамыз", "В Алматы так делают". A comment about transport keeps
# its destinations: a route is defined by its ends.
_GOING_BEFORE = re.compile(
    r"(?i:(?<![\w])(?:еду|едем|едете|едут|ездим|ездят|ездить|ехать|поедем|поедут|уехал\w*|уезжа\w*|переезжа\w*|"
    r"переехал\w*|возим|возят|возить|вывоз\w*|добира\w*|отправля\w*|лечиться|лечимся)\s+(?:в|во|на|до)"
    r"|(?<![\w])(?:как|чем)\s+(?:в|во)|(?<![\w])только\s+(?:для|в|во))\s+$")
_GOING_AFTER = re.compile(
    r"\s*(?i:так\s+(?:и\s+)?(?:делают|делали|сделали|сделано))"
    r"|(?<=[ғгқк][аеә])\s+(?:\w+\s+)?(?i:бар(?:амыз|ады|асыз|ып|у)\w*|кет(?:іп|еді|ті|ед)\w*|көш(?:іп|еді|ті)\w*|"
    r"апар\w*|жөнел\w*|емдел\w*)")
# ... and so does a comment about the way there ("Іргеліге бару қиын, жол жоқ" is Irgeli's road).
_TRANSPORT = re.compile(r"(?i:автобус|маршрут|электричк|avtobus|marshrut|такси|bus(?![a-z])|көлік|трасс|"
                        r"(?<![\w])дорог(?:а|и|у|е|ой|ами|ам|ах)?(?![\w])|"
                        r"(?<![\w])(?<!жибек )(?<!жібек )жол(?:ы|ға|да|ды|дың|дар\w*)?(?![\w]))")
_SENTENCE_END = re.compile(r"[.!?\n]")
_LINK_DISTANCE = 80
_WORD = re.compile(rf"[{UP}{LO}]+(?:-[{UP}{LO}]+)*")
# Evaluative or common words that look like a street name before "улица"/"дорога" or a number.
_NOT_NAMES = frozenset(
    "плох хорош грязн разбит темн ужасн наш ваш ето етот кажд вся весь все вс друг соседн ближайш "
    "дом парадн подезд етаж квартир корпус секци школ детсад сад лицей гимназ болниц поликлиник "
    "маршрут автобус кабинет палат год номер участок лини на по из от до за при для про нет ест "
    "вход виход перв втор трет четверт пят шест седм восм девят десят "
    "дворов внутридворов межкварталн внутрикварталн пешеходн подездн проезж".split()
)
_RU_ENDINGS = ("ами", "ями", "ом", "ем", "ой", "ей", "ою", "а", "я", "у", "ю", "е", "ы", "и")
_KK_SUFFIXES = tuple(sorted({
    "да", "де", "та", "те", "нда", "нде", "ға", "ге", "қа", "ке", "на", "не", "нан", "нен",
    "дан", "ден", "тан", "тен", "ның", "нің", "дың", "дің", "тың", "тің", "ны", "ні", "ды", "ді",
    "ты", "ті", "дағы", "дегі", "тағы", "тегі", "ндағы", "ндегі", "лық", "лік", "ына", "іне",
    "ында", "інде", "ынан", "інен", "ы", "і", "сы", "сі",
}, key=len, reverse=True))
_KINDS_BY_RANK = ("street", "route", "microdistrict", "settlement", "rural_district", "district")


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


class Gazetteer:
    """Known places, matched word by word on script- and inflection-tolerant keys."""

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self.entries = tuple(entries)
        self._by_key: dict[tuple[str, str], GazetteerEntry] = {}
        self._any: dict[str, GazetteerEntry] = {}
        self.max_words = 1
        for entry in self.entries:
            for spelling in (entry.name, *entry.variants):
                for russian in (True, False):
                    key = name_key(spelling, russian=russian)
                    if len(key) >= 3:
                        self._by_key.setdefault((entry.kind, key), entry)
                        if entry.kind != "street" or key not in self._any:
                            self._any[key] = self._any[key] if key in self._any and self._any[key].kind != "street" else entry
                self.max_words = max(self.max_words, len(spelling.split()))

    @classmethod
    def from_toml(cls, path: str | Path | None = None) -> Gazetteer:
        """Read ``config/gazetteer.toml`` (or ``path``); a missing file gives an empty gazetteer."""
        if path is None:
            res = resources.files("tyndau.config").joinpath("gazetteer.toml")
            data: dict[str, Any] = tomllib.loads(res.read_text(encoding="utf-8")) if res.is_file() else {}
        else:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        return cls(
            GazetteerEntry(p["kind"], p["name"], p.get("key") or f"{p['kind']}:{name_key(p['name'])}",
                           tuple(p.get("variants", ())))
            for p in data.get("place", ())
        )

    def lookup(self, kind: str, name: str, russian: bool = True) -> GazetteerEntry | None:
        """The entry of ``kind`` whose spelling matches ``name`` (any case ending, any script)."""
        for key in {name_key(name, russian=russian), name_key(name, russian=not russian)}:
            entry = self._by_key.get((kind, key))
            if entry is not None:
                return entry
        return None

    def find(self, text: str) -> list[tuple[GazetteerEntry, tuple[int, int]]]:
        """Every gazetteer place named in ``text`` (inflected, suffixed, any script) with its span."""
        if not self._any:
            return []
        words = [(m.group(0), m.span()) for m in _WORD.finditer(text)]
        out: list[tuple[GazetteerEntry, tuple[int, int]]] = []
        i = 0
        while i < len(words):
            hit = None
            for n in range(min(self.max_words, len(words) - i), 0, -1):
                chunk = words[i:i + n]
                if any(text[a[1][1]:b[1][0]].strip(" -") for a, b in zip(chunk, chunk[1:])):
                    continue  # only words next to each other form one name
                head = " ".join(w for w, _ in chunk[:-1])
                for last in _forms(chunk[-1][0]):
                    entry = self._any.get(name_key(f"{head} {last}".strip()))
                    if entry is not None:
                        hit = (entry, (chunk[0][1][0], chunk[-1][1][1]), n)
                        break
                if hit:
                    break
            if hit:
                out.append(hit[:2])
                i += hit[2]
            else:
                i += 1
        return out


@functools.lru_cache(maxsize=1 << 16)
def _forms(word: str) -> tuple[str, ...]:
    """The word and the word without one Russian case ending or Kazakh suffix (longest first).

    Memoised (a pure function): the gazetteer asks it for every word of every run it tries.
    """
    out = [word]
    low = word.lower()
    for suffix in (*_KK_SUFFIXES, *_RU_ENDINGS):
        if low.endswith(suffix) and len(low) - len(suffix) >= 3:
            out.append(word[: -len(suffix)])
    for latin in ("dagy", "degi", "nda", "nde", "da", "de", "ta", "te", "ga", "ge", "ka", "ke", "nan",
                  "nen", "dan", "den", "tan", "ten", "na", "ne", "yna", "ine", "ynda", "inde", "a", "e", "u"):
        if low.endswith(latin) and low.isascii() and len(low) - len(latin) >= 3:
            out.append(word[: -len(latin)])
    return tuple(out)


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, read once per process."""
    return Gazetteer.from_toml()


def extract_places(text: str, gazetteer: Gazetteer | None = None) -> list[Place]:
    """Places in ``text``, in order of appearance; houses are keyed to a nearby street or area."""
    if not text:
        return []
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    found: list[Place] = []
    houses: list[tuple[str, tuple[int, int]]] = []

    def add(kind: str, m: re.Match[str], russian: bool) -> None:
        raw = m.group("name")
        groups = m.re.groupindex
        start = m.start()
        end = max(m.end("name"), m.end("mk") if "mk" in groups and m.group("mk") else 0)
        entry = gaz.lookup(kind, raw, russian)
        if entry is not None:
            found.append(Place(kind, entry.name, entry.key, (start, end)))
        else:
            marker = m.group("mk") if kind == "street" and "mk" in groups else None
            key = name_key(raw, russian=russian and kind == "street", street_type=marker)
            if not key:
                return
            found.append(Place(kind, _shown(raw, kind, russian), f"{kind}:{key}", (start, end)))
        num = m.groupdict().get("num")
        if num:
            houses.append((num, m.span("num")))

    for rx in (ROAD_RU, ROAD_KK):
        for m in rx.finditer(text):
            road = _road(m, gaz, marker_after=rx is ROAD_KK)
            if road is not None and not _overlaps(road.span, found):
                found.append(road)
    for rx in (ROAD_TO_RU, ROAD_TO_KK):
        for m in rx.finditer(text):
            way = _road_to(m, gaz)
            if way is not None and not _overlaps(way.span, found):
                found.append(way)
    for m in ROUTE.finditer(text):
        number = next(g for g in m.groups() if g)
        found.append(Place("route", number, f"route:{house_number(number)}", m.span()))
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
    for m in STREET_RU_NAME_FIRST.finditer(text):
        if not _overlaps(m.span(), found) and _plausible_name_first(text, m, gaz):
            add("street", m, True)
    for m in STREET_PO.finditer(text):
        if not _overlaps(m.span(), found) and (m.group("num") or gaz.lookup("street", m.group("name"), True)):
            add("street", m, True)
    for m in STREET_BARE.finditer(text):
        if not _overlaps(m.span(), found) and _plausible_bare(m.group("name"), gaz):
            add("street", m, True)
    for rx in (HOUSE_RU, HOUSE_KK):
        for m in rx.finditer(text):
            if not any(s == m.span("num") for _, s in houses) and not _overlaps(m.span("num"), found):
                houses.append((m.group("num"), m.span("num")))
    for entry, span in gaz.find(text):
        # Bare names need a capital; streets need a marker ("школа имени Абая" is no street) or, as
        # one-word ones in STREET_PO, "на"/"по" right before them.
        named = entry.kind != "street" or _PO_BEFORE.search(text[max(0, span[0] - 12):span[0]]) is not None
        if named and text[span[0]].isupper() and not _overlaps(span, found):
            found.append(Place(entry.kind, entry.name, entry.key, span))
    if any(p.kind == "settlement" for p in found) and not _TRANSPORT.search(text):
        found = [p for p in found if p.kind != "settlement" or not _elsewhere(text, p.span)]
    streets = [p for p in found if p.kind == "street"]
    areas = [p for p in found if p.kind in ("microdistrict", "settlement")]
    for num, span in houses:
        street = _nearest(text, span, streets) or _nearest(text, span, areas)
        number = house_number(num)
        key = f"house:{street.normalised_key.split(':', 1)[1]}/{number}" if street else f"house:{number}"
        found.append(Place("house", num, key, span))
    return _dedupe(sorted(found, key=lambda p: p.span))


def _road(m: re.Match[str], gaz: Gazetteer, *, marker_after: bool) -> Place | None:
    """The highway between two towns, keyed by its ends in either order ("street:алмати—каскелен").

    A spaced dash after a road word can also start a new thought ("дорога Иргели - Когда уже?"),
    so both ends must be known settlements there, unless the dash joins the names ("Алматы-Бишкек")
    or the road word follows them ("Алматы — Бішкек тас жолы").
    """
    ends = [m.group("a"), m.group("b")]
    known = [gaz.lookup("settlement", e, True) or gaz.lookup("settlement", e, False) for e in ends]
    if not all(known) and not marker_after and m.group("dash").strip() != m.group("dash"):
        return None
    keys = [k.key.split(":", 1)[1] if k else name_key(e) for k, e in zip(known, ends)]
    if not all(keys) or keys[0] == keys[1]:
        return None
    return Place("street", f"{ends[0]}–{ends[1]}", "street:" + "—".join(sorted(keys)), m.span())


def _road_to(m: re.Match[str], gaz: Gazetteer) -> Place | None:
    """The road to a village ("street:→шамалган"): its end must be a known settlement or marked as one."""
    end = m.group("b")
    entry = gaz.lookup("settlement", end, True) or gaz.lookup("settlement", end, False)
    if entry is None and not m.groupdict().get("mk"):
        return None
    key = entry.key.split(":", 1)[1] if entry else name_key(end)
    return Place("street", end, f"street:→{key}", m.span()) if key else None


def _elsewhere(text: str, span: tuple[int, int]) -> bool:
    """True when the settlement at ``span`` is where people go or what they compare with."""
    return bool(_GOING_BEFORE.search(text[max(0, span[0] - 40):span[0]])
                or _GOING_AFTER.match(text, span[1], min(len(text), span[1] + 40)))


def _shown(raw: str, kind: str, russian: bool) -> str:
    """The name as a person would write it in a list ("Абая" -> "Абай")."""
    if kind == "street" and not any(is_adjectival(w) for w in raw.split()):
        words = strip_case(raw, russian).split()
        return " ".join(w[:1].upper() + w[1:] if o[:1].isupper() else w for w, o in zip(words, raw.split()))
    return raw


def _plausible_name_first(text: str, m: re.Match[str], gaz: Gazetteer) -> bool:
    """ "Тихорецкий проспект", "Замшина улица, 54" — but not "Плохая дорога" or "Дом улица"."""
    name = m.group("name")
    first = re.sub(r"^\d{1,2}\s*-?\s*[а-я]{1,2}\s+", "", name).split()[0]
    stem = fold(first)
    if name_key(first) in _NOT_NAMES:
        return False
    if re.search(r"(?i)^дорог", m.group("mk")) and not m.group("num"):
        return False  # "Кушелевская дорога, 7" is an address, "Разбитая дорога" is a complaint
    if first[:1].islower() and not is_adjectival(first):
        return gaz.lookup("street", first, True) is not None  # "абая улица", not "эта улица"
    return is_adjectival(first) or bool(re.search(r"(?:ин|ын|ов|ев)[аоы]?$", stem)) or first[:1].isupper()


def _plausible_bare(name: str, gaz: Gazetteer) -> bool:
    """A capitalised word right before a house number is a street if it looks like one."""
    if gaz.lookup("street", name, True):
        return True
    stem = fold(name)
    if name_key(name) in _NOT_NAMES or is_adjectival(name):
        return False
    return bool(re.search(r"(?:ова|ева|ёва|ина|ына|ого|ova|eva|ina|yna)$", stem))


def _dedupe(places: list[Place]) -> list[Place]:
    """One place per key and kind, in order (a street named twice is one street)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for p in places:
        if (p.kind, p.normalised_key) not in seen:
            seen.add((p.kind, p.normalised_key))
            out.append(p)
    return out


def _overlaps(span: tuple[int, int], places: Iterable[Place]) -> bool:
    return any(span[0] < p.span[1] and p.span[0] < span[1] for p in places)


def _nearest(text: str, span: tuple[int, int], streets: list[Place]) -> Place | None:
    """The closest of ``streets`` in the same sentence as the house number at ``span``."""
    best: tuple[int, Place] | None = None
    for street in streets:
        if street.span[0] <= span[0] < street.span[1]:
            return street
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
        if m.group(0) != "." or not re.search(r"(?i:\bул|\bпр|\bд|\bмкр|\bпросп|\bпер|\bс|\bп|\bг|\bмкрн|\bк|\bкорп)$", gap[: m.start()]):
            return True
    return False


def place_rank(kind: str) -> int:
    """How specific a kind is (0 = house, most specific)."""
    return 0 if kind == "house" else 1 + _KINDS_BY_RANK.index(kind) if kind in _KINDS_BY_RANK else 9
