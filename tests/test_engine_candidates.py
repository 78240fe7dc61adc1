"""Candidate areas: Gi* hot spots and contiguous top groups, synthetic grid and real buurten."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from sia.candidates import candidate_areas, contiguity, hot_spots
from sia.errors import InvalidInput
from sia.scoring import score

from .test_engine_support import data_dir, make_profile

# cells whose 3×3 neighbourhood holds at least 6 of the 9 planted cells: Gi* must find these
CORE = {"R3C6", "R2C6", "R4C6", "R3C5", "R3C7"}
RING = {f"R{r}C{c}" for r in range(1, 6) for c in range(4, 9)}  # planted block plus one ring


def grid(values: np.ndarray, *, population: float = 500.0) -> gpd.GeoDataFrame:
    """A 10×10 grid of 100 m squares (EPSG:28992) with ``values`` (10×10) as score."""
    rows = [
        {
            "id": f"R{r}C{c}",
            "score": values[r, c],
            "aantal_inwoners": population,
            "geometry": shapely.box(c * 100, r * 100, (c + 1) * 100, (r + 1) * 100),
        }
        for r in range(10)
        for c in range(10)
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:28992").set_index("id")


def planted_grid(seed: int = 0) -> gpd.GeoDataFrame:
    values = np.random.default_rng(seed).normal(0, 1, (10, 10))
    values[2:5, 5:8] += 6
    return grid(values)


def test_gi_star_z_equals_the_ord_getis_formula() -> None:
    """z of Gi* (binary queen weights, self included) by hand (Ord & Getis 1995, eq. 14)."""
    gdf = planted_grid(1)
    spots = hot_spots(gdf, score_column="score", seed=1)
    w = contiguity(gdf)
    a = w.full()[0] + np.eye(len(gdf))
    x = gdf["score"].to_numpy()
    n, mean = len(x), x.mean()
    s = np.sqrt((x**2).mean() - mean**2)
    wi, s1 = a.sum(axis=1), (a**2).sum(axis=1)
    z = (a @ x - mean * wi) / (s * np.sqrt((n * s1 - wi**2) / (n - 1)))
    assert spots["z"].to_numpy() == pytest.approx(z, abs=1e-10)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_hot_spot_is_found(seed: int) -> None:
    areas = candidate_areas(planted_grid(seed), score_column="score", seed=seed, min_population=0)
    assert len(areas) == 1
    area = areas.iloc[0]
    members = set(area["buurtcodes"].split(","))
    assert area["methode"] == "gi_star" and area["gebied"] == "K1"
    assert members >= CORE
    assert members <= RING
    assert area["n_buurten"] == len(members) and area["inwoners"] == 500.0 * len(members)
    assert area.geometry.area == pytest.approx(100 * 100 * len(members))
    assert areas.crs == "EPSG:28992"


def test_seeded_hot_spots_are_reproducible() -> None:
    gdf = planted_grid(4)
    a = hot_spots(gdf, score_column="score", seed=5)
    pd.testing.assert_frame_equal(a, hot_spots(gdf, score_column="score", seed=5))
    assert not np.array_equal(a["p"], hot_spots(gdf, score_column="score", seed=6)["p"])


def test_no_structure_falls_back_to_top_group() -> None:
    checker = np.indices((10, 10)).sum(axis=0) % 2 * 1.0  # no hot spot can exist
    checker[0, 0] = 2.0
    gdf = grid(checker)
    assert not hot_spots(gdf, score_column="score")["hotspot"].any()
    assert candidate_areas(gdf, score_column="score", method="gi_star").empty
    areas = candidate_areas(gdf, score_column="score")
    assert set(areas["methode"]) == {"top_groep"}
    members = set(",".join(areas["buurtcodes"]).split(","))
    top = set(gdf.index[gdf["score"] >= gdf["score"].quantile(0.75)])
    assert members == top


def test_minimum_population_and_islands() -> None:
    gdf = planted_grid(0)
    island = gpd.GeoDataFrame(
        {"score": [50.0], "aantal_inwoners": [9000.0]},
        geometry=[shapely.box(5000, 5000, 5100, 5100)],
        index=["EILAND"],
        crs="EPSG:28992",
    )
    gdf = pd.concat([gdf, island])
    spots = hot_spots(gdf, score_column="score")
    assert spots.loc["EILAND", "eiland"] and not spots.loc["EILAND", "hotspot"]
    assert candidate_areas(gdf, score_column="score", method="gi_star", min_population=20_000).empty
    top = candidate_areas(gdf, score_column="score", method="top_groep", min_population=5000)
    assert "EILAND" in set(top["buurtcodes"])


def test_buurten_without_score_are_left_out_and_bad_input() -> None:
    gdf = planted_grid(0)
    gdf.loc["R3C6", "score"] = np.nan
    areas = candidate_areas(gdf, score_column="score", min_population=0)
    assert "R3C6" not in ",".join(areas["buurtcodes"]).split(",")
    with pytest.raises(InvalidInput, match="score column 'nope' not in the buurten"):
        candidate_areas(gdf, score_column="nope")
    with pytest.raises(InvalidInput, match="columns missing from the buurten: inw"):
        candidate_areas(gdf, score_column="score", population_column="inw")
    with pytest.raises(InvalidInput, match="valid: auto, gi_star, top_groep"):
        candidate_areas(gdf, score_column="score", method="kmeans")  # type: ignore[arg-type]


def test_real_enschede_buurten() -> None:
    path = data_dir() / "enschede" / "enschede_buurten_2021_cbs_lbm2024.gpkg"
    assert path.is_file(), f"missing test data {path}"
    gdf = gpd.read_file(path, layer="buurten").set_index("buurtcode")
    assert gdf.crs == "EPSG:28992" and len(gdf) == 70
    table = gdf.rename(columns={"afw": "lbm_score"})
    lbm = ("lbm_score", "lbm_won", "lbm_fys", "lbm_soc", "lbm_onv")
    profile = make_profile(dict.fromkeys(lbm, 1), {"bevolkingsdichtheid_inwoners_per_km2": 1}, lower=lbm)
    result = score(table, profile)
    assert len(result.excluded) == 5 and len(result.rank) == 65
    scored = gdf.join(result.to_frame())
    areas = candidate_areas(scored, score_column="urgentie", extra_columns=("gecombineerd",))
    assert len(areas) >= 1 and set(areas["methode"]) <= {"gi_star", "top_groep"}
    members = ",".join(areas["buurtcodes"]).split(",")
    assert len(members) == len(set(members))  # no buurt in two areas
    assert not set(members) & set(result.excluded.index)
    w = contiguity(scored[scored["urgentie"].notna()])
    for _, area in areas.iterrows():
        codes = area["buurtcodes"].split(",")
        assert area["inwoners"] == scored.loc[codes, "aantal_inwoners"].sum() >= 1000
        assert area["gem_score"] == pytest.approx(scored.loc[codes, "urgentie"].mean())
        # contiguous: a walk over queen neighbours inside the area reaches every member
        seen, todo = {codes[0]}, [codes[0]]
        while todo:
            todo += [n for n in w.neighbors[todo.pop()] if n in codes and n not in seen]
            seen.update(todo)
        assert seen == set(codes)
        # members are at least as urgent as the city median
        assert (scored.loc[codes, "urgentie"] >= scored["urgentie"].median()).all()
