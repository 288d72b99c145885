"""The ASGI application: `service.main:app` (served by gunicorn with uvicorn workers)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from . import auth, cache, db, defaults, errors
from .config import Settings
from .logs import configure_logging
from .middleware import REQUEST_ID_HEADER, RequestContextMiddleware
from .routes import health, measures

logger = logging.getLogger("service")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Pools are created per worker process, after gunicorn forks, and open
        # connections lazily: the service starts even while PostgreSQL is down.
        app.state.db = await db.create_pool(settings.database) if settings.database else None
        app.state.cache = cache.create_client(settings.cache) if settings.cache else None
        app.state.health = health.HealthCheck(app.state.db, app.state.cache)
        # Per worker, in its event loop: the issuer's keys are cached per worker process.
        app.state.authenticator = auth.create_authenticator(settings.auth)
        logger.info(
            "started",
            extra={
                "app_env": settings.app_env,
                "database": "enabled" if settings.database else "disabled",
                "db_pool_size": settings.database.pool_size if settings.database else 0,
                "cache": "enabled" if settings.cache else "disabled",
                "auth_mode": settings.auth.mode,
                "api_keys": len(settings.auth.api_keys),
            },
        )
        try:
            yield
        finally:
            if app.state.db is not None:
                await app.state.db.close()
            if app.state.cache is not None:
                await app.state.cache.aclose(close_connection_pool=True)

    # Interactive docs load scripts from a CDN, which the Content-Security-Policy forbids;
    # the OpenAPI document itself is served outside production.
    public_schema = settings.app_env in ("local", "test")
    app = FastAPI(
        title=defaults.SERVICE_NAME,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if public_schema else None,
    )
    app.state.settings = settings
    errors.register(app)
    app.include_router(health.router)
    app.include_router(measures.router)
    # Added last, so it runs first: every response, CORS preflights included, gets the
    # security headers and a log line.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.allowed_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["authorization", "content-type", auth.API_KEY_HEADER, REQUEST_ID_HEADER],
        expose_headers=[REQUEST_ID_HEADER],
        max_age=600,
    )
    app.add_middleware(RequestContextMiddleware)
    return app


app = create_app()
