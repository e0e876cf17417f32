"""The draft problem: what the NLP proposes for one cluster and the store folds into the problem list."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Draft:
    """The machine's proposal for one problem (the store keeps the wording, category, place and executor)."""

    cluster_id: int
    title_ru: str
    title_kk: str
    category: str | None
    place: str
    executor: str
    comment_ids: tuple[int, ...]
    subtopic: str | None = None
    place_keys: tuple[str, ...] = ()
    place_kk: str = ""  # the place as Kazakh spells it ("Абай көшесі" beside "ул. Абая")
