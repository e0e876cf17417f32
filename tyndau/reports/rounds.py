"""Which meetings make one round: the meetings of one akim held close together.

The 10-day publication deadline runs from the end of a round's last meeting, so meetings of
different akims are never one round. Meetings of the same akim (compared by name, ignoring case
and spacing) form one round while each starts within ``gap_days`` of the previous one; a meeting
whose akim is not named is a round of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

ROUND_GAP_DAYS = 30


class RoundMember(NamedTuple):
    """What grouping needs to know about a meeting."""

    id: int
    akim_name: str
    starts_at: datetime


def akim_key(name: str) -> str:
    """An akim's name compared ignoring case, spacing and ё/е."""
    return " ".join(name.split()).casefold().replace("ё", "е")


def group_rounds(meetings: Sequence[RoundMember], gap_days: int = ROUND_GAP_DAYS) -> list[list[int]]:
    """Meeting ids grouped into rounds, each round in start order; rounds ordered by their first meeting."""
    by_akim: dict[str, list[RoundMember]] = {}
    rounds: list[list[RoundMember]] = []
    for m in meetings:
        key = akim_key(m.akim_name)
        if key:
            by_akim.setdefault(key, []).append(m)
        else:
            rounds.append([m])
    for items in by_akim.values():
        items.sort(key=lambda m: (m.starts_at, m.id))
        current = [items[0]]
        for m in items[1:]:
            if m.starts_at - current[-1].starts_at > timedelta(days=gap_days):
                rounds.append(current)
                current = [m]
            else:
                current.append(m)
        rounds.append(current)
    rounds.sort(key=lambda r: (r[0].starts_at, r[0].id))
    return [[m.id for m in r] for r in rounds]
