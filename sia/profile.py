"""Load weight profiles from TOML (``sia/profiles/*.toml`` or a user's own file)."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sia.criteria import Profile
from sia.errors import InvalidInput, NotFound

__all__ = ["DEFAULT_PROFILE", "list_profiles", "load_profile", "profile_from_toml"]

DEFAULT_PROFILE = "default"


def _validation_details(exc: ValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": ".".join(str(p) for p in e["loc"]), "msg": e["msg"], "input": repr(e["input"])[:80]}
        for e in exc.errors()
    ]


def profile_from_dict(data: dict[str, Any], *, source: str = "profile") -> Profile:
    """Validate a profile given as a plain dict (e.g. parsed TOML or a JSON request body)."""
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        details = _validation_details(exc)
        summary = "; ".join(f"{d['loc'] or '(root)'}: {d['msg']}" for d in details[:5])
        message = f"invalid weight profile in {source}: {summary}"
        raise InvalidInput(message, details=details) from exc


def profile_from_toml(text: str, *, source: str = "profile") -> Profile:
    """Parse and validate a profile from TOML text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{source} is not valid TOML: {exc}") from exc
    return profile_from_dict(data, source=source)


def list_profiles() -> list[str]:
    """Names of the profiles shipped with the package."""
    folder = resources.files("sia") / "profiles"
    return sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_profile(source: str | Path = DEFAULT_PROFILE) -> Profile:
    """Load a profile by packaged name (``"default"``) or from a ``.toml`` file path.

    Raises
    ------
    NotFound
        No packaged profile of that name and no such file.
    InvalidInput
        The file is not valid TOML or not a valid profile.
    """
    path = Path(source)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise NotFound(f"profile file {path} does not exist")
        return profile_from_toml(path.read_text(encoding="utf-8"), source=str(path))
    name = str(source)
    names = list_profiles()
    if name not in names:
        raise NotFound(f"unknown profile {name!r}; packaged profiles: {', '.join(names)}")
    text = (resources.files("sia") / "profiles" / f"{name}.toml").read_text(encoding="utf-8")
    return profile_from_toml(text, source=f"profiles/{name}.toml")
