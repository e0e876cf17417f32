"""How a place key reads in a Russian and in a Kazakh wording ("ул. Абая" / "Абай көшесі").

The place module gives every mention a canonical key ("street:абай", "settlement:иргели"); a
draft names its place in both languages. Known places take their names from the gazetteer
(the Kazakh name and its Russian spelling); others from how residents wrote them, with Kazakh
letters spelled the Russian way in the Russian wording (Бірлік -> Бирлик).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .place import Gazetteer, GazetteerEntry, default_gazetteer

KAZAKH = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_RU_SPELLING = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
_CYRILLIC = re.compile(r"^[\u0400-\u04ff\s\-.,№0-9]+$")
SPECIFIC = ("street", "microdistrict", "route")  # a draft's place, before its area (a house goes by its street)
AREAS = ("settlement", "rural_district", "district")


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """One place a comment names: kind, the name as written, its key, and the comment's language."""

    kind: str
    name: str
    key: str
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class PlaceWording:
    """A place as a Russian and a Kazakh wording names it."""

    key: str
    ru: str
    kk: str


def russian_spelling(name: str) -> str:
    """Kazakh letters spelled as Russian texts spell them ("Қаскелең" -> "Каскелен")."""
    return name.translate(_RU_SPELLING)


def _capital(name: str) -> str:
    return name[:1].upper() + name[1:] if name.islower() else name


class PlaceNamer:
    """Russian and Kazakh names of place keys (the gazetteer first, then residents' spellings)."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        gaz = gazetteer if gazetteer is not None else default_gazetteer()
        self._gazetteer = gaz
        self._entries: dict[str, GazetteerEntry] = {e.key: e for e in gaz.entries}

    def names(self, key: str, mentions: Iterable[PlaceMention] = ()) -> tuple[str, str]:
        """(Russian name, Kazakh name) of the place behind ``key``, without the kind word."""
        kind, _, bare = key.partition(":")
        if kind == "house":
            bare = bare.split("/", 1)[0]
            kind = "street"
        entry = self._entries.get(f"{kind}:{bare}")
        seen = [m for m in mentions if m.key.split(":", 1)[-1].split("/", 1)[0] == bare]
        ru = _ru_name(entry, seen, bare)
        kk = _kk_name(entry, seen, bare)
        return ru, kk

    def wording(self, key: str, mentions: Iterable[PlaceMention] = ()) -> PlaceWording:
        """The place with its kind word in each language ("мкр Айнабулак" / "Айнабұлақ шағын ауданы")."""
        mentions = list(mentions)
        kind, _, rest = key.partition(":")
        if kind == "route":
            return PlaceWording(key, f"маршрут № {rest}", f"№{rest} бағыт")
        ru, kk = self.names(key, mentions)
        if kind == "house":
            number = rest.split("/", 1)[1] if "/" in rest else rest
            if "/" not in rest:
                return PlaceWording(key, f"д. {number}", f"№{number} үй")
            return PlaceWording(key, f"ул. {ru}, {number}", f"{kk} көшесі, {number}")
        if kind == "street" and "—" in rest:
            return self._road(key, mentions)
        if kind == "street" and rest.startswith("→"):
            ru, kk = self.names(f"settlement:{rest[1:]}", mentions)
            return PlaceWording(key, f"дорога на {ru}", f"{kk} жолы")
        if kind == "street":
            return PlaceWording(key, f"ул. {ru}", f"{kk} көшесі")
        if kind == "microdistrict":
            return PlaceWording(key, f"мкр {ru}", f"{kk} шағын ауданы")
        if kind == "rural_district":
            return PlaceWording(key, f"с/о {ru}", f"{kk} ауылдық округі")
        return PlaceWording(key, ru, kk)

    def _road(self, key: str, mentions: Sequence[PlaceMention]) -> PlaceWording:
        """A highway by its ends as residents most often wrote them ("автодорога Каскелен–Алматы")."""
        written = Counter(m.name for m in mentions if m.key == key and "–" in m.name)
        ends = written.most_common(1)[0][0].split("–", 1) if written else key.partition(":")[2].split("—", 1)
        ru, kk = [], []
        for end in ends:
            entry = self._gazetteer.lookup("settlement", end) or self._gazetteer.lookup("settlement", end, False)
            ru.append(_ru_name(entry, (), end) if entry else russian_spelling(_capital(end)))
            kk.append(_kk_name(entry, (), end) if entry else _capital(end))
        return PlaceWording(key, f"автодорога {'–'.join(ru)}", f"{'–'.join(kk)} автожолы")

    def describe(self, keys: Sequence[str], mentions: Iterable[PlaceMention] = ()) -> PlaceWording | None:
        """One wording for a specific place and/or the settlement it is in ("ул. Абая, Каскелен")."""
        mentions = list(mentions)
        parts = [self.wording(k, mentions) for k in keys if k]
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        ru = ", ".join(p.ru for p in parts)
        kk = ", ".join(p.kk for p in reversed(parts))
        return PlaceWording("+".join(p.key for p in parts), ru, kk)


def _ru_name(entry: GazetteerEntry | None, seen: Sequence[PlaceMention], bare: str) -> str:
    if entry is not None:
        spellings = [s for s in (entry.name, *entry.variants) if not KAZAKH & set(s) and _CYRILLIC.match(s)]
        base = russian_spelling(entry.name)
        if entry.kind == "street":
            # Streets named after people take the genitive in Russian: "ул. Абая", "ул. Сейфуллина".
            genitive = [s for s in spellings if s in (base + "а", base[:-1] + "я")]
            if genitive:
                return genitive[0]
        return spellings[0] if spellings else base
    written = Counter(m.name for m in seen if m.lang != "kk" and not KAZAKH & set(m.name) and _CYRILLIC.match(m.name))
    if written:
        return written.most_common(1)[0][0]
    kazakh = Counter(m.name for m in seen if _CYRILLIC.match(m.name))
    if kazakh:
        return russian_spelling(kazakh.most_common(1)[0][0])
    return _capital(_bare_name(bare))


def _kk_name(entry: GazetteerEntry | None, seen: Sequence[PlaceMention], bare: str) -> str:
    if entry is not None:
        return re.sub(r"\s+(?:ауданы|ауылы|қаласы)$", "", entry.name) if entry.kind != "district" else entry.name
    kazakh = Counter(m.name for m in seen if m.lang == "kk" and _CYRILLIC.match(m.name))
    if kazakh:
        return kazakh.most_common(1)[0][0]
    written = Counter(m.name for m in seen if _CYRILLIC.match(m.name))  # "Садовая көшесі": a Russian name stays
    if written:
        return written.most_common(1)[0][0]
    return _capital(_bare_name(bare))


def _bare_name(bare: str) -> str:
    """A key's name without its marks ("садов|ул", an adjectival street, reads "садов")."""
    return bare.split("|", 1)[0]


def choose_places(mentions: Sequence[PlaceMention], members: int, placed: int = 0) -> list[str]:
    """The keys a draft is about: its most named street, microdistrict or bus route, then its most named area.

    A house number is kept only when at least two comments name it (a building's problem);
    named once it may be a resident's home address, so the wording names the street. A street,
    microdistrict or route must be named by a third of the ``placed`` comments (those naming any
    place): one resident's "улица Садовая" among ten comments about Иргели is not the draft's place.
    """
    out: list[str] = []
    streets: Counter[str] = Counter()
    houses: Counter[str] = Counter()
    for m in mentions:
        if m.kind == "street" or (m.kind == "house" and "/" in m.key):
            street = "street:" + m.key.split(":", 1)[1].split("/", 1)[0]
            if m.kind == "house":
                houses[m.key] += 1
            else:
                streets[street] += 1
    for kinds in (SPECIFIC, AREAS):
        votes: Counter[str] = Counter(m.key for m in mentions if m.kind in kinds)
        if not votes:
            continue
        key, count = votes.most_common(1)[0]
        if kinds is SPECIFIC and count * 3 < placed:
            continue
        if count * 3 >= min(members, sum(votes.values())) or len(votes) == 1:
            if key in streets:
                house = next((h for h, n in houses.most_common() if h.startswith("house:" + key[7:] + "/")), None)
                # A house number named once may be someone's home address: the street is enough then.
                if house and houses[house] >= 2 and houses[house] * 2 >= streets[key]:
                    key = house
            out.append(key)
    return out


def mentions_from_labels(labels: Mapping[str, object] | None, lang: str | None) -> list[PlaceMention]:
    """The place mentions stored in a comment's labels (``places`` as the pipeline wrote them)."""
    places = (labels or {}).get("places") or []
    out: list[PlaceMention] = []
    if isinstance(places, list):
        for p in places:
            if isinstance(p, Mapping) and p.get("key") and p.get("kind"):
                out.append(PlaceMention(str(p["kind"]), str(p.get("name") or ""), str(p["key"]), lang))
    return out
