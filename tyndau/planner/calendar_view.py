"""An organiser's year, read from the store once: the units, the calendar's events, the meetings.

:func:`load_calendar` gathers what the pure rules need; the API, the pages' JSON and the exports
all start from the same :class:`CalendarBundle`, so the matrix a secretary sees is the one the DOCX
prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tyndau.domain.calendar_rules import approval_milestones, visit_rule
from tyndau.domain.calendar_versions import CalendarChange, CalendarState, fold
from tyndau.domain.coverage import CoverageMatrix, MeetingRecord, coverage_matrix, plan_problems, uncovered_soon
from tyndau.domain.periods import period_of, periods_of_year
from tyndau.domain.units import UnitTree
from tyndau.live.central_bodies import authorised_body_deadlines, generalised_report_deadline
from tyndau.store.calendars import VisitRow, calendar_id, load_changes, operation_json, visit_rows
from tyndau.store.coverage_data import meeting_records
from tyndau.store.engine import Connection
from tyndau.store.organisers import OrganiserRecord, get_organiser
from tyndau.store.units import load_tree, unit_json
from tyndau.timeutil import iso


@dataclass(frozen=True, slots=True)
class CalendarBundle:
    """Everything about one organiser's calendar of one year."""

    organiser: OrganiserRecord
    year: int
    tree: UnitTree
    calendar_id: int | None
    changes: tuple[CalendarChange, ...]
    state: CalendarState
    meetings: tuple[MeetingRecord, ...]
    visits: Mapping[str, VisitRow]

    def matrix(self, today: date | datetime) -> CoverageMatrix:
        """The coverage matrix as of a day."""
        return coverage_matrix(self.tree, self.organiser.organiser(), self.year, self.meetings, today, calendar=self.state)

    def meeting_of_visit(self) -> dict[str, MeetingRecord]:
        """The meeting that realises each visit (by visit key)."""
        return {m.visit_id: m for m in self.meetings if m.visit_id is not None}


async def load_calendar(conn: Connection, organiser_id: str, year: int) -> CalendarBundle | None:
    """The bundle, or None when there is no such organiser (a year without a calendar is an empty draft)."""
    organiser = await get_organiser(conn, organiser_id)
    if organiser is None:
        return None
    tree = await load_tree(conn)
    cal = await calendar_id(conn, organiser_id, year, create=False)
    changes = await load_changes(conn, cal) if cal is not None else ()
    periods = periods_of_year(year, visit_rule(organiser.level).period)
    meetings = await meeting_records(conn, organiser_id, periods[0].first_day, periods[-1].last_day)
    return CalendarBundle(organiser, year, tree, cal, changes, fold(changes, year=year), meetings,
                          await visit_rows(conn, cal) if cal is not None else {})


def _place(tree: UnitTree, unit_id: str | None) -> dict[str, Any] | None:
    if unit_id is None or unit_id not in tree:
        return None
    unit = tree.get(unit_id)
    parent = tree.get(unit.parent_id) if unit.parent_id else None
    return {**unit_json(unit), "parent_ru": parent.name_ru if parent else "", "parent_kk": parent.name_kk if parent else ""}


def _meeting(m: MeetingRecord | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {"id": int(m.id), "starts_at": iso(m.starts_at), "ended_at": iso(m.ended_at), "held": m.held}


def calendar_json(bundle: CalendarBundle, today: date) -> dict[str, Any]:
    """The calendar as the planner page shows it: status, milestones, visits, versions, problems."""
    state = bundle.state
    rule = visit_rule(bundle.organiser.level)
    realised = bundle.meeting_of_visit()
    first = state.approved_plan()

    def visit(v: Any, status: str) -> dict[str, Any]:
        row = bundle.visits.get(v.id)
        base = first.get(v.id)
        return {
            "visit_id": v.id, "row_id": row.id if row else None, "planned_on": v.planned_on.isoformat(),
            "period": period_of(v.planned_on, rule.period).key, "place_unit_id": v.place_unit_id,
            "place": _place(bundle.tree, v.place_unit_id), "note": v.note, "status": status,
            "approved_on": base.planned_on.isoformat() if base and base.planned_on != v.planned_on else None,
            "meeting": _meeting(realised.get(v.id)),
        }

    milestones = approval_milestones(bundle.year, bundle.organiser.level, today, approved=state.approved_on,
                                     submitted=state.submitted_at, passed_on=state.passed_on_at)
    return {
        "organiser": bundle.organiser.to_json(),
        "year": bundle.year,
        "status": state.status,
        "version": state.version,
        "last_seq": state.last_seq or 0,
        "approved_on": state.approved_on.isoformat() if state.approved_on else None,
        "submitted_at": iso(state.submitted_at),
        "passed_on_at": iso(state.passed_on_at),
        "rule": {"period": rule.period, "targets": sorted(rule.targets) if rule.targets is not None else None, "source": rule.source},
        "central": None if bundle.organiser.kind != "central_body" else {
            "exempt": bundle.organiser.exempt, "deadlines": central_deadlines(bundle.organiser, bundle.year, today)},
        "milestones": [] if bundle.organiser.kind == "central_body" else [{"name": m.name, "due": m.due.isoformat(), "done_on": m.done_on.isoformat() if m.done_on else None,
                        "state": m.state, "days_left": m.days_left} for m in milestones],
        "visits": [visit(v, "planned") for v in state.planned()],
        "cancelled": [visit(v, "cancelled") for v in sorted(state.cancelled.values(), key=lambda v: (v.planned_on, v.id))],
        "versions": [version_json(v) for v in state.versions],
        "drafts": sum(1 for c in bundle.changes if c.kind == "draft"),
        "problems": list(plan_problems(state, bundle.tree, bundle.organiser.organiser())),
        "meetings": [{**(_meeting(m) or {}), "visit_id": m.visit_id, "place_unit_id": m.place_unit_id,
                      "off_calendar_reason": m.off_calendar_reason or None} for m in bundle.meetings],
    }


def central_deadlines(organiser: OrganiserRecord, year: int, today: date) -> list[dict[str, Any]]:
    """A central body's reporting dates of the year instead of the maslikhat's: the generalised report after
    each quarter (by the 10th) and the authorised body's semi-annual schedule and results (15 June, 15 December)."""
    out = []
    for q in range(1, 5):
        due = generalised_report_deadline(year, q)
        out.append({"kind": "generalised_report", "covers": f"{year}-Q{q}", "due": due.isoformat(), "days_left": (due - today).days})
    for d in authorised_body_deadlines(year):
        out.append({"kind": f"authorised_{d.kind}", "covers": d.covers.key, "due": d.due.isoformat(), "days_left": (d.due - today).days})
    return sorted(out, key=lambda x: (x["due"], x["kind"]))


def version_json(v: Any) -> dict[str, Any]:
    """One version of the calendar: number, who, when, why, the maslikhat's act, the plan and what changed."""
    return {"number": v.number, "seq": v.seq, "kind": v.kind, "at": iso(v.at), "actor": v.actor, "reason": v.reason,
            "maslikhat_agreed_on": v.maslikhat_agreed_on.isoformat() if v.maslikhat_agreed_on else None,
            "maslikhat_ref": v.maslikhat_ref, "visits": len(v.visits), "operations": [operation_json(o) for o in v.operations]}


def coverage_json(bundle: CalendarBundle, today: date, within_days: int = 30) -> dict[str, Any]:
    """The matrix with its periods, rows, counts and the warnings for periods ending soon."""
    matrix = bundle.matrix(today)
    base_depth = len(bundle.tree.ancestors(bundle.organiser.unit_id)) + 1 if bundle.organiser.unit_id else 0
    rows = []
    for row in matrix.rows:
        depth = len(bundle.tree.ancestors(row.target_id)) - base_depth if row.unit is not None else 0
        rows.append({
            "target_id": row.target_id, "unit": unit_json(row.unit) if row.unit else None, "depth": max(0, depth),
            "cells": [{"period": c.period.key, "status": c.status, "required": c.required, "period_open": c.period_open,
                       "existing_days": c.existing_days, "held": [int(x) for x in c.held], "on_demand": [int(x) for x in c.on_demand],
                       "planned": list(c.planned), "overdue": list(c.overdue), "moved_out": list(c.moved_out)} for c in row.cells],
        })
    warnings = uncovered_soon(matrix, today, within_days)
    return {
        "year": bundle.year, "today": today.isoformat(), "within_days": within_days,
        "periods": [{"key": p.key, "kind": p.kind, "index": p.index, "first_day": p.first_day.isoformat(),
                     "last_day": p.last_day.isoformat(), "label_ru": p.label("ru"), "label_kk": p.label("kk"),
                     "open": today <= p.last_day} for p in matrix.periods],
        "rows": rows,
        "counts": dict(matrix.counts()),
        "on_demand": [int(x) for x in matrix.on_demand],
        "outside_targets": [int(x) for x in matrix.outside_targets],
        "warnings": [{"period": w.period.key, "ends_on": w.ends_on.isoformat(), "days_left": w.days_left,
                      "uncovered": list(w.uncovered), "unplanned": list(w.unplanned)} for w in warnings],
        "gaps": [{"target_id": r.target_id, "period": c.period.key} for r in matrix.rows for c in r.cells
                 if c.status == "missing" and not c.period_open],
    }
