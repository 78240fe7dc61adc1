"""Candidate DIA areas: contiguous groups of high-scoring buurten, proposed as starting points.

Two methods, each area labelled with the one that produced it (column ``methode``):

- ``gi_star``: local Getis-Ord Gi* on the score with queen contiguity (binary weights, the buurt
  itself included), ``permutations`` conditional permutations (seeded), and a false discovery rate
  correction over all buurten (``esda.fdr``). Hot-spot buurten (significant, positive z) are
  grouped into contiguous components.
- ``top_groep``: the top ``top_fraction`` of buurten by score (default: top quartile), grouped
  into contiguous components. A transparent fallback when Gi* finds nothing (small cities have
  little statistical power).

``method="auto"`` (default) uses Gi* and falls back to ``top_groep`` when Gi* yields no area of
the minimum size. Components are dissolved into one (multi)polygon each and kept when they
reach ``min_population`` inhabitants and ``min_buurten`` buurten.

Buurten without a score are left out. Islands (buurten without a queen neighbour) cannot be
tested by Gi* and are never hot spots; under ``top_groep`` an island can be a one-buurt area.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse.csgraph import connected_components

from sia.errors import InvalidInput

if TYPE_CHECKING:
    from libpysal.weights import W

# libpysal and esda are imported inside the functions: importing libpysal also imports its
# optional database reader (libpysal.io.iohandlers.db → sqlalchemy, when installed), which the
# engine must not drag into every process that merely imports ``sia``.

__all__ = [
    "AXIS_LABELS",
    "METHOD_LABELS",
    "CandidateOutcome",
    "candidate_areas",
    "contiguity",
    "hot_spots",
    "propose",
]

METHOD_LABELS: dict[str, str] = {
    "gi_star": "hotspot (Getis-Ord Gi*, FDR-gecorrigeerd)",
    "top_groep": "aaneengesloten groep hoogst scorende buurten",
}
CRS = "EPSG:28992"


def _check(gdf: gpd.GeoDataFrame, score_column: str) -> gpd.GeoDataFrame:
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise InvalidInput(f"candidate areas need a GeoDataFrame of buurten, got {type(gdf)}")
    if gdf.crs is None:
        raise InvalidInput(f"the buurten have no CRS; expected {CRS}")
    if score_column not in gdf.columns:
        raise InvalidInput(
            f"score column {score_column!r} not in the buurten; available columns: "
            f"{', '.join(map(str, gdf.columns))}"
        )
    if not gdf.index.is_unique:
        raise InvalidInput("the buurten index (buurtcode) must be unique")
    out = gdf if gdf.crs == CRS else gdf.to_crs(CRS)
    return out[out[score_column].notna()]


def contiguity(gdf: gpd.GeoDataFrame) -> W:
    """Queen contiguity weights keyed by the GeoDataFrame index (islands allowed)."""
    from libpysal.weights import Queen

    return Queen.from_dataframe(gdf, use_index=True, silence_warnings=True)


def hot_spots(
    gdf: gpd.GeoDataFrame,
    *,
    score_column: str = "gecombineerd",
    alpha: float = 0.05,
    permutations: int = 999,
    seed: int = 0,
    weights: W | None = None,
) -> pd.DataFrame:
    """Local Gi* per buurt with FDR correction.

    Returns a frame indexed like ``gdf`` (buurten with a score) with columns ``z`` (standardised
    Gi*), ``p`` (permutation pseudo p-value, one-sided in the direction of z), ``significant``
    (p <= FDR threshold), ``hotspot`` (significant and z > 0) and ``eiland`` (no neighbour).
    """
    if not 0 < alpha < 1 or permutations < 99:
        raise InvalidInput(f"need 0 < alpha < 1 and permutations >= 99; got {alpha}, {permutations}")
    import esda
    from libpysal.weights import w_subset

    data = _check(gdf, score_column)
    w = weights if weights is not None else contiguity(data)
    islands = set(w.islands)
    out = pd.DataFrame(
        {"z": np.nan, "p": np.nan, "significant": False, "hotspot": False, "eiland": False},
        index=data.index,
    )
    out.loc[list(islands), "eiland"] = True
    tested = [i for i in data.index if i not in islands]
    y = data.loc[tested, score_column].to_numpy(dtype=float)
    if len(tested) < 3 or np.ptp(y) == 0:
        return out
    wt = w_subset(w, tested, silence_warnings=True) if islands else w
    with warnings.catch_warnings():
        # esda announces a future change of its default alternative; we use the one-sided p
        warnings.filterwarnings("ignore", message="The alternative hypothesis")
        warnings.filterwarnings("ignore", message=".*row_stack", category=DeprecationWarning)
        # esda rebuilds the weights with the diagonal; disconnected parts are expected here
        warnings.filterwarnings("ignore", message="The weights matrix is not fully connected")
        g = esda.G_Local(y, wt, transform="B", star=True, permutations=permutations, seed=seed, n_jobs=1)
    z = np.asarray(g.Zs, dtype=float)
    p = np.asarray(g.p_sim, dtype=float)
    threshold = esda.fdr(p, alpha)
    out.loc[tested, "z"] = z
    out.loc[tested, "p"] = p
    out.loc[tested, "significant"] = p <= threshold
    out.loc[tested, "hotspot"] = (p <= threshold) & (z > 0)
    return out


def _components(w: W, members: Sequence[object]) -> list[list[object]]:
    """Contiguous groups (connected components) among ``members``."""
    from libpysal.weights import w_subset

    if not members:
        return []
    sub = w_subset(w, list(members), silence_warnings=True)
    n, labels = connected_components(sub.sparse, directed=False)
    ids = sub.id_order
    return [[ids[i] for i in np.flatnonzero(labels == k)] for k in range(n)]


def _areas(
    data: gpd.GeoDataFrame,
    groups: list[list[object]],
    *,
    method: str,
    score_column: str,
    population_column: str | None,
    extra_columns: Sequence[str],
) -> gpd.GeoDataFrame:
    rows = []
    for members in groups:
        part = data.loc[members]
        row: dict[str, object] = {
            "methode": method,
            "methode_label": METHOD_LABELS[method],
            "buurtcodes": ",".join(sorted(map(str, members))),
            "n_buurten": len(members),
            "inwoners": float(part[population_column].sum()) if population_column else np.nan,
            "gem_score": float(part[score_column].mean()),
        }
        for col in extra_columns:
            row[f"gem_{col}"] = float(part[col].mean())
        row["geometry"] = shapely.union_all(part.geometry.to_numpy())
        rows.append(row)
    columns = ["methode", "methode_label", "buurtcodes", "n_buurten", "inwoners", "gem_score"]
    columns += [f"gem_{c}" for c in extra_columns] + ["geometry"]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), geometry="geometry", crs=CRS)


def candidate_areas(
    gdf: gpd.GeoDataFrame,
    *,
    score_column: str = "gecombineerd",
    method: Literal["auto", "gi_star", "top_groep"] = "auto",
    alpha: float = 0.05,
    permutations: int = 999,
    seed: int = 0,
    top_fraction: float = 0.25,
    population_column: str | None = "aantal_inwoners",
    min_population: float = 1000.0,
    min_buurten: int = 1,
    extra_columns: Sequence[str] = (),
) -> gpd.GeoDataFrame:
    """Propose candidate DIA areas; see the module docstring.

    Parameters
    ----------
    gdf
        Buurten indexed by buurtcode with polygons (EPSG:28992, other CRSs are reprojected) and
        the score column (e.g. ``gecombineerd`` from ``ScoreResult.to_frame()``).
    method
        ``"auto"``, ``"gi_star"`` or ``"top_groep"``.
    population_column, min_population, min_buurten
        Minimum size of an area; ``population_column=None`` disables the population filter.
    extra_columns
        Further score columns averaged per area (e.g. ``("urgentie", "potentie")``).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per area, best mean score first: ``gebied`` (K1, K2, …), ``methode``,
        ``methode_label``, ``buurtcodes`` (comma-separated), ``n_buurten``, ``inwoners``,
        ``gem_score``, ``gem_<extra>``, geometry (EPSG:28992).
    """
    if method not in ("auto", "gi_star", "top_groep"):
        raise InvalidInput(f"unknown method {method!r}; valid: auto, gi_star, top_groep")
    if not 0 < top_fraction <= 1:
        raise InvalidInput(f"top_fraction must be in (0, 1]; got {top_fraction}")
    data = _check(gdf, score_column)
    needed = [*extra_columns, *([population_column] if population_column else [])]
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise InvalidInput(
            f"columns missing from the buurten: {', '.join(missing)}; available: "
            f"{', '.join(map(str, data.columns))}"
        )
    w = contiguity(data)

    def build(kind: str) -> gpd.GeoDataFrame:
        if kind == "gi_star":
            spots = hot_spots(
                data,
                score_column=score_column,
                alpha=alpha,
                permutations=permutations,
                seed=seed,
                weights=w,
            )
            members = list(spots.index[spots["hotspot"]])
        else:
            cut = data[score_column].quantile(1 - top_fraction)
            members = list(data.index[data[score_column] >= cut])
        areas = _areas(
            data,
            _components(w, members),
            method=kind,
            score_column=score_column,
            population_column=population_column,
            extra_columns=extra_columns,
        )
        keep = areas["n_buurten"] >= min_buurten
        if population_column:
            keep &= areas["inwoners"] >= min_population
        return areas[keep]

    result = build("top_groep" if method == "top_groep" else "gi_star")
    if method == "auto" and result.empty:
        result = build("top_groep")
    result = result.sort_values("gem_score", ascending=False, kind="stable").reset_index(drop=True)
    result.insert(0, "gebied", [f"K{i + 1}" for i in range(len(result))])
    return result


AXIS_LABELS: dict[str, str] = {
    "gecombineerd": "gecombineerde score",
    "urgentie": "urgentie",
    "potentie": "potentie",
}
"""The score a user may form candidate areas on → Dutch label."""


@dataclass(frozen=True)
class CandidateOutcome:
    """Candidate areas with what produced them, said so that a user can read it."""

    areas: gpd.GeoDataFrame
    axis: str
    method: str
    """The method asked for: ``auto``, ``gi_star`` or ``top_groep``."""
    used: str
    """The method that produced ``areas``: ``gi_star`` or ``top_groep``."""
    fallback: bool
    """True when ``auto`` fell back to ``top_groep`` because Gi* found no area."""
    message: str | None
    """Dutch: what happened when Gi* found no significant area (None otherwise)."""
    parameters: dict[str, Any] = field(default_factory=dict)


def propose(
    gdf: gpd.GeoDataFrame,
    *,
    axis: Literal["gecombineerd", "urgentie", "potentie"] = "gecombineerd",
    method: Literal["auto", "gi_star", "top_groep"] = "auto",
    alpha: float = 0.05,
    permutations: int = 999,
    seed: int = 0,
    top_fraction: float = 0.25,
    min_population: float = 1000.0,
    population_column: str | None = "aantal_inwoners",
) -> CandidateOutcome:
    """Candidate areas on the score of ``axis`` (a column of ``gdf``), saying which method
    produced them and, when Gi* finds no significant area, that it did not (``message``) and
    what is shown instead: with ``auto`` the fallback (``top_groep``), labelled as such; with
    ``gi_star`` nothing.

    Raises
    ------
    InvalidInput
        ``axis`` is not a column with values (e.g. potential when it is unknown).
    """
    if axis not in AXIS_LABELS:
        raise InvalidInput(f"onbekende as '{axis}'; kies uit: {', '.join(AXIS_LABELS)}")
    if axis not in gdf.columns or gdf[axis].isna().all():
        raise InvalidInput(
            f"Er zijn geen scores voor de {AXIS_LABELS[axis]} (geen gegevens voor die as); kies een "
            "andere as voor de kandidaatgebieden."
        )
    data = gdf[gdf[axis].notna()]
    note = None
    if population_column and (population_column not in data.columns or data[population_column].isna().all()):
        population_column = None  # e.g. a buurten file without kerncijfers: no minimum can apply
        note = "Het aantal inwoners per buurt is onbekend; de minimumomvang in inwoners geldt niet."
    parameters: dict[str, Any] = {
        "alpha": alpha,
        "permutaties": permutations,
        "seed": seed,
        "top_fractie": top_fraction,
        "min_inwoners": min_population if population_column else None,
        "fdr": True,
        "buren": "queen (gedeelde grens of hoek)",
    }
    common: dict[str, Any] = {
        "score_column": axis,
        "alpha": alpha,
        "permutations": permutations,
        "seed": seed,
        "top_fraction": top_fraction,
        "population_column": population_column,
        "min_population": min_population,
    }
    if method == "top_groep":
        areas = candidate_areas(data, method="top_groep", **common)
        return CandidateOutcome(areas, axis, method, "top_groep", False, note, parameters)
    areas = candidate_areas(data, method="gi_star", **common)
    if not areas.empty:
        return CandidateOutcome(areas, axis, method, "gi_star", False, note, parameters)
    spots = hot_spots(data, score_column=axis, alpha=alpha, permutations=permutations, seed=seed)
    n_hot = int(spots["hotspot"].sum())
    why = (
        f"Gi* vond geen enkele buurt met een significant hoge {AXIS_LABELS[axis]} (α = {alpha:g}, "
        f"FDR-gecorrigeerd, {permutations} permutaties)"
        if n_hot == 0
        else f"Gi* vond {n_hot} significante buurt(en), maar geen aaneengesloten gebied met minstens "
        f"{min_population:,.0f}".replace(",", ".")
        + " inwoners"
    )
    if method == "gi_star":
        text = f"{why}. Kies 'top_groep' om de hoogst scorende buurten te zien."
        return CandidateOutcome(
            areas, axis, method, "gi_star", False, f"{text} {note}" if note else text, parameters
        )
    fallback = candidate_areas(data, method="top_groep", **common)
    message = (
        f"{why}. Getoond als terugval: aaneengesloten groepen van de {top_fraction:.0%} hoogst "
        f"scorende buurten (geen statistisch significant gebied)." + (f" {note}" if note else "")
    )
    return CandidateOutcome(fallback, axis, method, "top_groep", True, message, parameters)
