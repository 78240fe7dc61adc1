"""Which database to use: ``SIA_DATABASE_URL`` when set, else the local cluster."""

from __future__ import annotations

from pathlib import Path

from layers.db.cluster import LocalCluster, default_home
from layers.errors import SetupError


def local_cluster(home: Path | None, port: int) -> LocalCluster:
    return LocalCluster(home=home or default_home(), port=port)


def resolve_url(database_url: str | None, *, home: Path | None, port: int, start: bool = True) -> str:
    """The URL to connect to; starts the local cluster if needed and ``start`` is true."""
    if database_url:
        return database_url
    cluster = local_cluster(home, port)
    if start:
        cluster.start()
    elif not cluster.is_running():
        raise SetupError(
            "De lokale database draait niet. Start hem met `sia db start`, of zet SIA_DATABASE_URL "
            "op een PostGIS-database."
        )
    return cluster.url()
