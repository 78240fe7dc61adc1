"""Authentication as one dependency, and the database connection that carries its principal.

:func:`get_principal` is the only place that decides who a request comes from:

- ``Authorization: Bearer sia_…`` → the user of that API token (an unknown, revoked or expired
  token is a 401, never silently anonymous);
- else the session cookie ``sia_sessie`` → the user of that session; a state-changing request
  (POST, PUT, PATCH, DELETE) must also send the session's CSRF token in ``X-CSRF-Token`` (the
  value of the readable cookie ``sia_csrf``), else 403. An unknown or expired session is anonymous;
- else anonymous.

An OpenID Connect provider is one more branch here that ends in a :class:`~layers.access.Principal`;
routers only see the principal, so none of them changes.

:func:`get_db` yields a connection of the application's engine (the role ``sia_app``, which cannot
bypass row-level security); every transaction on it sets the principal's ``sia.*`` settings
first (``layers.access``), so PostgreSQL filters partner rows itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy import Connection, Engine

from api.settings import Settings
from layers import auth
from layers.access import ANONYMOUS, Principal, Rol, connect_as
from layers.auth import NewSession
from layers.db.connect import local_cluster
from layers.db.roles import app_engine
from sia.errors import Forbidden, TooManyRequests, Unauthorized

__all__ = [
    "CSRF_COOKIE",
    "CSRF_HEADER",
    "ERROR_RESPONSES",
    "SESSION_COOKIE",
    "Beheerder",
    "DbDep",
    "PrincipalDep",
    "SignedIn",
    "Writer",
    "client_address",
    "get_db",
    "get_principal",
    "install",
    "open_app_engine",
    "require_role",
]

SESSION_COOKIE = "sia_sessie"
CSRF_COOKIE = "sia_csrf"
CSRF_HEADER = "X-CSRF-Token"
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_cookie = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    scheme_name="sessie",
    description="Session cookie of POST /api/auth/aanmelden; state-changing requests also send "
    f"the value of the cookie {CSRF_COOKIE} in the header {CSRF_HEADER}.",
)
_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="API token for scripts (POST /api/auth/tokens or `sia user token`).",
)


def open_app_engine(settings: Settings) -> Engine:
    """The application's engine (``layers.db.roles.app_engine``), for the app's lifespan."""
    cluster = None
    if not settings.app_database_url and not settings.database_url:
        cluster = local_cluster(settings.home, settings.pg_port)
    return app_engine(
        app_database_url=settings.app_database_url, database_url=settings.database_url, cluster=cluster
    )


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.app_engine
    return engine


def get_principal(
    request: Request,
    session: Annotated[str | None, Depends(_cookie)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """Who the request comes from (see the module docstring). The one authentication dependency."""
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    settings: Settings = request.app.state.settings
    principal = ANONYMOUS
    if bearer is not None:
        with connect_as(_engine(request), ANONYMOUS) as conn, conn.begin():
            found_token = auth.principal_for_token(conn, bearer.credentials)
        if found_token is None:
            raise Unauthorized("Het API-token is onbekend, verlopen of ingetrokken.")
        principal = found_token
    elif session:
        with connect_as(_engine(request), ANONYMOUS) as conn, conn.begin():
            found = auth.principal_for_session(
                conn, session, inactief=timedelta(minutes=settings.sessie_inactief_minuten)
            )
        if found is not None:
            principal, csrf_hash = found
            if request.method in _UNSAFE and not auth.check_csrf(csrf_hash, request.headers.get(CSRF_HEADER)):
                raise Forbidden(
                    f"Dit verzoek mist het CSRF-token van uw sessie (kopregel {CSRF_HEADER}); "
                    "laad de pagina opnieuw."
                )
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def get_db(request: Request, principal: PrincipalDep) -> Iterator[Connection]:
    """A connection as the app role; each of its transactions runs for the request's principal."""
    with connect_as(_engine(request), principal) as conn:
        yield conn


DbDep = Annotated[Connection, Depends(get_db)]


def require_signed_in(principal: PrincipalDep) -> Principal:
    if principal.anoniem:
        raise Unauthorized("Meld u aan om dit te doen.")
    return principal


def require_role(*roles: Rol) -> Any:
    """A dependency that lets only signed-in users with one of ``roles`` through (401/403)."""

    def dependency(principal: PrincipalDep) -> Principal:
        if principal.anoniem:
            raise Unauthorized("Meld u aan om dit te doen.")
        if principal.rol not in roles:
            raise Forbidden(f"Dit vraagt de rol {' of '.join(roles)}; u bent {principal.rol}.")
        return principal

    return Depends(dependency)


SignedIn = Annotated[Principal, Depends(require_signed_in)]
Writer = Annotated[Principal, require_role("planner", "beheerder")]
Beheerder = Annotated[Principal, require_role("beheerder")]


# -- cookies -------------------------------------------------------------------------------------


def _secure(request: Request, settings: Settings) -> bool:
    if settings.cookie_secure == "auto":
        return request.url.scheme == "https"
    return settings.cookie_secure == "true"


def set_session_cookies(response: Response, request: Request, session: NewSession) -> None:
    settings: Settings = request.app.state.settings
    secure = _secure(request, settings)
    max_age = int(settings.sessie_uren * 3600)
    common: dict[str, Any] = {"max_age": max_age, "path": "/", "samesite": "lax", "secure": secure}
    response.set_cookie(SESSION_COOKIE, session.token, httponly=True, **common)
    response.set_cookie(CSRF_COOKIE, session.csrf, httponly=False, **common)


def clear_session_cookies(response: Response, request: Request) -> None:
    secure = _secure(request, request.app.state.settings)
    for name, httponly in ((SESSION_COOKIE, True), (CSRF_COOKIE, False)):
        response.delete_cookie(name, path="/", secure=secure, httponly=httponly, samesite="lax")


# -- errors --------------------------------------------------------------------------------------


class Fout(BaseModel):
    """The body of every error answer (api/errors.py)."""

    fout: str
    melding: str
    details: list[dict[str, Any]] | None = None


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": Fout, "description": "Ongeldig verzoek"},
    401: {"model": Fout, "description": "Niet aangemeld, of het token klopt niet"},
    403: {"model": Fout, "description": "Niet toegestaan (rol, CSRF-token, uitgeschakeld account)"},
    404: {"model": Fout, "description": "Bestaat niet (of niet voor u)"},
    429: {"model": Fout, "description": "Te veel verzoeken; zie Retry-After"},
}
"""Documented error statuses of the routes behind sign-in (the role matrix and schemathesis of
phase 2 read them from OpenAPI)."""


async def _unauthorized(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Unauthorized)
    return JSONResponse(
        status_code=401,
        content={"fout": "Unauthorized", "melding": exc.message},
        headers={"WWW-Authenticate": 'Bearer realm="sia"'},
    )


async def _too_many(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TooManyRequests)
    return JSONResponse(
        status_code=429,
        content={"fout": "TooManyRequests", "melding": exc.message},
        headers={"Retry-After": str(int(exc.retry_after))},
    )


def install(app: FastAPI) -> None:
    """Error mapping for 401/429 and the rate limiter's state; called once by ``create_app``."""
    from api.ratelimit import RateLimiter

    app.add_exception_handler(Unauthorized, _unauthorized)
    app.add_exception_handler(TooManyRequests, _too_many)
    app.state.rate_limiter = RateLimiter()
