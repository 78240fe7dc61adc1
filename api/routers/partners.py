"""Partner deliveries: the Excel template, uploads (validated as a whole), versions, the 4.1 check.

Uploads need a planner or beheerder (checked before the body is read, ``WriterFirstRoute``); the
gemeente is the signed-in user's, a planner delivers only for its own organisation (the form's
and the file's partner must be it), a beheerder for any organisation of its gemeente. Every upload
is written to the audit trail, a refused one too (in a transaction of its own). What a reader sees
of the records is decided by row-level security.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import FileResponse
from sqlalchemy import Connection
from starlette.background import BackgroundTask

from api.caching import cached_json
from api.deps import ConnDep, SettingsDep
from api.security import PrincipalDep, Writer, WriterFirstRoute, client_address
from api.types import KorteTekst, Naam, Periode
from layers import audit, partner_store
from layers.access import Principal
from layers.files import brief, control_characters
from layers.partners.template import write_template
from layers.periods import default_period
from layers.readers import to_python
from sia.errors import Forbidden, InvalidUpload, NotFound, SiaError

router = APIRouter(prefix="/api/partners", tags=["partners"])
uploads = APIRouter(prefix="/api/partners", tags=["partners"], route_class=WriterFirstRoute)
"""The upload routes: writer and rate limit checked before the body is read (api.main includes
both routers)."""
_WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    413: {"description": "Het bestand is groter dan 50 MB"},
    429: {"description": "Te veel wijzigingen achter elkaar; zie Retry-After"},
}
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
    principal: PrincipalDep,
    partner: Annotated[Naam | None, Query(description="organisatie die levert (vooraf ingevuld)")] = None,
    periode: Annotated[Periode | None, Query()] = None,
) -> FileResponse:
    from layers.organisations import organisations_for

    gemeente = principal.gemeente or settings.gemeente
    if partner is None and principal.rol == "planner":
        partner = principal.organisatie  # a planner delivers for its own organisation
    tmp = Path(tempfile.mkdtemp(prefix="sia-template-"))
    try:
        path = write_template(  # the choice lists name the gemeente's organisations
            tmp / "sia-levering.xlsx",
            partner=partner,
            period=periode,
            organisations=organisations_for(conn, gemeente),
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


def _own_partner(principal: Principal, partner: str | None) -> str | None:
    """The partner a delivery is for: a planner's own organisation (a different one is refused);
    a beheerder's choice (any organisation of its gemeente; the file names it otherwise)."""
    if principal.rol != "planner":
        return partner
    if partner is not None and partner != principal.organisatie:
        raise Forbidden(
            f"U levert voor {principal.organisatie}, niet voor {partner}; alleen een beheerder van de "
            "gemeente levert voor een andere organisatie. Er is niets opgeslagen."
        )
    return principal.organisatie


def _refused(
    db: Connection, request: Request, principal: Principal, actie: audit.Actie, name: str, exc: SiaError
) -> None:
    """Record a refused upload in a transaction of its own (the upload itself stored nothing)."""
    if db.in_transaction():
        db.rollback()
    with db.begin():
        audit.record(
            db,
            actie,
            principal=principal,
            object_soort="bestand",
            object_id=brief(name, 150),
            client=client_address(request),
            details={"reden": type(exc).__name__, "melding": exc.message[:500]},
        )


@uploads.post(
    "/uploads",
    status_code=201,
    summary="Upload a delivery (all or nothing); planner (own organisation) or beheerder",
    max_body_size=_UPLOAD_BODY,
    responses=_WRITE_RESPONSES,
)
def upload(
    request: Request,
    principal: Writer,
    db: ConnDep,
    bestand: Annotated[UploadFile, File(description="ingevuld sjabloon (.xlsx) of GIS/CSV")],
    laag: Annotated[str | None, Form(pattern="^(bezit|projecten|verkoop)$")] = None,
    partner: Annotated[Naam | None, Form()] = None,
    periode: Annotated[Periode | None, Form()] = None,
) -> dict[str, Any]:
    assert principal.gemeente is not None
    name = (bestand.filename or "upload")[:200]
    given_partner = partner is not None
    try:
        name = _upload_name(bestand, "upload")
        partner = _own_partner(principal, partner)
        if name.lower().endswith(".xlsx") and not given_partner:
            partner = None  # the workbook names its partner; checked below (for_organisation)
        options = {k: v for k, v in (("layer", laag), ("partner", partner), ("period", periode)) if v}
        with tempfile.TemporaryDirectory(prefix="sia-upload-") as tmp:
            path = _save(bestand, Path(tmp), name)
            with db.begin():  # one transaction: a rejected file stores nothing
                stored = partner_store.load_delivery_file(
                    db,
                    path,
                    gemeente=principal.gemeente,
                    filename=name,
                    via="upload",
                    for_organisation=principal.organisatie if principal.rol == "planner" else None,
                    **options,
                )
                audit.record(
                    db,
                    "levering.upload",
                    principal=principal,
                    object_soort="levering",
                    object_id=stored.id,
                    voor={"levering": stored.vervangen} if stored.vervangen else None,
                    na={
                        "levering": stored.id,
                        "partner": stored.partner,
                        "periode": stored.periode,
                        "versie": stored.versie,
                        "ongewijzigd": stored.unchanged,
                    },
                    client=client_address(request),
                    details={"bestand": name, "aantallen": stored.aantallen},
                )
    except SiaError as exc:
        _refused(db, request, principal, "levering.geweigerd", name, exc)
        raise
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


@uploads.post(
    "/rasters",
    status_code=201,
    summary="Upload a raster indicator (GeoTIFF), per buurt; planner (own organisation) or beheerder",
    max_body_size=_UPLOAD_BODY,
    responses=_WRITE_RESPONSES,
)
def upload_raster(
    request: Request,
    principal: Writer,
    db: ConnDep,
    bestand: Annotated[UploadFile, File(description="GeoTIFF met coördinatenstelsel")],
    indicator: Annotated[str, Form(description="korte naam, bijv. hittestress", max_length=41)],
    label: Annotated[Naam, Form(description="naam in de kaart")],
    periode: Annotated[Periode, Form()],
    partner: Annotated[Naam | None, Form(description="leverende organisatie; standaard de uwe")] = None,
    eenheid: Annotated[KorteTekst | None, Form(max_length=40)] = None,
    drempel: Annotated[
        float | None, Form(description="aandeel cellen boven deze waarde", allow_inf_nan=False)
    ] = None,
    band: Annotated[int, Form(ge=1, le=10_000)] = 1,
    synthetisch: Annotated[bool, Form()] = False,
    vertrouwelijkheid: Annotated[
        Literal["openbaar", "partners", "eigen"],
        Form(
            description="wie het raster en zijn cijfers per buurt ziet: iedereen, de aangemelde partners "
            "van de gemeente, of alleen de eigen organisatie"
        ),
    ] = "openbaar",
) -> dict[str, Any]:
    from layers.organisations import list_organisations
    from layers.raster_store import store_raster

    assert principal.gemeente is not None
    name = (bestand.filename or "raster.tif")[:200]
    try:
        name = _upload_name(bestand, "raster.tif")
        partner = _own_partner(principal, partner) or principal.organisatie
        known = [o.naam for o in list_organisations(db, principal.gemeente)]
        db.rollback()  # the read above began a transaction; the store below is one of its own
        if partner not in known:
            raise InvalidUpload(
                f"'{partner}' is geen organisatie van {principal.gemeente}; kies uit: {', '.join(known)}."
            )
        with tempfile.TemporaryDirectory(prefix="sia-raster-") as tmp:
            path = _save(bestand, Path(tmp), name)
            with db.begin():  # a rejected raster stores nothing
                stored = store_raster(
                    db,
                    path,
                    gemeente=principal.gemeente,
                    indicator=indicator,
                    label=label,
                    periode=periode,
                    partner=str(partner),
                    eenheid=eenheid,
                    drempel=drempel,
                    band=band,
                    synthetisch=synthetisch,
                    vertrouwelijkheid=vertrouwelijkheid,
                    filename=name,
                    via="upload",
                )
                audit.record(
                    db,
                    "raster.upload",
                    principal=principal,
                    object_soort="raster",
                    object_id=stored.id,
                    voor={"raster": stored.vervangen} if stored.vervangen else None,
                    na={
                        "raster": stored.id,
                        "indicator": stored.indicator,
                        "periode": stored.periode,
                        "versie": stored.versie,
                        "vertrouwelijkheid": vertrouwelijkheid,
                        "ongewijzigd": stored.unchanged,
                    },
                    client=client_address(request),
                    details={"bestand": name, "partner": partner},
                )
    except SiaError as exc:
        _refused(db, request, principal, "raster.geweigerd", name, exc)
        raise
    return {
        "id": stored.id,
        "indicator": stored.indicator,
        "periode": stored.periode,
        "versie": stored.versie,
        "buurten_met_waarde": stored.buurten_met_waarde,
        "buurten_zonder_waarde": stored.buurten_zonder_waarde,
        "vervangen": stored.vervangen,
        "ongewijzigd": stored.unchanged,
        "vertrouwelijkheid": vertrouwelijkheid,
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


_GEOJSON: dict[int | str, dict[str, Any]] = {
    200: {"description": "GeoJSON FeatureCollection", "content": {"application/json": {}}}
}


@router.get(
    "/features",
    summary="Address points and project areas of one partner layer (GeoJSON)",
    description="Cached per data version and view with an ETag: a map that asks again with "
    "`If-None-Match` gets 304 until a delivery changes what it shows.",
    response_class=Response,
    responses=_GEOJSON,
)
def features(
    request: Request,
    conn: ConnDep,
    settings: SettingsDep,
    laag: Annotated[str, Query(pattern="^(bezit|projecten|verkoop)$")],
    periode: Annotated[Periode | None, Query()] = None,
) -> Response:
    def compute() -> Any:
        chosen = periode or default_period(conn, settings.gemeente)[0]  # data-truth: the default period
        if chosen is None:
            raise NotFound("Er zijn nog geen partnerleveringen geladen.")
        return partner_store.partner_features_json(conn, laag, periode=chosen, gemeente=settings.gemeente)

    # periode None: the version of every period of the gemeente (the default period may move)
    return cached_json(request, conn, compute, gemeente=settings.gemeente, periode=periode)


@router.get(
    "/sales-check",
    summary="Planned sales checked against agreement 4.1 (GeoJSON)",
    description="Cached per data version and view with an ETag, as `/api/partners/features`.",
    response_class=Response,
    responses=_GEOJSON,
)
def sales_check(
    request: Request,
    conn: ConnDep,
    settings: SettingsDep,
    periode: Annotated[Periode | None, Query()] = None,
    alleen_overtredingen: bool = False,
) -> Response:
    return cached_json(
        request,
        conn,
        lambda: _sales_check(conn, settings.gemeente, periode, alleen_overtredingen),
        gemeente=settings.gemeente,
        periode=periode,
    )


def _sales_check(
    conn: Connection, gemeente: str, periode: str | None, alleen_overtredingen: bool
) -> dict[str, Any]:
    periode = periode or default_period(conn, gemeente)[0]  # data-truth: the default period
    if periode is None:
        raise NotFound("Er zijn nog geen partnerleveringen geladen.")
    frame = partner_store.sales_check(conn, periode=periode, gemeente=gemeente)  # what RLS shows
    feats = []
    for rec in frame.to_dict("records") if not frame.empty else []:
        if alleen_overtredingen and not rec["overtreding"]:
            continue
        props = {k: to_python(v) for k, v in rec.items() if k not in {"lon", "lat", "via"}}
        geometry = (
            {"type": "Point", "coordinates": [rec["lon"], rec["lat"]]} if rec["lon"] is not None else None
        )
        feats.append({"type": "Feature", "id": rec["id"], "properties": props, "geometry": geometry})
    from layers.periods import period_view

    hidden = partner_store.hidden_counts(
        conn, {"verkoop": period_view(conn, gemeente, periode).ids("verkoop")}
    )["verkoop"]
    return {
        "type": "FeatureCollection",
        "periode": periode,
        "features": feats,
        "overtredingen": sum(1 for f in feats if f["properties"]["overtreding"]),  # of what is shown
        "verborgen": hidden,
        "synthetisch": any(f["properties"]["synthetisch"] for f in feats),  # data-truth: what is shown
    }
