"""Scoring for the API, shared by ``/api/scores`` and ``/api/scenarios``.

One run = the profile *as used* (``build_profile``: a shipped profile plus the request's weights,
normalisation, method and top N) × the indicator table of one gemeente, year and period
(``read_inputs``, or ``IndicatorCache`` for the interactive score panel) → ``run_score``, which
returns plain JSON-able data: weights, thresholds, the ranked buurten, contributions, imputed
values and the robustness analyses that were asked for. A scenario stores exactly that result,
so re-running it can be compared value by value.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
import pandas as pd
from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import Connection

from api.timing import Timings
from layers import queries
from layers.provenance import data_version
from sia.aggregate import METHODS
from sia.criteria import NormalisationSpec, Profile
from sia.errors import InvalidInput, NotFound
from sia.profile import (
    list_profiles,
    load_packaged_profile,
    partner_profiles,
    profile_from_dict,
    profile_to_dict,
    with_overrides,
)
from sia.robustness import compare_methods, monte_carlo, one_at_a_time, partner_divergence
from sia.scoring import ScoreResult, score

Weight = Annotated[float, Field(ge=0, allow_inf_nan=False)]
PERIOD_PATTERN = r"^\d{4}-(voorjaar|najaar)$"
_METHOD_NAMES: list[Any] = sorted(METHODS)  # for the OpenAPI enum


class MonteCarloIn(BaseModel):
    """Monte Carlo perturbation of the weights (seeded: the same seed gives the same result)."""

    model_config = ConfigDict(extra="forbid")

    trekkingen: int = Field(1000, ge=10, le=20000, description="number of weight draws")
    concentratie: float = Field(
        100, gt=0, allow_inf_nan=False, description="Dirichlet concentration; larger = closer"
    )
    seed: int = Field(0, ge=0, description="seed of the random generator")


class EenVoorEenIn(BaseModel):
    """One-at-a-time sensitivity: each weight in turn × (1 - stap) and × (1 + stap)."""

    model_config = ConfigDict(extra="forbid")

    stap: float = Field(0.2, gt=0, lt=1, description="relative change of each weight (0.2 = ±20 %)")


class Analyses(BaseModel):
    """Robustness analyses to run with a score (all optional; stored with a scenario)."""

    model_config = ConfigDict(extra="forbid")

    monte_carlo: MonteCarloIn | None = Field(
        None, description="probability per buurt of a top-N place and its 5–95 % rank interval"
    )
    een_voor_een: EenVoorEenIn | None = Field(
        None, description="rank change per buurt when one weight at a time moves by ±stap"
    )
    partnerprofielen: bool = Field(
        False, description="rank of each buurt under each partner's weight profile and the spread"
    )
    methodevergelijking: bool = Field(
        False, description="Kendall's tau between the rankings of gewogen_som and topsis"
    )


class ScoreRequest(Analyses):
    """What to score: a shipped profile, optional changes to it, and which data."""

    profiel: str = Field(
        "default",
        pattern=r"^[a-z][a-z0-9_]*$",
        description="name of a shipped profile (GET /api/scores/profiles), e.g. 'default', "
        "'domijn' or 'consensus'",
    )
    methode: str | None = Field(
        None,
        description="aggregation method; default: the profile's",
        json_schema_extra={"enum": _METHOD_NAMES},
    )
    gewichten: dict[str, Weight] | None = Field(
        None, description="criterion id → raw weight (>= 0); criteria not given keep the profile weight"
    )
    normalisatie: dict[str, NormalisationSpec] | None = Field(
        None, description="criterion id → normalisation {name, params}, replacing the profile's"
    )
    gemeente: str | None = Field(None, pattern=r"^GM\d{4}$", description="default: the map's gemeente")
    jaar: int | None = Field(None, ge=1990, le=2100, description="buurten year; default: the newest")
    periode: str | None = Field(
        None, pattern=PERIOD_PATTERN, description="partner period; default: the newest"
    )
    top_n: int | None = Field(None, ge=1, le=1000, description="top list size; default: the profile's")

    @field_validator("methode")
    @classmethod
    def _known_method(cls, value: str | None) -> str | None:
        if value is not None and value not in METHODS:
            raise ValueError(f"is een onbekende methode; kies uit: {', '.join(sorted(METHODS))}")
        return value

    def analyses(self) -> Analyses:
        return Analyses.model_validate(self.model_dump(include=set(Analyses.model_fields)))


def build_profile(request: ScoreRequest) -> Profile:
    """The shipped profile with the request's changes applied: the profile as used."""
    if request.profiel not in list_profiles():
        raise NotFound(
            f"Wegingsprofiel '{request.profiel}' bestaat niet; kies uit: {', '.join(list_profiles())}."
        )
    base = load_packaged_profile(request.profiel)
    for kind, given in (("gewichten", request.gewichten), ("normalisatie", request.normalisatie)):
        unknown = [k for k in (given or {}) if k not in base.ids()]
        if unknown:
            raise InvalidInput(
                f"Onbekende criteria in '{kind}': {', '.join(unknown)}; het profiel "
                f"'{base.name}' kent: {', '.join(base.ids())}."
            )
    profile = with_overrides(
        base,
        weights=request.gewichten,
        normalisation=request.normalisatie,
        method=request.methode,
        top_n=request.top_n,
    )
    if request.partnerprofielen:  # the partners' weights become part of the profile as used
        data = profile_to_dict(profile)
        data["partners"] = {
            name: {k: w for k, w in p.weights().items() if k in profile.ids()}
            for name, p in partner_profiles().items()
        }
        profile = profile_from_dict(data, source=f"profile {profile.name!r} with partner weights")
    return profile


# -- the indicator table -------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """The indicator table of one gemeente, buurten year and partner period (do not modify)."""

    frame: pd.DataFrame
    gemeente: str
    jaar: int
    periode: str | None
    synthetisch: bool


def read_inputs(conn: Connection, *, gemeente: str, jaar: int | None, periode: str | None) -> Inputs:
    """Read the indicator table (newest year and period when not given)."""
    data = queries.indicator_table(conn, gemeente=gemeente, year=jaar, periode=periode)
    if not data["rijen"]:
        raise NotFound(
            f"Geen buurten van {gemeente}{f' in {jaar}' if jaar else ''} geladen; laad eerst de "
            "buurtenkaart (sia load buurten)."
        )
    frame = pd.DataFrame(data["rijen"]).set_index("buurtcode")
    return Inputs(frame, gemeente, int(data["jaar"]), data["periode"], bool(data["synthetisch"]))


class IndicatorCache:
    """Indicator tables per (gemeente, jaar, periode), reused while ``data_version`` is unchanged.

    Reading the table aggregates the partner deliveries in PostGIS (~140 ms for Enschede); a
    score on a cached table takes a few milliseconds, so weight sliders can re-rank live.
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[tuple[Any, ...], tuple[Any, Inputs]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, conn: Connection, *, gemeente: str, jaar: int | None, periode: str | None) -> Inputs:
        version = data_version(conn)  # read first: the table read next is at least this new
        key = (gemeente, jaar, periode)
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] == version:
                self._items.move_to_end(key)
                self.hits += 1
                return hit[1]
        inputs = read_inputs(conn, gemeente=gemeente, jaar=jaar, periode=periode)
        with self._lock:
            self.misses += 1
            self._items[key] = (version, inputs)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return inputs


def indicator_cache(request: Request) -> IndicatorCache:
    """The application's cache (created on first use)."""
    state = request.app.state
    cache: IndicatorCache | None = getattr(state, "indicator_cache", None)
    if cache is None:
        cache = state.indicator_cache = IndicatorCache()
    return cache


CacheDep = Annotated[IndicatorCache, Depends(indicator_cache)]


# -- one run -------------------------------------------------------------------------------


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-able dicts (index as a column; NaN/NA → None; numpy scalars → Python)."""
    out = frame.reset_index().replace({np.nan: None})
    return [
        {str(k): (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
        for r in out.to_dict("records")
    ]


def _number(value: float) -> float | None:
    return None if not np.isfinite(value) else float(value)


def _one_at_a_time(result: ScoreResult, stap: float) -> dict[str, Any]:
    change = one_at_a_time(result, delta=stap)
    top_n = result.profile.top_n
    base = result.rank.to_numpy(dtype=int)
    index = change.index
    values = change.to_numpy()
    columns: list[tuple[str, str]] = [(str(c[0]), str(c[1])) for c in change.columns.to_flat_index()]
    labels = [f"{cid} {tag}" for cid, tag in columns]
    criteria = []
    for j, (cid, tag) in enumerate(columns):
        col = values[:, j]
        new = base + col
        criteria.append(
            {
                "criterium": cid,
                "wijziging": tag,
                "max_rangverschuiving": int(np.abs(col).max()),
                "buurten_verschoven": int((col != 0).sum()),
                "top_erin": sorted(index[(new <= top_n) & (base > top_n)]),
                "top_eruit": sorted(index[(new > top_n) & (base <= top_n)]),
            }
        )
    strongest = np.abs(values).argmax(axis=1)
    buurten = [
        {
            "buurtcode": code,
            "rang": int(base[i]),
            "max_daling": int(max(0, values[i].max())),
            "max_stijging": int(max(0, -values[i].min())),
            "gevoeligst_voor": labels[strongest[i]] if values[i, strongest[i]] != 0 else None,
        }
        for i, code in enumerate(index)
    ]
    return {"stap": stap, "top_n": top_n, "criteria": criteria, "buurten": buurten}


def _partner_divergence(result: ScoreResult) -> dict[str, Any]:
    """Ranks under the partner weights stored in the profile as used (so a scenario re-runs with
    the weights it was saved with, whatever the partner files say now)."""
    profiles = partner_profiles()
    stored = result.profile.partners or {name: p.weights() for name, p in profiles.items()}
    ids = set(result.profile.ids())  # criteria left out for lack of data are left out here too
    div = partner_divergence(  # in name order: the stored (jsonb) order differs, and so would the
        result,  # last bits of the spread
        {name: {k: w for k, w in weights.items() if k in ids} for name, weights in sorted(stored.items())},
    )
    ranks = div.ranks.to_numpy(dtype=int)
    summary = div.summary.loc[div.ranks.index]
    rank_min, rank_max = summary["rang_min"].to_numpy(), summary["rang_max"].to_numpy()
    spread, std = summary["bereik"].to_numpy(), summary["std"].to_numpy(dtype=float)
    return {
        "partners": {name: profiles[name].label if name in profiles else name for name in stored},
        "buurten": [
            {
                "buurtcode": code,
                "rang": int(result.rank[code]),
                "rangen": dict(zip(div.ranks.columns, map(int, ranks[i]), strict=True)),
                "rang_min": int(rank_min[i]),
                "rang_max": int(rank_max[i]),
                "bereik": int(spread[i]),
                "std": float(std[i]),
            }
            for i, code in enumerate(div.ranks.index)
        ],
    }


def without_empty_criteria(profile: Profile, inputs: Inputs) -> tuple[Profile, list[dict[str, Any]]]:
    """The profile without criteria that have no value for any buurt (e.g. partner criteria in a
    gemeente without partner deliveries), and what was left out. An axis left without criteria
    is an error that says which data are missing."""
    empty = [c for c in profile.criteria if inputs.frame[c.id].isna().all()] if len(inputs.frame) else []
    if not empty:
        return profile, []
    left_out = [
        {"id": c.id, "label": c.label, "as": c.axis, "reden": "geen waarde voor enige buurt"} for c in empty
    ]
    for axis in ("urgentie", "potentie"):
        if all(c in empty for c in profile.criteria if c.axis == axis):
            labels = ", ".join(c.label for c in profile.criteria if c.axis == axis)
            raise InvalidInput(
                f"Er zijn geen gegevens voor de {axis}-criteria in {inputs.gemeente}"
                f"{f' (periode {inputs.periode})' if inputs.periode else ''}: {labels}. "
                + (
                    "Laad de leveringen van de partners (sia load partner, of 'Partnerdata leveren' "
                    "in de kaart), of kies een profiel met criteria waarvoor wel gegevens zijn."
                    if axis == "potentie"
                    else "Laad de Leefbaarometer en de partnerleveringen voor deze gemeente."
                ),
                details=left_out,
            )
    data = profile_to_dict(profile)
    gone = {e.id for e in empty}
    data["criteria"] = [c for c in data["criteria"] if c["id"] not in gone]
    data["partners"] = {
        name: {k: w for k, w in weights.items() if k not in gone}
        for name, weights in (data.get("partners") or {}).items()
    }
    return profile_from_dict(data, source=f"profile {profile.name!r} without empty criteria"), left_out


def check_weights(profile: Profile) -> None:
    """Each axis needs a positive weight; said in Dutch, naming the criteria of the axis."""
    for axis in ("urgentie", "potentie"):
        criteria = [c for c in profile.criteria if c.axis == axis]
        if criteria and sum(c.weight for c in criteria) <= 0:
            raise InvalidInput(
                f"Alle gewichten van de {axis} staan op 0; geef minstens één van deze criteria een "
                f"gewicht groter dan 0: {', '.join(c.label for c in criteria)}."
            )


def run_score(
    profile: Profile, inputs: Inputs, analyses: Analyses, *, timings: Timings | None = None
) -> dict[str, Any]:
    """Score ``inputs`` with ``profile`` and run the requested analyses; JSON-able result."""
    timings = timings or Timings()
    with timings.measure("engine"):
        profile, left_out = without_empty_criteria(profile, inputs)
        check_weights(profile)
        result = score(inputs.frame, profile)
        table = result.to_frame().join(inputs.frame[["buurtnaam"]])
        out: dict[str, Any] = {
            "gewichten": {k: float(v) for k, v in result.weights.items()},
            "drempels": {k: float(v) for k, v in result.thresholds.items()},
            "buurten": records(table),
            "bijdragen": records(result.contributions.round(6)),
            "geimputeerd": records(result.imputed[result.imputed.any(axis=1)]),
        }
        if left_out:
            out["weggelaten"] = left_out
    if analyses.monte_carlo:
        mc_in = analyses.monte_carlo
        with timings.measure("monte_carlo"):
            mc = monte_carlo(
                result, n_draws=mc_in.trekkingen, concentration=mc_in.concentratie, seed=mc_in.seed
            )
            out["robuustheid"] = records(mc.table)
    if analyses.een_voor_een:
        with timings.measure("een_voor_een"):
            out["een_voor_een"] = _one_at_a_time(result, analyses.een_voor_een.stap)
    if analyses.partnerprofielen:
        with timings.measure("partnerprofielen"):
            out["partnerprofielen"] = _partner_divergence(result)
    if analyses.methodevergelijking:
        taus = compare_methods(result, tuple(METHODS))
        out["methodevergelijking"] = {
            "kendall_tau": {
                str(a): {str(b): _number(float(taus.to_numpy()[i, j])) for j, b in enumerate(taus.columns)}
                for i, a in enumerate(taus.index)
            }
        }
    return out


def describe(profile: Profile, inputs: Inputs) -> dict[str, Any]:
    """What a run was computed from (the fields around the result in a response)."""
    return {
        "profiel": profile.name,
        "profiel_label": profile.label,
        "methode": profile.method,
        "combinatie": profile.combine,
        "top_n": profile.top_n,
        "gemeente": inputs.gemeente,
        "jaar": inputs.jaar,
        "periode": inputs.periode,
        "synthetisch": inputs.synthetisch,
    }


def as_stored(data: Any) -> Any:
    """``data`` as it comes back from a jsonb column (for exact comparison with a stored result)."""
    return json.loads(json.dumps(data, allow_nan=False))
