"""The roll-up over HTTP: one dashboard for any unit (or the nation) and period, and the quarterly
progress report of a unit, its own or consolidated over everything below it.

The unit defaults to the caller's scope (a national caller without ``unit`` gets the nation); a
unit outside the scope was refused already by :mod:`tyndau.operator_ui.scope_guard`.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from aiohttp import web

from tyndau.actions import ActionError
from tyndau.domain.deadlines import quarter_bounds
from tyndau.operator_ui.keys import SERVICES
from tyndau.operator_ui.query_planning import PeriodQuery, QuarterlyQuery
from tyndau.operator_ui.routes import Reply, Route, caller, mount, query
from tyndau.reports.builder import DOCX, XLSX, ReportRefused, ReportRequest, build_report
from tyndau.rollup.dashboard import rollup
from tyndau.store.people import Principal
from tyndau.store.rollup import Period, meeting_ids
from tyndau.store.units import get_unit

MAX_REPORT_MEETINGS = 2000


async def unit_of(request: web.Request, who: Principal, asked: str | None) -> str | None:
    """The unit asked for, else the caller's own; None: the nation (national callers only)."""
    if who.scope is not None and who.scope.organiser_id is not None:
        raise ActionError(403, "national_only", "a central body's users see the central-level list, not units' roll-ups")
    raw = asked or (who.scope.unit_id if who.scope else None)
    if raw is None:
        return None
    async with request.app[SERVICES].engine.connect() as conn:
        if await get_unit(conn, raw) is None:
            raise ActionError(404, "not_found", f"no unit {raw!r}")
    return raw


def period_of(q: Any) -> Period:
    """``from``/``to`` dates, else ``year`` (with ``quarter``), else this year."""
    start, end = getattr(q, "from"), q.to
    if start or end:
        if not (start and end) or end < start:
            raise ActionError(400, "bad_request", "give both from and to, to not before from")
        return Period(start, end)
    year = q.year or date.today().year
    if q.quarter is None:
        return Period(date(year, 1, 1), date(year, 12, 31))
    return Period(*quarter_bounds(year, q.quarter))


async def dashboard(request: web.Request) -> web.Response:
    """The roll-up: ``?unit=&from=&to=`` or ``?year=&quarter=``."""
    q = query(request, PeriodQuery)
    unit_id = await unit_of(request, caller(request), q.unit)
    services = request.app[SERVICES]
    async with services.engine.connect() as conn:
        body = await rollup(conn, unit_id, period_of(q), category_names=services.vocabulary.categories)
    return web.json_response(body)


async def quarterly(request: web.Request) -> web.Response:
    """The quarterly progress report of a unit: ``?unit=&year=&quarter=&consolidated=1&lang=``.

    Its own meetings, or (``consolidated``) every meeting below it, from the start of the year to
    the quarter's end; each problem's status at the start of the quarter and at its end (or now).
    """
    q = query(request, QuarterlyQuery)
    unit_id = await unit_of(request, caller(request), q.unit)
    if unit_id is None:
        raise ActionError(400, "bad_request", "give unit= (the nation's report is the national summary)")
    if q.year is None or q.quarter is None:
        raise ActionError(400, "bad_request", "year and quarter (1-4) are required")
    year, quarter, lang, consolidated = q.year, q.quarter, q.lang, q.consolidated
    services = request.app[SERVICES]
    async with services.engine.connect() as conn:
        ids = await meeting_ids(conn, unit_id, Period(date(year, 1, 1), quarter_bounds(year, quarter)[1]), own=not consolidated)
    if not ids:
        raise ActionError(404, "no_meetings", "the unit has no meetings in that year up to the quarter's end")
    if len(ids) > MAX_REPORT_MEETINGS:
        raise ActionError(413, "too_large", f"{len(ids)} meetings: a consolidated report takes at most {MAX_REPORT_MEETINGS}; use the dashboard")
    fmt = request.match_info["fmt"]
    ask = ReportRequest("quarterly", tuple(ids), fmt, lang, final=q.final, year=year, quarter=quarter)
    try:  # the same builder as the meetings' quarterly report and `tyndau report quarterly`
        doc = await build_report(services.engine, services.clock, services.vocabulary, ask)
    except ReportRefused as exc:
        raise ActionError(422 if exc.code != "bad_request" else 400, exc.code, exc.message, **exc.details) from None
    if fmt == "json":
        return web.json_response({**json.loads(doc.body), "unit_id": unit_id, "consolidated": consolidated, "meeting_ids": ids})
    stem = f"tyndau-{unit_id}-{'consolidated-' if consolidated else ''}{year}-Q{quarter}-{lang}"
    return web.Response(body=doc.body, content_type=doc.media_type, headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})


def routes() -> list[Route]:
    """The roll-up routes."""
    return [
        Route("GET", "/api/v1/rollup", dashboard, "national", capability="planning.read", query=PeriodQuery, errors=(403, 404)),
        Route("GET", "/api/v1/rollup/quarterly.{fmt:docx|xlsx|json}", quarterly, "national", capability="planning.read",
              query=QuarterlyQuery, errors=(403, 404, 413),
              replies={200: Reply("the document", media=(DOCX, XLSX, "application/json"))}),
    ]


def setup_rollup_api(app: web.Application) -> None:
    """Mount the roll-up routes."""
    mount(app, routes())
