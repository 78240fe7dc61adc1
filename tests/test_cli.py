"""The `sia` command line speaks Dutch, documents every argument and never shows a traceback.

Environment problems are tested through the installed console script (a subprocess, as a user
runs it); the rest through ``main()``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from api.cli import build_parser, main

SIA = str(Path(sys.executable).with_name("sia"))


def _sia(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SIA_")}
    return subprocess.run(
        [SIA, *args], capture_output=True, text=True, env={**clean, **env}, timeout=120, check=False
    )


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    out = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                out += _subparsers(sub)
    return out


def test_every_argument_has_help_and_defaults_are_shown() -> None:
    for parser in _subparsers(build_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help, f"{parser.prog}: {action.dest} has no help"


def test_score_help_lists_profiles_methods_formats_and_defaults() -> None:
    res = _sia("score", "--help")
    assert res.returncode == 0 and "Traceback" not in res.stderr
    text = " ".join(res.stdout.split())
    assert text.startswith("gebruik: sia score") and "opties:" in text
    for word in (
        "default",
        "urgentie",
        "consensus",
        "domijn",
        "gewogen_som",
        "topsis",
        ".csv",
        ".gpkg",
        ".xlsx",
    ):
        assert word in text, word
    assert "(standaard: sia_scores.csv)" in text and "--gemeente" in text and "--editie" in text


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (("score", "--out", "scores.txt"), {}, "onbekend uitvoerformaat '.txt'; kies .csv"),
        (("score", "--periode", "2026-zomer"), {}, "'2026-zomer' is geen periode"),
        (("score", "--gemeente", "Enschede"), {}, "'Enschede' is geen CBS-gemeentecode"),
        (
            ("score",),
            {"SIA_GEMEENTE": "foo"},
            "Ongeldige instelling SIA_GEMEENTE=foo: verwacht een CBS-gemeentecode",
        ),
        (("db", "status"), {"SIA_PG_PORT": "abc"}, "Ongeldige instelling SIA_PG_PORT=abc"),
        (
            ("score",),
            {"SIA_DATABASE_URL": "postgresql+psycopg://planner:geheim@127.0.0.1:9/sia"},
            "De database van SIA_DATABASE_URL (127.0.0.1:9/sia) is niet bereikbaar",
        ),
        (("demo", "--no-serve"), {"SIA_DATA_DIR": "/bestaat/niet"}, "Zet SIA_DATA_DIR op de map"),
        (("load", "buurten", "/bestaat/niet.gpkg"), {}, "bestand '/bestaat/niet.gpkg' bestaat niet"),
        (("bestaatniet",), {}, "ongeldige keuze: 'bestaatniet'"),
    ],
)
def test_user_errors_are_one_dutch_line_and_exit_2(
    args: tuple[str, ...], env: dict[str, str], expected: str
) -> None:
    res = _sia(*args, **env)
    assert res.returncode == 2, res.stderr
    assert expected in res.stderr
    assert "Traceback" not in res.stderr and "Error" not in res.stderr.replace("Fout", "")
    assert "geheim" not in res.stderr + res.stdout  # a password in the URL is never repeated


def test_an_unexpected_error_is_logged_not_shown(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import api.cli

    def broken(args: argparse.Namespace, settings: object) -> int:
        raise RuntimeError("index 0 is out of bounds for axis 0 with size 0")

    monkeypatch.setattr(api.cli, "cmd_db", broken)
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(tmp_path))
    monkeypatch.delenv("SIA_DATABASE_URL", raising=False)
    assert main(["db", "status"]) == 2
    err = capsys.readouterr().err
    assert "er ging onverwacht iets mis (RuntimeError)" in err and "out of bounds" not in err
    assert "index 0 is out of bounds" in (tmp_path / "sia-fout.log").read_text()


@pytest.mark.postgis
def test_score_formats_and_an_unknown_profile(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SIA_DATABASE_URL", demo_url)
    monkeypatch.setenv("SIA_GEMEENTE", "GM0153")
    xlsx = tmp_path / "scores.xlsx"
    assert main(["score", "--out", str(xlsx), "--profile", "urgentie"]) == 0
    said = capsys.readouterr().out
    assert "profiel urgentie" in said and "synthetisch" not in said  # the Leefbaarometer is not synthetic
    scores = pd.read_excel(xlsx, sheet_name="scores")
    sources = pd.read_excel(xlsx, sheet_name="bronnen").set_index("indicator")
    assert len(scores) == 70 and not scores["synthetisch"].any()
    assert bool(sources.loc["bezit_woningen", "synthetisch"]) and not bool(
        sources.loc["lbm_score", "synthetisch"]
    )
    assert main(["score", "--profile", "bestaatniet", "--out", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert (
        "Wegingsprofiel 'bestaatniet' bestaat niet; kies uit: default, urgentie, consensus, gemeente" in err
    )


@pytest.mark.postgis
def test_score_without_partner_data_leaves_criteria_out(
    loaded_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Why: 'the CLI stops with an English message where the API leaves the empty criteria out'."""
    monkeypatch.setenv("SIA_DATABASE_URL", loaded_url)
    monkeypatch.setenv("SIA_GEMEENTE", "GM0153")
    out = tmp_path / "scores.gpkg"
    assert main(["score", "--profile", "default", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "Weggelaten (geen gegevens): " in said and "Geplande investering per woning" in said
    assert "Potentie onbekend" in said and "synthetisch" not in said
