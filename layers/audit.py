"""The audit trail: who did what, when, on which object (append-only, migration 0008).

Every write path calls :func:`record` in the transaction of the change it records, so a change and
its audit row are stored together or not at all. Refusals that store nothing (a failed sign-in, a
rejected upload) are recorded in a transaction of their own, committed before the error is
returned. A row keeps *references* before and after (ids, versions, roles), not the data.

The application role may add and read rows, never change or remove them; beheerders read the
rows of their gemeente (row-level security), in the admin page and as CSV (:func:`to_csv`).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import Connection, text

from layers.access import Principal
from layers.errors import InvalidInput

__all__ = ["ACTIES", "Actie", "read", "record", "to_csv"]

Actie = Literal[
    "aanmelden",
    "aanmelden.mislukt",
    "afmelden",
    "token.aangemaakt",
    "token.ingetrokken",
    "gebruiker.toegevoegd",
    "gebruiker.gewijzigd",
    "levering.upload",
    "levering.geweigerd",
    "raster.upload",
    "raster.geweigerd",
    "scenario.opgeslagen",
    "scenario.verwijderd",
    "voorstel.aangemaakt",
    "voorstel.gewijzigd",
    "voorstel.status",
    "voorstel.reactie",
    "voorstel.toezegging",
    "export",
    "audit.export",
]
ACTIES: tuple[str, ...] = get_args(Actie)

_MAX_CLIENT = 100


def record(
    conn: Connection,
    actie: Actie,
    *,
    principal: Principal | None = None,
    gebruiker_id: int | None = None,
    organisatie_id: int | None = None,
    gemeente: str | None = None,
    object_soort: str | None = None,
    object_id: str | int | None = None,
    voor: dict[str, Any] | None = None,
    na: dict[str, Any] | None = None,
    client: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Add one row. The acting user, organisation and gemeente come from ``principal`` unless
    given (a failed sign-in names the account it tried, without a principal)."""
    if actie not in ACTIES:
        raise ValueError(f"unknown audit action {actie!r}")
    p = principal or Principal()
    conn.execute(
        text(
            "INSERT INTO audit (gebruiker_id, organisatie_id, gemeente, actie, object_soort, object_id, "
            "voor, na, client, details) VALUES (:g, :o, :gm, :a, :os, :oid, CAST(:voor AS jsonb), "
            "CAST(:na AS jsonb), :client, CAST(:details AS jsonb))"
        ),
        {
            "g": gebruiker_id if gebruiker_id is not None else p.gebruiker_id,
            "o": organisatie_id if organisatie_id is not None else p.organisatie_id,
            "gm": gemeente or p.gemeente,
            "a": actie,
            "os": object_soort,
            "oid": None if object_id is None else str(object_id)[:200],
            "voor": None if voor is None else json.dumps(voor, default=str),
            "na": None if na is None else json.dumps(na, default=str),
            "client": None if client is None else client[:_MAX_CLIENT],
            "details": json.dumps(details or {}, default=str),
        },
    )


_COLUMNS = (
    "id",
    "tijdstip",
    "gebruiker_id",
    "gebruiker",
    "organisatie",
    "gemeente",
    "actie",
    "object_soort",
    "object_id",
    "voor",
    "na",
    "client",
    "details",
)


def read(
    conn: Connection,
    *,
    gemeente: str,
    limit: int = 200,
    voor_id: int | None = None,
    actie: str | None = None,
    gebruiker_id: int | None = None,
    van: datetime | None = None,
    tot: datetime | None = None,
) -> list[dict[str, Any]]:
    """Rows of ``gemeente``, newest first; ``voor_id`` pages back (rows with a smaller id).
    Row-level security additionally limits the app role to what its principal may read."""
    if not 1 <= limit <= 10_000:
        raise InvalidInput(f"'limit' moet tussen 1 en 10000 liggen, niet {limit}.")
    rows = (
        conn.execute(
            text(
                "SELECT a.id, a.tijdstip, a.gebruiker_id, g.email AS gebruiker, o.naam AS organisatie, "
                "a.gemeente, a.actie, a.object_soort, a.object_id, a.voor, a.na, a.client, a.details "
                "FROM audit a LEFT JOIN gebruikers g ON g.id = a.gebruiker_id "
                "LEFT JOIN organisaties o ON o.id = a.organisatie_id "
                "WHERE a.gemeente = :gm "
                "AND (CAST(:voor_id AS bigint) IS NULL OR a.id < :voor_id) "
                "AND (CAST(:actie AS text) IS NULL OR a.actie = :actie) "
                "AND (CAST(:gid AS bigint) IS NULL OR a.gebruiker_id = :gid) "
                "AND (CAST(:van AS timestamptz) IS NULL OR a.tijdstip >= :van) "
                "AND (CAST(:tot AS timestamptz) IS NULL OR a.tijdstip < :tot) "
                "ORDER BY a.id DESC LIMIT :limit"
            ),
            {
                "gm": gemeente,
                "voor_id": voor_id,
                "actie": actie,
                "gid": gebruiker_id,
                "van": van,
                "tot": tot,
                "limit": limit,
            },
        )
        .mappings()
        .all()
    )
    return [dict(r) for r in rows]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    elif isinstance(value, datetime):
        value = value.isoformat()
    out = str(value)
    return "'" + out if out.startswith(_FORMULA_START) else out


def to_csv(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV (comma-separated, a header row); texts neutralised against formulas."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(_COLUMNS)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in _COLUMNS])
    return buf.getvalue()
