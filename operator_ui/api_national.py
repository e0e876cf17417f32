"""The central-level list, the compliance monitor and the national summary over HTTP.

Scopes: a unit's users see the list and the monitor of their subtree; a central body's users see
the list items in its competence (and update them) and its own quarter in the monitor; the
national summary is for national users. Titles leave redacted of personal data, as everywhere.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from aiohttp import web

from tyndau.actions import ActionError, perform
from tyndau.domain.deadlines import almaty_date, quarter_of
from tyndau.domain.text_safety import PUBLIC, safe
from tyndau.operator_ui.api_rollup import period_of, unit_of
from tyndau.operator_ui.auth import principal
from tyndau.operator_ui.errors import read_json
from tyndau.operator_ui.keys import SERVICES
from tyndau.operator_ui.query_planning import CentralListQuery, MonitorExportQuery, MonitorQuery, SummaryQuery
from tyndau.operator_ui.routes import Reply, Route, action_route, caller, mount, path_id, query
from tyndau.reports.builder import DOCX, MEDIA, XLSX
from tyndau.reports.national_export import monitor_csv, monitor_xlsx, summary_docx, summary_xlsx
from tyndau.rollup.central_list import deadlines, due_for_update, summary
from tyndau.rollup.compliance import monitor
from tyndau.rollup.summary import collect_summary
from tyndau.store.central import ANALYSIS, list_items
from tyndau.store.compliance_data import quarter_facts
from tyndau.store.people import Principal
from tyndau.timeutil import utcnow


def _today(q: Any) -> date:
    return q.today or almaty_date(utcnow())


async def _where(request: web.Request, who: Principal, asked: str | None) -> tuple[str | None, str | None]:
    """(unit, central body) the caller looks at: a body's own competence, else a unit (None: all)."""
    if who.scope is not None and who.scope.organiser_id is not None:
        return None, who.scope.organiser_id
    return await unit_of(request, who, asked), None


async def central_list(request: web.Request) -> web.Response:
    """The list with its analysis sums and deadlines: ``?unit=&year=&analysis=``."""
    q = query(request, CentralListQuery)
    unit_id, body_id = await _where(request, caller(request), q.unit)
    wanted = q.analysis
    if wanted is not None and wanted not in ANALYSIS:
        raise ActionError(400, "bad_request", "analysis must be one of " + ", ".join(ANALYSIS))
    period = period_of(q) if ({"year", "from"} & q.model_fields_set) else None
    today = _today(q)
    async with request.app[SERVICES].engine.connect() as conn:
        items = await list_items(conn, unit_id=unit_id, body_id=body_id, period=period)
    shown = [i for i in items if wanted is None or i.analysis == wanted]
    return web.json_response({
        "summary": summary(items), "deadlines": deadlines(today), "analysis": list(ANALYSIS),
        "items": [{**i.to_json(), "title_ru": safe(i.title_ru, PUBLIC), "title_kk": safe(i.title_kk, PUBLIC),
                   "proposal": safe(i.proposal, PUBLIC), "due_for_update": due_for_update(i, today)} for i in shown],
    })


async def central_update(request: web.Request) -> web.Response:
    """Update an item's analysis: ``{version, analysis?, amount?, proposal?, body_id?, selected?}``."""
    # The path names the item, not the problem: a central body's users update items of problems
    # raised in units outside their scope, which the scope guard would refuse by ``problem_id``.
    payload = await read_json(request)
    payload["problem_id"] = path_id(request, "item_id")
    services = request.app[SERVICES]
    return web.json_response(await perform(services.actions, services, principal(request), "central.update", payload))


async def _monitor(request: web.Request, q: Any) -> tuple[dict[str, Any], int, int]:
    unit_id, body_id = await _where(request, caller(request), q.unit)
    today = _today(q)
    current = quarter_of(today)
    year = q.year or current.year
    quarter = q.quarter or (current.quarter if year == current.year else 4)
    async with request.app[SERVICES].engine.connect() as conn:
        facts = await quarter_facts(conn, year, quarter, unit_id=unit_id, body_id=body_id)
    return {**monitor(facts, today), "year": year, "quarter": quarter, "unit_id": unit_id}, year, quarter


async def compliance(request: web.Request) -> web.Response:
    """Who is late now and by how much: ``?unit=&year=&quarter=&today=``."""
    body, _, _ = await _monitor(request, query(request, MonitorQuery))
    return web.json_response(body)


async def compliance_export(request: web.Request) -> web.Response:
    """The monitor as ``compliance.csv`` or ``compliance.xlsx`` (``lang=ru|kk``)."""
    q = query(request, MonitorExportQuery)
    body, year, quarter = await _monitor(request, q)
    lang = q.lang
    stem = f"tyndau-compliance-{body['unit_id'] or 'national'}-{year}-Q{quarter}-{lang}"
    if request.match_info["fmt"] == "csv":
        text = await asyncio.to_thread(monitor_csv, body, lang, year, quarter)
        return web.Response(text=text, content_type="text/csv", charset="utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{stem}.csv"'})
    data = await asyncio.to_thread(monitor_xlsx, body, lang, year, quarter)
    return web.Response(body=data, content_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"'})


async def national_summary(request: web.Request) -> web.Response:
    """The national summary: ``national-summary.{docx,xlsx,json}?year=&lang=`` (national users)."""
    if caller(request).scope is not None:
        raise ActionError(403, "national_only", "the national summary is for national users; use the roll-up of your unit")
    q = query(request, SummaryQuery)
    year, lang = q.year or almaty_date(utcnow()).year, q.lang
    async with request.app[SERVICES].engine.connect() as conn:
        result = await collect_summary(conn, year, utcnow())
    fmt = request.match_info["fmt"]
    if fmt == "json":
        return web.json_response({"year": year, "rollup": result.rollup, "central": result.central,
                                  "not_published": list(result.not_published),
                                  "ministers": {k: getattr(result.ministers, k) for k in result.ministers.__slots__}})
    build = summary_docx if fmt == "docx" else summary_xlsx
    data = await asyncio.to_thread(build, result, lang)
    return web.Response(body=data, content_type=MEDIA[fmt],
                        headers={"Content-Disposition": f'attachment; filename="tyndau-national-{year}-{lang}.{fmt}"'})


def routes() -> list[Route]:
    """The central list, monitor and summary routes."""
    read = {"capability": "planning.read", "errors": (403, 404)}
    return [
        Route("GET", "/api/v1/central-list", central_list, "national", query=CentralListQuery, **read),
        Route("PATCH", "/api/v1/central-list/{item_id}", central_update, "national", capability=None, action="central.update",
              errors=(404, 409)),
        Route("GET", "/api/v1/compliance", compliance, "national", query=MonitorQuery, **read),
        Route("GET", "/api/v1/compliance.{fmt:csv|xlsx}", compliance_export, "national", query=MonitorExportQuery,
              replies={200: Reply("the document", media=("text/csv", XLSX))}, **read),
        action_route("/api/v1/progress-reports", "progress.submit", tag="national", status=201, errors=(404,),
                     summary="Record that an organiser handed in its quarterly progress report: {organiser_id, year, quarter}"),
        Route("GET", "/api/v1/national-summary.{fmt:docx|xlsx|json}", national_summary, "national", query=SummaryQuery,
              replies={200: Reply("the document", media=(DOCX, XLSX, "application/json"))}, **read),
    ]


def setup_national_api(app: web.Application) -> None:
    """Mount the central list, monitor and summary routes."""
    mount(app, routes())
