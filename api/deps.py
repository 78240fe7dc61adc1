"""FastAPI dependencies: settings, and the database connection of the request's principal.

Every route reads and writes through :data:`ConnDep`: a connection of the application's engine
(the role ``sia_app``, which cannot bypass row-level security) whose every transaction carries the
principal of the one authentication dependency (``api.security.get_principal``). There is no
other engine in the web application: a forgotten filter cannot show more than PostgreSQL allows.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Connection

from api import security
from api.settings import Settings

__all__ = ["ConnDep", "SettingsDep", "get_settings"]


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
ConnDep = Annotated[Connection, Depends(security.get_db)]
"""A connection as the app role for the request's principal (``api.security.get_db``)."""
