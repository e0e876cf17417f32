"""The ``detector`` stage: is a comment a problem, question or proposal, or just chatter?

Trained on our own phrasings: every category example in the taxonomy and the problem examples
in ``config/nlp/problem_examples.toml`` are positives; greetings, thanks, praise, chatter, spam,
insults and reviews of goods and apps are negatives. Profanity does not decide anything here:
an angry comment that names a real problem is still a problem. The form of a chat message comes
first (``tyndau.nlp.chat``): a relay of the akim's answer, an agenda remark or a moderator's
notice is never a problem, and an echo ("+", "и у нас тоже") is a mention of someone else's.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

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
)
from .chat import ECHO, NOT_PROBLEM_ACTS, chat_act
from .taxonomy import Taxonomy, config_path

logger = logging.getLogger(__name__)
PROBLEM, NOT_PROBLEM = "problem", "not_problem"
_LETTERS = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class ProblemVerdict:
    """Whether a text is a problem: P(problem), the confidence in the verdict, the chat act behind it."""

    is_problem: bool
    probability: float
    confidence: float
    act: str | None = None


@dataclass(frozen=True, slots=True)
class DetectorSettings:
    """Knobs of the detector (``[detector]`` in ``config/nlp.toml``)."""

    threshold: float = 0.7
    review_band: float = 0.15
    subtopic_boost: float = 2.0
    embedding_c: float = 10.0
    text_c: float = 10.0
    text_weight: float = 0.5
    wrapped_copies: int = 0
    min_letters: int = 3
    seed: int = 0

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> DetectorSettings:
        """Settings from a config table; unknown keys are an error so typos do not go unseen."""
        from .features import settings_from_mapping

        return settings_from_mapping(cls, data, "detector")


def load_problem_examples(path: Path | None = None) -> TrainingSet:
    """Problem and non-problem phrasings from ``config/nlp/problem_examples.toml``."""
    file = path or config_path("nlp/problem_examples.toml")
    data = tomllib.loads(file.read_text(encoding="utf-8"))
    out = TrainingSet.empty()
    for table, label in (("problem", PROBLEM), ("not_problem", NOT_PROBLEM), ("reviews", NOT_PROBLEM)):
        for lang, texts in (data.get(table) or {}).items():
            for text in texts:
                if isinstance(text, str) and text.strip():
                    out.add(text.strip(), label, lang)
    return out


class ProblemDetector:
    """Two-view classifier with balanced classes and a tuned threshold on P(problem)."""

    def __init__(self, taxonomy: Taxonomy, encoder: TextEncoder, *,
                 settings: DetectorSettings | None = None, cache_dir: Path | None = None,
                 examples_path: Path | None = None, wrappers_path: Path | None = None) -> None:
        self.encoder = encoder
        self.settings = settings or DetectorSettings()
        self._lexicon: Any = None
        s = self.settings
        train = load_problem_examples(examples_path)
        for cat in taxonomy:
            for lang in ("ru", "kk"):
                for text in cat.examples[lang]:
                    train.add(text, PROBLEM, lang)
        wrappers = Wrappers.load(wrappers_path or config_path("nlp/wrappers.toml"))
        train = train.augmented(wrappers, s.wrapped_copies, seed=s.seed)
        cache = EmbeddingCache(encoder, cache_dir, name="detector")
        emb = cache.embed(train.texts)
        cache.save()
        self.mean: Matrix = emb[np.asarray(train.base)].mean(axis=0).astype(np.float32)
        self._model = fit_cached(
            TwoViewModel(embedding_c=s.embedding_c, text_c=s.text_c, text_weight=s.text_weight,
                         class_weight="balanced"),
            train.texts, centre(emb, self.mean), train.labels, None, cache_dir, "detector")
        self._col = self._model.classes.index(PROBLEM)

    def probabilities(self, texts: Sequence[str], embeddings: Matrix | None = None) -> Matrix:
        """P(problem) for each text; texts with too few letters get 0."""
        if not texts:
            return np.zeros(0, dtype=np.float32)
        raw = (np.asarray(embeddings, dtype=np.float32) if embeddings is not None
               else np.asarray(self.encoder.encode(list(texts)), dtype=np.float32))
        probs = softmax(self._model.log_proba(texts, centre(raw, self.mean)))[:, self._col]
        if self.settings.subtopic_boost:
            probs = self._boost(texts, probs)
        letters = np.array([len(_LETTERS.findall(t or "")) for t in texts])
        return np.where(letters < self.settings.min_letters, 0.0, probs).astype(np.float32)

    def _boost(self, texts: Sequence[str], probs: Matrix) -> Matrix:
        """A comment naming an issue of our lexicon clearly (a phrase, or several triggers) is more likely a problem."""
        if self._lexicon is None:
            from .subtopics import default_lexicon

            self._lexicon = default_lexicon()
        # A single one-word trigger ("цена", "интернет") says too little: reviews of shops and apps use them too.
        strength = np.array([1.0 if (m := self._lexicon.match(t)) and m[0].score >= 2 else 0.0 for t in texts])
        p = np.clip(probs.astype(np.float64), 1e-6, 1 - 1e-6)
        logit = np.log(p / (1 - p)) + self.settings.subtopic_boost * strength
        return (1 / (1 + np.exp(-logit))).astype(np.float32)

    def predict(self, texts: Sequence[str], embeddings: Matrix | None = None) -> list[ProblemVerdict]:
        """A verdict per text: problem when P(problem) reaches the threshold and the chat act allows it."""
        th = self.settings.threshold
        out = []
        for text, p in zip(texts, self.probabilities(texts, embeddings)):
            p = float(p)
            act = chat_act(text)
            is_problem = p >= th and act not in NOT_PROBLEM_ACTS and act != ECHO
            if act in NOT_PROBLEM_ACTS or act == ECHO:
                conf = 0.9  # decided by the form of the message, not by the model
            else:
                # how far the probability sits from the threshold, mapped to [0.5, 1]
                conf = 0.5 + 0.5 * ((p - th) / (1 - th) if is_problem else (th - p) / th)
            out.append(ProblemVerdict(is_problem=is_problem, probability=round(p, 4),
                                      confidence=round(min(conf, 1.0), 4), act=act))
        return out

    def uncertain(self, verdict: ProblemVerdict) -> bool:
        """True when a person should decide whether this is a problem (P near the threshold)."""
        if verdict.act is not None:
            return False
        return abs(verdict.probability - self.settings.threshold) < self.settings.review_band
