"""How a set of incoming units (an import, or one edit) changes the stored tree — decided before writing.

A unit's record is never moved: a village that moves to another district gets a new KATO code and so
a new record (see :mod:`tyndau.domain.units`). So an incoming unit whose parent differs from the stored
one is refused, and the merged set must still be one valid tree (:func:`build_tree`), or nothing is
written. Pure: the store applies what :func:`merge_units` decided.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from tyndau.domain.units import AdminUnit, UnitTree, UnitTreeError, build_tree

MAX_NAME = 300


@dataclass(frozen=True, slots=True)
class Refusal:
    """A unit that cannot be written, and why (``unit_id`` may be "" for a problem of the whole set)."""

    unit_id: str
    message: str


@dataclass(frozen=True, slots=True)
class UnitMerge:
    """What writing the incoming units would do; ``tree`` is the merged tree when nothing is refused."""

    new: tuple[AdminUnit, ...]
    changed: tuple[tuple[AdminUnit, AdminUnit], ...]  # (stored, incoming)
    unchanged: tuple[str, ...]
    refused: tuple[Refusal, ...]
    tree: UnitTree | None

    @property
    def ok(self) -> bool:
        """Whether the merge can be written as a whole."""
        return not self.refused


def merge_units(existing: Iterable[AdminUnit], incoming: Sequence[AdminUnit]) -> UnitMerge:
    """Compare incoming units with the stored ones: new, changed, unchanged, refused (moves, a broken tree)."""
    stored = {u.id: u for u in existing}
    new: list[AdminUnit] = []
    changed: list[tuple[AdminUnit, AdminUnit]] = []
    unchanged: list[str] = []
    refused: list[Refusal] = []
    seen: set[str] = set()
    for unit in incoming:
        if unit.id in seen:
            refused.append(Refusal(unit.id, "the unit is given twice"))
            continue
        seen.add(unit.id)
        before = stored.get(unit.id)
        if before is None:
            new.append(unit)
        elif before.parent_id != unit.parent_id:
            refused.append(Refusal(unit.id, f"would move from {before.parent_id or 'the top'} to {unit.parent_id or 'the top'}; "
                                            "a unit that moves gets a new code and a new record"))
        elif before == unit:
            unchanged.append(unit.id)
        else:
            changed.append((before, unit))
    merged = dict(stored)
    merged.update({u.id: u for u in new})
    merged.update({after.id: after for _, after in changed})
    tree = None
    if not refused:
        try:
            tree = build_tree(merged.values())
        except UnitTreeError as exc:
            refused.extend(Refusal(p.split(":", 1)[0] if ":" in p else "", p) for p in exc.problems)
    return UnitMerge(tuple(new), tuple(changed), tuple(unchanged), tuple(refused), tree if not refused else None)


def edited(unit: AdminUnit, *, name_ru: str | None = None, name_kk: str | None = None,
           valid_from: date | None | str = "keep", valid_to: date | None | str = "keep") -> AdminUnit:
    """The unit renamed or with new dates (``"keep"`` leaves a date as it is; None opens it)."""
    changes: dict[str, object] = {}
    if name_ru is not None:
        changes["name_ru"] = " ".join(name_ru.split())[:MAX_NAME]
    if name_kk is not None:
        changes["name_kk"] = " ".join(name_kk.split())[:MAX_NAME]
    if valid_from != "keep":
        changes["valid_from"] = valid_from
    if valid_to != "keep":
        changes["valid_to"] = valid_to
    return replace(unit, **changes)  # type: ignore[arg-type]
