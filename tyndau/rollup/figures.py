"""Folding grouped rows into the roll-up's lines: counts by status, resolved share, funding need vs allocated.

Pure: the store returns one row per (group, status); every percentage the dashboard, the reports
and the national summary show is computed here, once, rounded to one decimal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tyndau.reports.model import STATUSES
from tyndau.store.rollup import Row


def pct(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``, one decimal (None when there is no whole)."""
    return None if whole <= 0 else round(100.0 * part / whole, 1)


@dataclass
class Line:
    """One group of the roll-up (a unit, a category, an executor, a quarter, or the total)."""

    key: str
    problems: int = 0
    need: int = 0
    allocated: int = 0
    central: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: {s: 0 for s in STATUSES})

    @property
    def resolved(self) -> int:
        """Problems resolved."""
        return self.by_status.get("resolved", 0)

    def add(self, row: Row) -> None:
        """Count one (group, status) row in."""
        self.problems += row.count
        self.need += row.need
        self.allocated += row.allocated
        self.central += row.central
        self.by_status[row.status] = self.by_status.get(row.status, 0) + row.count

    def to_json(self) -> dict[str, Any]:
        """As the API, the exports and the summary carry it."""
        return {"key": self.key, "problems": self.problems, "resolved": self.resolved,
                "resolved_pct": pct(self.resolved, self.problems), "by_status": dict(self.by_status),
                "funding_need": self.need, "funding_allocated": self.allocated,
                "funding_pct": pct(self.allocated, self.need), "central_list": self.central}


def fold(rows: Iterable[Row], *, empty: str = "") -> dict[str, Line]:
    """One line per group key (a missing key, e.g. no category, groups under ``empty``)."""
    lines: dict[str, Line] = {}
    for row in rows:
        key = row.key if row.key not in (None, "") else empty
        lines.setdefault(key, Line(key)).add(row)
    return lines


def total(rows: Iterable[Row]) -> Line:
    """Everything in one line."""
    line = Line("total")
    for row in rows:
        line.add(row)
    return line


def ranked(lines: Iterable[Line]) -> list[Line]:
    """Lines by resolved share, best first (no problems last), then by name: the review's ranking."""
    return sorted(lines, key=lambda x: (x.problems == 0, -(x.resolved / x.problems if x.problems else 0), x.key))
