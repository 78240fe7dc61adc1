"""FastAPI dependencies: settings, database connection."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy import Connection, Engine

from api.settings import Settings
from sia.errors import Forbidden


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_connection(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Connection]:
    with engine.connect() as conn:
        yield conn


SettingsDep = Annotated[Settings, Depends(get_settings)]
ConnDep = Annotated[Connection, Depends(get_connection)]
EngineDep = Annotated[Engine, Depends(get_engine)]


def require_write_key(
    request: Request, x_sia_sleutel: Annotated[str | None, Header(include_in_schema=False)] = None
) -> None:
    """Writing (uploads, scenarios) needs the key of SIA_SCHRIJFSLEUTEL when one is set."""
    settings: Settings = request.app.state.settings
    if settings.schrijfsleutel is None:
        return
    expected = settings.schrijfsleutel.get_secret_value().encode()
    if x_sia_sleutel is None or not hmac.compare_digest(x_sia_sleutel.encode(), expected):
        raise Forbidden(
            "Leveren en scenario's opslaan of verwijderen vraagt om de schrijfsleutel van deze "
            "installatie"
            + (" (de meegestuurde sleutel klopt niet)." if x_sia_sleutel else ".")
            + " Vraag de beheerder om de sleutel en vul die in de kaart in."
        )


WriteAccess = Depends(require_write_key)
