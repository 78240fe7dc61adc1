"""The audit trail is append-only: the application role adds and reads rows, never changes them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import psycopg
import pytest
from sqlalchemy import text

from layers import audit
from layers.access import ANONYMOUS, Principal, connect_as
from layers.db.engine import make_engine
from layers.db.roles import app_engine
from tests.conftest import _conninfo

pytestmark = pytest.mark.postgis


def _beheerder(gemeente: str = "GM0153") -> Principal:
    return Principal(gebruiker_id=1, organisatie_id=1, gemeente=gemeente, rol="beheerder")


def _seed(app_db_url: str) -> None:
    engine = app_engine(app_database_url=app_db_url, database_url=None)
    with connect_as(engine, ANONYMOUS) as conn, conn.begin():  # even anonymous may add (failed sign-in)
        audit.record(
            conn, "aanmelden.mislukt", gemeente="GM0153", client="10.0.0.1", details={"reden": "onjuist"}
        )
        audit.record(
            conn, "export", gemeente="GM0153", object_soort="scenario", object_id=7, na={"versie": 2}
        )
        audit.record(conn, "export", gemeente="GM0344", object_soort="scenario", object_id=8)
    engine.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit SET actie = 'export'",
        "UPDATE audit SET details = '{}' WHERE id = 1",
        "DELETE FROM audit",
        "DELETE FROM audit WHERE id = 1",
        "TRUNCATE audit",
    ],
)
def test_the_app_role_cannot_change_or_remove_audit_rows(app_db_url: str, statement: str) -> None:
    _seed(app_db_url)
    with psycopg.connect(**_conninfo(app_db_url)) as conn:  # type: ignore[arg-type]
        conn.execute(
            "SELECT set_config('sia.rol', 'beheerder', false), set_config('sia.gemeente', 'GM0153', false)"
        )
        before = conn.execute(
            "SELECT count(*), md5(string_agg(a::text, '|' ORDER BY id)) FROM audit a"
        ).fetchone()
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied for table audit"):
            conn.execute(statement)
        conn.rollback()
        conn.execute(
            "SELECT set_config('sia.rol', 'beheerder', false), set_config('sia.gemeente', 'GM0153', false)"
        )
        after = conn.execute(
            "SELECT count(*), md5(string_agg(a::text, '|' ORDER BY id)) FROM audit a"
        ).fetchone()
    assert before == after and before is not None and before[0] == 2  # the two rows of GM0153


@pytest.mark.parametrize(
    "statement", ["UPDATE audit SET actie = 'export'", "DELETE FROM audit", "TRUNCATE audit"]
)
def test_not_even_the_owner_changes_audit_rows(db_url: str, app_db_url: str, statement: str) -> None:
    """A trigger refuses UPDATE, DELETE and TRUNCATE for every role (the owner is a superuser here)."""
    _seed(app_db_url)
    with psycopg.connect(**_conninfo(db_url)) as conn:  # type: ignore[arg-type]
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="alleen aan te vullen"):
            conn.execute(statement)
        conn.rollback()
        assert conn.execute("SELECT count(*) FROM audit").fetchone() == (3,)


def test_only_beheerders_of_the_gemeente_read_it(app_db_url: str) -> None:
    _seed(app_db_url)
    engine = app_engine(app_database_url=app_db_url, database_url=None)
    planner = Principal(gebruiker_id=1, organisatie_id=1, gemeente="GM0153", rol="planner")
    try:
        for principal, expected in (
            (_beheerder(), 2),
            (_beheerder("GM0344"), 1),
            (planner, 0),
            (ANONYMOUS, 0),
        ):
            with connect_as(engine, principal) as conn:
                assert conn.execute(text("SELECT count(*) FROM audit")).scalar_one() == expected
        with connect_as(engine, _beheerder()) as conn:
            rows = audit.read(conn, gemeente="GM0153")
            assert [r["actie"] for r in rows] == ["export", "aanmelden.mislukt"]  # newest first
            assert rows[0]["na"] == {"versie": 2} and rows[1]["client"] == "10.0.0.1"
            assert [r["actie"] for r in audit.read(conn, gemeente="GM0153", actie="export")] == ["export"]
            assert audit.read(conn, gemeente="GM0344") == []  # RLS, whatever the filter asks
    finally:
        engine.dispose()


def test_unknown_actions_are_refused(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.begin() as conn, pytest.raises(ValueError, match="unknown audit action"):
        audit.record(conn, "alles.wissen")  # type: ignore[arg-type]
    engine.dispose()


def test_csv_cells_never_become_formulas() -> None:
    row = {
        "id": 1,
        "tijdstip": datetime(2026, 12, 3, 10, 0, tzinfo=UTC),
        "gebruiker": '=HYPERLINK("http://x")',
        "organisatie": "+31 53 000",
        "gemeente": "GM0153",
        "actie": "export",
        "object_soort": "-2+3",
        "object_id": "@SUM(A1)",
        "voor": None,
        "na": {"naam": "=1+1"},
        "client": "10.0.0.1",
        "details": {},
    }
    out = next(iter(csv.DictReader(io.StringIO(audit.to_csv([row])))))
    assert out["gebruiker"] == '\'=HYPERLINK("http://x")'
    assert (
        out["organisatie"] == "'+31 53 000"
        and out["object_soort"] == "'-2+3"
        and out["object_id"] == "'@SUM(A1)"
    )
    assert out["na"] == '{"naam": "=1+1"}'  # JSON starts with a brace: text already
    assert (
        out["tijdstip"] == "2026-12-03T10:00:00+00:00" and out["voor"] == "" and out["gemeente"] == "GM0153"
    )
