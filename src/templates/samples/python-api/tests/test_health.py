"""GIVEN the service WHEN its dependencies are up, down or absent THEN /health says which."""

from __future__ import annotations

import dataclasses

from fastapi.testclient import TestClient

from service import defaults
from service.config import Settings
from service.main import create_app

from .conftest import API_KEY_HEADER, TEST_API_KEY, free_port


def test_health_reports_database_and_cache_ok(client: TestClient) -> None:
    response = client.get(defaults.HEALTH_CHECK_PATH)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    for part in ("database", "cache"):
        assert body["checks"][part]["status"] == "ok"
        assert isinstance(body["checks"][part]["latency_ms"], float)


def test_concurrent_health_requests_share_one_check(client: TestClient) -> None:
    first = client.get(defaults.HEALTH_CHECK_PATH).json()
    second = client.get(defaults.HEALTH_CHECK_PATH).json()

    # Within a second the same measurement is served again, latencies included.
    assert second == first


def test_fails_when_postgresql_is_unreachable(settings: Settings) -> None:
    assert settings.database is not None
    down = dataclasses.replace(settings, database=dataclasses.replace(settings.database, port=free_port()))

    with TestClient(create_app(down)) as client:
        response = client.get(defaults.HEALTH_CHECK_PATH)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["failing"] == ["database"]
    assert body["checks"]["database"]["status"] == "error"
    assert body["checks"]["cache"]["status"] == "ok"


def test_answers_503_with_retry_after_when_postgresql_is_unreachable(settings: Settings) -> None:
    assert settings.database is not None
    down = dataclasses.replace(settings, database=dataclasses.replace(settings.database, port=free_port()))

    with TestClient(create_app(down), headers={API_KEY_HEADER: TEST_API_KEY}) as client:
        response = client.get("/api/v1/measures")

    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json() == {"detail": "the database is unavailable; retry later"}


def test_fails_when_redis_is_unreachable(settings: Settings) -> None:
    assert settings.cache is not None
    down = dataclasses.replace(settings, cache=dataclasses.replace(settings.cache, port=free_port()))

    with TestClient(create_app(down)) as client:
        response = client.get(defaults.HEALTH_CHECK_PATH)

    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]
    assert response.json()["checks"]["database"]["status"] == "ok"


def test_fails_when_the_redis_password_is_wrong(settings: Settings) -> None:
    assert settings.cache is not None
    wrong = dataclasses.replace(settings, cache=dataclasses.replace(settings.cache, password="not-the-password"))

    with TestClient(create_app(wrong)) as client:
        response = client.get(defaults.HEALTH_CHECK_PATH)

    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]


def test_health_reports_parts_that_are_not_configured_as_disabled() -> None:
    with TestClient(create_app(Settings(app_env="test"))) as client:
        response = client.get(defaults.HEALTH_CHECK_PATH)

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": {"status": "disabled"}, "cache": {"status": "disabled"}},
    }
