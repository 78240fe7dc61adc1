"""Weight profiles: load them from TOML, derive them, and turn them into plain data and back.

- ``sia/profiles/*.toml`` ship with the package; ``load_profile`` also reads a user's own file.
- ``default`` (urgency and potential) and ``urgentie`` (public data only: the Leefbaarometer and
  CBS kerncijfers) are the standard profiles every gemeente sees.
- A profile may **extend** another packaged profile and change only its weights (the example
  partner profiles of Enschede do this, so every partner weighs exactly the same criteria)::

      extends = "default"
      name = "domijn"
      label = "Domijn"
      [weights]
      aandeel_label_efg = 4

- Which partner profiles a gemeente sees is data: the profile names of its organisations (the
  caller passes them; the engine knows no partner). ``ProfileCatalogue`` is that set: the
  standard profiles, the partner profiles and their ``consensus`` (the normalised geometric
  mean of their weights, ``sia.weights.consensus``), which carries their weights in ``partners``.
- ``with_overrides`` applies what a user changed for one run (weights, normalisation, method,
  top N) and returns the profile *as used*; ``profile_to_dict`` / ``profile_from_dict`` store it
  as plain JSON-able data and rebuild the identical profile (scenarios rely on this).
"""

from __future__ import annotations

import functools
import json
import os
import threading
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from sia.criteria import NormalisationSpec, Profile
from sia.errors import InvalidInput, NotFound
from sia.weights import consensus

__all__ = [
    "CONSENSUS_PROFILE",
    "DEFAULT_PROFILE",
    "STANDARD_PROFILES",
    "URGENCY_PROFILE",
    "ProfileCatalogue",
    "consensus_profile",
    "list_profiles",
    "load_packaged_profile",
    "load_profile",
    "partner_profiles",
    "profile_catalogue",
    "profile_from_dict",
    "profile_from_toml",
    "profile_to_dict",
    "with_overrides",
]

DEFAULT_PROFILE = "default"
URGENCY_PROFILE = "urgentie"
CONSENSUS_PROFILE = "consensus"
STANDARD_PROFILES: tuple[str, ...] = (DEFAULT_PROFILE, URGENCY_PROFILE)
"""Profiles every gemeente sees, whatever its organisations."""
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
        message = f"ongeldig wegingsprofiel in {source}: {summary}"
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
            f"{source}: een profiel dat een ander uitbreidt mag alleen "
            f"{', '.join(sorted(_EXTENDS_KEYS))} zetten; gevonden: {', '.join(extra)}"
        )
    if not isinstance(base_name, str) or base_name in (*seen, CONSENSUS_PROFILE):
        raise InvalidInput(
            f"{source}: kan '{base_name}' niet uitbreiden (kringverwijzing, berekend profiel of geen "
            "profielnaam)"
        )
    weights = data.get("weights", {})
    if not isinstance(weights, dict):
        raise InvalidInput(f"{source}: [weights] moet een tabel zijn van criterium = gewicht")
    base = _load_packaged(base_name, seen=seen)
    unknown = sorted(set(weights) - set(base.ids()))
    if unknown:
        raise InvalidInput(
            f"{source}: gewichten voor onbekende criteria {', '.join(unknown)}; "
            f"criteria van '{base_name}': {', '.join(base.ids())}"
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
        raise InvalidInput(f"{source} is geen geldige TOML: {exc}") from exc
    if "extends" in data:
        data = _extend(data, source=source, seen=seen)
    return profile_from_dict(data, source=source)


def profile_from_toml(text: str, *, source: str = "profile") -> Profile:
    """Parse and validate a profile from TOML text (``extends`` a packaged profile allowed)."""
    return _from_toml(text, source=source, seen=())


def _packaged_texts() -> tuple[tuple[str, str], ...]:
    """(name, TOML text) of every packaged profile file: the key of the profile cache.

    Read again only when a file's size or modification time changed (or a file came or went):
    every score request asks, and reading a dozen files each time cost a fifth of a score
    (``benchmarks/bench_load.py``)."""
    folder = resources.files("sia") / "profiles"
    if not isinstance(folder, Path):  # not a plain folder (e.g. a zip): read every time
        return _read_texts(folder)
    try:
        stats = [(e.name, e.stat()) for e in os.scandir(folder) if e.name.endswith(".toml")]
        signature = tuple(sorted((name, st.st_mtime_ns, st.st_size, st.st_ino) for name, st in stats))
    except OSError:
        return _read_texts(folder)
    with _TEXTS_LOCK:
        if _TEXTS_CACHE and _TEXTS_CACHE[0] == signature:
            return _TEXTS_CACHE[1]
    texts = _read_texts(folder)
    with _TEXTS_LOCK:
        _TEXTS_CACHE[:] = [signature, texts]
    return texts


_TEXTS_CACHE: list[Any] = []  # [signature, texts] of the last read
_TEXTS_LOCK = threading.Lock()


def _read_texts(folder: Any) -> tuple[tuple[str, str], ...]:
    return tuple(
        sorted(
            (p.name[: -len(".toml")], p.read_text(encoding="utf-8"))
            for p in folder.iterdir()
            if p.name.endswith(".toml")
        )
    )


def list_profiles() -> list[str]:
    """Names of the packaged profile files (``load_packaged_profile`` accepts them)."""
    return sorted(name for name, _ in _packaged_texts())


def profiles_version() -> str:
    """A digest of the packaged profile files: changes when one is edited (for caches of scores)."""
    return _digest(_packaged_texts())


@functools.lru_cache(maxsize=8)
def _digest(texts: tuple[tuple[str, str], ...]) -> str:
    import hashlib

    return hashlib.sha256(repr(texts).encode()).hexdigest()[:16]


def _load_packaged(name: str, *, seen: tuple[str, ...] = ()) -> Profile:
    return _cached_packaged(name, seen, _packaged_texts())


@functools.lru_cache(maxsize=64)
def _cached_packaged(name: str, seen: tuple[str, ...], texts: tuple[tuple[str, str], ...]) -> Profile:
    """Parsed packaged profiles, reused while no profile file changes (profiles are immutable)."""
    files = dict(texts)
    if name not in files:
        extra = (
            " ('consensus' wordt berekend uit de partnerprofielen van een gemeente)"
            if name == CONSENSUS_PROFILE
            else ""
        )
        raise NotFound(
            f"wegingsprofiel '{name}' bestaat niet{extra}; meegeleverde profielen: {', '.join(sorted(files))}"
        )
    return _from_toml(files[name], source=f"profiles/{name}.toml", seen=(*seen, name))


def load_packaged_profile(name: str) -> Profile:
    """A packaged profile by name only (never a file path): what a web request may ask for.

    Raises
    ------
    NotFound
        ``name`` is not in ``list_profiles()`` (the message lists them).
    """
    return _load_packaged(name)


def load_profile(source: str | Path = DEFAULT_PROFILE) -> Profile:
    """Load a profile by packaged name (``"default"``, ``"urgentie"``, ``"domijn"``) or from a
    ``.toml`` file path.

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
            raise NotFound(f"profielbestand {path} bestaat niet")
        return profile_from_toml(path.read_text(encoding="utf-8"), source=str(path))
    return _load_packaged(str(source))


def partner_profiles(names: Iterable[str]) -> dict[str, Profile]:
    """The packaged profiles of the given partner profile names, in that order."""
    texts = _packaged_texts()
    return {name: _cached_packaged(name, (), texts) for name in names}


def consensus_profile(partners: Mapping[str, Profile]) -> Profile:
    """The default profile with the consensus of the partner profiles as its weights.

    Consensus = normalised geometric mean per criterion (``sia.weights.consensus``). The partners'
    raw weights are kept in ``partners``, so ``partner_divergence`` compares them by default.

    Raises
    ------
    InvalidInput
        No partner profiles, or a partner profile weighs other criteria than the default profile.
    """
    if not partners:
        raise InvalidInput("een consensusprofiel vraagt om minstens één partnerprofiel")
    return _consensus(tuple(partners), _packaged_texts())


@functools.lru_cache(maxsize=16)
def _consensus(names: tuple[str, ...], texts: tuple[tuple[str, str], ...]) -> Profile:
    base = _cached_packaged(DEFAULT_PROFILE, (), texts)
    partners = {name: _cached_packaged(name, (), texts) for name in names}
    for partner, profile in partners.items():
        if profile.ids() != base.ids():
            raise InvalidInput(
                f"partnerprofiel '{partner}' heeft andere criteria dan '{DEFAULT_PROFILE}'; een consensus "
                "vraagt om dezelfde criteria voor elke partner"
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


ProfileKind = Literal["standaard", "partner", "consensus"]


@dataclass(frozen=True)
class ProfileCatalogue:
    """The profiles one gemeente sees: the standard profiles, the profiles of its organisations
    (profile name → the organisation(s) it belongs to) and, when there are any, their consensus.
    """

    partners: dict[str, str] = field(default_factory=dict)
    """Partner profile name → organisation name(s), in the order of the organisations."""
    missing: tuple[str, ...] = ()
    """Profile names the organisations refer to that are not packaged (left out)."""

    def names(self) -> list[str]:
        extra = [CONSENSUS_PROFILE] if self.partners else []
        standard = [n for n in STANDARD_PROFILES if n not in self.partners]
        return [*standard, *extra, *self.partners]

    def kind(self, name: str) -> ProfileKind:
        if name == CONSENSUS_PROFILE:
            return "consensus"
        return "partner" if name in self.partners else "standaard"

    def load(self, name: str) -> Profile:
        """A profile of this catalogue by name.

        Raises
        ------
        NotFound
            ``name`` is not one of ``names()`` (the message lists them).
        """
        if name not in self.names():
            raise NotFound(f"Wegingsprofiel '{name}' bestaat niet; kies uit: {', '.join(self.names())}.")
        if name == CONSENSUS_PROFILE:
            return consensus_profile(self.partner_profiles())
        return load_packaged_profile(name)

    def partner_profiles(self) -> dict[str, Profile]:
        return partner_profiles(self.partners)

    def recommended(self, *, partner_data: bool) -> str:
        """The profile a gemeente sees first: ``default`` with partner data, else ``urgentie``
        (public data only)."""
        return DEFAULT_PROFILE if partner_data else URGENCY_PROFILE


def profile_catalogue(partner_labels: Mapping[str, str] | None = None) -> ProfileCatalogue:
    """The catalogue for a gemeente whose organisations have these profiles (name → label)."""
    packaged = set(list_profiles())
    labels = dict(partner_labels or {})
    known = {k: v for k, v in labels.items() if k in packaged and k not in STANDARD_PROFILES}
    return ProfileCatalogue(known, tuple(k for k in labels if k not in packaged))


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
    for kind, given in (("gewichten", weights), ("normalisatie", normalisation)):
        unknown = [k for k in (given or {}) if k not in ids]
        if unknown:
            raise InvalidInput(
                f"Onbekende criteria in '{kind}': {', '.join(unknown)}; het profiel "
                f"'{profile.name}' kent: {', '.join(ids)}."
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
