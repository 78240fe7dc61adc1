"""Statistics of an area (a drawn or proposed DIA area), computed in PostGIS.

``area_statistics`` takes an area in EPSG:28992 already clipped to the gemeente
(``layers.area_geometry``) and returns plain JSON-able data:

- the buurten it touches, each with the share of its area inside and the share used to apportion
  its figures, and the method of that share (``apportion``): ``geheel`` (the whole buurt lies
  inside), ``adrespunten`` (the share of the buurt's dwellings at address points inside; the
  address points available are the corporations' holdings the viewer may see, used when the buurt
  has at least ``MIN_ADDRESS_DWELLINGS`` such dwellings) or ``oppervlakte`` (share of its area);
- inhabitants and households (CBS) apportioned by that share;
- corporation holdings per corporation: address points the viewer may see are counted where they
  lie; records without a location and points the viewer may not see enter as their buurt's figure
  times the buurt's share (so nothing finer than the map's buurt figures is revealed); label E/F/G
  share and mean condition under the map's small-count rule (``layers.queries``);
- planned projects inside or crossing it, apportioned by the share of the project inside (area,
  length or 1 for a point): dwellings and investment per party and year; investment spread evenly
  over the years from start to end, dwellings counted in the end year (the year of delivery);
- planned sales inside it and those that break agreement 4.1 (``layers.partners.sales_check``);
- the Leefbaarometer score and dimensions weighted by the households inside.

Who may see which partner record is the public view of ``layers.partner_store.PUBLIC_RECORDS``,
the one rule the map uses too.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
import shapely
from sqlalchemy import Connection, text

from layers.partner_store import PUBLIC_RECORDS
from layers.partners.sales_check import check_sales
from layers.queries import MIN_DWELLINGS, suppress_small_counts
from layers.readers import to_python

__all__ = [
    "LBM_FIELDS",
    "MIN_ADDRESS_DWELLINGS",
    "WHOLE",
    "apportion",
    "area_statistics",
    "buurt_shapes",
    "gemeente_totals",
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
LBM_FIELDS = {
    "lbm_score": "Leefbaarometer totaal",
    "lbm_won": "woningvoorraad",
    "lbm_fys": "fysieke omgeving",
    "lbm_vrz": "voorzieningen",
    "lbm_soc": "sociale samenhang",
    "lbm_onv": "overlast en onveiligheid",
}
_DWELLING_KEYS = ("woningvoorraad", "aantal_woningen", "woningen")
METHODS = {
    "geheel": "de hele buurt ligt binnen het gebied",
    "adrespunten": "aandeel van de woningen op adrespunten (corporatiebezit) dat binnen het gebied ligt",
    "oppervlakte": "aandeel van de oppervlakte van de buurt dat binnen het gebied ligt",
}


@cache
def _sql(name: str) -> str:
    body = resources.files("layers").joinpath(f"sql/{name}.sql").read_text()
    return body.replace("{public}", PUBLIC_RECORDS)  # a fragment from code, never from a request


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


def _buurten(
    conn: Connection, wkb: bytes, gemeente: str, jaar: int, periode: str | None
) -> list[dict[str, Any]]:
    rows = conn.execute(
        text(_sql("area_buurten")),
        {"wkb": wkb, "gm": gemeente, "jaar": jaar, "per": periode, "min_area": MIN_AREA_M2},
    ).mappings()
    out = []
    for r in rows:
        share, method = apportion(r["opp"], r["opp_binnen"], r["adres_totaal"], r["adres_binnen"])
        inw, hh = r["aantal_inwoners"], r["aantal_huishoudens"]
        kern = r["kerncijfers"] or {}
        woningen = next((kern[k] for k in _DWELLING_KEYS if kern.get(k) is not None), None)
        out.append(
            {
                "buurtcode": r["buurtcode"],
                "buurtnaam": r["buurtnaam"],
                "wijkcode": r["wijkcode"],
                "oppervlakte_ha": r["opp"] / 10_000,
                "oppervlakte_binnen_ha": r["opp_binnen"] / 10_000,
                "aandeel_oppervlakte": min(1.0, r["opp_binnen"] / r["opp"]) if r["opp"] else 0.0,
                "adrespunten": {"woningen": int(r["adres_totaal"]), "binnen": int(r["adres_binnen"])},
                "aandeel": share,
                "methode": method,
                "inwoners_buurt": inw,
                "huishoudens_buurt": hh,
                "woningen_buurt": woningen,
                "inwoners": None if inw is None else inw * share,
                "huishoudens": None if hh is None else hh * share,
                "woningen": None if woningen is None else woningen * share,
                "leefbaarometer": {k: to_python(r[k]) for k in LBM_FIELDS},
                "lbm_editie": r["lbm_editie"],
                "_loads": (r["load_id"], r["lbm_load_id"]),
            }
        )
    return out


def _ratio(num: float, den: float, scale: float = 1.0) -> float | None:
    return scale * num / den if den > 0 else None


def _holdings(
    conn: Connection,
    wkb: bytes,
    gemeente: str,
    jaar: int,
    periode: str,
    shares: dict[str, float],
    *,
    hidden: bool = True,
) -> dict[str, Any]:
    params = {"wkb": wkb, "gm": gemeente, "jaar": jaar, "per": periode, "codes": list(shares)}
    rows = conn.execute(text(_sql("area_bezit")), {**params, "met_verborgen": hidden}).mappings()
    sums: dict[str, dict[str, float]] = defaultdict(
        lambda: dict.fromkeys(("woningen", "efg", "gelabeld", "conditie_som", "conditie_n"), 0.0)
    )
    total = sums["__totaal__"]
    for r in rows:
        factor = 1.0 if r["bron"] == "punt" else shares.get(r["buurtcode"], 0.0)
        for key in ("woningen", "efg", "gelabeld", "conditie_som", "conditie_n"):
            sums[r["corporatie"]][key] += r[key] * factor
            total[key] += r[key] * factor

    def summary(s: dict[str, float]) -> dict[str, Any]:
        rec: dict[str, Any] = {
            "woningen": s["woningen"],
            "aandeel_label_efg": _ratio(s["efg"], s["gelabeld"], 100.0),
            "gem_conditie": _ratio(s["conditie_som"], s["conditie_n"]),
        }
        rec["onderdrukt"] = suppress_small_counts(rec, count="woningen")
        return rec

    per_corp = [{"corporatie": c, **summary(s)} for c, s in sorted(sums.items()) if c != "__totaal__"]
    return {
        **summary(total),
        "per_corporatie": per_corp,
        "drempel_onderdrukking": MIN_DWELLINGS,
        "methode": "adrespunten die u mag zien: waar ze liggen; overige records (zonder locatie of "
        "vertrouwelijk): het buurtcijfer maal het aandeel van de buurt",
    }


def planned_projects(conn: Connection, area: shapely.Geometry, periode: str) -> dict[str, Any]:
    """Planned projects inside or crossing ``area`` (EPSG:28992) that the viewer may see, apportioned
    by the share inside; totals and a table per party and year (see the module docstring)."""
    rows = (
        conn.execute(text(_sql("area_plannen")), {"wkb": shapely.to_wkb(area), "per": periode})
        .mappings()
        .all()
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
        "methode": "projecten die de grens kruisen naar het aandeel binnen het gebied (oppervlakte); "
        "investering gelijk verdeeld over start- t/m eindjaar, woningen in het eindjaar",
    }


def _sales(conn: Connection, wkb: bytes, periode: str, whole: list[str]) -> dict[str, Any]:
    rows = conn.execute(text(_sql("area_verkoop")), {"wkb": wkb, "per": periode, "geheel": whole}).mappings()
    frame = pd.DataFrame(rows.all())
    if frame.empty:
        return {"aantal": 0, "strijdig_41": 0, "per_corporatie": [], "per_jaar": []}
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
    }


def _weighted(buurten: list[dict[str, Any]], field: str, weight: str) -> float | None:
    pairs = [(b["leefbaarometer"][field], b[weight]) for b in buurten]
    pairs = [(v, w) for v, w in pairs if v is not None and w is not None and w > 0]
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if total > 0 else None


def _liveability(buurten: list[dict[str, Any]]) -> dict[str, Any]:
    has_hh = sum(b["huishoudens"] or 0 for b in buurten if b["leefbaarometer"]["lbm_score"] is not None) > 0
    weight = "huishoudens" if has_hh else "oppervlakte_binnen_ha"
    editions = sorted({b["lbm_editie"] for b in buurten if b["lbm_editie"] is not None})
    return {
        **{k: _weighted(buurten, k, weight) for k in LBM_FIELDS},
        "labels": LBM_FIELDS,
        "edities": editions,
        "weging": "huishoudens binnen het gebied"
        if has_hh
        else "oppervlakte binnen het gebied (geen huishoudens)",
        "buurten_zonder": [b["buurtcode"] for b in buurten if b["leefbaarometer"]["lbm_score"] is None],
    }


_DWELLINGS_SQL = "coalesce(" + ", ".join(f"(kerncijfers->>'{k}')::float8" for k in _DWELLING_KEYS) + ")"


def gemeente_totals(
    conn: Connection, *, gemeente: str, jaar: int, periode: str | None = None
) -> tuple[dict[str, float | None], dict[str, int]]:
    """Inhabitants, households and (when the buurten file has them) dwellings of the gemeente;
    and the records of ``periode`` the viewer may not see, per partner layer (the count the map
    shows too). One query: it runs with every area statistic."""
    hidden = ", ".join(
        f"(SELECT count(*) FROM {kind} x JOIN leveringen l ON l.id = x.levering_id AND l.actief "  # ours
        f"WHERE x.periode = :p AND NOT {PUBLIC_RECORDS}) AS {kind}"
        for kind in ("bezit", "projecten", "verkoop")
    )
    row = (
        conn.execute(
            text(
                "SELECT sum(aantal_inwoners)::float8 AS inwoners, sum(aantal_huishoudens)::float8 AS "
                "huishoudens, "
                f"CASE WHEN bool_and({_DWELLINGS_SQL} IS NOT NULL) THEN sum({_DWELLINGS_SQL}) END AS "
                "woningen, "
                f"{hidden} FROM buurten WHERE gemeentecode = :gm AND jaar = :jaar"
            ),
            {"gm": gemeente, "jaar": jaar, "p": periode},
        )
        .mappings()
        .one()
    )
    totals = {k: (None if row[k] is None else float(row[k])) for k in ("inwoners", "huishoudens", "woningen")}
    return totals, {k: int(row[k]) for k in ("bezit", "projecten", "verkoop")}


def hidden_counts(conn: Connection, periode: str, *, gemeente: str, jaar: int) -> dict[str, int]:
    """Records of the period the viewer may not see, per layer (see ``gemeente_totals``)."""
    return gemeente_totals(conn, gemeente=gemeente, jaar=jaar, periode=periode)[1]


def area_statistics(
    conn: Connection, area: shapely.MultiPolygon, *, gemeente: str, jaar: int, periode: str | None
) -> dict[str, Any]:
    """Statistics of ``area`` (EPSG:28992, inside the gemeente) for buurten ``jaar`` and partner
    ``periode`` (no partner figures when None). See the module docstring for every rule."""
    wkb = shapely.to_wkb(area)
    buurten = _buurten(conn, wkb, gemeente, jaar, periode)
    totals, hidden = gemeente_totals(conn, gemeente=gemeente, jaar=jaar, periode=periode)
    loads = [b.pop("_loads") for b in buurten]
    methods = {m: sum(1 for b in buurten if b["methode"] == m) for m in METHODS}

    def total(key: str) -> float | None:
        values = [b[key] for b in buurten]
        return None if not values or any(v is None for v in values) else float(sum(values))

    out: dict[str, Any] = {
        "gemeente": gemeente,
        "jaar": jaar,
        "periode": periode,
        "oppervlakte_ha": area.area / 10_000,
        "buurten": buurten,
        "inwoners": total("inwoners"),
        "huishoudens": total("huishoudens"),
        "woningen": total("woningen"),
        "verdeling": {"methoden": METHODS, "aantal_buurten": methods},
        "gemeente_totalen": totals,
        "leefbaarometer": _liveability(buurten),
        "laadacties": {
            "buurten": sorted({int(a) for a, _ in loads if a is not None}),
            "leefbaarometer": sorted({int(b) for _, b in loads if b is not None}),
        },
    }
    if periode is None:
        out.update(corporatiebezit=None, projecten=None, verkoop=None, verborgen={})
        return out
    shares = {b["buurtcode"]: b["aandeel"] for b in buurten}
    whole = [b["buurtcode"] for b in buurten if b["methode"] == "geheel"]
    out["corporatiebezit"] = _holdings(conn, wkb, gemeente, jaar, periode, shares, hidden=hidden["bezit"] > 0)
    out["projecten"] = planned_projects(conn, area, periode)
    out["verkoop"] = _sales(conn, wkb, periode, whole)
    out["verborgen"] = hidden
    return out


def buurt_shapes(conn: Connection, *, gemeente: str, jaar: int, codes: list[str] | None = None) -> Any:
    """The buurten of a gemeente and year (or only ``codes``) as a GeoDataFrame in EPSG:28992,
    indexed by buurtcode, with name, wijk, inhabitants and households."""
    import geopandas as gpd

    return gpd.read_postgis(
        text(
            "SELECT buurtcode, buurtnaam, wijkcode, aantal_inwoners, aantal_huishoudens, geom AS geometry "
            "FROM buurten WHERE gemeentecode = :gm AND jaar = :jaar "
            "AND (CAST(:codes AS text[]) IS NULL OR buurtcode = ANY(CAST(:codes AS text[]))) ORDER BY "
            "buurtcode"
        ),
        conn,
        geom_col="geometry",
        params={"gm": gemeente, "jaar": jaar, "codes": codes},
    ).set_index("buurtcode")


_RECORDS_SQL: dict[str, str] = {
    "bezit": "x.corporatie, x.adres, x.postcode, x.huisnummer, x.toevoeging, x.aantal_woningen, x.daeb, "
    "x.huurklasse, x.energielabel, x.bouwjaar, x.conditie",
    "verkoop": "x.corporatie, x.adres, x.postcode, x.huisnummer, x.toevoeging, x.energielabel, x.conditie, "
    "x.kluswoning, x.gemeld_aan_gemeente, x.gepland_jaar",
    "projecten": "x.projectnaam, x.partij, x.type, x.woningen_erbij, x.woningen_eraf, x.startjaar, "
    "x.eindjaar, "
    "x.investering_eur, x.status",
}


def visible_records(conn: Connection, area: shapely.Geometry, periode: str) -> dict[str, Any]:
    """The partner records inside (points) or crossing (project areas) ``area`` that the viewer may
    see (the public view), per layer, as GeoDataFrames in EPSG:28992 (for exports and maps)."""
    import geopandas as gpd

    out = {}
    for kind, columns in _RECORDS_SQL.items():  # kind and columns: ours
        out[kind] = gpd.read_postgis(
            text(
                f"SELECT x.id, x.partner, x.periode, x.synthetisch, x.vertrouwelijkheid, {columns}, "
                f"x.geom AS geometry FROM {kind} x JOIN leveringen l ON l.id = x.levering_id AND l.actief "
                f"WHERE x.periode = :per AND x.geom IS NOT NULL AND {PUBLIC_RECORDS} "
                "AND ST_Intersects(x.geom, ST_GeomFromWKB(:wkb, 28992)) ORDER BY x.id"
            ),
            conn,
            geom_col="geometry",
            params={"per": periode, "wkb": shapely.to_wkb(area)},
        )
    return out
