"""Answers for failures that are not bugs: an unreachable database is a 503 the client may
retry (and the load balancer sees), not a 500."""

from __future__ import annotations

import logging

import asyncpg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from .db import BROKEN

logger = logging.getLogger("service.errors")

RETRY_AFTER_SECONDS = 5
# Connection refused or reset, timeouts (the pool having no free connection included), the
# server shutting down, starting up or out of connections: all mean "the database is
# unavailable right now".
UNAVAILABLE = (OSError, *BROKEN, asyncpg.TooManyConnectionsError)


async def database_unavailable(request: Request, error: Exception) -> JSONResponse:
    logger.warning("database unavailable", extra={"path": request.url.path, "error": type(error).__name__})
    return JSONResponse(
        {"detail": "the database is unavailable; retry later"},
        status_code=503,
        headers={"retry-after": str(RETRY_AFTER_SECONDS)},
    )


def register(app: FastAPI) -> None:
    for error in UNAVAILABLE:
        app.add_exception_handler(error, database_unavailable)
