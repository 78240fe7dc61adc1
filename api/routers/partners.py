"""Partner deliveries: the Excel template, uploads (validated as a whole), versions, the 4.1 check."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from api.deps import ConnDep, EngineDep, SettingsDep, WriteAccess
from api.types import KorteTekst, Naam, Periode
from layers import partner_store
from layers.files import brief, control_characters
from layers.partners.template import write_template
from layers.periods import default_period
from layers.readers import to_python
from sia.errors import InvalidUpload, NotFound

router = APIRouter(prefix="/api/partners", tags=["partners"])
UPLOAD_LIMIT = 50 * 1024 * 1024
"""Largest upload (a delivery or a raster); the body limit adds room for the form around it."""
_UPLOAD_BODY = UPLOAD_LIMIT + 256 * 1024
_NAME_LENGTH = 200


def _upload_name(bestand: UploadFile, default: str) -> str:
    """The file name as the user sent it, checked: no folders, no control characters, not too long."""
    raw = bestand.filename or default
    name = Path(raw.replace("\\", "/")).name or default
    problem = None
    if bad := control_characters(name):
        problem = f"de bestandsnaam bevat niet-toegestane stuurtekens ({bad})"
    elif len(name) > _NAME_LENGTH:
        problem = f"de bestandsnaam is {len(name)} tekens lang"
    elif name in {".", ".."}:
        problem = "de bestandsnaam is ongeldig"
    if problem is None:
        return name
    shown = brief(name, 60)
    raise InvalidUpload(
        f"Bestand '{shown}': {problem}; verwacht een gewone bestandsnaam van hoogstens "
        f"{_NAME_LENGTH} tekens. Er is niets opgeslagen.",
        details=[
            {
                "bestand": shown,
                "blad": None,
                "rij": None,
                "kolom": "bestand",
                "waarde": shown,
                "verwacht": f"een bestandsnaam zonder stuurtekens, hoogstens {_NAME_LENGTH} tekens",
                "melding": f"Bestand '{shown}': {problem}.",
            }
        ],
    )


def _save(bestand: UploadFile, folder: Path, name: str) -> Path:
    """Copy the upload to ``folder/name`` (the body size was limited while it arrived)."""
    path = folder / name
    with path.open("wb") as out:
        shutil.copyfileobj(bestand.file, out, 1024 * 1024)
    if path.stat().st_size > UPLOAD_LIMIT:
        raise InvalidUpload(f"{brief(name, 60)} is groter dan {UPLOAD_LIMIT // (1024 * 1024)} MB.")
    return path


@router.get("/template", summary="Download the Excel delivery template", response_class=FileResponse)
def template(
    conn: ConnDep,
    settings: SettingsDep,
    partner: Annotated[Naam | None, Query(description="organisatie die levert (vooraf ingevuld)")] = None,
    periode: Annotated[Periode | None, Query()] = None,
) -> FileResponse:
    from layers.organisations import organisations_for

    tmp = Path(tempfile.mkdtemp(prefix="sia-template-"))
    try:
        path = write_template(  # the choice lists name the gemeente's organisations
            tmp / "sia-levering.xlsx",
            partner=partner,
            period=periode,
            organisations=organisations_for(conn, settings.gemeente),
        )
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return FileResponse(
        path,
        filename="sia-levering.xlsx",
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        background=BackgroundTask(shutil.rmtree, tmp, ignore_errors=True),
    )


@router.post(
    "/uploads",
    status_code=201,
    summary="Upload a delivery (all or nothing)",
    dependencies=[WriteAccess],
    max_body_size=_UPLOAD_BODY,
    responses={413: {"description": "Het bestand is groter dan 50 MB"}},
)
def upload(
    engine: EngineDep,
    settings: SettingsDep,
    bestand: Annotated[UploadFile, File(description="ingevuld sjabloon (.xlsx) of GIS/CSV")],
    laag: Annotated[str | None, Form(pattern="^(bezit|projecten|verkoop)$")] = None,
    partner: Annotated[Naam | None, Form()] = None,
    periode: Annotated[Periode | None, Form()] = None,
) -> dict[str, Any]:
    name = _upload_name(bestand, "upload")
    options = {k: v for k, v in (("layer", laag), ("partner", partner), ("period", periode)) if v}
    with tempfile.TemporaryDirectory(prefix="sia-upload-") as tmp:
        path = _save(bestand, Path(tmp), name)
        with engine.begin() as conn:  # one transaction: a rejected file stores nothing
            stored = partner_store.load_delivery_file(
                conn, path, gemeente=settings.gemeente, filename=name, via="upload", **options
            )
    return {
        "id": stored.id,
        "partner": stored.partner,
        "periode": stored.periode,
        "versie": stored.versie,
        "aantallen": stored.aantallen,
        "vervangen": stored.vervangen,
        "ongewijzigd": stored.unchanged,
        "overgenomen": stored.overgenomen,
    }


@router.post(
    "/rasters",
    status_code=201,
    summary="Upload a raster indicator (GeoTIFF), per buurt",
    dependencies=[WriteAccess],
    max_body_size=_UPLOAD_BODY,
    responses={413: {"description": "Het bestand is groter dan 50 MB"}},
)
def upload_raster(
    engine: EngineDep,
    settings: SettingsDep,
    bestand: Annotated[UploadFile, File(description="GeoTIFF met coördinatenstelsel")],
    indicator: Annotated[str, Form(description="korte naam, bijv. hittestress", max_length=41)],
    label: Annotated[Naam, Form(description="naam in de kaart")],
    periode: Annotated[Periode, Form()],
    partner: Annotated[Naam, Form()],
    eenheid: Annotated[KorteTekst | None, Form(max_length=40)] = None,
    drempel: Annotated[
        float | None, Form(description="aandeel cellen boven deze waarde", allow_inf_nan=False)
    ] = None,
    band: Annotated[int, Form(ge=1, le=10_000)] = 1,
    synthetisch: Annotated[bool, Form()] = False,
) -> dict[str, Any]:
    from layers.raster_store import store_raster

    name = _upload_name(bestand, "raster.tif")
    with tempfile.TemporaryDirectory(prefix="sia-raster-") as tmp:
        path = _save(bestand, Path(tmp), name)
        with engine.begin() as conn:  # a rejected raster stores nothing
            stored = store_raster(
                conn,
                path,
                gemeente=settings.gemeente,
                indicator=indicator,
                label=label,
                periode=periode,
                partner=partner,
                eenheid=eenheid,
                drempel=drempel,
                band=band,
                synthetisch=synthetisch,
                filename=name,
                via="upload",
            )
    return {
        "id": stored.id,
        "indicator": stored.indicator,
        "periode": stored.periode,
        "versie": stored.versie,
        "buurten_met_waarde": stored.buurten_met_waarde,
        "buurten_zonder_waarde": stored.buurten_zonder_waarde,
        "vervangen": stored.vervangen,
        "ongewijzigd": stored.unchanged,
    }


@router.get("/rasters", summary="All raster deliveries, every version")
def rasters(conn: ConnDep) -> list[dict[str, Any]]:
    from layers.raster_store import raster_deliveries

    return raster_deliveries(conn)


@router.get("/deliveries", summary="All deliveries, every version")
def deliveries(conn: ConnDep, periode: Annotated[Periode | None, Query()] = None) -> list[dict[str, Any]]:
    return partner_store.deliveries(conn, periode=periode)


@router.get("/periods", summary="Periods with partner data of the map's gemeente, newest first")
def periods(conn: ConnDep, settings: SettingsDep) -> list[str]:
    return partner_store.periods(conn, gemeente=settings.gemeente)  # data-truth: per gemeente


@router.get("/features", summary="Address points and project areas of one partner layer (GeoJSON)")
def features(
    conn: ConnDep,
    settings: SettingsDep,
    laag: Annotated[str, Query(pattern="^(bezit|projecten|verkoop)$")],
    periode: Annotated[Periode | None, Query()] = None,
) -> dict[str, Any]:
    periode = periode or default_period(conn, settings.gemeente)[0]  # data-truth: the default period
    if periode is None:
        raise NotFound("Er zijn nog geen partnerleveringen geladen.")
    return partner_store.partner_features(conn, laag, periode=periode, gemeente=settings.gemeente)


@router.get("/sales-check", summary="Planned sales checked against agreement 4.1 (GeoJSON)")
def sales_check(
    conn: ConnDep,
    settings: SettingsDep,
    periode: Annotated[Periode | None, Query()] = None,
    alleen_overtredingen: bool = False,
) -> dict[str, Any]:
    periode = periode or default_period(conn, settings.gemeente)[0]  # data-truth: the default period
    if periode is None:
        raise NotFound("Er zijn nog geen partnerleveringen geladen.")
    frame = partner_store.sales_check(conn, periode=periode, gemeente=settings.gemeente)
    feats = []
    hidden = 0
    for rec in frame.to_dict("records") if not frame.empty else []:
        if not (rec["vertrouwelijkheid"] == "openbaar" or (rec["synthetisch"] and rec["via"] == "beheer")):
            hidden += 1  # see partner_store.PUBLIC_RECORDS: no sign-in yet, so public view
            continue
        if alleen_overtredingen and not rec["overtreding"]:
            continue
        props = {k: to_python(v) for k, v in rec.items() if k not in {"lon", "lat"}}
        geometry = (
            {"type": "Point", "coordinates": [rec["lon"], rec["lat"]]} if rec["lon"] is not None else None
        )
        feats.append({"type": "Feature", "id": rec["id"], "properties": props, "geometry": geometry})
    return {
        "type": "FeatureCollection",
        "periode": periode,
        "features": feats,
        "overtredingen": sum(1 for f in feats if f["properties"]["overtreding"]),  # of what is shown
        "verborgen": hidden,
        "synthetisch": any(f["properties"]["synthetisch"] for f in feats),  # data-truth: what is shown
    }
