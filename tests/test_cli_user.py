"""`sia user add|list|disable|token`: the first beheerder on a fresh install, tokens for scripts."""

from __future__ import annotations

import io
import shlex
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.cli import _sign_in_lines, main
from api.main import create_app
from api.settings import Settings
from layers.db.engine import make_engine

pytestmark = pytest.mark.postgis

EMAIL = "eerste@enschede.nl"
PASSWORD = "een lang genoeg wachtwoord"


@pytest.fixture
def env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SIA_DATABASE_URL", db_url)
    return db_url


def _stdin(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(value))


def _add(monkeypatch: pytest.MonkeyPatch, *extra: str, password: str = PASSWORD) -> int:
    _stdin(monkeypatch, password + "\n")
    args = ["--naam", "Eerste Beheerder", "--organisatie", "gemeente", "--rol", "beheerder"]
    return main(["user", "add", EMAIL, *args, "--gemeente", "GM0153", "--wachtwoord-stdin", *extra])


def test_first_beheerder_on_a_fresh_install(
    env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _add(monkeypatch) == 0
    assert "toegevoegd aan Gemeente Enschede (GM0153)" in capsys.readouterr().out
    engine = make_engine(env)
    with engine.connect() as conn:
        user = conn.execute(text("SELECT email, rol, wachtwoord_hash FROM gebruikers")).one()
        row = conn.execute(text("SELECT actie, details FROM audit")).one()
    engine.dispose()
    assert user.email == EMAIL and user.rol == "beheerder" and user.wachtwoord_hash.startswith("$argon2id$")
    assert tuple(row) == ("gebruiker.toegevoegd", {"via": "cli"})
    assert main(["user", "list"]) == 0
    assert EMAIL in capsys.readouterr().out
    assert _add(monkeypatch) == 2  # the same address twice
    assert "al een gebruiker" in capsys.readouterr().err


def test_passwords_never_come_from_the_command_line(
    env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["user", "add", EMAIL, "--naam", "X", "--organisatie", "gemeente", "--rol", "lezer",
              "--wachtwoord", PASSWORD])  # fmt: skip
    capsys.readouterr()
    _stdin(monkeypatch, "")  # no terminal and no --wachtwoord-stdin
    assert main(["user", "add", EMAIL, "--naam", "X", "--organisatie", "gemeente", "--rol", "lezer"]) == 2
    assert "--wachtwoord-stdin" in capsys.readouterr().err
    assert _add(monkeypatch, password="kort") == 2
    assert "minstens 12 tekens" in capsys.readouterr().err


def test_tokens_from_the_cli_work_until_the_user_is_disabled(
    env: str, app_db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _add(monkeypatch) == 0
    capsys.readouterr()
    assert main(["user", "token", EMAIL, "--naam", "nachtelijk script", "--dagen", "30"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token.startswith("sia_")
    bearer = {"Authorization": f"Bearer {token}"}
    settings = Settings(database_url=env, app_database_url=app_db_url, gemeente="GM0153")
    with TestClient(create_app(settings)) as c:
        assert c.get("/api/auth/ik", headers=bearer).json()["gebruiker"]["email"] == EMAIL
        assert main(["user", "disable", EMAIL]) == 0
        assert c.get("/api/auth/ik", headers=bearer).status_code == 401
    assert main(["user", "token", "--intrekken", "1"]) == 0
    assert "ingetrokken" in capsys.readouterr().out
    engine = make_engine(env)
    with engine.connect() as conn:
        actions = [r[0] for r in conn.execute(text("SELECT actie FROM audit ORDER BY id"))]
    engine.dispose()
    assert actions == ["gebruiker.toegevoegd", "token.aangemaakt", "gebruiker.gewijzigd", "token.ingetrokken"]


def test_sia_demo_ends_with_the_line_that_makes_the_first_beheerder(
    env: str,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Why: after `sia demo` a new user's first save failed with nothing saying why. The demo ends
    by saying that there is no user yet and prints the `sia user add` line; that very line, run
    with the password on stdin, makes a beheerder of the gemeente. Once there is one, the demo says
    where to sign in instead; a disabled beheerder does not count."""
    monkeypatch.setenv("SIA_DATA_DIR", str(data_dir))
    monkeypatch.setenv("SIA_HOME", str(tmp_path))
    assert main(["demo", "--no-serve"]) == 0, capsys.readouterr().err
    said = capsys.readouterr().out.splitlines()
    assert any(line.startswith("Nog geen gebruikers voor GM0153: ") for line in said), said
    lines = [line.strip() for line in said if line.strip().startswith("sia user add ")]
    assert len(lines) == 1, said
    args = shlex.split(lines[0])
    assert args[-2:] == ["--rol", "beheerder"] and "--wachtwoord" not in lines[0]
    address = args[args.index("add") + 1]
    _stdin(monkeypatch, PASSWORD + "\n")
    assert main([*args[1:], "--wachtwoord-stdin"]) == 0, capsys.readouterr().err
    engine = make_engine(env)
    with engine.connect() as conn:
        user = conn.execute(
            text(
                "SELECT g.rol, o.soort, o.gemeente FROM gebruikers g JOIN organisaties o "
                "ON o.id = g.organisatie_id WHERE g.email = :e"
            ),
            {"e": address},
        ).one()
    engine.dispose()
    assert tuple(user) == ("beheerder", "gemeente", "GM0153")
    settings = Settings()
    assert _sign_in_lines(settings) == [
        "Meld u aan met 'Inloggen' rechtsboven op de kaart (1 actieve gebruiker voor GM0153; "
        "`sia user list` toont ze). Zonder aanmelden toont de kaart de openbare weergave."
    ]
    assert main(["user", "disable", address]) == 0
    capsys.readouterr()
    after = _sign_in_lines(settings)
    assert after[0].startswith("Nog geen actieve beheerder (1 gebruiker voor GM0153; ")
    assert any(line.strip().startswith("sia user add ") for line in after)
