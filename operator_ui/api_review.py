"""Review and publication over HTTP: problems, review decisions, the 10-day package, the dashboard."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import sqlalchemy as sa
from aiohttp import web

from tyndau.actions import ActionError, perform, require_role
from tyndau.operator_ui.auth import principal
from tyndau.operator_ui.errors import query_flag, query_int, read_json
from tyndau.operator_ui.keys import SERVICES
from tyndau.reports.charts import charts_svg
from tyndau.reports.collect import collect_quarterly, collect_round
from tyndau.reports.quarterly import quarterly_json
from tyndau.reports.quarterly_docx import quarterly_docx
from tyndau.reports.quarterly_xlsx import quarterly_xlsx
from tyndau.reports.figures import dashboard_figures
from tyndau.reports.rounds import RoundMember, group_rounds
from tyndau.reports.package_csv import package_csv_zip
from tyndau.reports.package_docx import package_docx
from tyndau.reports.package_html import package_html
from tyndau.reports.package_json import package_json
from tyndau.reports.package_xlsx import package_xlsx
from tyndau.reports.validate import FinalExportBlocked, final_export_problems
from tyndau.security import ROLES
from tyndau.operator_ui.pages import REPORT_CSP
from tyndau.store.comments import audience_of, comment_json
from tyndau.store.problems import get_problem, list_problems, member_rows, redacted_problem
from tyndau.store.schema import comments

ANYONE = frozenset(ROLES)
MEETING_ID = re.compile(r"[0-9]{1,12}")
STAFF = frozenset({"admin", "moderator", "secretary"})
FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", package_docx),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", package_xlsx),
    "html": ("text/html", package_html),
    "json": ("application/json", package_json),
    "zip": ("application/zip", package_csv_zip),
}


def _int(raw: str, what: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise ActionError(404, "not_found", f"no {what} {raw!r}")
    return int(raw)


def _meeting_ids(request: web.Request) -> list[int]:
    if "meeting_id" in request.match_info:
        return [_int(request.match_info["meeting_id"], "meeting")]
    raw = request.query.get("meetings", "")
    parts = [x.strip() for x in raw.split(",") if x.strip()]
    if not parts or len(parts) > 500 or not all(MEETING_ID.fullmatch(x) for x in parts):
        raise ActionError(400, "bad_request", "give meetings=1,2,3 (the meetings of the round, at most 500)")
    return sorted({int(x) for x in parts})


async def _check_meetings(request: web.Request, ids: list[int]) -> None:
    for meeting_id in ids:
        if not await request.app[SERVICES].meeting_exists(meeting_id):
            raise ActionError(404, "not_found", f"no meeting {meeting_id}")


async def problems_list(request: web.Request) -> web.Response:
    """The draft/reviewed problem list of a meeting or a round, ranked by mentions and recency."""
    require_role(principal(request), ANYONE)
    ids = _meeting_ids(request)
    await _check_meetings(request, ids)
    who = principal(request)
    async with request.app[SERVICES].engine.connect() as conn:
        items = await list_problems(conn, ids, include_merged=bool(query_flag(request.query.get("merged"))))
    if audience_of(who.role if who else None) != "private":
        items = [redacted_problem(p) for p in items]
    return web.json_response({"items": items})


async def problem_detail(request: web.Request) -> web.Response:
    """One problem with every comment in it (source, time, full text for staff)."""
    who = require_role(principal(request), ANYONE)
    meeting_id = _int(request.match_info["meeting_id"], "meeting")
    problem_id = _int(request.match_info["problem_id"], "problem")
    async with request.app[SERVICES].engine.connect() as conn:
        problem = await get_problem(conn, problem_id)
        if problem is None or problem["meeting_id"] != meeting_id:
            raise ActionError(404, "not_found", f"no problem {problem_id} in meeting {meeting_id}")
        members = await member_rows(conn, problem_id)
    audience = audience_of(who.role)
    if audience != "private":
        problem = redacted_problem(problem)
    return web.json_response({"problem": problem, "comments": [{**comment_json(m, audience), "locked": m.locked} for m in members]})


async def review_action(request: web.Request) -> web.Response:
    """A review decision: edit, merge, split, move, not_problem, undo."""
    payload = await read_json(request)
    payload["meeting_id"] = _int(request.match_info["meeting_id"], "meeting")
    services = request.app[SERVICES]
    result = await perform(services.actions, services, principal(request), f"review.{request.match_info['verb']}", payload)
    return web.json_response(result)


async def review_queue(request: web.Request) -> web.Response:
    """The triage queue: comments the NLP was unsure about and nobody has decided yet, with counters."""
    who = require_role(principal(request), STAFF)
    meeting_id = _int(request.match_info["meeting_id"], "meeting")
    limit = query_int(request.query, "limit", 200, 1, 2000)
    if not await request.app[SERVICES].meeting_exists(meeting_id):
        raise ActionError(404, "not_found", f"no meeting {meeting_id}")
    async with request.app[SERVICES].engine.connect() as conn:
        base = sa.select(comments).where(comments.c.meeting_id == meeting_id, comments.c.needs_review.is_(True), comments.c.hidden.is_(False))
        rows = (await conn.execute(base.order_by(comments.c.id).limit(limit))).all()
        pending = await conn.scalar(sa.select(sa.func.count()).select_from(base.subquery()))
        done = await conn.scalar(sa.select(sa.func.count()).where(comments.c.meeting_id == meeting_id, comments.c.reviewed_at.is_not(None)))
    # Moderators triage too, but see neither contacts nor the names of hall askers here.
    audience = "private" if audience_of(who.role) == "private" else "public"
    return web.json_response({"items": [comment_json(r, audience) for r in rows], "pending": pending, "reviewed": done})


async def _round(request: web.Request, ids: list[int], final: bool) -> Any:
    services = request.app[SERVICES]
    return await collect_round(
        services.engine, services.clock, ids, final=final,
        category_names=services.extra.get("category_names", {}), executors_kk=services.extra.get("executors_kk", {}),
    )


def _left_out(round_: Any) -> list[dict[str, Any]]:
    """The drafts a final package leaves out (not accepted), for the reviewer to see."""
    return [{"problem_id": p.problem_id, "title": p.title_ru or p.title_kk, "meeting_id": p.meeting_id} for p in round_.left_out]


async def report(request: web.Request) -> web.Response:
    """The 10-day publication package: ``report.{docx,xlsx,html,json,zip}?lang=ru|kk&final=1``."""
    require_role(principal(request), STAFF)
    ids = _meeting_ids(request)
    await _check_meetings(request, ids)
    fmt = request.match_info["fmt"]
    lang = request.query.get("lang", "ru")
    if lang not in ("ru", "kk"):
        raise ActionError(400, "bad_request", "lang must be ru or kk")
    final = bool(query_flag(request.query.get("final")))
    round_ = await _round(request, ids, final)
    if final:
        if not round_.problems:
            raise ActionError(422, "nothing_accepted", "a final package holds accepted problems only, and none is accepted yet",
                              left_out=_left_out(round_))
        missing = final_export_problems(round_)
        if missing:
            raise ActionError(422, "final_blocked", "a final export needs an executor and a deadline for every accepted problem; export a draft, or complete these",
                              missing=[{"number": m.number, "title": m.title, "fields": list(m.fields), "problem_id": m.problem_id} for m in missing],
                              left_out=_left_out(round_))
    content_type, build = FORMATS[fmt]
    try:
        body = await asyncio.to_thread(build, round_, lang)
    except FinalExportBlocked as exc:  # the builders check again; keep the two in step
        raise ActionError(422, "final_blocked", str(exc)) from None
    stem = f"tyndau-{'-'.join(map(str, ids))}-{lang}{'' if final else '-draft'}"
    counts = {"X-Tyndau-Problems": str(len(round_.problems)), "X-Tyndau-Left-Out": str(len(round_.left_out))}
    if fmt == "json":
        return web.json_response(body, headers={"Content-Disposition": f'inline; filename="{stem}.json"', **counts})
    data = body.encode("utf-8") if isinstance(body, str) else body
    headers = {"Content-Disposition": f'attachment; filename="{stem}.{"csv.zip" if fmt == "zip" else fmt}"', **counts}
    if fmt == "html":
        headers["Content-Security-Policy"] = REPORT_CSP  # its own inline style works; no script ever runs
    return web.Response(body=data, content_type=content_type, charset="utf-8" if fmt == "html" else None, headers=headers)


async def quarterly(request: web.Request) -> web.Response:
    """The quarterly progress report: ``quarterly.{docx,xlsx,json}?meetings=..&year=&quarter=&lang=``."""
    require_role(principal(request), STAFF)
    ids = _meeting_ids(request)
    await _check_meetings(request, ids)
    if "year" not in request.query or "quarter" not in request.query:
        raise ActionError(400, "bad_request", "year and quarter (1-4) are required")
    year, quarter = query_int(request.query, "year", None, 2000, 2100), query_int(request.query, "quarter", None, 1, 4)
    lang = request.query.get("lang", "ru")
    if lang not in ("ru", "kk"):
        raise ActionError(400, "bad_request", "lang must be ru or kk")
    services = request.app[SERVICES]
    report_ = await collect_quarterly(services.engine, services.clock, ids, year, quarter, final=bool(query_flag(request.query.get("final"))),
                                      category_names=services.extra.get("category_names", {}), executors_kk=services.extra.get("executors_kk", {}))
    fmt = request.match_info["fmt"]
    stem = f"tyndau-quarterly-{year}-Q{quarter}-{lang}"
    if fmt == "json":
        return web.json_response(await asyncio.to_thread(quarterly_json, report_, lang))
    build = quarterly_docx if fmt == "docx" else quarterly_xlsx
    body = await asyncio.to_thread(build, report_, lang)
    return web.Response(body=body, content_type=FORMATS[fmt][0], headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})


async def dashboard(request: web.Request) -> web.Response:
    """Dashboard figures and SVG charts for a meeting, a round, or every meeting.

    The meetings are grouped into rounds of one akim (each with its own 10-day deadline); the
    figures count accepted problems, and the machine's drafts awaiting review apart.
    """
    who = require_role(principal(request), STAFF)
    services = request.app[SERVICES]
    lang = request.query.get("lang", "ru")
    if lang not in ("ru", "kk"):
        raise ActionError(400, "bad_request", "lang must be ru or kk")
    from tyndau.store.meetings import list_meetings

    known = await list_meetings(services.engine, limit=500, scope=who.scope)
    if "meetings" in request.query:
        wanted = _meeting_ids(request)
        await _check_meetings(request, wanted)
        known = [m for m in known if m.id in set(wanted)]
    if not known:
        return web.json_response({"figures": None, "charts": {}})
    # Meetings grouped into a round explicitly (issue 14: a round with its receptions) stay together;
    # the others are grouped by their akim as before.
    explicit: dict[int, list[int]] = {}
    for m in known:
        if m.links.round_id is not None:
            explicit.setdefault(m.links.round_id, []).append(m.id)
    groups = [sorted(ids) for ids in explicit.values()] + group_rounds(
        [RoundMember(m.id, m.draft.akim_name, m.draft.starts_at) for m in known if m.links.round_id is None])
    rounds = [await _round(request, ids, False) for ids in groups]
    figures = dashboard_figures(rounds, lang=lang, today=rounds[0].generated_at)
    return web.json_response({"figures": figures, "charts": charts_svg(figures, lang)})


async def vocabulary(request: web.Request) -> web.Response:
    """Categories and departments for the review workspace's selects."""
    require_role(principal(request), ANYONE)
    extra = request.app[SERVICES].extra
    return web.json_response({"categories": extra.get("categories_json", []), "departments": extra.get("departments_json", [])})


def setup_review_api(app: web.Application) -> None:
    """Mount the review, report and dashboard routes."""
    r = app.router
    r.add_get("/api/v1/meetings/{meeting_id}/problems", problems_list)
    r.add_get("/api/v1/problems", problems_list)
    r.add_get("/api/v1/meetings/{meeting_id}/problems/{problem_id}", problem_detail)
    r.add_post("/api/v1/meetings/{meeting_id}/review/{verb:edit|merge|split|move|not_problem|classify|accept|dismiss|undo}", review_action)
    r.add_get("/api/v1/meetings/{meeting_id}/review-queue", review_queue)
    r.add_get("/api/v1/meetings/{meeting_id}/report.{fmt:docx|xlsx|html|json|zip}", report)
    r.add_get("/api/v1/report.{fmt:docx|xlsx|html|json|zip}", report)
    r.add_get("/api/v1/quarterly.{fmt:docx|xlsx|json}", quarterly)
    r.add_get("/api/v1/dashboard", dashboard)
    r.add_get("/api/v1/vocabulary", vocabulary)
