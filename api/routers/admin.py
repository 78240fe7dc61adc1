"""Administration for beheerders: the users of their gemeente and the audit trail.

Everything here is limited to the beheerder's own gemeente; users of another gemeente do not
exist for it (404). Each change is written to the audit trail in the same transaction.
The routes are shaped for a small admin page: a list, a form (organisations to choose from),
one PATCH per change, the audit trail per page (``voor_id``) and as CSV.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.ratelimit import rate_limit
from api.security import ERROR_RESPONSES, Beheerder, DbDep, RoleFirstRoute, client_address
from api.types import Id, Naam
from layers import audit, auth
from layers.access import Principal
from sia.errors import Forbidden, InvalidInput

router = APIRouter(
    prefix="/api/admin", tags=["beheer"], responses=ERROR_RESPONSES, route_class=RoleFirstRoute
)

RolNaam = Literal["beheerder", "planner", "lezer"]


class OrganisatieOut(BaseModel):
    id: int
    naam: str
    soort: str
    slug: str


class GebruikerOut(BaseModel):
    id: int
    email: str
    naam: str
    rol: RolNaam
    actief: bool
    organisatie_id: int
    organisatie: str
    gemeente: str
    met_wachtwoord: bool
    aangemaakt: datetime
    laatst_aangemeld: datetime | None


class NieuweGebruiker(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: Annotated[str, StringConstraints(min_length=3, max_length=254)]
    naam: Naam
    organisatie_id: Id
    rol: RolNaam
    wachtwoord: Annotated[str | None, StringConstraints(max_length=1024)] = Field(
        None, description="leeg: een tijdelijk wachtwoord wordt gemaakt en eenmalig getoond"
    )


class NieuweGebruikerOut(BaseModel):
    gebruiker: GebruikerOut
    tijdelijk_wachtwoord: str | None = None


class Wijziging(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rol: RolNaam | None = None
    actief: bool | None = None


class WijzigingOut(BaseModel):
    voor: GebruikerOut
    na: GebruikerOut


class WachtwoordOut(BaseModel):
    tijdelijk_wachtwoord: str


class AuditRij(BaseModel):
    id: int
    tijdstip: datetime
    gebruiker_id: int | None
    gebruiker: str | None
    organisatie: str | None
    gemeente: str | None
    actie: str
    object_soort: str | None
    object_id: str | None
    voor: dict[str, Any] | None
    na: dict[str, Any] | None
    client: str | None
    details: dict[str, Any]


class AuditOut(BaseModel):
    rijen: list[AuditRij]
    volgende_voor_id: int | None = Field(description="geef dit als voor_id voor de volgende bladzijde")


def _gemeente(p: Principal) -> str:
    assert p.gemeente is not None
    return p.gemeente


def _refs(user: dict[str, Any]) -> dict[str, Any]:
    """What the audit trail keeps of a user: references, not personal data beyond the address."""
    return {k: user[k] for k in ("email", "rol", "actief", "organisatie_id")}


@router.get("/organisaties", response_model=list[OrganisatieOut], summary="Organisations of my gemeente")
def organisations(principal: Beheerder, db: DbDep) -> list[OrganisatieOut]:
    return [OrganisatieOut(**o) for o in auth.organisations(db, gemeente=_gemeente(principal))]


@router.get("/gebruikers", response_model=list[GebruikerOut], summary="Users of my gemeente")
def users(principal: Beheerder, db: DbDep) -> list[GebruikerOut]:
    return [GebruikerOut(**u) for u in auth.list_users(db, gemeente=_gemeente(principal))]


@router.post(
    "/gebruikers",
    status_code=201,
    response_model=NieuweGebruikerOut,
    summary="Add a user to an organisation of my gemeente",
    dependencies=[rate_limit("schrijven")],
)
def add_user(body: NieuweGebruiker, request: Request, principal: Beheerder, db: DbDep) -> NieuweGebruikerOut:
    gemeente = _gemeente(principal)
    temporary = None if body.wachtwoord else secrets.token_urlsafe(12)
    with db.begin():
        if body.organisatie_id not in {o["id"] for o in auth.organisations(db, gemeente=gemeente)}:
            raise InvalidInput(
                f"Organisatie {body.organisatie_id} is geen actieve organisatie van {gemeente}."
            )
        user = auth.create_user(
            db,
            email=body.email,
            naam=body.naam,
            organisatie_id=body.organisatie_id,
            rol=body.rol,
            wachtwoord=body.wachtwoord or temporary,
        )
        audit.record(
            db,
            "gebruiker.toegevoegd",
            principal=principal,
            object_soort="gebruiker",
            object_id=user["id"],
            na=_refs(user),
            client=client_address(request),
        )
    return NieuweGebruikerOut(gebruiker=GebruikerOut(**user), tijdelijk_wachtwoord=temporary)


@router.patch(
    "/gebruikers/{gebruiker_id}",
    response_model=WijzigingOut,
    summary="Change a user's role, or disable / enable the user",
    dependencies=[rate_limit("schrijven")],
)
def change_user(
    gebruiker_id: Annotated[Id, Path()], body: Wijziging, request: Request, principal: Beheerder, db: DbDep
) -> WijzigingOut:
    if body.rol is None and body.actief is None:
        raise InvalidInput("Geef 'rol' of 'actief' op.")
    if gebruiker_id == principal.gebruiker_id:
        raise Forbidden("U kunt uw eigen rol of account niet wijzigen; vraag een andere beheerder.")
    with db.begin():
        before, after = auth.update_user(
            db, gebruiker_id, gemeente=_gemeente(principal), rol=body.rol, actief=body.actief
        )
        audit.record(
            db,
            "gebruiker.gewijzigd",
            principal=principal,
            object_soort="gebruiker",
            object_id=gebruiker_id,
            voor=_refs(before),
            na=_refs(after),
            client=client_address(request),
        )
    return WijzigingOut(voor=GebruikerOut(**before), na=GebruikerOut(**after))


@router.post(
    "/gebruikers/{gebruiker_id}/wachtwoord",
    response_model=WachtwoordOut,
    summary="Give a user a new temporary password (ends the user's sessions)",
    dependencies=[rate_limit("schrijven")],
)
def reset_password(
    gebruiker_id: Annotated[Id, Path()], request: Request, principal: Beheerder, db: DbDep
) -> WachtwoordOut:
    temporary = secrets.token_urlsafe(12)
    with db.begin():
        user = auth.get_user(db, gebruiker_id, gemeente=_gemeente(principal))
        auth.set_password(db, gebruiker_id, temporary)
        audit.record(
            db,
            "gebruiker.gewijzigd",
            principal=principal,
            object_soort="gebruiker",
            object_id=gebruiker_id,
            na={"email": user["email"], "wachtwoord": "opnieuw ingesteld"},
            client=client_address(request),
        )
    return WachtwoordOut(tijdelijk_wachtwoord=temporary)


def _audit_rows(
    principal: Principal,
    db: Any,
    *,
    limit: int,
    voor_id: int | None,
    actie: str | None,
    gebruiker_id: int | None,
    van: datetime | None,
    tot: datetime | None,
) -> list[dict[str, Any]]:
    return audit.read(
        db,
        gemeente=_gemeente(principal),
        limit=limit,
        voor_id=voor_id,
        actie=actie,
        gebruiker_id=gebruiker_id,
        van=van,
        tot=tot,
    )


_Actie = Annotated[str | None, Query(pattern=r"^[a-z][a-z_.]{1,59}$")]


@router.get("/audit", response_model=AuditOut, summary="The audit trail of my gemeente, newest first")
def audit_trail(
    principal: Beheerder,
    db: DbDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    voor_id: Annotated[Id | None, Query()] = None,
    actie: _Actie = None,
    gebruiker_id: Annotated[Id | None, Query()] = None,
    van: datetime | None = None,
    tot: datetime | None = None,
) -> AuditOut:
    rows = _audit_rows(
        principal, db, limit=limit, voor_id=voor_id, actie=actie, gebruiker_id=gebruiker_id, van=van, tot=tot
    )
    nxt = rows[-1]["id"] if len(rows) == limit else None
    return AuditOut(rijen=[AuditRij(**r) for r in rows], volgende_voor_id=nxt)


@router.get(
    "/audit.csv",
    response_class=Response,
    summary="The audit trail of my gemeente as CSV",
    responses={200: {"content": {"text/csv": {}}}},
    dependencies=[rate_limit("zwaar")],
)
def audit_csv(
    request: Request,
    principal: Beheerder,
    db: DbDep,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 10_000,
    actie: _Actie = None,
    gebruiker_id: Annotated[Id | None, Query()] = None,
    van: datetime | None = None,
    tot: datetime | None = None,
) -> Response:
    with db.begin():
        rows = _audit_rows(
            principal, db, limit=limit, voor_id=None, actie=actie, gebruiker_id=gebruiker_id, van=van, tot=tot
        )
        audit.record(
            db,
            "audit.export",
            principal=principal,
            object_soort="audit",
            details={"rijen": len(rows), "actie": actie, "gebruiker_id": gebruiker_id},
            client=client_address(request),
        )
    return Response(
        content=audit.to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="audit-{_gemeente(principal)}.csv"'},
    )
