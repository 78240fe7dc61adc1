"""The one definition of the partner layers: sheets, columns, meanings, units, allowed values.

Everything else is generated from this module: the Excel template (header row, drop-down lists,
whole-number ranges), the ``definities`` sheet, the validator and the column order of the frames
that :func:`layers.partners.validate.read_delivery` returns.

Rent classes (``huurklasse``) follow the rent limits of the Dutch rent-allowance and housing
legislation, taken in the year of the period (the limits change every 1 January):

- ``goedkoop``: rent up to the *kwaliteitskortingsgrens*;
- ``betaalbaar``: above that, up to the (high) *aftoppingsgrens*;
- ``duur``: above the *aftoppingsgrens*, up to the *liberalisatiegrens* (still regulated);
- ``middenhuur``: above the *liberalisatiegrens*, up to the upper limit of the middle segment
  (Wet betaalbare huur, 2024);
- ``vrije sector``: above that limit.

The first three together are the DAEB (social) classes used in the corporations' dVi/dPi.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Kind = Literal["tekst", "geheel", "getal", "keuze", "janee", "postcode", "buurtcode", "wkt"]

# Enschede, the example installation: the names the synthetic generator writes and what the
# checks use when no organisations are passed in (no database at hand). An installation keeps
# the partner organisations of each gemeente in the database (``layers.organisations``).
CORPORATIES: tuple[str, ...] = ("Ons Huis", "De Woonplaats", "Domijn", "SJHT", "De Veste")
GEMEENTE = "Gemeente Enschede"
PARTNERS: tuple[str, ...] = (*CORPORATIES, GEMEENTE)
PRIVATE_PARTY = "Particulier"
PARTIJEN: tuple[str, ...] = (*CORPORATIES, GEMEENTE, PRIVATE_PARTY)
ORGANISATION_KINDS: tuple[str, ...] = ("gemeente", "corporatie", "huurdersorganisatie", "bo", "overig")
DELIVERING_KINDS: tuple[str, ...] = ("gemeente", "corporatie", "overig")
"""Kinds of organisation that deliver partner data (tenant organisations and the BO do not)."""


@dataclass(frozen=True)
class Organisations:
    """The partner organisations of one gemeente, as the delivery checks and the template use them.

    ``corporaties`` may deliver holdings and sales; ``leveranciers`` (the gemeente, the
    corporations, other partners) may deliver at all; ``partijen`` may carry out a project
    (the deliverers plus private parties).
    """

    gemeente: str | None
    corporaties: tuple[str, ...]
    leveranciers: tuple[str, ...]

    @property
    def partijen(self) -> tuple[str, ...]:
        return (*self.leveranciers, PRIVATE_PARTY)

    @classmethod
    def from_records(cls, gemeente: str | None, records: Iterable[tuple[str, str]]) -> Organisations:
        """From (naam, soort) pairs of active organisations, in the order given."""
        pairs = list(records)
        return cls(
            gemeente,
            tuple(n for n, kind in pairs if kind == "corporatie"),
            tuple(n for n, kind in pairs if kind in DELIVERING_KINDS),
        )


EXAMPLE_ORGANISATIONS = Organisations("GM0153", CORPORATIES, PARTNERS)
"""Enschede's organisations, as seeded by migration 0006."""
ENERGIELABELS: tuple[str, ...] = (
    "A++++",
    "A+++",
    "A++",
    "A+",
    "A",
    "B",
    "C",
    "D",
    "E",
    "F",
    "G",
)
HUURKLASSEN: tuple[str, ...] = ("goedkoop", "betaalbaar", "duur", "middenhuur", "vrije sector")
PROJECTTYPES: tuple[str, ...] = ("nieuwbouw", "renovatie", "sloop", "transformatie", "verduurzaming")
PROJECTSTATUS: tuple[str, ...] = ("idee", "voorbereiding", "uitvoering", "gereed")
VERTROUWELIJKHEID: tuple[str, ...] = ("openbaar", "partners", "eigen")
JANEE: tuple[str, ...] = ("ja", "nee")
PERIOD_RE = re.compile(r"^\d{4}-(voorjaar|najaar)$")
BUURTCODE_RE = re.compile(r"^BU\d{4}[0-9A-Z]{4}$")  # since 2022 CBS codes may hold letters
POSTCODE_RE = re.compile(r"^[1-9]\d{3}\s?[A-Za-z]{2}$")

LAYERS: tuple[str, ...] = ("bezit", "projecten", "verkoop")
"""Layer kinds; each is also the sheet name in the Excel template."""


def current_year() -> int:
    """Return this calendar year (upper limit of ``bouwjaar``)."""
    return _dt.date.today().year


def period_choices(*, around: int | None = None) -> list[str]:
    """Periods offered in the template's drop-down list (two years back, four ahead)."""
    year = around if around is not None else current_year()
    return [f"{y}-{s}" for y in range(year - 2, year + 5) for s in ("voorjaar", "najaar")]


@dataclass(frozen=True)
class Column:
    """One column of a partner layer as the partner sees it in the template.

    ``dtype`` is the pandas dtype of the column in the frames returned by ``read_delivery``.
    ``maximum`` may be the string ``"huidig jaar"`` (resolved at validation time).
    """

    name: str
    meaning: str
    unit: str
    kind: Kind
    dtype: str
    required: bool = False
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | str | None = None
    width: int = 14

    def max_value(self) -> float | None:
        """Return the upper limit with ``"huidig jaar"`` resolved."""
        if self.maximum == "huidig jaar":
            return float(current_year())
        return None if self.maximum is None else float(self.maximum)

    def expected(self) -> str:
        """Dutch description of what a valid value looks like (for messages and definities)."""
        if self.kind == "janee":
            return "ja of nee"
        if self.kind == "keuze" and self.allowed is not None and not self.allowed:
            return (
                "een organisatie die voor deze gemeente is geregistreerd (er zijn er nog geen: sia org add)"
            )
        if self.allowed:
            return "een van " + ", ".join(self.allowed)
        lo, hi = self.minimum, self.max_value()
        kind = {"geheel": "een geheel getal", "getal": "een getal"}.get(self.kind)
        if kind and lo is not None and hi is not None:
            return f"{kind} van {lo:g} t/m {hi:g}"
        if kind and lo is not None:
            return f"{kind} van minimaal {lo:g}"
        return {
            "geheel": "een geheel getal",
            "getal": "een getal",
            "janee": "ja of nee",
            "postcode": "een postcode als 7511 AB",
            "buurtcode": "een CBS-buurtcode als BU01530000",
            "wkt": "een punt of vlak als WKT in RD New (EPSG:28992), bv. POLYGON ((...))",
        }.get(self.kind, "tekst")


@dataclass(frozen=True)
class Layer:
    """A partner layer: its sheet and columns, and how its records are located."""

    kind: str
    title: str
    description: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        """Column names in template order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def _c(name: str, meaning: str, unit: str, kind: Kind, dtype: str, **kw: object) -> Column:
    return Column(name, meaning, unit, kind, dtype, **kw)  # type: ignore[arg-type]


_YEAR_MAX = 2100
_LOCATION = (
    _c(
        "x",
        "X-coördinaat van het adrespunt in RD New (EPSG:28992); vul x/y óf lon/lat",
        "meter",
        "getal",
        "Float64",
        minimum=0,
        maximum=300000,
    ),
    _c(
        "y",
        "Y-coördinaat van het adrespunt in RD New (EPSG:28992)",
        "meter",
        "getal",
        "Float64",
        minimum=289000,
        maximum=629000,
    ),
    _c(
        "lon",
        "Lengtegraad (WGS84, EPSG:4326); alleen als x/y leeg is",
        "graden",
        "getal",
        "Float64",
        minimum=3,
        maximum=8,
    ),
    _c(
        "lat",
        "Breedtegraad (WGS84, EPSG:4326); alleen als x/y leeg is",
        "graden",
        "getal",
        "Float64",
        minimum=50,
        maximum=54,
    ),
)
_ADDRESS = (
    _c("adres", "Straat en huisnummer, bv. 'Hengelosestraat 12a'", "", "tekst", "string", width=28),
    _c("postcode", "Postcode (wordt opgeslagen zonder spatie, bv. 7511AB)", "", "postcode", "string"),
    _c("huisnummer", "Huisnummer zonder toevoeging", "", "geheel", "Int64", minimum=1, maximum=99999),
    _c("toevoeging", "Huisletter of toevoeging, bv. 'a' of '2-hoog'", "", "tekst", "string"),
)
_CONFIDENTIAL = _c(
    "vertrouwelijkheid",
    "Wie dit record mag zien: openbaar (iedereen), partners (ingelogde partners), eigen "
    "(alleen de eigen organisatie). Leeg = waarde uit blad 'levering', anders de standaard "
    "van de laag",
    "",
    "keuze",
    "string",
    allowed=VERTROUWELIJKHEID,
)
_CONDITIE = _c(
    "conditie",
    "Conditie volgens NEN 2767 (1 = uitstekend … 6 = zeer slecht)",
    "score",
    "geheel",
    "Int64",
    minimum=1,
    maximum=6,
)
_LABEL = _c("energielabel", "Energielabel van de woning", "", "keuze", "string", allowed=ENERGIELABELS)
_BUURTCODE = _c(
    "buurtcode",
    "CBS-buurtcode; verplicht als er geen adrespunt is (aantal per buurt)",
    "",
    "buurtcode",
    "string",
)

BEZIT = Layer(
    "bezit",
    "Corporatiebezit",
    "Eén rij per adres (aantal_woningen = 1, met x/y of lon/lat) óf één rij per groep woningen "
    "in een buurt (buurtcode en aantal_woningen, zonder coördinaten).",
    (
        _c(
            "corporatie",
            "Corporatie die eigenaar is",
            "",
            "keuze",
            "string",
            required=True,
            allowed=CORPORATIES,
            width=16,
        ),
        *_ADDRESS,
        *_LOCATION,
        _BUURTCODE,
        _c(
            "aantal_woningen",
            "Aantal woningen (1 bij een adres; leeg bij een adres = 1)",
            "woningen",
            "geheel",
            "Int64",
            minimum=1,
            maximum=100000,
        ),
        _c(
            "daeb",
            "DAEB-woning (sociale huur, diensten van algemeen economisch belang)",
            "",
            "janee",
            "boolean",
            required=True,
            allowed=JANEE,
        ),
        _c(
            "huurklasse",
            "Huurklasse naar de huurgrenzen van het peiljaar",
            "",
            "keuze",
            "string",
            allowed=HUURKLASSEN,
        ),
        _LABEL,
        _c("bouwjaar", "Bouwjaar", "jaar", "geheel", "Int64", minimum=1800, maximum="huidig jaar"),
        _CONDITIE,
        _CONFIDENTIAL,
    ),
)

PROJECTEN = Layer(
    "projecten",
    "Geplande projecten",
    "Eén rij per project, als punt (x/y of lon/lat) of als vlak (wkt in RD New).",
    (
        _c("projectnaam", "Naam van het project", "", "tekst", "string", required=True, width=30),
        _c(
            "partij",
            "Partij die het project uitvoert",
            "",
            "keuze",
            "string",
            required=True,
            allowed=PARTIJEN,
            width=18,
        ),
        _c("type", "Soort project", "", "keuze", "string", required=True, allowed=PROJECTTYPES),
        _c(
            "woningen_erbij",
            "Woningen die erbij komen (leeg = 0)",
            "woningen",
            "geheel",
            "Int64",
            minimum=0,
            maximum=100000,
        ),
        _c(
            "woningen_eraf",
            "Woningen die verdwijnen (leeg = 0)",
            "woningen",
            "geheel",
            "Int64",
            minimum=0,
            maximum=100000,
        ),
        _c(
            "startjaar",
            "Jaar van de start",
            "jaar",
            "geheel",
            "Int64",
            required=True,
            minimum=1990,
            maximum=_YEAR_MAX,
        ),
        _c(
            "eindjaar",
            "Jaar van oplevering (niet voor het startjaar)",
            "jaar",
            "geheel",
            "Int64",
            required=True,
            minimum=1990,
            maximum=_YEAR_MAX,
        ),
        _c(
            "investering_eur",
            "Geraamde investering",
            "euro",
            "getal",
            "Float64",
            minimum=0,
            maximum=1e10,
            width=16,
        ),
        _c("status", "Stand van het project", "", "keuze", "string", required=True, allowed=PROJECTSTATUS),
        _c("toelichting", "Vrije toelichting", "", "tekst", "string", width=30),
        *_LOCATION,
        _c(
            "wkt",
            "Vlak (of punt) van het project als WKT in RD New (EPSG:28992); in plaats van x/y",
            "",
            "wkt",
            "string",
            width=30,
        ),
        _CONFIDENTIAL,
    ),
)

VERKOOP = Layer(
    "verkoop",
    "Geplande verkoop",
    "Eén rij per te verkopen woning (adres met x/y of lon/lat). Afspraak 4.1: conditie onder "
    "4 (NEN 2767) en geen label F of G, tenzij kluswoning die aan de gemeente is gemeld.",
    (
        _c(
            "corporatie",
            "Corporatie die verkoopt",
            "",
            "keuze",
            "string",
            required=True,
            allowed=CORPORATIES,
            width=16,
        ),
        *_ADDRESS,
        *_LOCATION,
        _BUURTCODE,
        _c(
            "energielabel",
            "Energielabel van de woning",
            "",
            "keuze",
            "string",
            required=True,
            allowed=ENERGIELABELS,
        ),
        _c(
            "conditie",
            "Conditie volgens NEN 2767 (1 = uitstekend … 6 = zeer slecht)",
            "score",
            "geheel",
            "Int64",
            required=True,
            minimum=1,
            maximum=6,
        ),
        _c(
            "kluswoning",
            "Wordt verkocht als kluswoning",
            "",
            "janee",
            "boolean",
            required=True,
            allowed=JANEE,
        ),
        _c(
            "gemeld_aan_gemeente",
            "Uitzondering op afspraak 4.1 gemeld aan de gemeente",
            "",
            "janee",
            "boolean",
            required=True,
            allowed=JANEE,
            width=20,
        ),
        _c(
            "gepland_jaar",
            "Jaar waarin de verkoop gepland is",
            "jaar",
            "geheel",
            "Int64",
            required=True,
            minimum=2000,
            maximum=_YEAR_MAX,
        ),
        _CONFIDENTIAL,
    ),
)

SCHEMA: dict[str, Layer] = {layer.kind: layer for layer in (BEZIT, PROJECTEN, VERKOOP)}

LEVERING_FIELDS: tuple[Column, ...] = (
    _c("partner", "Organisatie die levert", "", "keuze", "string", required=True, allowed=PARTNERS),
    _c(
        "periode",
        "Peilmoment: jaar-voorjaar (verantwoording) of jaar-najaar (prospectief)",
        "",
        "tekst",
        "string",
        required=True,
    ),
    _c(
        "vertrouwelijkheid",
        "Standaard vertrouwelijkheid van de records in dit bestand (leeg = standaard per laag)",
        "",
        "keuze",
        "string",
        allowed=VERTROUWELIJKHEID,
    ),
    _c("contact", "Contactpersoon (naam, e-mail)", "", "tekst", "string"),
    _c("synthetisch", "Zijn dit verzonnen (synthetische) gegevens?", "", "janee", "boolean", allowed=JANEE),
)

DEFAULT_CONFIDENTIALITY: dict[str, str] = {
    "bezit_adres": "eigen",
    "bezit_buurt": "partners",
    "projecten": "partners",
    "verkoop": "eigen",
}
"""Confidentiality when neither the record nor the ``levering`` sheet states one."""

META_COLUMNS: tuple[tuple[str, str], ...] = (
    ("partner", "string"),
    ("periode", "string"),
    ("vertrouwelijkheid", "string"),
    ("synthetisch", "bool"),
)
SOURCE_COLUMNS: tuple[tuple[str, str], ...] = (("bron_bestand", "string"), ("bron_rij", "Int64"))
_INPUT_ONLY = {"x", "y", "lon", "lat", "wkt"}


_ORGANISATION_COLUMNS = {"corporatie": "corporaties", "partij": "partijen", "partner": "leveranciers"}


def _with_organisations(col: Column, organisations: Organisations) -> Column:
    field = _ORGANISATION_COLUMNS.get(col.name)
    if field is None or col.kind != "keuze":
        return col
    return dataclasses.replace(col, allowed=tuple(getattr(organisations, field)))


def layers_for(organisations: Organisations | None = None) -> dict[str, Layer]:
    """The partner layers with the choice lists of ``organisations`` (corporatie, partij);
    default: the example installation (:data:`EXAMPLE_ORGANISATIONS`)."""
    orgs = organisations or EXAMPLE_ORGANISATIONS
    return {
        kind: dataclasses.replace(layer, columns=tuple(_with_organisations(c, orgs) for c in layer.columns))
        for kind, layer in SCHEMA.items()
    }


def levering_fields(organisations: Organisations | None = None) -> tuple[Column, ...]:
    """The ``levering`` sheet's fields with the partner choice list of ``organisations``."""
    orgs = organisations or EXAMPLE_ORGANISATIONS
    return tuple(_with_organisations(c, orgs) for c in LEVERING_FIELDS)


def frame_columns(kind: str) -> dict[str, str]:
    """Column names and pandas dtypes of a layer's frame, in order (without ``geometry``)."""
    cols = dict(META_COLUMNS)
    for col in SCHEMA[kind].columns:
        if col.name not in _INPUT_ONLY:
            cols[col.name] = col.dtype
    cols.update(SOURCE_COLUMNS)
    return cols
