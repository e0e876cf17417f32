"""Every ``web.AppKey`` of the application, in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

import jinja2
from aiohttp import web

from tyndau.live.source_kinds import SourceKinds

if TYPE_CHECKING:
    from tyndau.domain.ports import SourceRegistry
    from tyndau.operator_ui.routes import Route
    from tyndau.operator_ui.services import Services
    from tyndau.settings import Settings

SETTINGS: web.AppKey[Settings] = web.AppKey("settings")
SERVICES: web.AppKey[Services] = web.AppKey("services")
ROUTES: web.AppKey[list[Route]] = web.AppKey("routes")
PAGE_TEMPLATES: web.AppKey[jinja2.Environment] = web.AppKey("page_templates", jinja2.Environment)
SOURCES: web.AppKey[SourceRegistry] = web.AppKey("sources")
SOURCE_KINDS: web.AppKey[SourceKinds] = web.AppKey("source_kinds", SourceKinds)
