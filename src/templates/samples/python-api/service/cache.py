"""Redis through redis-py's asyncio client, one bounded connection pool per worker process."""

from __future__ import annotations

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.connection import Connection, SSLConnection

from .config import CacheSettings

# Connections per worker; a request waits up to POOL_TIMEOUT_SECONDS for a free one.
MAX_CONNECTIONS = 20
POOL_TIMEOUT_SECONDS = 2
SOCKET_TIMEOUT_SECONDS = 2


def create_client(settings: CacheSettings) -> Redis:
    """A client whose broken connections are dropped and re-opened on the next command.

    With REDIS_TLS=true the server certificate is verified against the system CA store
    (ElastiCache in-transit encryption uses publicly trusted certificates).
    """
    pool = BlockingConnectionPool(
        connection_class=SSLConnection if settings.tls else Connection,
        max_connections=MAX_CONNECTIONS,
        timeout=POOL_TIMEOUT_SECONDS,
        host=settings.host,
        port=settings.port,
        password=settings.password,
        socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
        socket_timeout=SOCKET_TIMEOUT_SECONDS,
        # Ping a connection that sat idle this long before using it again.
        health_check_interval=30,
    )
    return Redis(connection_pool=pool)
