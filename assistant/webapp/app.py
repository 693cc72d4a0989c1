"""The FastAPI app factory: settings in, routers, templates, static files and start-up loading."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from assistant.insights.question_log import QuestionLog, kb_vocabulary
from assistant.settings import Settings
from assistant.webapp import (
    api,
    api_docs,
    beheer,
    errors,
    openapi,
    pages,
    privacy,
    search,
    widget_routes,
    wizard_routes,
)
from assistant.webapp.deps import STATIC_DIR, Engine, make_templates
from assistant.webapp.feedback import FeedbackStore
from assistant.webapp.limits import RateLimits
from assistant.webapp.methods import Methods
from assistant.webapp.metrics import Metrics, RequestMetrics, metrics_endpoint
from assistant.webapp.origin import OriginCheck
from assistant.webapp.security import BodyLimit, SecurityHeaders
from assistant.webapp.static import CachedStaticFiles, static_url

log = logging.getLogger("uvicorn.error")  # shown alongside uvicorn's own start-up lines


def create_app(settings: Settings, routewijzer: Engine | None = None) -> FastAPI:
    """Build the web app; load the model and index once at start-up unless an engine is given."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = app.state.routewijzer is None
        if owned:
            from assistant.engine import Routewijzer
            from assistant.search.index import IndexNotReady

            try:
                app.state.routewijzer = Routewijzer.load(settings, purpose="serve")
            except IndexNotReady as exc:  # its message says how to rebuild the index
                log.error("Routewijzer kan niet starten: %s", exc)
                raise
            app.state.routewijzer.warm_up()  # /readyz says ready only once the model answered once
            log.info("Routewijzer ready: index %s", app.state.routewijzer.index_version)
        if app.state.metrics is not None:
            app.state.metrics.watch(app.state.routewijzer)
        watcher = None
        if owned and settings.index_watch_s > 0:  # a newly built index is swapped in without a restart
            watcher = app.state.routewijzer.watch_index(settings.index_watch_s)
        app.state.feedback.purge(settings.feedback_days)  # retention; again on every start
        known = kb_vocabulary(app.state.routewijzer.kb)  # names: capitalised words the kb does not use
        app.state.feedback.known = known
        if app.state.question_log is not None:
            app.state.question_log.known = known
        try:
            yield
        finally:
            if watcher is not None:
                watcher.stop()
            if owned and app.state.routewijzer is not None:
                app.state.routewijzer.close()
                app.state.routewijzer = None

    app = FastAPI(
        title="Routewijzer",
        description="Vraagbaak over vmbo-mbo-routes: derde leerweg, doorlopende leerroutes, "
        "praktijkleren.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI needs a CDN and inline scripts; /docs is our own page
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.routewijzer = routewijzer
    app.state.templates = make_templates()
    app.state.templates.env.globals["static_url"] = static_url  # versioned: cached for a year
    app.state.feedback = FeedbackStore.from_settings(settings, settings.feedback_days)
    app.state.question_log = QuestionLog.from_settings(settings)  # None unless switched on
    app.state.metrics = Metrics() if settings.metrics else None  # ASSISTANT_METRICS

    errors.install(app)
    openapi.install(app, settings)
    app.add_middleware(BodyLimit)
    app.add_middleware(RateLimits, settings=settings)  # 429 before a body is read
    app.add_middleware(OriginCheck)  # cross-site posts: 403
    app.add_middleware(Methods)  # OPTIONS and 405 name every allowed method
    if app.state.metrics is not None:  # counts every response, refusals included
        app.add_middleware(RequestMetrics, metrics=app.state.metrics)
        if settings.metrics_port is None:
            app.add_route("/metrics", metrics_endpoint, methods=["GET"], include_in_schema=False)
    app.add_middleware(SecurityHeaders)  # outermost: headers on every response, 413 and 500 included
    app.mount("/static", CachedStaticFiles(directory=str(STATIC_DIR)), name="static")
    app.include_router(api.router)
    app.include_router(search.router)
    app.include_router(api_docs.router)
    app.include_router(pages.router)
    app.include_router(privacy.router)
    beheer.install(app)  # /beheer: editor pages, off unless an editor account is configured
    app.include_router(wizard_routes.router)
    app.include_router(widget_routes.router)
    return app
