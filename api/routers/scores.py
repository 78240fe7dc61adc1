"""Scores: rank buurten with the SIA engine on the current indicator table."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import geopandas as gpd
from fastapi import APIRouter, Query, Response
from pydantic import Field
from sqlalchemy import Connection, text

from api.deps import ConnDep, SettingsDep
from api.scoring import (
    CacheDep,
    Inputs,
    ScoreRequest,
    build_profile,
    describe,
    run_score,
    without_empty_criteria,
)
from api.timing import TimedRoute, Timings, add_timing
from sia.criteria import Criterion
from sia.profile import CONSENSUS_PROFILE, list_profiles, load_packaged_profile
from sia.scoring import score
from sia.weights import PARTNERS

router = APIRouter(prefix="/api/scores", tags=["scores"], route_class=TimedRoute)


@router.get(
    "/profiles",
    summary="Weight profiles: the standard profile, one per partner, and their consensus",
    description="Each profile with its Dutch label and description; `soort` is `standaard`, "
    "`partner` or `consensus`; `criteria` lists each criterion with its axis (`as`), direction, "
    "unit, source and raw weight (`gewicht`, as the weight sliders start). Pass `naam` as "
    "`profiel` to POST /api/scores.",
)
def profiles() -> list[dict[str, Any]]:
    out = []
    for name in list_profiles():
        profile = load_packaged_profile(name)
        kind = "consensus" if name == CONSENSUS_PROFILE else "partner" if name in PARTNERS else "standaard"
        out.append(
            {
                "naam": name,
                "label": profile.label,
                "beschrijving": profile.description,
                "soort": kind,
                "methode": profile.method,
                "top_n": profile.top_n,
                "gewichten": profile.weights(),
                "criteria": [_criterion(c) for c in profile.criteria],
            }
        )
    order = {"standaard": 0, "consensus": 1, "partner": 2}
    return sorted(out, key=lambda p: (order[p["soort"]], p["naam"]))


def _criterion(c: Criterion) -> dict[str, Any]:
    return {
        "id": c.id,
        "label": c.label,
        "as": c.axis,
        "richting": c.direction,
        "richting_label": c.direction.replace("_", " "),
        "eenheid": c.unit,
        "bron": c.source,
        "normalisatie": c.normalisation.name,
        "ontbrekend": c.missing,
        "gewicht": c.weight,
    }


@router.post(
    "",
    summary="Score and rank buurten; optional robustness: Monte Carlo, one-at-a-time (±20 %), "
    "partner profiles, method comparison",
    description="Weights, normalisation and method in the body override the profile for this run. "
    "Optional analyses: `monte_carlo` (probability of a top-N place, rank interval), "
    "`een_voor_een` (rank change when one weight moves by ±`stap`), `partnerprofielen: true` "
    "(rank per partner profile and the spread per buurt) and `methodevergelijking: true` "
    "(Kendall's tau between gewogen_som and topsis). The response header `Server-Timing` gives "
    "the server time in ms (`app`; parts `db`, `engine`, ...).",
)
def post_scores(
    body: ScoreRequest, conn: ConnDep, settings: SettingsDep, cache: CacheDep, response: Response
) -> dict[str, Any]:
    timings = Timings()
    profile = build_profile(body)
    with timings.measure("db"):
        inputs = cache.get(
            conn, gemeente=body.gemeente or settings.gemeente, jaar=body.jaar, periode=body.periode
        )
    result = run_score(profile, inputs, body.analyses(), timings=timings)
    add_timing(response, timings)
    return {**describe(profile, inputs), **result}


class CandidateRequest(ScoreRequest):
    """A score request (see POST /api/scores) plus how candidate areas are formed."""

    gebieden: Literal["auto", "gi_star", "top_groep"] = Field(
        "auto",
        description="gi_star: Getis-Ord hot spots (FDR); top_groep: contiguous top quartile; "
        "auto: gi_star, or top_groep when no hot spot is significant",
    )
    min_inwoners: int = Field(1000, ge=0, description="minimum inhabitants of an area")


def _candidate_areas(conn: Connection, body: CandidateRequest, inputs: Inputs) -> dict[str, Any]:
    from sia.candidates import candidate_areas

    profile, left_out = without_empty_criteria(build_profile(body), inputs)
    result = score(inputs.frame, profile)
    geoms = gpd.read_postgis(
        text(
            "SELECT buurtcode, aantal_inwoners, geom FROM buurten WHERE gemeentecode = :gm AND jaar = :jaar"
        ),
        conn,
        geom_col="geom",
        params={"gm": inputs.gemeente, "jaar": inputs.jaar},
    ).set_index("buurtcode")
    gdf = geoms.join(result.to_frame(), how="inner")
    areas = candidate_areas(gdf, method=body.gebieden, min_population=body.min_inwoners)
    fc = areas.to_crs(4326).__geo_interface__
    return {**fc, "synthetisch": inputs.synthetisch, "periode": inputs.periode, "weggelaten": left_out}


@router.post(
    "/candidates",
    summary="Candidate DIA areas for a weighting (body as POST /api/scores), GeoJSON",
    description="Contiguous groups of high-scoring buurten under the weights in the body, dissolved "
    "into areas of at least `min_inwoners` inhabitants, each with its member buurten and mean scores.",
)
def post_candidates(
    body: CandidateRequest, conn: ConnDep, settings: SettingsDep, cache: CacheDep
) -> dict[str, Any]:
    gemeente = body.gemeente or settings.gemeente
    inputs = cache.get(conn, gemeente=gemeente, jaar=body.jaar, periode=body.periode)
    return _candidate_areas(conn, body, inputs)


@router.get("/candidates", summary="Candidate DIA areas for a shipped profile, GeoJSON")
def candidates(
    conn: ConnDep,
    settings: SettingsDep,
    cache: CacheDep,
    profiel: Annotated[str, Query(pattern=r"^[a-z][a-z0-9_]*$")] = "default",
    methode: Annotated[Literal["auto", "gi_star", "top_groep"], Query()] = "auto",
    min_inwoners: Annotated[int, Query(ge=0)] = 1000,
) -> dict[str, Any]:
    body = CandidateRequest(profiel=profiel, gebieden=methode, min_inwoners=min_inwoners)
    inputs = cache.get(conn, gemeente=settings.gemeente, jaar=None, periode=None)
    return _candidate_areas(conn, body, inputs)
