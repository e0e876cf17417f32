"""The clusterer's settings (``[clusterer]`` in ``config/nlp.toml``, each documented there).

A new setting is a field here and its value in the config; ``from_mapping`` refuses unknown keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .similarity import ScoreSettings


@dataclass(frozen=True, slots=True)
class ClustererSettings:
    """Knobs of the clusterer (``[clusterer]`` in ``config/nlp.toml``, documented there)."""

    threshold: float = 0.2
    linkage: str = "average"
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
    district_issue: float = 0.0
    known_streets: bool = False
    with_place: bool = True
    by_category: bool = False
    recluster_max: int = 2000
    recluster_growth: float = 0.25
    max_threshold_shift: float = 0.1
    feedback_prior: float = 3.0
    id_prefix: str = "c"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> ClustererSettings:
        """Settings from a config table; unknown keys are an error so typos do not go unseen."""
        from .features import settings_from_mapping

        settings = settings_from_mapping(cls, data, "clusterer")
        if settings.linkage not in ("average", "complete"):
            raise ValueError("clusterer linkage must be 'average' or 'complete'")
        return settings

    def scores(self) -> ScoreSettings:
        """The pair-score part of the settings."""
        place = 1.0 if self.with_place else 0.0
        return ScoreSettings(self.cross_language, self.hubness, self.hubness_k, self.same_house * place,
                             self.same_street * place, self.same_area * place, self.same_topic, self.other_topic,
                             self.topic_gate, self.same_topic_place * place, self.district_issue * place)
