"""The planning API: units (import with a dry run, add, edit), organisers, calendars, coverage, exports.

Thin handlers: a read's route names its capability (``planning.read``) and query schema and asks
the store or the planner's read model; a change is a named action (:mod:`tyndau.actions.units`,
``.calendar``, ``.organisers``) run by :func:`perform`, where its validation and capability live.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date
from typing import Any

from aiohttp import BodyPartReader, web

from tyndau.actions import ActionError, perform
from tyndau.domain.deadlines import almaty_date
from tyndau.domain.units import UNIT_KINDS
from tyndau.live.calendar_plan import propose_visits
from tyndau.live.central_bodies import (
    authorised_body_deadlines,
    load_exempt_bodies,
    must_meet_quarterly,
    next_authorised_body_deadlines,
    next_generalised_report,
)
from tyndau.live.kato_files import MAX_BYTES
from tyndau.operator_ui.auth import principal
from tyndau.operator_ui.errors import read_json
from tyndau.operator_ui.keys import SERVICES
from tyndau.operator_ui.query_planning import CalendarExportQuery, CoverageQuery, DryRunQuery, TodayQuery, UnitsQuery
from tyndau.operator_ui.routes import Reply, Route, caller, mount, query
from tyndau.planner.calendar_view import CalendarBundle, calendar_json, coverage_json, load_calendar
from tyndau.reports.builder import DOCX, MEDIA, XLSX
from tyndau.reports.calendar_export import calendar_docx, calendar_xlsx
from tyndau.reports.calendar_tables import CalendarDoc
from tyndau.store.calendars import years_of
from tyndau.store.organisers import list_organisers
from tyndau.store.scopes import subtree_unit_ids
from tyndau.store.units import list_imports, load_tree, sorted_units, unit_json
from tyndau.timeutil import utcnow

ORGANISER_RE, UNIT_RE = r"[A-Za-z0-9_-]{1,60}", r"[A-Za-z0-9_-]{1,40}"
ORGANISER_ID, UNIT_ID = re.compile(ORGANISER_RE), re.compile(UNIT_RE)


async def _act(request: web.Request, name: str, payload: dict[str, Any]) -> Any:
    services = request.app[SERVICES]
    return await perform(services.actions, services, principal(request), name, payload)


def _today(request: web.Request) -> date:
    """``?today=2026-12-20`` (to look at the matrix as of another day), else today in Almaty."""
    return query(request, TodayQuery).today or almaty_date(utcnow())


def _organiser(request: web.Request) -> str:
    raw = request.match_info["organiser_id"]
    if not ORGANISER_ID.fullmatch(raw):
        raise ActionError(404, "not_found", "no such organiser")
    return raw


def _year(request: web.Request) -> int:
    raw = request.match_info["year"]
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4) or not 2000 <= int(raw) <= 2100:
        raise ActionError(404, "not_found", "no calendar for that year (2000-2100)")
    return int(raw)


async def _bundle(request: web.Request) -> CalendarBundle:
    async with request.app[SERVICES].engine.connect() as conn:
        bundle = await load_calendar(conn, _organiser(request), _year(request))
    if bundle is None:
        raise ActionError(404, "not_found", "no such organiser")
    return bundle


async def units_list(request: web.Request) -> web.Response:
    """Every unit in tree order (``?under=<id>`` for a subtree, ``?on=<date>`` for those existing that day), and the kinds."""
    who = caller(request)
    q = query(request, UnitsQuery)
    async with request.app[SERVICES].engine.connect() as conn:
        tree = await load_tree(conn)
        reach = None if who.scope is None else await subtree_unit_ids(conn, who.scope)
    under = q.under or (who.scope.unit_id if who.scope else None)
    if under is not None and (not UNIT_ID.fullmatch(under) or under not in tree):
        raise ActionError(404, "not_found", f"no unit {under[:40]!r}")
    on = q.on
    units = tree.subtree(under) if under else sorted_units(tree)
    items = [unit_json(u, tree) for u in units if (on is None or u.exists_on(on)) and (reach is None or u.id in reach)]
    return web.json_response({"items": items, "kinds": _kinds()})


def _kinds() -> list[dict[str, Any]]:
    return [{"id": k.id, "name_ru": k.name_ru, "name_kk": k.name_kk, "akim_level": k.akim_level, "parents": sorted(k.parents)}
            for k in UNIT_KINDS.values()]


async def unit_kinds(request: web.Request) -> web.Response:
    """The kinds of unit: names, akim level, which kinds may sit above each."""
    return web.json_response({"items": _kinds()})


async def units_import(request: web.Request) -> web.Response:
    """Import a KATO export (multipart ``file``); ``?dry_run=1`` answers what it would do without writing."""
    if not request.content_type.startswith("multipart/"):
        raise ActionError(415, "unsupported_media_type", "upload the export as multipart/form-data with a 'file' field")
    data, filename = b"", ""
    reader = await request.multipart()
    async for part in reader:
        if not isinstance(part, BodyPartReader):
            raise ActionError(422, "invalid", "nested multipart bodies are not accepted", {"file": "nested"})
        if part.name == "file":
            filename = (part.filename or "units.csv").replace("\\", "/").rsplit("/", 1)[-1][:200]
            chunks = []
            size = 0
            while chunk := await part.read_chunk(1 << 16):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise ActionError(413, "too_large", "the file is larger than 50 MB")
                chunks.append(chunk)
            data = b"".join(chunks)
    if not filename:
        raise ActionError(422, "invalid", "no file in the upload", {"file": "required"})
    body = await _act(request, "units.import", {"data": data, "filename": filename,
                                                 "dry_run": query(request, DryRunQuery).dry_run})
    return web.json_response(body, status=200 if body.get("dry_run") else 201)


async def units_add(request: web.Request) -> web.Response:
    """Add a unit by hand."""
    return web.json_response(await _act(request, "units.add", await read_json(request)), status=201)


async def unit_patch(request: web.Request) -> web.Response:
    """Rename a unit or change its dates (``valid_to`` abolishes it)."""
    payload = await read_json(request)
    payload["unit_id"] = request.match_info["unit_id"]
    return web.json_response(await _act(request, "units.edit", payload))


async def unit_imports(request: web.Request) -> web.Response:
    """The imports applied so far, newest first."""
    async with request.app[SERVICES].engine.connect() as conn:
        items = await list_imports(conn)
    return web.json_response({"items": [i.to_json() for i in items]})


async def organisers_list(request: web.Request) -> web.Response:
    """Akimats and central bodies, with the years each has a calendar for."""
    who = caller(request)
    async with request.app[SERVICES].engine.connect() as conn:
        reach = None if who.scope is None else await subtree_unit_ids(conn, who.scope)
        items = [{**o.to_json(), "years": list(await years_of(conn, o.id))} for o in await list_organisers(conn)
                 if reach is None or o.kind == "central_body" or o.unit_id in reach]
    return web.json_response({"items": items})


async def organisers_create(request: web.Request) -> web.Response:
    """The akimat of a unit (``{unit_id}``) or a central body (``{kind: central_body, id, name_ru, name_kk}``)."""
    return web.json_response(await _act(request, "organiser.create", await read_json(request)), status=201)


async def calendar_get(request: web.Request) -> web.Response:
    """An organiser's calendar of a year: status, milestones, visits, versions."""
    bundle = await _bundle(request)
    return web.json_response(calendar_json(bundle, _today(request)))


async def calendar_change(request: web.Request) -> web.Response:
    """One change: ``{kind: draft|approve|adjust|submit|pass_on, operations, reason, maslikhat_agreed_on, maslikhat_ref, last_seq}``."""
    payload = await read_json(request)
    payload.update(organiser_id=_organiser(request), year=_year(request))
    return web.json_response(await _act(request, "calendar.change", payload), status=201)


async def coverage_get(request: web.Request) -> web.Response:
    """The coverage matrix with the warnings for periods ending within ``within_days`` (default 30)."""
    bundle = await _bundle(request)
    within = query(request, CoverageQuery).within_days
    return web.json_response(coverage_json(bundle, _today(request), within))


async def proposals_get(request: web.Request) -> web.Response:
    """Visits that would close every gap still closable this year, as operations for a change."""
    bundle = await _bundle(request)
    found = propose_visits(bundle.tree, bundle.organiser.organiser(), bundle.year, bundle.meetings, _today(request),
                           calendar=bundle.state)
    return web.json_response({"operations": [{"op": "add", "planned_on": p.planned_on.isoformat(), "place_unit_id": p.place_unit_id,
                                              "period": p.period_key} for p in found]})


async def visit_meeting(request: web.Request) -> web.Response:
    """Create the meeting of a planned visit (its unit, level and day from the calendar)."""
    payload = await read_json(request)
    payload.update(organiser_id=_organiser(request), year=_year(request), visit_id=request.match_info["visit_id"])
    body = await _act(request, "calendar.plan_meeting", payload)
    return web.json_response(body, status=201, headers={"Location": f"/api/v1/meetings/{body['id']}"})


async def calendar_export(request: web.Request) -> web.Response:
    """The calendar, its coverage matrix and versions: ``calendar.{docx,xlsx}?lang=ru|kk``."""
    bundle = await _bundle(request)
    lang = query(request, CalendarExportQuery).lang
    fmt = request.match_info["fmt"]
    doc = CalendarDoc.of(bundle, _today(request))
    body = await asyncio.to_thread(calendar_docx if fmt == "docx" else calendar_xlsx, doc, lang)
    stem = f"tyndau-calendar-{bundle.organiser.id}-{bundle.year}-{lang}{'' if bundle.state.status != 'draft' else '-draft'}"
    return web.Response(body=body, content_type=MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})


async def central_bodies(request: web.Request) -> web.Response:
    """The exempt bodies, who must meet quarterly, and the reporting dates due next (``?today=``)."""
    today = _today(request)
    exempt = load_exempt_bodies()
    quarter, due = next_generalised_report(today)
    schedule, results = next_authorised_body_deadlines(today)
    async with request.app[SERVICES].engine.connect() as conn:
        bodies = [o for o in await list_organisers(conn) if o.kind == "central_body"]
    return web.json_response({
        "exempt": [{"id": b.id, "name_ru": b.name_ru, "name_kk": b.name_kk} for b in exempt],
        "organisers": [{**o.to_json(), "must_meet_quarterly": must_meet_quarterly(o.id, exempt)} for o in bodies],
        "generalised_report": {"year": quarter.year, "quarter": quarter.quarter, "due": due.isoformat()},
        "authorised_body": {"next_schedule": {"due": schedule.due.isoformat(), "covers": schedule.covers.key},
                            "next_results": {"due": results.due.isoformat(), "covers": results.covers.key},
                            "year": [{"kind": d.kind, "due": d.due.isoformat(), "covers": d.covers.key}
                                     for d in authorised_body_deadlines(today.year)]},
    })


def routes() -> list[Route]:
    """The units, organisers, calendar and coverage routes."""
    base = f"/api/v1/organisers/{{organiser_id:{ORGANISER_RE}}}/calendars/{{year:[0-9]{{4}}}}"
    read = {"capability": "planning.read"}
    docs = Reply("the document", media=(DOCX, XLSX))
    return [
        Route("GET", "/api/v1/units", units_list, "planning", query=UnitsQuery, errors=(404,), **read),
        Route("POST", "/api/v1/units", units_add, "planning", capability=None, action="units.add", errors=(404, 409),
              replies={201: Reply("Created")}),
        Route("POST", "/api/v1/units/import", units_import, "planning", capability="planning.edit", query=DryRunQuery,
              errors=(413, 415, 422), replies={200: Reply("what the import would do (dry run)"), 201: Reply("imported")},
              openapi={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                  "type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary",
                                                                                   "description": "a KATO export, CSV or XLSX"}}}}}}}),
        Route("GET", "/api/v1/units/imports", unit_imports, "planning", **read),
        Route("GET", "/api/v1/units/kinds", unit_kinds, "planning", **read),
        Route("PATCH", f"/api/v1/units/{{unit_id:{UNIT_RE}}}", unit_patch, "planning", capability=None, action="units.edit", errors=(404, 409)),
        Route("GET", "/api/v1/organisers", organisers_list, "planning", **read),
        Route("POST", "/api/v1/organisers", organisers_create, "planning", capability=None, action="organiser.create",
              errors=(404, 409), replies={201: Reply("Created")}),
        Route("GET", "/api/v1/central-bodies", central_bodies, "planning", query=TodayQuery, **read),
        Route("GET", base, calendar_get, "planning", query=TodayQuery, **read),
        Route("POST", f"{base}/changes", calendar_change, "planning", capability=None, action="calendar.change", errors=(409,),
              replies={201: Reply("the calendar as it now stands")}),
        Route("GET", f"{base}/coverage", coverage_get, "planning", query=CoverageQuery, **read),
        Route("GET", f"{base}/proposals", proposals_get, "planning", query=TodayQuery, **read),
        Route("POST", f"{base}/visits/{{visit_id:{UNIT_RE}}}/meeting", visit_meeting, "planning", capability=None, action="calendar.plan_meeting",
              errors=(409,), replies={201: Reply("the meeting created")}),
        Route("GET", f"{base}/calendar.{{fmt:docx|xlsx}}", calendar_export, "planning", query=CalendarExportQuery, replies={200: docs},
              **read),
    ]


def setup_planning_api(app: web.Application) -> None:
    """Mount the units, organisers, calendar and coverage routes."""
    mount(app, routes())
