"""The vocabularies every layer shares, each defined once and served once to the pages.

Fixed by the decree's forms: a problem's status, its level of decision (competence) and its
source of funding. Configured by the akimat: the categories (``config/taxonomy.toml``) and the
departments that answer them (``config/departments.toml``). Akim levels live with the meeting
rules (:mod:`tyndau.domain.meeting`), source kinds and their options with the sources
(:mod:`tyndau.live.source_kinds`); ``GET /api/v1/vocabulary`` serves them all but the akim levels,
which ``/api/v1/meta`` carries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tyndau.live.source_kinds import SourceKinds
    from tyndau.nlp.taxonomy import Department, Taxonomy
    from tyndau.settings import Settings

STATUSES: tuple[str, ...] = (
    "resolved", "in_progress", "next_year_budget", "budget_revision", "no_design_documents", "not_supported",
)
CLOSED_STATUSES = frozenset({"resolved", "not_supported"})
COMPETENCES: tuple[str, ...] = ("local", "central", "national_company")
FUNDING_SOURCES: tuple[str, ...] = ("local", "republican", "other")


def department_key(name: str) -> str:
    """How executors are compared: case and spacing do not matter."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The akimat's categories and departments, as every part of the server reads them."""

    taxonomy: Taxonomy | None = None
    categories: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # id → {"ru", "kk"}
    departments: tuple[Department, ...] = ()

    @property
    def category_ids(self) -> frozenset[str]:
        """Every category id (empty: any category is accepted, as in tests without a taxonomy)."""
        return frozenset(self.categories)

    @property
    def department_keys(self) -> frozenset[str]:
        """Every department name in either language, compared by :func:`department_key`."""
        return frozenset(department_key(n) for d in self.departments for n in d.name.values())

    @property
    def executors_kk(self) -> Mapping[str, str]:
        """A department's Kazakh name by its Russian one (the store keeps the Russian)."""
        return MappingProxyType({d.name.get("ru", ""): d.name.get("kk", "") for d in self.departments})

    @property
    def executor_for(self) -> Mapping[str, str]:
        """The department that usually answers a category (its Russian name)."""
        return MappingProxyType({d.category: d.name.get("ru", "") for d in self.departments})

    def as_json(self, source_kinds: SourceKinds | None = None) -> dict[str, Any]:
        """``GET /api/v1/vocabulary``: the review selects, the feed filters and the source form read it."""
        from tyndau.live.source_kinds import builtin_kinds

        kinds = source_kinds or builtin_kinds()
        return {
            "categories": [{"id": cid, **names} for cid, names in self.categories.items()],
            "departments": [{"category": d.category, "ru": d.name.get("ru", ""), "kk": d.name.get("kk", "")} for d in self.departments],
            "statuses": list(STATUSES), "closed_statuses": sorted(CLOSED_STATUSES),
            "competences": list(COMPETENCES), "funding_sources": list(FUNDING_SOURCES), "source_kinds": list(kinds.names),
            "source_forms": kinds.as_json(),
        }


def load_vocabulary(settings: Settings) -> Vocabulary:
    """Categories and departments from config; a broken file raises ``TaxonomyError`` naming the line."""
    from tyndau.nlp.taxonomy import load_departments, load_taxonomy

    taxonomy = load_taxonomy(settings.taxonomy_file or None)
    departments = load_departments(settings.departments_file or None, taxonomy=taxonomy)
    names = {c.id: dict(c.name) for c in taxonomy.categories}
    return Vocabulary(taxonomy=taxonomy, categories=names, departments=tuple(departments.values()))
