"""The roll-up over HTTP: one dashboard for any unit (or the nation) and period, and the quarterly
progress report of a unit, its own or consolidated over everything below it.

The unit defaults to the caller's scope (a national caller without ``unit`` gets the nation); a
unit outside the scope was refused already by :mod:`tyndau.operator_ui.scope_guard`.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date
from typing import Any

from aiohttp import web

from tyndau.actions import ActionError, require_role
from tyndau.actions.planning_fields import READERS
from tyndau.operator_ui.auth import principal
from tyndau.operator_ui.errors import query_flag, query_int
from tyndau.operator_ui.keys import SERVICES
from tyndau.reports.collect import collect_quarterly
from tyndau.reports.deadlines import quarter_bounds
from tyndau.reports.quarterly import quarterly_json
from tyndau.reports.quarterly_docx import quarterly_docx
from tyndau.reports.quarterly_xlsx import quarterly_xlsx
from tyndau.rollup.dashboard import rollup
from tyndau.store.people import Principal
from tyndau.store.rollup import Period, meeting_ids
from tyndau.store.units import get_unit

UNIT_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")
DOC_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
MAX_REPORT_MEETINGS = 2000


def lang_of(request: web.Request) -> str:
    """``?lang=ru|kk`` (ru when absent)."""
    lang = request.query.get("lang", "ru")
    if lang not in ("ru", "kk"):
        raise ActionError(400, "bad_request", "lang must be ru or kk")
    return lang


async def unit_of(request: web.Request, who: Principal) -> str | None:
    """The unit asked for, else the caller's own; None: the nation (national callers only)."""
    if who.scope is not None and who.scope.organiser_id is not None:
        raise ActionError(403, "national_only", "a central body's users see the central-level list, not units' roll-ups")
    raw = request.query.get("unit") or (who.scope.unit_id if who.scope else None)
    if raw is None:
        return None
    if not UNIT_ID.fullmatch(raw):
        raise ActionError(404, "not_found", "no such unit")
    async with request.app[SERVICES].engine.connect() as conn:
        if await get_unit(conn, raw) is None:
            raise ActionError(404, "not_found", f"no unit {raw!r}")
    return raw


def _day(request: web.Request, name: str) -> date | None:
    raw = request.query.get(name)
    if raw is None:
        return None
    try:
        if len(raw) != 10:
            raise ValueError
        day = date.fromisoformat(raw)
    except ValueError:
        raise ActionError(400, "bad_request", f"{name} must be a date like 2026-12-20") from None
    if not 2000 <= day.year <= 2100:
        raise ActionError(400, "bad_request", f"{name} must be in the years 2000 to 2100")
    return day


def period_of(request: web.Request) -> Period:
    """``from``/``to`` dates, else ``year`` (with ``quarter``), else this year."""
    start, end = _day(request, "from"), _day(request, "to")
    if start or end:
        if not (start and end) or end < start:
            raise ActionError(400, "bad_request", "give both from and to, to not before from")
        return Period(start, end)
    year = query_int(request.query, "year", date.today().year, 2000, 2100) or date.today().year
    quarter = query_int(request.query, "quarter", None, 1, 4)
    if quarter is None:
        return Period(date(year, 1, 1), date(year, 12, 31))
    return Period(*quarter_bounds(year, quarter))


async def dashboard(request: web.Request) -> web.Response:
    """The roll-up: ``?unit=&from=&to=`` or ``?year=&quarter=``."""
    who = require_role(principal(request), READERS)
    unit_id = await unit_of(request, who)
    services = request.app[SERVICES]
    async with services.engine.connect() as conn:
        body = await rollup(conn, unit_id, period_of(request), category_names=services.extra.get("category_names", {}))
    return web.json_response(body)


async def quarterly(request: web.Request) -> web.Response:
    """The quarterly progress report of a unit: ``?unit=&year=&quarter=&consolidated=1&lang=``.

    Its own meetings, or (``consolidated``) every meeting below it, from the start of the year to
    the quarter's end; each problem's status at the start of the quarter and at its end (or now).
    """
    who = require_role(principal(request), READERS)
    unit_id = await unit_of(request, who)
    if unit_id is None:
        raise ActionError(400, "bad_request", "give unit= (the nation's report is the national summary)")
    if "year" not in request.query or "quarter" not in request.query:
        raise ActionError(400, "bad_request", "year and quarter (1-4) are required")
    year, quarter = query_int(request.query, "year", None, 2000, 2100), query_int(request.query, "quarter", None, 1, 4)
    assert year is not None and quarter is not None
    lang = lang_of(request)
    consolidated = bool(query_flag(request.query.get("consolidated")))
    services = request.app[SERVICES]
    async with services.engine.connect() as conn:
        ids = await meeting_ids(conn, unit_id, Period(date(year, 1, 1), quarter_bounds(year, quarter)[1]), own=not consolidated)
    if not ids:
        raise ActionError(404, "no_meetings", "the unit has no meetings in that year up to the quarter's end")
    if len(ids) > MAX_REPORT_MEETINGS:
        raise ActionError(413, "too_large", f"{len(ids)} meetings: a consolidated report takes at most {MAX_REPORT_MEETINGS}; use the dashboard")
    report = await collect_quarterly(services.engine, services.clock, ids, year, quarter, final=bool(query_flag(request.query.get("final"))),
                                     category_names=services.extra.get("category_names", {}), executors_kk=services.extra.get("executors_kk", {}))
    fmt = request.match_info["fmt"]
    if fmt == "json":
        return web.json_response({**await asyncio.to_thread(quarterly_json, report, lang), "unit_id": unit_id,
                                  "consolidated": consolidated, "meeting_ids": ids})
    build = quarterly_docx if fmt == "docx" else quarterly_xlsx
    body = await asyncio.to_thread(build, report, lang)
    stem = f"tyndau-{unit_id}-{'consolidated-' if consolidated else ''}{year}-Q{quarter}-{lang}"
    return web.Response(body=body, content_type=DOC_TYPES[fmt], headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})


def setup_rollup_api(app: web.Application) -> None:
    """Mount the roll-up routes."""
    r = app.router
    r.add_get("/api/v1/rollup", dashboard)
    r.add_get("/api/v1/rollup/quarterly.{fmt:docx|xlsx|json}", quarterly)
