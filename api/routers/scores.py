"""Scores: rank buurten with the SIA engine on the current indicator table."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import Connection, text

from api.deps import ConnDep, SettingsDep
from layers import queries
from sia.aggregate import METHODS
from sia.profile import list_profiles, load_profile
from sia.robustness import monte_carlo
from sia.scoring import score

router = APIRouter(prefix="/api/scores", tags=["scores"])
MethodName = Literal[tuple(METHODS)]  # type: ignore[valid-type]


class MonteCarloIn(BaseModel):
    trekkingen: int = Field(1000, ge=10, le=20000)
    concentratie: float = Field(100, gt=0)
    seed: int = 0


class ScoreRequest(BaseModel):
    profiel: str = Field("default", description="name of a shipped profile")
    methode: MethodName | None = None  # type: ignore[valid-type]
    gewichten: dict[str, float] | None = Field(None, description="criterion id → weight")
    gemeente: str | None = Field(None, pattern=r"^GM\d{4}$")
    periode: str | None = Field(None, pattern=r"^\d{4}-(voorjaar|najaar)$")
    top_n: int | None = Field(None, ge=1, le=1000)
    monte_carlo: MonteCarloIn | None = None


def _clean(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = frame.reset_index().replace({np.nan: None})
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
            for r in out.to_dict("records")]


def _table(conn: Connection, gemeente: str, periode: str | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    data = queries.indicator_table(conn, gemeente=gemeente, periode=periode)
    frame = pd.DataFrame(data["rijen"]).set_index("buurtcode")
    return frame, data


@router.get("/profiles", summary="Weight profiles that ship with the tool")
def profiles() -> list[str]:
    return list(list_profiles())


@router.post("", summary="Score and rank buurten (weights and method in the body)")
def post_scores(body: ScoreRequest, conn: ConnDep, settings: SettingsDep) -> dict[str, Any]:
    profile = load_profile(body.profiel)
    frame, data = _table(conn, body.gemeente or settings.gemeente, body.periode)
    result = score(frame, profile, method=body.methode, weights=body.gewichten)
    table = result.to_frame().join(frame[["buurtnaam"]])
    contributions = result.contributions.round(6)
    response: dict[str, Any] = {
        "profiel": profile.name, "methode": result.method, "combinatie": result.combine,
        "jaar": data["jaar"], "periode": data["periode"], "synthetisch": data["synthetisch"],
        "gewichten": {k: float(v) for k, v in result.weights.items()},
        "drempels": {k: float(v) for k, v in result.thresholds.items()},
        "buurten": _clean(table.sort_values("rang", na_position="last")),
        "bijdragen": _clean(contributions),
        "geimputeerd": _clean(result.imputed[result.imputed.any(axis=1)]),
    }
    if body.monte_carlo:
        mc = monte_carlo(result, n_draws=body.monte_carlo.trekkingen,
                         concentration=body.monte_carlo.concentratie, seed=body.monte_carlo.seed,
                         top_n=body.top_n)
        response["robuustheid"] = _clean(mc.table)
    return response


@router.get("/candidates", summary="Candidate DIA areas (contiguous high-scoring buurten), GeoJSON")
def candidates(
    conn: ConnDep,
    settings: SettingsDep,
    profiel: str = "default",
    methode: Annotated[Literal["auto", "gi_star", "top_groep"], Query()] = "auto",
    min_inwoners: Annotated[int, Query(ge=0)] = 1000,
) -> dict[str, Any]:
    from sia.candidates import candidate_areas

    gemeente = settings.gemeente
    frame, data = _table(conn, gemeente, None)
    result = score(frame, load_profile(profiel))
    geoms = gpd.read_postgis(
        text("SELECT buurtcode, aantal_inwoners, geom FROM buurten WHERE gemeentecode = :gm "
             "AND jaar = :jaar"), conn, geom_col="geom", params={"gm": gemeente, "jaar": data["jaar"]},
    ).set_index("buurtcode")
    gdf = geoms.join(result.to_frame(), how="inner")
    areas = candidate_areas(gdf, method=methode, min_population=min_inwoners)
    fc = areas.to_crs(4326).__geo_interface__
    return {**fc, "synthetisch": data["synthetisch"], "periode": data["periode"]}
