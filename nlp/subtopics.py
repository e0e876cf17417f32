"""Subtopics: the specific issue a comment raises ("нет воды", "ямы на дороге"), from our own lexicon.

Categories are too coarse to tell two problems apart (street lighting and a pothole are both
"roads" to a careless reader); the subtopic lexicon in ``config/nlp/subtopics.toml`` names the
issue itself, with a Russian and a Kazakh wording a secretary can sign. Terms are matched on
words and Russian lemmas of the normalised text, so "воды нет", "без воды" and "су жоқ" meet.
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from tyndau.nlp.memo import Memo

TERM_LANGS: tuple[str, ...] = ("ru", "kk", "lat")
WINDOW = 5
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+")
_KK_FOLD = str.maketrans("әғқңөұүһіё", "агкноуухие")
_KAZAKH = frozenset("әғқңөұүһі")
# A Kazakh clause ends in its predicate: "су жоқ" is "no water", but in "психолог жоқ, … кім жауап
# береді" the "жоқ" belongs to the psychologist, not to the answer. A term that ends in one of these
# Kazakh words (in whichever list it stands) matches only with it after the term's other words.
_KAZAKH_PREDICATES = frozenset({"жоқ", "жок", "керек"})
# Russian reads the Kazakh particles "та"/"те" ("жарық та жоқ") as forms of "тот", which is the
# Kazakh "rust" of "тот су"; no term needs the Russian demonstrative, so they keep their spelling.
_NOT_LEMMATISED = frozenset({"та", "те"})
_MAX_WORDS = 400  # a 10,000-character rant is matched on its first words only
_LEMMA_CACHE = 50_000


class SubtopicError(ValueError):
    """The subtopic file is invalid; the message names the file and the subtopic."""


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a term: alternatives, each a whole word or (``prefix``) a word start."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]

    def matches(self, forms: Iterable[str]) -> bool:
        """True when any form of a text word is one of the alternatives."""
        return any(f in self.exact or f.startswith(self.prefixes) for f in forms)


@dataclass(frozen=True, slots=True)
class Term:
    """A trigger: words that must all occur within ``WINDOW`` words, in any order (``last``: its last word after the others)."""

    text: str
    words: tuple[Word, ...]
    last: bool = False

    @property
    def weight(self) -> int:
        """A term of more words says more precisely what the comment is about."""
        return len(self.words)


@dataclass(frozen=True, slots=True)
class Subtopic:
    """One issue under a category, with its Russian and Kazakh wording and its triggers."""

    id: str
    category: str
    name: Mapping[str, str]
    terms: tuple[Term, ...]
    overrides: tuple[str, ...] = ()
    scope: str = "place"
    district_terms: frozenset[str] = frozenset()

    def label(self, lang: str = "ru") -> str:
        """The wording in ``lang`` (Russian when that language is missing)."""
        return self.name.get(lang) or self.name["ru"]


@dataclass(frozen=True, slots=True)
class SubtopicMatch:
    """A subtopic found in a text: id, category, ru/kk names, score and the terms that fired."""

    id: str
    category: str
    name_ru: str
    name_kk: str
    score: int
    terms: tuple[str, ...]


def fold(word: str) -> str:
    """Lower case, ё as е, Kazakh letters as typed on a Russian keyboard (жоқ = жок)."""
    return word.lower().translate(_KK_FOLD)


def _parse_word(raw: str) -> Word:
    exact: set[str] = set()
    prefixes: list[str] = []
    for alt in raw.split("|"):
        alt = alt.strip().lower().replace("ё", "е")
        if not alt:
            continue
        if alt.endswith("*"):
            stem = alt[:-1]
            prefixes.extend({stem, fold(stem)})
        else:
            exact.update({alt, fold(alt)})
    return Word(frozenset(exact), tuple(sorted(set(prefixes))))


def parse_term(text: str) -> Term:
    """A term from the file's syntax ("нет вода", "су|суы жоқ|жок", "шұңқыр*")."""
    words = tuple(_parse_word(w) for w in text.split())
    if not words or any(not (w.exact or w.prefixes) for w in words):
        raise ValueError(f"empty word in term {text!r}")
    if any(p == "" for w in words for p in w.prefixes):
        raise ValueError(f"a bare '*' in term {text!r} would match every word")
    last = len(words) > 1 and bool(words[-1].exact & _KAZAKH_PREDICATES)
    return Term(text, words, last)


class Lemmas:
    """Russian lemmas by pymorphy3's most probable normal form; None when pymorphy3 is absent."""

    def __init__(self) -> None:
        self._morph: Any = None
        self._tried = False
        self._cache: dict[str, str] = {}

    def __call__(self, word: str) -> str | None:
        """The lemma of a lower-case Cyrillic word without Kazakh letters, else None."""
        if _KAZAKH & set(word) or word in _NOT_LEMMATISED or not all("\u0400" <= c <= "\u04ff" or c == "-" for c in word):
            return None
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        morph = self._analyser()
        if morph is None:
            return None
        totals: dict[str, float] = {}
        for parse in morph.parse(word):
            if parse.is_known:
                totals[parse.normal_form] = totals.get(parse.normal_form, 0.0) + parse.score
        lemma = max(totals, key=lambda k: totals[k]).replace("ё", "е") if totals else word
        if len(self._cache) >= _LEMMA_CACHE:
            self._cache.clear()
        self._cache[word] = lemma
        return lemma

    def _analyser(self) -> Any:
        if not self._tried:
            self._tried = True
            try:
                from pymorphy3 import MorphAnalyzer

                self._morph = MorphAnalyzer(lang="ru")
            except Exception:  # noqa: BLE001 - without pymorphy3 the matcher uses word forms only
                self._morph = None
        return self._morph


class SubtopicLexicon:
    """The subtopics of one file and the matcher over them."""

    def __init__(self, subtopics: Iterable[Subtopic], *, source: str = "<memory>",
                 lemmas: Lemmas | None = None) -> None:
        self.subtopics = tuple(subtopics)
        self.source = source
        self._by_id = {s.id: s for s in self.subtopics}
        self._lemmas = lemmas if lemmas is not None else Lemmas()
        self._terms: list[tuple[str, Term]] = [(s.id, t) for s in self.subtopics for t in s.terms]
        self._exact: dict[str, list[tuple[int, int]]] = {}
        self._prefix: dict[str, list[tuple[int, int]]] = {}
        for n, (_, term) in enumerate(self._terms):
            for w, word in enumerate(term.words):
                for form in word.exact:
                    self._exact.setdefault(form, []).append((n, w))
                for stem in word.prefixes:
                    self._prefix.setdefault(stem, []).append((n, w))
        self._longest = max((len(p) for p in self._prefix), default=0)
        self._recent: dict[str, list[SubtopicMatch]] = {}
        self._word_forms: Memo[str, frozenset[str]] = Memo(self._forms_of)

    @classmethod
    def from_toml(cls, path: str | Path | None = None, *, categories: Iterable[str] | None = None) -> SubtopicLexicon:
        """Read ``config/nlp/subtopics.toml`` (or ``path``); every mistake is a SubtopicError."""
        if path is None:
            res = resources.files("tyndau.config").joinpath("nlp", "subtopics.toml")
            text, source = res.read_text(encoding="utf-8"), "config/nlp/subtopics.toml"
        else:
            text, source = Path(path).read_text(encoding="utf-8"), str(path)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SubtopicError(f"{source}: {exc}") from exc
        known = set(categories) if categories is not None else None
        subtopics = [_subtopic(raw, source, known) for raw in data.get("subtopic", ())]
        ids = [s.id for s in subtopics]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise SubtopicError(f"{source}: duplicate subtopic id(s): {', '.join(dupes)}")
        for s in subtopics:
            missing = [o for o in s.overrides if o not in ids]
            if missing:
                raise SubtopicError(f"{source}: subtopic {s.id!r} overrides unknown {', '.join(missing)}")
        return cls(subtopics, source=source)

    def __iter__(self) -> Iterator[Subtopic]:
        return iter(self.subtopics)

    def __len__(self) -> int:
        return len(self.subtopics)

    def __contains__(self, subtopic_id: object) -> bool:
        return subtopic_id in self._by_id

    def district_wide(self) -> frozenset[str]:
        """Issues the district decides as one (a waiting list, a programme): unplaced comments on one are one problem."""
        return frozenset(s.id for s in self.subtopics if s.scope == "district")

    def district_issue(self, text: str) -> str | None:
        """The district-wide issue ``text`` names in so many words: its best subtopic, when a district term fired.

        "Очередь в садик" names the waiting list; "воспитатель в детском саду грубит" only the
        kindergarten, so it names no district-wide issue though its best subtopic is the same.
        """
        found = self.match(text)
        if not found:
            return None
        best = self._by_id[found[0].id]
        if best.scope != "district":
            return None
        if best.district_terms and not best.district_terms & set(found[0].terms):
            return None
        return best.id

    def get(self, subtopic_id: str) -> Subtopic:
        """The subtopic with ``subtopic_id``; KeyError names the unknown id."""
        try:
            return self._by_id[subtopic_id]
        except KeyError:
            raise KeyError(f"unknown subtopic {subtopic_id!r}") from None

    def forms(self, text: str) -> list[frozenset[str]]:
        """Each word of ``text`` as the set of forms the terms are compared with."""
        out: list[frozenset[str]] = []
        for m in _WORD_RE.finditer(text or ""):
            if len(out) >= _MAX_WORDS:
                break
            out.append(self._word_forms(m.group(0).lower().replace("ё", "е")))
        return out

    def _forms_of(self, low: str) -> frozenset[str]:
        pieces = low.split("-")
        forms: set[str] = set()
        read: list[set[str]] = []
        for part in [low, *pieces] if len(pieces) > 1 else [low]:
            lemma = self._lemmas(part)
            forms.update({part, fold(part)} | ({lemma} if lemma else set()))
            read.append({part, lemma or part})
        if 2 <= len(pieces) <= 3:
            # "ребёнка-инвалида" is "ребёнок-инвалид": each piece as written or as its lemma
            forms.update("-".join(c) for c in itertools.product(*read[1:]))
        return frozenset(forms)

    def match(self, text: str) -> list[SubtopicMatch]:
        """Subtopics of ``text``, best first (empty when none fires); never raises on text."""
        cached = self._recent.get(text)
        if cached is not None:
            return list(cached)
        found = self._match(text)
        if len(self._recent) >= _LEMMA_CACHE // 10:
            self._recent.clear()
        self._recent[text] = found
        return list(found)

    def _match(self, text: str) -> list[SubtopicMatch]:
        forms = self.forms(text)
        if not forms:
            return []
        # Where each word of each term occurs: term index -> word index -> positions.
        hits: dict[int, dict[int, set[int]]] = {}
        for pos, here in enumerate(forms):
            for form in here:
                for n, w in self._exact.get(form, ()):
                    hits.setdefault(n, {}).setdefault(w, set()).add(pos)
                for k in range(1, min(len(form), self._longest) + 1):
                    for n, w in self._prefix.get(form[:k], ()):
                        hits.setdefault(n, {}).setdefault(w, set()).add(pos)
        scores: dict[str, tuple[int, list[str]]] = {}
        for n, words_at in hits.items():
            sid, term = self._terms[n]
            if len(words_at) == len(term.words) and _fits(term, words_at):
                total, texts = scores.get(sid, (0, []))
                scores[sid] = (total + term.weight, [*texts, term.text])
        for sid in list(scores):
            for other in self._by_id[sid].overrides:
                if other in scores and sid in scores and scores[sid][0] >= scores[other][0]:
                    del scores[other]
        order = {s.id: i for i, s in enumerate(self.subtopics)}
        ranked = sorted(scores, key=lambda s: (-scores[s][0], -max(len(t.split()) for t in scores[s][1]), order[s]))
        return [self._result(sid, *scores[sid]) for sid in ranked]

    def match_many(self, texts: Sequence[str]) -> list[list[SubtopicMatch]]:
        """``match`` for each text."""
        return [self.match(t) for t in texts]

    def best(self, text: str) -> SubtopicMatch | None:
        """The strongest subtopic of ``text``, or None."""
        found = self.match(text)
        return found[0] if found else None

    def _result(self, sid: str, score: int, terms: list[str]) -> SubtopicMatch:
        sub = self._by_id[sid]
        return SubtopicMatch(sub.id, sub.category, sub.label("ru"), sub.label("kk"), score, tuple(terms))


def _fits(term: Term, words_at: Mapping[int, set[int]]) -> bool:
    """True when the term's words sit on distinct text words within ``WINDOW`` words of each other."""
    if len(term.words) == 1:
        return True
    if term.last:
        return _fits_before_last(term, words_at)
    lists = [sorted(words_at[w]) for w in range(len(term.words))]
    # Every window of WINDOW words that holds the first word: picking the earliest position of each
    # word regardless of the window missed "автобус то есть, то нет" (the "нет" of "нет расписания"
    # before it was taken, and the term then spanned six words).
    for anchor in lists[0]:
        for lo in range(anchor - WINDOW + 1, anchor + 1):
            used = {anchor}
            for positions in lists[1:]:
                pick = next((p for p in positions if lo <= p < lo + WINDOW and p not in used), None)
                if pick is None:
                    break
                used.add(pick)
            else:
                return True
    return False


def _fits_before_last(term: Term, words_at: Mapping[int, set[int]]) -> bool:
    """True when the term's other words sit on distinct text words in the ``WINDOW`` words before its last one."""
    *heads, last = range(len(term.words))
    for end in sorted(words_at[last]):
        used = {end}
        for w in heads:
            pick = next((p for p in sorted(words_at[w], reverse=True) if end - WINDOW < p < end and p not in used), None)
            if pick is None:
                break
            used.add(pick)
        else:
            return True
    return False


def _subtopic(raw: Mapping[str, Any], source: str, categories: set[str] | None) -> Subtopic:
    sid = raw.get("id")
    if not isinstance(sid, str) or not _ID_RE.match(sid):
        raise SubtopicError(f"{source}: subtopic id {sid!r} must be lower case a-z, 0-9, _")
    where = f"{source}: subtopic {sid!r}"
    category = raw.get("category")
    if not isinstance(category, str) or (categories is not None and category not in categories):
        raise SubtopicError(f"{where}: unknown category {category!r}")
    name = raw.get("name") or {}
    if not all(isinstance(name.get(lang), str) and name[lang].strip() for lang in ("ru", "kk")):
        raise SubtopicError(f"{where}: needs name.ru and name.kk")
    terms: list[Term] = []
    for lang in TERM_LANGS:
        values = raw.get(lang, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise SubtopicError(f"{where}: {lang} must be a list of strings")
        for value in values:
            try:
                terms.append(parse_term(value))
            except ValueError as exc:
                raise SubtopicError(f"{where}: {exc}") from None
    if not raw.get("ru") or not raw.get("kk"):
        raise SubtopicError(f"{where}: needs Russian and Kazakh terms")
    overrides = raw.get("overrides", [])
    if not isinstance(overrides, list) or not all(isinstance(o, str) for o in overrides):
        raise SubtopicError(f"{where}: overrides must be a list of subtopic ids")
    scope = raw.get("scope", "place")
    if scope not in ("place", "district"):
        raise SubtopicError(f"{where}: scope must be 'place' or 'district'")
    district = raw.get("district_terms", [])
    if not isinstance(district, list) or not all(isinstance(v, str) for v in district):
        raise SubtopicError(f"{where}: district_terms must be a list of strings")
    if district and scope != "district":
        raise SubtopicError(f"{where}: district_terms need scope = 'district'")
    known = {t.text for t in terms}
    for value in district:
        if value not in known:
            try:
                terms.append(parse_term(value))
            except ValueError as exc:
                raise SubtopicError(f"{where}: {exc}") from None
            known.add(value)
    unknown = sorted(set(raw) - {"id", "category", "name", "overrides", "scope", "district_terms", *TERM_LANGS})
    if unknown:
        raise SubtopicError(f"{where}: unknown key(s) {', '.join(unknown)}")
    return Subtopic(sid, category, {"ru": name["ru"].strip(), "kk": name["kk"].strip()}, tuple(terms), tuple(overrides),
                    scope, frozenset(district))


@functools.cache
def default_lexicon() -> SubtopicLexicon:
    """The shipped lexicon, read once per process."""
    return SubtopicLexicon.from_toml()
