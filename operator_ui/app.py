"""The application factory: ``create_app(settings)`` builds everything; nothing runs at import."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, AsyncIterator, Callable

from aiohttp import web

from tyndau.actions import registry
from tyndau.live.clock_service import SystemTime
from tyndau.live.intake import running
from tyndau.live.labeller import Labeller
from tyndau.live.source_manager import SourceContext, SourceManager
from tyndau.operator_ui.api import setup_api
from tyndau.operator_ui.api_comments import setup_comment_api
from tyndau.operator_ui.api_review import setup_review_api
from tyndau.operator_ui.api_sources import setup_source_api
from tyndau.operator_ui.api_people import setup_people_api
from tyndau.operator_ui.api_planning import setup_planning_api
from tyndau.operator_ui.api_rounds import setup_rounds_api
from tyndau.operator_ui.api_national import setup_national_api
from tyndau.operator_ui.api_rollup import setup_rollup_api
from tyndau.operator_ui.auth import authenticate, setup_auth
from tyndau.operator_ui.errors import json_errors
from tyndau.operator_ui.keys import SERVICES, SETTINGS
from tyndau.operator_ui.pages import setup_pages
from tyndau.operator_ui.realtime import create_sio, setup_realtime
from tyndau.operator_ui.scope_guard import scope_guard
from tyndau.operator_ui.services import Services
from tyndau.settings import Settings
from tyndau.store import clock_log
from tyndau.store.engine import StoreError, check_connection, create_engine, describe_error
from tyndau.store.migrate import upgrade

log = logging.getLogger(__name__)


def create_app(settings: Settings, *, pipeline_loader: Callable[[], Any] | None = None) -> web.Application:
    """Build the aiohttp app with the API, the pages and socket.io; the store opens on startup.

    ``pipeline_loader`` replaces how the NLP pipeline is built (tests share one across apps).
    """
    app = web.Application(client_max_size=settings.max_body_bytes, middlewares=[json_errors, authenticate, scope_guard])
    app[SETTINGS] = settings
    sio = create_sio(settings)
    app.cleanup_ctx.append(_store_ctx(sio, pipeline_loader))
    setup_auth(app, settings)
    setup_api(app)
    setup_people_api(app)
    setup_comment_api(app)
    setup_source_api(app)
    setup_review_api(app)
    setup_planning_api(app)
    setup_rounds_api(app)
    setup_rollup_api(app)
    setup_national_api(app)
    setup_pages(app)
    setup_realtime(app, sio)
    return app


def load_pipeline(settings: Settings, taxonomy: Any) -> Any:
    """Build the NLP pipeline (slow: runs in a worker thread; converts the model once)."""
    from pathlib import Path

    from tyndau.nlp.pipeline import Pipeline

    return Pipeline.from_config(Path(settings.nlp_config) if settings.nlp_config else None,
                                cache_dir=settings.effective_model_cache, taxonomy=taxonomy)


def load_vocabulary(settings: Settings) -> dict[str, Any]:
    """Categories and departments from config (a broken file stops start-up, naming the line)."""
    from tyndau.nlp.taxonomy import TaxonomyError, load_departments, load_taxonomy

    try:
        taxonomy = load_taxonomy(settings.taxonomy_file or None)
        departments = load_departments(settings.departments_file or None, taxonomy=taxonomy)
    except TaxonomyError as exc:
        raise StoreError(str(exc)) from None
    names = {c.id: dict(c.name) for c in taxonomy.categories}
    deps = list(departments.values())
    return {
        "taxonomy": taxonomy,
        "category_ids": frozenset(names),
        "category_names": names,
        "categories_json": [{"id": cid, **n} for cid, n in names.items()],
        "departments_json": [{"category": d.category, "ru": d.name.get("ru", ""), "kk": d.name.get("kk", "")} for d in deps],
        "departments": frozenset(" ".join(n.split()).casefold() for d in deps for n in d.name.values()),
        "executors_kk": {d.name.get("ru", ""): d.name.get("kk", "") for d in deps},
        "executor_for": {d.category: d.name.get("ru", "") for d in deps},
    }


def _store_ctx(sio, pipeline_loader):  # type: ignore[no-untyped-def]
    async def store(app: web.Application) -> AsyncIterator[None]:
        settings = app[SETTINGS]
        engine = create_engine(settings)
        try:
            await check_connection(engine)
            try:
                await upgrade(engine)
            except Exception as exc:  # noqa: BLE001 - any migration failure is a start-up error
                raise StoreError(describe_error(exc, engine)) from None
            time = SystemTime()
            services = Services(settings=settings, engine=engine, sio=sio, time=time, actions=registry())
            app[SERVICES] = services
            services.extra.update(load_vocabulary(settings))
            down_from = await clock_log.start_boot(engine, time.boot_id, time.now().wall)
            marked = await services.clock.mark_restarts(down_from)
            if marked:
                log.warning("resumed after a restart; downtime counted in the running phase of meetings %s", marked)
            context = SourceContext(public_url=settings.public_url, telegram_secret=settings.telegram_webhook_secret,
                                    meta_ready=bool(settings.meta_app_secret), data_dir=settings.data_dir)
            sources = SourceManager(engine, services.intake, settings.data_dir / "sources", on_change=services.publish_source_health,
                                    context=context)
            services.extra["sources"] = sources
            loops = [lambda: _heartbeat(services), services.intake.run, services.feed.run, lambda: _health_loop(services), services.tail_other_writers]
            if settings.nlp_enabled:
                loader = pipeline_loader or (lambda: load_pipeline(settings, services.extra["taxonomy"]))
                labeller = Labeller(engine, loader, services.publish_labels,
                                    services.extra["executor_for"])
                services.extra["labeller"] = labeller
                loops.append(labeller.run)
            async with running(*loops):
                resumed = await sources.resume_all()
                if resumed:
                    log.warning("resumed %d comment source(s) that were running before the restart", resumed)
                yield
                await sources.close()
        finally:
            await engine.dispose()

    return store


async def _health_loop(services: Services) -> None:
    """Every two seconds, tell consoles how their meetings' sources are doing."""
    while True:
        await asyncio.sleep(2)
        for meeting_id in services.extra["sources"].active_meetings():
            try:
                await services.publish_source_health(meeting_id)
            except Exception:  # noqa: BLE001 - health is advisory
                log.debug("could not publish source health", exc_info=True)


async def _heartbeat(services: Services) -> None:
    """Record that this server is alive, so downtime after a crash is known."""
    while True:
        await asyncio.sleep(services.settings.heartbeat_seconds)
        try:
            await clock_log.heartbeat(services.engine, services.time.boot_id, services.time.now().wall)
        except Exception:  # noqa: BLE001 - a missed heartbeat must never stop the server
            log.warning("could not record the heartbeat", exc_info=True)
