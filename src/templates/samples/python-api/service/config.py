"""Settings read once from the environment (the runtime contract of the generated repo).

Only the variables below are read. Database and cache are optional: leave DB_HOST or
REDIS_HOST unset and that part is reported as "disabled" by the health check.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from . import defaults
from .auth import AuthSettings, parse_auth

LOG_LEVELS = ("debug", "info", "warning", "error")
APP_ENVS = ("local", "test", "staging", "production")


class SettingsError(ValueError):
    """Raised with every invalid variable listed, so one deploy shows all problems."""


@dataclass(frozen=True)
class DatabaseSettings:
    host: str
    port: int
    name: str
    user: str
    password: str
    sslmode: str
    pool_size: int
    # Shown in pg_stat_activity; tests use it to find the pool's own connections.
    application_name: str = defaults.SERVICE_NAME
    # CA bundle the server certificate must chain to (verify-ca, verify-full); None: the
    # system store. The image carries the RDS CAs and the task definition points here.
    sslrootcert: str | None = None


@dataclass(frozen=True)
class CacheSettings:
    host: str
    port: int
    password: str | None
    tls: bool


@dataclass(frozen=True)
class Settings:
    port: int = defaults.DEFAULT_PORT
    app_env: str = "local"
    log_level: str = "info"
    allowed_origins: tuple[str, ...] = ()
    web_concurrency: int = 2
    database: DatabaseSettings | None = None
    cache: CacheSettings | None = None
    auth: AuthSettings = AuthSettings()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        problems: list[str] = []

        def integer(name: str, default: int, minimum: int = 1) -> int:
            raw = env.get(name, "").strip()
            if raw == "":
                return default
            try:
                value = int(raw)
            except ValueError:
                value = minimum - 1
            if value < minimum:
                problems.append(f'{name} "{raw}" must be a whole number >= {minimum}')
                return default
            return value

        def choice(name: str, default: str, allowed: tuple[str, ...]) -> str:
            value = env.get(name, "").strip().lower() or default
            if value not in allowed:
                problems.append(f'{name} "{value}" must be one of {", ".join(allowed)}')
                return default
            return value

        origins_raw = env.get("ALLOWED_ORIGINS", defaults.DEFAULT_ALLOWED_ORIGINS)
        origins = tuple(o.strip() for o in origins_raw.split(",") if o.strip())
        for origin in origins:
            if origin == "*" or not origin.startswith(("https://", "http://")):
                problems.append(
                    f'ALLOWED_ORIGINS entry "{origin}" must be a full origin such as https://app.example.com'
                )

        database = None
        if env.get("DB_HOST"):
            database = DatabaseSettings(
                host=env["DB_HOST"],
                port=integer("DB_PORT", 5432),
                name=env.get("DB_NAME") or defaults.DEFAULT_DATABASE_NAME,
                user=env.get("DB_USER", ""),
                password=env.get("DB_PASSWORD", ""),
                sslmode=choice(
                    "DB_SSLMODE",
                    "prefer",
                    ("disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
                ),
                pool_size=integer("DB_POOL_SIZE", 5),
                sslrootcert=env.get("DB_SSLROOTCERT") or None,
            )
            if not database.user:
                problems.append("DB_USER must be set when DB_HOST is set")
            if database.sslrootcert and not os.path.isfile(database.sslrootcert):
                problems.append(f"DB_SSLROOTCERT {database.sslrootcert!r} is not a file: point it at the CA bundle")

        cache = None
        if env.get("REDIS_HOST"):
            tls = choice("REDIS_TLS", "false", ("true", "false")) == "true"
            cache = CacheSettings(
                host=env["REDIS_HOST"],
                port=integer("REDIS_PORT", 6379),
                password=env.get("REDIS_PASSWORD") or None,
                tls=tls,
            )

        app_env = choice("APP_ENV", "local", APP_ENVS)
        settings = cls(
            port=integer("PORT", defaults.DEFAULT_PORT),
            app_env=app_env,
            log_level=choice("LOG_LEVEL", "info", LOG_LEVELS),
            allowed_origins=origins,
            web_concurrency=integer("WEB_CONCURRENCY", 2),
            database=database,
            cache=cache,
            auth=parse_auth(env, app_env, problems),
        )
        if problems:
            raise SettingsError("invalid environment: " + "; ".join(problems))
        return settings
