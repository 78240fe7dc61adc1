"""Scenarios: stored scores that can be listed, re-run, compared and (softly) deleted.

A scenario stores the profile as used, the data it read and its result; it is never changed
afterwards. Saving a changed scenario means POSTing a new one (``vorige`` = the id it revises).
DELETE hides a scenario from the list but keeps it readable by id (``verwijderd_op`` is set).

Saving needs a planner or beheerder; the author is the signed-in user and its organisation. A
scenario has a class (``vertrouwelijkheid``: openbaar, the default, partners or eigen) and is
*computed in the view of that audience* (``layers.access.audience``): an ``openbaar`` scenario
from the public view, a ``partners`` one from what every signed-in partner of the gemeente may
read, an ``eigen`` one from what the author's organisation may read. So storing a result never
shows its readers more than they may see; row-level security decides who reads it. Deleting: a
planner of its organisation or a beheerder of the gemeente. Saves and deletions are audited.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import ConfigDict, Field
from sqlalchemy import Connection

from api.deps import ConnDep, SettingsDep
from api.models import Scenario, ScenarioComparison, ScenarioDeleted, ScenarioRerun, ScenarioSummary
from api.ratelimit import rate_limit
from api.scoring import ScoreRequest, as_stored, build_profile, catalogue, data_choice, describe
from api.security import Writer, client_address
from api.timing import TimedRoute, Timings, add_timing
from api.types import Id, LangeTekst, Naam
from layers import audit
from layers.access import Principal, acting_as, audience
from layers.indicators import IndicatorTable, read_table, score_table, usable_profiles
from layers.provenance import score_inputs
from layers.scenarios import (
    SUMMARY_COLUMNS,
    delete_scenario,
    get_scenario,
    list_scenarios,
    store_scenario,
)
from sia.criteria import Profile
from sia.errors import Forbidden
from sia.profile import profile_from_dict, profile_to_dict
from sia.robustness import compare_rankings
from sia.run import QUADRANTS, Analyses, records

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"], route_class=TimedRoute)


class ScenarioRequest(ScoreRequest):
    """A score request (see POST /api/scores) plus its name and who may read it."""

    model_config = ConfigDict(str_strip_whitespace=True)

    naam: Naam = Field(description="name of the scenario")
    auteur: Naam | None = Field(
        None, deprecated=True, description="ignored: the author is the signed-in user (since sign-in)"
    )
    toelichting: LangeTekst | None = Field(None, description="why, what was changed")
    vorige: Id | None = Field(None, description="id of the scenario this one revises")
    vertrouwelijkheid: Literal["openbaar", "partners", "eigen"] = Field(
        "openbaar",
        description="who reads it: everyone (computed from the public view), the signed-in partners "
        "of the gemeente, or the author's organisation (each computed from what they may read)",
    )


def _snapshot(conn: Connection) -> Connection:
    """``conn``, whose next transaction sees one snapshot of the data in all its reads."""
    return conn.execution_options(isolation_level="REPEATABLE READ")


def _stored_audience(stored: dict[str, Any]) -> Principal:
    """The view a stored scenario was computed in (its class, organisation and gemeente)."""
    author = Principal(
        gebruiker_id=0, organisatie_id=stored.get("organisatie_id"), gemeente=stored["gemeente"]
    )
    return audience(author, stored.get("vertrouwelijkheid") or "openbaar")


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in SUMMARY_COLUMNS}


@router.post(
    "",
    status_code=201,
    response_model=Scenario,
    summary="Save a scenario: score now (in the view of its readers) and store the inputs and the "
    "result (never overwritten); planner or beheerder",
    dependencies=[rate_limit("schrijven")],
)
def create(
    body: ScenarioRequest,
    request: Request,
    principal: Writer,
    db: ConnDep,
    settings: SettingsDep,
    response: Response,
) -> dict[str, Any]:
    timings = Timings()
    analyses = body.analyses()
    choice = data_choice(settings, body)
    if choice["gemeente"] != principal.gemeente:
        raise Forbidden(
            f"U slaat scenario's op voor uw eigen gemeente ({principal.gemeente}), niet voor "
            f"{choice['gemeente']}."
        )
    with _snapshot(db).begin():
        with acting_as(db, audience(principal, body.vertrouwelijkheid)):
            with timings.measure("db"):
                table = read_table(db, **choice)
                profiles = catalogue(db, table)
            profile = build_profile(body, profiles, table)
            sources = score_inputs(table)
            scored = score_table(
                table,
                profile,
                analyses,
                partner_labels=profiles.partners,
                alternatives=usable_profiles(table, profiles),
                timings=timings,
            )
        result = as_stored(scored.output)
        stored = store_scenario(
            db,
            {
                "naam": body.naam,
                "auteur": principal.naam or principal.email or "onbekend",
                "organisatie_id": principal.organisatie_id,
                "gebruiker_id": principal.gebruiker_id,
                "vertrouwelijkheid": body.vertrouwelijkheid,
                "toelichting": body.toelichting,
                "vorige_id": body.vorige,
                "profiel": profile.name,
                "profiel_inhoud": profile_to_dict(profile),
                "methode": profile.method,
                "normalisatie": (
                    None
                    if body.normalisatie is None
                    else {k: v.model_dump(mode="json") for k, v in body.normalisatie.items()}
                ),
                "gewichten": result["gewichten"],
                "gemeente": table.gemeente,
                "jaar": table.jaar,
                "periode": table.periode,
                "lbm_editie": sources["lbm_editie"],
                "invoer": {
                    "leveringen": sources["leveringen"],
                    "rasters": sources["rasters"],
                    "laadacties": sources["laadacties"],
                    "synthetisch": scored.synthetic,
                },
                "top_n": profile.top_n,
                "analyses": analyses.model_dump(mode="json"),
                "resultaat": result,
            },
        )
        audit.record(
            db,
            "scenario.opgeslagen",
            principal=principal,
            object_soort="scenario",
            object_id=stored["id"],
            voor={"scenario": body.vorige} if body.vorige else None,
            na={
                "scenario": stored["id"],
                "naam": stored["naam"],
                "vertrouwelijkheid": body.vertrouwelijkheid,
            },
            client=client_address(request),
        )
    add_timing(response, timings)
    return stored


@router.get(
    "",
    response_model=list[ScenarioSummary],
    summary="List scenarios, newest first (without deleted ones unless asked)",
)
def index(
    conn: ConnDep,
    met_verwijderd: Annotated[bool, Query(description="include deleted scenarios")] = False,
) -> list[dict[str, Any]]:
    return list_scenarios(conn, met_verwijderd=met_verwijderd)


def _ranking(scenario: dict[str, Any]) -> pd.DataFrame:
    rows = scenario["resultaat"]["buurten"]
    return pd.DataFrame(rows, columns=["buurtcode", "buurtnaam", "rang", "gecombineerd"]).set_index(
        "buurtcode"
    )


@router.get(
    "/compare",
    response_model=ScenarioComparison,
    summary="Compare two scenarios per buurt: ranks, rank and score change, Kendall's tau",
    description="Per buurt: `rang_a`, `rang_b`, `rang_verschil` (b − a; positive = lower in b), "
    "`score_a`, `score_b`, `score_verschil`; sorted by the absolute rank change, largest first "
    "(buurten ranked in only one scenario last). `kendall_tau`: tau-b between the two rankings "
    "on the buurten ranked in both.",
)
def compare(conn: ConnDep, a: Annotated[Id, Query()], b: Annotated[Id, Query()]) -> dict[str, Any]:
    first, second = get_scenario(conn, a), get_scenario(conn, b)
    ra, rb = _ranking(first), _ranking(second)
    cmp = compare_rankings(ra, rb)
    names = rb["buurtnaam"].combine_first(ra["buurtnaam"])
    table = cmp.table.join(names)
    for col in ("rang_a", "rang_b", "rang_verschil"):
        table[col] = table[col].astype("Int64")
    tau = cmp.kendall_tau
    return {
        "a": _summary(first),
        "b": _summary(second),
        "kendall_tau": None if pd.isna(tau) else tau,
        "gemeenschappelijk": cmp.gemeenschappelijk,
        "buurten": records(table[["buurtnaam", *cmp.table.columns]]),
    }


@router.get(
    "/{scenario_id}",
    response_model=Scenario,
    summary="One scenario with its profile, inputs and stored result",
)
def show(scenario_id: Annotated[Id, Path()], conn: ConnDep) -> dict[str, Any]:
    return get_scenario(conn, scenario_id)


@router.delete(
    "/{scenario_id}",
    response_model=ScenarioDeleted,
    summary="Delete a scenario (soft: hidden from the list, still readable by id, never erased); a "
    "planner of its organisation or a beheerder",
    dependencies=[rate_limit("schrijven")],
)
def remove(
    scenario_id: Annotated[Id, Path()], request: Request, principal: Writer, db: ConnDep
) -> dict[str, Any]:
    with db.begin():
        deleted = delete_scenario(db, scenario_id)
        audit.record(
            db,
            "scenario.verwijderd",
            principal=principal,
            object_soort="scenario",
            object_id=scenario_id,
            na={"verwijderd_op": deleted["verwijderd_op"]},
            client=client_address(request),
        )
    return deleted


def _differences(
    stored: dict[str, Any], fresh: dict[str, Any], table: IndicatorTable, sources: dict[str, Any]
) -> dict[str, Any]:
    """What differs between the stored result and inputs and those of the re-run."""
    then = {b["buurtcode"]: b for b in stored["resultaat"]["buurten"]}
    now = {b["buurtcode"]: b for b in fresh["buurten"]}
    buurten = []
    for code in sorted(set(then) | set(now)):
        t, n = then.get(code, {}), now.get(code, {})
        if (t.get("rang"), t.get("gecombineerd")) != (n.get("rang"), n.get("gecombineerd")):
            buurten.append(
                {
                    "buurtcode": code,
                    "rang_toen": t.get("rang"),
                    "rang_nu": n.get("rang"),
                    "gecombineerd_toen": t.get("gecombineerd"),
                    "gecombineerd_nu": n.get("gecombineerd"),
                }
            )
    old_inputs = {
        "periode": stored["periode"],
        "lbm_editie": stored["lbm_editie"],
        "leveringen": stored["invoer"].get("leveringen"),
        "rasters": stored["invoer"].get("rasters"),
        "laadacties": stored["invoer"].get("laadacties"),
    }
    new_inputs = {
        "periode": table.periode,
        "lbm_editie": sources["lbm_editie"],
        "leveringen": sources["leveringen"],
        "rasters": sources["rasters"],
        "laadacties": sources["laadacties"],
    }
    return {
        "onderdelen": sorted(
            k for k in set(stored["resultaat"]) | set(fresh) if stored["resultaat"].get(k) != fresh.get(k)
        ),
        "buurten": buurten,
        "invoer": {
            k: {"toen": old_inputs[k], "nu": new_inputs[k]}
            for k in old_inputs
            if as_stored(old_inputs[k]) != as_stored(new_inputs[k])
        },
    }


@router.post(
    "/{scenario_id}/herberekenen",
    response_model=ScenarioRerun,
    response_model_by_alias=True,
    summary="Re-run a scenario with its stored profile, year and period; `identiek` says whether "
    "the result equals the stored one exactly",
    dependencies=[rate_limit("zwaar")],
    description="Nothing is stored; the scenario is re-run in the view it was computed in (its "
    "class). When `identiek` is false, `verschillen` lists the result parts "
    "and buurten that differ and the inputs that changed since (a new delivery version, another "
    "Leefbaarometer edition).",
)
def rerun(scenario_id: Annotated[Id, Path()], db: ConnDep, response: Response) -> dict[str, Any]:
    timings = Timings()
    with _snapshot(db).begin():
        stored = get_scenario(db, scenario_id)  # 404 when the principal may not read it
        profile: Profile = profile_from_dict(stored["profiel_inhoud"], source=f"scenario {scenario_id}")
        analyses = Analyses.model_validate(stored["analyses"])
        with timings.measure("db"), acting_as(db, _stored_audience(stored)):  # as it was computed
            table = read_table(
                db,
                gemeente=stored["gemeente"],
                jaar=stored["jaar"],
                editie=stored["lbm_editie"],
                periode=stored["periode"],
            )
            profiles = catalogue(db, table)
            sources = score_inputs(table)
    scored = score_table(table, profile, analyses, partner_labels=profiles.partners, timings=timings)
    fresh = as_stored(scored.output)
    identical = fresh == stored["resultaat"]
    add_timing(response, timings)
    return {
        "scenario": _summary(stored),
        "identiek": identical,
        "verschillen": None if identical else _differences(stored, fresh, table, sources),
        **describe(profile, table),
        "kwadranten": QUADRANTS,
        **fresh,
    }
