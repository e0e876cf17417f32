"""Tokens and lemmas: spaCy's Russian pymorphy3 lemmatiser, and plain tokens for Kazakh.

Without a tagger spaCy's pymorphy3 lemmatiser leaves ambiguous forms as they are ("дороги",
"селе"); the registered ``tyndau_top_parse_lemma`` component then takes pymorphy3's most
probable parse ("дорога", "село"). Nothing is loaded until a ``Lemmatiser`` is first used.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

TOP_PARSE_FACTORY = "tyndau_top_parse_lemma"
KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_CACHE_LIMIT = 100_000


class CachedMorph:
    """A pymorphy3 ``MorphAnalyzer`` whose ``parse`` remembers recent words (spaCy calls it per token)."""

    def __init__(self, morph: Any, limit: int = _CACHE_LIMIT) -> None:
        self._morph = morph
        self._limit = limit
        self._parses: dict[str, Any] = {}

    def parse(self, word: str) -> Any:
        """``MorphAnalyzer.parse`` with a bounded cache."""
        found = self._parses.get(word)
        if found is None:
            found = self._morph.parse(word)
            if len(self._parses) >= self._limit:
                self._parses.clear()
            self._parses[word] = found
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._morph, name)


class TopParseLemma:
    """spaCy component: a Cyrillic word the lemmatiser left unchanged gets pymorphy3's top parse.

    Words with Kazakh letters keep their lower-cased form (pymorphy3 would invent a Russian
    lemma for them).
    """

    def __init__(self, nlp: Language, name: str) -> None:
        lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
        morph = getattr(lemmatizer, "_morph", None)
        if morph is None:
            from pymorphy3 import MorphAnalyzer

            morph = MorphAnalyzer(lang="ru")
        if not isinstance(morph, CachedMorph):
            morph = CachedMorph(morph)
            if lemmatizer is not None and hasattr(lemmatizer, "_morph"):
                # spaCy's lemmatizer parses every token afresh; share one cache with it.
                lemmatizer._morph = morph
        self._morph = morph
        self._cache: dict[str, str] = {}
        self.name = name

    def top_lemma(self, lower: str) -> str:
        """The normal form with the highest summed pymorphy3 score ("ямы" -> "яма"), cached."""
        cached = self._cache.get(lower)
        if cached is None:
            totals: dict[str, float] = {}
            for parse in self._morph.parse(lower):
                if parse.is_known:
                    totals[parse.normal_form] = totals.get(parse.normal_form, 0.0) + parse.score
            cached = max(totals, key=lambda k: totals[k]) if totals else lower
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[lower] = cached
        return cached

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            lower = token.lower_
            if not token.is_alpha:
                continue
            if KAZAKH_LETTERS & set(lower) or not _is_cyrillic(lower):
                token.lemma_ = lower
            elif not token.lemma_ or token.lemma_.lower() == lower:
                token.lemma_ = self.top_lemma(lower)
        return doc


def _make_top_parse(nlp: Language, name: str) -> TopParseLemma:
    return TopParseLemma(nlp, name)


def _is_cyrillic(word: str) -> bool:
    return all("\u0400" <= ch <= "\u04ff" for ch in word)


def register_components() -> None:
    """Register ``tyndau_top_parse_lemma`` with spaCy once (called when a pipeline is built)."""
    from spacy.language import Language

    if not Language.has_factory(TOP_PARSE_FACTORY):
        Language.factory(TOP_PARSE_FACTORY, func=_make_top_parse)


def build_russian() -> Language:
    """``spacy.blank("ru")`` + pymorphy3 lemmatizer + the top-parse fix."""
    import spacy

    register_components()
    nlp = spacy.blank("ru")
    nlp.add_pipe("lemmatizer", config={"mode": "pymorphy3", "overwrite": True})
    nlp.add_pipe(TOP_PARSE_FACTORY, after="lemmatizer")
    nlp.initialize()
    return nlp


def build_multilingual() -> Language:
    """``spacy.blank("xx")``: a tokenizer that splits Kazakh, emoji and hashtags well."""
    import spacy

    return spacy.blank("xx")


def _lemma(token: Token, use_lemma: bool) -> str:
    """Lower-case lemma (or token), ё folded to е as citizens mostly type it."""
    text = (token.lemma_ or token.lower_) if use_lemma else token.lower_
    return text.lower().replace("ё", "е")


def _keep(token: Token) -> bool:
    return not (token.is_punct or token.is_space) and any(ch.isalnum() for ch in token.text)


class Lemmatiser:
    """Lemmas for "ru" and "mixed" text (Russian pipeline), lower-cased tokens for the rest."""

    def __init__(self, batch_size: int = 256) -> None:
        self.batch_size = batch_size
        self._pipelines: dict[str, Any] = {}

    def pipeline(self, lang: str) -> Language:
        """The spaCy pipeline used for ``lang``, built on first use."""
        key = "ru" if lang in ("ru", "mixed") else "xx"
        nlp = self._pipelines.get(key)
        if nlp is None:
            nlp = build_russian() if key == "ru" else build_multilingual()
            self._pipelines[key] = nlp
        return nlp

    def tokens(self, text: str, lang: str = "ru") -> list[str]:
        """Word tokens of ``text`` as written (punctuation, spaces and emoji dropped)."""
        doc = self.pipeline("xx")(text or "")
        return [t.text for t in doc if _keep(t)]

    def lemmas(self, text: str, lang: str = "ru") -> list[str]:
        """Lower-case lemmas (ё as е) of the words of ``text``."""
        return next(iter(self.lemmas_many([text], lang)))

    def lemmas_many(self, texts: Iterable[str], lang: str = "ru") -> Iterator[list[str]]:
        """Lemmas of many texts of one language, batched through ``nlp.pipe``."""
        nlp = self.pipeline(lang)
        use_lemma = lang in ("ru", "mixed")
        for doc in nlp.pipe((t or "" for t in texts), batch_size=self.batch_size):
            yield [_lemma(t, use_lemma) for t in doc if _keep(t)]
