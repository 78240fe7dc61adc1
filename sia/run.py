"""One scoring run with the rules around the engine, shared by the API, the CLI and the notebook.

``run(frame, profile, analyses, sources=...)`` applies, in order:

1. **Criteria without data are left out** (no value for any buurt, e.g. partner criteria in a
   gemeente without partner deliveries, or CBS kerncijfers the loaded file does not carry) and
   listed in ``weggelaten``. When nothing is left the error names what to load.
2. **An axis may be unknown.** A profile (or what is left of it) with only urgency criteria ranks
   by urgency; its quadrant is ``potentie_onbekend`` and its potential ``None`` (and the other way
   round). The combined score is then the known axis score.
3. **Weights are checked** per axis: an axis whose weights are all 0 is an error in Dutch.
4. The score (``sia.scoring.score``), then the analyses asked for: Monte Carlo, one at a time,
   partner profiles, method comparison, summarised as plain data.
5. **Synthetic is per criterion.** ``sources`` says per indicator column whether it comes from
   synthetic data; the run is synthetic only when a criterion it weighs (weight > 0) is.

The output (``Run.output``) is plain JSON-able data; a scenario stores exactly that, so a re-run
can be compared value by value. The engine knows no database, no gemeente and no partner: the
caller passes the partner weights (in the profile's ``partners``) and their labels.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from sia.aggregate import METHODS, QUADRANT_LABELS, rank_descending
from sia.criteria import AXES, Profile
from sia.errors import InvalidInput
from sia.profile import profile_from_dict, profile_to_dict
from sia.robustness import compare_methods, monte_carlo, one_at_a_time, partner_divergence
from sia.scoring import ScoreResult, score

__all__ = [
    "QUADRANTS",
    "Analyses",
    "EenVoorEen",
    "MonteCarlo",
    "Run",
    "check_weights",
    "records",
    "run",
    "score_profile",
    "without_empty_criteria",
]

UNKNOWN_QUADRANT = {"urgentie": "urgentie_onbekend", "potentie": "potentie_onbekend"}
QUADRANTS: dict[str, str] = {
    **QUADRANT_LABELS,
    "potentie_onbekend": "Potentie onbekend: gerangschikt op urgentie alleen",
    "urgentie_onbekend": "Urgentie onbekend: gerangschikt op potentie alleen",
}
"""Quadrant code → Dutch explanation, including the two codes of a profile with one axis."""


class MonteCarlo(BaseModel):
    """Monte Carlo perturbation of the weights (seeded: the same seed gives the same result)."""

    model_config = ConfigDict(extra="forbid")

    trekkingen: int = Field(1000, ge=10, le=20000, description="number of weight draws")
    concentratie: float = Field(
        100, gt=0, allow_inf_nan=False, description="Dirichlet concentration; larger = closer"
    )
    seed: int = Field(0, ge=0, description="seed of the random generator")


class EenVoorEen(BaseModel):
    """One-at-a-time sensitivity: each weight in turn × (1 - stap) and × (1 + stap)."""

    model_config = ConfigDict(extra="forbid")

    stap: float = Field(0.2, gt=0, lt=1, description="relative change of each weight (0.2 = ±20 %)")


class Analyses(BaseModel):
    """Robustness analyses to run with a score (all optional; stored with a scenario)."""

    model_config = ConfigDict(extra="forbid")

    monte_carlo: MonteCarlo | None = Field(
        None, description="probability per buurt of a top-N place and its 5–95 % rank interval"
    )
    een_voor_een: EenVoorEen | None = Field(
        None, description="rank change per buurt when one weight at a time moves by ±stap"
    )
    partnerprofielen: bool = Field(
        False, description="rank of each buurt under each partner's weight profile and the spread"
    )
    methodevergelijking: bool = Field(
        False, description="Kendall's tau between the rankings of gewogen_som and topsis"
    )


class _Timings(Protocol):
    def measure(self, name: str) -> AbstractContextManager[Any]: ...


@contextmanager
def _nothing() -> Iterator[None]:
    yield


# -- the rules -----------------------------------------------------------------------------


def without_empty_criteria(
    profile: Profile, frame: pd.DataFrame, *, where: str = "", alternatives: Sequence[str] = ()
) -> tuple[Profile, list[dict[str, Any]]]:
    """The profile without the criteria that have no value for any buurt it ranks, and what was
    left out.

    A buurt without a value in a criterion with policy ``uitsluiten`` is not ranked, so a criterion
    whose values all lie in such buurten has nothing to rank or impute from either (e.g. a share
    the disclosure rule leaves empty wherever one corporation's confidential records are); it is
    left out like a criterion without any value.

    ``where`` names the data in messages (e.g. "GM0153, periode 2026-najaar"); ``alternatives``
    are profile names the caller can offer (only names that exist there).

    Raises
    ------
    InvalidInput
        No criterion of the profile has any value (the message lists them and what to load).
    """
    if not frame.columns.is_unique:
        twice = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        raise InvalidInput(f"De tabel heeft kolommen die twee keer voorkomen: {', '.join(twice)}.")
    # one boolean matrix (buurten × criteria present in the frame) instead of a lookup per cell
    in_frame = list(dict.fromkeys(c.id for c in profile.criteria if c.id in frame.columns))
    known = frame[in_frame].notna().to_numpy() if in_frame else np.zeros((len(frame), 0), dtype=bool)
    column = {cid: j for j, cid in enumerate(in_frame)}
    present = {cid for cid, j in column.items() if known[:, j].any()}
    excluding = [column[c.id] for c in profile.criteria if c.id in present and c.missing == "uitsluiten"]
    ranked = known[:, excluding].all(axis=1) if excluding else np.ones(len(frame), dtype=bool)
    if not ranked.any():  # nothing to rank at all: the engine says so
        ranked = np.ones(len(frame), dtype=bool)
    reasons = {
        c.id: "geen waarde voor enige buurt"
        if c.id not in present
        else "geen waarde voor de buurten die gerangschikt worden"
        for c in profile.criteria
        if c.id not in present or not known[ranked, column[c.id]].any()
    }
    empty = [c for c in profile.criteria if c.id in reasons]
    if not empty:
        return profile, []
    left_out = [{"id": c.id, "label": c.label, "as": c.axis, "reden": reasons[c.id]} for c in empty]
    if len(empty) == len(profile.criteria):
        offer = [a for a in alternatives if a != profile.name]
        raise InvalidInput(
            f"Er zijn geen gegevens voor de criteria van profiel '{profile.name}'"
            f"{f' ({where})' if where else ''}: {', '.join(c.label for c in empty)}. Laad de "
            "Leefbaarometer (sia load leefbaarometer) of de leveringen van de partners"
            + (f", of kies een ander profiel: {', '.join(offer)}." if offer else "."),
            details=left_out,
        )
    data = profile_to_dict(profile)
    gone = {c.id for c in empty}
    data["criteria"] = [c for c in data["criteria"] if c["id"] not in gone]
    data["partners"] = {
        name: {k: w for k, w in weights.items() if k not in gone}
        for name, weights in (data.get("partners") or {}).items()
    }
    return profile_from_dict(data, source=f"profiel '{profile.name}' zonder lege criteria"), left_out


def check_weights(profile: Profile) -> None:
    """Each axis with criteria needs a positive weight; said in Dutch, naming its criteria."""
    for axis in AXES:
        criteria = [c for c in profile.criteria if c.axis == axis]
        if criteria and sum(c.weight for c in criteria) <= 0:
            raise InvalidInput(
                f"Alle gewichten van de {axis} staan op 0; geef minstens één van deze criteria een "
                f"gewicht groter dan 0: {', '.join(c.label for c in criteria)}."
            )


def known_axes(profile: Profile) -> tuple[str, ...]:
    """The axes the profile has criteria on."""
    return tuple(a for a in AXES if profile.ids(a))


def score_profile(frame: pd.DataFrame, profile: Profile) -> ScoreResult:
    """``sia.scoring.score``; with one axis unknown, the buurten rank by the known axis.

    The unknown axis score is NaN, the quadrant ``<axis>_onbekend`` and its threshold NaN. The
    analyses (Monte Carlo, one at a time) see an unknown axis as 0 with the mean as combination,
    which orders the buurten exactly as the known axis does.
    """
    axes = known_axes(profile)
    if len(axes) == len(AXES):
        return score(frame, profile)
    result = score(frame, profile, combine="gemiddelde")
    known = axes[0]
    unknown = next(a for a in AXES if a != known)
    combined = result.axis_scores[known].rename("gecombineerd")
    axis_scores = result.axis_scores.assign(**{unknown: np.nan})
    quadrant = pd.Series(UNKNOWN_QUADRANT[unknown], index=axis_scores.index, name="kwadrant", dtype=object)
    return dataclasses.replace(
        result,
        axis_scores=axis_scores,
        combined=combined,
        rank=rank_descending(combined),
        quadrant=quadrant,
        thresholds={known: result.thresholds[known], unknown: float("nan")},
    )


# -- plain data ----------------------------------------------------------------------------


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-able dicts (index as a column; NaN/NA → None; numpy scalars → Python).

    Column by column (``tolist`` gives Python scalars), not cell by cell: a score answer turns a
    few thousand cells into JSON on every new weighting (``benchmarks/bench_load.py``)."""
    flat = frame.reset_index()
    names = [str(c) for c in flat.columns]
    columns = []
    for j in range(flat.shape[1]):
        col = flat.iloc[:, j]
        values = col.tolist()
        missing = col.isna().to_numpy()
        if missing.any():
            values = [None if m else v for v, m in zip(values, missing, strict=True)]
        if col.dtype == object:  # numpy scalars kept inside an object column
            values = [v.item() if isinstance(v, np.generic) else v for v in values]
        columns.append(values)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


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


def _partner_divergence(result: ScoreResult, labels: Mapping[str, str]) -> dict[str, Any]:
    """Ranks under the partner weights stored in the profile as used (so a scenario re-runs with
    the weights it was saved with, whatever the partner files say now)."""
    stored = result.profile.partners
    if not stored:
        raise InvalidInput(
            "Er zijn geen partnerprofielen om te vergelijken: geen van de organisaties van deze "
            "gemeente heeft een wegingsprofiel."
        )
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
        "partners": {name: labels.get(name, name) for name in stored},
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


def _method_comparison(result: ScoreResult) -> dict[str, Any]:
    taus = compare_methods(result, tuple(METHODS))
    return {
        "kendall_tau": {
            str(a): {str(b): _number(float(taus.to_numpy()[i, j])) for j, b in enumerate(taus.columns)}
            for i, a in enumerate(taus.index)
        }
    }


# -- one run -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A scored profile and its plain-data output."""

    profile: Profile
    """The profile as used: without the criteria left out for lack of data."""
    result: ScoreResult
    left_out: list[dict[str, Any]]
    criteria: list[dict[str, Any]]
    """Per criterion used: id, label, axis, normalised weight and what it stands on (``sources``)."""
    synthetic: bool
    output: dict[str, Any]


def _criteria(
    profile: Profile, result: ScoreResult, sources: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    out = []
    for c in profile.criteria:
        source = dict(sources.get(c.id, {}))
        out.append(
            {
                "id": c.id,
                "label": c.label,
                "as": c.axis,
                "gewicht": float(result.weights[c.id]),
                **source,
                "synthetisch": bool(source.get("synthetisch", False)),
            }
        )
    return out


def run(
    frame: pd.DataFrame,
    profile: Profile,
    analyses: Analyses | None = None,
    *,
    sources: Mapping[str, Mapping[str, Any]] | None = None,
    partner_labels: Mapping[str, str] | None = None,
    where: str = "",
    alternatives: Sequence[str] = (),
    timings: _Timings | None = None,
) -> Run:
    """Score ``frame`` (one row per buurt, index buurtcode, a ``buurtnaam`` column and one column
    per criterion) with ``profile`` and run the ``analyses``; see the module docstring.

    ``sources``: per indicator column what it stands on (at least ``synthetisch``; other keys such
    as ``bron`` and ``periode`` are passed through to ``criteria``). ``partner_labels``: partner
    profile name → label for the partner comparison.
    """
    analyses = analyses or Analyses()
    sources = sources or {}

    def measure(name: str) -> AbstractContextManager[Any]:
        return timings.measure(name) if timings is not None else _nothing()

    with measure("engine"):
        used, left_out = without_empty_criteria(profile, frame, where=where, alternatives=alternatives)
        check_weights(used)
        result = score_profile(frame, used)
        names = frame[["buurtnaam"]] if "buurtnaam" in frame.columns else pd.DataFrame(index=frame.index)
        table = result.to_frame().join(names)
        criteria = _criteria(used, result, sources)
        synthetic = any(c["synthetisch"] and c["gewicht"] > 0 for c in criteria)
        axes = known_axes(used)
        out: dict[str, Any] = {
            "gewichten": {k: float(v) for k, v in result.weights.items()},
            "drempels": {k: _number(float(v)) for k, v in result.thresholds.items()},
            "buurten": records(table),
            "bijdragen": records(result.contributions.round(6)),
            "geimputeerd": records(result.imputed[result.imputed.any(axis=1)]),
            "assen": {a: a in axes for a in AXES},
            "criteria": criteria,
            "synthetisch": synthetic,
        }
        if len(axes) < len(AXES):
            unknown = next(a for a in AXES if a not in axes)
            why = (
                f"er zijn geen gegevens voor de {unknown}-criteria{f' ({where})' if where else ''}"
                if profile.ids(unknown)
                else f"het profiel '{profile.name}' heeft geen {unknown}-criteria"
            )
            out["melding"] = (
                f"{unknown.capitalize()} onbekend: {why}; de buurten zijn alleen op {axes[0]} gerangschikt."
            )
        if left_out:
            out["weggelaten"] = left_out
    if analyses.monte_carlo:
        mc_in = analyses.monte_carlo
        with measure("monte_carlo"):
            mc = monte_carlo(
                result, n_draws=mc_in.trekkingen, concentration=mc_in.concentratie, seed=mc_in.seed
            )
            out["robuustheid"] = records(mc.table)
    if analyses.een_voor_een:
        with measure("een_voor_een"):
            out["een_voor_een"] = _one_at_a_time(result, analyses.een_voor_een.stap)
    if analyses.partnerprofielen:
        with measure("partnerprofielen"):
            out["partnerprofielen"] = _partner_divergence(result, partner_labels or {})
    if analyses.methodevergelijking:
        out["methodevergelijking"] = _method_comparison(result)
    return Run(used, result, left_out, criteria, synthetic, out)
