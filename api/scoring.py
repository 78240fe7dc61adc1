"""Scoring for the API, shared by ``/api/scores`` and ``/api/scenarios``: a thin adapter.

A request names a profile of the gemeente's catalogue (``build_profile``: the profile plus the
request's weights, normalisation, method and top N = the profile *as used*) and the data (gemeente,
buurten year, Leefbaarometer edition, period); the indicator table comes from the one read path
(``layers.indicators.read_table``, cached per choice while the data version is unchanged) and the
score from ``layers.indicators.score_table`` (engine rules in ``sia.run``). Nothing here reads
SQL or decides how to score.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import Field, field_validator
from sqlalchemy import Connection, Engine

from api.settings import Settings
from api.types import Editie, Gemeente, Jaar, Periode, Weight
from layers import areas
from layers.access import Principal, connect_as, enforces_rls, view_key, view_of
from layers.indicators import IndicatorTable, read_table
from layers.organisations import partner_profiles as organisation_profiles
from layers.provenance import data_version
from sia.aggregate import METHODS
from sia.criteria import NormalisationSpec, Profile
from sia.errors import InvalidInput
from sia.profile import (
    ProfileCatalogue,
    profile_catalogue,
    profile_from_dict,
    profile_to_dict,
    profiles_version,
    with_overrides,
)
from sia.run import Analyses

_METHOD_NAMES: list[Any] = sorted(METHODS)  # for the OpenAPI enum


class DataRequest(Analyses):
    """Which data: gemeente, buurten year, Leefbaarometer edition, period (defaults: see fields)."""

    gemeente: Gemeente | None = Field(None, description="CBS gemeentecode; default: the map's (SIA_GEMEENTE)")
    jaar: Jaar | None = Field(
        None,
        description="buurten year; default SIA_JAAR, else the newest year the Leefbaarometer covers "
        "(GET /api/indicators/choices)",
    )
    editie: Editie | None = Field(
        None, description="Leefbaarometer edition; default SIA_LBM_EDITIE, else the newest that covers"
    )
    periode: Periode | None = Field(
        None,
        description="partner period; default: the newest in which every partner is current "
        "(GET /api/periods). A period shows each partner's newest delivery at or before it.",
    )


class ScoreRequest(DataRequest):
    """What to score: a profile of the gemeente, optional changes to it, and which data."""

    profiel: str | None = Field(
        None,
        pattern=r"^[a-z][a-z0-9_]*$",
        description="a profile of the gemeente (GET /api/scores/profiles): 'default', 'urgentie', "
        "'consensus' or a partner's; default: 'default' when the gemeente has partner data, else "
        "'urgentie'",
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
    top_n: int | None = Field(None, ge=1, le=1000, description="top list size; default: the profile's")

    @field_validator("methode")
    @classmethod
    def _known_method(cls, value: str | None) -> str | None:
        if value is not None and value not in METHODS:
            raise ValueError(f"is een onbekende methode; kies uit: {', '.join(sorted(METHODS))}")
        return value

    def analyses(self) -> Analyses:
        return Analyses.model_validate(self.model_dump(include=set(Analyses.model_fields)))


def catalogue(conn: Connection, table: IndicatorTable) -> ProfileCatalogue:
    """The profiles of the table's gemeente: the standard ones and those of its organisations (as
    the table's data version has them: read once per table)."""
    key = f"catalogue {profiles_version()}"  # which profiles are packaged decides what is missing
    return table.memoised(key, lambda: profile_catalogue(organisation_profiles(conn, table.gemeente)))


def recommended(profiles: ProfileCatalogue, table: IndicatorTable) -> str:
    """The profile the gemeente sees first: ``default`` with partner data, else ``urgentie``."""
    return profiles.recommended(partner_data=bool(table.view.deliveries()))


def build_profile(request: ScoreRequest, profiles: ProfileCatalogue, table: IndicatorTable) -> Profile:
    """The gemeente's profile with the request's changes applied: the profile as used."""
    base = profiles.load(request.profiel or recommended(profiles, table))
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
            for name, p in profiles.partner_profiles().items()
        }
        profile = profile_from_dict(data, source=f"profiel '{profile.name}' met partnergewichten")
    return profile


# -- the indicator table -------------------------------------------------------------------


def data_choice(settings: Settings, body: DataRequest) -> dict[str, Any]:
    """The request's data choice with the settings' defaults (SIA_GEMEENTE, SIA_JAAR,
    SIA_LBM_EDITIE) and where each came from."""
    bron = {}
    jaar, editie = body.jaar, body.editie
    if jaar is None and settings.jaar is not None:
        jaar, bron["jaar"] = settings.jaar, "instelling"
    if editie is None and settings.lbm_editie is not None:
        editie, bron["editie"] = settings.lbm_editie, "instelling"
    if body.periode is not None:
        bron["periode"] = "gevraagd"
    return {
        "gemeente": body.gemeente or settings.gemeente,
        "jaar": jaar,
        "editie": editie,
        "periode": body.periode,
        "bron": bron,
    }


class IndicatorCache:
    """Indicator tables per view and (gemeente, jaar, editie, periode), reused while
    ``data_version`` of that gemeente and period is unchanged.

    Reading the table aggregates the partner deliveries in PostGIS (~150 ms for Enschede); a
    score on a cached table takes a few milliseconds, so weight sliders can re-rank live. The
    table depends on who reads it (row-level security and the disclosure rule), so the key holds
    the view (``layers.access.view_key`` of the connection's principal): principals with the same
    key read the same rows. A new delivery changes the version of its gemeente and of the periods
    at or after its own only: other tables stay cached.

    One read per key and version at a time: requests that miss while another thread reads the
    same table wait for it instead of reading it too (after a new delivery, every request of a
    busy map misses at once; ``benchmarks/bench_load.py``).
    """

    def __init__(self, size: int = 32, *, read_ahead: bool = False) -> None:
        self.size = size
        self.read_ahead = read_ahead  # the server's workers (api.main): see _read_ahead
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[tuple[Any, ...], tuple[Any, IndicatorTable]] = OrderedDict()
        self._lock = threading.Lock()
        self._reading: dict[tuple[Any, ...], threading.Lock] = {}  # (key, version) → its reader's lock

    def get(
        self,
        conn: Connection,
        *,
        gemeente: str,
        jaar: int | None = None,
        editie: int | None = None,
        periode: str | None = None,
        bron: dict[str, str] | None = None,
    ) -> IndicatorTable:
        version = data_version(conn, gemeente, periode)  # first: the table read next is at least this new
        key = (
            view_key(view_of(conn)),
            gemeente,
            jaar,
            editie,
            periode,
            tuple(sorted((bron or {}).items())),
        )
        hit = self._cached(key, version)
        if hit is not None:
            return hit
        with self._lock:
            reading = self._reading.setdefault((key, version), threading.Lock())
        with reading:  # one reader per key and version; the others wait and then find its table
            hit = self._cached(key, version)
            if hit is not None:
                return hit
            try:
                table = read_table(
                    conn, gemeente=gemeente, jaar=jaar, editie=editie, periode=periode, bron=bron
                )
                with self._lock:
                    self.misses += 1
                    self._items[key] = (version, table)
                    self._items.move_to_end(key)
                    while len(self._items) > self.size:
                        self._items.popitem(last=False)
                if self.read_ahead and enforces_rls(conn.engine):
                    _READ_AHEAD.submit(_read_ahead, conn.engine, view_of(conn), table)
            finally:
                with self._lock:
                    self._reading.pop((key, version), None)
        return table

    def _cached(self, key: tuple[Any, ...], version: Any) -> IndicatorTable | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] == version:
                self._items.move_to_end(key)
                self.hits += 1
                return hit[1]
            return None


_READ_AHEAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sia-vooruit")
"""One thread per process that reads ahead what a new table's area statistics will ask."""


def _read_ahead(engine: Engine, principal: Principal, table: IndicatorTable) -> None:
    """``layers.areas.read_ahead`` on a connection of its own for the same principal (row-level
    security as the request that read the table). A failure only means the first area computes it."""
    try:
        with connect_as(engine, principal) as conn:
            areas.read_ahead(conn, table)
    except Exception:
        logging.getLogger("uvicorn.error").warning("Vooruit lezen mislukt", exc_info=True)


def indicator_cache(request: Request) -> IndicatorCache:
    """The application's cache (created on first use)."""
    state = request.app.state
    cache: IndicatorCache | None = getattr(state, "indicator_cache", None)
    if cache is None:
        cache = state.indicator_cache = IndicatorCache()
    return cache


CacheDep = Annotated[IndicatorCache, Depends(indicator_cache)]


def describe(profile: Profile, table: IndicatorTable) -> dict[str, Any]:
    """What a run was computed from (the fields around the result in a response)."""
    return {
        "profiel": profile.name,
        "profiel_label": profile.label,
        "methode": profile.method,
        "combinatie": profile.combine,
        "top_n": profile.top_n,
        "gemeente": table.gemeente,
        "jaar": table.jaar,
        "editie": table.editie,
        "periode": table.periode,
        "leveringen": table.deliveries_used(),
        "rasters": table.rasters_used(),
        "waarschuwingen": table.waarschuwingen,
    }


def as_stored(data: Any) -> Any:
    """``data`` as it comes back from a jsonb column (for exact comparison with a stored result)."""
    return json.loads(json.dumps(data, allow_nan=False))
