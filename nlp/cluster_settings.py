"""The clusterer's settings (``[clusterer]`` in ``config/nlp.toml``, each documented there).

A new setting is a field here (a pair-score term: on `ScoreSettings` in `similarity.py`, inherited) and its value in the config; ``from_mapping`` refuses unknown keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from .similarity import PLACE_TERMS, ScoreSettings


@dataclass(frozen=True, slots=True)
class ClustererSettings(ScoreSettings):
    """Knobs of the clusterer (``[clusterer]`` in ``config/nlp.toml``, documented there).

    The pair score's own knobs are inherited from :class:`ScoreSettings`, so each is declared once
    (a new score knob is a field there); these are the clusterer's.
    """

    threshold: float = 0.2
    linkage: str = "average"
    known_streets: bool = False
    with_place: bool = True
    by_category: bool = False
    recluster_max: int = 2000
    recluster_growth: float = 0.25
    max_threshold_shift: float = 0.05
    feedback_prior: float = 3.0
    feedback_prior_loosen: float = 30.0
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
        """The pair-score part of the settings (the place terms off when clustering ignores places)."""
        off = () if self.with_place else PLACE_TERMS
        values: dict[str, Any] = {f.name: 0.0 if f.name in off else getattr(self, f.name) for f in fields(ScoreSettings)}
        return ScoreSettings(**values)
