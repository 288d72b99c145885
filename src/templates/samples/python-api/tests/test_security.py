"""GIVEN any response WHEN a browser or proxy sees it THEN it carries the security headers,
CORS admits only the allowed origins, and every request leaves one JSON log line."""

from __future__ import annotations

import dataclasses
import json

import pytest
from fastapi.testclient import TestClient

from service import defaults
from service.config import Settings, SettingsError
from service.main import create_app

ALLOWED = "https://portal.example.com"
EXPECTED_HEADERS = {
    "strict-transport-security": "max-age=63072000; includeSubDomains",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


def _app(**changes: object) -> TestClient:
    return TestClient(create_app(Settings(app_env="test", allowed_origins=(ALLOWED,), **changes)))


@pytest.mark.parametrize("path", [defaults.HEALTH_CHECK_PATH, "/api/v1/measures", "/no-such-path"])
def test_every_response_carries_the_security_headers(path: str) -> None:
    with _app() as client:
        response = client.get(path)

    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get(name) == value, name


def test_keeps_a_valid_request_id_and_makes_one_otherwise() -> None:
    with _app() as client:
        given = client.get(defaults.HEALTH_CHECK_PATH, headers={"x-request-id": "req-123"})
        made = client.get(defaults.HEALTH_CHECK_PATH, headers={"x-request-id": "bad id\n"})

    assert given.headers["x-request-id"] == "req-123"
    assert len(made.headers["x-request-id"]) == 32


def test_cors_admits_an_allowed_origin() -> None:
    with _app() as client:
        response = client.options(
            "/api/v1/star-ratings",
            headers={"origin": ALLOWED, "access-control-request-method": "POST"},
        )

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert response.headers["x-frame-options"] == "DENY"


def test_fails_when_the_origin_is_not_allowed() -> None:
    with _app() as client:
        preflight = client.options(
            "/api/v1/star-ratings",
            headers={"origin": "https://evil.example.net", "access-control-request-method": "POST"},
        )
        simple = client.get(defaults.HEALTH_CHECK_PATH, headers={"origin": "https://evil.example.net"})

    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in simple.headers


def test_answers_an_unhandled_error_with_json_and_the_headers() -> None:
    app = create_app(Settings(app_env="test"))

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom", headers={"x-request-id": "req-boom"})

    assert response.status_code == 500
    assert response.json() == {"detail": "internal server error", "request_id": "req-boom"}
    assert response.headers["cache-control"] == "no-store"


def test_logs_each_request_as_one_json_line(capsys: pytest.CaptureFixture[str]) -> None:
    with _app() as client:
        client.get(defaults.HEALTH_CHECK_PATH + "?member=secret", headers={"x-request-id": "req-log"})

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    # The test client's own logger (httpx2) is not the service's.
    lines = [line for line in lines if not line["logger"].startswith("httpx")]
    request_lines = [line for line in lines if line["message"] == "request"]
    assert len(request_lines) == 1
    entry = request_lines[0]
    assert entry["level"] == "info"
    assert entry["request_id"] == "req-log"
    assert entry["method"] == "GET"
    assert entry["path"] == defaults.HEALTH_CHECK_PATH
    assert entry["status"] == 200
    assert isinstance(entry["duration_ms"], float)
    assert entry["service"] == defaults.SERVICE_NAME
    # Query strings may hold PHI: never logged.
    assert "secret" not in json.dumps(lines)


def test_fails_when_the_environment_is_invalid() -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(
            {
                "PORT": "http",
                "DB_HOST": "db",
                "DB_POOL_SIZE": "0",
                "REDIS_HOST": "r",
                "REDIS_TLS": "yes",
                "ALLOWED_ORIGINS": "*",
            }
        )

    assert str(raised.value) == (
        'invalid environment: ALLOWED_ORIGINS entry "*" must be a full origin such as https://app.example.com; '
        'DB_POOL_SIZE "0" must be a whole number >= 1; DB_USER must be set when DB_HOST is set; '
        'REDIS_TLS "yes" must be one of true, false; PORT "http" must be a whole number >= 1'
    )


def test_reads_the_runtime_contract() -> None:
    settings = Settings.from_env(
        {
            "PORT": "9000",
            "APP_ENV": "production",
            "LOG_LEVEL": "WARNING",
            "ALLOWED_ORIGINS": f"{ALLOWED}, ",
            "DB_HOST": "db",
            "DB_PORT": "5433",
            "DB_NAME": "hedis",
            "DB_USER": "svc",
            "DB_PASSWORD": "pw",
            "DB_SSLMODE": "require",
            "DB_POOL_SIZE": "7",
            "REDIS_HOST": "cache",
            "REDIS_PORT": "6380",
            "REDIS_PASSWORD": "token",
            "REDIS_TLS": "true",
            "WEB_CONCURRENCY": "3",
        }
    )

    assert (settings.port, settings.app_env, settings.log_level, settings.web_concurrency) == (
        9000,
        "production",
        "warning",
        3,
    )
    assert settings.allowed_origins == (ALLOWED,)
    assert settings.database is not None and settings.cache is not None
    assert dataclasses.astuple(settings.database)[:7] == ("db", 5433, "hedis", "svc", "pw", "require", 7)
    assert dataclasses.astuple(settings.cache) == ("cache", 6380, "token", True)
