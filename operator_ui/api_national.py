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

from tyndau.actions import ActionError, perform, require_role
from tyndau.actions.planning_fields import READERS
from tyndau.live.text_safety import PUBLIC, safe
from tyndau.operator_ui.api_rollup import DOC_TYPES, lang_of, period_of, unit_of
from tyndau.operator_ui.auth import principal
from tyndau.operator_ui.errors import query_int, read_json
from tyndau.operator_ui.keys import SERVICES
from tyndau.reports.deadlines import almaty_date, quarter_of
from tyndau.reports.national_export import monitor_csv, monitor_xlsx, summary_docx, summary_xlsx
from tyndau.rollup.central_list import deadlines, due_for_update, summary
from tyndau.rollup.compliance import monitor
from tyndau.rollup.summary import collect_summary
from tyndau.store.central import ANALYSIS, list_items
from tyndau.store.compliance_data import quarter_facts
from tyndau.store.people import Principal
from tyndau.timeutil import utcnow


def _today(request: web.Request) -> date:
    raw = request.query.get("today")
    if raw is None:
        return almaty_date(utcnow())
    try:
        day = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        day = None
    if day is None or not 2000 <= day.year <= 2100:
        raise ActionError(400, "bad_request", "today must be a date like 2026-12-20")
    return day


async def _where(request: web.Request, who: Principal) -> tuple[str | None, str | None]:
    """(unit, central body) the caller looks at: a body's own competence, else a unit (None: all)."""
    if who.scope is not None and who.scope.organiser_id is not None:
        return None, who.scope.organiser_id
    return await unit_of(request, who), None


async def central_list(request: web.Request) -> web.Response:
    """The list with its analysis sums and deadlines: ``?unit=&year=&analysis=``."""
    who = require_role(principal(request), READERS)
    unit_id, body_id = await _where(request, who)
    wanted = request.query.get("analysis")
    if wanted is not None and wanted not in ANALYSIS:
        raise ActionError(400, "bad_request", "analysis must be one of " + ", ".join(ANALYSIS))
    period = period_of(request) if ("year" in request.query or "from" in request.query) else None
    today = _today(request)
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
    raw = request.match_info["item_id"]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise ActionError(404, "not_found", "no such item")
    payload = await read_json(request)
    payload["problem_id"] = int(raw)
    services = request.app[SERVICES]
    return web.json_response(await perform(services.actions, services, principal(request), "central.update", payload))


async def _monitor(request: web.Request) -> tuple[dict[str, Any], int, int]:
    who = require_role(principal(request), READERS)
    unit_id, body_id = await _where(request, who)
    today = _today(request)
    current = quarter_of(today)
    year = query_int(request.query, "year", current.year, 2000, 2100) or current.year
    quarter = query_int(request.query, "quarter", current.quarter if year == current.year else 4, 1, 4) or 1
    async with request.app[SERVICES].engine.connect() as conn:
        facts = await quarter_facts(conn, year, quarter, unit_id=unit_id, body_id=body_id)
    return {**monitor(facts, today), "year": year, "quarter": quarter, "unit_id": unit_id}, year, quarter


async def compliance(request: web.Request) -> web.Response:
    """Who is late now and by how much: ``?unit=&year=&quarter=&today=``."""
    body, _, _ = await _monitor(request)
    return web.json_response(body)


async def compliance_export(request: web.Request) -> web.Response:
    """The monitor as ``compliance.csv`` or ``compliance.xlsx`` (``lang=ru|kk``)."""
    body, year, quarter = await _monitor(request)
    lang = lang_of(request)
    stem = f"tyndau-compliance-{body['unit_id'] or 'national'}-{year}-Q{quarter}-{lang}"
    if request.match_info["fmt"] == "csv":
        text = await asyncio.to_thread(monitor_csv, body, lang, year, quarter)
        return web.Response(text=text, content_type="text/csv", charset="utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{stem}.csv"'})
    data = await asyncio.to_thread(monitor_xlsx, body, lang, year, quarter)
    return web.Response(body=data, content_type=DOC_TYPES["xlsx"], headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"'})


async def progress_submit(request: web.Request) -> web.Response:
    """Record that an organiser handed in its quarterly progress report: ``{organiser_id, year, quarter}``."""
    services = request.app[SERVICES]
    body = await perform(services.actions, services, principal(request), "progress.submit", await read_json(request))
    return web.json_response(body, status=201)


async def national_summary(request: web.Request) -> web.Response:
    """The national summary: ``national-summary.{docx,xlsx,json}?year=&lang=`` (national users)."""
    who = require_role(principal(request), READERS)
    if who.scope is not None:
        raise ActionError(403, "national_only", "the national summary is for national users; use the roll-up of your unit")
    year = query_int(request.query, "year", almaty_date(utcnow()).year, 2000, 2100) or 2000
    lang = lang_of(request)
    async with request.app[SERVICES].engine.connect() as conn:
        result = await collect_summary(conn, year, utcnow())
    fmt = request.match_info["fmt"]
    if fmt == "json":
        return web.json_response({"year": year, "rollup": result.rollup, "central": result.central,
                                  "not_published": list(result.not_published),
                                  "ministers": {k: getattr(result.ministers, k) for k in result.ministers.__slots__}})
    build = summary_docx if fmt == "docx" else summary_xlsx
    data = await asyncio.to_thread(build, result, lang)
    return web.Response(body=data, content_type=DOC_TYPES[fmt],
                        headers={"Content-Disposition": f'attachment; filename="tyndau-national-{year}-{lang}.{fmt}"'})


def setup_national_api(app: web.Application) -> None:
    """Mount the central list, monitor and summary routes."""
    r = app.router
    r.add_get("/api/v1/central-list", central_list)
    r.add_patch("/api/v1/central-list/{item_id}", central_update)
    r.add_get("/api/v1/compliance", compliance)
    r.add_get("/api/v1/compliance.{fmt:csv|xlsx}", compliance_export)
    r.add_post("/api/v1/progress-reports", progress_submit)
    r.add_get("/api/v1/national-summary.{fmt:docx|xlsx|json}", national_summary)
