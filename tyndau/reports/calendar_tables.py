"""An organiser's calendar as format-neutral tables: milestones, the plan, the coverage matrix, versions.

The same :class:`~tyndau.reports.tables.Table` goes to the DOCX and the XLSX writer, as the package's
tables do. Unit names come in the document's language; a cell of the matrix reads «проведена 12.03»,
«запланирована 20.03», «нет встречи» or «не требуется», with «вне календаря» for a meeting held on
the population's demand.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from tyndau.domain.calendar_versions import AddVisit, CancelVisit, MoveVisit
from tyndau.domain.coverage import CoverageCell, CoverageMatrix, uncovered_soon
from tyndau.domain.periods import Period, period_of
from tyndau.domain.units import UNIT_KINDS
from tyndau.planner.calendar_view import CalendarBundle
from tyndau.reports.i18n import ROMAN, Strings
from tyndau.reports.tables import Column, Table
from tyndau.reports.text import fmt_date, fmt_datetime, one_line


@dataclass(frozen=True, slots=True)
class CalendarDoc:
    """What a calendar export shows, fixed at one day."""

    bundle: CalendarBundle
    today: date
    matrix: CoverageMatrix

    @classmethod
    def of(cls, bundle: CalendarBundle, today: date) -> CalendarDoc:
        """The document's facts as of ``today``."""
        return cls(bundle, today, bundle.matrix(today))


def period_header(period: Period, s: Strings) -> str:
    """«I кв. 2026» / «2026 ж. I тоқсан»."""
    return s.t(f"calendar.period.{period.kind}", roman=ROMAN[period.index - 1], year=period.year)


def _unit_name(doc: CalendarDoc, unit_id: str | None, lang: str) -> str:
    if unit_id is None:
        return doc.bundle.organiser.name(lang)
    tree = doc.bundle.tree
    return tree.get(unit_id).name(lang) if unit_id in tree else unit_id


def milestones_table(doc: CalendarDoc, s: Strings) -> Table:
    """The approval steps: due, done, how it compares."""
    from tyndau.domain.calendar_rules import approval_milestones

    state = doc.bundle.state
    if doc.bundle.organiser.kind == "central_body":
        return _central_table(doc, s)
    steps = approval_milestones(doc.bundle.year, doc.bundle.organiser.level, doc.today, approved=state.approved_on,
                                submitted=state.submitted_at, passed_on=state.passed_on_at)
    cols = (Column("step", s.t("calendar.col_step"), "text", 48), Column("due", s.t("calendar.col_due"), "date", 14),
            Column("done", s.t("calendar.col_done"), "date", 14, missing="—"), Column("state", s.t("calendar.col_state"), "text", 18))
    rows = tuple((s.t(f"calendar.milestone.{m.name}"), m.due, m.done_on, s.t(f"calendar.milestone_state.{m.state}")) for m in steps)
    return Table("milestones", s.t("calendar.table_milestones"), cols, rows)


def _central_table(doc: CalendarDoc, s: Strings) -> Table:
    """A central body's reporting dates of the year (it has no maslikhat)."""
    from tyndau.planner.calendar_view import central_deadlines

    cols = (Column("step", s.t("calendar.col_step"), "text", 56), Column("due", s.t("calendar.col_due"), "date", 14),
            Column("state", s.t("calendar.col_state"), "text", 18))
    rows = []
    for d in central_deadlines(doc.bundle.organiser, doc.bundle.year, doc.today):
        state = "pending" if d["days_left"] >= 0 else "passed"
        rows.append((s.t(f"calendar.central.{d['kind']}", covers=d["covers"]), date.fromisoformat(d["due"]), s.t(f"calendar.central_state.{state}")))
    return Table("milestones", s.t("calendar.table_central"), cols, tuple(rows))


def plan_table(doc: CalendarDoc, s: Strings) -> Table:
    """Every planned (and cancelled) visit with its day, period, place and what became of it."""
    b = doc.bundle
    rule_period = doc.matrix.rule.period
    realised = b.meeting_of_visit()
    cols = (Column("number", s.t("col.number"), "int", 5), Column("day", s.t("calendar.col_day"), "date", 13),
            Column("period", s.t("calendar.col_period"), "text", 14), Column("place", s.t("calendar.col_place"), "text", 34),
            Column("kind", s.t("calendar.col_kind"), "text", 20), Column("note", s.t("calendar.col_note"), "text", 26),
            Column("state", s.t("calendar.col_state"), "text", 22), Column("meeting", s.t("calendar.col_meeting"), "int", 11, missing="—"))
    visits = [(v, "planned") for v in b.state.planned()] + [(v, "cancelled") for v in b.state.cancelled.values()]
    visits.sort(key=lambda x: (x[0].planned_on, x[0].id))
    rows = []
    for i, (v, status) in enumerate(visits, start=1):
        meeting = realised.get(v.id)
        if status == "cancelled":
            state = "cancelled"
        elif meeting is not None and meeting.held:
            state = "held"
        elif meeting is not None:
            state = "scheduled"
        else:
            state = "overdue" if v.planned_on < doc.today else "planned"
        kind = UNIT_KINDS[b.tree.get(v.place_unit_id).kind].name(s.lang) if v.place_unit_id in b.tree else ""
        rows.append((i, v.planned_on, period_header(period_of(v.planned_on, rule_period), s), one_line(_unit_name(doc, v.place_unit_id, s.lang)),
                     kind, one_line(v.note), s.t(f"calendar.visit.{state}"), int(meeting.id) if meeting else None))
    return Table("plan", s.t("calendar.table_plan"), cols, tuple(rows), landscape=True)


def _cell_text(cell: CoverageCell, doc: CalendarDoc, s: Strings) -> str:
    """One matrix cell in words, with the day of the meeting or plan."""
    if cell.status == "held":
        days = sorted(m.starts_at for m in doc.bundle.meetings if m.id in cell.held)
        text = s.t("calendar.cell.held") + (f" {fmt_date(days[0])[:5]}" if days else "")
        return f"{text} ({s.t('calendar.cell.on_demand')})" if cell.on_demand and len(cell.on_demand) == len(cell.held) else text
    if cell.status == "planned":
        visits = doc.bundle.state.visits
        days = sorted(visits[v].planned_on for v in cell.planned if v in visits)
        return s.t("calendar.cell.planned") + (f" {fmt_date(days[0])[:5]}" if days else "")
    return s.t(f"calendar.cell.{cell.status}")


def coverage_table(doc: CalendarDoc, s: Strings) -> Table:
    """The matrix: a row per unit the organiser must visit, a column per quarter or half-year."""
    m = doc.matrix
    tree = doc.bundle.tree
    base = len(tree.ancestors(doc.bundle.organiser.unit_id)) + 1 if doc.bundle.organiser.unit_id else 0
    cols = (Column("unit", s.t("calendar.col_unit"), "text", 34), Column("kind", s.t("calendar.col_kind"), "text", 20),
            *(Column(p.key, period_header(p, s), "text", 17) for p in m.periods))
    rows = []
    for row in m.rows:
        indent = "  " * max(0, len(tree.ancestors(row.target_id)) - base) if row.unit is not None else ""
        kind = UNIT_KINDS[row.unit.kind].name(s.lang) if row.unit is not None else ""
        rows.append((indent + one_line(_unit_name(doc, row.unit.id if row.unit else None, s.lang)), kind,
                     *(_cell_text(c, doc, s) for c in row.cells)))
    return Table("coverage", s.t("calendar.table_coverage"), cols, tuple(rows), landscape=True)


def coverage_notes(doc: CalendarDoc, s: Strings) -> list[str]:
    """The counts, the periods that ended with gaps, and the warnings for periods ending soon."""
    m = doc.matrix
    counts = m.counts()
    out = [s.t("calendar.counts", **{k: counts[k] for k in counts})]
    for i, period in enumerate(m.periods):
        missing = [r.target_id for r in m.rows if r.cells[i].status == "missing" and not r.cells[i].period_open]
        if missing:
            out.append(s.t("calendar.gap", period=period_header(period, s), units=", ".join(_unit_name(doc, u, s.lang) for u in missing)))
    for w in uncovered_soon(m, doc.today, 30):
        out.append(s.t("calendar.warning", period=period_header(w.period, s), days=w.days_left,
                       units=", ".join(_unit_name(doc, u, s.lang) for u in w.uncovered)))
    return out


def versions_table(doc: CalendarDoc, s: Strings) -> Table:
    """Each approved version: who, when, the maslikhat's act, why, and what it changed."""
    cols = (Column("number", s.t("calendar.col_version"), "int", 8), Column("kind", s.t("calendar.col_version_kind"), "text", 16),
            Column("when", s.t("calendar.col_when"), "text", 17), Column("actor", s.t("calendar.col_actor"), "text", 16),
            Column("maslikhat", s.t("calendar.col_maslikhat"), "text", 22), Column("reason", s.t("calendar.col_reason"), "text", 36),
            Column("visits", s.t("calendar.col_visits"), "int", 12), Column("changes", s.t("calendar.col_changes"), "text", 30))
    rows = []
    for v in doc.bundle.state.versions:
        kinds = Counter(type(o) for o in v.operations)
        act = s.t("calendar.maslikhat_act", date=fmt_date(v.maslikhat_agreed_on), ref=one_line(v.maslikhat_ref)).strip() if v.maslikhat_agreed_on else ""
        changes = "" if v.kind == "approval" else s.t("calendar.changes", added=kinds[AddVisit], moved=kinds[MoveVisit], cancelled=kinds[CancelVisit])
        rows.append((v.number, s.t(f"calendar.version_kind.{v.kind}"), fmt_datetime(v.at), one_line(v.actor, 100), act,
                     one_line(v.reason, 500), len(v.visits), changes))
    return Table("versions", s.t("calendar.table_versions"), cols, tuple(rows), landscape=True)


def summary_rows(doc: CalendarDoc, s: Strings) -> list[tuple[str, str]]:
    """Organiser, status, version and the rule, as (label, text) pairs."""
    b = doc.bundle
    state = b.state
    rows = [(s.t("calendar.organiser"), one_line(b.organiser.name(s.lang))),
            (s.t("calendar.status_label"), s.t("calendar.status.approved_central" if b.organiser.kind == "central_body"
                                                and state.status != "draft" else f"calendar.status.{state.status}")),
            (s.t("calendar.version_label"), str(state.version) if state.version else s.t("calendar.version_none")),
            (s.t("calendar.rule_label"), s.t(f"calendar.rule.{b.organiser.level}"))]
    if b.organiser.kind == "central_body":
        from tyndau.live.central_bodies import next_generalised_report

        _, due = next_generalised_report(doc.today)
        rows.append(("", s.t("calendar.central_exempt") if b.organiser.exempt else s.t("calendar.central_reports", date=fmt_date(due))))
    return rows
