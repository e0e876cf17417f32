"""The application factory: ``create_app(settings)`` builds everything; nothing runs at import."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tyndau.actions import registry
from tyndau.live.clock_service import SystemTime
from tyndau.live.cluster_bus import RedisBus, channels
from tyndau.live.intake import running
from tyndau.live.leased import keep_leases, run_leased
from tyndau.live.source_kinds import SourceKinds, builtin_kinds
from tyndau.live.source_manager import SourceContext, SourceManager
from tyndau.live.store_waits import StoreWaits
from tyndau.operator_ui.api import setup_api
from tyndau.operator_ui.api_comments import setup_comment_api
from tyndau.operator_ui.api_national import setup_national_api
from tyndau.operator_ui.api_nlp import setup_nlp_api
from tyndau.operator_ui.api_people import setup_people_api
from tyndau.operator_ui.api_planning import setup_planning_api
from tyndau.operator_ui.api_review import setup_review_api
from tyndau.operator_ui.api_rollup import setup_rollup_api
from tyndau.operator_ui.api_rounds import setup_rounds_api
from tyndau.operator_ui.api_sources import setup_source_api
from tyndau.operator_ui.auth import authenticate, setup_auth
from tyndau.operator_ui.errors import json_errors
from tyndau.operator_ui.keys import SERVICES, SETTINGS, SOURCE_KINDS, SOURCES
from tyndau.operator_ui.pages import setup_pages
from tyndau.operator_ui.realtime import create_sio, setup_realtime
from tyndau.operator_ui.scope_guard import scope_guard
from tyndau.operator_ui.services import Services
from tyndau.settings import Settings
from tyndau.store import clock_log
from tyndau.store.engine import StoreError, check_connection, create_engine, describe_error
from tyndau.store.leases import LABELLER, Leases, leases_for
from tyndau.store.migrate import upgrade
from tyndau.vocabulary import Vocabulary

if TYPE_CHECKING:
    from tyndau.live.labeller import Labeller

log = logging.getLogger(__name__)


def create_app(settings: Settings, *, pipeline_loader: Callable[..., Any] | None = None,
               source_kinds: SourceKinds | None = None) -> web.Application:
    """Build the aiohttp app with the API, the pages and socket.io; the store opens on startup.

    ``pipeline_loader`` replaces how the NLP pipeline is built (tests share one across apps); it
    may take the progress callback (one argument) or nothing. ``source_kinds``: the kinds of
    source this server runs (default: the built-in ones).
    """
    app = web.Application(client_max_size=settings.max_body_bytes, middlewares=[json_errors, authenticate, scope_guard])
    app[SETTINGS] = settings
    app[SOURCE_KINDS] = source_kinds or builtin_kinds()
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
    setup_nlp_api(app)
    setup_pages(app)
    setup_realtime(app, sio)
    return app


def load_pipeline(settings: Settings, taxonomy: Any, progress: Callable[[Any], None] | None = None) -> Any:
    """Build the NLP pipeline (slow: runs in a worker thread; exports the model once per cache)."""
    from pathlib import Path

    from tyndau.nlp.pipeline import Pipeline

    return Pipeline.from_config(Path(settings.nlp_config) if settings.nlp_config else None,
                                cache_dir=settings.effective_model_cache, taxonomy=taxonomy, progress=progress)


def start_labeller(services: Services, pipeline_loader: Callable[..., Any] | None) -> Any:
    """The live labeller (a ``Labeller``), or None (after one line saying why) when NLP is off."""
    from tyndau.nlp.extras import INSTALL_HINT, missing_nlp_modules

    settings = services.settings
    if not settings.nlp_enabled:
        services.nlp_off = "disabled"
        return None
    missing = [] if pipeline_loader is not None else missing_nlp_modules()
    if missing:
        services.nlp_off = "not_installed"
        log.warning("NLP is off: the [nlp] extra is not installed (missing %s); comments are kept unlabelled "
                    "until you install it with: %s", ", ".join(missing), INSTALL_HINT)
        return None
    from tyndau.live.labeller import Labeller  # imports numpy: only when NLP is on

    if pipeline_loader is not None:
        given = pipeline_loader
        takes_progress = bool(inspect.signature(given).parameters)
        loader: Callable[[Callable[[Any], None]], Any] = (
            given if takes_progress else lambda progress: given())
    else:
        def loader(progress: Callable[[Any], None]) -> Any:
            return load_pipeline(settings, services.vocabulary.taxonomy, progress)
    labeller = Labeller(services.engine, loader, services.publish_labels, services.vocabulary.executor_for,
                        publish_status=services.publish_nlp_status, forward=services.forward,
                        sweep_seconds=30.0 if services.bus is not None else None)
    services.labeller = labeller
    return labeller


def load_vocabulary(settings: Settings) -> Vocabulary:
    """Categories and departments from config (a broken file stops start-up, naming the line)."""
    from tyndau.nlp.taxonomy import TaxonomyError
    from tyndau.vocabulary import load_vocabulary as load

    try:
        return load(settings)
    except TaxonomyError as exc:
        raise StoreError(str(exc)) from None


def _store_ctx(sio, pipeline_loader):
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
            services.vocabulary = load_vocabulary(settings)
            now = time.now().wall
            down_from = await clock_log.start_boot(engine, time.boot_id, now)
            others_alive = (settings.client_manager == "redis" and down_from is not None
                            and (now - down_from).total_seconds() < 2 * settings.heartbeat_seconds)
            marked = [] if others_alive else await services.clock.mark_restarts(down_from)  # a worker joining is no outage
            if marked:
                log.warning("resumed after a restart; downtime counted in the running phase of meetings %s", marked)
            context = SourceContext(public_url=settings.public_url, telegram_secret=settings.telegram_webhook_secret,
                                    meta_ready=bool(settings.meta_app_secret), data_dir=settings.data_dir,
                                    kinds=app[SOURCE_KINDS])
            leases = leases_for(settings.effective_database_url, settings.role)
            if settings.client_manager == "redis":
                services.bus = RedisBus(settings.redis_url, channels(settings.redis_prefix)[1])
            sources = SourceManager(engine, services.intake, settings.data_dir / "sources", on_change=services.publish_source_health,
                                    context=context, leases=leases)
            services.sources = sources
            app[SOURCES] = sources
            loops = [lambda: _heartbeat(services), services.intake.run, services.feed.run, lambda: _health_loop(services),
                     lambda: keep_leases(leases, settings.lease_check_seconds),
                     lambda: sources.run_reconciling(settings.lease_check_seconds)]
            labeller = start_labeller(services, pipeline_loader)
            if services.bus is not None:  # other writers publish what they commit
                loops.append(lambda: services.bus.listen(services.on_cluster_event, _catch_up(labeller)))  # type: ignore[union-attr]
            else:  # one server (and perhaps `tyndau ingest`) without Redis: read what others committed
                loops.append(services.tail_other_writers)
            if labeller is not None:
                loops.append(_leased_labelling(services, leases, labeller))
            try:
                async with running(*loops):
                    resumed = await sources.resume_all()
                    if resumed:
                        log.warning("resumed %d comment source(s) that were running before the restart", resumed)
                    yield
                    await sources.close()
            finally:
                await leases.close()
                if services.bus is not None:
                    await services.bus.close()
        finally:
            await engine.dispose()

    return store


def _leased_labelling(services: Services, leases: Leases, labeller: Labeller) -> Callable[[], Any]:
    """The labeller runs in the one process holding the labeller lease; the others stand by."""
    check = services.settings.lease_check_seconds
    return lambda: run_leased(leases, LABELLER, labeller.run, check_seconds=check, on_standby=labeller.reset)


def _catch_up(labeller: Labeller | None) -> Callable[[], Any]:
    """After a Redis reconnect: the labeller (if here) looks in the store for what it may have missed."""
    async def catch_up() -> None:
        if labeller is not None and labeller.state == "ready":
            await labeller.sweep_now()

    return catch_up


async def _health_loop(services: Services) -> None:
    """Every two seconds, tell consoles how their meetings' sources are doing."""
    while True:
        await asyncio.sleep(2)
        for meeting_id in services.sources.active_meetings() if services.sources else ():
            try:
                await services.publish_source_health(meeting_id)
            except Exception:
                log.debug("could not publish source health", exc_info=True)


async def _heartbeat(services: Services) -> None:
    """Record that this server is alive, so downtime after a crash is known (a busy store only skips beats)."""
    waits = StoreWaits(log, "the heartbeat")
    while True:
        await asyncio.sleep(services.settings.heartbeat_seconds)
        await waits.round(lambda: clock_log.heartbeat(services.engine, services.time.boot_id, services.time.now().wall))
