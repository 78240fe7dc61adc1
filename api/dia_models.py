"""Response models of the DIA routes (``/api/gebieden``, ``/api/voorstellen``), so that OpenAPI
(``/docs``) documents every field the map reads.

The models forbid fields they do not declare: a route that starts returning something new fails
its tests until the model says what it is. ``POST /api/gebieden/statistieken`` returns its JSON
directly (FastAPI's encoder would walk every coordinate of a drawn area while the user draws); its
model documents the answer and the tests validate real answers against it. What a proposal
version stored (``weging``, ``invoer``, ``statistieken``) is returned as it was stored: a version
is never changed, so its stored JSON keeps the shape of the day it was saved.
"""

from __future__ import annotations

from typing import Any, Literal

from geojson_pydantic.geometries import Geometry
from pydantic import BaseModel, ConfigDict, Field

from api.models import CompletenessRowOut, CriterionUse, DeliveryUsed, LeftOut, RasterUsed

Value = float | int | str | bool | None
Status = Literal["concept", "voorgesteld", "vastgesteld", "afgewezen", "ingetrokken"]


class _Out(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")


# -- area statistics -----------------------------------------------------------------------


class AddressPoints(_Out):
    woningen: int = Field(description="dwellings at address points the viewer may see in the buurt")
    binnen: int = Field(description="of which inside the area")


class AreaBuurt(_Out):
    """A buurt the area touches, and how its figures are apportioned to the area."""

    buurtcode: str
    buurtnaam: str | None
    wijkcode: str | None
    oppervlakte_ha: float
    oppervlakte_binnen_ha: float
    aandeel_oppervlakte: float = Field(description="share of the buurt's area inside")
    adrespunten: AddressPoints
    aandeel: float = Field(description="share of the buurt's figures counted in the area")
    methode: Literal["geheel", "adrespunten", "oppervlakte"]
    inwoners_buurt: int | None
    huishoudens_buurt: int | None
    woningen_buurt: float | None = Field(description="dwelling stock (when the buurten file has it)")
    inwoners: float | None
    huishoudens: float | None
    woningen: float | None
    leefbaarometer: dict[str, float | None] = Field(description="score and dimensions of the buurt")


class Distribution(_Out):
    methoden: dict[str, str] = Field(description="apportioning method → explanation")
    aantal_buurten: dict[str, int] = Field(description="apportioning method → buurten")


class GemeenteTotals(_Out):
    inwoners: float | None
    huishoudens: float | None
    woningen: float | None


class Liveability(_Out):
    """The Leefbaarometer of the table's edition, weighted by the households inside."""

    lbm_score: float | None
    lbm_won: float | None
    lbm_fys: float | None
    lbm_vrz: float | None
    lbm_soc: float | None
    lbm_onv: float | None
    labels: dict[str, str]
    editie: int | None
    bron: str | None
    weging: str
    buurten_zonder: list[str] = Field(description="touched buurten without a score")


class SuppressedValue(_Out):
    """A value the disclosure rule left empty (``layers.disclosure``)."""

    buurtcode: str | None = Field(None, description="the touched buurt whose hidden part it is")
    veld: str
    reden: str = Field(description="a reason of layers.disclosure.REASONS, e.g. minder_dan_min_woningen")
    toelichting: str


class CorporationHolding(_Out):
    corporatie: str
    woningen: float
    aandeel_label_efg: float | None = Field(
        description="% with label E, F or G (None: suppressed or unknown)"
    )
    gem_conditie: float | None = Field(description="mean NEN 2767 condition (None: suppressed or unknown)")
    onderdrukt: bool = Field(description="a share or mean left empty by the disclosure rule")
    onderdrukt_waarden: list[SuppressedValue] = Field(description="which, and why")
    synthetisch: bool
    buurtcijfers: bool = Field(
        description="true for the one row of records the viewer may not read: the hidden part of the "
        "touched buurten's figures (all corporations together) apportioned by each buurt's share; "
        "`corporatie` is then a label, not a corporation"
    )


class Holdings(_Out):
    woningen: float
    aandeel_label_efg: float | None
    gem_conditie: float | None
    onderdrukt: bool
    onderdrukt_waarden: list[SuppressedValue]
    per_corporatie: list[CorporationHolding]
    drempel_onderdrukking: int
    synthetisch: bool = Field(description="whether any record counted is synthetic")
    methode: str


class ProjectYear(_Out):
    partij: str
    jaar: int | None
    investering_eur: float
    woningen_erbij: float
    woningen_eraf: float


class Projects(_Out):
    aantal: int
    investering_eur: float
    woningen_erbij: float
    woningen_eraf: float
    per_partij_jaar: list[ProjectYear]
    projecten: list[dict[str, Value]] = Field(
        description="each project inside or crossing: its fields, aandeel_binnen, investering_binnen_eur, "
        "kruist_grens"
    )
    synthetisch: bool
    methode: str


class SalesCount(_Out):
    corporatie: str | None = None
    jaar: int | None = None
    aantal: int
    strijdig_41: int = Field(description="planned sales that break agreement 4.1")


class Sales(_Out):
    aantal: int
    strijdig_41: int
    per_corporatie: list[SalesCount]
    per_jaar: list[SalesCount]
    synthetisch: bool


class Shares(_Out):
    """The area's share of the gemeente."""

    inwoners: float | None
    huishoudens: float | None
    woningen: float | None
    corporatiewoningen: float | None
    melding_woningen: str | None


class AreaBuurtScore(_Out):
    buurtcode: str
    buurtnaam: str | None
    aandeel: float
    rang: int | None
    kwadrant: str | None
    urgentie: float | None
    potentie: float | None = Field(description="None when the profile has no potential data")
    gecombineerd: float | None
    reden: str | None
    p_top: float | None = None
    rang_p05: float | None = None
    rang_mediaan: float | None = None
    rang_p95: float | None = None
    partnerrangen: dict[str, int] | None = None


class AreaScores(_Out):
    """The weighting the area was scored with (as POST /api/scores) and its scores."""

    profiel: str
    profiel_label: str
    methode: str
    combinatie: str
    top_n: int
    gemeente: str
    jaar: int
    editie: int | None
    periode: str | None
    leveringen: list[DeliveryUsed] = Field(description="the partner deliveries the score read")
    rasters: list[RasterUsed]
    waarschuwingen: list[str]
    urgentie: float | None = Field(description="household-weighted mean of the area's buurten")
    potentie: float | None = Field(description="None when the profile has no potential data")
    gecombineerd: float | None
    kwadrant: str | None = Field(description="of the area's own scores; potentie_onbekend with one axis")
    kwadranten: dict[str, str] = Field(description="quadrant code → Dutch explanation")
    assen: dict[str, bool] = Field(description="which axes have criteria with data")
    melding: str | None = Field(description="why an axis is unknown")
    weging_gebied: str
    aantal_gerangschikt: int
    drempels: dict[str, float | None]
    gewichten: dict[str, float]
    criteria: list[CriterionUse]
    weggelaten: list[LeftOut]
    synthetisch: bool = Field(description="a criterion with weight > 0 comes from synthetic data")
    buurten: list[AreaBuurtScore]
    partners: dict[str, str] | None = Field(description="partner profile → organisation (when asked)")


class Overlap(_Out):
    id: int
    versie: int
    naam: str
    status: Status
    soort: Literal["open voorstel", "vastgestelde DIA"]
    overlap_ha: float
    aandeel_van_gebied: float | None


class AreaStatistics(_Out):
    """Statistics and scores of an area (POST /api/gebieden/statistieken)."""

    gemeente: str
    jaar: int = Field(description="buurten year of the indicator table")
    editie: int | None = Field(description="Leefbaarometer edition")
    periode: str | None = Field(description="partner period (its view: each partner's newest delivery)")
    oppervlakte_ha: float
    buurten: list[AreaBuurt]
    inwoners: float | None
    huishoudens: float | None
    woningen: float | None
    verdeling: Distribution
    gemeente_totalen: GemeenteTotals
    leefbaarometer: Liveability
    laadacties: dict[str, list[int]]
    corporatiebezit: Holdings | None = Field(description="None without a period")
    projecten: Projects | None
    verkoop: Sales | None
    verborgen: dict[str, int] = Field(description="records of the view the viewer may not see, per layer")
    geometrie: Geometry = Field(description="the area as used (clipped), EPSG:4326")
    synthetisch: bool = Field(description="whether any part counts or weighs synthetic data")
    synthetisch_in: list[str] = Field(description="those parts: corporatiebezit, projecten, verkoop, scores")
    volledigheid: list[CompletenessRowOut] = Field(
        description="per partner and layer the delivery that counts: actueel or doorgeschoven"
    )
    waarschuwingen: list[str]
    aandeel_gemeente: Shares
    scores: AreaScores
    overlap: list[Overlap]
    meldingen: list[str]
    afgesneden: bool = Field(description="part of the shape lay outside the gemeente and was cut off")


class AreaFromBuurten(_Out):
    geometrie: Geometry = Field(description="MultiPolygon, EPSG:4326")
    buurtcodes: list[str]
    crs: Literal["EPSG:4326"]


# -- proposals -----------------------------------------------------------------------------


_AUTHOR = (
    "who made the version: the person's name for signed-in users of the proposal's gemeente, its "
    "organisation for everyone else (personal data)"
)
_CONTACT = "the contact: for signed-in users of the proposal's gemeente; null for everyone else"


class ProposalSummary(_Out):
    """The newest version of a proposal, without its stored figures."""

    id: int
    versie: int
    naam: str
    motivering: str
    partners: list[str]
    contact: str | None = Field(description=_CONTACT)
    status: Status
    bo_datum: str | None
    besluitreferentie: str | None
    scenario_id: int | None
    auteur: str = Field(description=_AUTHOR)
    aangemaakt: str
    gemeente: str
    oppervlakte_ha: float


class ProposalVersion(_Out):
    """One version as it was saved."""

    id: int = Field(description="the proposal's id (= voorstel_id)")
    voorstel_id: int
    versie: int
    nieuwste: int = Field(description="the proposal's newest version")
    naam: str
    motivering: str
    partners: list[str] = Field(description="organisations of the gemeente")
    contact: str | None = Field(description=_CONTACT)
    status: Status
    bo_datum: str | None
    besluitreferentie: str | None
    scenario_id: int | None
    weging: dict[str, Any] = Field(
        description="the weighting (fields of POST /api/scores) with its data choice"
    )
    invoer: dict[str, Any] = Field(description="the data versions it saw (as scenarios record them)")
    statistieken: dict[str, Any] = Field(
        description="the area's statistics when saved (POST /api/gebieden/statistieken without geometrie)"
    )
    auteur: str = Field(description=_AUTHOR)
    wijziging: str
    aangemaakt: str
    gemeente: str
    geometrie: Geometry = Field(description="MultiPolygon, EPSG:4326")
    oppervlakte_ha: float
    meldingen: list[str] | None = Field(None, description="notices of a save (clipped, overlaps)")


class VersionSummary(_Out):
    versie: int
    naam: str
    status: Status
    bo_datum: str | None
    besluitreferentie: str | None
    partners: list[str]
    auteur: str = Field(description=_AUTHOR)
    wijziging: str
    aangemaakt: str
    oppervlakte_ha: float


class Comment(_Out):
    id: int
    voorstel_id: int
    versie: int = Field(description="the version the comment was made on")
    auteur: str
    organisatie: str
    tekst: str = Field(description="as written: escape it where it is shown")
    aangemaakt: str


class Commitment(_Out):
    id: int
    partner: str
    jaar: int
    bedrag_eur: float
    thema: str
    soort: Literal["toegezegd", "indicatief"]
    auteur: str
    toelichting: str
    aangemaakt: str


class ProposalDetail(ProposalVersion):
    versies: list[VersionSummary]
    reacties: list[Comment]
    toezeggingen: list[Commitment]


class AgendaRow(_Out):
    partner: str
    jaar: int | None
    gepland_eur: float = Field(description="planned investment inside the area (project deliveries)")
    toegezegd_eur: float
    indicatief_eur: float
    totaal_eur: float


class AgendaDelivery(_Out):
    partner: str
    periode: str
    id: int


class InvestmentAgenda(_Out):
    voorstel_id: int
    versie: int
    periode: str | None
    leveringen: list[AgendaDelivery] = Field(description="the project deliveries of the period's view")
    rijen: list[AgendaRow]
    totaal_eur: float
    toezeggingen: list[Commitment]
    projecten: list[dict[str, Value]]
    synthetisch: bool
    methode: str


class VersionRef(_Out):
    versie: int
    naam: str
    status: Status
    aangemaakt: str
    auteur: str


class ComparedFigure(_Out):
    grootheid: str
    label: str = Field(description="Dutch label")
    eenheid: str | None = Field(description="unit (None: a score)")
    a: float | None
    b: float | None
    verschil: float | None


class ShareChange(_Out):
    buurtcode: str
    a: float
    b: float


class VersionComparison(_Out):
    voorstel_id: int
    a: VersionRef
    b: VersionRef
    toegevoegd: Geometry | None = Field(description="area b adds (EPSG:4326)")
    toegevoegd_ha: float
    verwijderd: Geometry | None = Field(description="area b removes (EPSG:4326)")
    verwijderd_ha: float
    statistieken: list[ComparedFigure]
    buurten_erbij: list[str]
    buurten_eraf: list[str]
    buurten_aandeel: list[ShareChange]
