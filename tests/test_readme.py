"""The README and .env.example describe the tool as it is: every `sia` option they name exists in
the CLI's parser, every setting is documented, and the interim write key (gone with sign-in) is
not mentioned any more."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from api.cli import build_parser
from api.settings import Settings

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
ENV_EXAMPLE = (REPO / ".env.example").read_text(encoding="utf-8")
UNDOCUMENTED = {"webmap_dir"}  # where the app finds the front end: for tests, not for users


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _commands() -> list[tuple[str, str]]:
    """Every `sia COMMAND [ACTION] …` the README names (continued lines joined): (words, rest)."""
    text = re.sub(r"\\\n\s*", " ", README)
    return [(m.group(1), m.group(2)) for m in re.finditer(r"\bsia ([a-z]+)([^`\n|#]*)", text)]


def test_every_sia_option_in_the_readme_exists() -> None:
    top = _subparsers(build_parser())
    commands = _commands()
    assert len(commands) > 20, commands  # the regular expression finds the commands
    wrong = []
    for command, rest in commands:
        assert command in top, f"sia {command} does not exist"
        parser = top[command]
        actions = _subparsers(parser)
        words = rest.split()
        if actions:
            named = [w for w in (words[0].split("|") if words else []) if w in actions]
            # `sia user list …` documents list; options may belong to the actions it lists after it
            candidates = [actions[a] for a in named] or list(actions.values())
        else:
            candidates = [parser]
        known = {opt for p in candidates for a in p._actions for opt in a.option_strings}
        wrong += [f"sia {command}{rest}: {o}" for o in re.findall(r"--[a-z][a-z-]*", rest) if o not in known]
    assert not wrong, wrong


@pytest.mark.parametrize("field", sorted(set(Settings.model_fields) - UNDOCUMENTED))
def test_every_setting_is_documented(field: str) -> None:
    name = f"SIA_{field.upper()}"
    assert f"`{name}`" in README, f"{name} is missing from the README's settings table"
    assert f"{name}=" in ENV_EXAMPLE, f"{name} is missing from .env.example"


def test_the_interim_write_key_is_gone_from_the_docs() -> None:
    for text in (README, ENV_EXAMPLE):
        assert "SCHRIJFSLEUTEL" not in text and "X-SIA-Sleutel" not in text
    assert "no sign-in yet" not in README.lower() and "sign-in exists" not in ENV_EXAMPLE
    assert "### Disclosure rule" in README
