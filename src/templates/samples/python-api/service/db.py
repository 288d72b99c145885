"""PostgreSQL through one bounded asyncpg connection pool per worker process.

Requests use asyncpg's pool directly: on this kind of endpoint it costs a fraction of what
SQLAlchemy's async layer adds per query, which decides whether p95 stays under 100 ms at
100 concurrent users. SQLAlchemy is used by the alembic migrations only.
"""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

import asyncpg
from sqlalchemy.engine import URL

from .config import DatabaseSettings

# A connection attempt or a statement that takes longer than this fails instead of holding
# a request: the health check and the load balancer must see an outage quickly.
CONNECT_TIMEOUT_SECONDS = 3
STATEMENT_TIMEOUT_MS = 5000
# How long a request waits for a free pooled connection before failing with a 503.
POOL_TIMEOUT_SECONDS = 5
# Idle connections are closed after this long, so a quiet service holds few.
IDLE_LIFETIME_SECONDS = 300

# Errors that mean "this connection or the server is gone", not "the query is wrong".
# InterfaceError and InternalClientError are what asyncpg raises when the server closed an
# idle pooled connection (a restart) and the client notices only on its next use.
BROKEN: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,  # SQLSTATE class 08, and a connection found closed
    asyncpg.OperatorInterventionError,  # 57P01-57P03: shutting down, restarting, starting up
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    ConnectionError,
)


def ssl_argument(sslmode: str, sslrootcert: str | None = None) -> str | ssl.SSLContext:
    """asyncpg's `ssl` argument for a libpq sslmode.

    Like libpq, "require" encrypts without verifying the server. "verify-ca" checks that the
    certificate chains to `sslrootcert` (or the system store), "verify-full" also that it names
    the host: the only mode that authenticates the server, and what the service uses in AWS.
    """
    if sslmode in ("verify-ca", "verify-full"):
        context = ssl.create_default_context(cafile=sslrootcert)
        context.check_hostname = sslmode == "verify-full"
        return context
    return sslmode


def connect_args(settings: DatabaseSettings, application_name: str, **server_settings: str) -> dict[str, Any]:
    """asyncpg connection arguments shared by the service and the migrations."""
    return {
        "timeout": CONNECT_TIMEOUT_SECONDS,
        "ssl": ssl_argument(settings.sslmode, settings.sslrootcert),
        "server_settings": {"application_name": application_name, **server_settings},
    }


def database_url(settings: DatabaseSettings) -> URL:
    """The SQLAlchemy URL the migrations connect with."""
    return URL.create(
        "postgresql+asyncpg",
        username=settings.user,
        password=settings.password or None,
        host=settings.host,
        port=settings.port,
        database=settings.name,
    )


async def _keep_session(connection: asyncpg.Connection) -> None:
    """Connections go back to the pool without asyncpg's reset query (RESET ALL, CLOSE ALL,
    UNLISTEN *, advisory unlocks): a round trip per request saved. Safe because the service
    only runs single statements through `fetch` and never changes session state; if you add
    SET, LISTEN, advisory locks or cursors on pooled connections, remove `reset=` below.
    """


class Database:
    """One worker's connection pool behind a first-come, first-served queue.

    asyncpg's pool gives a released connection to whichever request asks next, not to the
    one that has waited longest: under load some requests lose several turns in a row, and
    p95 pays for it (measured at 100 concurrent connections on 2 cores: p95 243 ms on the
    pool alone, under 100 ms with this queue). asyncio.Semaphore wakes its waiters in
    arrival order, so requests take turns at the pool in the order they came.
    """

    def __init__(self, pool: asyncpg.Pool, size: int) -> None:
        self.pool = pool
        self._turns = asyncio.Semaphore(size)

    def get_size(self) -> int:
        """Connections the pool holds now (open or opening)."""
        return self.pool.get_size()

    async def close(self) -> None:
        await self.pool.close()

    async def fetch(self, query: str, *args: Any) -> list[asyncpg.Record]:
        """A read-only query, retried once on a fresh connection when the pooled one is dead
        (PostgreSQL restarted between two requests). Do not use it for writes: a write that
        fails this way may have been applied, and the client must decide whether to repeat it.
        """
        # A request that waits longer than POOL_TIMEOUT_SECONDS for its turn fails with a
        # TimeoutError, which the service answers with a 503 (errors.py). The timer is only
        # set when there is a queue: it costs a scheduled callback per request.
        if self._turns.locked():
            async with asyncio.timeout(POOL_TIMEOUT_SECONDS):
                await self._turns.acquire()
        else:
            await self._turns.acquire()
        try:
            for attempt in (1, 2):
                # A turn guarantees a free connection (or room to open one), so the pool is
                # asked without a timeout of its own: asyncpg runs a timed acquire as an extra
                # task. Opening a connection is bounded by CONNECT_TIMEOUT_SECONDS.
                connection = await self.pool.acquire()
                try:
                    return await connection.fetch(query, *args)
                except BROKEN:
                    # Never return a connection in an unknown state to the pool: drop it, and
                    # the pool opens a new one on demand.
                    connection.terminate()
                    if attempt == 2:
                        raise
                finally:
                    await self.pool.release(connection)
            raise AssertionError("unreachable")
        finally:
            self._turns.release()


async def create_pool(settings: DatabaseSettings) -> Database:
    """A pool of at most DB_POOL_SIZE connections, so the service's connection count is
    DB_POOL_SIZE x WEB_CONCURRENCY x tasks, whatever the load.

    Connections open on demand (min_size=0): the service starts even while PostgreSQL is
    down. When PostgreSQL restarts, the connections it closes are seen as closed and replaced
    on their next use; `fetch` retries a read once when a connection turns out to be dead.
    """
    pool = await asyncpg.create_pool(
        host=settings.host,
        port=settings.port,
        user=settings.user,
        password=settings.password or None,
        database=settings.name,
        min_size=0,
        max_size=settings.pool_size,
        max_inactive_connection_lifetime=IDLE_LIFETIME_SECONDS,
        reset=_keep_session,
        # Client-side guard too, for when the server cannot answer at all.
        command_timeout=STATEMENT_TIMEOUT_MS / 1000 + 1,
        **connect_args(settings, settings.application_name, statement_timeout=str(STATEMENT_TIMEOUT_MS)),
    )
    return Database(pool, settings.pool_size)
