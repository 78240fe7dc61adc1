"""Scores: rank buurten with the SIA engine on the indicator table of a gemeente."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import ConfigDict, Field, TypeAdapter

from api.caching import cached_json
from api.deps import ConnDep, SettingsDep
from api.models import CandidateCollection, ProfileOut, ScoreResponse
from api.ratelimit import rate_limit
from api.scoring import (
    CacheDep,
    DataRequest,
    ScoreRequest,
    build_profile,
    catalogue,
    data_choice,
    describe,
    recommended,
)
from api.timing import TimedRoute, Timings, add_timing
from api.types import Editie, Gemeente, Jaar, Periode
from layers.indicators import IndicatorTable, candidate_areas, score_table, usable_profiles
from sia.candidates import AXIS_LABELS
from sia.criteria import Criterion, Profile
from sia.profile import ProfileCatalogue, profiles_version
from sia.run import QUADRANTS, known_axes

router = APIRouter(prefix="/api/scores", tags=["scores"], route_class=TimedRoute)

Axis = Literal["gecombineerd", "urgentie", "potentie"]
AreaMethod = Literal["auto", "gi_star", "top_groep"]


def _criterion(c: Criterion, table: IndicatorTable) -> dict[str, Any]:
    column = table.kolommen.get(c.id)
    return {
        "id": c.id,
        "label": c.label,
        "as": c.axis,
        "richting": c.direction,
        "richting_label": c.direction.replace("_", " "),
        "eenheid": c.unit,
        "bron": column.bron if column else c.source,
        "normalisatie": c.normalisation.name,
        "ontbrekend": c.missing,
        "gewicht": c.weight,
        "beschikbaar": bool(column and column.beschikbaar),
        "synthetisch": bool(column and column.synthetisch),
    }


def _profile_out(
    name: str, profile: Profile, profiles: ProfileCatalogue, table: IndicatorTable, first: str
) -> dict[str, Any]:
    criteria = [_criterion(c, table) for c in profile.criteria]
    return {
        "naam": name,
        "label": profile.label,
        "beschrijving": profile.description,
        "soort": profiles.kind(name),
        "organisatie": profiles.partners.get(name),
        "aanbevolen": name == first,
        "methode": profile.method,
        "top_n": profile.top_n,
        "gewichten": profile.weights(),
        "assen": {
            axis: any(c["as"] == axis and c["beschikbaar"] for c in criteria)
            for axis in AXIS_LABELS
            if axis != "gecombineerd"
        },
        "criteria": criteria,
    }


@router.get(
    "/profiles",
    response_model=list[ProfileOut],
    response_model_by_alias=True,
    summary="Weight profiles of a gemeente: the standard ones, its organisations' and their consensus",
    description="The standard profiles (`default`: urgency and potential; `urgentie`: public data "
    "only), one per organisation of the gemeente that has a weight profile, and their `consensus`. "
    "`aanbevolen` marks the profile the gemeente sees first (`default` with partner data, else "
    "`urgentie`). Per criterion its axis (`as`), direction, unit, source, raw weight (`gewicht`, as "
    "the weight sliders start) and, for the gemeente's data, `beschikbaar` (any value) and "
    "`synthetisch`. Pass `naam` as `profiel` to POST /api/scores.",
)
def profiles(
    request: Request,
    conn: ConnDep,
    settings: SettingsDep,
    cache: CacheDep,
    gemeente: Annotated[Gemeente | None, Query(description="default: SIA_GEMEENTE")] = None,
) -> Response:
    choice = data_choice(settings, DataRequest(gemeente=gemeente))

    def compute() -> Any:
        table = cache.get(conn, **choice)
        available = catalogue(conn, table)
        first = recommended(available, table)
        out = [_profile_out(n, available.load(n), available, table, first) for n in available.names()]
        out.sort(
            key=lambda p: (not p["aanbevolen"], {"standaard": 0, "consensus": 1, "partner": 2}[p["soort"]])
        )
        return _PROFILE_LIST.dump_python(_PROFILE_LIST.validate_python(out), mode="json", by_alias=True)

    # what the map asks every time it opens: cached per view and data version (api.caching)
    return cached_json(request, conn, compute, gemeente=choice["gemeente"], key=profiles_version())


_PROFILE_LIST = TypeAdapter(list[ProfileOut])


@router.post(
    "",
    response_model=ScoreResponse,
    dependencies=[rate_limit("zwaar")],
    response_model_by_alias=True,
    summary="Score and rank buurten; optional robustness: Monte Carlo, one-at-a-time (±20 %), "
    "partner profiles, method comparison",
    description="Weights, normalisation and method in the body override the profile for this run. "
    "Criteria without a value for any buurt are left out and listed (`weggelaten`); a profile left "
    "with urgency criteria only ranks by urgency (`assen.potentie` false, quadrant "
    "`potentie_onbekend`). `synthetisch` is true only when a criterion with weight > 0 comes from "
    "synthetic data (`criteria[].synthetisch`); `leveringen` lists the deliveries the score used. "
    "Optional analyses: `monte_carlo` (probability of a top-N place, rank interval), "
    "`een_voor_een` (rank change when one weight moves by ±`stap`), `partnerprofielen: true` "
    "(rank per partner profile and the spread per buurt) and `methodevergelijking: true` "
    "(Kendall's tau between gewogen_som and topsis). The response header `Server-Timing` gives "
    "the server time in ms (`app`; parts `db`, `engine`, ...).",
)
def post_scores(
    body: ScoreRequest, request: Request, conn: ConnDep, settings: SettingsDep, cache: CacheDep
) -> Response:
    timings = Timings()
    choice = data_choice(settings, body)

    def compute() -> Any:
        with timings.measure("db"):
            table = cache.get(conn, **choice)
            available = catalogue(conn, table)
        profile = build_profile(body, available, table)
        scored = score_table(
            table,
            profile,
            body.analyses(),
            partner_labels=available.partners,
            alternatives=usable_profiles(table, available),
            timings=timings,
        )
        out = {**describe(profile, table), "kwadranten": QUADRANTS, **scored.output}
        return ScoreResponse.model_validate(out).model_dump(mode="json", by_alias=True)

    # the same weighting on the same data and view gives the same answer: cached (api.caching)
    response = cached_json(
        request,
        conn,
        compute,
        gemeente=choice["gemeente"],
        periode=body.periode,
        key=(body.model_dump_json(), profiles_version()),
    )
    add_timing(response, timings)
    return response


class CandidateRequest(ScoreRequest):
    """A score request (see POST /api/scores) plus how candidate areas are formed."""

    model_config = ConfigDict(populate_by_name=True)

    as_: Axis = Field(
        "gecombineerd",
        alias="as",
        description="the score the areas are formed on: gecombineerd, urgentie or potentie",
    )
    gebieden: AreaMethod = Field(
        "auto",
        description="gi_star: Getis-Ord hot spots (FDR); top_groep: contiguous top quartile; "
        "auto: gi_star, or top_groep when no hot spot is significant (said so in `melding`)",
    )
    min_inwoners: int = Field(1000, ge=0, description="minimum inhabitants of an area")


def _candidates(body: CandidateRequest, table: IndicatorTable, available: ProfileCatalogue) -> dict[str, Any]:
    profile = build_profile(body, available, table)
    scored = score_table(table, profile, alternatives=usable_profiles(table, available))
    outcome = candidate_areas(
        table, scored, axis=body.as_, method=body.gebieden, min_population=body.min_inwoners
    )
    fc = outcome.areas.to_crs(4326).__geo_interface__
    for feature in fc["features"]:  # unknown numbers (NaN) are null in JSON
        feature["properties"] = {
            k: None if isinstance(v, float) and v != v else v for k, v in feature["properties"].items()
        }
    return {
        **fc,
        "as": outcome.axis,
        "methode": outcome.method,
        "gebruikt": outcome.used,
        "terugval": outcome.fallback,
        "melding": outcome.message,
        "parameters": {
            **outcome.parameters,
            "profiel": profile.name,
            "assen": list(known_axes(scored.profile)),
        },
        "synthetisch": scored.synthetic,
        "periode": table.periode,
        "weggelaten": scored.left_out,
    }


@router.post(
    "/candidates",
    response_model=CandidateCollection,
    dependencies=[rate_limit("zwaar")],
    response_model_by_alias=True,
    summary="Candidate DIA areas for a weighting on the chosen score (body as POST /api/scores), GeoJSON",
    description="Contiguous groups of high-scoring buurten on the score `as` (gecombineerd, urgentie "
    "or potentie) under the weights in the body, dissolved into areas of at least `min_inwoners` "
    "inhabitants, each with its member buurten and mean score. `gebruikt` says which method "
    "produced the areas and `parameters` how; when Gi* finds no significant area, `melding` says so "
    "in Dutch and, with `gebieden: auto`, the fallback (top quartile) is returned with "
    "`terugval: true`.",
)
def post_candidates(
    body: CandidateRequest, request: Request, conn: ConnDep, settings: SettingsDep, cache: CacheDep
) -> Response:
    choice = data_choice(settings, body)

    def compute() -> Any:
        table = cache.get(conn, **choice)
        out = _candidates(body, table, catalogue(conn, table))
        return CandidateCollection.model_validate(out).model_dump(mode="json", by_alias=True)

    return cached_json(
        request,
        conn,
        compute,
        gemeente=choice["gemeente"],
        periode=body.periode,
        key=(body.model_dump_json(), profiles_version()),
    )


@router.get(
    "/candidates",
    response_model=CandidateCollection,
    dependencies=[rate_limit("zwaar")],
    response_model_by_alias=True,
    summary="Candidate DIA areas for a profile of the gemeente, GeoJSON",
)
def candidates(
    conn: ConnDep,
    settings: SettingsDep,
    cache: CacheDep,
    profiel: Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9_]*$")] = None,
    as_: Annotated[Axis, Query(alias="as")] = "gecombineerd",
    methode: Annotated[AreaMethod, Query()] = "auto",
    min_inwoners: Annotated[int, Query(ge=0)] = 1000,
    gemeente: Annotated[Gemeente | None, Query()] = None,
    jaar: Annotated[Jaar | None, Query()] = None,
    editie: Annotated[Editie | None, Query()] = None,
    periode: Annotated[Periode | None, Query()] = None,
) -> dict[str, Any]:
    body = CandidateRequest.model_validate(
        {
            "profiel": profiel,
            "as": as_,
            "gebieden": methode,
            "min_inwoners": min_inwoners,
            "gemeente": gemeente,
            "jaar": jaar,
            "editie": editie,
            "periode": periode,
        }
    )
    table = cache.get(conn, **data_choice(settings, body))
    return _candidates(body, table, catalogue(conn, table))
