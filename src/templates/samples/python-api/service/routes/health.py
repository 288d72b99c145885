"""The health endpoint used by the container HEALTHCHECK, the load balancer and on-call."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from .. import defaults

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


@router.get(defaults.HEALTH_CHECK_PATH, include_in_schema=False)
async def health(request: Request) -> JSONResponse:
    engine = request.app.state.engine
    cache = request.app.state.cache

    async def check_database() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def check_cache() -> None:
        await cache.ping()

    database, cached = await asyncio.gather(
        _timed(check_database) if engine is not None else _disabled(),
        _timed(check_cache) if cache is not None else _disabled(),
    )
    checks = {"database": database, "cache": cached}
    failing = sorted(name for name, check in checks.items() if check["status"] == "error")
    if failing:
        logger.warning("health check failed", extra={"failing": failing, "checks": checks})
        return JSONResponse({"status": "error", "failing": failing, "checks": checks}, status_code=503)
    return JSONResponse({"status": "ok", "checks": checks})


async def _disabled() -> dict[str, Any]:
    # A part the service is not configured to use cannot fail.
    return {"status": "disabled"}
