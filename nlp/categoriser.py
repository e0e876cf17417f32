"""The ``categoriser`` stage: which taxonomy category a problem belongs to, and how sure we are.

It learns only from ``config/taxonomy.toml`` (names, descriptions, keywords and example
phrasings) and from secretaries' corrections. The base model is trained on the config alone; the
issues of our subtopic lexicon (``config/nlp/subtopics.toml``) vote for their categories, like the
taxonomy's keywords. Corrections teach it in two ways (``corrections.py``): a per-category bias
that undoes the confusion the corrections show (this akimat files yard potholes under
improvement, not roads), and a vote of the nearest corrected comments mixed into the prior. Both
grow with the number of corrections, so a handful cannot swing every prediction, while a comment
that repeats a corrected one takes its category at once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .corrections import category_bias, neighbour_mix
from .features import (
    EmbeddingCache,
    Matrix,
    TextEncoder,
    TrainingSet,
    TwoViewModel,
    Wrappers,
    centre,
    fit_cached,
    softmax,
    unit_rows,
)
from .taxonomy import Taxonomy, config_path

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CategoryPrediction:
    """Top category with a calibrated confidence, the runner-up, and whether a human should look."""

    category: str | None
    confidence: float
    runner_up: str | None
    runner_up_confidence: float
    needs_review: bool


@dataclass(frozen=True, slots=True)
class CategoriserSettings:
    """Knobs of the categoriser (``[categoriser]`` in ``config/nlp.toml``)."""

    embedding_c: float = 3.0
    text_c: float = 10.0
    text_weight: float = 0.5
    wrapped_copies: int = 1
    keyword_weight: float = 0.2
    subtopic_weight: float = 0.5
    temperature: float = 0.6
    review_threshold: float = 0.5
    corrections_for_full_weight: int = 200
    bias_weight: float = 1.0
    knn_k: int = 10
    knn_temperature: float = 0.05
    knn_weight: float = 0.4
    same_text_similarity: float = 0.92
    refit_every: int = 10
    seed: int = 0

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> CategoriserSettings:
        """Settings from a config table; unknown keys are an error so typos do not go unseen."""
        from .features import settings_from_mapping

        return settings_from_mapping(cls, data, "categoriser")


@dataclass(slots=True)
class _Memory:
    """Secretaries' corrections: texts, categories and their centred unit embeddings."""

    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    vectors: list[Matrix] = field(default_factory=list)
    raw: list[Matrix] = field(default_factory=list)
    prior: list[Matrix] = field(default_factory=list)


class Categoriser:
    """Top category + calibrated confidence + runner-up, trained from the taxonomy config."""

    def __init__(self, taxonomy: Taxonomy, encoder: TextEncoder, *,
                 settings: CategoriserSettings | None = None, cache_dir: Path | None = None,
                 wrappers_path: Path | None = None) -> None:
        self.taxonomy = taxonomy
        self.encoder = encoder
        self.settings = settings or CategoriserSettings()
        self._cache = EmbeddingCache(encoder, cache_dir, name="categoriser")
        self._cache_dir = cache_dir
        self._wrappers = Wrappers.load(wrappers_path or config_path("nlp/wrappers.toml"))
        self._keywords = _compile_keywords(taxonomy)
        self._lexicon: Any = None
        self._memory = _Memory()
        self._pending = 0
        self._model = TwoViewModel()
        self._bias: Matrix | None = None
        self._classes: list[str] = []
        self._base_set = self._examples()
        self.mean: Matrix = np.zeros(1, dtype=np.float32)
        self.fit()

    # -- training -------------------------------------------------------------------------

    def _examples(self) -> TrainingSet:
        out = TrainingSet.empty()
        for cat in self.taxonomy:
            for lang in ("ru", "kk"):
                out.add(cat.name[lang], cat.id, lang)
                out.add(cat.description[lang], cat.id, lang)
                for text in cat.examples[lang]:
                    out.add(text, cat.id, lang)
        return out

    def fit(self) -> None:
        """Train the base model from the taxonomy examples (wrapped variants included)."""
        s = self.settings
        train = self._base_set.augmented(self._wrappers, s.wrapped_copies, seed=s.seed)
        emb = self._cache.embed(train.texts)
        self._cache.save()
        self.mean = emb[np.asarray(train.base)].mean(axis=0).astype(np.float32)
        self._model = fit_cached(
            TwoViewModel(embedding_c=s.embedding_c, text_c=s.text_c, text_weight=s.text_weight),
            train.texts, centre(emb, self.mean), train.labels, train.weights,
            self._cache_dir, "categoriser")
        self._classes = self._model.classes
        m = self._memory
        m.vectors = [unit_rows(centre(r[None, :], self.mean))[0] for r in m.raw]
        m.prior = list(self._prior(m.texts, np.stack(m.raw))) if m.raw else []
        self.refit()

    def refit(self) -> None:
        """Re-estimate the per-category bias now (the nearest-neighbour vote already applies them)."""
        self._pending = 0
        m = self._memory
        if not m.texts:
            self._bias = None
            return
        self._bias = category_bias(np.stack(m.prior), [self._classes.index(c) for c in m.labels])

    # -- corrections ----------------------------------------------------------------------

    def add_correction(self, text: str, category: str, embedding: Matrix | None = None) -> None:
        """A secretary says ``text`` belongs to ``category``; later predictions follow at once."""
        self.add_corrections([(text, category)], None if embedding is None else embedding[None, :])

    def add_corrections(self, items: Sequence[tuple[str, str]], embeddings: Matrix | None = None,
                        *, refit: bool | None = None) -> None:
        """Many corrections (e.g. replayed from the store at start-up), refitting at most once."""
        if not items:
            return
        for _, category in items:
            if category not in self.taxonomy:
                raise KeyError(f"unknown category {category!r}")
        texts = [t for t, _ in items]
        raw = (np.asarray(embeddings, dtype=np.float32) if embeddings is not None
               else np.asarray(self.encoder.encode(texts), dtype=np.float32))
        m = self._memory
        for text, (_, category), row, prior in zip(texts, items, raw, self._prior(texts, raw)):
            m.texts.append(text)
            m.labels.append(category)
            m.raw.append(row)
            m.vectors.append(unit_rows(centre(row[None, :], self.mean))[0])
            m.prior.append(prior)
        self._pending += len(items)
        if refit or (refit is None and self._pending >= self.settings.refit_every):
            self.refit()

    @property
    def corrections(self) -> list[tuple[str, str]]:
        """Corrections learned so far, oldest first."""
        return list(zip(self._memory.texts, self._memory.labels))

    # -- prediction -----------------------------------------------------------------------

    def probabilities(self, texts: Sequence[str], embeddings: Matrix | None = None) -> Matrix:
        """Calibrated probabilities, one column per id in ``self.classes``."""
        if not texts:
            return np.zeros((0, len(self._classes)), dtype=np.float32)
        raw = (np.asarray(embeddings, dtype=np.float32) if embeddings is not None
               else np.asarray(self.encoder.encode(list(texts)), dtype=np.float32))
        s = self.settings
        logits = self._base_logits(texts, raw)
        ramp = min(1.0, len(self._memory.texts) / max(s.corrections_for_full_weight, 1))
        if self._bias is not None and s.bias_weight:
            logits = logits + (s.temperature * s.bias_weight * ramp) * self._bias
        probs = softmax(logits, s.temperature)
        if self._memory.vectors:
            probs = neighbour_mix(probs, unit_rows(centre(raw, self.mean)), np.stack(self._memory.vectors),
                                  np.asarray([self._classes.index(c) for c in self._memory.labels]),
                                  k=s.knn_k, temperature=s.knn_temperature, weight=s.knn_weight * ramp,
                                  same_text=s.same_text_similarity)
        return probs

    def _prior(self, texts: Sequence[str], raw: Matrix) -> Matrix:
        """The taxonomy's probabilities before any correction (what the category bias compares with)."""
        return softmax(self._base_logits(texts, raw), self.settings.temperature)

    def _base_logits(self, texts: Sequence[str], raw: Matrix) -> Matrix:
        """What the taxonomy alone says: the two-view model plus keyword and subtopic votes."""
        logits = self._model.log_proba(texts, centre(raw, self.mean))
        if self.settings.keyword_weight:
            logits = logits + self.settings.keyword_weight * self._keyword_hits(texts)
        if self.settings.subtopic_weight:
            logits = logits + self.settings.subtopic_weight * self._subtopic_votes(texts)
        return logits

    @property
    def classes(self) -> list[str]:
        """Category ids in the column order of ``probabilities``."""
        return list(self._classes)

    def predict(self, texts: Sequence[str], embeddings: Matrix | None = None) -> list[CategoryPrediction]:
        """Top category, confidence, runner-up and the needs-review flag for each text."""
        probs = self.probabilities(texts, embeddings)
        out: list[CategoryPrediction] = []
        for row in probs:
            order = np.argsort(-row)
            top = int(order[0])
            second = int(order[1]) if len(order) > 1 else None
            conf = float(row[top])
            out.append(CategoryPrediction(
                category=self._classes[top], confidence=round(conf, 4),
                runner_up=self._classes[second] if second is not None else None,
                runner_up_confidence=round(float(row[second]), 4) if second is not None else 0.0,
                needs_review=conf < self.settings.review_threshold,
            ))
        return out

    def _subtopic_votes(self, texts: Sequence[str]) -> Matrix:
        """1 for the category of a text's best subtopic, 0.5 for those of the next two."""
        if self._lexicon is None:
            from .subtopics import default_lexicon

            self._lexicon = default_lexicon()
        votes = np.zeros((len(texts), len(self._classes)), dtype=np.float32)
        col = {c: i for i, c in enumerate(self._classes)}
        for row, text in enumerate(texts):
            for rank, found in enumerate(self._lexicon.match(text)[:3]):
                if found.category in col:
                    votes[row, col[found.category]] += 1.0 if rank == 0 else 0.5
        return votes

    def _keyword_hits(self, texts: Sequence[str]) -> Matrix:
        hits = np.zeros((len(texts), len(self._classes)), dtype=np.float32)
        col = {c: i for i, c in enumerate(self._classes)}
        for row, text in enumerate(texts):
            low = " " + text.lower().replace("ё", "е")
            for cid, pattern in self._keywords.items():
                if cid in col:
                    hits[row, col[cid]] = min(len(pattern.findall(low)), 3)
        return hits


def _compile_keywords(taxonomy: Taxonomy) -> dict[str, re.Pattern[str]]:
    """One regex per category matching any of its stems at the start of a word."""
    out: dict[str, re.Pattern[str]] = {}
    for cat in taxonomy:
        stems = sorted({k.lower().replace("ё", "е").strip() for lang in ("ru", "kk")
                        for k in cat.keywords[lang] if k.strip()}, key=len, reverse=True)
        if stems:
            out[cat.id] = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(s) for s in stems) + ")")
    return out


def corrections_from_rows(rows: Iterable[Mapping[str, str]]) -> list[tuple[str, str]]:
    """(text, category) pairs from stored rows with ``text`` and ``category`` keys."""
    return [(r["text"], r["category"]) for r in rows if r.get("text") and r.get("category")]
