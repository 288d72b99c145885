"""PostgreSQL through one bounded SQLAlchemy/asyncpg connection pool per worker process."""

from __future__ import annotations

import ssl
from typing import Any

from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from .config import DatabaseSettings

# A connection attempt or a statement that takes longer than this fails instead of
# holding a worker: the health check and the load balancer must see an outage quickly.
CONNECT_TIMEOUT_SECONDS = 3
STATEMENT_TIMEOUT_MS = 5000
# How long a request waits for a free pooled connection before failing.
POOL_TIMEOUT_SECONDS = 5
# Recycle connections before RDS or a NAT drops idle ones.
POOL_RECYCLE_SECONDS = 1800


def database_url(settings: DatabaseSettings) -> URL:
    return URL.create(
        "postgresql+asyncpg",
        username=settings.user,
        password=settings.password or None,
        host=settings.host,
        port=settings.port,
        database=settings.name,
    )


def _ssl_argument(sslmode: str) -> str | ssl.SSLContext:
    # asyncpg understands libpq's sslmode names; like libpq, "require" encrypts without
    # verifying the certificate. "verify-full" checks it against the system CA store (add
    # the RDS CA bundle there for RDS).
    if sslmode == "verify-full":
        return ssl.create_default_context()
    return sslmode


def connect_args(settings: DatabaseSettings, application_name: str, **server_settings: str) -> dict[str, Any]:
    """asyncpg connection arguments shared by the service and the migrations."""
    return {
        "timeout": CONNECT_TIMEOUT_SECONDS,
        "ssl": _ssl_argument(settings.sslmode),
        "server_settings": {"application_name": application_name, **server_settings},
    }


def create_engine(settings: DatabaseSettings) -> AsyncEngine:
    """The pool holds at most DB_POOL_SIZE connections (no overflow), so the service's
    connection count is DB_POOL_SIZE x WEB_CONCURRENCY x tasks, whatever the load.

    pool_pre_ping tests each connection as it leaves the pool and replaces a dead one, so
    the service recovers by itself after PostgreSQL restarts or fails over.
    """
    return create_async_engine(
        database_url(settings),
        pool_size=settings.pool_size,
        max_overflow=0,
        pool_timeout=POOL_TIMEOUT_SECONDS,
        pool_recycle=POOL_RECYCLE_SECONDS,
        pool_pre_ping=True,
        connect_args={
            **connect_args(settings, settings.application_name, statement_timeout=str(STATEMENT_TIMEOUT_MS)),
            # Client-side guard too, for when the server cannot answer at all.
            "command_timeout": STATEMENT_TIMEOUT_MS / 1000 + 1,
        },
    )
