"""The package's tables about people: the round's receptions, its pooling commission, the wide audience.

Only roles, organisations and counts are printed; the names of commission members, reception
participants and attendees stay in the workspace (docs/dev/calendar-rules.md, "Names stay in the
workspace"). Every table is empty when the round has nothing recorded, and the writers leave it out.
"""

from __future__ import annotations

from collections.abc import Mapping

from tyndau.domain.deadlines import almaty_date
from tyndau.domain.participation import AUDIENCE_CATEGORIES, COMMISSION_ROLES
from tyndau.domain.receptions import ROLE_NAMES
from tyndau.reports.i18n import Strings
from tyndau.reports.model import Round
from tyndau.reports.tables import Column, Table
from tyndau.reports.text import one_line


def _label(names: Mapping[str, tuple[str, str]], key: str, lang: str) -> str:
    pair = names.get(key)
    return (pair[1] if lang == "kk" else pair[0]) if pair else key


def receptions_table(round_: Round, s: Strings) -> Table:
    """One row per reception: day, place, citizens received, questions, who received them."""
    cols = (Column("number", s.t("col.number"), "int", 4), Column("date", s.t("col.reception_date"), "date", 14),
            Column("place", s.t("col.place"), "text", 24), Column("citizens", s.t("col.citizens_received"), "int", 13, missing=s.t("summary.unknown")),
            Column("questions", s.t("col.questions"), "int", 11), Column("participants", s.t("col.participants"), "text", 44))
    rows = []
    for i, r in enumerate(sorted((r for r in round_.receptions if not r.cancelled), key=lambda r: r.starts_at), start=1):
        people = "; ".join(filter(None, (", ".join(filter(None, (_label(ROLE_NAMES, role, s.lang), one_line(org, 200))))
                                         for role, org in r.participants)))
        rows.append((i, almaty_date(r.starts_at), one_line(r.place), r.citizens_received, r.questions, people))
    footer = (None, s.t("doc.total"), None, sum(r[3] or 0 for r in rows) if any(r[3] is not None for r in rows) else None,
              sum(r[4] for r in rows), None)
    return Table("receptions", s.t("package.receptions"), cols, tuple(rows), footer if len(rows) > 1 else None)


def commission_table(round_: Round, s: Strings) -> Table:
    """The commission by role and organisation, in the decree's order of roles."""
    order = list(COMMISSION_ROLES)
    members = sorted(round_.commission, key=lambda m: (order.index(m[0]) if m[0] in order else len(order)))
    cols = (Column("number", s.t("col.number"), "int", 4), Column("role", s.t("col.role"), "text", 40),
            Column("organisation", s.t("col.organisation"), "text", 50))
    rows = tuple((i, _label(COMMISSION_ROLES, role, s.lang), one_line(org, 300)) for i, (role, org) in enumerate(members, start=1))
    return Table("commission", s.t("package.commission"), cols, rows)


def attendance_table(round_: Round, s: Strings) -> Table:
    """The wide audience per category: how many people and from which organisations."""
    cols = (Column("category", s.t("col.audience_category"), "text", 36), Column("people", s.t("col.people"), "int", 10),
            Column("organisations", s.t("col.organisations"), "text", 60))
    rows = tuple((_label(AUDIENCE_CATEGORIES, a.category, s.lang), a.people, one_line("; ".join(a.organisations), 1000))
                 for a in round_.attendance)
    footer = (s.t("doc.total"), sum(a.people for a in round_.attendance), None)
    return Table("attendance", s.t("package.attendance"), cols, rows, footer if len(rows) > 1 else None)


def planning_tables(round_: Round, s: Strings) -> list[Table]:
    """The tables this round has something for, in document order."""
    tables = [receptions_table(round_, s), attendance_table(round_, s), commission_table(round_, s)]
    return [t for t in tables if t.rows]
