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


# -- labels of the CBS kerncijfers -------------------------------------------------------------
# The buurten loader keeps every numeric column it does not map to a canonical field in
# ``kerncijfers`` (lower-case names as in the file). Dutch label and unit of each such field, for
# the names CBS and PDOK use: PDOK long names, CBS shapefile short names, the 10-character
# truncations of PDOK names written to shapefiles, and the Leefbaarometer columns of files that
# combine both (e.g. the national Leefbaarometer file loaded as buurten).
_PCT = "%"
_AGE = {
    "0_tot_15_jaar": "0 tot 15 jaar",
    "15_tot_25_jaar": "15 tot 25 jaar",
    "25_tot_45_jaar": "25 tot 45 jaar",
    "45_tot_65_jaar": "45 tot 65 jaar",
    "65_jaar_en_ouder": "65 jaar en ouder",
}
_KERNCIJFERS_PDOK: dict[str, tuple[str, str | None]] = {
    "mannen": ("Mannen", "personen"),
    "vrouwen": ("Vrouwen", "personen"),
    **{f"percentage_personen_{k}": (f"Inwoners {v}", _PCT) for k, v in _AGE.items()},
    "percentage_ongehuwd": ("Ongehuwd", _PCT),
    "percentage_gehuwd": ("Gehuwd", _PCT),
    "percentage_gescheid": ("Gescheiden", _PCT),
    "percentage_gescheiden": ("Gescheiden", _PCT),
    "percentage_verweduwd": ("Verweduwd", _PCT),
    "percentage_eenpersoonshuishoudens": ("Eenpersoonshuishoudens", _PCT),
    "percentage_huishoudens_zonder_kinderen": ("Huishoudens zonder kinderen", _PCT),
    "percentage_huishoudens_met_kinderen": ("Huishoudens met kinderen", _PCT),
    "gemiddelde_huishoudsgrootte": ("Gemiddelde huishoudensgrootte", "personen"),
    "gemiddelde_huishoudensgrootte": ("Gemiddelde huishoudensgrootte", "personen"),
    "percentage_westerse_migratieachtergrond": ("Westerse migratieachtergrond", _PCT),
    "percentage_niet_westerse_migratieachtergrond": ("Niet-westerse migratieachtergrond", _PCT),
    "percentage_uit_marokko": ("Migratieachtergrond Marokko", _PCT),
    "percentage_uit_nederlandse_antillen_en_aruba": ("Migratieachtergrond Antillen en Aruba", _PCT),
    "percentage_uit_suriname": ("Migratieachtergrond Suriname", _PCT),
    "percentage_uit_turkije": ("Migratieachtergrond Turkije", _PCT),
    "percentage_overige_nietwestersemigratieachtergrond": ("Overige niet-westerse migratieachtergrond", _PCT),
    "percentage_overige_niet_westerse_migratieachtergrond": (
        "Overige niet-westerse migratieachtergrond",
        _PCT,
    ),
    "oppervlakte_totaal_in_ha": ("Oppervlakte totaal", "ha"),
    "oppervlakte_water_in_ha": ("Oppervlakte water", "ha"),
    "dekkingspercentage": ("Dekking meest voorkomende postcode", "klasse 1–6 (1 = meer dan 90 %)"),
    "omgevingsadressendichtheid": ("Omgevingsadressendichtheid", "adressen per km²"),
    "stedelijkheid_adressen_per_km2": ("Stedelijkheid", "klasse 1–5 (1 = zeer sterk stedelijk)"),
}
# CBS shapefile short names (wijk- en buurtkaart as Shapefile), lower-cased as the loader keeps them
_KERNCIJFERS_SHAPEFILE: dict[str, str] = {
    "aant_man": "mannen",
    "aant_vrouw": "vrouwen",
    "p_00_14_jr": "percentage_personen_0_tot_15_jaar",
    "p_15_24_jr": "percentage_personen_15_tot_25_jaar",
    "p_25_44_jr": "percentage_personen_25_tot_45_jaar",
    "p_45_64_jr": "percentage_personen_45_tot_65_jaar",
    "p_65_eo_jr": "percentage_personen_65_jaar_en_ouder",
    "p_ongehuwd": "percentage_ongehuwd",
    "p_gehuwd": "percentage_gehuwd",
    "p_gescheid": "percentage_gescheid",
    "p_verweduw": "percentage_verweduwd",
    "p_eenp_hh": "percentage_eenpersoonshuishoudens",
    "p_hh_z_k": "percentage_huishoudens_zonder_kinderen",
    "p_hh_m_k": "percentage_huishoudens_met_kinderen",
    "gem_hh_gr": "gemiddelde_huishoudsgrootte",
    "p_west_al": "percentage_westerse_migratieachtergrond",
    "p_n_w_al": "percentage_niet_westerse_migratieachtergrond",
    "p_marokko": "percentage_uit_marokko",
    "p_ant_aru": "percentage_uit_nederlandse_antillen_en_aruba",
    "p_surinam": "percentage_uit_suriname",
    "p_turkije": "percentage_uit_turkije",
    "p_over_nw": "percentage_overige_nietwestersemigratieachtergrond",
    "opp_tot": "oppervlakte_totaal_in_ha",
    "opp_water": "oppervlakte_water_in_ha",
    "dek_perc": "dekkingspercentage",
    "oad": "omgevingsadressendichtheid",
    "sted": "stedelijkheid_adressen_per_km2",
    # 10-character truncations of the PDOK names, in the order PDOK writes them
    "percentage": "percentage_personen_0_tot_15_jaar",
    "percenta_1": "percentage_personen_15_tot_25_jaar",
    "percenta_2": "percentage_personen_25_tot_45_jaar",
    "percenta_3": "percentage_personen_45_tot_65_jaar",
    "percenta_4": "percentage_personen_65_jaar_en_ouder",
    "percenta_5": "percentage_ongehuwd",
    "percenta_6": "percentage_gehuwd",
    "percenta_7": "percentage_gescheid",
    "percenta_8": "percentage_verweduwd",
    "percenta_9": "percentage_eenpersoonshuishoudens",
    "percenta10": "percentage_huishoudens_zonder_kinderen",
    "percenta11": "percentage_huishoudens_met_kinderen",
    "percenta12": "percentage_westerse_migratieachtergrond",
    "percenta13": "percentage_niet_westerse_migratieachtergrond",
    "percenta14": "percentage_uit_marokko",
    "percenta15": "percentage_uit_nederlandse_antillen_en_aruba",
    "percenta16": "percentage_uit_suriname",
    "percenta17": "percentage_uit_turkije",
    "percenta18": "percentage_overige_nietwestersemigratieachtergrond",
    "gemiddelde": "gemiddelde_huishoudsgrootte",
    "oppervlakt": "oppervlakte_totaal_in_ha",
    "oppervla_2": "oppervlakte_water_in_ha",
    "dekkingspe": "dekkingspercentage",
    "omgevingsa": "omgevingsadressendichtheid",
    "stedelijkh": "stedelijkheid_adressen_per_km2",
}
_LBM_DIMS = {
    "won": "woningvoorraad",
    "fys": "fysieke omgeving",
    "vrz": "voorzieningen",
    "soc": "sociale samenhang",
    "onv": "overlast en onveiligheid",
}
_KERNCIJFERS_LBM: dict[str, tuple[str, str | None]] = {
    "klasse": ("Leefbaarometer klasse (uit het buurtenbestand)", "klasse 1–9"),
    "afw": ("Leefbaarometer afwijking (uit het buurtenbestand)", "afwijking t.o.v. NL-gemiddelde"),
    "top_pct_nl": ("Leefbaarometer: buurten in NL met een lagere score", _PCT),
    "pct_below_nl": ("Leefbaarometer: buurten in NL met een hogere score", _PCT),
    "lbm_kscore": ("Leefbaarometer klasse totaalscore", "klasse 1–9"),
    "lbm_kafw": ("Leefbaarometer klasse afwijking", "klasse"),
    "lbm_afw": ("Leefbaarometer afwijking totaalscore", "afwijking t.o.v. NL-gemiddelde"),
    "lbm_year": ("Leefbaarometer editie (uit het buurtenbestand)", None),
    "has_lbm2024": ("Leefbaarometer 2024 beschikbaar", None),
    "provincie_code": ("Provinciecode", None),
    **{f"lbm_k{k}": (f"Leefbaarometer klasse {v}", "klasse 1–9") for k, v in _LBM_DIMS.items()},
    **{f"lbm_{k}": (f"Leefbaarometer: {v}", "score") for k, v in _LBM_DIMS.items()},
}

KERNCIJFERS: dict[str, tuple[str, str | None]] = {
    **_KERNCIJFERS_PDOK,
    **{short: _KERNCIJFERS_PDOK[long] for short, long in _KERNCIJFERS_SHAPEFILE.items()},
    **_KERNCIJFERS_LBM,
}
"""Kerncijfer field (as stored in ``buurten.kerncijfers``) → (Dutch label, unit or None)."""
