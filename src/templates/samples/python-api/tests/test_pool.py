"""GIVEN one worker's pool WHEN load arrives or PostgreSQL drops its connections THEN the
pool stays within DB_POOL_SIZE and replaces broken connections without a restart."""

from __future__ import annotations

import asyncio
import dataclasses

import httpx2
from fastapi.testclient import TestClient

from service import defaults
from service.config import Settings
from service.main import create_app

from .conftest import API_KEY_HEADER, TEST_API_KEY, sql


def _connections(settings: Settings) -> int:
    assert settings.database is not None
    rows = sql(
        settings,
        "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1",
        settings.database.application_name,
    )
    return rows[0]["n"]


def test_the_pool_never_holds_more_than_db_pool_size_connections(settings: Settings) -> None:
    assert settings.database is not None
    bounded = dataclasses.replace(settings, database=dataclasses.replace(settings.database, pool_size=2))
    app = create_app(bounded)
    opened = 0

    async def load() -> list[int]:
        nonlocal opened
        async with app.router.lifespan_context(app):
            transport = httpx2.ASGITransport(app=app)
            async with httpx2.AsyncClient(
                transport=transport, base_url="http://test", headers={API_KEY_HEADER: TEST_API_KEY}
            ) as client:
                requests = [client.get("/api/v1/measures") for _ in range(40)]
                statuses = [r.status_code for r in await asyncio.gather(*requests)]
                opened = app.state.db.get_size()
                held = await asyncio.to_thread(_connections, bounded)
                return statuses + [held]

    *statuses, held = asyncio.run(load())

    assert statuses == [200] * 40
    assert 1 <= held <= 2
    assert opened <= 2


def test_recovers_when_postgresql_drops_every_pooled_connection(client: TestClient, settings: Settings) -> None:
    assert settings.database is not None
    assert client.get("/api/v1/measures").status_code == 200
    assert _connections(settings) >= 1

    # What a PostgreSQL restart or an RDS failover does to the pool's connections.
    killed = sql(
        settings,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
        settings.database.application_name,
    )
    assert len(killed) >= 1

    assert client.get("/api/v1/measures").status_code == 200
    assert client.get(defaults.HEALTH_CHECK_PATH).json()["checks"]["database"]["status"] == "ok"
