"""Fitted logistic heads and tf-idf features scored with numpy alone.

scikit-learn fits the two-view models once per machine (the cold start); serving only needs the
numbers it found. Importing scikit-learn is ~0.55 s of a warm start whose target is 3 s, so a fitted
model keeps those numbers in these classes and the serve path never imports it. The results equal
scikit-learn's ``predict_proba`` and ``transform`` to float rounding
(``tests/nlp/test_linear_heads.py`` compares them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
_WHITE_SPACES = re.compile(r"\s\s+")  # as scikit-learn's char_wb analyser normalises spaces


@dataclass(frozen=True, slots=True)
class SparseRow:
    """One text's non-zero features: column indices and their values."""

    indices: npt.NDArray[np.int64]
    values: Floats


@dataclass(frozen=True, slots=True)
class LogisticHead:
    """A fitted ``LogisticRegression``: one weight row per class (one row for two classes)."""

    coef: Floats
    intercept: Floats

    @classmethod
    def from_sklearn(cls, model: Any) -> LogisticHead:
        """The weights of a fitted scikit-learn ``LogisticRegression``."""
        return cls(np.asarray(model.coef_, dtype=np.float64).copy(), np.asarray(model.intercept_, dtype=np.float64).copy())

    def proba(self, x: npt.ArrayLike) -> Floats:
        """Class probabilities of dense rows (scikit-learn's ``predict_proba``)."""
        return self._from_decision(np.asarray(x, dtype=np.float64) @ self.coef.T + self.intercept)

    def proba_sparse(self, rows: Sequence[SparseRow]) -> Floats:
        """Class probabilities of sparse rows (the tf-idf features of texts)."""
        decision = np.tile(self.intercept, (len(rows), 1))
        for i, row in enumerate(rows):
            if row.indices.size:
                decision[i] += self.coef[:, row.indices] @ row.values
        return self._from_decision(decision)

    @staticmethod
    def _from_decision(decision: Floats) -> Floats:
        if decision.shape[1] == 1:  # two classes: the sigmoid of the one score
            p = 1.0 / (1.0 + np.exp(-decision[:, 0]))
            return np.stack([1.0 - p, p], axis=1)
        shifted = decision - decision.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        out: Floats = e / e.sum(axis=1, keepdims=True)
        return out


@dataclass(frozen=True, slots=True)
class TfidfBlock:
    """A fitted ``TfidfVectorizer`` (analyser ``char_wb`` or ``word``, l2 norm) as its vocabulary and idf."""

    analyzer: str
    ngram_range: tuple[int, int]
    lowercase: bool
    sublinear_tf: bool
    token_pattern: str
    vocabulary: dict[str, int]
    idf: Floats

    @classmethod
    def from_sklearn(cls, vec: Any) -> TfidfBlock:
        """The state of a fitted scikit-learn ``TfidfVectorizer`` this class knows how to apply."""
        if vec.analyzer not in ("char_wb", "word") or vec.norm != "l2" or vec.preprocessor is not None \
                or vec.tokenizer is not None or vec.strip_accents is not None or vec.stop_words is not None \
                or not vec.use_idf:
            raise ValueError(f"unsupported TfidfVectorizer settings: {vec.get_params()}")
        return cls(vec.analyzer, tuple(vec.ngram_range), bool(vec.lowercase), bool(vec.sublinear_tf),
                   str(vec.token_pattern), {str(k): int(v) for k, v in vec.vocabulary_.items()},
                   np.asarray(vec.idf_, dtype=np.float64).copy())

    @property
    def width(self) -> int:
        """How many columns this block adds."""
        return int(self.idf.shape[0])

    def features(self, text: str) -> list[str]:
        """The analyser's features of one text, in scikit-learn's order."""
        doc = text.lower() if self.lowercase else text
        lo, hi = self.ngram_range
        if self.analyzer == "word":
            tokens = re.findall(self.token_pattern, doc)
            if (lo, hi) == (1, 1):
                return list(tokens)
            return [" ".join(tokens[i:i + n]) for n in range(lo, hi + 1) for i in range(len(tokens) - n + 1)]
        out: list[str] = []
        for w in _WHITE_SPACES.sub(" ", doc).split():
            w = f" {w} "
            for n in range(lo, hi + 1):
                offset = 0
                out.append(w[offset:offset + n])
                while offset + n < len(w):
                    offset += 1
                    out.append(w[offset:offset + n])
                if offset == 0:  # a word shorter than n is counted once
                    break
        return out

    def row(self, text: str) -> SparseRow:
        """The l2-normalised tf-idf values of one text."""
        counts: dict[int, int] = {}
        vocabulary = self.vocabulary
        for feature in self.features(text):
            j = vocabulary.get(feature)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            return SparseRow(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
        indices = np.fromiter(sorted(counts), dtype=np.int64, count=len(counts))
        values = np.asarray([counts[j] for j in indices.tolist()], dtype=np.float64)
        if self.sublinear_tf:
            values = np.log(values) + 1.0
        values *= self.idf[indices]
        norm = float(np.sqrt(values @ values))
        if norm > 0:
            values /= norm
        return SparseRow(indices, values)


@dataclass(frozen=True, slots=True)
class TextFeatures:
    """A fitted union of tf-idf blocks: each block normalised on its own, side by side."""

    blocks: tuple[TfidfBlock, ...]

    @classmethod
    def from_sklearn(cls, union: Any) -> TextFeatures:
        """The blocks of a fitted scikit-learn ``FeatureUnion`` of ``TfidfVectorizer`` s."""
        return cls(tuple(TfidfBlock.from_sklearn(vec) for _, vec in union.transformer_list))

    def rows(self, texts: Sequence[str]) -> list[SparseRow]:
        """One sparse row per text, the columns of later blocks shifted past the earlier ones."""
        out = []
        for text in texts:
            parts, offset = [], 0
            for block in self.blocks:
                r = block.row(text)
                parts.append(SparseRow(r.indices + offset, r.values))
                offset += block.width
            out.append(SparseRow(np.concatenate([p.indices for p in parts]), np.concatenate([p.values for p in parts])))
        return out
