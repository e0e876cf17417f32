"""Which other problems of a meeting are about the same issue: the merges a secretary is offered.

The machine keeps two drafts apart when it is unsure: a short line that names no place ("воды нет
до весны") becomes a draft of its own beside the meeting's water problem in Иргели, and a second
wording of one issue ("нет интернета" / "нет связи") may too. A secretary merges them in a click
if they are put side by side. The rule is plain so she can trust it: the same main issue (the
subtopic most of a problem's comments name), and either a shared place, or a problem that names
none being shown the others (where is this one?). A problem with a place is not shown the
placeless ones: in the demo chat most of those are district-wide issues of their own ("нет мест в
детском саду"), and listing them under every local problem of the issue was most of the offers and
nearly all the wrong ones. Shown with a shared place first, then the more mentioned. It is a list
to decide from, not a verdict: in the demo chat 7 of the 64 pairs it shows are one gold problem, and
5 of the 11 drafts the gold calls a duplicate or a stray mention are shown theirs.
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
        if shared or not target.places:
            found.append((other, shared))
    found.sort(key=lambda pair: (not pair[1], -pair[0].mentions, pair[0].id))
    return found[:limit]
