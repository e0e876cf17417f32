"""The compliance monitor's rules: for each organiser and quarter, who is late now and by how much.

Pure functions over plain facts (:class:`Facts`), so every rule is tested without a store:

- **coverage**: calendar visits planned in the quarter against meetings held in it; once the quarter
  is over, each missing meeting is late by the days since the quarter ended;
- **announcements**: each meeting announced 14 / 7 days ahead (:func:`announcement_deadline`); late
  by the days after that deadline (not announced and already held: late by the whole notice);
- **the quarter rule**: each ended meeting's presentation at most ¼ of its planned time;
- **the package**: each ended meeting's round published within 10 days of its last meeting or
  reception; late by the days past the deadline (still unpublished: counted to today);
- **the quarterly progress report**: handed in by the 25th of the month after the quarter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tyndau.domain.deadlines import (
    almaty_date,
    announcement_deadline,
    publication_deadline,
    quarter_bounds,
    quarterly_report_deadline,
)

CHECKS = ("coverage", "announcements", "quarter_rule", "package", "progress")


@dataclass(frozen=True, slots=True)
class MeetingFact:
    """What the monitor needs of one meeting."""

    id: int
    starts_at: datetime
    akim_level: str
    planned_minutes: int
    announced_at: datetime | None
    ended_at: datetime | None
    presentation_seconds: float | None
    round_end: datetime | None = None  # the last meeting or reception of its round (else its own end)
    published_at: datetime | None = None  # its round's publication


@dataclass(frozen=True, slots=True)
class Facts:
    """One organiser's quarter."""

    organiser_id: str
    unit_id: str | None
    name_ru: str
    name_kk: str
    year: int
    quarter: int
    visits_planned: int
    meetings: Sequence[MeetingFact]
    progress_submitted_at: datetime | None


@dataclass
class Check:
    """One rule's outcome: how many items it looked at, how many are late or broken, the worst delay."""

    total: int = 0
    ok: int = 0
    late: int = 0
    days_late: int = 0  # the worst delay, in days, now
    detail: dict[str, Any] = field(default_factory=dict)

    def miss(self, days: int) -> None:
        """One item late (or broken) by ``days``."""
        self.late += 1
        self.days_late = max(self.days_late, days)

    def to_json(self) -> dict[str, Any]:
        """As the API and the exports carry it."""
        return {"total": self.total, "ok": self.ok, "late": self.late, "days_late": self.days_late, **self.detail}


def coverage(f: Facts, today: date) -> Check:
    """Visits planned vs meetings held in the quarter; the shortfall is late once the quarter is over."""
    _, last = quarter_bounds(f.year, f.quarter)
    held = sum(1 for m in f.meetings if m.ended_at is not None)
    c = Check(total=f.visits_planned, ok=min(held, f.visits_planned), detail={"planned": f.visits_planned, "held": held})
    missing = max(0, f.visits_planned - held)
    if today > last:
        for _ in range(missing):
            c.miss((today - last).days)
    c.detail["missing"] = missing
    return c


def announcements(f: Facts, today: date) -> Check:
    """Each meeting announced on time (14 or 7 days ahead)."""
    c = Check()
    for m in f.meetings:
        due = announcement_deadline(m.starts_at, m.akim_level)
        if m.announced_at is not None:
            c.total += 1
            late = (almaty_date(m.announced_at) - due).days
            if late > 0:
                c.miss(late)
            else:
                c.ok += 1
        elif today > due:
            c.total += 1
            c.miss((min(today, almaty_date(m.starts_at)) - due).days)
    return c


def quarter_rule(f: Facts) -> Check:
    """Each ended meeting's presentation within a quarter of its planned time (minutes over, as "days")."""
    c = Check(detail={"minutes_over": 0, "not_recorded": 0})
    for m in f.meetings:
        if m.ended_at is None:
            continue
        if m.presentation_seconds is None:
            c.detail["not_recorded"] += 1
            continue
        c.total += 1
        over = m.presentation_seconds - m.planned_minutes * 60 / 4
        if over > 0:
            c.late += 1
            c.detail["minutes_over"] = max(c.detail["minutes_over"], int(over // 60) + 1)
        else:
            c.ok += 1
    return c


def package(f: Facts, today: date) -> Check:
    """Each ended meeting's round published within 10 days of its end."""
    c = Check(detail={"unpublished": 0})
    for m in f.meetings:
        end = m.round_end or m.ended_at
        if end is None:
            continue
        due = publication_deadline(end)
        if m.published_at is not None:
            c.total += 1
            late = (almaty_date(m.published_at) - due).days
            if late > 0:
                c.miss(late)
            else:
                c.ok += 1
        elif today > due:
            c.total += 1
            c.detail["unpublished"] += 1
            c.miss((today - due).days)
    return c


def progress(f: Facts, today: date) -> Check:
    """The quarterly progress report handed in by the 25th of the month after the quarter."""
    due = quarterly_report_deadline(f.year, f.quarter)
    c = Check(total=1, detail={"due": due.isoformat(), "submitted_at": f.progress_submitted_at.isoformat() if f.progress_submitted_at else None})
    if f.progress_submitted_at is not None:
        late = (almaty_date(f.progress_submitted_at) - due).days
        if late > 0:
            c.miss(late)
        else:
            c.ok += 1
    elif today > due:
        c.miss((today - due).days)
    else:
        c.total = 0  # not due yet
    return c


def evaluate(f: Facts, today: date) -> dict[str, Any]:
    """Every check for one organiser's quarter, whether it is late now, and by how much at worst."""
    checks = {"coverage": coverage(f, today), "announcements": announcements(f, today), "quarter_rule": quarter_rule(f),
              "package": package(f, today), "progress": progress(f, today)}
    late = [name for name, c in checks.items() if c.late]
    worst = max((c.days_late for c in checks.values()), default=0)
    return {"organiser_id": f.organiser_id, "unit_id": f.unit_id, "name_ru": f.name_ru, "name_kk": f.name_kk,
            "checks": {k: v.to_json() for k, v in checks.items()}, "late": late, "days_late": worst}


def monitor(facts: Iterable[Facts], today: date) -> dict[str, Any]:
    """Every organiser's evaluation, the late ones first (worst delay first), and totals per check."""
    rows = [evaluate(f, today) for f in facts]
    rows.sort(key=lambda r: (not r["late"], -r["days_late"], r["organiser_id"]))
    totals = {name: {"total": sum(r["checks"][name]["total"] for r in rows), "ok": sum(r["checks"][name]["ok"] for r in rows),
                     "late": sum(r["checks"][name]["late"] for r in rows)} for name in CHECKS}
    return {"organisers": rows, "totals": totals, "late_organisers": sum(1 for r in rows if r["late"]), "today": today.isoformat()}
