"""The browser pages (HTML rendered once per request from jinja2 templates with autoescape, so the
shared top bar is written once in ``pages/_topbar.html``; ES modules do the rest) and the UI catalogues."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import jinja2
from aiohttp import web
from yarl import URL

from tyndau.config import path as config_path
from tyndau.operator_ui.auth import principal
from tyndau.operator_ui.keys import PAGE_TEMPLATES

HERE = Path(__file__).parent
PAGES = HERE / "pages"
STATIC = HERE / "static"
LANGS = ("ru", "kk")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


def _to_login(request: web.Request) -> web.HTTPFound:
    """Off to the login form, coming back here afterwards."""
    return web.HTTPFound(str(URL("/login").with_query(next=request.path_qs)))


def page_templates() -> jinja2.Environment:
    """The pages' templates: HTML-escaped by default, an unknown name is an error, not a blank."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(PAGES), autoescape=True, undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True, auto_reload=False)


def _page(request: web.Request, name: str) -> web.Response:
    html = request.app[PAGE_TEMPLATES].get_template(f"{name}.html").render()
    return web.Response(text=html, content_type="text/html", charset="utf-8", headers={"Cache-Control": "no-store"})


async def index(request: web.Request) -> web.StreamResponse:
    """The root goes to the console."""
    raise web.HTTPFound("/console")


async def login_page(request: web.Request) -> web.StreamResponse:
    """The login form."""
    return _page(request, "login")


SIGNED_IN_PAGES: dict[str, str] = {
    "console": "The moderator console; anonymous visitors are sent to log in first.",
    "review": "The secretaries' review workspace.",
    "dashboard": "Problems by category, status and executor; share resolved; funding.",
    "planner": "An organiser's calendar of a year: coverage, visits, versions.",
    "national": "The roll-up of a unit or the nation, the central-level list and the compliance monitor.",
    "units": "The administrative units: import from KATO with a preview, add, rename, abolish.",
    "round": "A round: its meetings and receptions, the 10-day clock, the commission, the audience, the announcement.",
}
"""The pages that need a login (anonymous visitors are sent to log in first), and what each is for."""


def signed_in_page(name: str) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """The handler of one signed-in page."""
    async def page(request: web.Request) -> web.StreamResponse:
        if principal(request) is None:
            raise _to_login(request)
        return _page(request, name)

    page.__doc__ = SIGNED_IN_PAGES[name]
    return page


async def presenter_page(request: web.Request) -> web.StreamResponse:
    """The read-only presenter screen (authenticates over socket.io: cookie or #token)."""
    return _page(request, "presenter")


async def overlay_page(request: web.Request) -> web.StreamResponse:
    """The transparent stream overlay with the current question (authenticates like the presenter screen)."""
    return _page(request, "overlay")


async def offline_page(request: web.Request) -> web.StreamResponse:
    """The page the service worker shows when a reload cannot reach the server (it caches this one)."""
    return _page(request, "offline")


async def service_worker(request: web.Request) -> web.StreamResponse:
    """The service worker, served from the root so that it covers every page."""
    return web.FileResponse(STATIC / "js" / "sw.js", headers={"Cache-Control": "no-cache", "Content-Type": "text/javascript; charset=utf-8"})


def merged_catalogue(lang: str) -> dict[str, str]:
    """The UI strings of one language: ``{lang}.json`` plus every ``{lang}.<part>.json`` beside it."""
    folder = config_path("i18n")
    merged: dict[str, str] = {}
    names = sorted(p.name for p in folder.iterdir() if p.name == f"{lang}.json" or (p.name.startswith(f"{lang}.") and p.name.endswith(".json")))
    for name in names:
        merged.update(json.loads(folder.joinpath(name).read_text("utf-8")))
    return merged


async def catalogue(request: web.Request) -> web.StreamResponse:
    """A UI string catalogue (``/i18n/ru.json``), merged from its parts."""
    lang = request.match_info["lang"]
    if lang not in LANGS:
        raise web.HTTPNotFound()
    return web.json_response(merged_catalogue(lang), headers={"Cache-Control": "no-cache"})


# The HTML report is a stand-alone document with its own inline style and no script at all.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox"


async def harden(request: web.Request, response: web.StreamResponse) -> None:
    """On every response, error pages included: a strict CSP, no sniffing, no server version,
    and nothing from the API (comments, reports, people) kept in a browser or proxy cache."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers["Server"] = "tyndau"
    if request.path.startswith("/api/") or request.path in ("/login", "/logout"):
        headers.setdefault("Cache-Control", "no-store")


def setup_pages(app: web.Application) -> None:
    """Mount the pages, the catalogues and the static files; harden every response."""
    app.on_response_prepare.append(harden)
    app[PAGE_TEMPLATES] = page_templates()
    r = app.router
    r.add_get("/", index)
    r.add_get("/login", login_page)
    r.add_get("/console", signed_in_page("console"))
    r.add_get("/presenter/{meeting_id:\\d+}", presenter_page)
    r.add_get("/overlay/{meeting_id:\\d+}", overlay_page)
    r.add_get("/review", signed_in_page("review"))
    r.add_get("/dashboard", signed_in_page("dashboard"))
    r.add_get("/planner", signed_in_page("planner"))
    r.add_get("/units", signed_in_page("units"))
    r.add_get("/national", signed_in_page("national"))
    r.add_get("/round", signed_in_page("round"))
    r.add_get("/i18n/{lang}.json", catalogue)
    r.add_get("/offline", offline_page)
    r.add_get("/sw.js", service_worker)
    r.add_static("/static/", STATIC, append_version=False)
