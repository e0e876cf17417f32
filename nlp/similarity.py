"""How likely two comments are one problem: same issue (embeddings) and same place (place keys).

The score of a pair is the cosine of their e5 embeddings after each is centred on its language's
reference mean (Russian and Kazakh sentences sit in different corners of the e5 space; centring
per language puts "В Иргели нет воды" next to "Іргеліде су жоқ"), plus a calibrated offset for a
pair across languages, less a hubness correction for such pairs (CSLS: a text close to every
text of the other language says little about any one of them), plus a bonus when the two name
the same house, street, bus route or settlement. Two comments that name different houses,
streets, routes or settlements can never be one problem (a cannot-link), nor can two that share
one but each name another of their own ("автобус из Кемера в Каскелен", "из Иргели в
Каскелен": two villages' problems, with the town at the other end in common; "мкр Айнабулак …
в Каскелен" and "из Кемера в Каскелен": a microdistrict's and a village's). The predicted
category plays no part: a wrong category must not split a duplicate, and a shared one must not
merge two issues.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .features import Matrix, unit_rows

CANNOT = -10.0  # a score no threshold accepts
_LEVELS = ("street", "route", "microdistrict", "settlement", "district")
# The bonus level a shared key of each level gives (2 = same_street, 1 = same_area, 0 = none).
_RANKS = (("street", 2), ("route", 2), ("microdistrict", 1), ("settlement", 1), ("district", 0))
_HOUSE_BASE = re.compile(r"^(house:[^/]+/\d+)")


# The score terms that reward a shared place (off when a clusterer ignores places).
PLACE_TERMS = ("same_house", "same_street", "same_area", "same_topic_place", "same_topic_area", "district_issue",
               "district_issue_placed")


@dataclass(frozen=True, slots=True)
class ScoreSettings:
    """The pair score's knobs (from ``[clusterer]`` in ``config/nlp.toml``)."""

    cross_language: float = 0.3
    hubness: float = 0.5
    hubness_k: int = 3
    same_house: float = 0.4
    same_street: float = 0.3
    same_area: float = 0.3
    same_topic: float = 0.0
    other_topic: float = 0.0
    topic_gate: bool = False
    same_topic_place: float = 0.0
    same_topic_area: float = 0.0
    district_issue: float = 0.0
    district_issue_placed: float = 0.0


@dataclass(frozen=True, slots=True)
class Item:
    """What the clusterer knows of one comment: embedding, language, place keys, subtopics, district-wide issue."""

    vector: Matrix
    lang: str | None = None
    places: tuple[str, ...] = ()
    topics: frozenset[str] = frozenset()
    district: str | None = None


def language_of(lang: str | None) -> str:
    """The reference group of a language label: "kk", "ru", or "mixed" for the rest."""
    return lang if lang in ("kk", "ru") else "mixed"


class PlaceMatrix:
    """Place keys of many comments as indicator matrices, so pair relations are matrix products."""

    def __init__(self, places: Sequence[Sequence[str]]) -> None:
        self.n = len(places)
        self._levels = {level: self._indicator(places, lambda k, lv=level: _level_key(k) if _level_key(k, lv) else None)
                        for level in _LEVELS}
        self._house_full = self._indicator(places, lambda k: k if _is_house(k) else None)
        self._house_base = self._indicator(places, lambda k: _house_base(k) if _is_house(k) else None)
        bare = np.zeros(self.n, dtype=bool)
        for i, keys in enumerate(places):
            bare[i] = any(_is_house(k) and _house_base(k) == k for k in keys)
        self._bare = bare

    @staticmethod
    def _indicator(places: Sequence[Sequence[str]], pick: Any) -> np.ndarray:
        index: dict[str, int] = {}
        rows: list[list[int]] = []
        for keys in places:
            cols = []
            for key in keys:
                chosen = pick(key)
                if chosen is not None:
                    cols.append(index.setdefault(chosen, len(index)))
            rows.append(cols)
        m = np.zeros((len(places), max(1, len(index))), dtype=np.float32)
        for i, cols in enumerate(rows):
            m[i, cols] = 1.0
        return m

    def relations(self, rows: Sequence[int] | None = None, cols: Sequence[int] | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
        """(cannot-link, bonus level) for ``rows`` × ``cols``: 0 none, 1 area, 2 street, 3 house."""
        r = slice(None) if rows is None else np.asarray(rows)
        c = slice(None) if cols is None else np.asarray(cols)
        clash: np.ndarray | None = None
        level: np.ndarray | None = None
        own: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for name, rank in _RANKS:
            m = self._levels[name]
            a, b = m[r], m[c]
            common = a @ b.T
            na, nb = a.sum(1)[:, None], b.sum(1)[None, :]
            both = (na > 0) & (nb > 0)
            # each names one the other does not ("из Кемера в Каскелен" / "из Иргели в Каскелен")
            apart = (na - common > 0) & (nb - common > 0)
            own[name] = (common > 0, na - common > 0, nb - common > 0)
            here = both & ((common == 0) | apart)
            clash = here if clash is None else clash | here
            lv = np.where((common > 0) & ~apart, rank, 0)
            level = lv if level is None else np.maximum(level, lv)
        assert clash is not None and level is not None
        # one names a village of its own, the other a street, route or microdistrict of its own
        # ("мкр Айнабулак: … в Каскелен" / "из Кемера в Каскелен"): two places' problems
        shared, village_a, village_b = own["settlement"]
        finer_a = own["street"][1] | own["route"][1] | own["microdistrict"][1]
        finer_b = own["street"][2] | own["route"][2] | own["microdistrict"][2]
        clash = clash | (shared & ((village_a & finer_b) | (village_b & finer_a)))
        fa, fb = self._house_full[r], self._house_full[c]
        ba, bb = self._house_base[r], self._house_base[c]
        full = (fa @ fb.T) > 0
        base = (ba @ bb.T) > 0
        bare = self._bare[r][:, None] | self._bare[c][None, :]
        same_house = full | (base & bare)
        both = (ba.sum(1) > 0)[:, None] & (bb.sum(1) > 0)[None, :]
        clash = clash | (both & ~same_house)
        level = np.where(same_house, 3, level)
        return clash, level


@dataclass(frozen=True, slots=True)
class PlaceInfo:
    """One comment's place keys by level, for pair checks one row at a time."""

    levels: Mapping[str, frozenset[str]]
    houses: frozenset[str]
    bases: frozenset[str]
    bare: bool
    any: bool
    keys: frozenset[str]  # what it was made of: equal keys, equal relations

    @property
    def local(self) -> bool:
        """True when a house, street, route, microdistrict or settlement is named (a district alone is no place here)."""
        return bool(self.houses) or any(self.levels[lv] for lv in ("street", "route", "microdistrict", "settlement"))

    @classmethod
    def of(cls, keys: Sequence[str]) -> PlaceInfo:
        levels = {lv: frozenset(_level_key(k) for k in keys if _level_key(k, lv)) for lv in _LEVELS}
        houses = frozenset(k for k in keys if _is_house(k))
        bases = frozenset(_house_base(k) for k in houses)
        return cls(levels, houses, bases, any(_house_base(k) == k for k in houses),
                   bool(houses) or any(levels.values()), frozenset(keys))


def relation(a: PlaceInfo, b: PlaceInfo) -> tuple[bool, int]:
    """(cannot-link, bonus level) of two comments, as :meth:`PlaceMatrix.relations` computes it."""
    clash, level = False, 0
    for name, rank in _RANKS:
        x, y = a.levels[name], b.levels[name]
        if x and y:
            if x & y and not (x - y and y - x):
                level = max(level, rank)
            else:
                clash = True
    x, y = a.levels["settlement"], b.levels["settlement"]
    if x & y and ((x - y and _finer_own(b, a)) or (y - x and _finer_own(a, b))):
        clash = True
    if a.bases and b.bases:
        if (a.houses & b.houses) or ((a.bases & b.bases) and (a.bare or b.bare)):
            level = 3
        else:
            clash = True
    return clash, level


def _finer_own(a: PlaceInfo, b: PlaceInfo) -> bool:
    """True when ``a`` names a street, route or microdistrict that ``b`` does not."""
    return any(a.levels[lv] - b.levels[lv] for lv in ("street", "route", "microdistrict"))


def _kind(key: str) -> str:
    return key.split(":", 1)[0]


def _level_key(key: str, level: str | None = None) -> str:
    """The key compared at a level; a village and its rural district of one name are one area.

    With ``level``: "" when the key is not of that level.
    """
    kind = _kind(key)
    if kind == "rural_district":
        kind, key = "settlement", "settlement:" + key.split(":", 1)[1]
    if level is not None and kind != level:
        return ""
    return key


def _is_house(key: str) -> bool:
    """A house keyed to a street or area ("house:абай/12"); a bare "house:12" says too little."""
    return key.startswith("house:") and "/" in key


def _house_base(key: str) -> str:
    m = _HOUSE_BASE.match(key)
    return m.group(1) if m else key


@dataclass(frozen=True, slots=True)
class Earlier:
    """The comments a new one is scored against, as arrays.

    What repeats across a meeting's comments (their subtopic sets, districts and place sets) is
    kept once and indexed, so scoring a comment against thousands runs no Python per comment.
    """

    units: Matrix
    groups: np.ndarray
    hubs: np.ndarray
    topic_ids: np.ndarray
    topic_sets: Sequence[frozenset[str]]
    district_ids: np.ndarray
    districts: Sequence[str | None]
    place_ids: np.ndarray
    place_infos: Sequence[PlaceInfo]

    @classmethod
    def of(cls, units: Matrix, groups: np.ndarray, hubs: np.ndarray, infos: Sequence[PlaceInfo],
           topics: Sequence[frozenset[str]], districts: Sequence[str | None]) -> Earlier:
        """Index plain per-comment sequences (``topics`` and ``districts`` may be empty: none named)."""
        n = len(units)
        t_ids, t_sets = _interned(topics if len(topics) else [frozenset()] * n)
        d_ids, d_vals = _interned(districts if len(districts) else [None] * n)
        p_ids, p_keys = _interned([info.keys for info in infos])
        first = {info.keys: info for info in reversed(infos)}
        return cls(units, groups, hubs, t_ids, t_sets, d_ids, d_vals, p_ids, [first[k] for k in p_keys])


def _interned(values: Sequence[Any]) -> tuple[np.ndarray, list[Any]]:
    index: dict[Any, int] = {}
    ids = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int64, count=len(values))
    return ids, list(index)


class PairScorer:
    """Scores pairs of items; the reference means centre each language."""

    def __init__(self, settings: ScoreSettings, means: Mapping[str, Matrix] | None = None) -> None:
        self.settings = settings
        self.means = {k: np.asarray(v, dtype=np.float32) for k, v in (means or {}).items()}

    def prepare(self, items: Sequence[Item]) -> tuple[Matrix, np.ndarray]:
        """Unit vectors centred on each item's language mean, and the language groups."""
        if not items:
            return np.zeros((0, 1), dtype=np.float32), np.zeros(0, dtype=object)
        raw: np.ndarray = np.stack([np.asarray(it.vector, dtype=np.float64).reshape(-1) for it in items])
        raw = np.nan_to_num(raw, nan=0.0, posinf=0.0, neginf=0.0)
        raw = np.clip(raw, -1e6, 1e6).astype(np.float32)  # a broken vector counts as "no meaning"
        groups = np.array([language_of(it.lang) for it in items], dtype=object)
        if self.means:
            mixed = self.means.get("mixed")
            if mixed is None and "ru" in self.means and "kk" in self.means:
                mixed = ((self.means["ru"] + self.means["kk"]) / 2).astype(np.float32)
            for group in ("ru", "kk", "mixed"):
                mean = self.means.get(group, mixed)
                mask = groups == group
                if mean is not None and mask.any() and mean.shape[0] == raw.shape[1]:
                    raw[mask] = raw[mask] - mean
        return unit_rows(raw), groups

    def hubness(self, unit: Matrix, groups: np.ndarray, *, sims: Matrix | None = None) -> np.ndarray:
        """Each item's mean similarity to its ``k`` nearest items of the other language (``sims``: unit @ unit.T, if known)."""
        n = len(unit)
        out = np.zeros(n, dtype=np.float32)
        if n < 2 or not self.settings.hubness:
            return out
        if sims is None:
            sims = unit @ unit.T
        for group in np.unique(groups):
            mine = groups == group
            other = (groups != group) & (groups != "mixed") if group != "mixed" else groups != "mixed"
            if not other.any():
                continue
            k = max(1, min(self.settings.hubness_k, int(other.sum())))
            block = sims[np.ix_(mine, other)]
            out[mine] = -np.mean(np.sort(-block, axis=1)[:, :k], axis=1)
        return out

    def row(self, unit: Matrix, group: str, hub: float, places: PlaceInfo, units: Matrix,
            groups: np.ndarray, hubs: np.ndarray, infos: Sequence[PlaceInfo],
            topics: frozenset[str] = frozenset(), others_topics: Sequence[frozenset[str]] = (),
            district: str | None = None, others_district: Sequence[str | None] = ()) -> np.ndarray:
        """Scores of one prepared item against prepared others (hubness values given)."""
        if len(units) == 0:
            return np.zeros(0, dtype=np.float32)
        return self.row_against(unit, group, hub, places, topics, district,
                                Earlier.of(units, groups, hubs, infos, others_topics, others_district))

    def row_against(self, unit: Matrix, group: str, hub: float, places: PlaceInfo, topics: frozenset[str],
                    district: str | None, earlier: Earlier) -> np.ndarray:
        """:meth:`row` against comments already indexed (the live clusterer keeps them so)."""
        s = self.settings
        e = earlier
        if len(e.units) == 0:
            return np.zeros(0, dtype=np.float32)
        scores = e.units @ unit
        cross = e.groups != group
        if s.hubness:
            centre_r = float(np.median(e.hubs)) if len(e.hubs) else 0.0
            scores = np.where(cross, scores - s.hubness * ((hub + e.hubs) / 2 - centre_r), scores)
        scores = scores + s.cross_language * cross
        out = scores.astype(np.float32)
        rel = np.zeros(len(out), dtype=np.int8)
        if topics:
            table = np.array([0 if not theirs else (1 if topics & theirs else -1) for theirs in e.topic_sets], dtype=np.int8)
            rel = table[e.topic_ids]
        out = out + self._topic_terms(rel)
        if s.district_issue and district is not None:
            same = np.array([d == district for d in e.districts], dtype=bool)[e.district_ids]
            local = np.array([info.local for info in e.place_infos], dtype=bool)[e.place_ids]
            if places.local:
                out = out + np.where(same & ~local, s.district_issue_placed, 0.0)
            else:
                out = out + np.where(same, np.where(local, s.district_issue_placed, s.district_issue), 0.0)
        if not places.any:
            return out.astype(np.float32)
        # the relation once per distinct place set, the score terms in one array operation
        pairs = [relation(places, info) if info.any else (False, 0) for info in e.place_infos]
        named = np.array([info.any for info in e.place_infos], dtype=bool)[e.place_ids]
        placed = np.flatnonzero(named)
        if len(placed):
            ids = e.place_ids[placed]
            clash = np.array([c for c, _ in pairs], dtype=bool)[ids]
            level = np.array([lv for _, lv in pairs], dtype=np.int8)[ids]
            out[placed] = np.where(clash, CANNOT, out[placed] + self._place_terms(level, rel[placed]))
        return out.astype(np.float32)

    def hub_of(self, unit: Matrix, group: str, units: Matrix, groups: np.ndarray) -> float:
        """One item's hubness against prepared others."""
        if not self.settings.hubness or len(units) == 0:
            return 0.0
        other = (groups != group) & (groups != "mixed") if group != "mixed" else groups != "mixed"
        if not other.any():
            return 0.0
        sims = units[other] @ unit
        k = max(1, min(self.settings.hubness_k, len(sims)))
        return float(np.mean(np.sort(-sims)[:k]) * -1)

    def matrix(self, items: Sequence[Item]) -> np.ndarray:
        """The full pair-score matrix (``CANNOT`` where places clash); the diagonal is 1."""
        return self.matrix_and_hubs(items)[0]

    def matrix_and_hubs(self, items: Sequence[Item]) -> tuple[np.ndarray, np.ndarray]:
        """The pair-score matrix and each item's hubness (kept for scoring later items).

        The place, subtopic and district terms depend only on what a comment names, and a meeting
        repeats a few hundred such combinations over thousands of comments, so they are computed
        once per pair of distinct combinations and gathered; a re-clustering of 4,000 comments
        made a dozen full-size temporaries before (`benchmarks/bench_recluster.py --memory`).
        """
        unit, groups = self.prepare(items)
        if len(items) == 0:
            return np.zeros((0, 0), dtype=np.float32), np.zeros(0, dtype=np.float32)
        s = self.settings
        scores = unit @ unit.T
        codes = np.unique(groups, return_inverse=True)[1].reshape(-1)
        cross = codes[:, None] != codes[None, :]
        r = self.hubness(unit, groups, sims=scores)
        if s.hubness:
            centre_r = float(np.median(r)) if len(r) else 0.0
            scores = np.where(cross, scores - s.hubness * ((r[:, None] + r[None, :]) / 2 - centre_r), scores)
        total = scores.astype(np.float64)
        del scores
        total += s.cross_language * cross
        del cross
        kinds, reps = _kinds(items)
        rep_items = [items[i] for i in reps]
        clash, level = PlaceMatrix([it.places for it in rep_items]).relations()
        topics = [it.topics for it in rep_items]
        rel = topic_relation(topics, topics)
        terms = self._place_terms(level, rel) + self._topic_terms(rel) + self._district_terms(rep_items)
        total += np.asarray(terms, dtype=np.float64)[np.ix_(kinds, kinds)]
        total[clash[np.ix_(kinds, kinds)]] = CANNOT
        out = total.astype(np.float32)
        np.fill_diagonal(out, 1.0)
        return out, r

    def _district_terms(self, items: Sequence[Item]) -> np.ndarray | float:
        """+district_issue for two comments naming no place and one district-wide issue.

        A waiting list or a district programme ("очередь в садик", "жер кезегі") is one problem
        for the whole district; raised without a place in other words or languages, its comments'
        vectors can sit far apart, and only the shared issue ties them. When only one of the two
        names a place ("Молодёжи работы нет … промзону в Каскелене" / "Ауылда жастарға жұмыс жоқ")
        it may still be the district's issue, so the pair gets the smaller district_issue_placed.
        """
        s = self.settings
        if not s.district_issue:
            return 0.0
        arr = np.array([it.district or "" for it in items], dtype=object)
        placed = np.array([PlaceInfo.of(it.places).local for it in items], dtype=bool)
        same = (arr[:, None] == arr[None, :]) & (arr != "")[:, None]
        unplaced = ~placed[:, None] & ~placed[None, :]
        one_placed = placed[:, None] ^ placed[None, :]
        return np.where(same & unplaced, s.district_issue, np.where(same & one_placed, s.district_issue_placed, 0.0))

    def _topic_terms(self, rel: np.ndarray) -> np.ndarray:
        """+same_topic when two comments share a subtopic, −other_topic when they name only different ones."""
        s = self.settings
        return np.where(rel > 0, s.same_topic, np.where(rel < 0, -s.other_topic, 0.0))

    def _place_terms(self, level: np.ndarray, rel: np.ndarray) -> np.ndarray:
        """The bonus for a shared place: one issue at one place is what makes two comments one problem.

        With ``topic_gate`` a shared street or settlement says nothing of two comments that name
        different issues (street lighting and a grader on one street); one house still does.
        ``same_topic_place`` adds to a pair that names one issue at one place, and ``same_topic_area``
        more when that place is a village or microdistrict: one issue there is the village's one
        problem, while on one street or house two residents' cases of one issue may still differ.
        """
        s = self.settings
        bonus = np.select([level == 3, level == 2, level == 1], [s.same_house, s.same_street, s.same_area], 0.0)
        if s.topic_gate:
            bonus = np.where((rel < 0) & (level < 3), 0.0, bonus)
        return (bonus + np.where((rel > 0) & (level >= 1), s.same_topic_place, 0.0)
                + np.where((rel > 0) & (level == 1), s.same_topic_area, 0.0))


def _kinds(items: Sequence[Item]) -> tuple[np.ndarray, list[int]]:
    """Each item's index among the distinct (places, subtopics, district) it names, and one item of each."""
    seen: dict[tuple[Any, ...], int] = {}
    reps: list[int] = []
    kinds = np.empty(len(items), dtype=np.intp)
    for i, it in enumerate(items):
        key = (tuple(it.places), it.topics, it.district)
        k = seen.get(key)
        if k is None:
            k = seen[key] = len(reps)
            reps.append(i)
        kinds[i] = k
    return kinds, reps


def topic_relation(rows: Sequence[frozenset[str]], cols: Sequence[frozenset[str]]) -> np.ndarray:
    """Per pair: 1 when both name a subtopic they share, −1 when both name only different ones, else 0."""
    index: dict[str, int] = {}
    for ts in itertools.chain(rows, cols):
        for t in ts:
            index.setdefault(t, len(index))

    def indicator(topics: Sequence[frozenset[str]]) -> np.ndarray:
        m = np.zeros((len(topics), max(1, len(index))), dtype=np.float32)
        for i, ts in enumerate(topics):
            m[i, [index[t] for t in ts]] = 1.0
        return m

    a, b = indicator(rows), indicator(cols)
    shared = (a @ b.T) > 0
    both = (a.sum(1) > 0)[:, None] & (b.sum(1) > 0)[None, :]
    return np.where(shared, 1, np.where(both, -1, 0)).astype(np.int8)


def reference_means(taxonomy: Any, encoder: Any, cache_dir: Any = None, *, per_language: int = 400) -> dict[str, Matrix]:
    """Mean embedding of our own Russian and of our own Kazakh example phrasings (taxonomy.toml)."""
    from .features import EmbeddingCache

    cache = EmbeddingCache(encoder, cache_dir, name="clusterer-reference")
    means: dict[str, Matrix] = {}
    for lang in ("ru", "kk"):
        lists = [[cat.name[lang], cat.description[lang], *cat.examples[lang]] for cat in taxonomy]
        mixed = [t for row in itertools.zip_longest(*lists) for t in row if t]  # every category alike
        texts = list(dict.fromkeys(mixed))[:per_language]
        if texts:
            means[lang] = cache.embed(texts).mean(axis=0).astype(np.float32)
    cache.save()
    if "ru" in means and "kk" in means:
        means["mixed"] = ((means["ru"] + means["kk"]) / 2).astype(np.float32)
    return means
