"""Fixtures for tests that run against real PostgreSQL and Redis.

The connection comes from the same DB_* and REDIS_* variables the service reads. When
either is unset or unreachable the tests FAIL; set SKIP_SERVICE_TESTS=1 to skip them
instead (for a quick run on a laptop without the services).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import json
import os
import secrets
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import asyncpg
import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient

from service import defaults
from service.auth import AuthSettings, digest, parse_api_keys
from service.config import Settings
from service.main import create_app

#: The API key the `client` fixture sends (read and write), made for this test run.
TEST_API_KEY = f"hsk.test-client.{secrets.token_urlsafe(32)}"
API_KEY_HEADER = "x-api-key"

APP_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SKIP_VARIABLE = "SKIP_SERVICE_TESTS"


def _unreachable(host: str, port: int) -> str | None:
    try:
        with socket.create_connection((host, port), timeout=3):
            return None
    except OSError as error:
        return f"{host}:{port} is unreachable ({error})"


@pytest.fixture(scope="session")
def service_settings() -> Settings:
    """Settings from the environment, after checking PostgreSQL and Redis answer."""
    settings = Settings.from_env()
    problems = []
    if settings.database is None:
        problems.append("DB_HOST is not set")
    elif reason := _unreachable(settings.database.host, settings.database.port):
        problems.append(f"PostgreSQL {reason}")
    if settings.cache is None:
        problems.append("REDIS_HOST is not set")
    elif reason := _unreachable(settings.cache.host, settings.cache.port):
        problems.append(f"Redis {reason}")
    if problems:
        message = "; ".join(problems) + " (these tests need real PostgreSQL and Redis from DB_* and REDIS_*)"
        if os.environ.get(SKIP_VARIABLE) == "1":
            pytest.skip(f"{message}; skipped because {SKIP_VARIABLE}=1")
        pytest.fail(f"{message}; set {SKIP_VARIABLE}=1 to skip them instead", pytrace=False)
    assert settings.database is not None
    # A name of our own, so tests can find exactly this run's pooled connections.
    database = dataclasses.replace(
        settings.database, application_name=f"{defaults.SERVICE_NAME}-test-{uuid.uuid4().hex[:8]}"
    )
    return dataclasses.replace(settings, database=database, app_env="test", auth=api_key_auth(key_record(TEST_API_KEY)))


def key_record(
    key: str, client: str = "test", scopes: tuple[str, ...] = ("read", "write"), age_days: float = 0, days: float = 90
) -> dict[str, Any]:
    """One record of the API keys document, as the rotation tool writes it."""
    created = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=age_days)
    return {
        "id": key.split(".")[1],
        "client": client,
        "sha256": digest(key),
        "scopes": list(scopes),
        "created": created.isoformat(),
        "expires": (created + datetime.timedelta(days=days)).isoformat(),
    }


def api_key_auth(*records: dict[str, Any], mode: str = "api-keys", **changes: Any) -> AuthSettings:
    """Authentication settings holding these records, parsed as the service parses API_KEYS."""
    problems: list[str] = []
    keys = parse_api_keys(json.dumps({"keys": list(records)}), problems)
    assert problems == []
    return AuthSettings(mode=mode, api_keys=keys, **changes)


@pytest.fixture(scope="session")
def migrated(service_settings: Settings) -> None:
    """Apply the migrations exactly as the deploy does (`alembic upgrade head`)."""
    config = Config(os.path.join(APP_DIR, "alembic.ini"))
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


@pytest.fixture
def settings(service_settings: Settings, migrated: None) -> Settings:
    return service_settings


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), headers={API_KEY_HEADER: TEST_API_KEY}) as test_client:
        yield test_client


def free_port() -> int:
    """A local port nothing listens on (for dependencies that are down)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sql(settings: Settings, query: str, *args: object) -> list[asyncpg.Record]:
    """Run one statement on a connection of its own, outside the service's pool."""
    database = settings.database
    assert database is not None

    async def run() -> list[asyncpg.Record]:
        connection = await asyncpg.connect(
            host=database.host,
            port=database.port,
            user=database.user,
            password=database.password,
            database=database.name,
            ssl=database.sslmode,
        )
        try:
            return await connection.fetch(query, *args)
        finally:
            await connection.close()

    return asyncio.run(run())
