"""Who is asking: the principal of a request, and how PostgreSQL learns it (row-level security).

A :class:`Principal` is a signed-in user (its organisation, gemeente and role) or anonymous. The
confidentiality rule itself lives in the database (migration 0008: ``sia_mag_lezen`` and
``sia_mag_schrijven``, used by every policy); this module only tells PostgreSQL, per
transaction, whom it is serving:

- :func:`install_rls_context` hooks an engine so that *every* transaction it begins first sets
  ``sia.gebruiker``, ``sia.organisatie``, ``sia.rol`` and ``sia.gemeente`` with
  ``set_config(..., true)`` (local to that transaction, so nothing survives into the next use of
  a pooled connection). A connection that was not given a principal runs as anonymous: a
  forgotten step shows less, never more.
- :func:`connect_as` opens a connection of such an engine for one principal; every transaction
  on it (also after a commit) carries that principal.
- :func:`acting_as` lets a connection act for another principal for a while, inside the open
  transaction (e.g. computing what a stored proposal shows the public, then storing it as the
  signed-in author); :func:`view_of` says whom a connection serves, for caches.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, Engine, event

__all__ = [
    "ANONYMOUS",
    "ROLES",
    "Principal",
    "Rol",
    "acting_as",
    "audience",
    "connect_as",
    "enforces_rls",
    "install_rls_context",
    "rls_settings",
    "set_principal",
    "view_key",
    "view_of",
]

Rol = Literal["beheerder", "planner", "lezer"]
ROLES: tuple[Rol, ...] = ("beheerder", "planner", "lezer")

_OPTION = "sia_principal"  # the execution option that carries the principal of a connection
_SET_SQL = (
    "SELECT set_config('sia.gebruiker', %(gebruiker)s, true), "
    "set_config('sia.organisatie', %(organisatie)s, true), "
    "set_config('sia.rol', %(rol)s, true), set_config('sia.gemeente', %(gemeente)s, true)"
)


@dataclass(frozen=True)
class Principal:
    """A signed-in user, or anonymous (every field None)."""

    gebruiker_id: int | None = None
    email: str | None = None
    naam: str | None = None
    organisatie_id: int | None = None
    organisatie: str | None = None
    organisatie_soort: str | None = None
    gemeente: str | None = None
    rol: Rol | None = None
    via: Literal["sessie", "token"] | None = None  # how the request proved who it is
    sessie_id: int | None = None
    token_id: int | None = None

    @property
    def anoniem(self) -> bool:
        return self.gebruiker_id is None

    @property
    def beheerder(self) -> bool:
        return self.rol == "beheerder"

    @property
    def mag_schrijven(self) -> bool:
        """Planners and beheerders deliver data and save scenarios; lezers only read."""
        return self.rol in ("planner", "beheerder")


ANONYMOUS = Principal()


def view_key(principal: Principal) -> tuple[str | int | None, ...]:
    """What ``principal`` may read, as a key: principals with the same key see the same rows
    (``sia_mag_lezen`` depends on nothing else). For caches of data read under RLS (the
    indicator table, ETags): key them by this as well as by the data version."""
    if principal.anoniem:
        return ("anoniem",)
    if principal.beheerder:
        return ("beheerder", principal.gemeente, principal.organisatie_id)
    return ("organisatie", principal.gemeente, principal.organisatie_id)


def rls_settings(principal: Principal) -> dict[str, str]:
    """The per-transaction settings the policies read (empty strings for anonymous)."""
    if principal.anoniem:
        return {"gebruiker": "", "organisatie": "", "rol": "", "gemeente": ""}
    return {
        "gebruiker": str(principal.gebruiker_id),
        "organisatie": "" if principal.organisatie_id is None else str(principal.organisatie_id),
        "rol": principal.rol or "",
        "gemeente": principal.gemeente or "",
    }


def _apply(dbapi_connection: Any, principal: Principal) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(_SET_SQL, rls_settings(principal))
    finally:
        cursor.close()


def install_rls_context(engine: Engine) -> None:
    """Make every transaction of ``engine`` start with the settings of its connection's principal
    (anonymous when none was given)."""
    if event.contains(engine, "begin", _on_begin):
        return
    event.listen(engine, "begin", _on_begin)


def enforces_rls(engine: Engine) -> bool:
    """Whether every transaction of ``engine`` runs for its connection's principal
    (:func:`install_rls_context`): only then may another connection of it read for a principal."""
    return event.contains(engine, "begin", _on_begin)


def _on_begin(conn: Connection) -> None:
    principal = conn.get_execution_options().get(_OPTION, ANONYMOUS)
    # the DBAPI connection is outside a transaction here: this statement opens it
    _apply(conn.connection.dbapi_connection, principal)


@contextmanager
def connect_as(engine: Engine, principal: Principal) -> Iterator[Connection]:
    """A connection of ``engine`` whose every transaction runs for ``principal``."""
    with engine.connect() as conn:
        conn.execution_options(**{_OPTION: principal})
        yield conn


def set_principal(conn: Connection, principal: Principal) -> None:
    """Set the principal inside the transaction already open on ``conn`` (for connections of an
    engine without :func:`install_rls_context`, e.g. a test connecting as the app role)."""
    conn.exec_driver_sql(_SET_SQL, rls_settings(principal))


def view_of(conn: Connection) -> Principal:
    """The principal whose view ``conn`` reads (anonymous when none was given)."""
    principal: Principal = conn.get_execution_options().get(_OPTION, ANONYMOUS)
    return principal


@contextmanager
def acting_as(conn: Connection, principal: Principal) -> Iterator[Connection]:
    """Within the transaction open on ``conn``: act for ``principal`` until the block ends, then
    for the connection's own principal again (also when the block raises)."""
    own = view_of(conn)
    conn.execution_options(**{_OPTION: principal})
    set_principal(conn, principal)
    try:
        yield conn
    finally:
        conn.execution_options(**{_OPTION: own})
        if conn.in_transaction() and not _aborted(conn):
            set_principal(conn, own)


def _aborted(conn: Connection) -> bool:
    """Whether the transaction on ``conn`` failed (PostgreSQL refuses every statement until rollback)."""
    import psycopg

    raw = conn.connection.dbapi_connection
    return (
        isinstance(raw, psycopg.Connection)
        and raw.info.transaction_status == psycopg.pq.TransactionStatus.INERROR
    )


def audience(principal: Principal, klasse: str) -> Principal:
    """Who may read something of class ``klasse`` made by ``principal``, as a principal whose view is
    exactly that audience's: ``openbaar`` → anonymous; ``partners`` → a signed-in user of the
    gemeente without an organisation of its own; ``eigen`` → a lezer of the principal's
    organisation. A stored result (a scenario, a proposal's figures) is computed in its audience's
    view, so storing it reveals nothing that audience could not read."""
    if klasse == "openbaar" or principal.anoniem:
        return ANONYMOUS
    if klasse == "partners":
        return Principal(gebruiker_id=0, gemeente=principal.gemeente, rol="lezer")
    return Principal(
        gebruiker_id=0, organisatie_id=principal.organisatie_id, gemeente=principal.gemeente, rol="lezer"
    )
