"""GIVEN the service with JWT and API key authentication WHEN callers present no, bad or
insufficient credentials THEN they get 401 or 403 before any data; valid callers get through,
and the log names them without ever holding the token or key.

Tokens are signed with key pairs made here and verified through a JWKS served on 127.0.0.1
(tests/issuer.py), as the service verifies a real issuer's tokens.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import secrets
import time
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from service import auth, defaults
from service.apikeys import ToolError, issue, retire
from service.config import Settings, SettingsError
from service.main import create_app

from .conftest import API_KEY_HEADER, api_key_auth, key_record
from .issuer import LocalIssuer

AUDIENCE = "api://test-service"
READ_KEY = f"hsk.reader.{secrets.token_urlsafe(32)}"


@pytest.fixture(scope="module")
def issuer() -> Iterator[LocalIssuer]:
    with LocalIssuer() as local:
        local.add_key()
        yield local


@pytest.fixture
def jwt_settings(settings: Settings, issuer: LocalIssuer) -> Settings:
    auth_settings = api_key_auth(
        key_record(READ_KEY, client="reader", scopes=("read",)),
        mode="jwt-and-api-keys",
        jwt_issuer=issuer.url,
        jwt_audience=AUDIENCE,
    )
    return dataclasses.replace(settings, auth=auth_settings, log_level="info")


@pytest.fixture
def anonymous(jwt_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(jwt_settings)) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def _log_lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]


def test_a_valid_token_with_the_read_scope_reads(anonymous: TestClient, issuer: LocalIssuer) -> None:
    response = anonymous.get("/api/v1/measures", headers=bearer(issuer.token(AUDIENCE, "api:read")))

    assert response.status_code == 200
    assert len(response.json()["items"]) >= 10


def test_groups_and_scp_claims_grant_scopes_too(anonymous: TestClient, issuer: LocalIssuer) -> None:
    by_group = issuer.token(AUDIENCE, groups=["api:read"])
    by_scp = issuer.token(AUDIENCE, scp=["api:read", "api:write"])

    assert anonymous.get("/api/v1/measures", headers=bearer(by_group)).status_code == 200
    assert anonymous.post("/api/v1/star-ratings", headers=bearer(by_scp), json=RATING).status_code == 200


RATING = {"contract_id": "H1234", "measures": [{"code": "BCS", "stars": 4}]}


def test_fails_when_no_credential_is_given(anonymous: TestClient) -> None:
    response = anonymous.get("/api/v1/measures")

    assert response.status_code == 401
    assert response.json() == {"detail": "a valid credential is required"}
    assert response.headers["www-authenticate"] == (
        f'Bearer realm="{defaults.SERVICE_NAME}", ApiKey realm="{defaults.SERVICE_NAME}"'
    )


def _wrong_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("malformed", "malformed token"),
        ("not bearer", "authorization header is not a bearer token"),
        ("expired", "token expired"),
        ("not yet valid", "token not yet valid"),
        ("wrong issuer", "wrong issuer"),
        ("wrong audience", "wrong audience"),
        ("unknown key", "unknown signing key"),
        ("tampered", "bad signature"),
        ("signed by another key", "bad signature"),
        ("alg none", "token algorithm 'none' is not accepted"),
    ],
)
def test_fails_with_a_bad_token(
    case: str, reason: str, anonymous: TestClient, issuer: LocalIssuer, capsys: pytest.CaptureFixture[str]
) -> None:
    good = issuer.token(AUDIENCE, "api:read")
    header, payload, signature = good.split(".")
    tokens = {
        "malformed": "not.a-token",
        "expired": issuer.token(AUDIENCE, "api:read", lifetime=-120),
        "not yet valid": issuer.token(AUDIENCE, "api:read", not_before=600),
        "wrong issuer": issuer.token(AUDIENCE, "api:read", issuer="https://evil.example.net"),
        "wrong audience": issuer.token("api://another-service", "api:read"),
        "unknown key": issuer.token(AUDIENCE, "api:read", kid="no-such-key", key=_wrong_key()),
        # The payload of another token (other claims) under this token's signature.
        "tampered": f"{header}.{issuer.token(AUDIENCE, 'api:read api:write').split('.')[1]}.{signature}",
        "signed by another key": issuer.token(AUDIENCE, "api:read", key=_wrong_key()),
        "alg none": f"{_b64(json.dumps({'alg': 'none', 'kid': 'x'}))}.{payload}.",
    }
    headers = {"authorization": f"Basic {good}"} if case == "not bearer" else bearer(tokens[case])

    response = anonymous.get("/api/v1/measures", headers={**headers, "x-request-id": f"req-{case.replace(' ', '-')}"})

    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    lines = _log_lines(capsys)
    failure = [line for line in lines if line["message"] == "authentication failed"]
    assert [(f["reason"], f["request_id"]) for f in failure] == [(reason, f"req-{case.replace(' ', '-')}")]
    # Never the token, nor any part of it.
    for part in headers["authorization"].split(" ")[1].split("."):
        if len(part) > 8:
            assert part not in json.dumps(lines)


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def test_fails_with_403_when_the_scope_is_too_narrow(
    anonymous: TestClient, issuer: LocalIssuer, capsys: pytest.CaptureFixture[str]
) -> None:
    reader = issuer.token(AUDIENCE, "api:read", subject="reader-1")

    response = anonymous.post("/api/v1/star-ratings", headers=bearer(reader), json=RATING)

    assert response.status_code == 403
    assert response.json() == {"detail": "the caller lacks the write permission"}
    assert 'error="insufficient_scope", scope="api:write"' in response.headers["www-authenticate"]
    lines = _log_lines(capsys)
    assert [line["reason"] for line in lines if line["message"] == "access denied"] == ["lacks the write permission"]
    assert [line["caller"] for line in lines if line["message"] == "request"] == ["jwt:reader-1"]


def test_a_token_without_scopes_reads_nothing(anonymous: TestClient, issuer: LocalIssuer) -> None:
    assert anonymous.get("/api/v1/measures", headers=bearer(issuer.token(AUDIENCE))).status_code == 403


def test_refetches_the_jwks_when_the_issuer_rotates_its_key(anonymous: TestClient, issuer: LocalIssuer) -> None:
    def get(kid: str | None = None) -> int:
        token = issuer.token(AUDIENCE, "api:read", kid=kid)
        return anonymous.get("/api/v1/measures", headers=bearer(token)).status_code

    assert get() == 200
    fetched = issuer.jwks_requests
    new_kid = issuer.add_key()
    # An unknown key id refetches at most every 30 s: move the cache's clock past that.
    jwks = anonymous.app.state.authenticator.jwks
    jwks.clock = lambda: time.monotonic() + auth.JWKS_MIN_REFRESH_SECONDS + 1

    first, again = get(new_kid), get(new_kid)
    assert (first, again) == (200, 200)
    # Fetched once for the unknown key id, then served from the cache.
    assert issuer.jwks_requests == fetched + 1

    # A second new key within 30 s of that fetch is not fetched (random key ids cannot make
    # the service hammer the issuer): refused until the cooldown has passed.
    newer_kid = issuer.add_key()
    assert get(newer_kid) == 401
    assert issuer.jwks_requests == fetched + 1
    issuer.remove_key(new_kid)
    issuer.remove_key(newer_kid)


def test_access_log_names_the_caller_never_the_key(
    client: TestClient, anonymous: TestClient, issuer: LocalIssuer, capsys: pytest.CaptureFixture[str]
) -> None:
    anonymous.get("/api/v1/measures", headers={API_KEY_HEADER: READ_KEY})
    anonymous.get("/api/v1/measures", headers=bearer(issuer.token(AUDIENCE, "api:read", subject="svc-42")))
    anonymous.get("/api/v1/measures")
    anonymous.get(defaults.HEALTH_CHECK_PATH)

    lines = _log_lines(capsys)
    callers = [(line["path"], line["status"], line["caller"]) for line in lines if line["message"] == "request"]
    assert callers == [
        ("/api/v1/measures", 200, "apikey:reader"),
        ("/api/v1/measures", 200, "jwt:svc-42"),
        ("/api/v1/measures", 401, "anonymous"),
        (defaults.HEALTH_CHECK_PATH, 200, "anonymous"),
    ]
    assert READ_KEY.split(".")[2] not in json.dumps(lines)


def test_health_answers_without_a_credential_and_reveals_no_data(anonymous: TestClient) -> None:
    response = anonymous.get(defaults.HEALTH_CHECK_PATH)

    assert response.status_code == 200
    assert set(response.json()) == {"status", "checks"}
    assert set(response.json()["checks"]) == {"database", "cache"}
    assert set(response.json()["checks"]["database"]) <= {"status", "latency_ms", "error"}


# API keys and their rotation


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("not-a-key", "malformed API key"),
        (f"hsk.reader.{secrets.token_urlsafe(32)}", "unknown API key"),
        (f"hsk.nobody.{secrets.token_urlsafe(32)}", "unknown API key"),
    ],
    ids=["malformed", "wrong secret", "unknown id"],
)
def test_fails_with_a_bad_api_key(
    key: str, reason: str, anonymous: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    response = anonymous.get("/api/v1/measures", headers={API_KEY_HEADER: key})

    assert response.status_code == 401
    lines = _log_lines(capsys)
    assert [line["reason"] for line in lines if line["message"] == "authentication failed"] == [reason]
    assert key not in json.dumps(lines)


def test_a_read_only_api_key_cannot_write(anonymous: TestClient) -> None:
    assert anonymous.get("/api/v1/measures", headers={API_KEY_HEADER: READ_KEY}).status_code == 200
    assert anonymous.post("/api/v1/star-ratings", headers={API_KEY_HEADER: READ_KEY}, json=RATING).status_code == 403


def _app_with_keys(settings: Settings, document: str) -> TestClient:
    env = {"AUTH_MODE": "api-keys", "API_KEYS": document, "API_KEY_MAX_AGE_DAYS": "90"}
    return TestClient(create_app(dataclasses.replace(settings, auth=auth.parse_auth(env, "test", []))))


def test_rotation_keeps_old_and_new_key_valid_then_refuses_the_retired_one(settings: Settings) -> None:
    # GIVEN a client with one key, issued with the rotation tool
    document, old_key = issue("", "billing", ["read"], days=90)
    with _app_with_keys(settings, document) as before:
        assert before.get("/api/v1/measures", headers={API_KEY_HEADER: old_key}).status_code == 200

    # WHEN a second key is issued: both are valid during the overlap
    rotated, new_key = issue(document, "billing", ["read"], days=90)
    with _app_with_keys(settings, rotated) as during:
        assert during.get("/api/v1/measures", headers={API_KEY_HEADER: old_key}).status_code == 200
        assert during.get("/api/v1/measures", headers={API_KEY_HEADER: new_key}).status_code == 200

    # THEN once the old key is retired it is refused, and the new one still works
    old_id = old_key.split(".")[1]
    with _app_with_keys(settings, retire(rotated, old_id)) as after:
        assert after.get("/api/v1/measures", headers={API_KEY_HEADER: old_key}).status_code == 401
        assert after.get("/api/v1/measures", headers={API_KEY_HEADER: new_key}).status_code == 200

    # The document holds digests only.
    assert old_key not in rotated and new_key not in rotated and old_key.split(".")[2] not in rotated


def test_fails_to_issue_a_third_valid_key_for_one_client() -> None:
    document, _ = issue("", "billing", ["read"], days=90, key_id="billing-1")
    document, _ = issue(document, "billing", ["read"], days=90, key_id="billing-2")

    with pytest.raises(ToolError, match=r'client "billing" already has two valid keys \(billing-1, billing-2\)'):
        issue(document, "billing", ["read"], days=90)


def test_refuses_a_key_older_than_the_rotation_schedule(settings: Settings) -> None:
    stale = f"hsk.stale.{secrets.token_urlsafe(32)}"
    # The record claims 400 days of validity, but the schedule allows 90.
    auth_settings = api_key_auth(key_record(stale, age_days=91, days=400), api_key_max_age_days=90)

    with TestClient(create_app(dataclasses.replace(settings, auth=auth_settings))) as client:
        response = client.get("/api/v1/measures", headers={API_KEY_HEADER: stale})

    assert response.status_code == 401


def test_fails_to_start_with_three_valid_keys_of_one_client() -> None:
    records = [key_record(f"hsk.k{i}.{secrets.token_urlsafe(32)}", client="billing") for i in range(3)]
    env = {"AUTH_MODE": "api-keys", "API_KEYS": json.dumps({"keys": records})}

    with pytest.raises(SettingsError, match='API_KEYS holds 3 unexpired keys of client "billing"; at most two'):
        Settings.from_env(env)


def test_fails_to_start_with_an_http_issuer_in_production() -> None:
    env = {
        "APP_ENV": "production",
        "AUTH_MODE": "jwt",
        "AUTH_JWT_ISSUER": "http://127.0.0.1:9400",
        "AUTH_JWT_AUDIENCE": "a",
    }

    with pytest.raises(SettingsError, match='AUTH_JWT_ISSUER "http://127.0.0.1:9400" must be the https URL'):
        Settings.from_env(env)


def test_an_unset_auth_mode_fails_closed(settings: Settings) -> None:
    closed = Settings.from_env({"APP_ENV": "test"})
    assert closed.auth.mode == "api-keys" and closed.auth.api_keys == ()
    with TestClient(create_app(dataclasses.replace(settings, auth=closed.auth))) as client:
        assert client.get("/api/v1/measures").status_code == 401


def test_mode_none_lets_anyone_in_only_when_chosen(settings: Settings) -> None:
    open_settings = dataclasses.replace(settings, auth=auth.parse_auth({"AUTH_MODE": "none"}, "test", []))
    with TestClient(create_app(open_settings)) as client:
        assert client.get("/api/v1/measures").status_code == 200


# Route inventory: a new route without an authorization dependency fails here.

PUBLIC_PATHS = {defaults.HEALTH_CHECK_PATH, "/openapi.json"}


def _api_routes(routes: list[Any]) -> list[APIRoute]:
    """Every APIRoute, also those of included routers (which FastAPI wraps)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(_api_routes(route.original_router.routes))
    return found


def _example_path(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "BCS", path)


def test_every_route_but_health_requires_a_caller(anonymous: TestClient) -> None:
    routes = _api_routes(anonymous.app.routes)
    assert len(routes) >= 4
    unprotected = []
    for route in routes:
        if route.path in PUBLIC_PATHS:
            continue
        dependencies = {d.call for d in route.dependant.dependencies}
        permission = "read" if route.methods <= {"GET", "HEAD"} else "write"
        expected = auth.require_read if permission == "read" else auth.require_write
        for method in route.methods:
            status = anonymous.request(method, _example_path(route.path)).status_code
            if expected not in dependencies or status != 401:
                unprotected.append((method, route.path, status))
    assert unprotected == []


def test_the_inventory_catches_a_route_added_without_protection(jwt_settings: Settings) -> None:
    app = create_app(jwt_settings)

    @app.get("/api/v1/members")
    async def members() -> list[str]:
        return []

    with TestClient(app) as client:
        with pytest.raises(AssertionError):
            test_every_route_but_health_requires_a_caller(client)
