"""Audit rows written by the routers: the acting principal and client of the request filled in.

Changes are recorded in the transaction of the change itself (``layers.audit.record`` there);
downloads and refusals, which change nothing, get a transaction of their own through
:func:`record_apart`.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import Connection

from api.security import client_address, principal_of
from layers import audit

__all__ = ["export", "record_apart"]


def record_apart(conn: Connection, request: Request, actie: audit.Actie, **fields: Any) -> None:
    """One audit row in a transaction of its own (what ``conn`` read before is ended first)."""
    if conn.in_transaction():
        conn.rollback()
    principal = principal_of(request)
    fields.setdefault("gemeente", principal.gemeente)
    with conn.begin():
        audit.record(conn, actie, principal=principal, client=client_address(request), **fields)


def export(
    conn: Connection,
    request: Request,
    *,
    gemeente: str | None,
    soort: str,
    object_id: str | int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Record a download (also an anonymous one, in the gemeente it is of, so that the
    gemeente's beheerders see it). Only real downloads call this: a view of the same data that a
    page loads every time (the map's proposals layer, ``/api/voorstellen/kaart``) is not an export
    and would fill the append-only table with every visit."""
    principal = principal_of(request)
    record_apart(
        conn,
        request,
        "export",
        gemeente=principal.gemeente or gemeente,
        object_soort=soort,
        object_id=object_id,
        details={**(details or {}), "pad": request.url.path},
    )
