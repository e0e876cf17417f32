"""The central-level list's analysis in the shape of the government's review: counts and sums by status.

"62 questions: 10 without design documentation, 5 already funded in the republican budget (20.2
bn), 13 to be considered when the budget is revised (61.2 bn), ... — 6 finally selected": each
line is a count and the sum of its items (the analysed amount, else the problem's funding need).
The list goes to the Government as of 15 February and 15 August; central bodies update their items
quarterly, so an item not touched since the quarter began is shown as due for an update.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from tyndau.domain.deadlines import almaty_date, central_list_deadline, quarter_bounds, quarter_of
from tyndau.store.central import ANALYSIS, CentralItem


def summary(items: Iterable[CentralItem]) -> dict[str, Any]:
    """Counts and sums by analysis status, the selected ones, and the whole list."""
    lines = {a: {"count": 0, "sum": 0} for a in ANALYSIS}
    selected = {"count": 0, "sum": 0}
    whole = {"count": 0, "sum": 0, "funding_need": 0, "funding_allocated": 0}
    for item in items:
        line = lines.setdefault(item.analysis, {"count": 0, "sum": 0})
        line["count"] += 1
        line["sum"] += item.sum
        whole["count"] += 1
        whole["sum"] += item.sum
        whole["funding_need"] += item.funding_need or 0
        whole["funding_allocated"] += item.funding_allocated or 0
        if item.selected:
            selected["count"] += 1
            selected["sum"] += item.sum
    return {"by_analysis": lines, "selected": selected, "total": whole}


def due_for_update(item: CentralItem, today: date | datetime) -> bool:
    """Whether a body has not updated the item since the current quarter began."""
    first, _ = quarter_bounds(*quarter_of(today))
    return item.updated_at is None or almaty_date(item.updated_at) < first


def deadlines(today: date | datetime) -> dict[str, str]:
    """The next list date (15 February or 15 August) and the one after it."""
    first = central_list_deadline(today)
    second = central_list_deadline(date(first.year, first.month, first.day + 1))
    return {"next": first.isoformat(), "after": second.isoformat()}
