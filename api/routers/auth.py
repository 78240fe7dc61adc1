"""Sign-in and sign-out, "who am I", and API tokens for scripts.

The map's sign-in form posts e-mail and password to ``/api/auth/aanmelden``; the answer sets the
HttpOnly session cookie and a readable CSRF cookie, whose value every state-changing request sends
back in ``X-CSRF-Token``. ``/api/auth/ik`` tells the map who is signed in (or nobody).
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import Connection

from api.ratelimit import enforce, rate_limit
from api.security import (
    ERROR_RESPONSES,
    SESSION_COOKIE,
    TOO_MANY,
    DbDep,
    PrincipalDep,
    RoleFirstRoute,
    SignedIn,
    clear_session_cookies,
    client_address,
    set_session_cookies,
)
from api.settings import Settings
from api.types import Id, Naam
from layers import audit, auth
from layers.access import ANONYMOUS, Principal, connect_as
from sia.errors import Forbidden, InvalidInput, Unauthorized

router = APIRouter(
    prefix="/api/auth", tags=["aanmelden"], responses=ERROR_RESPONSES, route_class=RoleFirstRoute
)


class Aanmelding(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: Annotated[str, StringConstraints(min_length=3, max_length=254)]
    wachtwoord: Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class GebruikerOut(BaseModel):
    id: int
    email: str
    naam: str
    rol: Literal["beheerder", "planner", "lezer"]
    organisatie_id: int
    organisatie: str
    organisatie_soort: str
    gemeente: str
    via: Literal["sessie", "token"] | None = None


class IkOut(BaseModel):
    aangemeld: bool
    gebruiker: GebruikerOut | None = None


class AangemeldOut(IkOut):
    csrf_token: str = Field(description="also in the cookie sia_csrf; send it as X-CSRF-Token")
    verloopt_op: datetime


class NieuwWachtwoord(BaseModel):
    model_config = ConfigDict(extra="forbid")
    huidig: Annotated[str, StringConstraints(min_length=1, max_length=1024)]
    nieuw: Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    naam: Naam
    geldig_dagen: int | None = Field(None, ge=1, le=3650, description="leeg: geldig tot intrekken")


class TokenOut(BaseModel):
    id: int
    naam: str
    prefix: str
    aangemaakt: datetime
    verloopt_op: datetime | None
    laatst_gebruikt: datetime | None
    ingetrokken_op: datetime | None


class NieuwTokenOut(TokenOut):
    token: str = Field(description="shown once; store it safely")


def _gebruiker(p: Principal) -> GebruikerOut:
    assert p.gebruiker_id is not None and p.organisatie_id is not None and p.rol is not None
    return GebruikerOut(
        id=p.gebruiker_id,
        email=p.email or "",
        naam=p.naam or "",
        rol=p.rol,
        organisatie_id=p.organisatie_id,
        organisatie=p.organisatie or "",
        organisatie_soort=p.organisatie_soort or "",
        gemeente=p.gemeente or "",
        via=p.via,
    )


WRONG = (
    "E-mailadres of wachtwoord klopt niet. Na 5 mislukte pogingen kunt u het pas na enkele minuten "
    "opnieuw proberen."
)
"""The one answer to a wrong password, an unknown address and a client that has to wait: the
answers never tell which addresses have an account (``layers.auth.SignInThrottle``)."""


@router.post(
    "/aanmelden",
    response_model=AangemeldOut,
    summary="Sign in (sets the session cookie)",
    description="A wrong password, an unknown address and too many failures from this client for "
    "this address all get the same 401. After many failures for one address (from anywhere) every "
    "attempt for it is answered a few seconds later; nobody is locked out by someone else.",
    responses=TOO_MANY,
)
async def sign_in(body: Aanmelding, request: Request, response: Response) -> AangemeldOut:
    client = client_address(request)
    enforce(request, "aanmelden", f"ip:{client}")  # per client, whatever the address
    throttle: auth.SignInThrottle = request.app.state.signin_throttle
    # not an address: no account can have it (answered below like a wrong password)
    with contextlib.suppress(InvalidInput):
        await throttle.wait(auth.normalise_email(body.email))  # a slowdown, the same for every answer
    result, session = await run_in_threadpool(_sign_in, request, body, client, throttle)
    if result.reden == "uitgeschakeld":  # only said to whoever knows the password
        raise Forbidden("Dit account is uitgeschakeld; vraag de beheerder van uw organisatie.")
    if result.principal is None or session is None:
        raise Unauthorized(WRONG)
    set_session_cookies(response, request, session)
    return AangemeldOut(
        aangemeld=True,
        gebruiker=_gebruiker(replace(result.principal, via="sessie", sessie_id=session.id)),
        csrf_token=session.csrf,
        verloopt_op=session.verloopt_op,
    )


def _sign_in(
    request: Request, body: Aanmelding, client: str | None, throttle: auth.SignInThrottle
) -> tuple[auth.SignIn, auth.NewSession | None]:
    """Check the password and start a session, in one transaction that is committed also when the
    sign-in fails (its audit row)."""
    settings: Settings = request.app.state.settings
    previous = request.cookies.get(SESSION_COOKIE)
    session = None
    with connect_as(request.app.state.app_engine, ANONYMOUS) as conn, conn.begin():
        result = auth.sign_in(conn, body.email, body.wachtwoord, client=client, throttle=throttle)
        if result.principal is None:
            _record_failure(conn, result, body.email, client)
        else:
            session = auth.create_session(
                conn, result.gebruiker_id or 0, duur=timedelta(hours=settings.sessie_uren), client=client
            )
            if previous:  # a browser that still had a session: end that one
                auth.end_session_token(conn, previous)
            audit.record(
                conn,
                "aanmelden",
                principal=result.principal,
                object_soort="sessie",
                object_id=session.id,
                client=client,
            )
    return result, session


def _record_failure(conn: Connection, result: auth.SignIn, email: str, client: str | None) -> None:
    try:  # keep what was typed only when it is an address (not a password typed in the wrong field)
        tried = auth.normalise_email(email)
    except InvalidInput:
        tried = "(geen e-mailadres)"
    audit.record(
        conn,
        "aanmelden.mislukt",
        gebruiker_id=result.gebruiker_id,
        client=client,
        details={"reden": result.reden, "email": tried},
    )


@router.post("/afmelden", status_code=204, summary="Sign out (ends the session, clears the cookies)")
def sign_out(request: Request, principal: PrincipalDep, db: DbDep) -> Response:
    if principal.via == "token":
        raise InvalidInput(
            "Afmelden geldt voor een sessie; trek een API-token in met DELETE /api/auth/tokens/{id}."
        )
    if principal.sessie_id is not None:
        with db.begin():
            auth.end_session(db, principal.sessie_id)
            audit.record(
                db,
                "afmelden",
                principal=principal,
                object_soort="sessie",
                object_id=principal.sessie_id,
                client=client_address(request),
            )
    response = Response(status_code=204)
    clear_session_cookies(response, request)
    return response


@router.get("/ik", response_model=IkOut, summary="Who is signed in (nobody: aangemeld false)")
def who_am_i(principal: PrincipalDep) -> IkOut:
    if principal.anoniem:
        return IkOut(aangemeld=False)
    return IkOut(aangemeld=True, gebruiker=_gebruiker(principal))


@router.post(
    "/wachtwoord",
    status_code=204,
    summary="Change my password (my other sessions end)",
    responses=TOO_MANY,
)
def change_password(body: NieuwWachtwoord, request: Request, principal: SignedIn, db: DbDep) -> Response:
    assert principal.gebruiker_id is not None
    enforce(request, "aanmelden", f"gebruiker:{principal.gebruiker_id}")  # it checks a password
    with db.begin():
        if not auth.check_own_password(db, principal.gebruiker_id, body.huidig):
            raise Forbidden("Het huidige wachtwoord klopt niet.")
        auth.set_password(db, principal.gebruiker_id, body.nieuw, behalve_sessie=principal.sessie_id)
        audit.record(
            db,
            "gebruiker.gewijzigd",
            principal=principal,
            object_soort="gebruiker",
            object_id=principal.gebruiker_id,
            na={"wachtwoord": "gewijzigd"},
            client=client_address(request),
        )
    return Response(status_code=204)


@router.get("/tokens", response_model=list[TokenOut], summary="My API tokens")
def my_tokens(principal: SignedIn, db: DbDep) -> list[TokenOut]:
    assert principal.gebruiker_id is not None
    return [TokenOut(**t) for t in auth.list_tokens(db, principal.gebruiker_id)]


@router.post(
    "/tokens",
    status_code=201,
    response_model=NieuwTokenOut,
    summary="Create an API token (shown once)",
    dependencies=[rate_limit("schrijven")],
)
def create_token(body: TokenIn, request: Request, principal: SignedIn, db: DbDep) -> NieuwTokenOut:
    assert principal.gebruiker_id is not None
    geldig = None if body.geldig_dagen is None else timedelta(days=body.geldig_dagen)
    with db.begin():
        token, row = auth.create_token(db, principal.gebruiker_id, body.naam, geldig=geldig)
        audit.record(
            db,
            "token.aangemaakt",
            principal=principal,
            object_soort="api_token",
            object_id=row["id"],
            na={"naam": row["naam"], "prefix": row["prefix"], "verloopt_op": row["verloopt_op"]},
            client=client_address(request),
        )
    return NieuwTokenOut(token=token, **row)


@router.delete(
    "/tokens/{token_id}",
    response_model=TokenOut,
    summary="Revoke one of my API tokens",
    dependencies=[rate_limit("schrijven")],
)
def revoke_token(
    token_id: Annotated[Id, Path()], request: Request, principal: SignedIn, db: DbDep
) -> TokenOut:
    with db.begin():
        row = auth.revoke_token(db, token_id, gebruiker_id=principal.gebruiker_id)
        audit.record(
            db,
            "token.ingetrokken",
            principal=principal,
            object_soort="api_token",
            object_id=token_id,
            na={"ingetrokken_op": row["ingetrokken_op"]},
            client=client_address(request),
        )
    mine = auth.list_tokens(db, principal.gebruiker_id or 0)
    return next(TokenOut(**t) for t in mine if t["id"] == token_id)
