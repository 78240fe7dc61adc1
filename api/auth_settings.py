"""Settings of sign-in, the application's database role and rate limits (``SIA_`` prefix).

A mixin of :class:`api.settings.Settings`, kept in its own module so the sign-in work does not
touch the general settings; every field is read from the environment like the others.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class AuthSettings(BaseSettings):
    """Sign-in, sessions, the app role's URL and rate limits."""

    model_config = SettingsConfigDict(env_prefix="SIA_", env_file=".env", extra="ignore")

    app_database_url: str | None = Field(
        None,
        description="URL the web API connects with: a login of the role sia_app, which cannot bypass "
        "row-level security. Unset: the local cluster's sia_app, or (with SIA_DATABASE_URL) the "
        "owner's URL switched to sia_app with SET ROLE.",
    )
    cookie_secure: Literal["auto", "true", "false"] = Field(
        "auto",
        description="Secure flag of the session cookies; auto: when the request came in over https "
        "(behind a proxy: run uvicorn with --proxy-headers and --forwarded-allow-ips)",
    )
    sessie_uren: float = Field(12, gt=0, le=24 * 30, description="A session ends after this many hours")
    sessie_inactief_minuten: float = Field(
        120, gt=0, le=24 * 60 * 30, description="... or after this many minutes without a request"
    )
    limiet_aanmelden: int = Field(
        10, ge=1, le=10_000, description="Sign-in attempts per minute per client address"
    )
    limiet_schrijven: int = Field(
        60, ge=1, le=1_000_000, description="Writes per minute per user (anonymous: per client address)"
    )
    limiet_zwaar: int = Field(
        120,
        ge=1,
        le=1_000_000,
        description="Expensive requests per minute per user (anonymous: per client)",
    )
    workers: int | None = Field(
        None,
        ge=1,
        le=64,
        description="Worker processes of `sia serve` (SIA_WORKERS); unset: one per CPU core, at least 2",
    )
    db_pool: int = Field(
        8,
        ge=1,
        le=100,
        description="Database connections each worker keeps (SIA_DB_POOL), plus half as many in bursts",
    )

    @field_validator("app_database_url")
    @classmethod
    def _postgres_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("postgresql", "postgres")):
            raise ValueError("SIA_APP_DATABASE_URL must be a PostgreSQL URL (postgresql+psycopg://...)")
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                value = "postgresql+psycopg://" + value.removeprefix(prefix)
        return value
