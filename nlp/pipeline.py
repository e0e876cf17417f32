"""The NLP pipeline: stages chosen by role in ``config/nlp.toml``, run over a batch of comments.

Each role (``encoder``, ``detector``, ``categoriser``, ``clusterer`` ...) names a factory in a
small registry, so swapping an implementation is a config change, and tests use do-nothing or
model-free stand-ins. A stage that fails leaves the affected comments without that label, logs
why and lets the rest of the batch through.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .loading import LoadReporter, ProgressCallback
from .registry import REGISTRY, StageContext
from .taxonomy import Taxonomy, config_path, load_taxonomy

logger = logging.getLogger(__name__)
WARM_UP = ("Когда будет вода в селе?", "Ауылда жарық жоқ", "kogda otremontiruyut dorogu")
ROLES: tuple[str, ...] = ("normaliser", "language", "personal_data", "encoder", "detector",
                          "categoriser", "places", "subtopics", "profanity", "clusterer")
DEFAULTS: dict[str, str] = {"normaliser": "default", "language": "default", "personal_data": "regex",
                            "encoder": "e5", "detector": "two_view", "categoriser": "two_view",
                            "places": "patterns", "subtopics": "lexicon", "profanity": "lexicon",
                            "clusterer": "agglomerative"}


@dataclass(slots=True)
class Labels:
    """Everything the pipeline says about one comment; None where a stage gave no answer."""

    text: str = ""
    display: str = ""
    lang: str | None = None
    lang_confidence: float | None = None
    personal_data: list[Any] = field(default_factory=list)
    is_problem: bool | None = None
    problem_confidence: float | None = None
    problem_probability: float | None = None
    chat_act: str | None = None
    echo_of: Any = None
    category: str | None = None
    category_confidence: float | None = None
    runner_up: str | None = None
    runner_up_confidence: float | None = None
    needs_review: bool | None = None
    unsure_problem: bool = False
    places: list[Any] = field(default_factory=list)
    place_key: str | None = None
    subtopics: list[str] = field(default_factory=list)
    profanity: bool | None = None
    cluster: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    vector: np.ndarray | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly view (no embedding)."""
        return {
            "text": self.text, "display": self.display, "lang": self.lang,
            "lang_confidence": self.lang_confidence,
            "personal_data": [{"start": s.start, "end": s.end, "kind": s.kind} for s in self.personal_data],
            "is_problem": self.is_problem, "problem_confidence": self.problem_confidence,
            "problem_probability": self.problem_probability, "chat_act": self.chat_act, "echo_of": self.echo_of,
            "category": self.category, "category_confidence": self.category_confidence,
            "runner_up": self.runner_up, "runner_up_confidence": self.runner_up_confidence,
            "needs_review": self.needs_review, "unsure_problem": self.unsure_problem,
            "places": [{"kind": p.kind, "name": p.name, "key": p.normalised_key} for p in self.places],
            "place_key": self.place_key, "subtopics": list(self.subtopics),
            "subtopic": self.subtopics[0] if self.subtopics else None, "profanity": self.profanity, "cluster": self.cluster,
            "errors": dict(self.errors),
        }

    @property
    def awaits_person(self) -> bool:
        """True when a person should say "problem" before this comment is drafted.

        The machine is unsure it is a problem and it names neither an issue nor a place, so a draft
        of it alone would give a secretary nothing to publish ("хакеры подъехали" at P 0.70); it waits
        in triage instead.
        """
        return self.unsure_problem and bool(self.is_problem) and not self.subtopics and not self.places


def read_config(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """The ``config/nlp.toml`` tables (role → settings), each with a ``use`` name."""
    file = path or config_path("nlp.toml")
    data = tomllib.loads(file.read_text(encoding="utf-8")) if file.exists() else {}
    out: dict[str, dict[str, Any]] = {}
    for role in ROLES:
        table = dict(data.get(role) or {})
        table.setdefault("use", DEFAULTS[role])
        out[role] = table
    unknown = sorted(set(data) - set(ROLES) - {"pipeline"})
    if unknown:
        raise ValueError(f"{file}: unknown NLP role(s): {', '.join(unknown)}")
    out["pipeline"] = dict(data.get("pipeline") or {})
    return out


class Pipeline:
    """Built stages plus the batch ``process``; build once at start-up and reuse."""

    def __init__(self, stages: Mapping[str, Any], *, taxonomy: Taxonomy,
                 settings: Mapping[str, Any] | None = None) -> None:
        self.stages = dict(stages)
        self.taxonomy = taxonomy
        self.settings = dict(settings or {})
        self._next_id = 0

    @classmethod
    def from_config(cls, path: Path | None = None, *, overrides: Mapping[str, Mapping[str, Any]] | None = None,
                    cache_dir: Path | None = None, taxonomy: Taxonomy | None = None,
                    progress: ProgressCallback | None = None) -> Pipeline:
        """Build every stage named in the config (``overrides`` replace whole role tables).

        ``progress`` hears each step of the build (the role and the overall percentage).
        """
        config = read_config(path)
        for role, table in (overrides or {}).items():
            if role not in ROLES:
                raise ValueError(f"unknown NLP role {role!r}")
            config[role] = {"use": DEFAULTS[role], **dict(table)}
        tax = taxonomy or load_taxonomy()
        ctx = StageContext(taxonomy=tax, cache_dir=cache_dir, stages={})
        reporter = LoadReporter((*ROLES, "warm_up"), progress)
        for role in ROLES:
            name = str(config[role]["use"])
            factories = REGISTRY.get(role, {})
            if name not in factories:
                raise ValueError(f"NLP stage {role}: unknown implementation {name!r} "
                                 f"(known: {', '.join(sorted(factories))})")
            with reporter.role(role, ctx.stages.get("encoder")):
                ctx.stages[role] = factories[name](config[role], ctx)
                if callable(getattr(ctx.stages[role], "wait", None)):
                    reporter.defer(role)  # e.g. the encoder export, running beside the other stages
        for role, stage in ctx.stages.items():
            if callable(getattr(stage, "wait", None)):
                ctx.stages[role] = stage.wait()
                reporter.settle(role)
        pipeline = cls(ctx.stages, taxonomy=tax, settings=config["pipeline"])
        with reporter.role("warm_up", None):
            pipeline.process(WARM_UP, cluster=False)  # lazy models load now, not on a citizen's comment
        reporter.ready()
        return pipeline

    def stage(self, role: str) -> Any:
        """The stage object filling ``role`` (None when the config disables it)."""
        return self.stages.get(role)

    @property
    def categoriser(self) -> Any:
        return self.stages.get("categoriser")

    @property
    def clusterer(self) -> Any:
        return self.stages.get("clusterer")

    def process(self, texts: Sequence[str | bytes | None], ids: Sequence[Hashable] | None = None, *,
                cluster: bool = True) -> list[Labels]:
        """Label a batch; problems are assigned to clusters incrementally (ids keep them stable)."""
        labels = [Labels() for _ in texts]
        if ids is None:
            ids = list(range(self._next_id, self._next_id + len(texts)))
            self._next_id += len(texts)
        if self.stages.get("normaliser") is None:
            for raw, lab in zip(texts, labels):
                lab.text = lab.display = _raw(raw)
        self._per_item("normaliser", texts, labels, _apply_normalised)
        live = [i for i, lab in enumerate(labels) if lab.text.strip()]
        self._per_item("language", [labels[i].text for i in live], [labels[i] for i in live], _apply_language)
        self._per_item("personal_data", [_raw(t) for t in texts], labels, _apply_personal)
        self._per_item("places", [labels[i].text for i in live], [labels[i] for i in live], _apply_places)
        self._per_item("subtopics", [labels[i].text for i in live], [labels[i] for i in live], _apply_subtopics)
        self._per_item("profanity", [labels[i].display for i in live], [labels[i] for i in live],
                       _apply_profanity)
        live_texts = [labels[i].text for i in live]
        vectors = self._batched("encoder", live_texts, lambda st, ts: st.encode(ts))
        for row, i in enumerate(live):
            if vectors[row] is not None:
                labels[i].vector = vectors[row]
        enc = [i for i in live if labels[i].vector is not None]
        self._run_detector(enc, labels)
        self._run_categoriser(enc, labels)
        self._flag_for_review(enc, labels)
        if cluster:
            self._run_clusterer([i for i in enc if labels[i].is_problem], labels, ids)
        return labels

    def learn_categories(self, items: Sequence[tuple[str, str]], *, refit: bool | None = None) -> int:
        """Secretaries' category corrections into the categoriser, normalised and embedded as comments are.

        The one path for the review actions (via the labeller), the start-up replay and ``nlp eval
        --adapt`` (which goes through :meth:`learn_labelled` when it has read those rows already);
        returns how many were learned (unknown categories and empty texts are skipped).
        """
        stage = self.stages.get("categoriser")
        if stage is None or not hasattr(stage, "add_corrections"):
            return 0
        known = [(t, c) for t, c in items if t and c in self.taxonomy]
        if len(known) < len(items):
            logger.warning("%d corrections without a text or with a category unknown to the taxonomy; skipped",
                           len(items) - len(known))
        labels = [Labels(text=t, display=t) for t, _ in known]
        self._per_item("normaliser", [t for t, _ in known], labels, _apply_normalised)
        live = [i for i, lab in enumerate(labels) if lab.text.strip()]
        vectors = self._batched("encoder", [labels[i].text for i in live], lambda st, ts: st.encode(ts))
        for i, vector in zip(live, vectors):
            labels[i].vector = vector
        return self.learn_labelled(labels, [c for _, c in known], refit=refit)

    def learn_labelled(self, labels: Sequence[Labels], categories: Sequence[str | None], *,
                       refit: bool | None = None) -> int:
        """Corrections for comments :meth:`process` has already read: their own text and vector, not a second encoding."""
        stage = self.stages.get("categoriser")
        if stage is None or not hasattr(stage, "add_corrections"):
            return 0
        unknown = sorted({c for c in categories if c and c not in self.taxonomy})
        if unknown:
            logger.warning("corrections with categories unknown to the taxonomy skipped: %s", ", ".join(unknown[:10]))
        kept = [(lab.text, c, lab.vector) for lab, c in zip(labels, categories)
                if c in self.taxonomy and lab.text.strip() and lab.vector is not None]
        if kept:
            stage.add_corrections([(t, c) for t, c, _ in kept], np.stack([v for _, _, v in kept]), refit=refit)
        return len(kept)

    # -- helpers --------------------------------------------------------------------------

    def _per_item(self, role: str, inputs: Sequence[Any], labels: Sequence[Labels],
                  apply: Callable[[Any, Any, Labels], None]) -> None:
        stage = self.stages.get(role)
        if stage is None:
            return
        for value, lab in zip(inputs, labels):
            try:
                apply(stage, value, lab)
            except Exception as exc:  # noqa: BLE001 - a stage must never take the batch down
                lab.errors[role] = f"{type(exc).__name__}: {exc}"
                logger.warning("NLP stage %s failed on one comment: %s", role, exc)

    def _batched(self, role: str, inputs: Sequence[str], call: Callable[[Any, list[str]], Any]) -> list[Any]:
        """Run ``call`` on the whole batch; if it fails, retry item by item to isolate the culprit."""
        stage = self.stages.get(role)
        if stage is None or not inputs:
            return [None] * len(inputs)
        try:
            return list(call(stage, list(inputs)))
        except Exception as exc:  # noqa: BLE001 - retried one by one below
            logger.warning("NLP stage %s failed on a batch of %d, retrying one by one: %s",
                           role, len(inputs), exc)
        out: list[Any] = []
        for text in inputs:
            try:
                out.append(next(iter(call(stage, [text]))))
            except Exception as exc:  # noqa: BLE001 - that comment stays unlabelled
                logger.warning("NLP stage %s failed on one comment: %s", role, exc)
                out.append(None)
        return out

    def _run_detector(self, rows: list[int], labels: list[Labels]) -> None:
        stage = self.stages.get("detector")
        if stage is None or not rows:
            return
        verdicts = self._batched_rows("detector", rows, labels)
        for i, v in zip(rows, verdicts):
            if v is None:
                labels[i].errors.setdefault("detector", "failed")
                continue
            labels[i].is_problem, labels[i].problem_confidence = v.is_problem, v.confidence
            labels[i].problem_probability = getattr(v, "probability", None)
            labels[i].chat_act = getattr(v, "act", None)

    def _run_categoriser(self, rows: list[int], labels: list[Labels]) -> None:
        stage = self.stages.get("categoriser")
        if stage is None or not rows:
            return
        for i, p in zip(rows, self._batched_rows("categoriser", rows, labels)):
            if p is None:
                labels[i].errors.setdefault("categoriser", "failed")
                continue
            lab = labels[i]
            lab.category, lab.category_confidence = p.category, p.confidence
            lab.runner_up, lab.runner_up_confidence = p.runner_up, p.runner_up_confidence
            lab.needs_review = p.needs_review

    def _batched_rows(self, role: str, rows: list[int], labels: list[Labels]) -> list[Any]:
        stage = self.stages[role]

        def predict(idx: list[int]) -> list[Any]:
            vectors = [labels[i].vector for i in idx]
            return list(stage.predict([labels[i].text for i in idx],
                                      np.stack([v for v in vectors if v is not None])))
        try:
            return predict(rows)
        except Exception as exc:  # noqa: BLE001 - retried one by one below
            logger.warning("NLP stage %s failed on a batch of %d, retrying one by one: %s",
                           role, len(rows), exc)
        out: list[Any] = []
        for i in rows:
            try:
                out.append(predict([i])[0])
            except Exception as exc:  # noqa: BLE001 - that comment stays unlabelled
                logger.warning("NLP stage %s failed on one comment: %s", role, exc)
                out.append(None)
        return out

    def _flag_for_review(self, rows: list[int], labels: list[Labels]) -> None:
        """Only the uncertain go to triage: a problem of unsure category, or an unsure problem verdict."""
        detector = self.stages.get("detector")
        for i in rows:
            lab = labels[i]
            unsure_problem = False
            if detector is not None and hasattr(detector, "uncertain") and lab.problem_probability is not None:
                from .problem import ProblemVerdict

                unsure_problem = detector.uncertain(ProblemVerdict(bool(lab.is_problem), lab.problem_probability,
                                                                   lab.problem_confidence or 0.0, lab.chat_act))
            unsure_category = bool(lab.needs_review) and lab.is_problem is not False
            lab.unsure_problem = unsure_problem
            lab.needs_review = unsure_problem or unsure_category

    def _run_clusterer(self, rows: list[int], labels: list[Labels], ids: Sequence[Hashable]) -> None:
        stage = self.stages.get("clusterer")
        if stage is None:
            return
        for i in rows:
            lab = labels[i]
            try:
                lab.cluster = stage.assign(ids[i], lab.vector, category=lab.category, place=lab.place_key,
                                           text=lab.text, subtopics=lab.subtopics)
            except Exception as exc:  # noqa: BLE001 - that comment stays unclustered
                lab.errors["clusterer"] = f"{type(exc).__name__}: {exc}"
                logger.warning("NLP stage clusterer failed on one comment: %s", exc)


def _raw(text: str | bytes | None) -> str:
    if isinstance(text, bytes):
        return text.decode("utf-8", errors="replace")
    return text or ""


def _apply_normalised(stage: Any, raw: Any, lab: Labels) -> None:
    norm = stage(raw)
    lab.text, lab.display = norm.text, norm.display


def _apply_language(stage: Any, text: str, lab: Labels) -> None:
    guess = stage.detect(text)
    lab.lang, lab.lang_confidence = guess.lang, guess.confidence


def _apply_personal(stage: Any, raw: str, lab: Labels) -> None:
    lab.personal_data = list(stage(raw))


_PLACE_ORDER = ("street", "microdistrict", "settlement", "district")


def _apply_places(stage: Any, text: str, lab: Labels) -> None:
    lab.places = list(stage(text))
    for kind in _PLACE_ORDER:
        for p in lab.places:
            if p.kind == kind:
                lab.place_key = p.normalised_key
                return


def _apply_subtopics(stage: Any, text: str, lab: Labels) -> None:
    lab.subtopics = [m.id for m in stage(text)]


def _apply_profanity(stage: Any, text: str, lab: Labels) -> None:
    lab.profanity = bool(stage(text))
