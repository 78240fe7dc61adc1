"""Engine benchmarks: Enschede (70 buurten) and the Netherlands (12,147 buurten).

Run: ``.venv/bin/python benchmarks/bench_engine.py`` (data folder from env ``SIA_DATA_DIR``,
default ``/work/shared/data``). Prints the median wall time of several runs per step, with the
target from issue 4. Real Leefbaarometer columns plus seeded synthetic criteria.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from sia.aggregate import WeightedSum
from sia.candidates import contiguity, hot_spots
from sia.criteria import Profile
from sia.profile import load_profile
from sia.robustness import monte_carlo
from sia.scoring import prepare, score

LBM = {
    "afw": "lbm_score",
    "lbm_won": "lbm_won",
    "lbm_fys": "lbm_fys",
    "lbm_vrz": "lbm_vrz",
    "lbm_soc": "lbm_soc",
    "lbm_onv": "lbm_onv",
}


def _timed(fn: Callable[[], object], *, repeat: int) -> float:
    """Median wall time in seconds over ``repeat`` runs (after one warm-up run)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _report(label: str, seconds: float, target: float) -> None:
    verdict = "ok" if seconds < target else "SLOWER THAN TARGET"
    print(f"  {label:<50} {seconds * 1000:10.3f} ms   target < {target * 1000:6.0f} ms  {verdict}")


def _table_and_profile(frame: pd.DataFrame, *, n_extra: int, seed: int) -> tuple[pd.DataFrame, Profile]:
    """LBM columns + the default profile's columns + ``n_extra`` synthetic criteria."""
    rng = np.random.default_rng(seed)
    n = len(frame)
    base = load_profile()
    table = frame[list(LBM)].rename(columns=LBM)
    synthetic = {
        "aandeel_label_efg": rng.uniform(0, 60, n),
        "gem_conditie": rng.uniform(1.5, 4.5, n),
        "investering_per_woning": rng.lognormal(9, 1.2, n),
        "n_partners_plannen": rng.integers(0, 6, n).astype(float),
        "n_corporaties": rng.integers(0, 5, n).astype(float),
        "geplande_woningen": rng.poisson(20, n).astype(float),
        "bezit_woningen": rng.poisson(300, n).astype(float),
    }
    criteria = [c.model_dump() for c in base.criteria]
    criteria.append(
        {
            "id": "lbm_vrz",
            "label": "Leefbaarometer: voorzieningen",
            "axis": "urgentie",
            "direction": "lager_is_urgenter",
        }
    )
    for i in range(n_extra):
        axis = "urgentie" if i % 2 == 0 else "potentie"
        cid = f"extra_{i}"
        synthetic[cid] = rng.normal(0, 1, n)
        criteria.append(
            {
                "id": cid,
                "label": f"extra {i}",
                "axis": axis,
                "weight": float(rng.uniform(0.5, 2)),
                "direction": "hoger_is_urgenter" if axis == "urgentie" else "hoger_is_kansrijker",
                "missing": "mediaan",
            }
        )
    table = table.assign(**synthetic)
    profile = Profile.model_validate({**base.model_dump(), "criteria": criteria})
    return table, profile


def enschede(data: Path) -> None:
    gdf = gpd.read_file(
        data / "enschede" / "enschede_buurten_2021_cbs_lbm2024.gpkg", layer="buurten"
    ).set_index("buurtcode")
    table, profile = _table_and_profile(gdf, n_extra=7, seed=1)
    print(f"Enschede: {len(table)} buurten, {len(profile.criteria)} criteria")

    def full() -> None:
        result = score(table, profile)
        monte_carlo(result, n_draws=10_000, seed=1)

    result = score(table, profile)
    _report("score()", _timed(lambda: score(table, profile), repeat=20), 0.1)
    _report(
        "monte_carlo(10,000 draws)",
        _timed(lambda: monte_carlo(result, n_draws=10_000, seed=1), repeat=10),
        0.1,
    )
    _report("score() + monte_carlo(10,000 draws)", _timed(full, repeat=10), 0.1)


def national(data: Path) -> None:
    gdf = gpd.read_file(data / "national" / "lbm2024_buurten_nl.gpkg", layer="lbm2024_buurten")
    gdf = gdf.to_crs("EPSG:28992").set_index("buurtcode")
    table, profile = _table_and_profile(gdf, n_extra=7, seed=2)
    print(f"Netherlands: {len(table)} buurten, {len(profile.criteria)} criteria")
    prep = prepare(table, profile)
    result = score(prep, profile)
    matrix = prep.normalised.to_numpy()
    weights = result.weights.to_numpy()
    wsum = WeightedSum()
    _report(
        "weighted sum (aggregation of normalised matrix)",
        _timed(lambda: wsum(matrix, weights), repeat=50),
        0.01,
    )
    _report(
        "score() on prepared table (weights, ranks, quadr.)",
        _timed(lambda: score(prep, profile), repeat=20),
        0.01,
    )
    _report(
        "score() from raw table (incl. normalisation)", _timed(lambda: score(table, profile), repeat=10), 0.01
    )
    _report(
        "monte_carlo(1,000 draws, top-N + rank interval)",
        _timed(lambda: monte_carlo(result, n_draws=1000, seed=1), repeat=3),
        1.0,
    )
    scored = gdf[["geometry"]].join(result.to_frame())
    start = time.perf_counter()
    w = contiguity(scored)
    print(
        f"  {'queen contiguity (libpysal, once)':<48} {(time.perf_counter() - start) * 1000:12.3f}"
        f" ms   ({len(w.islands)} islands)"
    )
    _report(
        "Gi* with 999 permutations + FDR",
        _timed(lambda: hot_spots(scored, score_column="gecombineerd", weights=w), repeat=1),
        5.0,
    )


def main() -> int:
    data = Path(os.environ.get("SIA_DATA_DIR", "/work/shared/data"))
    if not data.is_dir():
        print(f"data folder {data} not found; set SIA_DATA_DIR", file=sys.stderr)
        return 1
    enschede(data)
    national(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
