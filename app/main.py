"""FastAPI application factory (`news-service serve`, or `uvicorn --factory app.main:create_app`)."""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app import __version__
from app.api.contract import install_contract
from app.api.docs import mount_docs
from app.api.errors import install_error_handlers
from app.api.middleware import AccessLog, BodySizeLimit
from app.api.routes import api_router, route_templates
from app.api.web import mount_ui
from app.container import Container, create_container, resolve, running
from app.metrics import RequestMetrics, metrics_routes
from app.request_context import RequestIdMiddleware
from app.settings import Settings

log = logging.getLogger(__name__)
_GIL_SWITCH_SECONDS = 0.001


def _ready(container: Container, settings: Settings) -> None:
    """Tune the process for serving once everything is loaded, and say so in one line."""
    # What start-up built (models, tokenizers, Kiwi: ~450k objects) lives as long as the process; frozen,
    # full garbage collections stop scanning it (one took ~270 ms: a pause for every request in flight).
    gc.freeze()
    # Worker threads (Kiwi, dedup, inference) hold the GIL for up to the switch interval before the
    # event loop gets it back; 1 ms instead of 5 keeps cache hits fast while analyses run.
    sys.setswitchinterval(_GIL_SWITCH_SECONDS)
    model = container.classifier().info()
    log.info(
        "news-service %s ready: mode=%s, source=%s, classifier=%s '%s' on %s",
        __version__,
        "embedded" if settings.redis.embedded else "redis",
        settings.news_source,
        model.ml_service_status,
        model.model_name,
        model.device,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build an app (and its container) from settings, by default read from the environment."""
    settings = settings or Settings()
    container = create_container(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with running(container, models=True), AsyncExitStack() as background:
            _ready(container, settings)
            if settings.redis.embedded:
                # In-process background jobs and the periodic watch-list refresh (beat's job), stopped first.
                await background.enter_async_context(await resolve(container.embedded_schedule))
            yield

    docs = settings.api.expose_docs
    app = FastAPI(
        title="news-service",
        version=__version__,
        description="Korean company news: search, stories (one per event), ESG category and sentiment.",
        lifespan=lifespan,
        docs_url=None,  # mount_docs serves /docs and /redoc without a CDN
        redoc_url=None,
        openapi_url="/openapi.json" if docs else None,
    )
    app.state.container = container
    app.include_router(api_router())
    install_error_handlers(app)
    install_contract(app, settings)
    app.add_middleware(BodySizeLimit, max_bytes=settings.api.max_body_bytes)
    app.add_middleware(RequestMetrics, templates=route_templates())
    origins = settings.api.cors_origin_list
    if origins:
        # A wildcard origin never goes together with credentials (browsers would refuse it anyway).
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_credentials="*" not in origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Content-Type", "X-API-Key", "X-Request-ID"],
        )
    app.add_middleware(AccessLog)  # inside RequestIdMiddleware: its line carries the request id
    app.add_middleware(RequestIdMiddleware)
    app.router.routes.extend(metrics_routes())
    mount_ui(app)  # the built-in dashboard at /ui (app/web)
    if app.openapi_url:
        mount_docs(app, app.openapi_url)

    @app.get("/", tags=["system"])
    async def index() -> dict[str, Any]:
        """Service index: what this service is and where its endpoints are."""
        return {
            "service": "news-service",
            "version": __version__,
            "docs": "/docs" if docs else None,
            "dashboard": "/ui/",
            "metrics": "/metrics",
            "endpoints": [
                f"{method.upper()} {path}"
                for path, operations in app.openapi()["paths"].items()
                for method in operations
            ],
        }

    return app


__all__ = ["Container", "create_app"]
