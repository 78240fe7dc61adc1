"""Settings, read from environment variables with the prefix ``SIA_`` (and an optional .env)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from api.auth_settings import AuthSettings  # sign-in, app role, rate limits (issue 10)

_REPO_ROOT = Path(__file__).resolve().parents[1]

#: The default background map: PDOK BRT-Achtergrondkaart, grey variant (free XYZ tiles, EPSG:3857).
PDOK_BRT_GRIJS = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png"
PDOK_BRT_ATTRIBUTION = "Achtergrondkaart: BRT-Achtergrondkaart, © Kadaster (PDOK), CC BY 4.0"


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
    jaar: int | None = Field(
        None,
        ge=1990,
        le=2100,
        description="Buurten year to read (SIA_JAAR); unset: the newest the Leefbaarometer covers",
    )
    lbm_editie: int | None = Field(
        None, ge=2000, le=2100, description="Leefbaarometer edition (SIA_LBM_EDITIE); unset: the newest"
    )
    basemap_url: str = Field(
        PDOK_BRT_GRIJS, description="Tile URL template of the background map; empty: outlines only"
    )
    basemap_attribution: str = PDOK_BRT_ATTRIBUTION
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    webmap_dir: Path = _REPO_ROOT / "webmap"

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
