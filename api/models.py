"""Response models: what the routes of scores, indicators, periods, layers, buurten and scenarios
return, so that OpenAPI (``/docs``) documents every field.

Field names are the Dutch names the map reads. Rows whose columns depend on the data (the
indicator values per buurt, the contributions per criterion) are typed as mappings of column id
to value.
"""

from __future__ import annotations

from typing import Any, Literal

from geojson_pydantic import Feature, FeatureCollection
from geojson_pydantic.geometries import Geometry
from pydantic import BaseModel, ConfigDict, Field

Value = float | int | str | bool | None


class _Out(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


# -- what a figure stands on ---------------------------------------------------------------


class DeliveryUsed(_Out):
    """A partner delivery version that a table or score reads."""

    id: int
    partner: str
    periode: str
    versie: int


class RasterUsed(_Out):
    id: int
    indicator: str
    periode: str
    versie: int


class ColumnOut(_Out):
    """What one indicator column stands on."""

    id: str
    label: str
    eenheid: str | None
    laag: str = Field(description="catalogue layer: buurten, leefbaarometer, partnerdata or raster")
    bron: str = Field(description="source in words, e.g. 'Leefbaarometer 2024' or the delivering partners")
    synthetisch: bool = Field(description="true when the values come (partly) from synthetic data")
    beschikbaar: bool = Field(description="whether any buurt has a value")
    jaar: int | None = Field(description="buurten year (CBS) or Leefbaarometer edition")
    perioden: list[str] = Field(description="periods of the deliveries the values are made of")
    laadacties: list[int]
    leveringen: list[int] = Field(description="ids of the partner or raster deliveries it reads")


class CompletenessRowOut(_Out):
    partner: str
    laag: str = Field(description="bezit, projecten, verkoop, or a raster indicator")
    soort: Literal["partnerlaag", "raster"]
    status: Literal["actueel", "doorgeschoven", "ontbreekt"]
    periode: str | None = Field(description="period of the delivery that counts")
    leeftijd: int | None = Field(description="periods (half years) behind the period viewed; 0 = current")
    levering_id: int | None
    versie: int | None
    aantal: int | None = Field(description="records of this layer in that delivery")
    synthetisch: bool | None


class CompletenessOut(_Out):
    """Who delivered what for one period: each partner's newest delivery per layer at or before
    it (carried forward when older)."""

    gemeente: str
    periode: str | None
    standaard: bool = Field(description="whether this is the default period")
    partners: list[str] = Field(description="every partner that ever delivered in the gemeente")
    actueel: list[str] = Field(description="partners with a delivery in this very period")
    ontbrekend: list[str] = Field(description="partners without a delivery in this period")
    rijen: list[CompletenessRowOut]
    waarschuwingen: list[str]


class PeriodOut(_Out):
    periode: str
    volledig: bool = Field(description="every partner that ever delivered has a delivery in this period")
    actueel: list[str]
    ontbrekend: list[str]


class PeriodsOut(_Out):
    gemeente: str
    standaard: str | None = Field(description="the default period (newest in which every partner is current)")
    perioden: list[PeriodOut] = Field(description="periods with deliveries, newest first")
    waarschuwingen: list[str]


class CombinationOut(_Out):
    jaar: int
    editie: int | None
    buurten: int
    met_score: int
    dekking: float = Field(description="share of the buurten with a Leefbaarometer score")
    dekt: bool = Field(description="dekking >= 0.9: the combination covers the gemeente")


class CodeChangeOut(_Out):
    buurtcode: str
    buurtnaam: str | None
    jaar: int
    soort: Literal["nieuw", "vervallen", "zonder_leefbaarometer"]
    vergeleken_met: str
    toelichting: str
    overlap: list[dict[str, Value]] = Field(
        description="buurten of the other year it overlaps: buurtcode, buurtnaam, aandeel (of its area)"
    )


class ChoicesOut(_Out):
    """The buurten years, Leefbaarometer editions and periods of a gemeente, what a read uses and
    why."""

    gemeente: str
    jaar: int
    editie: int | None
    periode: str | None
    jaren: list[int]
    edities: list[int]
    perioden: list[str]
    combinaties: list[CombinationOut]
    standaard: dict[str, int | str | None]
    gekozen: dict[str, str] = Field(description="per choice: gevraagd, instelling or standaard")
    waarschuwingen: list[str]
    codewijzigingen: list[CodeChangeOut]


class SuppressedCell(_Out):
    buurtcode: str
    veld: str
    reden: str = Field(description="a reason of layers.disclosure.REASONS, e.g. minder_dan_min_woningen")
    toelichting: str


class SuppressedOut(_Out):
    """What the disclosure rule left empty for this viewer (``layers.disclosure``)."""

    velden: list[str] = Field(description="the shares and means the rule may suppress")
    drempel: int = Field(
        description="dwellings with a value a share or mean needs (hidden part, outside the largest "
        "organisation)"
    )
    buurten: list[str] = Field(description="buurten with a suppressed value")
    reden: str
    regel: dict[str, Any] = Field(description="thresholds: min_woningen, min_projecten, dominantie")
    cellen: list[SuppressedCell] = Field(description="every suppressed value: buurt, field, reason")


class IndicatorTableOut(_Out):
    """One row per buurt with every indicator, and what each column stands on."""

    gemeente: str
    jaar: int
    editie: int | None
    periode: str | None
    perioden: list[str]
    synthetisch: bool = Field(description="whether any indicator with values is (partly) synthetic")
    indicatoren: list[str]
    kolommen: list[ColumnOut]
    onderdrukt: SuppressedOut
    volledigheid: CompletenessOut
    leveringen: list[DeliveryUsed]
    rasters: list[RasterUsed]
    keuzes: ChoicesOut
    waarschuwingen: list[str]
    rijen: list[dict[str, Value]] = Field(description="buurtcode, buurtnaam, wijkcode and every indicator")


# -- scores --------------------------------------------------------------------------------


class BuurtScore(_Out):
    buurtcode: str
    buurtnaam: str | None = None
    urgentie: float | None
    potentie: float | None = Field(description="None when the profile has no potential data")
    gecombineerd: float | None
    rang: int | None = Field(description="1 = highest; None = not ranked (see reden)")
    kwadrant: str | None = Field(description="kandidaat, urgent, kansrijk, laag, potentie_onbekend, ...")
    reden: str | None = None


class CriterionUse(_Out):
    """A criterion of the profile as used, with what it stands on."""

    id: str
    label: str
    as_: Literal["urgentie", "potentie"] = Field(alias="as")
    gewicht: float = Field(description="weight normalised per axis")
    synthetisch: bool
    bron: str | None = None
    laag: str | None = None
    jaar: int | None = None
    perioden: list[str] = Field(default_factory=list)


class LeftOut(_Out):
    id: str
    label: str
    as_: Literal["urgentie", "potentie"] = Field(alias="as")
    reden: str


class RobustRow(_Out):
    buurtcode: str
    rang: int | None
    p_top: float
    rang_p05: float
    rang_mediaan: float
    rang_p95: float


class OneAtATimeCriterion(_Out):
    criterium: str
    wijziging: str
    max_rangverschuiving: int
    buurten_verschoven: int
    top_erin: list[str]
    top_eruit: list[str]


class OneAtATimeBuurt(_Out):
    buurtcode: str
    rang: int
    max_daling: int
    max_stijging: int
    gevoeligst_voor: str | None


class OneAtATimeOut(_Out):
    stap: float
    top_n: int
    criteria: list[OneAtATimeCriterion]
    buurten: list[OneAtATimeBuurt]


class PartnerRanks(_Out):
    buurtcode: str
    rang: int
    rangen: dict[str, int]
    rang_min: int
    rang_max: int
    bereik: int
    std: float


class PartnerProfilesOut(_Out):
    partners: dict[str, str] = Field(description="partner profile name → organisation")
    buurten: list[PartnerRanks]


class MethodComparison(_Out):
    kendall_tau: dict[str, dict[str, float | None]]


class ScoreResponse(_Out):
    """A ranking with what it stands on: the profile as used, the data, the deliveries."""

    profiel: str
    profiel_label: str
    methode: str
    combinatie: str
    top_n: int
    gemeente: str
    jaar: int
    editie: int | None
    periode: str | None
    synthetisch: bool = Field(
        description="true only when a criterion with weight > 0 comes from synthetic data"
    )
    leveringen: list[DeliveryUsed] = Field(description="the partner deliveries the score used")
    rasters: list[RasterUsed]
    waarschuwingen: list[str]
    gewichten: dict[str, float]
    drempels: dict[str, float | None]
    assen: dict[str, bool] = Field(description="which axes have data")
    melding: str | None = Field(None, description="e.g. 'Potentie onbekend: ...'")
    kwadranten: dict[str, str] = Field(description="quadrant code → Dutch explanation")
    criteria: list[CriterionUse]
    buurten: list[BuurtScore]
    bijdragen: list[dict[str, Value]] = Field(description="per buurt: contribution of each criterion")
    geimputeerd: list[dict[str, Value]]
    weggelaten: list[LeftOut] | None = Field(None, description="criteria left out: no value for any buurt")
    robuustheid: list[RobustRow] | None = None
    een_voor_een: OneAtATimeOut | None = None
    partnerprofielen: PartnerProfilesOut | None = None
    methodevergelijking: MethodComparison | None = None


class ProfileCriterion(_Out):
    id: str
    label: str
    as_: Literal["urgentie", "potentie"] = Field(alias="as")
    richting: str
    richting_label: str
    eenheid: str
    bron: str
    normalisatie: str
    ontbrekend: str
    gewicht: float
    beschikbaar: bool = Field(description="whether the gemeente's data have a value for it")
    synthetisch: bool = Field(description="whether its data are (partly) synthetic")


class ProfileOut(_Out):
    naam: str
    label: str
    beschrijving: str
    soort: Literal["standaard", "partner", "consensus"]
    organisatie: str | None = Field(description="the organisation(s) of a partner profile")
    aanbevolen: bool = Field(description="the profile this gemeente sees first")
    methode: str
    top_n: int
    gewichten: dict[str, float]
    assen: dict[str, bool] = Field(description="which axes have criteria with data in this gemeente")
    criteria: list[ProfileCriterion]


class CandidateProperties(_Out):
    gebied: str
    methode: str
    methode_label: str
    buurtcodes: str
    n_buurten: int
    inwoners: float | None = Field(description="None when the buurten file has no inhabitants")
    gem_score: float


class CandidateCollection(FeatureCollection[Feature[Geometry, CandidateProperties]]):
    """Candidate DIA areas (EPSG:4326) with the method and parameters that formed them."""

    as_: str = Field(alias="as", description="the score the areas are formed on")
    methode: str = Field(description="asked: auto, gi_star or top_groep")
    gebruikt: str = Field(description="the method that produced the areas")
    terugval: bool = Field(description="auto fell back to top_groep: Gi* found no significant area")
    melding: str | None
    parameters: dict[str, Any]
    synthetisch: bool
    periode: str | None
    weggelaten: list[LeftOut]


class FeaturesOut(FeatureCollection[Feature[Geometry, dict[str, Any]]]):
    """Features of a layer (EPSG:4326)."""

    layer: str
    jaar: int | None = None
    periode: str | None = None
    aantal: int
    synthetisch: bool | None = None


class OrganisationOut(_Out):
    id: int
    gemeente: str
    naam: str
    soort: str
    slug: str
    profiel: str | None
    actief: bool


class BuurtSources(_Out):
    buurten: str
    leefbaarometer: str | None


class BuurtOut(_Out):
    """Every value of one buurt (its buurten year and Leefbaarometer edition)."""

    jaar: int
    buurtcode: str
    buurtnaam: str | None
    wijkcode: str
    gemeentecode: str
    gemeentenaam: str | None
    aantal_inwoners: int | None
    aantal_huishoudens: int | None
    bevolkingsdichtheid: float | None
    oppervlakte_land_ha: float | None
    oppervlakte_geometrie_ha: float
    kerncijfers: dict[str, Value] = Field(description="the other CBS kerncijfers of the loaded file")
    lbm_score: float | None
    lbm_klasse: int | None
    lbm_won: float | None
    lbm_fys: float | None
    lbm_vrz: float | None
    lbm_soc: float | None
    lbm_onv: float | None
    lbm_editie: int | None
    bron_bestand: str | None
    geladen_op: str | None
    jaren: list[int] = Field(description="the buurten years in which this code exists")
    bronnen: BuurtSources
    geometry: Geometry


# -- scenarios -----------------------------------------------------------------------------


class ScenarioSummary(_Out):
    id: int
    naam: str
    auteur: str
    toelichting: str | None
    vorige_id: int | None
    profiel: str
    methode: str
    gemeente: str
    jaar: int
    periode: str | None
    lbm_editie: int | None
    top_n: int
    vertrouwelijkheid: Literal["openbaar", "partners", "eigen"] = Field(
        "openbaar", description="who reads it: everyone, the gemeente's partners, its organisation"
    )
    organisatie: str | None = Field(None, description="the author's organisation")
    aangemaakt: str
    verwijderd_op: str | None


class Scenario(ScenarioSummary):
    """A stored scenario: the profile as used, the inputs it read and its result (never changed)."""

    profiel_inhoud: dict[str, Any]
    normalisatie: dict[str, Any] | None
    gewichten: dict[str, float]
    invoer: dict[str, Any] = Field(description="leveringen, rasters, laadacties, synthetisch")
    analyses: dict[str, Any]
    resultaat: dict[str, Any] = Field(description="as the response of POST /api/scores")


class ScenarioDeleted(_Out):
    id: int
    verwijderd_op: str


class ScenarioComparison(_Out):
    a: ScenarioSummary
    b: ScenarioSummary
    kendall_tau: float | None
    gemeenschappelijk: int
    buurten: list[dict[str, Value]]


class ScenarioRerun(ScoreResponse):
    scenario: ScenarioSummary
    identiek: bool = Field(description="whether the result equals the stored one exactly")
    verschillen: dict[str, Any] | None = Field(description="result parts, buurten and inputs that differ")
