"""Downloads: the ranking of a weighting (CSV, GeoPackage) and all proposals (GeoJSON, GeoPackage).

A GeoPackage always carries a ``metadata`` table (key, value): what it was made from, when, and
whether it is synthetic (the ranking: only when a criterion it weighs comes from synthetic data).
Partner records only enter through the public view (none are in these two downloads: the ranking
has buurt figures, the proposals their own fields). The ranking is the score of POST /api/scores:
the indicator table of ``layers.indicators`` scored by ``score_table`` with the same request.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
from sqlalchemy import Connection

from api.scoring import IndicatorCache, ScoreRequest, build_profile, catalogue, describe
from api.settings import Settings
from layers import proposals
from layers.indicators import score_table, usable_profiles
from layers.provenance import score_inputs

__all__ = ["metadata_frame", "proposals_export", "ranking_export", "ranking_frame", "write_gpkg"]

GPKG = "application/geopackage+sqlite3"


def metadata_frame(items: dict[str, Any]) -> pd.DataFrame:
    """A key/value table; non-text values as JSON."""
    rows = [
        {"sleutel": k, "waarde": v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)}
        for k, v in items.items()
    ]
    return pd.DataFrame(rows, columns=["sleutel", "waarde"])


def write_gpkg(layers: dict[str, gpd.GeoDataFrame | pd.DataFrame]) -> bytes:
    """A GeoPackage with one layer per item (plain DataFrames become attribute tables)."""
    with tempfile.TemporaryDirectory(prefix="sia-gpkg-") as folder:
        path = Path(folder) / "export.gpkg"
        for name, frame in layers.items():
            if isinstance(frame, gpd.GeoDataFrame):
                frame.to_file(path, layer=name, driver="GPKG")
            else:
                pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG")
        return path.read_bytes()


def ranking_frame(result: dict[str, Any]) -> pd.DataFrame:
    """One row per buurt: scores, rank, quadrant, contributions (``bijdrage_<criterion>``), and the
    robustness (``p_top``, rank interval) and partner ranks (``rang_<partner>``) when computed."""
    frame = pd.DataFrame(result["buurten"]).set_index("buurtcode")
    contributions = pd.DataFrame(result["bijdragen"]).set_index("buurtcode").add_prefix("bijdrage_")
    frame = frame.join(contributions)
    if result.get("robuustheid"):
        robust = (
            pd.DataFrame(result["robuustheid"]).set_index("buurtcode").drop(columns=["rang"], errors="ignore")
        )
        frame = frame.join(robust)
    if result.get("partnerprofielen"):
        ranks = pd.DataFrame(
            [{"buurtcode": r["buurtcode"], **r["rangen"]} for r in result["partnerprofielen"]["buurten"]]
        ).set_index("buurtcode")
        frame = frame.join(ranks.add_prefix("rang_"))
    frame["rang"] = frame["rang"].astype("Int64")
    return frame.sort_values("rang", na_position="last", kind="stable")


def ranking_export(
    conn: Connection, request: ScoreRequest, *, settings: Settings, cache: IndicatorCache, formaat: str
) -> tuple[bytes, str, str]:
    """The ranking of a weighting as CSV or GeoPackage: (content, media type, file name)."""
    from api.dia import table_for

    table = table_for(conn, request, settings, cache)
    profiles = catalogue(conn, table)
    profile = build_profile(request, profiles, table)
    scored = score_table(
        table,
        profile,
        request.analyses(),
        partner_labels=profiles.partners,
        alternatives=usable_profiles(table, profiles),
    )
    frame = ranking_frame(scored.output)
    frame.insert(0, "synthetisch", scored.synthetic)
    stem = f"sia_ranking_{table.gemeente}_{profile.name}"
    if formaat == "csv":
        return (
            frame.reset_index().to_csv(index=False).encode("utf-8"),
            "text/csv; charset=utf-8",
            f"{stem}.csv",
        )
    gdf = gpd.GeoDataFrame(frame, geometry=table.geometrie.reindex(frame.index), crs=28992)
    gdf["kwadrant"] = gdf["kwadrant"].astype("string")
    meta = metadata_frame(
        {
            **describe(profile, table),
            **score_inputs(table),
            "gewichten": scored.output["gewichten"],
            "criteria": scored.criteria,
            "weggelaten": scored.left_out,
            "melding": scored.output.get("melding", ""),
            "gemaakt_op": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "synthetisch": scored.synthetic,
            "synthetisch_let_op": "SYNTHETISCHE DATA: een gewogen criterium komt uit verzonnen partnerdata"
            if scored.synthetic
            else "",
        }
    )
    return write_gpkg({"sia_ranking": gdf.reset_index(), "metadata": meta}), GPKG, f"{stem}.gpkg"


def proposals_frame(conn: Connection, *, gemeente: str | None) -> gpd.GeoDataFrame:
    """The newest version of every proposal (EPSG:4326)."""
    rows = proposals.current_versions(conn, gemeente=gemeente, geometry=True)
    from shapely.geometry import shape

    records = [
        {
            **{k: v for k, v in r.items() if k != "geometrie"},
            "partners": ", ".join(r["partners"]),
            "geometry": shape(r["geometrie"]),
        }
        for r in rows
    ]
    columns = [
        "id",
        "versie",
        "naam",
        "status",
        "bo_datum",
        "besluitreferentie",
        "motivering",
        "partners",
        "contact",
        "scenario_id",
        "auteur",
        "aangemaakt",
        "gemeente",
        "oppervlakte_ha",
        "geometry",
    ]
    frame = pd.DataFrame(records, columns=columns)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=4326)


def proposals_export(conn: Connection, formaat: str, *, gemeente: str | None) -> tuple[bytes, str, str]:
    """All proposals as GeoJSON (EPSG:4326) or GeoPackage (EPSG:28992): (content, media, name)."""
    gdf = proposals_frame(conn, gemeente=gemeente)
    if formaat == "geojson":
        data = (
            json.loads(gdf.to_json(na="null", drop_id=True))
            if len(gdf)
            else {"type": "FeatureCollection", "features": []}
        )
        return (
            json.dumps(data, ensure_ascii=False).encode(),
            "application/geo+json",
            "dia_voorstellen.geojson",
        )
    meta = metadata_frame(
        {
            "inhoud": "DIA-voorstellen, nieuwste versie van elk",
            "gemeente": gemeente or "alle",
            "gemaakt_op": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "aantal": len(gdf),
        }
    )
    out = gdf.to_crs(28992)
    if out.empty:  # an empty layer still needs a geometry type
        out = gpd.GeoDataFrame(out, geometry=gpd.GeoSeries([], crs=28992))
    return write_gpkg({"dia_voorstellen": out, "metadata": meta}), GPKG, "dia_voorstellen.gpkg"
