"""The national summary in the shape of the government's review of 2022, from Tyndau's own data.

"28.3 thousand meetings, 63 thousand questions raised, 47.6 thousand resolved (75.5 %); regions
ranked from 94.7 % down to 28.5 %; a need of 485 bn tenge against 253.8 bn allocated (52.3 %); a
list of 62 questions needing the central level, analysed as ...; 5 akimats that had not published
their action plans; ministers: 216 receptions, 1,498 citizens, 1,679 problems, 1,241 (74 %)
resolved; 227 meetings scheduled, 212 held." :func:`collect_summary` gathers each figure;
:func:`summary_tables` lays them out as format-neutral tables for DOCX and XLSX.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tyndau.domain.deadlines import almaty_date, quarter_bounds
from tyndau.reports.i18n import Strings
from tyndau.reports.tables import Column, Table
from tyndau.rollup.central_list import summary as central_summary
from tyndau.rollup.compliance import package
from tyndau.rollup.dashboard import rollup
from tyndau.rollup.figures import pct
from tyndau.store.central import ANALYSIS, list_items
from tyndau.store.compliance_data import quarter_facts
from tyndau.store.engine import Connection
from tyndau.store.rollup import Period
from tyndau.store.summary_data import MinistersFigures, ministers_figures

TOP = 3


@dataclass(frozen=True, slots=True)
class NationalSummary:
    """Every figure of the review for one year (as of ``today``)."""

    year: int
    today: date
    generated_at: datetime
    rollup: dict[str, Any]
    central: dict[str, Any]
    not_published: tuple[dict[str, Any], ...]
    ministers: MinistersFigures


async def collect_summary(conn: Connection, year: int, now: datetime) -> NationalSummary:
    """Gather the review's figures for a year from the store."""
    today = almaty_date(now)
    period = Period(date(year, 1, 1), date(year, 12, 31))
    figures = await rollup(conn, None, period)
    central = central_summary(await list_items(conn, period=period))
    late: dict[str, dict[str, Any]] = {}
    for quarter in range(1, 5):
        if quarter_bounds(year, quarter)[0] > today:
            break
        for facts in await quarter_facts(conn, year, quarter):
            check = package(facts, today)
            if check.detail["unpublished"]:
                entry = late.setdefault(facts.organiser_id, {"organiser_id": facts.organiser_id, "name_ru": facts.name_ru,
                                                             "name_kk": facts.name_kk, "unpublished": 0, "days_late": 0})
                entry["unpublished"] += check.detail["unpublished"]
                entry["days_late"] = max(entry["days_late"], check.days_late)
    ordered = tuple(sorted(late.values(), key=lambda e: (-e["days_late"], e["organiser_id"])))
    return NationalSummary(year, today, now, figures, central, ordered, await ministers_figures(conn, period))


def _name(row: dict[str, Any], lang: str) -> str:
    return str(row.get(f"name_{lang}") or row.get("name_ru") or row.get("unit_id") or "")


def summary_rows(s: NationalSummary, t: Strings) -> list[tuple[str, Any]]:
    """The review's paragraph as (indicator, value) lines."""
    total, meetings, m = s.rollup["total"], s.rollup["meetings"], s.ministers
    lang = t.lang
    regions = [u for u in s.rollup["units"] if u["problems"]]
    regions.sort(key=lambda u: (-(u["resolved_pct"] or 0), u["unit_id"]))
    top = ", ".join(f"{_name(u, lang)} ({u['resolved_pct']} %)" for u in regions[:TOP])
    bottom = ", ".join(f"{_name(u, lang)} ({u['resolved_pct']} %)" for u in regions[-TOP:][::-1]) if len(regions) > TOP else ""
    c = s.central
    return [
        (t.t("national.meetings_held"), meetings["held"]),
        (t.t("national.meetings_planned"), meetings["planned"]),
        (t.t("national.questions_raised"), total["problems"]),
        (t.t("national.questions_resolved"), f"{total['resolved']} ({total['resolved_pct'] or 0} %)"),
        (t.t("national.top_regions"), top),
        (t.t("national.bottom_regions"), bottom),
        (t.t("national.funding_need"), total["funding_need"]),
        (t.t("national.funding_allocated"), f"{total['funding_allocated']} ({total['funding_pct'] or 0} %)"),
        (t.t("national.central_total"), f"{c['total']['count']} ({c['total']['sum']})"),
        (t.t("national.central_selected"), f"{c['selected']['count']} ({c['selected']['sum']})"),
        (t.t("national.not_published"), len(s.not_published)),
        (t.t("national.ministers_receptions"), m.receptions),
        (t.t("national.ministers_citizens"), m.citizens),
        (t.t("national.ministers_problems"), m.problems),
        (t.t("national.ministers_resolved"), f"{m.resolved} ({pct(m.resolved, m.problems) or 0} %)"),
        (t.t("national.ministers_meetings"), f"{m.meetings_scheduled} / {m.meetings_held}"),
    ]


def summary_tables(s: NationalSummary, t: Strings) -> list[Table]:
    """The summary, the regions ranked, the central list's analysis, who did not publish."""
    lang = t.lang
    ind = (Column("indicator", t.t("col.indicator"), "text", 60), Column("value", t.t("col.value"), "text", 40))
    rows = tuple((label, str(value)) for label, value in summary_rows(s, t))
    regions = sorted(s.rollup["units"], key=lambda u: (u["problems"] == 0, -(u["resolved_pct"] or 0), u["unit_id"]))
    region_cols = (Column("number", t.t("col.number"), "int", 5), Column("region", t.t("col.region"), "text", 36),
                   Column("held", t.t("national.col_held"), "int", 10), Column("problems", t.t("col.questions"), "int", 10),
                   Column("resolved", t.t("col.resolved"), "int", 10), Column("resolved_pct", t.t("national.col_resolved_pct"), "text", 10),
                   Column("need", t.t("col.funding_need"), "money", 16), Column("allocated", t.t("col.funding_allocated"), "money", 16),
                   Column("funding_pct", t.t("col.funding_percent"), "text", 12))
    region_rows = tuple((i, _name(u, lang), u["meetings_held"], u["problems"], u["resolved"], f"{u['resolved_pct'] or 0} %",
                         u["funding_need"], u["funding_allocated"], f"{u['funding_pct'] or 0} %") for i, u in enumerate(regions, start=1))
    central_cols = (Column("analysis", t.t("national.col_analysis"), "text", 50), Column("count", t.t("col.count"), "int", 10),
                    Column("sum", t.t("national.col_sum"), "money", 18))
    by = s.central["by_analysis"]
    central_rows = tuple((t.t(f"central.{a}"), by[a]["count"], by[a]["sum"]) for a in ANALYSIS)
    central_rows += ((t.t("national.central_selected"), s.central["selected"]["count"], s.central["selected"]["sum"]),)
    late_cols = (Column("akimat", t.t("national.col_akimat"), "text", 50), Column("unpublished", t.t("national.col_unpublished"), "int", 12),
                 Column("days", t.t("national.col_days_late"), "int", 12))
    late_rows = tuple((_name(e, lang), e["unpublished"], e["days_late"]) for e in s.not_published)
    return [Table("summary", t.t("national.section_summary"), ind, rows),
            Table("regions", t.t("national.section_regions"), region_cols, region_rows, landscape=True),
            Table("central", t.t("national.section_central"), central_cols, central_rows),
            Table("not_published", t.t("national.section_not_published"), late_cols, late_rows)]
