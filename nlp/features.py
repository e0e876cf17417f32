"""Shared machinery of the learned NLP stages: cached example embeddings and a two-view model.

The categoriser and the problem detector both learn from phrasings written in ``config/``;
they see each text twice (an e5 sentence embedding and character/word n-grams) because the
embedding carries meaning across Russian and Kazakh while the n-grams keep exact terms.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import random
import tempfile
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from .linear_heads import LogisticHead, TextFeatures

logger = logging.getLogger(__name__)
# Part of a fitted model's cache key: a cache written before the models were kept as numbers
# holds scikit-learn objects, whose unpickling would import scikit-learn again.
_CACHE_FORMAT = "numpy-heads-1"

Matrix = npt.NDArray[np.float32]
_PROBE = "query probe: тест сынақ 12"


class TextEncoder(Protocol):
    """What the learned stages need from the ``encoder`` stage."""

    def encode(self, texts: Sequence[str], *, prefix: str = "query: ") -> Matrix: ...


def encoder_fingerprint(encoder: TextEncoder) -> str:
    """A short id of the encoder: its declared ``fingerprint`` (weights + settings), else a probe's hash."""
    declared = getattr(encoder, "fingerprint", None)
    if isinstance(declared, str) and declared:
        return declared
    vec = np.asarray(encoder.encode([_PROBE]), dtype=np.float32)[0]
    rounded = np.round(vec.astype(np.float64), 3).tobytes()
    return hashlib.sha1(f"{type(encoder).__name__}:{vec.size}".encode() + rounded).hexdigest()[:16]


class EmbeddingCache:
    """Embeddings of config texts per encoder, so start-up does not re-embed them.

    Rows are keyed by the text's hash, so an edited taxonomy re-embeds only what changed. They come
    from the shipped file (``config/nlp/example_embeddings.npz``, when it was made by this very
    encoder) and from one file per encoder in the model cache, shared by every learned stage.
    """

    def __init__(self, encoder: TextEncoder, cache_dir: Path | None, *, name: str = "examples") -> None:
        from .example_store import read_rows, shipped_rows

        self.encoder = encoder
        self.name = name
        self.path: Path | None = None
        self._rows: dict[str, Matrix] = {}
        self._dirty = False
        if cache_dir is not None:
            fingerprint = encoder_fingerprint(encoder)
            self._rows = shipped_rows(fingerprint)
            self.path = Path(cache_dir) / f"nlp-embeddings-{fingerprint}.npz"
            self._rows.update(read_rows(self.path))

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def embed(self, texts: Sequence[str]) -> Matrix:
        """One row per text, computing only the texts not seen before."""
        keys = [self._key(t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in self._rows}.items())
        if missing:
            logger.info("embedding %d of %d %s texts (the rest are cached)", len(missing), len(keys), self.name)
            rows = np.asarray(self.encoder.encode([t for _, t in missing]), dtype=np.float32)
            self._rows.update({k: r for (k, _), r in zip(missing, rows)})
            self._dirty = True
        if not keys:
            return np.zeros((0, self._dim()), dtype=np.float32)
        return np.stack([self._rows[k] for k in keys]).astype(np.float32)

    def _dim(self) -> int:
        for row in self._rows.values():
            return int(row.shape[0])
        return int(np.asarray(self.encoder.encode([_PROBE])).shape[1])

    def save(self) -> None:
        """Merge new rows into the encoder's cache file atomically (a crash leaves the old file)."""
        from .example_store import read_rows, write_rows

        if not (self._dirty and self.path is not None):
            return
        merged = read_rows(self.path)
        merged.update(self._rows)
        if write_rows(self.path, merged):
            self._dirty = False


@dataclass(frozen=True, slots=True)
class Wrappers:
    """Category-neutral openings and closings, per language (``config/nlp/wrappers.toml``)."""

    opening: Mapping[str, tuple[str, ...]]
    closing: Mapping[str, tuple[str, ...]]

    @classmethod
    def load(cls, path: Path) -> Wrappers:
        """Read the wrapper phrases; a missing file means no wrapping."""
        if not path.exists():
            return cls({}, {})
        data = tomllib.loads(path.read_text(encoding="utf-8")).get("wrappers", {})
        opening = {k[: -len("_open")]: tuple(v) for k, v in data.items() if k.endswith("_open")}
        closing = {k[: -len("_close")]: tuple(v) for k, v in data.items() if k.endswith("_close")}
        return cls(opening, closing)

    def wrap(self, text: str, lang: str, rng: random.Random) -> str | None:
        """``text`` with a random opening and/or closing in ``lang``; None without phrases."""
        opening, closing = self.opening.get(lang), self.closing.get(lang)
        if not opening or not closing:
            return None
        mode = rng.random()
        if mode < 1 / 3:
            return f"{rng.choice(opening)} {text}"
        if mode < 2 / 3:
            return f"{text} {rng.choice(closing)}"
        return f"{rng.choice(opening)} {text} {rng.choice(closing)}"


@dataclass(slots=True)
class TrainingSet:
    """Texts with labels, languages and sample weights; ``base`` marks unwrapped originals."""

    texts: list[str]
    labels: list[str]
    langs: list[str]
    weights: list[float]
    base: list[bool]

    @classmethod
    def empty(cls) -> TrainingSet:
        return cls([], [], [], [], [])

    def add(self, text: str, label: str, lang: str, weight: float = 1.0, base: bool = True) -> None:
        self.texts.append(text)
        self.labels.append(label)
        self.langs.append(lang)
        self.weights.append(weight)
        self.base.append(base)

    def augmented(self, wrappers: Wrappers, copies: int, seed: int = 0) -> TrainingSet:
        """This set plus ``copies`` wrapped variants of every base text."""
        out = TrainingSet(list(self.texts), list(self.labels), list(self.langs),
                          list(self.weights), list(self.base))
        rng = random.Random(seed)
        for text, label, lang, weight, base in zip(self.texts, self.labels, self.langs,
                                                   self.weights, self.base):
            if not base:
                continue
            for _ in range(copies):
                wrapped = wrappers.wrap(text, lang, rng)
                if wrapped is not None:
                    out.add(wrapped, label, lang, weight, base=False)
        return out


def centre(matrix: Matrix, mean: Matrix) -> Matrix:
    """Subtract the reference mean (e5 cosines sit in a narrow band until centred)."""
    return np.asarray(matrix, dtype=np.float32) - mean


def unit_rows(matrix: Matrix) -> Matrix:
    """Rows scaled to length 1 (zero rows stay zero)."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.maximum(norms, 1e-12)).astype(np.float32)


class TwoViewModel:
    """Logistic regression on centred embeddings plus one on n-grams, mixed in log space."""

    def __init__(self, *, embedding_c: float = 3.0, text_c: float = 10.0, text_weight: float = 0.5,
                 class_weight: str | None = None) -> None:
        self.embedding_c = embedding_c
        self.text_c = text_c
        self.text_weight = text_weight
        self.class_weight = class_weight
        self.classes: list[str] = []
        self._emb: LogisticHead | None = None
        self._txt: LogisticHead | None = None
        self._vec: TextFeatures | None = None
        self._single: str | None = None

    def fit(self, texts: Sequence[str], embeddings: Matrix, labels: Sequence[str],
            weights: Sequence[float] | None = None) -> TwoViewModel:
        """Train both views; ``embeddings`` must already be centred."""
        from sklearn.linear_model import LogisticRegression

        y = np.asarray(labels)
        w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
        self.classes = sorted(set(labels))
        if len(self.classes) == 1:
            self._single = self.classes[0]
            return self
        self._single = None
        # Fitted with scikit-learn, kept as numbers (nlp/linear_heads.py): serving never imports it.
        emb = LogisticRegression(C=self.embedding_c, max_iter=3000,
                                 class_weight=self.class_weight).fit(embeddings, y, sample_weight=w)
        self._emb = LogisticHead.from_sklearn(emb)
        if self.text_weight > 0:
            union = text_vectoriser().fit(texts)
            txt = LogisticRegression(C=self.text_c, max_iter=3000,
                                     class_weight=self.class_weight).fit(union.transform(texts), y, sample_weight=w)
            self._vec = TextFeatures.from_sklearn(union)
            self._txt = LogisticHead.from_sklearn(txt)
        return self

    def log_proba(self, texts: Sequence[str], embeddings: Matrix) -> Matrix:
        """Mixed log-probabilities, one column per class in ``self.classes`` order."""
        if self._single is not None:
            return np.zeros((len(texts), 1), dtype=np.float32)
        if self._emb is None:
            raise RuntimeError("the model is not fitted")
        log_e = np.log(np.clip(self._emb.proba(embeddings), 1e-9, 1.0))
        if self._txt is None or self._vec is None:
            return log_e.astype(np.float32)
        log_t = np.log(np.clip(self._txt.proba_sparse(self._vec.rows(texts)), 1e-9, 1.0))
        return ((1 - self.text_weight) * log_e + self.text_weight * log_t).astype(np.float32)


def fit_cached(model: TwoViewModel, texts: Sequence[str], embeddings: Matrix, labels: Sequence[str],
               weights: Sequence[float] | None, cache_dir: Path | None, name: str) -> TwoViewModel:
    """Fit ``model``, or load the identical fit from ``cache_dir`` (keyed by data and settings)."""
    if cache_dir is None:
        return model.fit(texts, embeddings, labels, weights)
    h = hashlib.sha1()
    h.update(_CACHE_FORMAT.encode())
    h.update(repr((model.embedding_c, model.text_c, model.text_weight, model.class_weight)).encode())
    h.update("\x1f".join(texts).encode("utf-8"))
    h.update("\x1f".join(labels).encode("utf-8"))
    h.update(np.asarray(weights if weights is not None else [], dtype=np.float64).tobytes())
    h.update(np.ascontiguousarray(embeddings, dtype=np.float32).tobytes())
    path = Path(cache_dir) / f"nlp-{name}-model-{h.hexdigest()[:20]}.pickle"
    if path.exists():
        try:
            with path.open("rb") as fh:  # our own cache file, written below
                cached = pickle.load(fh)
            if isinstance(cached, TwoViewModel):
                return cached
        except Exception as exc:  # noqa: BLE001 - torn or foreign: refit and overwrite
            logger.warning("ignoring unreadable model cache %s (%s)", path, exc)
    model.fit(texts, embeddings, labels, weights)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".pickle.tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(tmp, 0o644)  # the model cache may be shared by several service accounts
        os.replace(tmp, path)
    except OSError as exc:
        logger.warning("cannot write model cache %s: %s", path, exc)
    return model


def text_vectoriser() -> Any:
    """Character 3–5-grams inside words plus whole words: typo- and inflection-tolerant."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_union

    return make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True),
        TfidfVectorizer(analyzer="word", sublinear_tf=True, lowercase=True),
    )


def softmax(logits: Matrix, temperature: float = 1.0) -> Matrix:
    """Row-wise softmax of ``logits / temperature``."""
    z = np.asarray(logits, dtype=np.float64) / max(temperature, 1e-6)
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)


def settings_from_mapping(cls: Any, data: Mapping[str, Any] | None, role: str) -> Any:
    """A stage's settings dataclass from its config table; unknown keys are an error so typos do not go unseen."""
    from dataclasses import fields

    data = dict(data or {})
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - names - {"use"})
    if unknown:
        raise ValueError(f"unknown {role} setting(s): {', '.join(unknown)}")
    return cls(**{k: v for k, v in data.items() if k in names})
