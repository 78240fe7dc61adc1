"""Scenarios in PostGIS: store, read, list and (softly) delete stored scores.

A scenario is written once and never changed (the table's trigger enforces it, see migration
0004). Deleting sets ``verwijderd_op``: the scenario leaves the list but stays readable by id,
so a BO decision that cites it can still be traced. Content is plain JSON; this module does not
score (``api/scoring.py`` does) and does not interpret profiles.

Since migration 0008 a scenario has an author (``gebruiker_id``, ``organisatie_id``) and a class
(``vertrouwelijkheid``); who reads, saves and deletes it is row-level security's business.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, text

from layers.errors import Forbidden, NotFound

__all__ = ["SUMMARY_COLUMNS", "delete_scenario", "get_scenario", "list_scenarios", "store_scenario"]

_VALUE_COLUMNS = (
    "naam",
    "auteur",
    "toelichting",
    "vorige_id",
    "profiel",
    "methode",
    "gemeente",
    "jaar",
    "periode",
    "lbm_editie",
    "top_n",
)
_AUTHOR_COLUMNS = ("organisatie_id", "gebruiker_id", "vertrouwelijkheid")
_JSON_COLUMNS = ("profiel_inhoud", "normalisatie", "gewichten", "invoer", "analyses", "resultaat")
SUMMARY_COLUMNS = ("id", *_VALUE_COLUMNS, "vertrouwelijkheid", "organisatie", "aangemaakt", "verwijderd_op")
"""What the list of scenarios shows (no profile content, no result)."""
_SELECT = (
    "SELECT s.*, (SELECT o.naam FROM organisaties o WHERE o.id = s.organisatie_id) AS organisatie "
    "FROM scenarios s"
)


def _iso(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("aangemaakt", "verwijderd_op"):
        if row.get(key) is not None:
            row[key] = row[key].isoformat()
    return row


def _missing(scenario_id: int) -> NotFound:
    return NotFound(f"Scenario {scenario_id} bestaat niet.")


def store_scenario(conn: Connection, record: dict[str, Any]) -> dict[str, Any]:
    """Insert a scenario (keys: the table's columns except id and the timestamps); returns it.

    ``vorige_id``, when given, must be an existing scenario (NotFound otherwise).
    """
    if record.get("vorige_id") is not None:
        exists = conn.execute(
            text("SELECT 1 FROM scenarios WHERE id = :id"), {"id": record["vorige_id"]}
        ).first()
        if exists is None:
            raise NotFound(f"Vorig scenario {record['vorige_id']} bestaat niet.")
    plain = (*_VALUE_COLUMNS, *_AUTHOR_COLUMNS)
    params = {k: record.get(k) for k in plain}
    params["vertrouwelijkheid"] = params["vertrouwelijkheid"] or "openbaar"
    for key in _JSON_COLUMNS:
        value = record.get(key)
        params[key] = None if value is None else json.dumps(value, allow_nan=False)
    columns = (*plain, *_JSON_COLUMNS)
    values = [*(f":{c}" for c in plain), *(f"CAST(:{c} AS jsonb)" for c in _JSON_COLUMNS)]
    scenario_id = conn.execute(
        text(f"INSERT INTO scenarios ({', '.join(columns)}) VALUES ({', '.join(values)}) RETURNING id"),
        params,
    ).scalar_one()
    return get_scenario(conn, int(scenario_id))


def get_scenario(conn: Connection, scenario_id: int) -> dict[str, Any]:
    """Every column of one scenario (also a deleted one: ``verwijderd_op`` is then set)."""
    row = conn.execute(text(f"{_SELECT} WHERE s.id = :id"), {"id": scenario_id}).mappings().first()
    if row is None:
        raise _missing(scenario_id)
    return _iso(dict(row))


def list_scenarios(conn: Connection, *, met_verwijderd: bool = False) -> list[dict[str, Any]]:
    """Summaries (no profile or result), newest first; deleted ones only when asked."""
    rows = (
        conn.execute(
            text(
                f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM ({_SELECT}) s "
                "WHERE CAST(:alle AS boolean) OR verwijderd_op IS NULL ORDER BY aangemaakt DESC, id DESC"
            ),
            {"alle": met_verwijderd},
        )
        .mappings()
        .all()
    )
    return [_iso(dict(r)) for r in rows]


def delete_scenario(conn: Connection, scenario_id: int) -> dict[str, Any]:
    """Soft delete: set ``verwijderd_op``. A scenario that is unknown or already deleted is
    NotFound (deleting is not repeated, so the first deletion time stays)."""
    row = (
        conn.execute(
            text(
                "UPDATE scenarios SET verwijderd_op = now() WHERE id = :id AND verwijderd_op IS NULL "
                "RETURNING id, verwijderd_op"
            ),
            {"id": scenario_id},
        )
        .mappings()
        .first()
    )
    if row is None:
        current = conn.execute(
            text(f"SELECT s.verwijderd_op, organisatie FROM ({_SELECT}) s WHERE s.id = :id"),
            {"id": scenario_id},
        ).first()
        if current is None:
            raise _missing(scenario_id)
        if current[0] is None:  # readable, but row-level security refused the change
            raise Forbidden(
                f"Scenario {scenario_id} is van {current[1] or 'de beheerder'}; alleen een planner van die "
                "organisatie of een beheerder van de gemeente verwijdert het."
            )
        raise NotFound(f"Scenario {scenario_id} is al verwijderd op {current[0].isoformat()}.")
    return _iso(dict(row))
