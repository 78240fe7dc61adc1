"""Weight profiles: load them from TOML, derive them, and turn them into plain data and back.

- ``sia/profiles/*.toml`` ship with the package; ``load_profile`` also reads a user's own file.
- A profile may **extend** another packaged profile and change only its weights (the partner
  profiles do this, so every partner weighs exactly the same criteria)::

      extends = "default"
      name = "domijn"
      label = "Domijn"
      [weights]
      aandeel_label_efg = 4

- ``consensus`` is not a file: it is computed from the partner profiles (the normalised geometric
  mean of their weights, ``sia.weights.consensus``) and carries their weights in ``partners``.
- ``with_overrides`` applies what a user changed for one run (weights, normalisation, method,
  top N) and returns the profile *as used*; ``profile_to_dict`` / ``profile_from_dict`` store it
  as plain JSON-able data and rebuild the identical profile (scenarios rely on this).
"""

from __future__ import annotations

import functools
import json
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sia.criteria import NormalisationSpec, Profile
from sia.errors import InvalidInput, NotFound
from sia.weights import PARTNERS, consensus

__all__ = [
    "CONSENSUS_PROFILE",
    "DEFAULT_PROFILE",
    "consensus_profile",
    "list_profiles",
    "load_packaged_profile",
    "load_profile",
    "partner_profiles",
    "profile_from_dict",
    "profile_from_toml",
    "profile_to_dict",
    "with_overrides",
]

DEFAULT_PROFILE = "default"
CONSENSUS_PROFILE = "consensus"
_EXTENDS_KEYS = frozenset({"extends", "name", "label", "description", "weights"})


def _validation_details(exc: ValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": ".".join(str(p) for p in e["loc"]), "msg": e["msg"], "input": repr(e["input"])[:80]}
        for e in exc.errors()
    ]


def profile_from_dict(data: Mapping[str, Any], *, source: str = "profile") -> Profile:
    """Validate a profile given as a plain dict (e.g. parsed TOML or a JSON request body)."""
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        details = _validation_details(exc)
        summary = "; ".join(f"{d['loc'] or '(root)'}: {d['msg']}" for d in details[:5])
        message = f"invalid weight profile in {source}: {summary}"
        raise InvalidInput(message, details=details) from exc


def profile_to_dict(profile: Profile) -> dict[str, Any]:
    """The profile as JSON-able data; ``profile_from_dict`` rebuilds an equal profile."""
    data = profile.model_dump(mode="json")
    json.dumps(data, allow_nan=False)  # fails loudly rather than storing something unreadable
    return data


def _extend(data: dict[str, Any], *, source: str, seen: tuple[str, ...]) -> dict[str, Any]:
    """Resolve ``extends``: the base profile with this file's name, labels and weights."""
    base_name = data["extends"]
    extra = sorted(set(data) - _EXTENDS_KEYS)
    if extra:
        raise InvalidInput(
            f"{source}: a profile that extends another may only set "
            f"{', '.join(sorted(_EXTENDS_KEYS))}; found {', '.join(extra)}"
        )
    if not isinstance(base_name, str) or base_name in (*seen, CONSENSUS_PROFILE):
        raise InvalidInput(
            f"{source}: cannot extend {base_name!r} (circular, computed, or not a profile name)"
        )
    weights = data.get("weights", {})
    if not isinstance(weights, dict):
        raise InvalidInput(f"{source}: [weights] must be a table of criterion id = weight")
    base = _load_packaged(base_name, seen=seen)
    unknown = sorted(set(weights) - set(base.ids()))
    if unknown:
        raise InvalidInput(
            f"{source}: weights for unknown criteria {', '.join(unknown)}; "
            f"criteria of {base_name!r}: {', '.join(base.ids())}"
        )
    out = profile_to_dict(base)
    for criterion in out["criteria"]:
        criterion["weight"] = weights.get(criterion["id"], criterion["weight"])
    out.update({k: data[k] for k in ("name", "label", "description") if k in data})
    return out


def _from_toml(text: str, *, source: str, seen: tuple[str, ...]) -> Profile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{source} is not valid TOML: {exc}") from exc
    if "extends" in data:
        data = _extend(data, source=source, seen=seen)
    return profile_from_dict(data, source=source)


def profile_from_toml(text: str, *, source: str = "profile") -> Profile:
    """Parse and validate a profile from TOML text (``extends`` a packaged profile allowed)."""
    return _from_toml(text, source=source, seen=())


def _packaged_texts() -> tuple[tuple[str, str], ...]:
    """(name, TOML text) of every packaged profile file: the key of the profile cache."""
    folder = resources.files("sia") / "profiles"
    return tuple(
        sorted(
            (p.name[: -len(".toml")], p.read_text(encoding="utf-8"))
            for p in folder.iterdir()
            if p.name.endswith(".toml")
        )
    )


def list_profiles() -> list[str]:
    """Names accepted by ``load_profile``: the packaged files plus ``consensus``."""
    return sorted([*(name for name, _ in _packaged_texts()), CONSENSUS_PROFILE])


def _load_packaged(name: str, *, seen: tuple[str, ...] = ()) -> Profile:
    return _cached_packaged(name, seen, _packaged_texts())


@functools.lru_cache(maxsize=64)
def _cached_packaged(name: str, seen: tuple[str, ...], texts: tuple[tuple[str, str], ...]) -> Profile:
    """Parsed packaged profiles, reused while no profile file changes (profiles are immutable)."""
    if name == CONSENSUS_PROFILE:
        return _consensus()
    files = dict(texts)
    if name not in files:
        raise NotFound(f"unknown profile {name!r}; packaged profiles: {', '.join(list_profiles())}")
    return _from_toml(files[name], source=f"profiles/{name}.toml", seen=(*seen, name))


def load_packaged_profile(name: str) -> Profile:
    """A profile by name only (never a file path): what a web request may ask for.

    Raises
    ------
    NotFound
        ``name`` is not in ``list_profiles()`` (the message lists them).
    """
    return _load_packaged(name)


def load_profile(source: str | Path = DEFAULT_PROFILE) -> Profile:
    """Load a profile by packaged name (``"default"``, ``"domijn"``, ``"consensus"``) or from a
    ``.toml`` file path.

    Raises
    ------
    NotFound
        No packaged profile of that name and no such file.
    InvalidInput
        The file is not valid TOML or not a valid profile.
    """
    if source == CONSENSUS_PROFILE:
        return consensus_profile()
    path = Path(source)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise NotFound(f"profile file {path} does not exist")
        return profile_from_toml(path.read_text(encoding="utf-8"), source=str(path))
    return _load_packaged(str(source))


def partner_profiles() -> dict[str, Profile]:
    """The packaged profile of every SIA partner (``sia.weights.PARTNERS``), in that order."""
    texts = _packaged_texts()
    return {partner: _cached_packaged(partner, (), texts) for partner in PARTNERS}


def consensus_profile() -> Profile:
    """The default profile with the consensus of the partner profiles as its weights.

    Consensus = normalised geometric mean per criterion (``sia.weights.consensus``). The partners'
    raw weights are kept in ``partners``, so ``partner_divergence`` compares them by default.

    Raises
    ------
    InvalidInput
        A partner profile weighs other criteria than the default profile.
    """
    return _load_packaged(CONSENSUS_PROFILE)


def _consensus() -> Profile:
    base = _load_packaged(DEFAULT_PROFILE)
    partners = partner_profiles()
    for partner, profile in partners.items():
        if profile.ids() != base.ids():
            raise InvalidInput(
                f"partner profile {partner!r} has other criteria than {DEFAULT_PROFILE!r}; "
                "a consensus needs the same criteria for every partner"
            )
    raw = {partner: profile.weights() for partner, profile in partners.items()}
    weights = consensus(raw, {c.id: c.axis for c in base.criteria})
    data = profile_to_dict(base)
    for criterion in data["criteria"]:
        criterion["weight"] = float(weights[criterion["id"]])
    data.update(
        name=CONSENSUS_PROFILE,
        label="Consensusprofiel van de partners",
        description="Genormaliseerd geometrisch gemiddelde van de gewichten van de "
        f"{len(partners)} partnerprofielen; een gewicht 0 van één partner telt als veto.",
        partners=raw,
    )
    return profile_from_dict(data, source=CONSENSUS_PROFILE)


def with_overrides(
    profile: Profile,
    *,
    weights: Mapping[str, float] | None = None,
    normalisation: Mapping[str, NormalisationSpec | Mapping[str, Any]] | None = None,
    method: str | None = None,
    top_n: int | None = None,
) -> Profile:
    """The profile as used in one run: raw weights, normalisations, method or top N replaced.

    Scoring the result gives exactly what ``score(table, profile, method=..., weights=...)``
    gives; the point is that the returned profile alone reproduces the run. Changing the method
    drops the profile's method parameters (they belong to the old method).

    Raises
    ------
    InvalidInput
        Unknown criterion ids (the message lists the profile's criteria) or invalid values.
    """
    ids = profile.ids()
    for kind, given in (("weights", weights), ("normalisation", normalisation)):
        unknown = [k for k in (given or {}) if k not in ids]
        if unknown:
            raise InvalidInput(
                f"unknown criteria in {kind}: {', '.join(unknown)}; "
                f"criteria in profile {profile.name!r}: {', '.join(ids)}"
            )
    if not (weights or normalisation or method or top_n):
        return profile
    data = profile_to_dict(profile)
    for criterion in data["criteria"]:
        cid = criterion["id"]
        if weights and cid in weights:
            criterion["weight"] = weights[cid]
        if normalisation and cid in normalisation:
            spec = normalisation[cid]
            criterion["normalisation"] = (
                spec.model_dump(mode="json") if isinstance(spec, NormalisationSpec) else dict(spec)
            )
    if method and method != profile.method:
        data.update(method=method, method_params={})
    if top_n:
        data["top_n"] = top_n
    return profile_from_dict(data, source=f"profile {profile.name!r} with changes")
