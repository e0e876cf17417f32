"""Which other problems of a meeting may be the same one: the merges a secretary is offered.

The machine keeps two drafts apart when it is unsure: a short line that names no place ("воды нет
до весны") becomes a draft of its own beside the meeting's water problem in Иргели, and a second
wording of one issue ("нет интернета" / "нет связи") may too. A secretary merges them in a click
if they are put side by side. The rule is plain so she can trust it: the same main issue (the
subtopic most of a problem's comments name), and a compatible place (one of the two names none,
or they share one). Shown with a shared place first, then the more mentioned.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ProblemSketch:
    """What the rule reads of one problem: its main issue, the place keys its comments name, its size."""

    id: int
    issue: str | None
    places: frozenset[str]
    mentions: int


def sketch(problem_id: int, member_labels: Iterable[Mapping[str, Any] | None]) -> ProblemSketch:
    """A problem's sketch from its comments' stored labels (their ``subtopic`` and ``places``)."""
    issues: Counter[str] = Counter()
    places: set[str] = set()
    n = 0
    for labels in member_labels:
        n += 1
        labels = labels or {}
        if labels.get("subtopic"):
            issues[str(labels["subtopic"])] += 1
        places.update(str(p["key"]) for p in labels.get("places") or () if isinstance(p, Mapping) and p.get("key"))
    issue = issues.most_common(1)[0][0] if issues else None
    return ProblemSketch(problem_id, issue, frozenset(places), n)


def similar(target: ProblemSketch, others: Sequence[ProblemSketch], limit: int = 3) -> list[tuple[ProblemSketch, bool]]:
    """The problems that may be ``target``'s own issue, best first, each with "do they share a place?"."""
    if target.issue is None:
        return []
    found = []
    for other in others:
        if other.id == target.id or other.issue != target.issue:
            continue
        shared = bool(target.places & other.places)
        if shared or not target.places or not other.places:
            found.append((other, shared))
    found.sort(key=lambda pair: (not pair[1], -pair[0].mentions, pair[0].id))
    return found[:limit]
