"""Statistics of an area (a drawn or proposed DIA area): PostGIS does the spatial work, the figures
come from the one read path.

``area_statistics(conn, area, table)`` takes an area in EPSG:28992 already clipped to the
gemeente (``layers.area_geometry``) and the indicator table it is seen through
(``layers.indicators.read_table``: the gemeente, buurten year, Leefbaarometer edition and the
period's view of the partner deliveries), and returns plain JSON-able data:

- the buurten it touches, each with the share of its area inside and the share used to apportion
  its figures, and the method of that share (``apportion``): ``geheel`` (the whole buurt lies
  inside), ``adrespunten`` (the share of the buurt's dwellings at address points inside; the
  address points available are the corporations' holdings the viewer may see, used when the buurt
  has at least ``MIN_ADDRESS_DWELLINGS`` such dwellings) or ``oppervlakte`` (share of its area);
- inhabitants and households of the table (CBS, the table's year) apportioned by that share;
- corporation holdings. Records the viewer may read, per corporation: address points counted
  where they lie, records without a location (per-buurt counts) times the buurt's share. Records
  the viewer may not read are never counted from points and never per corporation: they enter
  only as the hidden part of each touched buurt's figure (the database function
  ``sia_gebied_bezit``, migration 0008: all organisations together, from the same records and
  under the same verdict of the disclosure rule as the buurt figures, ``layers.disclosure``) times
  the buurt's share, in one row ``REST``. A label share or mean condition the rule suppresses in
  a touched buurt leaves that value of the rest and of the total empty (``onderdrukt_waarden``:
  buurt, value, reason). So an area, however small or however drawn, tells nothing about hidden
  records that the published buurt figures do not, and nothing about where they lie;
- planned projects inside or crossing it, apportioned by the share of the project inside (area,
  length or 1 for a point): dwellings and investment per party and year; investment spread evenly
  over the years from start to end, dwellings counted in the end year (the year of delivery);
- planned sales inside it and those that break agreement 4.1 (``layers.partners.sales_check``);
- the Leefbaarometer score and dimensions of the table's edition, weighted by the households inside.

Partner records are those of the period's view (``layers.periods``: each partner's newest delivery
per layer at or before the period, carried forward), as in the indicator table and on the map. Who
may see which record is decided by PostgreSQL (row-level security for the connection's principal,
migration 0008), the one rule the map uses too. Each partner section says whether the records it
counts are synthetic.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd
import shapely
from sqlalchemy import Connection, text

from layers import disclosure
from layers.access import view_key, view_of
from layers.catalogue import LBM_FIELDS
from layers.partner_store import hidden_counts as _hidden_counts
from layers.partners.sales_check import check_sales
from layers.readers import to_python

T = TypeVar("T")

if TYPE_CHECKING:
    import geopandas as gpd

    from layers.indicators import IndicatorTable
    from layers.periods import PeriodView

__all__ = [
    "LBM_LABELS",
    "MIN_ADDRESS_DWELLINGS",
    "REST",
    "WHOLE",
    "apportion",
    "area_statistics",
    "hidden_counts",
    "planned_projects",
    "spread_years",
    "visible_records",
]

MIN_ADDRESS_DWELLINGS = 10
"""A partial buurt is apportioned by its address points when it has at least this many dwellings at
points the viewer may see; with fewer, one complex would decide the share, so its area is used."""
WHOLE = 0.999
"""A buurt with at least this share of its area inside counts as wholly inside."""
MIN_AREA_M2 = 1.0
LBM_LABELS: dict[str, str] = {
    f.id: f.label for f in LBM_FIELDS if f.indicator and f.id not in ("lbm_klasse", "lbm_editie")
}
"""The Leefbaarometer score and its five dimensions (the table's columns) with their labels."""
_DWELLING_KEYS = ("woningvoorraad", "aantal_woningen", "woningen")
METHODS = {
    "geheel": "de hele buurt ligt binnen het gebied",
    "adrespunten": "aandeel van de woningen op adrespunten (corporatiebezit) dat binnen het gebied ligt",
    "oppervlakte": "aandeel van de oppervlakte van de buurt dat binnen het gebied ligt",
}
_KINDS = ("bezit", "projecten", "verkoop")
REST = "Overig bezit (uit buurtcijfers)"
"""The row of the holdings the viewer may not read: per buurt as one whole, never per corporation."""
METHOD_HOLDINGS = (
    "woningen die u mag zien per corporatie, adrespunten waar ze liggen en aantallen per buurt naar het "
    "aandeel van de buurt; woningen die u niet mag zien alleen als deel van de buurtcijfers (alle "
    "corporaties samen, onder de regel voor openbaarmaking: minstens "
    f"{disclosure.MIN_DWELLINGS} woningen met een waarde buiten de grootste organisatie) naar het aandeel "
    "van de buurt in het gebied, nooit per corporatie of adres"
)
"""How the holdings are counted (``corporatiebezit.methode``; the map shows it)."""


@cache
def _sql(name: str) -> str:
    return resources.files("layers").joinpath(f"sql/{name}.sql").read_text()


def apportion(opp: float, opp_binnen: float, adres_totaal: float, adres_binnen: float) -> tuple[float, str]:
    """The share of a buurt's figures that lies in the area, and its method (see the module doc)."""
    area_share = min(1.0, opp_binnen / opp) if opp > 0 else 0.0
    if area_share >= WHOLE:
        return 1.0, "geheel"
    if adres_totaal >= MIN_ADDRESS_DWELLINGS:
        return adres_binnen / adres_totaal, "adrespunten"
    return area_share, "oppervlakte"


def spread_years(start: int | None, end: int | None) -> list[int | None]:
    """The years a project's investment is spread over (start to end inclusive; [None] if unknown)."""
    if start is None and end is None:
        return [None]
    first = start if start is not None else end
    last = end if end is not None else start
    assert first is not None and last is not None
    first, last = min(first, last), max(first, last)
    return list(range(first, last + 1))


def _value(frame: pd.DataFrame, code: str, column: str) -> Any:
    """One cell of the indicator table as a plain value (None when unknown)."""
    if column not in frame.columns:
        return None
    value = frame.at[code, column]
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return to_python(value)


def _dwellings(kerncijfers: dict[str, Any] | None) -> float | None:
    kern = kerncijfers or {}
    found = next((kern[k] for k in _DWELLING_KEYS if kern.get(k) is not None), None)
    return None if found is None else float(found)


def _buurten(conn: Connection, wkb: bytes, table: IndicatorTable) -> list[dict[str, Any]]:
    rows = conn.execute(
        text(_sql("area_buurten")),
        {
            "wkb": wkb,
            "gm": table.gemeente,
            "jaar": table.jaar,
            "bezit_ids": table.view.ids("bezit"),
            "min_area": MIN_AREA_M2,
        },
    ).mappings()
    frame = table.frame
    totals = _address_totals(conn, table)
    out = []
    for r in rows:
        code = r["buurtcode"]
        adres_totaal = totals.get(code, 0) if r["deels"] else 0  # only partial buurten are apportioned
        share, method = apportion(r["opp"], r["opp_binnen"], adres_totaal, r["adres_binnen"])
        inw, hh = _value(frame, code, "aantal_inwoners"), _value(frame, code, "aantal_huishoudens")
        woningen = _dwellings(r["kerncijfers"])
        out.append(
            {
                "buurtcode": code,
                "buurtnaam": _value(frame, code, "buurtnaam"),
                "wijkcode": _value(frame, code, "wijkcode"),
                "oppervlakte_ha": r["opp"] / 10_000,
                "oppervlakte_binnen_ha": r["opp_binnen"] / 10_000,
                "aandeel_oppervlakte": min(1.0, r["opp_binnen"] / r["opp"]) if r["opp"] else 0.0,
                "adrespunten": {"woningen": int(adres_totaal), "binnen": int(r["adres_binnen"])},
                "aandeel": share,
                "methode": method,
                "inwoners_buurt": inw,
                "huishoudens_buurt": hh,
                "woningen_buurt": woningen,
                "inwoners": None if inw is None else inw * share,
                "huishoudens": None if hh is None else hh * share,
                "woningen": None if woningen is None else woningen * share,
                "leefbaarometer": {k: _value(frame, code, k) for k in LBM_LABELS},
            }
        )
    return out


def read_ahead(conn: Connection, table: IndicatorTable) -> None:
    """Read what the area statistics of ``table`` read once per table and viewer (the viewer of
    ``conn``): the holdings of every buurt, the dwellings at each buurt's address points and the
    hidden-record counts. Done in the background when a table is read anew
    (``api.scoring.IndicatorCache``): after a new delivery the first drawn area then does not wait
    for them as well as for the table."""
    if table.periode is None:
        return
    _buurt_holdings(conn, table)
    _address_totals(conn, table)
    hidden_counts(conn, table)


def _address_totals(conn: Connection, table: IndicatorTable) -> dict[str, Any]:
    """Per buurt the dwellings at the address points the viewer may see (area_adressen.sql); once
    per table and viewer."""

    def read() -> dict[str, Any]:
        params = {"gm": table.gemeente, "jaar": table.jaar, "bezit_ids": table.view.ids("bezit")}
        return {r[0]: r[1] for r in conn.execute(text(_sql("area_adressen")), params)}

    return _per_viewer(conn, table, "adressen", read)


def _ratio(num: float, den: float, scale: float = 1.0) -> float | None:
    return scale * num / den if den > 0 else None


def _holdings(
    conn: Connection, wkb: bytes, table: IndicatorTable, shares: dict[str, float]
) -> dict[str, Any]:
    """Corporation holdings of the area (see the module docstring): per corporation what the viewer
    may read, and one row for the rest (``REST``): the hidden part of each touched buurt as the
    buurt figures count it, times the buurt's share."""
    params = {
        "wkb": wkb,
        "gm": table.gemeente,
        "jaar": table.jaar,
        "ids": table.view.ids("bezit"),
    }
    keys = ("woningen", "efg", "gelabeld", "conditie_som", "conditie_n")
    readable: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(keys, 0.0))
    rest = dict.fromkeys(keys, 0.0)
    has_rest = rest_synthetic = False
    synthetic: set[str] = set()
    suppressed: list[dict[str, str]] = []  # per buurt: which value of its hidden part, and why
    points = [dict(r) for r in conn.execute(text(_sql("area_bezit")), params).mappings()]
    in_buurten = [r for r in _buurt_holdings(conn, table) if r["buurtcode"] in shares]
    for r in [*points, *in_buurten]:
        factor = 1.0 if r["bron"] == "punt" else shares.get(r["buurtcode"], 0.0)
        if factor <= 0:
            continue
        if r["corporatie"] is None:  # the hidden part of a buurt: all organisations together
            target, has_rest = rest, True
            suppressed.extend(disclosure.suppressed_cells([(r["buurtcode"], r["onderdrukt"])]))
            rest_synthetic = rest_synthetic or bool(r["synthetisch"])
        else:
            target = readable[r["corporatie"]]
            if r["synthetisch"]:
                synthetic.add(r["corporatie"])
        for key in keys:
            if r[key] is not None:  # None: suppressed in that buurt (see onderdrukt)
                target[key] += r[key] * factor
    rows: list[tuple[str, dict[str, float], list[dict[str, str]], bool, bool]] = [
        (c, readable[c], [], c in synthetic, False) for c in sorted(readable)
    ]
    if has_rest:  # named by a label, never by a corporation
        rows.append((REST, rest, suppressed, rest_synthetic, True))
    total = {key: sum(row[1][key] for row in rows) for key in keys}

    def summary(s: dict[str, float], cells: list[dict[str, str]]) -> dict[str, Any]:
        fields = {c["veld"] for c in cells}
        return {
            "woningen": s["woningen"],
            "aandeel_label_efg": None
            if "aandeel_label_efg" in fields
            else _ratio(s["efg"], s["gelabeld"], 100.0),
            "gem_conditie": None if "gem_conditie" in fields else _ratio(s["conditie_som"], s["conditie_n"]),
            "onderdrukt": bool(cells),
            "onderdrukt_waarden": cells,
        }

    return {
        **summary(total, suppressed),
        "per_corporatie": [
            {"corporatie": c, **summary(s, cells), "synthetisch": syn, "buurtcijfers": rest_row}
            for c, s, cells, syn, rest_row in rows
        ],
        "drempel_onderdrukking": disclosure.MIN_DWELLINGS,
        "synthetisch": bool(synthetic) or rest_synthetic,
        "methode": METHOD_HOLDINGS,
    }


def _buurt_holdings(conn: Connection, table: IndicatorTable) -> list[dict[str, Any]]:
    """Per buurt of the table what an area counts by the buurt's share (area_bezit_buurten.sql),
    ordered by buurtcode and corporatie (the hidden part last); read once per table."""

    def read() -> list[dict[str, Any]]:
        params = {"gm": table.gemeente, "jaar": table.jaar, "ids": table.view.ids("bezit")}
        return [dict(r) for r in conn.execute(text(_sql("area_bezit_buurten")), params).mappings()]

    return _per_viewer(conn, table, "gebied_bezit", read)


def _per_viewer(conn: Connection, table: IndicatorTable, name: str, read: Callable[[], T]) -> T:
    """``table.memoised`` for what depends on who reads (row-level security, the disclosure rule):
    one value per table and viewer of ``conn``, also when the connection acts for another principal
    than the one the table was read for (``acting_as``: the dossier's check of the public view)."""
    return table.memoised(f"{name} {view_key(view_of(conn))}", read)


def planned_projects(conn: Connection, area: shapely.Geometry, ids: list[int]) -> dict[str, Any]:
    """Planned projects of the deliveries ``ids`` (a period's view of the layer ``projecten``)
    inside or crossing ``area`` (EPSG:28992) that the viewer may see, apportioned by the share
    inside; totals and a table per party and year (see the module docstring)."""
    rows = (
        conn.execute(text(_sql("area_plannen")), {"wkb": shapely.to_wkb(area), "ids": ids}).mappings().all()
    )
    per_year: dict[tuple[str, int | None], dict[str, float]] = defaultdict(
        lambda: {"investering_eur": 0.0, "woningen_erbij": 0.0, "woningen_eraf": 0.0}
    )
    projects = []
    for r in rows:
        share = float(r["aandeel"] or 0.0)
        if share <= 0:
            continue
        years = spread_years(r["startjaar"], r["eindjaar"])
        invest = float(r["investering_eur"] or 0.0) * share
        for year in years:
            per_year[(r["partij"], year)]["investering_eur"] += invest / len(years)
        delivery = r["eindjaar"] if r["eindjaar"] is not None else r["startjaar"]
        per_year[(r["partij"], delivery)]["woningen_erbij"] += r["woningen_erbij"] * share
        per_year[(r["partij"], delivery)]["woningen_eraf"] += r["woningen_eraf"] * share
        projects.append(
            {
                **{k: to_python(v) for k, v in r.items() if k != "aandeel"},
                "aandeel_binnen": share,
                "investering_binnen_eur": invest,
                "kruist_grens": share < WHOLE,
            }
        )
    table = [
        {"partij": p, "jaar": y, **v}
        for (p, y), v in sorted(per_year.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))
    ]
    return {
        "aantal": len(projects),
        "investering_eur": sum(p["investering_binnen_eur"] for p in projects),
        "woningen_erbij": sum(p["woningen_erbij"] * p["aandeel_binnen"] for p in projects),
        "woningen_eraf": sum(p["woningen_eraf"] * p["aandeel_binnen"] for p in projects),
        "per_partij_jaar": table,
        "projecten": projects,
        "synthetisch": any(p["synthetisch"] for p in projects),
        "methode": "projecten die de grens kruisen naar het aandeel binnen het gebied (oppervlakte); "
        "investering gelijk verdeeld over start- t/m eindjaar, woningen in het eindjaar",
    }


def _sales(conn: Connection, wkb: bytes, ids: list[int], whole: list[str]) -> dict[str, Any]:
    rows = conn.execute(text(_sql("area_verkoop")), {"wkb": wkb, "ids": ids, "geheel": whole}).mappings()
    frame = pd.DataFrame(rows.all())
    if frame.empty:
        return {"aantal": 0, "strijdig_41": 0, "per_corporatie": [], "per_jaar": [], "synthetisch": False}
    checked = check_sales(frame)
    per_corp: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_year: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    for corp, year, bad in zip(
        checked["corporatie"], checked["gepland_jaar"], checked["overtreding"], strict=True
    ):
        y = None if pd.isna(year) else int(year)
        for cell in (per_corp[str(corp)], per_year[y]):
            cell[0] += 1
            cell[1] += int(bool(bad))
    return {
        "aantal": len(checked),
        "strijdig_41": int(checked["overtreding"].sum()),
        "per_corporatie": [
            {"corporatie": c, "aantal": n, "strijdig_41": b} for c, (n, b) in sorted(per_corp.items())
        ],
        "per_jaar": [
            {"jaar": y, "aantal": n, "strijdig_41": b}
            for y, (n, b) in sorted(per_year.items(), key=lambda kv: kv[0] or 0)
        ],
        "synthetisch": bool(frame["synthetisch"].any()),
    }


def _weighted(buurten: list[dict[str, Any]], field: str, weight: str) -> float | None:
    pairs = [(b["leefbaarometer"][field], b[weight]) for b in buurten]
    pairs = [(v, w) for v, w in pairs if v is not None and w is not None and w > 0]
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if total > 0 else None


def _liveability(buurten: list[dict[str, Any]], table: IndicatorTable) -> dict[str, Any]:
    has_hh = sum(b["huishoudens"] or 0 for b in buurten if b["leefbaarometer"]["lbm_score"] is not None) > 0
    weight = "huishoudens" if has_hh else "oppervlakte_binnen_ha"
    return {
        **{k: _weighted(buurten, k, weight) for k in LBM_LABELS},
        "labels": LBM_LABELS,
        "editie": table.editie,
        "bron": table.kolommen["lbm_score"].bron if "lbm_score" in table.kolommen else None,
        "weging": "huishoudens binnen het gebied"
        if has_hh
        else "oppervlakte binnen het gebied (geen huishoudens)",
        "buurten_zonder": [b["buurtcode"] for b in buurten if b["leefbaarometer"]["lbm_score"] is None],
    }


_DWELLINGS_SQL = "coalesce(" + ", ".join(f"(kerncijfers->>'{k}')::float8" for k in _DWELLING_KEYS) + ")"


def _gemeente_totals(conn: Connection, table: IndicatorTable) -> dict[str, float | None]:
    """Inhabitants and households of the gemeente (the table's) and its dwellings (when the buurten
    file has them); once per table."""
    return dict(table.memoised("gemeente_totalen", lambda: _read_gemeente_totals(conn, table)))


def _read_gemeente_totals(conn: Connection, table: IndicatorTable) -> dict[str, float | None]:
    row = (
        conn.execute(
            text(
                f"SELECT CASE WHEN bool_and({_DWELLINGS_SQL} IS NOT NULL) THEN sum({_DWELLINGS_SQL}) END "
                "AS woningen FROM buurten WHERE gemeentecode = :gm AND jaar = :jaar"
            ),
            {"gm": table.gemeente, "jaar": table.jaar},
        )
        .mappings()
        .one()
    )

    def column_total(column: str) -> float | None:
        values = table.frame[column] if column in table.frame.columns else pd.Series(dtype=float)
        return float(values.sum()) if values.notna().any() else None

    return {
        "inwoners": column_total("aantal_inwoners"),
        "huishoudens": column_total("aantal_huishoudens"),
        "woningen": None if row["woningen"] is None else float(row["woningen"]),
    }


def hidden_counts(conn: Connection, table: IndicatorTable) -> dict[str, int]:
    """Records of the table's period view the viewer may not see, per partner layer (the count the
    map shows too); once per table and viewer."""
    return dict(
        _per_viewer(
            conn, table, "verborgen", lambda: _hidden_counts(conn, {k: table.view.ids(k) for k in _KINDS})
        )
    )


def area_statistics(conn: Connection, area: shapely.MultiPolygon, table: IndicatorTable) -> dict[str, Any]:
    """Statistics of ``area`` (EPSG:28992, inside the gemeente) as seen through ``table`` (its
    buurten year, Leefbaarometer edition and period view; no partner figures without a period).
    See the module docstring for every rule."""
    wkb = shapely.to_wkb(area)
    buurten = _buurten(conn, wkb, table)
    totals = _gemeente_totals(conn, table)
    methods = {m: sum(1 for b in buurten if b["methode"] == m) for m in METHODS}

    def total(key: str) -> float | None:
        values = [b[key] for b in buurten]
        return None if not values or any(v is None for v in values) else float(sum(values))

    out: dict[str, Any] = {
        "gemeente": table.gemeente,
        "jaar": table.jaar,
        "editie": table.editie,
        "periode": table.periode,
        "oppervlakte_ha": area.area / 10_000,
        "buurten": buurten,
        "inwoners": total("inwoners"),
        "huishoudens": total("huishoudens"),
        "woningen": total("woningen"),
        "verdeling": {"methoden": METHODS, "aantal_buurten": methods},
        "gemeente_totalen": totals,
        "leefbaarometer": _liveability(buurten, table),
        "laadacties": table.load_ids(),
    }
    if table.periode is None:
        out.update(corporatiebezit=None, projecten=None, verkoop=None, verborgen={})
        return out
    shares = {b["buurtcode"]: b["aandeel"] for b in buurten}
    whole = [b["buurtcode"] for b in buurten if b["methode"] == "geheel"]
    out["corporatiebezit"] = _holdings(conn, wkb, table, shares)
    out["projecten"] = planned_projects(conn, area, table.view.ids("projecten"))
    out["verkoop"] = _sales(conn, wkb, table.view.ids("verkoop"), whole)
    out["verborgen"] = hidden_counts(conn, table)
    return out


_RECORDS_SQL: dict[str, str] = {
    "bezit": "x.corporatie, x.adres, x.postcode, x.huisnummer, x.toevoeging, x.aantal_woningen, x.daeb, "
    "x.huurklasse, x.energielabel, x.bouwjaar, x.conditie",
    "verkoop": "x.corporatie, x.adres, x.postcode, x.huisnummer, x.toevoeging, x.energielabel, x.conditie, "
    "x.kluswoning, x.gemeld_aan_gemeente, x.gepland_jaar",
    "projecten": "x.projectnaam, x.partij, x.type, x.woningen_erbij, x.woningen_eraf, x.startjaar, "
    "x.eindjaar, x.investering_eur, x.status",
}


def visible_records(
    conn: Connection, area: shapely.Geometry, view: PeriodView
) -> dict[str, gpd.GeoDataFrame]:
    """The partner records of a period's view inside (points) or crossing (project areas) ``area``
    that the viewer may see (row-level security for the connection's principal), per layer, as
    GeoDataFrames in EPSG:28992 (for exports and maps)."""
    import geopandas as gpd

    out = {}
    for kind, columns in _RECORDS_SQL.items():  # kind and columns: ours
        out[kind] = gpd.read_postgis(
            text(
                f"SELECT x.id, x.partner, x.periode, x.synthetisch, x.vertrouwelijkheid, {columns}, "
                f"x.geom AS geometry FROM {kind} x "
                f"WHERE x.levering_id = ANY(CAST(:ids AS bigint[])) AND x.geom IS NOT NULL "
                "AND ST_Intersects(x.geom, ST_GeomFromWKB(:wkb, 28992)) ORDER BY x.id"
            ),
            conn,
            geom_col="geometry",
            params={"ids": view.ids(kind), "wkb": shapely.to_wkb(area)},
        )
    return out
