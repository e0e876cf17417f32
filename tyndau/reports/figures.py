"""Dashboard aggregates as JSON-able dicts: by category, status, executor and region; shares; funding.

Only accepted problems count as problem questions (``drafts_pending`` counts the rest); the
share resolved is resolved / all problems taken under control (the government's measure,
e.g. 75.5 % nationally); the funding percentage is allocated / needed over the problems that
state a need. Shares are 0..1 (4 decimals), percentages 0..100 (1 decimal).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tyndau.domain.deadlines import last_event_end, publication_deadline, publication_status
from tyndau.reports.i18n import Strings
from tyndau.reports.model import STATUSES, Problem, Round
from tyndau.reports.overdue import due_soon, overdue
from tyndau.reports.text import one_line

NO_REGION = ""


@dataclass(frozen=True, slots=True)
class Item:
    """A problem as the aggregates see it: its status (possibly as of a quarter) and its region."""

    problem: Problem
    status: str
    region: str = NO_REGION


def ratio(part: float, whole: float) -> float | None:
    """part / whole rounded to 4 decimals, None when there is nothing to divide by."""
    return round(part / whole, 4) if whole else None


def percent(part: float, whole: float) -> float | None:
    """100 * part / whole rounded to 1 decimal, None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


def funding_totals(problems: Iterable[Problem]) -> dict[str, Any]:
    """Funding needed vs allocated in tenge, over problems stating a need (allocation counted for those only)."""
    need = allocated = counted = 0
    for p in problems:
        if p.funding_need_tenge:
            counted += 1
            need += p.funding_need_tenge
            allocated += p.funding_allocated_tenge or 0
    return {
        "problems_with_need": counted, "need_tenge": need, "allocated_tenge": allocated,
        "share": ratio(allocated, need), "percent": percent(allocated, need),
    }


def group_figures(items: Iterable[Item], key: Callable[[Item], str], label: Callable[[Item], str], name: str) -> list[dict[str, Any]]:
    """Per group: total, resolved and the share, by status, funding; largest groups first."""
    groups: dict[str, list[Item]] = {}
    labels: dict[str, str] = {}
    for item in items:
        k = key(item)
        groups.setdefault(k, []).append(item)
        labels.setdefault(k, label(item))
    rows = []
    for k, members in groups.items():
        resolved = sum(1 for m in members if m.status == "resolved")
        funding = funding_totals(m.problem for m in members)
        rows.append({
            name: k, "label": labels[k], "total": len(members), "resolved": resolved,
            "share_resolved": ratio(resolved, len(members)), "percent_resolved": percent(resolved, len(members)),
            "by_status": {s: sum(1 for m in members if m.status == s) for s in STATUSES},
            "need_tenge": funding["need_tenge"], "allocated_tenge": funding["allocated_tenge"],
            "funding_percent": funding["percent"],
        })
    return sorted(rows, key=lambda r: (-r["total"], str(r["label"]).casefold()))


def status_figures(items: list[Item], s: Strings) -> list[dict[str, Any]]:
    """Counts and shares for every status in the decree's order (zeros included, for stable charts)."""
    total = len(items)
    return [
        {"status": st, "label": s.status(st), "count": n, "share": ratio(n, total)}
        for st in STATUSES for n in [sum(1 for i in items if i.status == st)]
    ]


def figures_for(items: list[Item], s: Strings) -> dict[str, Any]:
    """The shared block of figures for a set of problems (used by the dashboard and the quarterly report)."""
    resolved = sum(1 for i in items if i.status == "resolved")
    problems = [i.problem for i in items]
    unassigned = s.t("value.unassigned")
    return {
        "problems_total": len(items),
        "resolved": resolved,
        "share_resolved": ratio(resolved, len(items)),
        "percent_resolved": percent(resolved, len(items)),
        "central_list": sum(1 for p in problems if p.central_list),
        "funding": funding_totals(problems),
        "by_status": status_figures(items, s),
        "by_category": group_figures(items, lambda i: i.problem.category, lambda i: one_line(i.problem.category_name(s.lang), 120), "category"),
        "by_executor": group_figures(
            items, lambda i: one_line(i.problem.executor or ""), lambda i: one_line(i.problem.executor_name(s.lang)) or unassigned, "executor",
        ),
    }


def dashboard_figures(rounds_or_problems: Iterable[Round | Problem], *, lang: str = "ru", today: date | datetime | None = None) -> dict[str, Any]:
    """Aggregate figures for the dashboard; per-region table when problems (or their rounds) carry a region."""
    s = Strings(lang)
    items: list[Item] = []
    rounds: list[Round] = []
    drafts = 0
    for thing in rounds_or_problems:
        if isinstance(thing, Round):
            rounds.append(thing)
            items.extend(Item(p, p.status, one_line(p.region or thing.region or "")) for p in thing.problems if p.accepted)
            drafts += sum(1 for p in thing.problems if not p.accepted) + len(thing.left_out)
        elif thing.accepted:
            items.append(Item(thing, thing.status, one_line(thing.region or "")))
        else:
            drafts += 1
    # Problem questions are the accepted ones; the machine's drafts nobody reviewed yet are counted apart.
    figures = figures_for(items, s)
    figures["drafts_pending"] = drafts
    regions = [i for i in items if i.region]
    figures["by_region"] = group_figures(regions, lambda i: i.region, lambda i: i.region, "region") if regions else []
    figures["lang"] = lang
    if today is not None:
        problems = [i.problem for i in items]
        late, soon = overdue(problems, today), due_soon(problems, today)
        figures["overdue"] = sum(len(v) for v in late.values())
        figures["due_soon"] = sum(len(v) for v in soon.values())
        figures["overdue_by_executor"] = {k: [p.number for p in v] for k, v in late.items()}
        figures["publication"] = [_publication(r, today) for r in rounds]
    return figures


def _publication(round_: Round, today: date | datetime) -> dict[str, Any]:
    """One round's 10-day countdown; a round whose meetings have not all ended has not started counting."""
    ended = [m for m in round_.meetings if m.ended_at is not None]
    base = {"title": one_line(round_.title), "title_kk": one_line(round_.title_kk), "akim": one_line(round_.akim), "meetings": len(round_.meetings),
            "ended": len(ended), "final": round_.final}
    end = last_event_end(round_.events)
    if end is None:
        return {**base, "deadline": None, "days_left": None, "overdue": False}
    deadline = publication_deadline(end)
    status = publication_status(deadline, today)
    return {**base, "deadline": deadline.isoformat(), **status}
