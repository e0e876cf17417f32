"""Review and publication over HTTP: problems, review decisions, the 10-day package, the quarterly
report, the dashboard and the vocabularies."""

from __future__ import annotations

from typing import Annotated, Any

from aiohttp import web
from pydantic import Field

from tyndau.actions import ActionError
from tyndau.operator_ui.keys import SERVICES, SOURCE_KINDS
from tyndau.operator_ui.pages import REPORT_CSP
from tyndau.operator_ui.query import Flag, Lang, LangQuery, Meetings, MergedQuery, Query, RoundQuery, whole
from tyndau.operator_ui.routes import Reply, Route, action_route, caller, mount, path_id, query
from tyndau.permissions import audience_of
from tyndau.reports.builder import DOCX, PACKAGE_FORMATS, QUARTERLY_FORMATS, XLSX, ReportRefused, ReportRequest, build_report
from tyndau.reports.charts import charts_svg
from tyndau.reports.collect import collect_round
from tyndau.reports.figures import dashboard_figures
from tyndau.reports.rounds import RoundMember, group_rounds
from tyndau.store.comments import comment_json
from tyndau.store.meetings import list_meetings
from tyndau.store.problems import get_problem, list_problems, member_rows, redacted_problem, similar_problems
from tyndau.store.review import queue

QueueLimit = whole(1, 2000)
Year = whole(2000, 2100)
Quarter = whole(1, 4)
FINAL = "refused (422 final_blocked, with the list) while a problem lacks an executor or a deadline"


class ReportQuery(LangQuery):
    """``?lang=ru|kk&final=true``."""

    final: Annotated[Flag, Field(description=FINAL)] = False


class RoundReportQuery(ReportQuery):
    """``?meetings=1,2,3`` and the report's options."""

    meetings: Meetings


class QuarterlyQuery(RoundReportQuery):
    """``?meetings=..&year=&quarter=``."""

    year: Year
    quarter: Quarter


class QueueQuery(Query):
    """``?limit=``."""

    limit: QueueLimit = 200


class DashboardQuery(Query):
    """``?meetings=`` (default: every meeting) and ``lang``."""

    meetings: Meetings = None  # type: ignore[assignment]
    lang: Lang = "ru"


async def _scope(request: web.Request, q: Any) -> list[int]:
    """The meetings a request is about: the path's one, or ``?meetings=``; each must exist."""
    ids = [path_id(request, "meeting_id")] if "meeting_id" in request.match_info else list(q.meetings)
    for meeting_id in ids:
        if not await request.app[SERVICES].meeting_exists(meeting_id):
            raise ActionError(404, "not_found", f"no meeting {meeting_id}")
    return ids


async def problems_list(request: web.Request) -> web.Response:
    """Problems of a meeting or a round (draft and reviewed), ranked by mentions."""
    who = caller(request)
    q = query(request, MergedQuery)
    ids = await _scope(request, q)
    async with request.app[SERVICES].engine.connect() as conn:
        items = await list_problems(conn, ids, include_merged=q.merged)
    if audience_of(who.role) != "private":
        items = [redacted_problem(p) for p in items]
    return web.json_response({"items": items})


async def problem_detail(request: web.Request) -> web.Response:
    """One problem with every comment in it."""
    who = caller(request)
    meeting_id, problem_id = path_id(request, "meeting_id"), path_id(request, "problem_id")
    async with request.app[SERVICES].engine.connect() as conn:
        problem = await get_problem(conn, problem_id)
        if problem is None or problem["meeting_id"] != meeting_id:
            raise ActionError(404, "not_found", f"no problem {problem_id} in meeting {meeting_id}")
        members = await member_rows(conn, problem_id)
        alike = await similar_problems(conn, meeting_id, problem_id) if problem["merged_into"] is None else []
    audience = audience_of(who.role)
    if audience != "private":
        problem = redacted_problem(problem)
        alike = [redacted_problem(p) for p in alike]
    return web.json_response({"problem": problem, "comments": [{**comment_json(m, audience), "locked": m.locked} for m in members],
                              "similar": alike})


async def review_queue(request: web.Request) -> web.Response:
    """Comments the NLP was unsure about, with counters (triage)."""
    who = caller(request)
    meeting_id = path_id(request, "meeting_id")
    limit = query(request, QueueQuery).limit
    if not await request.app[SERVICES].meeting_exists(meeting_id):
        raise ActionError(404, "not_found", f"no meeting {meeting_id}")
    async with request.app[SERVICES].engine.connect() as conn:
        triage = await queue(conn, meeting_id, limit)
    # Moderators triage too, but see neither contacts nor the names of hall askers here.
    audience = "private" if audience_of(who.role) == "private" else "public"
    return web.json_response({"items": [comment_json(r, audience) for r in triage.rows], "pending": triage.pending, "reviewed": triage.reviewed})


async def _document(request: web.Request, report: ReportRequest) -> web.Response:
    services = request.app[SERVICES]
    try:
        doc = await build_report(services.engine, services.clock, services.vocabulary, report)
    except ReportRefused as exc:
        raise ActionError(422 if exc.code != "bad_request" else 400, exc.code, exc.message, **exc.details) from None
    headers = {"Content-Disposition": f'{"inline" if doc.inline else "attachment"}; filename="{doc.filename}"',
               "X-Tyndau-Problems": str(doc.problems), "X-Tyndau-Left-Out": str(len(doc.left_out))}
    if doc.media_type == "text/html":
        headers["Content-Security-Policy"] = REPORT_CSP  # its own inline style works; no script ever runs
    return web.Response(body=doc.body, content_type=doc.media_type, charset=doc.charset, headers=headers)


async def report(request: web.Request) -> web.Response:
    """The 10-day publication package (zip = CSV tables for the open-data portal; HTML as a download)."""
    q = query(request, ReportQuery)
    ids = await _scope(request, q)
    return await _document(request, ReportRequest("package", tuple(ids), request.match_info["fmt"], q.lang, q.final))


async def quarterly(request: web.Request) -> web.Response:
    """Quarterly progress report (status at the start of the quarter vs now)."""
    q = query(request, QuarterlyQuery)
    ids = await _scope(request, q)
    return await _document(request, ReportRequest("quarterly", tuple(ids), request.match_info["fmt"], q.lang, q.final, q.year, q.quarter))


async def dashboard(request: web.Request) -> web.Response:
    """Dashboard figures and SVG charts (?meetings=...).

    The meetings are grouped into rounds of one akim (each with its own 10-day deadline); the
    figures count accepted problems, and the machine's drafts awaiting review apart.
    """
    services = request.app[SERVICES]
    q = query(request, DashboardQuery)
    known = await list_meetings(services.engine, limit=500, scope=caller(request).scope)
    if q.meetings is not None:
        wanted = await _scope(request, q)
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
    vocabulary = services.vocabulary
    rounds = [await collect_round(services.engine, services.clock, ids, final=False, category_names=vocabulary.categories,
                                  executors_kk=vocabulary.executors_kk) for ids in groups]
    figures = dashboard_figures(rounds, lang=q.lang, today=rounds[0].generated_at)
    return web.json_response({"figures": figures, "charts": charts_svg(figures, q.lang)})


async def vocabulary(request: web.Request) -> web.Response:
    """Categories, departments, statuses, competences, funding sources and source kinds."""
    return web.json_response(request.app[SERVICES].vocabulary.as_json(request.app[SOURCE_KINDS]))


REVIEW_VERBS = {
    "edit": "Edit fields of a problem: {problem_id, version, fields} (a stale version gets 409 with the current problem)",
    "merge": "Merge problems into one: {target_id, source_ids}",
    "split": "Split comments off into a problem of their own: {problem_id, comment_ids, title_ru?}",
    "move": "Move comments to another problem: {to_problem_id, comment_ids}",
    "not_problem": "Mark comments \"not a problem\": {comment_ids}",
    "classify": "Give comments a category (triage): {comment_ids, category}",
    "accept": "Accept (or un-accept) several problems at once: {problem_ids, accepted?}",
    "dismiss": "Several problems are not problems: {problem_ids} (every comment of them)",
    "undo": "Undo the caller's last review decision in this meeting: {} (answers what it undid)",
}
CONFLICTS = ("edit", "split", "undo", "dismiss")  # stale version, not members, nothing to undo or dismiss
PACKAGE_MEDIA = (DOCX, XLSX, "text/html", "application/json", "application/zip")


def routes() -> list[Route]:
    """The review, report and dashboard routes."""
    base = "/api/v1/meetings/{meeting_id}"
    package = Reply("the document", media=PACKAGE_MEDIA)
    return [
        Route("GET", f"{base}/problems", problems_list, "review", query=MergedQuery),
        Route("GET", "/api/v1/problems", problems_list, "review", query=RoundQuery, errors=(404,), summary="Problems of a round: ?meetings=1,2,3"),
        Route("GET", f"{base}/problems/{{problem_id}}", problem_detail, "review"),
        *(action_route(f"{base}/review/{verb}", f"review.{verb}", tag="review", summary=summary,
                       errors=(404, 409) if verb in CONFLICTS else (404,)) for verb, summary in REVIEW_VERBS.items()),
        Route("GET", f"{base}/review-queue", review_queue, "review", capability="review.decide", query=QueueQuery),
        Route("GET", f"{base}/report.{{fmt:{'|'.join(PACKAGE_FORMATS)}}}", report, "review", capability="report.export",
              query=ReportQuery, errors=(422,), replies={200: package}),
        Route("GET", f"/api/v1/report.{{fmt:{'|'.join(PACKAGE_FORMATS)}}}", report, "review", capability="report.export",
              query=RoundReportQuery, errors=(404, 422), replies={200: package},
              summary="The 10-day publication package of a round of meetings"),
        Route("GET", f"/api/v1/quarterly.{{fmt:{'|'.join(QUARTERLY_FORMATS)}}}", quarterly, "review", capability="report.export",
              query=QuarterlyQuery, errors=(404,), replies={200: Reply("the document", media=(DOCX, XLSX, "application/json"))}),
        Route("GET", "/api/v1/dashboard", dashboard, "review", capability="report.export", query=DashboardQuery, errors=(404,)),
        Route("GET", "/api/v1/vocabulary", vocabulary, "review"),
    ]


def setup_review_api(app: web.Application) -> None:
    """Mount the review, report and dashboard routes."""
    mount(app, routes())
