"""DIA proposals (voorstellen): create, edit (a new version each time), change status, compare
versions, comment, investment agenda and commitments, downloads and the BO dossier.

Who reads what is row-level security's business (migration 0008): signed-in users of the
gemeente see every proposal with its history, comments and commitments; everyone else the
proposals that are ``voorgesteld`` or ``vastgesteld`` (those versions only). Writing: a new proposal
by a planner or beheerder; an edit or status change by a beheerder or a planner of an involved
organisation (the one that started it or one of its partners); a comment by any signed-in user of
the gemeente for its own organisation; a commitment by a planner for its own organisation or a
beheerder. The author is always the signed-in user. A version's stored statistics are computed
from the *public* view (with the disclosure rule), because a proposal is a document that may
become public; the live statistics of ``/api/gebieden/statistieken`` show each user its own view.
Author names and the contact are personal data: only signed-in users of the proposal's gemeente
read them, everyone else the author's organisation and no contact (one rule, in
``layers.proposals``). Every change and download is audited; the map's layer (``/kaart``) is a
view, not a download, and is not. Versions, comments and commitments are never changed or deleted
(database triggers).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection

from api import auditing
from api.caching import cached_json
from api.deps import ConnDep, SettingsDep
from api.dia import area_report, compare_versions, investment_agenda, snapshot, sources, table_for, weging_of
from api.dia_models import (
    Comment,
    Commitment,
    InvestmentAgenda,
    ProposalDetail,
    ProposalSummary,
    ProposalVersion,
    VersionComparison,
    VersionSummary,
)
from api.middleware import GEOMETRY_BODY_LIMIT
from api.ratelimit import rate_limit
from api.scoring import CacheDep, IndicatorCache, ScoreRequest
from api.security import SignedIn, Writer, client_address
from api.settings import Settings
from api.timing import TimedRoute
from api.types import Id, KorteTekst, LangeTekst, Naam, Versie
from layers import audit, proposals
from layers.access import ANONYMOUS, Principal, acting_as
from layers.errors import Forbidden, InvalidInput
from layers.scenarios import get_scenario

router = APIRouter(prefix="/api/voorstellen", tags=["voorstellen"], route_class=TimedRoute)

Status = Literal["concept", "voorgesteld", "vastgesteld", "afgewezen", "ingetrokken"]
_IGNORED = "ignored: the author is the signed-in user (since sign-in)"
Bedrag = Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False)]


class VoorstelIn(BaseModel):
    """A new proposal (version 1, status concept)."""

    model_config = ConfigDict(extra="forbid")

    naam: Naam
    motivering: LangeTekst = ""
    partners: list[Naam] = Field(default_factory=list, max_length=50, description="partners involved")
    contact: KorteTekst = ""
    auteur: Naam | None = Field(None, deprecated=True, description=_IGNORED)
    geometrie: dict[str, Any] = Field(description="GeoJSON Polygon/MultiPolygon (or a Feature with one)")
    crs: str | int = Field(description="EPSG:4326 or EPSG:28992")
    scenario_id: Id | None = Field(None, description="a saved scenario whose weighting it rests on")
    weging: ScoreRequest | None = Field(
        None,
        description="the weighting (fields of POST /api/scores); default: the scenario's, else the standard",
    )


class VersieIn(BaseModel):
    """An edit: the fields that change; ``basisversie`` is the version the editor saw."""

    model_config = ConfigDict(extra="forbid")

    basisversie: Versie
    auteur: Naam | None = Field(None, deprecated=True, description=_IGNORED)
    wijziging: KorteTekst = Field("", description="what changed and why")
    naam: Naam | None = None
    motivering: LangeTekst | None = None
    partners: list[Naam] | None = Field(None, max_length=50)
    contact: KorteTekst | None = None
    geometrie: dict[str, Any] | None = None
    crs: str | int | None = None
    scenario_id: Id | None = None
    weging: ScoreRequest | None = None


class StatusIn(BaseModel):
    """A status change (a new version)."""

    model_config = ConfigDict(extra="forbid")

    basisversie: Versie
    auteur: Naam | None = Field(None, deprecated=True, description=_IGNORED)
    status: Status
    bo_datum: dt.date | None = Field(None, description="date of the BO decision (for vastgesteld)")
    besluitreferentie: KorteTekst | None = Field(None, description="reference of the BO decision")
    toelichting: KorteTekst = ""


class ReactieIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    auteur: Naam | None = Field(None, deprecated=True, description=_IGNORED)
    organisatie: Naam | None = Field(
        None, deprecated=True, description="ignored: the signed-in user's organisation"
    )
    tekst: Annotated[LangeTekst, Field(min_length=1)]


class ToezeggingIn(BaseModel):
    """A commitment a partner adds to the investment agenda."""

    model_config = ConfigDict(extra="forbid")

    partner: Naam
    jaar: int = Field(ge=2000, le=2100)
    bedrag_eur: Bedrag
    thema: Naam
    soort: Literal["toegezegd", "indicatief"]
    auteur: Naam | None = Field(None, deprecated=True, description=_IGNORED)
    toelichting: KorteTekst = ""


def _weging(conn: Connection, scenario_id: int | None, weging: ScoreRequest | None) -> ScoreRequest:
    if weging is not None:
        return weging
    if scenario_id is None:
        return ScoreRequest()
    s = get_scenario(conn, scenario_id)
    return ScoreRequest(
        profiel=s["profiel"],
        methode=s["methode"],
        gewichten=s["gewichten"],
        normalisatie=s["normalisatie"],
        gemeente=s["gemeente"],
        jaar=s["jaar"],
        editie=s["lbm_editie"],
        periode=s["periode"],
        top_n=s["top_n"],
    )


def _assess(
    conn: Connection,
    weging: ScoreRequest,
    settings: Settings,
    cache: IndicatorCache,
    *,
    geometry: Any = None,
    crs: Any = None,
    area: Any = None,
    exclude: int | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The version columns that follow from an area and a weighting, and the notices: computed in
    the public view (a proposal may become public; see the module docstring)."""
    with acting_as(conn, ANONYMOUS):
        table = table_for(conn, weging, settings, cache)
        report = area_report(
            conn, weging, table, geometry=geometry, crs=crs, area=area, exclude=exclude, memo=True
        )
    values = {
        "geom": report.geom,
        "weging": weging_of(weging, table),
        "invoer": sources(report),
        "statistieken": snapshot(report),
    }
    return values, report.data["meldingen"]


@router.get(
    "",
    response_model=list[ProposalSummary],
    summary="Proposals (their newest versions), newest first; filter by status",
)
def index(
    conn: ConnDep,
    settings: SettingsDep,
    status: Annotated[Status | None, Query()] = None,
    alle_gemeenten: Annotated[bool, Query(description="also other gemeenten")] = False,
) -> list[dict[str, Any]]:
    return proposals.current_versions(
        conn, status=status, gemeente=None if alle_gemeenten else settings.gemeente
    )


@router.get(
    "/kaart",
    summary="The proposals layer of the map: every proposal's newest version as GeoJSON (EPSG:4326)",
    description="The same features as `/export?formaat=geojson`, for showing on the map: not a download "
    "and not audited. Cached per view and proposal version with an ETag (`If-None-Match` → 304), like "
    "the other map layers.",
    response_class=Response,
    responses={200: {"content": {"application/geo+json": {}}}, 304: {"description": "not modified"}},
)
def map_layer(
    request: Request,
    conn: ConnDep,
    settings: SettingsDep,
    alle_gemeenten: Annotated[bool, Query(description="also other gemeenten")] = False,
) -> Response:
    from api.exporting import proposals_export

    gemeente = None if alle_gemeenten else settings.gemeente
    return cached_json(
        request,
        conn,
        lambda: proposals_export(conn, "geojson", gemeente=gemeente)[0],
        gemeente=gemeente,
        partners=False,  # reads no partner data; the proposals themselves are in the key
        key=("voorstellen", proposals.version(conn)),
        media_type="application/geo+json",
    )


@router.get(
    "/export",
    summary="All proposals (newest versions) as GeoJSON (EPSG:4326) or GeoPackage (EPSG:28992): a "
    "download, audited (the map's layer is `/kaart`)",
    response_class=Response,
    dependencies=[rate_limit("zwaar")],
)
def export(
    request: Request,
    conn: ConnDep,
    settings: SettingsDep,
    formaat: Annotated[Literal["geojson", "gpkg"], Query()] = "geojson",
    alle_gemeenten: bool = False,
) -> Response:
    from api.exporting import proposals_export

    body, media, name = proposals_export(
        conn, formaat, gemeente=None if alle_gemeenten else settings.gemeente
    )
    auditing.export(conn, request, gemeente=settings.gemeente, soort="voorstellen", object_id=name)
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _author(principal: Principal) -> dict[str, Any]:
    return {
        "auteur": principal.naam or principal.email or "onbekend",
        "gebruiker_id": principal.gebruiker_id,
        "organisatie_id": principal.organisatie_id,
    }


def _record(
    db: Connection, request: Request, principal: Principal, actie: audit.Actie, **fields: Any
) -> None:
    audit.record(db, actie, principal=principal, client=client_address(request), **fields)


@router.post(
    "",
    max_body_size=GEOMETRY_BODY_LIMIT,
    status_code=201,
    response_model=ProposalVersion,
    summary="Start a proposal (version 1, concept); planner or beheerder",
    dependencies=[rate_limit("schrijven")],
)
def create(
    body: VoorstelIn,
    request: Request,
    principal: Writer,
    db: ConnDep,
    settings: SettingsDep,
    cache: CacheDep,
) -> dict[str, Any]:
    with db.begin():
        weging = _weging(db, body.scenario_id, body.weging)
        if (weging.gemeente or settings.gemeente) != principal.gemeente:
            raise Forbidden(
                f"U dient voorstellen in voor uw eigen gemeente ({principal.gemeente}), niet voor "
                f"{weging.gemeente or settings.gemeente}."
            )
        values, notices = _assess(db, weging, settings, cache, geometry=body.geometrie, crs=body.crs)
        fields = body.model_dump(include={"naam", "motivering", "partners", "contact", "scenario_id"})
        vid = proposals.create_proposal(
            db,
            gemeente=values["weging"]["gemeente"],
            values={**fields, **values, **_author(principal), "wijziging": "aangemaakt"},
        )
        _record(
            db,
            request,
            principal,
            "voorstel.aangemaakt",
            object_soort="voorstel",
            object_id=vid,
            na={"voorstel": vid, "versie": 1, "naam": body.naam},
        )
        return {**proposals.get_version(db, vid), "meldingen": notices}


@router.get(
    "/{voorstel_id}",
    response_model=ProposalDetail,
    summary="A proposal: its newest version, history, comments and commitments",
)
def show(voorstel_id: Annotated[Id, Path()], conn: ConnDep) -> dict[str, Any]:
    return {
        **proposals.get_version(conn, voorstel_id),
        "versies": proposals.versions(conn, voorstel_id),
        "reacties": proposals.comments(conn, voorstel_id),
        "toezeggingen": proposals.commitments(conn, voorstel_id),
    }


@router.get(
    "/{voorstel_id}/versies", response_model=list[VersionSummary], summary="The version history, oldest first"
)
def history(voorstel_id: Annotated[Id, Path()], conn: ConnDep) -> list[dict[str, Any]]:
    return proposals.versions(conn, voorstel_id)


@router.get(
    "/{voorstel_id}/versies/{versie}",
    response_model=ProposalVersion,
    summary="One version as it was saved (geometry in EPSG:4326)",
)
def version(
    voorstel_id: Annotated[Id, Path()], versie: Annotated[Versie, Path()], conn: ConnDep
) -> dict[str, Any]:
    return proposals.get_version(conn, voorstel_id, versie)


@router.post(
    "/{voorstel_id}/versies",
    max_body_size=GEOMETRY_BODY_LIMIT,
    status_code=201,
    response_model=ProposalVersion,
    summary="Edit: a new version with the fields given (409 when basisversie is not the newest or the "
    "proposal is closed); beheerder or a planner of an involved organisation",
    dependencies=[rate_limit("schrijven")],
)
def edit(
    voorstel_id: Annotated[Id, Path()],
    body: VersieIn,
    request: Request,
    principal: Writer,
    db: ConnDep,
    settings: SettingsDep,
    cache: CacheDep,
) -> dict[str, Any]:
    changes: dict[str, Any] = body.model_dump(
        include={"naam", "motivering", "partners", "contact", "scenario_id"}, exclude_none=True
    )
    notices: list[str] = []
    with db.begin():
        proposals.check_writer(db, voorstel_id)
        current = proposals.get_version(db, voorstel_id)
        if body.geometrie is not None or body.weging is not None or body.scenario_id is not None:
            if body.geometrie is not None and body.crs is None:
                raise InvalidInput("Geef bij een nieuwe geometrie ook 'crs' (EPSG:4326 of EPSG:28992).")
            weging = (
                _weging(db, body.scenario_id, body.weging)
                if body.weging is not None or body.scenario_id is not None
                else ScoreRequest.model_validate(current["weging"])
            )
            area = (
                None
                if body.geometrie is not None
                else proposals.version_geometry(db, voorstel_id, current["versie"])
            )
            values, notices = _assess(
                db,
                weging,
                settings,
                cache,
                geometry=body.geometrie,
                crs=body.crs,
                area=area,
                exclude=voorstel_id,
            )
            changes.update(values)
        author = _author(principal)
        versie = proposals.add_version(
            db,
            voorstel_id,
            basisversie=body.basisversie,
            changes=changes,
            auteur=author["auteur"],
            wijziging=body.wijziging,
            gebruiker_id=principal.gebruiker_id,
            organisatie_id=principal.organisatie_id,
        )
        _record(
            db,
            request,
            principal,
            "voorstel.gewijzigd",
            object_soort="voorstel",
            object_id=voorstel_id,
            voor={"versie": body.basisversie},
            na={"versie": versie, "velden": sorted(changes)},
        )
        return {**proposals.get_version(db, voorstel_id, versie), "meldingen": notices}


@router.post(
    "/{voorstel_id}/status",
    status_code=201,
    response_model=ProposalVersion,
    summary="Change the status (a new version): concept → voorgesteld → vastgesteld | afgewezen; "
    "ingetrokken from concept or voorgesteld; vastgesteld needs bo_datum and besluitreferentie; "
    "a change that is not allowed → 409; beheerder or a planner of an involved organisation",
    dependencies=[rate_limit("schrijven")],
)
def change_status(
    voorstel_id: Annotated[Id, Path()], body: StatusIn, request: Request, principal: Writer, db: ConnDep
) -> dict[str, Any]:
    with db.begin():
        proposals.check_writer(db, voorstel_id)
        before = proposals.get_version(db, voorstel_id)
        versie = proposals.add_version(
            db,
            voorstel_id,
            basisversie=body.basisversie,
            changes={
                "status": body.status,
                "bo_datum": body.bo_datum,
                "besluitreferentie": body.besluitreferentie,
            },
            auteur=_author(principal)["auteur"],
            wijziging=body.toelichting or f"status: {body.status}",
            gebruiker_id=principal.gebruiker_id,
            organisatie_id=principal.organisatie_id,
        )
        _record(
            db,
            request,
            principal,
            "voorstel.status",
            object_soort="voorstel",
            object_id=voorstel_id,
            voor={"versie": before["versie"], "status": before["status"]},
            na={"versie": versie, "status": body.status},
        )
        return proposals.get_version(db, voorstel_id, versie)


@router.get(
    "/{voorstel_id}/vergelijk",
    response_model=VersionComparison,
    summary="Compare two versions: area added and removed (GeoJSON, EPSG:4326) and the change in statistics",
)
def compare(
    voorstel_id: Annotated[Id, Path()],
    conn: ConnDep,
    a: Annotated[Versie, Query()],
    b: Annotated[Versie, Query()],
) -> dict[str, Any]:
    return compare_versions(conn, voorstel_id, a, b)


@router.get(
    "/{voorstel_id}/reacties",
    response_model=list[Comment],
    summary="Comments, oldest first (texts as given: escape them)",
)
def list_comments(voorstel_id: Annotated[Id, Path()], conn: ConnDep) -> list[dict[str, Any]]:
    proposals.versions(conn, voorstel_id)  # 404 for an unknown proposal
    return proposals.comments(conn, voorstel_id)


@router.post(
    "/{voorstel_id}/reacties",
    status_code=201,
    response_model=Comment,
    summary="Add a comment (any signed-in user of the gemeente, for its own organisation)",
    dependencies=[rate_limit("schrijven")],
)
def comment(
    voorstel_id: Annotated[Id, Path()], body: ReactieIn, request: Request, principal: SignedIn, db: ConnDep
) -> dict[str, Any]:
    with db.begin():
        gemeente = proposals.get_version(db, voorstel_id)["gemeente"]  # 404 when not readable
        if gemeente != principal.gemeente:
            raise Forbidden(f"Alleen partners van {gemeente} reageren op dit voorstel.")
        row = proposals.add_comment(
            db,
            voorstel_id,
            auteur=_author(principal)["auteur"],
            organisatie=principal.organisatie or "",
            tekst=body.tekst,
            gebruiker_id=principal.gebruiker_id,
            organisatie_id=principal.organisatie_id,
        )
        _record(
            db,
            request,
            principal,
            "voorstel.reactie",
            object_soort="voorstel",
            object_id=voorstel_id,
            na={"reactie": row["id"], "versie": row["versie"]},
        )
        return row


@router.get(
    "/{voorstel_id}/investeringsagenda",
    response_model=InvestmentAgenda,
    summary="Investment agenda: per partner and year the planned investment inside the area (from the "
    "project deliveries) and the partners' commitments",
)
def agenda(
    voorstel_id: Annotated[Id, Path()], conn: ConnDep, versie: Annotated[Versie | None, Query()] = None
) -> dict[str, Any]:
    return investment_agenda(conn, voorstel_id, versie)


@router.post(
    "/{voorstel_id}/toezeggingen",
    status_code=201,
    response_model=Commitment,
    summary="Add a partner's commitment (amount, year, theme, toegezegd or indicatief): a planner "
    "for its own organisation, a beheerder for any organisation of the gemeente",
    dependencies=[rate_limit("schrijven")],
)
def commit(
    voorstel_id: Annotated[Id, Path()], body: ToezeggingIn, request: Request, principal: Writer, db: ConnDep
) -> dict[str, Any]:
    if principal.rol == "planner" and body.partner != principal.organisatie:
        raise Forbidden(
            f"U zegt toe namens {principal.organisatie}, niet namens {body.partner}; een beheerder van de "
            "gemeente legt toezeggingen van andere organisaties vast."
        )
    with db.begin():
        gemeente = proposals.get_version(db, voorstel_id)["gemeente"]  # 404 when not readable
        if gemeente != principal.gemeente:
            raise Forbidden(f"Alleen partners van {gemeente} doen toezeggingen op dit voorstel.")
        row = proposals.add_commitment(
            db,
            voorstel_id,
            {
                **body.model_dump(exclude={"auteur"}),
                "auteur": _author(principal)["auteur"],
                "gebruiker_id": principal.gebruiker_id,
            },
        )
        _record(
            db,
            request,
            principal,
            "voorstel.toezegging",
            object_soort="voorstel",
            object_id=voorstel_id,
            na={
                "toezegging": row["id"],
                "partner": row["partner"],
                "jaar": row["jaar"],
                "bedrag_eur": row["bedrag_eur"],
                "soort": row["soort"],
            },
        )
        return row


@router.get(
    "/{voorstel_id}/dossier",
    summary="The BO dossier of a version: PDF (A4), GeoPackage, offline HTML map (folium), or all "
    "three (zip)",
    response_class=Response,
    dependencies=[rate_limit("zwaar")],
)
def dossier(
    voorstel_id: Annotated[Id, Path()],
    request: Request,
    conn: ConnDep,
    settings: SettingsDep,
    versie: Annotated[Versie | None, Query()] = None,
    formaat: Annotated[Literal["pdf", "gpkg", "html", "zip"], Query()] = "pdf",
) -> Response:
    from api.dossier import build_dossier

    files = build_dossier(conn, voorstel_id, versie, formats=(formaat,), webmap_dir=settings.webmap_dir)
    name, (body, media) = next(iter(files.items()))
    auditing.export(
        conn,
        request,
        gemeente=settings.gemeente,
        soort="dossier",
        object_id=voorstel_id,
        details={"formaat": formaat, "versie": versie, "bestand": name},
    )
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})
