"""Raster indicators (heat stress, green share, …): summarised per buurt and stored, versioned.

A raster upload names an indicator (``hittestress``), a period and the partner that delivers it.
The raster is summarised per buurt of the gemeente with :func:`layers.partners.raster.zonal_stats`
(mean, minimum, maximum, share of cells above an optional threshold). A new upload for the same
indicator and period becomes the active version; earlier versions stay in the database
(``raster_leveringen.actief = false``). Everything happens in the caller's transaction, so a
rejected raster stores nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
from sqlalchemy import Connection, text

from layers.catalogue import Field, indicator_fields
from layers.codes import is_period, period_key
from layers.errors import Forbidden, InvalidUpload, SetupError
from layers.files import brief, control_characters
from layers.partners.raster import zonal_stats

_ID = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
SHARE_SUFFIX = "_aandeel"


@dataclass
class StoredRaster:
    id: int
    indicator: str
    periode: str
    versie: int
    buurten_met_waarde: int
    buurten_zonder_waarde: list[str]
    vervangen: int | None
    unchanged: bool = False


def _problem(name: str, kolom: str, waarde: Any, core: str, expected: str) -> InvalidUpload:
    text_ = f"Raster '{name}': {core}; verwacht {expected}."
    return InvalidUpload(
        text_,
        details=[
            {
                "bestand": name,
                "blad": None,
                "rij": None,
                "kolom": kolom,
                "waarde": waarde,
                "verwacht": expected,
                "melding": text_,
            }
        ],
    )


def _check(
    name: str,
    *,
    indicator: str,
    label: str,
    periode: str,
    partner: str,
    drempel: float | None,
    vertrouwelijkheid: str,
    eenheid: str | None = None,
) -> None:
    if not _ID.match(indicator or ""):
        raise _problem(
            name,
            "indicator",
            brief(indicator or "", 80),
            f"de indicatornaam '{brief(indicator or '', 40)}' is ongeldig",
            "kleine letters, cijfers en _, beginnend met een letter (bijv. hittestress)",
        )
    taken = {f.id for _, f in indicator_fields()}
    if indicator in taken or indicator.removesuffix(SHARE_SUFFIX) in taken:
        raise _problem(
            name,
            "indicator",
            indicator,
            f"de naam '{indicator}' is al een vaste indicator van de kaart",
            "een eigen naam voor deze rasterindicator",
        )
    if indicator.endswith(SHARE_SUFFIX):
        raise _problem(
            name,
            "indicator",
            indicator,
            f"namen op '{SHARE_SUFFIX}' zijn gereserveerd",
            "een naam zonder dat achtervoegsel",
        )
    for field, value, longest in (("label", label, 120), ("partner", partner, 120), ("eenheid", eenheid, 40)):
        if value is None:
            continue
        if bad := control_characters(value):
            raise _problem(
                name, field, brief(value, 80), f"de tekst bevat niet-toegestane stuurtekens ({bad})", "tekst"
            )
        if len(value.strip()) > longest:
            raise _problem(
                name,
                field,
                brief(value, 80),
                f"de tekst is {len(value.strip())} tekens lang",
                f"hoogstens {longest} tekens",
            )
    if not (label or "").strip():
        raise _problem(
            name,
            "label",
            label,
            "het label ontbreekt",
            "een leesbare naam, bijv. 'Hittestress (gevoelstemperatuur)'",
        )
    if not is_period(periode):
        raise _problem(
            name,
            "periode",
            brief(periode or "", 80),
            f"de periode '{brief(periode or '', 40)}' is ongeldig",
            "jaar-voorjaar of jaar-najaar, bijv. 2026-najaar",
        )
    if not (partner or "").strip():
        raise _problem(
            name,
            "partner",
            partner,
            "de leverende partner ontbreekt",
            "de naam van de partner, bijv. gemeente",
        )
    if drempel is not None and not np.isfinite(drempel):
        raise _problem(name, "drempel", str(drempel), "de drempel is geen getal", "een eindig getal")
    if vertrouwelijkheid not in ("openbaar", "partners", "eigen"):
        raise _problem(
            name, "vertrouwelijkheid", vertrouwelijkheid, "onbekende klasse", "openbaar, partners of eigen"
        )


def _buurten(conn: Connection, gemeente: str) -> gpd.GeoDataFrame:
    """Every buurt code of the gemeente in any loaded year (its newest geometry), so that a raster
    has a value per buurt whichever buurten year a score reads."""
    frame = gpd.read_postgis(
        text(
            "SELECT DISTINCT ON (buurtcode) buurtcode, geom FROM buurten WHERE gemeentecode = :gm "
            "ORDER BY buurtcode, jaar DESC"
        ),
        conn,
        geom_col="geom",
        params={"gm": gemeente},
    )
    if frame.empty:
        raise SetupError(
            f"Er zijn nog geen buurten van {gemeente} geladen; laad eerst de buurtenkaart (sia load buurten)."
        )
    return frame


def store_raster(
    conn: Connection,
    path: str | Path,
    *,
    gemeente: str,
    indicator: str,
    label: str,
    periode: str,
    partner: str,
    eenheid: str | None = None,
    drempel: float | None = None,
    band: int = 1,
    synthetisch: bool = False,
    vertrouwelijkheid: str = "openbaar",
    filename: str | None = None,
    via: str = "beheer",
) -> StoredRaster:
    """Summarise a raster per buurt of ``gemeente`` and store it as the active version.

    ``via`` is ``upload`` for files sent through the API (see migration 0005)."""
    path = Path(path)
    name = filename or path.name
    _check(
        name,
        indicator=indicator,
        label=label,
        periode=periode,
        partner=partner,
        drempel=drempel,
        vertrouwelijkheid=vertrouwelijkheid,
        eenheid=eenheid,
    )
    if not path.is_file() or path.stat().st_size == 0:
        raise _problem(name, "bestand", None, "het bestand is leeg of ontbreekt", "een GeoTIFF")
    buurten = _buurten(conn, gemeente)
    stats = zonal_stats(path, buurten, threshold=drempel, band=band)
    covered = stats["aantal_cellen"] > 0
    if not covered.any():
        raise _problem(
            name,
            "bestand",
            None,
            f"het raster overlapt geen enkele buurt van {gemeente} (of heeft daar alleen lege cellen)",
            "een raster dat de gemeente bedekt",
        )
    import rasterio

    with rasterio.open(path) as ds:
        crs = ds.crs.to_string() if ds.crs else None
        resolution = float(abs(ds.transform.a))
    digest = hashlib.sha256(path.read_bytes())
    digest.update(
        f"|{indicator}|{label}|{eenheid}|{periode}|{partner}|{drempel}|{band}|"
        f"{synthetisch}|{vertrouwelijkheid}|{gemeente}".encode()
    )
    sha = digest.hexdigest()
    missing = stats.loc[~covered, "buurtcode"].tolist()
    key = {"i": indicator, "p": periode, "gm": gemeente}
    # one upload at a time per indicator, period and gemeente (a second waits, then sees the first)
    conn.execute(
        text("SELECT pg_advisory_xact_lock(hashtext('raster|' || :i || '|' || :p || '|' || :gm))"), key
    )
    prev = conn.execute(
        text(
            "SELECT id, versie, sha256 FROM raster_leveringen WHERE indicator = :i AND "
            "periode = :p AND gemeente = :gm AND actief"
        ),
        key,
    ).first()
    if prev is not None and prev.sha256 == sha:
        return StoredRaster(
            prev.id, indicator, periode, prev.versie, int(covered.sum()), missing, None, unchanged=True
        )
    if prev is not None:
        switched = conn.execute(
            text("UPDATE raster_leveringen SET actief = false WHERE id = :id"), {"id": prev.id}
        ).rowcount
        if switched != 1:  # row-level security: another organisation's raster
            raise Forbidden(
                f"Indicator '{indicator}' van {periode} is geleverd door een andere organisatie; "
                "alleen die organisatie of een beheerder van de gemeente levert er een nieuwe versie van. "
                "Kies een andere korte naam."
            )
    versie = int(
        conn.execute(
            text(
                "SELECT coalesce(max(versie), 0) + 1 FROM raster_leveringen WHERE indicator = :i "
                "AND periode = :p AND gemeente = :gm"
            ),
            key,
        ).scalar_one()
    )
    insert = conn.execute(
        text(
            "INSERT INTO raster_leveringen (indicator, label, eenheid, periode, partner, "
            "vertrouwelijkheid, synthetisch, drempel, band, crs, resolutie, versie, bron_bestand, "
            "sha256, gemeente, via, organisatie_id) VALUES (:i, :label, :unit, :p, :partner, :vt, :syn, "
            ":thr, :band, :crs, :res, :v, :bron, :sha, :gm, :via, (SELECT o.id FROM organisaties o "
            "WHERE o.gemeente = :gm AND o.naam = :partner)) "
            "ON CONFLICT ON CONSTRAINT raster_leveringen_versie_uniek DO NOTHING RETURNING id"
        ),
        {
            "i": indicator,
            "label": label.strip(),
            "unit": eenheid,
            "p": periode,
            "partner": partner.strip(),
            "vt": vertrouwelijkheid,
            "syn": synthetisch,
            "thr": drempel,
            "band": band,
            "crs": crs,
            "res": resolution,
            "v": versie,
            "bron": name,
            "sha": sha,
            "gm": gemeente,
            "via": via,
        },
    ).scalar()
    if insert is None:  # a version the principal may not see (another organisation's raster)
        raise Forbidden(
            f"Indicator '{indicator}' van {periode} bestaat al bij een andere organisatie; kies een andere "
            "korte naam."
        )
    rid = int(insert)
    rows = [
        {
            "rid": rid,
            "code": r.buurtcode,
            "mean": _num(r.gemiddelde),
            "min": _num(r.minimum),
            "max": _num(r.maximum),
            "share": _num(r.aandeel_boven_drempel),
            "n": int(r.aantal_cellen),  # type: ignore[arg-type]
        }
        for r in stats.itertuples()
    ]
    conn.execute(
        text(
            "INSERT INTO raster_statistieken (raster_levering_id, buurtcode, gemiddelde, minimum, "
            "maximum, aandeel_boven_drempel, cellen) VALUES (:rid, :code, :mean, :min, :max, :share, :n)"
        ),
        rows,
    )
    return StoredRaster(
        rid, indicator, periode, versie, int(covered.sum()), missing, prev.id if prev is not None else None
    )


def _num(value: Any) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


def active_rasters(
    conn: Connection, periode: str | None = None, gemeente: str | None = None
) -> list[dict[str, Any]]:
    """Per indicator the active delivery of the newest period up to ``periode`` (any when None),
    for ``gemeente`` (any when None), among those the connection's principal may read (row-level
    security, migration 0008: a raster has its own class)."""
    rows = (
        conn.execute(
            text(
                "SELECT id, indicator, label, eenheid, periode, partner, synthetisch, drempel, versie, "
                "bron_bestand, vertrouwelijkheid, gemeente FROM raster_leveringen WHERE actief "
                "AND (CAST(:gm AS text) IS NULL OR gemeente = :gm) "
                "ORDER BY indicator, gemeente"
            ),
            {"gm": gemeente},
        )
        .mappings()
        .all()
    )
    best: dict[tuple[str, str], dict[str, Any]] = {}  # (indicator, gemeente) → newest delivery
    for r in rows:
        if periode is not None and period_key(r["periode"]) > period_key(periode):
            continue
        key = (r["indicator"], r["gemeente"])
        if key not in best or period_key(r["periode"]) > period_key(best[key]["periode"]):
            best[key] = dict(r)
    return list(best.values())


def raster_fields(
    conn: Connection, periode: str | None = None, gemeente: str | None = None
) -> list[tuple[Field, dict[str, Any]]]:
    """Indicator fields of the active rasters: the mean, and the share above the threshold."""
    out: list[tuple[Field, dict[str, Any]]] = []
    seen: set[str] = set()
    for r in active_rasters(conn, periode, gemeente):
        if r["indicator"] in seen:  # the same indicator for another gemeente
            continue
        seen.add(r["indicator"])
        source = f"{r['partner']}, {r['bron_bestand']} ({r['periode']}, versie {r['versie']})"
        out.append(
            (
                Field(
                    r["indicator"],
                    r["label"],
                    r["eenheid"],
                    indicator=True,
                    description=f"Gemiddelde per buurt van het raster. Bron: {source}.",
                ),
                r,
            )
        )
        if r["drempel"] is not None:
            out.append(
                (
                    Field(
                        r["indicator"] + SHARE_SUFFIX,
                        f"{r['label']}: aandeel boven {r['drempel']:g}"
                        f"{' ' + r['eenheid'] if r['eenheid'] else ''}",  # the unit: "32 °C"
                        "%",
                        indicator=True,
                        description=f"Aandeel van de rastercellen in de buurt boven "
                        f"{r['drempel']:g}{' ' + r['eenheid'] if r['eenheid'] else ''}. "
                        f"Bron: {source}.",
                    ),
                    r,
                )
            )
    return out


def raster_values(
    conn: Connection, periode: str | None = None, gemeente: str | None = None
) -> dict[str, dict[str, float | None]]:
    """buurtcode → {indicator: mean, indicator_aandeel: share in %} for the active rasters."""
    active = active_rasters(conn, periode, gemeente)
    if not active:
        return {}
    ids = {r["id"]: r for r in active}
    rows = (
        conn.execute(
            text(
                "SELECT raster_levering_id AS rid, buurtcode, gemiddelde, aandeel_boven_drempel "
                "FROM raster_statistieken WHERE raster_levering_id = ANY(:ids)"
            ),
            {"ids": list(ids)},
        )
        .mappings()
        .all()
    )
    out: dict[str, dict[str, float | None]] = {}
    for r in rows:
        meta = ids[r["rid"]]
        values = out.setdefault(r["buurtcode"], {})
        values[meta["indicator"]] = r["gemiddelde"]
        if meta["drempel"] is not None:
            share = r["aandeel_boven_drempel"]
            values[meta["indicator"] + SHARE_SUFFIX] = None if share is None else 100.0 * share
    return out


def raster_deliveries(conn: Connection, *, gemeente: str | None = None) -> list[dict[str, Any]]:
    """Every raster delivery (all versions), newest first; of one gemeente when given."""
    rows = (
        conn.execute(
            text(
                "SELECT id, indicator, label, eenheid, periode, partner, versie, actief, synthetisch, "
                "drempel, crs, resolutie, bron_bestand, geladen_op, gemeente, vertrouwelijkheid, "
                "(SELECT count(*) FROM raster_statistieken s WHERE s.raster_levering_id = r.id "
                " AND s.cellen > 0) AS buurten_met_waarde "
                "FROM raster_leveringen r WHERE CAST(:gm AS text) IS NULL OR gemeente = :gm "
                "ORDER BY indicator, periode DESC, versie DESC"
            ),
            {"gm": gemeente},
        )
        .mappings()
        .all()
    )
    return [{**r, "geladen_op": r["geladen_op"].isoformat()} for r in rows]
