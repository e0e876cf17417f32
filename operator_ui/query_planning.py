"""Query-string schemas of the planning, roll-up and national routes (issues 14 and 15)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import Field, PlainValidator, WithJsonSchema, create_model

from tyndau.actions.planning_types import MAX_YEAR, MIN_YEAR
from tyndau.actions.schema import Says
from tyndau.operator_ui.query import Flag, Lang, Query, whole
from tyndau.timeutil import parse_day

_UNIT = re.compile(r"[A-Za-z0-9_-]{1,40}")


def _day(value: Any) -> date:
    return parse_day(str(value), (MIN_YEAR, MAX_YEAR))


def _unit(value: Any) -> str:
    text = str(value)
    if not _UNIT.fullmatch(text):
        raise ValueError("a unit's id")
    return text


def day_param(description: str) -> Any:
    """A calendar day, ``2026-12-20`` (a bad one is a 400 naming it)."""
    return Annotated[date, PlainValidator(_day), WithJsonSchema({"type": "string", "format": "date", "description": description}),
                     Says("a date like 2026-12-20 (years 2000 to 2100)", 400, "bad_request")]


UnitParam = Annotated[str, PlainValidator(_unit), WithJsonSchema({"type": "string", "pattern": r"^[A-Za-z0-9_-]{1,40}$"}),
                      Says("a unit's id", 400, "bad_request")]
Year = whole(MIN_YEAR, MAX_YEAR)
Quarter = whole(1, 4)
Today = day_param("look as of this day (default: today in Almaty)")


class TodayQuery(Query):
    """``?today=2026-12-20``: look at the calendar as of another day."""

    today: Today = None  # type: ignore[assignment]


class CoverageQuery(TodayQuery):
    """``?within_days=`` (default 30): warn of periods ending that soon uncovered."""

    within_days: whole(0, 366) = 30


class CalendarExportQuery(TodayQuery):
    """``?lang=ru|kk`` and ``today``."""

    lang: Lang = "ru"


class UnitsQuery(Query):
    """``?under=<id>`` for a subtree, ``?on=<date>`` for the units existing that day."""

    under: UnitParam = None  # type: ignore[assignment]  # a unit: its subtree only
    on: day_param("the units existing that day") = None  # type: ignore[assignment]


class DryRunQuery(Query):
    """``?dry_run=1``: answer what the import would do without writing."""

    dry_run: Flag = False


# ``from`` is a Python keyword, so the period's schema is built with create_model.
PeriodQuery = create_model(
    "PeriodQuery", __base__=Query, __doc__="``?unit=&from=&to=`` or ``?year=&quarter=`` (default: this year).",
    unit=(UnitParam, Field(None, description="a unit (default: the caller's own; none: the nation)")),
    year=(Year, None), quarter=(Quarter, None),
    **{"from": (day_param("the period's first day (with to)"), None),
       "to": (day_param("the period's last day (with from)"), None)},
)


QuarterlyQuery = create_model(
    "UnitQuarterlyQuery", __base__=PeriodQuery, __doc__="``?unit=&year=&quarter=&consolidated=&final=&lang=``.",
    consolidated=(Flag, Field(False, description="every meeting below the unit, not only its own")),
    final=(Flag, False), lang=(Lang, "ru"),
)


CentralListQuery = create_model(
    "CentralListQuery", __base__=PeriodQuery, __doc__="``?unit=&year=&analysis=&today=``.",
    analysis=(Annotated[str, Field(max_length=60)] | None, Field(None, description="one analysis status only")),
    today=(Today, None),
)


MonitorQuery = create_model(
    "MonitorQuery", __base__=PeriodQuery, __doc__="``?unit=&year=&quarter=&today=``.", today=(Today, None),
)
MonitorExportQuery = create_model("MonitorExportQuery", __base__=MonitorQuery, __doc__="The monitor's query and ``lang``.",
                                  lang=(Lang, "ru"))


class SummaryQuery(Query):
    """``?year=&lang=``."""

    year: Year = None  # type: ignore[assignment]
    lang: Lang = "ru"
