"""Who is calling: JWT access tokens from an OIDC issuer and API keys for machine clients.

Every route except the health path depends on `READ` or `WRITE` (a test lists the routes and
fails on one without). A caller without a valid credential gets 401, one without the needed
permission 403. Failures are logged with their reason and the request id, never with the
token or the key; the request log line names the caller (`jwt:<subject>`, `apikey:<key id>`).
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime
import hashlib
import hmac
import json
import logging
import re
import time
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jwt
from fastapi import Depends, HTTPException, Request

from . import defaults

logger = logging.getLogger("service.auth")

MODES = ("api-keys", "jwt", "jwt-and-api-keys", "none")
API_KEY_HEADER = "x-api-key"
PERMISSIONS = ("read", "write")
# Asymmetric algorithms only: never "none", never HMAC with a public key as the secret.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "ES256", "ES384")
CLOCK_SKEW_SECONDS = 60
JWKS_MAX_AGE_SECONDS = 3600
# A token naming an unknown key id refetches the JWKS, but not more often than this: random
# key ids must not turn the service into a load generator against the issuer.
JWKS_MIN_REFRESH_SECONDS = 30
FETCH_TIMEOUT_SECONDS = 3
KEY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
KEY_SECRET = re.compile(r"^[A-Za-z0-9_-]{32,128}$")
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
# Compared against when the key id is unknown, so both paths cost one constant-time compare.
_NO_DIGEST = "0" * 64

# The caller of the current request, filled in by `authorize` and read by the request log.
caller_var: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("caller", default=None)


@dataclass(frozen=True)
class ApiKey:
    """One record of the API keys document: a digest, never the key."""

    id: str
    client: str
    sha256: str
    scopes: frozenset[str]
    created: datetime.datetime
    expires: datetime.datetime

    def valid_until(self, max_age_days: int) -> datetime.datetime:
        return min(self.expires, self.created + datetime.timedelta(days=max_age_days))


@dataclass(frozen=True)
class AuthSettings:
    """Unset AUTH_MODE means API keys with none issued: every API route answers 401."""

    mode: str = "api-keys"
    jwt_issuer: str = ""
    jwt_audience: str = ""
    read_scope: str = "api:read"
    write_scope: str = "api:write"
    api_keys: tuple[ApiKey, ...] = ()
    api_key_max_age_days: int = 90

    @property
    def uses_jwt(self) -> bool:
        return self.mode in ("jwt", "jwt-and-api-keys")

    @property
    def uses_api_keys(self) -> bool:
        return self.mode in ("api-keys", "jwt-and-api-keys")


def _timestamp(value: object, where: str, problems: list[str]) -> datetime.datetime:
    try:
        parsed = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        problems.append(f'{where} "{value}" must be an ISO 8601 time with a zone, such as 2026-12-01T00:00:00Z')
        return datetime.datetime.fromtimestamp(0, datetime.UTC)
    return parsed


def parse_api_keys(raw: str, problems: list[str], now: datetime.datetime | None = None) -> tuple[ApiKey, ...]:
    """The records of the API keys document (`{"keys": [...]}`), problems appended by name."""
    if raw.strip() == "":
        return ()
    try:
        document = json.loads(raw)
    except ValueError:
        problems.append('API_KEYS must be a JSON document {"keys": [...]} (it is not JSON)')
        return ()
    records = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(records, list):
        problems.append('API_KEYS must be a JSON document {"keys": [...]}')
        return ()
    keys: list[ApiKey] = []
    for index, record in enumerate(records):
        where = f"API_KEYS keys[{index}]"
        if not isinstance(record, dict):
            problems.append(f"{where} must be an object")
            continue
        key_id, client, digest = record.get("id"), record.get("client"), record.get("sha256")
        scopes = record.get("scopes")
        if not (isinstance(key_id, str) and KEY_ID.match(key_id)):
            problems.append(f'{where}.id "{key_id}" must be 1-63 lowercase letters, digits or hyphens')
        if not (isinstance(client, str) and client):
            problems.append(f"{where}.client must name the client")
        if not (isinstance(digest, str) and SHA256_HEX.match(digest)):
            problems.append(f"{where}.sha256 must be 64 lowercase hex digits (the key's SHA-256 digest)")
        if not (isinstance(scopes, list) and scopes and all(s in PERMISSIONS for s in scopes)):
            problems.append(f"{where}.scopes must list one or both of read, write")
            scopes = []
        keys.append(
            ApiKey(
                id=str(key_id),
                client=str(client),
                sha256=str(digest),
                scopes=frozenset(scopes),
                created=_timestamp(record.get("created"), f"{where}.created", problems),
                expires=_timestamp(record.get("expires"), f"{where}.expires", problems),
            )
        )
    ids = [k.id for k in keys]
    for repeated in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f'API_KEYS key id "{repeated}" appears more than once')
    now = now or datetime.datetime.now(datetime.UTC)
    for client in sorted({k.client for k in keys}):
        valid = [k for k in keys if k.client == client and k.expires > now]
        if len(valid) > 2:
            problems.append(
                f'API_KEYS holds {len(valid)} unexpired keys of client "{client}"; at most two may be valid at '
                "once (the old and the new during a rotation): retire the oldest"
            )
    return tuple(keys)


def parse_auth(env: Mapping[str, str], app_env: str, problems: list[str]) -> AuthSettings:
    """AUTH_* and API_KEY* variables; problems are appended, named as the variables."""
    mode = (env.get("AUTH_MODE") or "api-keys").strip().lower()
    if mode not in MODES:
        problems.append(f'AUTH_MODE "{mode}" must be one of {", ".join(MODES)}')
        mode = "api-keys"
    settings = AuthSettings(mode=mode)
    if settings.uses_jwt:
        issuer = env.get("AUTH_JWT_ISSUER", "").strip()
        audience = env.get("AUTH_JWT_AUDIENCE", "").strip()
        # Plain http only for an issuer on this machine, in local runs and tests.
        local = app_env in ("local", "test") and re.match(
            r"^http://(127\.0\.0\.1|localhost|host\.docker\.internal)(:\d+)?(/|$)", issuer
        )
        if not (issuer.startswith("https://") or local):
            problems.append(f'AUTH_JWT_ISSUER "{issuer}" must be the https URL of the OIDC issuer')
        if not audience:
            problems.append(f'AUTH_JWT_AUDIENCE must be set when AUTH_MODE is "{mode}"')
        settings = AuthSettings(
            mode=mode,
            jwt_issuer=issuer.rstrip("/"),
            jwt_audience=audience,
            read_scope=env.get("AUTH_READ_SCOPE") or "api:read",
            write_scope=env.get("AUTH_WRITE_SCOPE") or "api:write",
        )
    if settings.uses_api_keys:
        raw_age = env.get("API_KEY_MAX_AGE_DAYS", "").strip() or "90"
        age = int(raw_age) if raw_age.isdigit() else 0
        if age < 1:
            problems.append(f'API_KEY_MAX_AGE_DAYS "{raw_age}" must be a whole number >= 1')
            age = 90
        settings = AuthSettings(
            mode=settings.mode,
            jwt_issuer=settings.jwt_issuer,
            jwt_audience=settings.jwt_audience,
            read_scope=settings.read_scope,
            write_scope=settings.write_scope,
            api_keys=parse_api_keys(env.get("API_KEYS", ""), problems),
            api_key_max_age_days=age,
        )
    return settings


def digest(key: str) -> str:
    """What the API keys document stores for a key."""
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class Caller:
    identity: str
    permissions: frozenset[str]


class AuthFailure(Exception):
    """A request without a valid caller: 401 with the reason logged (never sent in detail)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AuthUnavailable(Exception):
    """The issuer's keys cannot be read: 503, the request may be retried."""


def _fetch_json(url: str) -> Any:
    request = urllib.request.Request(url, headers={"accept": "application/json"})  # noqa: S310 - https (or local test) URL from settings
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
        return json.loads(response.read())


@dataclass
class Jwks:
    """The issuer's signing keys by key id: read through OIDC discovery, kept for an hour,
    refetched when a token names a key id not seen yet (the issuer rotated its keys)."""

    issuer: str
    fetch: Callable[[str], Any] = _fetch_json
    clock: Callable[[], float] = time.monotonic
    _keys: dict[str, jwt.PyJWK] = field(default_factory=dict)
    _fetched_at: float = -1e9
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def key(self, kid: str) -> jwt.PyJWK:
        now = self.clock()
        stale = now - self._fetched_at >= JWKS_MAX_AGE_SECONDS
        unknown = kid not in self._keys and now - self._fetched_at >= JWKS_MIN_REFRESH_SECONDS
        if stale or unknown:
            async with self._lock:
                if self.clock() - self._fetched_at >= JWKS_MIN_REFRESH_SECONDS:
                    await self._refresh()
        if kid not in self._keys:
            raise AuthFailure("unknown signing key")
        return self._keys[kid]

    async def _refresh(self) -> None:
        try:
            discovery = await asyncio.to_thread(self.fetch, f"{self.issuer}/.well-known/openid-configuration")
            if discovery.get("issuer", "").rstrip("/") != self.issuer:
                raise ValueError("the discovery document names another issuer")
            document = await asyncio.to_thread(self.fetch, discovery["jwks_uri"])
            keys = jwt.PyJWKSet.from_dict(document).keys
        except Exception as error:  # noqa: BLE001 - any failure: keep the keys we have, if any
            logger.error("issuer keys unavailable", extra={"error": type(error).__name__})
            if not self._keys:
                raise AuthUnavailable() from error
            self._fetched_at = self.clock() - JWKS_MAX_AGE_SECONDS + JWKS_MIN_REFRESH_SECONDS
            return
        self._keys = {k.key_id: k for k in keys if k.key_id}
        self._fetched_at = self.clock()


def _granted(claims: Mapping[str, Any]) -> set[str]:
    granted: set[str] = set()
    for name in ("scope", "scp", "groups", "roles"):
        value = claims.get(name)
        if isinstance(value, str):
            granted.update(value.split())
        elif isinstance(value, list):
            granted.update(v for v in value if isinstance(v, str))
    return granted


class Authenticator:
    def __init__(self, settings: AuthSettings, jwks: Jwks | None = None) -> None:
        self.settings = settings
        self._keys = {k.id: k for k in settings.api_keys}
        self.jwks = jwks or (Jwks(settings.jwt_issuer) if settings.uses_jwt else None)

    async def authenticate(self, headers: Mapping[str, str]) -> Caller:
        authorization = headers.get("authorization", "")
        api_key = headers.get(API_KEY_HEADER, "")
        if self.settings.uses_jwt and authorization:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise AuthFailure("authorization header is not a bearer token")
            return await self._jwt(token.strip())
        if self.settings.uses_api_keys and api_key:
            return self._api_key(api_key)
        raise AuthFailure("no credential")

    async def _jwt(self, token: str) -> Caller:
        s = self.settings
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError as error:
            raise AuthFailure("malformed token") from error
        if header.get("alg") not in ALGORITHMS:
            raise AuthFailure(f"token algorithm {header.get('alg')!r} is not accepted")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise AuthFailure("token names no signing key")
        if self.jwks is None:  # only JWT modes reach here
            raise AuthFailure("tokens are not accepted")
        key = await self.jwks.key(kid)
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[header["alg"]],
                audience=s.jwt_audience,
                issuer=s.jwt_issuer,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise AuthFailure("token expired") from error
        except jwt.ImmatureSignatureError as error:
            raise AuthFailure("token not yet valid") from error
        except jwt.InvalidAudienceError as error:
            raise AuthFailure("wrong audience") from error
        except jwt.InvalidIssuerError as error:
            raise AuthFailure("wrong issuer") from error
        except jwt.InvalidSignatureError as error:
            raise AuthFailure("bad signature") from error
        except jwt.MissingRequiredClaimError as error:
            raise AuthFailure(f"token lacks the {error.claim} claim") from error
        except jwt.PyJWTError as error:
            raise AuthFailure(f"invalid token ({type(error).__name__})") from error
        granted = _granted(claims)
        permissions = {p for p, scope in (("read", s.read_scope), ("write", s.write_scope)) if scope in granted}
        return Caller(identity=f"jwt:{claims['sub']}", permissions=frozenset(permissions))

    def _api_key(self, key: str) -> Caller:
        parts = key.split(".")
        if len(parts) != 3 or parts[0] != "hsk" or not KEY_ID.match(parts[1]) or not KEY_SECRET.match(parts[2]):
            raise AuthFailure("malformed API key")
        record = self._keys.get(parts[1])
        matches = hmac.compare_digest(digest(key), record.sha256 if record else _NO_DIGEST)
        if record is None or not matches:
            raise AuthFailure("unknown API key")
        if datetime.datetime.now(datetime.UTC) >= record.valid_until(self.settings.api_key_max_age_days):
            raise AuthFailure(f"API key {record.id} expired")
        return Caller(identity=f"apikey:{record.id}", permissions=record.scopes)


def _challenge(settings: AuthSettings, error: str | None = None, scope: str | None = None) -> str:
    schemes = []
    params = f'realm="{defaults.SERVICE_NAME}"'
    if error:
        params += f', error="{error}"'
    if scope:
        params += f', scope="{scope}"'
    if settings.uses_jwt:
        schemes.append(f"Bearer {params}")
    if settings.uses_api_keys:
        schemes.append(f"ApiKey {params}")
    return ", ".join(schemes)


def _require(permission: str) -> Callable[[Request], Any]:
    async def authorize(request: Request) -> Caller | None:
        authenticator: Authenticator | None = request.app.state.authenticator
        if authenticator is None:  # AUTH_MODE=none, chosen explicitly
            return None
        settings = authenticator.settings
        try:
            caller = await authenticator.authenticate(request.headers)
        except AuthFailure as failure:
            where = {"method": request.method, "path": request.url.path}
            logger.warning("authentication failed", extra={"reason": failure.reason, **where})
            error = None if failure.reason == "no credential" else "invalid_token"
            raise HTTPException(
                status_code=401,
                detail="a valid credential is required",
                headers={"www-authenticate": _challenge(settings, error)},
            ) from None
        except AuthUnavailable:
            raise HTTPException(
                status_code=503, detail="authentication is unavailable; retry later", headers={"retry-after": "5"}
            ) from None
        box = caller_var.get()
        if box is not None:
            box["caller"] = caller.identity
        if permission not in caller.permissions:
            where = {"method": request.method, "path": request.url.path}
            logger.warning("access denied", extra={"reason": f"lacks the {permission} permission", **where})
            scope = settings.read_scope if permission == "read" else settings.write_scope
            raise HTTPException(
                status_code=403,
                detail=f"the caller lacks the {permission} permission",
                headers={"www-authenticate": _challenge(settings, "insufficient_scope", scope)},
            )
        return caller

    authorize.permission = permission  # type: ignore[attr-defined] - read by the route inventory test
    return authorize


require_read = _require("read")
require_write = _require("write")
#: Route dependencies: `@router.get(..., dependencies=[READ])`, `@router.post(..., dependencies=[WRITE])`.
READ = Depends(require_read)
WRITE = Depends(require_write)
AUTH_DEPENDENCIES: Iterable[Callable[..., Any]] = (require_read, require_write)


def create_authenticator(settings: AuthSettings) -> Authenticator | None:
    return None if settings.mode == "none" else Authenticator(settings)
