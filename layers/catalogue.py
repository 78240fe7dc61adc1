"""The layer catalogue: what each map layer is, where it comes from, and its fields.

One place for titles, descriptions, sources, attribution, fields with Dutch labels and units,
and the SQL each layer is read with. The API and the web map read this; nothing else hard-codes
field labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    unit: str | None = None
    type: str = "number"  # number | integer | text | boolean
    description: str = ""
    indicator: bool = False  # offered as a choropleth indicator
    kerncijfer: tuple[str, ...] = ()
    """For optional CBS kerncijfers: the names the value may have in the buurt's ``kerncijfers``
    (PDOK long names and CBS shapefile short names, lower case; the first present counts). Such
    an indicator exists only where the loaded buurten file has it."""
    bronlagen: tuple[str, ...] = ()
    """For partner aggregates: the partner layers (bezit, projecten, verkoop) the value is made
    of, so that it can say which deliveries it stands on."""


@dataclass(frozen=True)
class Layer:
    id: str
    title: str
    description: str
    source: str
    attribution: str
    geometry_type: str
    table: str
    year_column: str
    key: str
    fields: tuple[Field, ...]
    synthetic: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    def field_ids(self) -> list[str]:
        return [f.id for f in self.fields]


CBS_ATTRIBUTION = "CBS / Kadaster, Wijk- en buurtkaart (CC BY 4.0)"
LBM_ATTRIBUTION = "Ministerie van BZK, Leefbaarometer 3.x"

_CODES = (
    Field("buurtcode", "Buurtcode", type="text"),
    Field("buurtnaam", "Buurtnaam", type="text"),
    Field("wijkcode", "Wijkcode", type="text"),
    Field("gemeentecode", "Gemeentecode", type="text"),
    Field("gemeentenaam", "Gemeente", type="text"),
    Field("jaar", "Jaar buurtindeling", type="integer"),
)

LBM_FIELDS = (
    Field(
        "lbm_score",
        "Leefbaarometer totaalscore",
        "afwijking t.o.v. NL-gemiddelde",
        description="Totaalscore: afwijking van het landelijk gemiddelde; hoger is beter.",
        indicator=True,
    ),
    Field(
        "lbm_klasse",
        "Leefbaarometer klasse",
        "klasse 1–9",
        type="integer",
        description="1 = zeer onvoldoende … 9 = uitstekend.",
        indicator=True,
    ),
    Field("lbm_won", "Leefbaarometer: woningvoorraad", "score", indicator=True),
    Field("lbm_fys", "Leefbaarometer: fysieke omgeving", "score", indicator=True),
    Field("lbm_vrz", "Leefbaarometer: voorzieningen", "score", indicator=True),
    Field("lbm_soc", "Leefbaarometer: sociale samenhang", "score", indicator=True),
    Field("lbm_onv", "Leefbaarometer: overlast en onveiligheid", "score", indicator=True),
    Field("lbm_editie", "Leefbaarometer editie", type="integer"),
)

CBS_OPTIONAL_FIELDS = (
    Field(
        "aandeel_sociale_huur",
        "Aandeel huurwoningen van corporaties",
        "%",
        description="Percentage van de woningen dat huurwoning in bezit van een woningcorporatie is (CBS).",
        indicator=True,
        kerncijfer=(
            "percentage_huurwoningen_in_bezit_woningcorporaties",
            "perc_huurwoningen_in_bezit_woningcorporaties",
            "percentage_woningen_in_bezit_woningcorporatie",
            "huurwoningen_in_bezit_woningcorporaties",
            "p_huurcorp",
            "p_wcorpw",
        ),
    ),
    Field(
        "gem_inkomen",
        "Gemiddeld inkomen per inwoner",
        "× € 1.000",
        description="Gemiddeld persoonlijk inkomen per inwoner (CBS).",
        indicator=True,
        kerncijfer=("gemiddeld_inkomen_per_inwoner", "g_ink_pi"),
    ),
    Field(
        "gem_woz",
        "Gemiddelde WOZ-waarde van woningen",
        "× € 1.000",
        description="Gemiddelde WOZ-waarde van de woningen (CBS).",
        indicator=True,
        kerncijfer=("gemiddelde_woningwaarde", "woz", "g_woz"),
    ),
)
"""CBS kerncijfers that some editions of the wijk- en buurtkaart carry (not the 2021 PDOK layer
of the shipped data): read from the buurt's ``kerncijfers`` where present."""

BUURTEN = Layer(
    id="buurten",
    title="CBS buurten",
    description="Buurtgrenzen met kerncijfers uit de CBS Wijk- en buurtkaart.",
    source="CBS Wijk- en buurtkaart (PDOK)",
    attribution=CBS_ATTRIBUTION,
    geometry_type="MultiPolygon",
    table="buurten",
    year_column="jaar",
    key="buurtcode",
    fields=(
        *_CODES,
        Field("aantal_inwoners", "Inwoners", "personen", "integer", indicator=True),
        Field("aantal_huishoudens", "Huishoudens", "huishoudens", "integer", indicator=True),
        Field("bevolkingsdichtheid", "Bevolkingsdichtheid", "inwoners per km²", indicator=True),
        Field("oppervlakte_land_ha", "Oppervlakte land", "ha"),
        *CBS_OPTIONAL_FIELDS,
    ),
)

WIJKEN = Layer(
    id="wijken",
    title="CBS wijken",
    description="Wijkgrenzen; afgeleid uit de buurten (samengevoegd per wijkcode) tenzij geladen.",
    source="CBS Wijk- en buurtkaart (PDOK)",
    attribution=CBS_ATTRIBUTION,
    geometry_type="MultiPolygon",
    table="wijken",
    year_column="jaar",
    key="wijkcode",
    fields=(
        Field("wijkcode", "Wijkcode", type="text"),
        Field("wijknaam", "Wijknaam", type="text"),
        Field("gemeentecode", "Gemeentecode", type="text"),
        Field("jaar", "Jaar buurtindeling", type="integer"),
        Field("aantal_inwoners", "Inwoners", "personen", "integer"),
        Field("aantal_huishoudens", "Huishoudens", "huishoudens", "integer"),
        Field("n_buurten", "Aantal buurten", type="integer"),
    ),
)

LEEFBAAROMETER = Layer(
    id="leefbaarometer",
    title="Leefbaarometer",
    description="Leefbaarheid per buurt: totaalscore, klasse en vijf dimensies (BZK).",
    source="Leefbaarometer (BZK), buurtscores",
    attribution=LBM_ATTRIBUTION,
    geometry_type="MultiPolygon",
    table="leefbaarometer",
    year_column="editie",
    key="buurtcode",
    fields=(*_CODES[:4], *LBM_FIELDS),
    notes=("Gekoppeld aan de buurtgrenzen op buurtcode; buurten zonder score blijven leeg.",),
)

PARTNER_AGGREGATES = Layer(
    id="partnerdata",
    title="Partnerdata per buurt",
    description="Corporatiebezit, geplande projecten en geplande verkoop van de partners, "
    "samengevat per buurt en periode (projectvlakken naar rato van oppervlak verdeeld).",
    source="Leveringen van de partners (Excel-sjabloon of GIS-bestand), per periode",
    attribution="Partners SIA Enschede",
    geometry_type="MultiPolygon",
    table="leveringen",
    year_column="periode",
    key="buurtcode",
    fields=(
        Field(
            "bezit_woningen",
            "Corporatiewoningen",
            "woningen",
            "integer",
            indicator=True,
            bronlagen=("bezit",),
        ),
        Field(
            "n_corporaties",
            "Aantal corporaties met bezit",
            "corporaties",
            "integer",
            description="Gezamenlijk bezit: hoeveel corporaties woningen hebben in de buurt.",
            indicator=True,
            bronlagen=("bezit",),
        ),
        Field(
            "aandeel_label_efg", "Aandeel energielabel E, F of G", "%", indicator=True, bronlagen=("bezit",)
        ),
        Field(
            "gem_conditie",
            "Gemiddelde conditie (NEN 2767)",
            "score 1–6",
            description="1 = uitstekend … 6 = zeer slecht, gewogen naar woningen.",
            indicator=True,
            bronlagen=("bezit",),
        ),
        Field("geplande_investering", "Geplande investering", "€", indicator=True, bronlagen=("projecten",)),
        Field(
            "investering_per_woning",
            "Geplande investering per huishouden",
            "€ per huishouden",
            description="Geplande investering gedeeld door het aantal huishoudens (CBS).",
            indicator=True,
            bronlagen=("projecten",),
        ),
        Field(
            "geplande_woningen",
            "Geplande woningen erbij",
            "woningen",
            indicator=True,
            bronlagen=("projecten",),
        ),
        Field(
            "geplande_verkoop",
            "Geplande verkoop",
            "woningen",
            "integer",
            indicator=True,
            bronlagen=("verkoop",),
        ),
        Field(
            "n_partners_plannen",
            "Aantal partners met plannen",
            "partners",
            "integer",
            description="Partners met projecten of verkoop in de buurt (kans op bundeling).",
            indicator=True,
            bronlagen=("projecten", "verkoop"),
        ),
    ),
    notes=("Periode kiesbaar; eerdere leveringen blijven bewaard.",),
)

_RECORD = (
    Field("partner", "Leverende partner", type="text"),
    Field("periode", "Periode", type="text"),
    Field(
        "vertrouwelijkheid",
        "Vertrouwelijkheid",
        type="text",
        description="openbaar, partners of eigen (alleen de eigen organisatie).",
    ),
    Field("synthetisch", "Synthetisch", type="boolean"),
)
_PARTNER_NOTE = (
    "Zonder aanmelding toont de kaart alleen openbare en synthetische records; "
    "vertrouwelijke records tellen mee in de buurtcijfers.",
)

BEZIT = Layer(
    id="corporatiebezit",
    title="Corporatiebezit (adressen)",
    description="Woningen van de corporaties op adres: energielabel, conditie, huurklasse, DAEB.",
    source="Leveringen van de corporaties (Excel-sjabloon of GIS-bestand), per periode",
    attribution="Woningcorporaties Enschede",
    geometry_type="Point",
    table="bezit",
    year_column="periode",
    key="id",
    fields=(
        *_RECORD,
        Field("corporatie", "Corporatie", type="text"),
        Field("adres", "Adres", type="text"),
        Field("aantal_woningen", "Woningen", "woningen", "integer"),
        Field("daeb", "DAEB", type="boolean"),
        Field("huurklasse", "Huurklasse", type="text"),
        Field("energielabel", "Energielabel", type="text"),
        Field("bouwjaar", "Bouwjaar", type="integer"),
        Field("conditie", "Conditie (NEN 2767)", "score 1–6", "integer"),
    ),
    notes=_PARTNER_NOTE,
)

PROJECTEN = Layer(
    id="geplande_projecten",
    title="Geplande projecten",
    description="Plannen van corporaties, gemeente en private partijen: nieuwbouw, renovatie, sloop, "
    "transformatie, verduurzaming; vlak of punt.",
    source="Leveringen van de partners, per periode",
    attribution="Partners SIA Enschede",
    geometry_type="Geometry",
    table="projecten",
    year_column="periode",
    key="id",
    fields=(
        *_RECORD,
        Field("projectnaam", "Project", type="text"),
        Field("partij", "Partij", type="text"),
        Field("type", "Type", type="text"),
        Field("woningen_erbij", "Woningen erbij", "woningen", "integer"),
        Field("woningen_eraf", "Woningen eraf", "woningen", "integer"),
        Field("startjaar", "Startjaar", type="integer"),
        Field("eindjaar", "Eindjaar", type="integer"),
        Field("investering_eur", "Investering", "€"),
        Field("status", "Status", type="text"),
    ),
    notes=_PARTNER_NOTE,
)

VERKOOP = Layer(
    id="geplande_verkoop",
    title="Geplande verkoop",
    description="Voorgenomen verkoop van corporatiewoningen, getoetst aan afspraak 4.1 (conditie 4 "
    "of slechter of label F/G alleen als gemelde kluswoning).",
    source="Leveringen van de corporaties, per periode",
    attribution="Woningcorporaties Enschede",
    geometry_type="Point",
    table="verkoop",
    year_column="periode",
    key="id",
    fields=(
        *_RECORD,
        Field("corporatie", "Corporatie", type="text"),
        Field("adres", "Adres", type="text"),
        Field("energielabel", "Energielabel", type="text"),
        Field("conditie", "Conditie (NEN 2767)", "score 1–6", "integer"),
        Field("kluswoning", "Kluswoning", type="boolean"),
        Field("gemeld_aan_gemeente", "Gemeld aan de gemeente", type="boolean"),
        Field("gepland_jaar", "Gepland jaar", type="integer"),
    ),
    notes=_PARTNER_NOTE,
)

# catalogue id → table of the address-level partner layers
PARTNER_RECORD_LAYERS = {BEZIT.id: "bezit", PROJECTEN.id: "projecten", VERKOOP.id: "verkoop"}

RASTER = Layer(
    id="raster",
    title="Rasterindicatoren",
    description="Rasters (GeoTIFF) van de partners, zoals hittestress of aandeel groen, "
    "samengevat per buurt: gemiddelde en aandeel cellen boven een drempel.",
    source="Rasterleveringen van de partners (GeoTIFF), per periode",
    attribution="Partners SIA Enschede",
    geometry_type="MultiPolygon",
    table="raster_leveringen",
    year_column="periode",
    key="buurtcode",
    fields=(),  # one or two fields per loaded raster: see layers.raster_store.raster_fields
    notes=("Velden hangen af van de geladen rasters; eerdere versies blijven bewaard.",),
)

LAYERS: dict[str, Layer] = {
    layer.id: layer
    for layer in (BUURTEN, WIJKEN, LEEFBAAROMETER, PARTNER_AGGREGATES, BEZIT, PROJECTEN, VERKOOP, RASTER)
}


def indicator_fields() -> list[tuple[Layer, Field]]:
    """Every field offered as an indicator, with the layer it comes from."""
    return [(layer, f) for layer in LAYERS.values() for f in layer.fields if f.indicator]
