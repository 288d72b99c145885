"""The health endpoint used by the container HEALTHCHECK, the load balancer and on-call."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from redis.asyncio import Redis

from .. import db, defaults

logger = logging.getLogger("service.health")
router = APIRouter()

# Each dependency must answer within this time or counts as down.
CHECK_TIMEOUT_SECONDS = 2.0


async def _timed(check: Callable[[], Awaitable[Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(check(), timeout=CHECK_TIMEOUT_SECONDS)
    except Exception as error:  # noqa: BLE001 - any failure means down; reported and logged
        reason = "timeout" if isinstance(error, (asyncio.TimeoutError, TimeoutError)) else type(error).__name__
        return {"status": "error", "error": reason, "latency_ms": _ms(started)}
    return {"status": "ok", "latency_ms": _ms(started)}


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


class HealthCheck:
    """Checks the database and the cache, sharing each result for up to MAX_AGE_SECONDS.

    Concurrent requests wait for one check instead of each taking a pooled connection, so
    load balancer and container health checks never compete with traffic for the pool, and
    a worker runs at most one health query per second whatever the request rate.
    """

    MAX_AGE_SECONDS = 1.0

    def __init__(self, database: db.Database | None, cache: Redis | None) -> None:
        self._database = database
        self._cache = cache
        self._lock = asyncio.Lock()
        self._checked_at = -self.MAX_AGE_SECONDS
        self._checks: dict[str, dict[str, Any]] = {}

    async def run(self) -> dict[str, dict[str, Any]]:
        async with self._lock:
            if time.monotonic() - self._checked_at >= self.MAX_AGE_SECONDS:
                store, cache_client = self._database, self._cache
                database, cache = await asyncio.gather(
                    _timed(lambda: store.fetch("SELECT 1")) if store is not None else _disabled(),
                    _timed(cache_client.ping) if cache_client is not None else _disabled(),
                )
                self._checks = {"database": database, "cache": cache}
                self._checked_at = time.monotonic()
            return self._checks


@router.get(defaults.HEALTH_CHECK_PATH, include_in_schema=False)
async def health(request: Request) -> JSONResponse:
    checks = await request.app.state.health.run()
    failing = sorted(name for name, check in checks.items() if check["status"] == "error")
    if failing:
        logger.warning("health check failed", extra={"failing": failing, "checks": checks})
        return JSONResponse({"status": "error", "failing": failing, "checks": checks}, status_code=503)
    return JSONResponse({"status": "ok", "checks": checks})


async def _disabled() -> dict[str, Any]:
    # A part the service is not configured to use cannot fail.
    return {"status": "disabled"}
