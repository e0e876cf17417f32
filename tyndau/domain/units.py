"""Administrative-territorial units and their tree, with the lifetimes the calendar needs.

A unit is an immutable record: when a village moves to a new district its KATO code changes, so
the old record ends (``valid_to``) and a new one begins (``valid_from``); nobody re-parents a
record. The tree answers the questions the coverage matrix and the scoped workspaces of issue 15
ask: who is above a unit, what is below it, and what existed on a day or during a period.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class UnitKind:
    """A kind of unit: its names, the akim level of its akim, and where it may sit in the tree."""

    id: str
    name_ru: str
    name_kk: str
    akim_level: str | None  # one of meeting.AKIM_LEVELS; None: the unit has no akim of its own
    parents: frozenset[str]  # kinds allowed as parent; empty: a top-level unit

    def name(self, lang: str) -> str:
        """The kind's name in a language."""
        return self.name_kk if lang == "kk" else self.name_ru


def _kind(id: str, ru: str, kk: str, level: str | None, *parents: str) -> UnitKind:
    return UnitKind(id, ru, kk, level, frozenset(parents))


# The capital and the cities of republican significance share the "republican_city" akim level, and
# a settlement shares "village": the levels that meeting.py, the API and the reports already use
# name them together ("аким города республиканского значения, столицы", "аким села, посёлка").
_SETTLED = ("regional_city", "district_city", "city_district", "capital", "republican_city", "village", "settlement")
UNIT_KINDS: Mapping[str, UnitKind] = MappingProxyType({k.id: k for k in (
    _kind("region", "область", "облыс", "region"),
    _kind("capital", "столица", "астана", "republican_city"),
    _kind("republican_city", "город республиканского значения", "республикалық маңызы бар қала", "republican_city"),
    _kind("district", "район", "аудан", "district", "region"),
    _kind("regional_city", "город областного значения", "облыстық маңызы бар қала", "regional_city", "region"),
    _kind("district_city", "город районного значения", "аудандық маңызы бар қала", "district_city", "district"),
    _kind("rural_district", "сельский округ", "ауылдық округ", "rural_district", "district", "regional_city"),
    _kind("village", "село", "ауыл", "village", "rural_district", "district", "regional_city", "district_city"),
    _kind("settlement", "посёлок", "кент", "village", "rural_district", "district", "regional_city", "district_city"),
    _kind("city_district", "район в городе", "қаладағы аудан", "city_district", "capital", "republican_city", "regional_city"),
    _kind("microdistrict", "микрорайон", "шағын аудан", None, *_SETTLED),
)})
KIND_IDS: tuple[str, ...] = tuple(UNIT_KINDS)


@dataclass(frozen=True, slots=True)
class AdminUnit:
    """One administrative-territorial unit over its lifetime (both ends inclusive; None: open)."""

    id: str
    kind: str
    name_ru: str
    name_kk: str
    parent_id: str | None = None
    kato: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    @property
    def akim_level(self) -> str | None:
        """The akim level (meeting.AKIM_LEVELS) of this unit's akim; None for a microdistrict."""
        return UNIT_KINDS[self.kind].akim_level

    def name(self, lang: str) -> str:
        """The unit's name in a language, falling back to the other one."""
        return (self.name_kk or self.name_ru) if lang == "kk" else (self.name_ru or self.name_kk)

    def exists_on(self, day: date) -> bool:
        """Whether the unit existed on a calendar day."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def exists_during(self, first: date, last: date) -> bool:
        """Whether the unit existed on at least one day of ``[first, last]``."""
        return (self.valid_from is None or self.valid_from <= last) and (self.valid_to is None or first <= self.valid_to)


class UnitTreeError(ValueError):
    """The units do not make a tree; ``problems`` lists every one, each naming the unit."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True, slots=True)
class UnitTree:
    """Units by id with their children; build it with :func:`build_tree`, which validates."""

    units: Mapping[str, AdminUnit]
    _children: Mapping[str | None, tuple[str, ...]] = field(repr=False)

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.units

    def __len__(self) -> int:
        return len(self.units)

    def get(self, unit_id: str) -> AdminUnit:
        """A unit by id; KeyError names the id."""
        try:
            return self.units[unit_id]
        except KeyError:
            raise KeyError(f"no unit {unit_id!r}") from None

    @property
    def roots(self) -> tuple[AdminUnit, ...]:
        """The top-level units (regions, the capital, cities of republican significance)."""
        return tuple(self.units[i] for i in self._children.get(None, ()))

    def children(self, unit_id: str) -> tuple[AdminUnit, ...]:
        """The units directly below, ordered by KATO code then id."""
        self.get(unit_id)
        return tuple(self.units[i] for i in self._children.get(unit_id, ()))

    def ancestors(self, unit_id: str) -> tuple[AdminUnit, ...]:
        """The units above, nearest first (a village: its rural district, district, region)."""
        chain: list[AdminUnit] = []
        parent = self.get(unit_id).parent_id
        while parent is not None:
            unit = self.units[parent]
            chain.append(unit)
            parent = unit.parent_id
        return tuple(chain)

    def descendants(self, unit_id: str) -> tuple[AdminUnit, ...]:
        """Every unit below, depth first in code order (the unit itself excluded)."""
        self.get(unit_id)
        out: list[AdminUnit] = []
        stack = list(reversed(self._children.get(unit_id, ())))
        while stack:
            current = self.units[stack.pop()]
            out.append(current)
            stack.extend(reversed(self._children.get(current.id, ())))
        return tuple(out)

    def subtree(self, unit_id: str) -> tuple[AdminUnit, ...]:
        """The unit and everything below it: the scope a role on this unit covers (issue 15)."""
        return (self.get(unit_id),) + self.descendants(unit_id)

    def subtree_ids(self, unit_id: str) -> frozenset[str]:
        """The ids of :meth:`subtree`, for membership tests."""
        return frozenset(u.id for u in self.subtree(unit_id))

    def is_within(self, unit_id: str, scope_id: str) -> bool:
        """Whether ``unit_id`` is ``scope_id`` or lies below it."""
        if unit_id == scope_id:
            self.get(unit_id)
            return True
        return any(a.id == scope_id for a in self.ancestors(unit_id))

    def path(self, unit_id: str, lang: str = "ru") -> str:
        """Names from the top down, for labels: ``Алматинская область / Карасайский район / …``."""
        chain = (self.get(unit_id),) + self.ancestors(unit_id)
        return " / ".join(u.name(lang) for u in reversed(chain))

    def of_kinds(self, unit_id: str, kinds: Iterable[str]) -> tuple[AdminUnit, ...]:
        """The units below ``unit_id`` of the given kinds (depth first, code order)."""
        wanted = frozenset(kinds)
        return tuple(u for u in self.descendants(unit_id) if u.kind in wanted)

    def active_on(self, day: date) -> tuple[AdminUnit, ...]:
        """Units that existed on a day, in tree order."""
        return tuple(u for root in self.roots for u in self.subtree(root.id) if u.exists_on(day))


def build_tree(units: Iterable[AdminUnit]) -> UnitTree:
    """Check the units form one consistent tree and index them; raises :class:`UnitTreeError`."""
    problems: list[str] = []
    by_id: dict[str, AdminUnit] = {}
    for unit in units:
        if unit.id in by_id:
            problems.append(f"{unit.id}: the id repeats")
            continue
        by_id[unit.id] = unit
    for unit in by_id.values():
        problems.extend(_unit_problems(unit, by_id))
    problems.extend(_cycles(by_id))
    if problems:
        raise UnitTreeError(problems)
    children: dict[str | None, list[str]] = {}
    for unit in sorted(by_id.values(), key=lambda u: (u.kato or "", u.id)):
        children.setdefault(unit.parent_id, []).append(unit.id)
    return UnitTree(MappingProxyType(by_id), MappingProxyType({k: tuple(v) for k, v in children.items()}))


def _unit_problems(unit: AdminUnit, by_id: Mapping[str, AdminUnit]) -> list[str]:
    """What is wrong with one unit against its parent."""
    out: list[str] = []
    kind = UNIT_KINDS.get(unit.kind)
    if not unit.id.strip():
        out.append("a unit has an empty id")
    if kind is None:
        return out + [f"{unit.id}: unknown kind {unit.kind!r}; one of {', '.join(KIND_IDS)}"]
    if not (unit.name_ru.strip() or unit.name_kk.strip()):
        out.append(f"{unit.id}: needs a name in Russian or Kazakh")
    if unit.valid_from and unit.valid_to and unit.valid_to < unit.valid_from:
        out.append(f"{unit.id}: valid_to {unit.valid_to} is before valid_from {unit.valid_from}")
    if unit.parent_id is None:
        if kind.parents:
            out.append(f"{unit.id}: a {unit.kind} needs a parent ({', '.join(sorted(kind.parents))})")
        return out
    parent = by_id.get(unit.parent_id)
    if parent is None:
        return out + [f"{unit.id}: parent {unit.parent_id} is not among the units"]
    if parent.kind not in kind.parents:
        allowed = ", ".join(sorted(kind.parents)) or "none (it is top-level)"
        out.append(f"{unit.id}: a {unit.kind} cannot sit under a {parent.kind} ({parent.id}); allowed: {allowed}")
    if (parent.valid_from and (unit.valid_from is None or unit.valid_from < parent.valid_from)) or (
        parent.valid_to and (unit.valid_to is None or unit.valid_to > parent.valid_to)
    ):
        out.append(f"{unit.id}: exists outside the lifetime of its parent {parent.id}")
    return out


def _cycles(by_id: Mapping[str, AdminUnit]) -> list[str]:
    """Units whose parent chain loops back on itself."""
    out: list[str] = []
    settled: set[str] = set()
    for start in by_id:
        seen: list[str] = []
        current: str | None = start
        while current is not None and current in by_id and current not in settled:
            if current in seen:
                out.append(f"{current}: the parent chain loops ({' → '.join(seen[seen.index(current):] + [current])})")
                break
            seen.append(current)
            current = by_id[current].parent_id
        settled.update(seen)
    return out
