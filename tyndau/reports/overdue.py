"""Overdue and due-soon lists of problems, grouped per executor (the quarterly report's figures)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from tyndau.domain.deadlines import almaty_date
from tyndau.reports.model import CLOSED_STATUSES, Problem

UNASSIGNED = ""  # the group key for problems with no executor in overdue()/due_soon()


def is_open(problem: Problem) -> bool:
    """Whether a problem still needs work (not resolved and not turned down as outside competence)."""
    return problem.status not in CLOSED_STATUSES


def overdue(problems: Iterable[Problem], today: date | datetime) -> dict[str, list[Problem]]:
    """Open problems whose deadline has passed (deadline < today), grouped per executor."""
    d = almaty_date(today)
    return _group(p for p in problems if p.deadline is not None and is_open(p) and p.deadline < d)


def due_soon(problems: Iterable[Problem], today: date | datetime, days: int = 7) -> dict[str, list[Problem]]:
    """Open problems due today or within the next ``days`` days, grouped per executor."""
    if days < 0:
        raise ValueError("days must be zero or more")
    d = almaty_date(today)
    last = d + timedelta(days=days)
    return _group(p for p in problems if p.deadline is not None and is_open(p) and d <= p.deadline <= last)


def _group(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    """Group by executor (``UNASSIGNED`` for none), executors sorted, problems by deadline then number."""
    groups: dict[str, list[Problem]] = {}
    for problem in problems:
        key = (problem.executor or "").strip() or UNASSIGNED
        groups.setdefault(key, []).append(problem)
    return {
        key: sorted(items, key=lambda p: (p.deadline or date.max, p.number))
        for key, items in sorted(groups.items(), key=lambda kv: (kv[0] == UNASSIGNED, kv[0].casefold()))
    }
