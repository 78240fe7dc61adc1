"""Settings, read from environment variables with the prefix ``SIA_`` (and an optional .env)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from api.auth_settings import AuthSettings  # sign-in, app role, rate limits (issue 10)

_REPO_ROOT = Path(__file__).resolve().parents[1]


def _default_data_dir() -> Path | None:
    """``../shared/data`` beside the checkout, where the project's real input data live."""
    cand = _REPO_ROOT.parent / "shared" / "data"
    return cand if cand.is_dir() else None


class Settings(AuthSettings):
    """Configuration of the CLI and the web application. Built explicitly, never at import."""

    model_config = SettingsConfigDict(env_prefix="SIA_", env_file=".env", extra="ignore")

    database_url: str | None = Field(
        None, description="SQLAlchemy URL of a PostGIS database; unset: the local cluster"
    )
    home: Path | None = Field(None, description="Folder of the local cluster (SIA_HOME)")
    pg_port: int = Field(54329, ge=1024, le=65535, description="Port of the local cluster")
    data_dir: Path | None = Field(default_factory=_default_data_dir)
    gemeente: str = Field("GM0153", pattern=r"^GM\d{4}$", description="Municipality on the map")
    basemap_url: str = Field("", description="Tile URL template; empty means no basemap")
    basemap_attribution: str = ""
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    webmap_dir: Path = _REPO_ROOT / "webmap"
    schrijfsleutel: SecretStr | None = Field(
        None,
        description="Key that uploads and scenario changes must send (header X-SIA-Sleutel); "
        "unset: writing is open (a local demo). An interim guard until sign-in exists.",
    )

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("postgresql", "postgres")):
            raise ValueError("SIA_DATABASE_URL must be a PostgreSQL URL (postgresql+psycopg://...)")
        if value.startswith("postgres://"):
            value = "postgresql://" + value.removeprefix("postgres://")
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value
