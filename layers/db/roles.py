"""The application's database role: the API connects as a role that cannot bypass row-level security.

Migrations and the operator's CLI (``sia load``, ``sia user``) run as the owner of the tables.
The web API connects as ``sia_app``: no superuser, no BYPASSRLS, owner of nothing, with only the
grants migration 0008 gives it. Row-level security then holds even where a query forgets a filter.

How the API finds its URL (:func:`app_engine`):

1. ``SIA_APP_DATABASE_URL`` when set: a login of ``sia_app`` (or of another role with the same
   properties) on the same database. The recommended set-up for an external server: the database
   administrator gives ``sia_app`` LOGIN and a password.
2. Else, with ``SIA_DATABASE_URL`` (an external server): the owner's URL, and every new
   connection switches to the app role with ``SET ROLE sia_app`` (the migration makes the owner a
   member). Row-level security applies exactly the same, but a process that could run arbitrary
   SQL could ``RESET ROLE``; prefer 1.
3. Else, the tool's own local cluster: :func:`ensure_app_role` gives ``sia_app`` LOGIN with a
   generated password kept in ``$SIA_HOME/app-password`` (mode 0600), beside the owner's.

Whatever the URL, every new connection checks that it is not a superuser and cannot bypass RLS,
and refuses to work otherwise (:class:`~layers.errors.SetupError`).

Every connection of the app also turns PostgreSQL's JIT compilation off (``SET jit = off``): the
API's queries are small, but the planner's estimates for the disclosure functions (a spatial join
with a correlated ``NOT EXISTS``) pass ``jit_optimize_above_cost``, and compiling them took 1-2 s
per query, where running them takes about 10 ms (found by ``benchmarks/bench_load.py``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url

from layers.access import install_rls_context
from layers.db.engine import make_engine
from layers.errors import SetupError

if TYPE_CHECKING:
    from layers.db.cluster import LocalCluster

__all__ = [
    "ACCOUNT_TABLES",
    "APP_ROLE",
    "OPEN_TABLES",
    "RLS_TABLES",
    "app_engine",
    "app_password_file",
    "ensure_app_role",
    "local_app_url",
]

APP_ROLE = "sia_app"  # also in migration 0008

# How each table is exposed to the app role (a test checks that every table is listed once):
RLS_TABLES = (
    "leveringen",
    "bezit",
    "projecten",
    "verkoop",
    "raster_leveringen",
    "raster_statistieken",
    "audit",
    "scenarios",
    "voorstellen",
    "voorstel_versies",
    "voorstel_reacties",
    "voorstel_toezeggingen",
)
"""Row-level security forced: rows depend on the principal (``sia_mag_lezen``; proposals: their
gemeente and status, see migration 0008)."""
OPEN_TABLES = ("buurten", "wijken", "leefbaarometer", "load_log", "organisaties")
"""Readable by every principal: public reference data."""
ACCOUNT_TABLES = ("gebruikers", "sessies", "api_tokens")
"""Sign-in data: only served through ``layers.auth`` (hashes, never secrets)."""


def app_password_file(cluster: LocalCluster) -> Path:
    return cluster.home / "app-password"


def _write_secret(path: Path, value: str) -> None:
    """Write ``value`` to ``path`` with mode 0600 from the first byte on."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value + "\n")
    os.replace(tmp, path)


_READY_LOCK = 0x51A_A99  # advisory lock key: one process at a time makes the app role ready


def ensure_app_role(cluster: LocalCluster) -> str:
    """Give ``sia_app`` LOGIN with the password in ``$SIA_HOME/app-password`` (generated on first
    use) in the running local cluster; returns the password. Idempotent, and safe when several
    processes call it at once (the workers of ``sia serve`` each do when they start): they take
    turns on an advisory lock, since PostgreSQL refuses two concurrent ``ALTER ROLE`` of one role
    ("tuple concurrently updated")."""
    import psycopg
    from psycopg import sql

    owner = make_url(cluster.url())
    with psycopg.connect(
        host=owner.host,
        port=owner.port,
        user=owner.username,
        password=owner.password,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_READY_LOCK,))  # released when conn closes
        path = app_password_file(cluster)
        if not path.exists():
            _write_secret(path, secrets.token_urlsafe(24))
        password = path.read_text().strip()
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (APP_ROLE,)).fetchone()
        conn.execute(
            sql.SQL(
                "{verb} ROLE {role} LOGIN PASSWORD {pw} NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
            ).format(
                verb=sql.SQL("ALTER" if exists else "CREATE"),
                role=sql.Identifier(APP_ROLE),
                pw=sql.Literal(password),
            )
        )
    return password


def local_app_url(cluster: LocalCluster) -> str:
    """URL of the local cluster's database as the app role (the role is made ready first)."""
    password = ensure_app_role(cluster)
    url = make_url(cluster.url()).set(username=APP_ROLE, password=password)
    return url.render_as_string(hide_password=False)


def app_engine(
    *,
    app_database_url: str | None,
    database_url: str | None,
    cluster: LocalCluster | None = None,
    pool_size: int = 5,
) -> Engine:
    """The engine the API reads and writes partner data with (see the module docstring for the
    order); every transaction carries its principal (``layers.access``)."""
    set_role = False
    if app_database_url:
        url = app_database_url
    elif database_url:
        url, set_role = database_url, True
    elif cluster is not None:
        url = local_app_url(cluster)
    else:
        raise SetupError("No database configured: set SIA_DATABASE_URL, or use the local cluster.")
    engine = make_engine(url, pool_size=pool_size, max_overflow=max(2, pool_size // 2))
    event.listen(engine, "connect", _guard(set_role))
    install_rls_context(engine)
    return engine


def _guard(set_role: bool) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        import psycopg

        cursor = dbapi_connection.cursor()
        try:
            if set_role:
                try:
                    cursor.execute(f"SET ROLE {APP_ROLE}")  # identifier from code
                except psycopg.Error as exc:
                    dbapi_connection.close()
                    raise SetupError(
                        f"The web application cannot switch to the role {APP_ROLE} ({exc.sqlstate}): run "
                        "`sia db migrate` (it creates the role), or let SIA_APP_DATABASE_URL log in as "
                        f"{APP_ROLE} (see README, 'Sign-in and confidentiality')."
                    ) from None
            cursor.execute("SET jit = off")  # compiling costs more than these queries take (docstring)
            cursor.execute(
                "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
            )
            user, superuser, bypass = cursor.fetchone()
        finally:
            cursor.close()
        dbapi_connection.commit()
        if superuser or bypass:
            dbapi_connection.close()
            raise SetupError(
                f"The web application connects to PostgreSQL as {user!r}, a role that "
                f"{'is a superuser' if superuser else 'can bypass row-level security'}: partner "
                f"data would not be protected. Let SIA_APP_DATABASE_URL log in as {APP_ROLE} "
                "(see README, 'Sign-in and confidentiality')."
            )

    return on_connect
