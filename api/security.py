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

from collections.abc import Callable, Coroutine, Iterator
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy import Connection, Engine

from api.settings import Settings
from layers import auth
from layers.access import ANONYMOUS, ROLES, Principal, Rol, connect_as
from layers.auth import NewSession
from layers.db.connect import local_cluster
from layers.db.roles import app_engine
from sia.errors import Forbidden, Unauthorized

__all__ = [
    "CSRF_COOKIE",
    "CSRF_HEADER",
    "ERROR_RESPONSES",
    "SESSION_COOKIE",
    "Beheerder",
    "DbDep",
    "PrincipalDep",
    "RoleFirstRoute",
    "SignedIn",
    "Writer",
    "WriterFirstRoute",
    "check_role",
    "client_address",
    "declared_roles",
    "get_db",
    "get_principal",
    "install",
    "open_app_engine",
    "principal_of",
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
        app_database_url=settings.app_database_url,
        database_url=settings.database_url,
        cluster=cluster,
        pool_size=settings.db_pool,
    )


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.app_engine
    return engine


def principal_of(request: Request) -> Principal:
    """Who the request comes from (see the module docstring), read from its headers; remembered
    for the rest of the request. The one place that decides it."""
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    settings: Settings = request.app.state.settings
    principal = ANONYMOUS
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    session = request.cookies.get(SESSION_COOKIE)
    if scheme.lower() == "bearer" and credentials.strip():
        with connect_as(_engine(request), ANONYMOUS) as conn, conn.begin():
            found_token = auth.principal_for_token(conn, credentials.strip())
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


def get_principal(
    request: Request,
    session: Annotated[str | None, Depends(_cookie)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The one authentication dependency (``principal_of``); its parameters only document the two
    ways to sign in (session cookie, API token) in OpenAPI."""
    return principal_of(request)


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
        return check_role(principal, *roles)

    dependency.needs_role = roles  # type: ignore[attr-defined]  # read by api.openapi

    return Depends(dependency)


def check_role(principal: Principal, *roles: Rol) -> Principal:
    """401 for anonymous, 403 for a role not among ``roles`` (Dutch)."""
    if principal.anoniem:
        raise Unauthorized("Meld u aan om dit te doen.")
    if principal.rol not in roles:
        raise Forbidden(f"Dit vraagt de rol {' of '.join(roles)}; u bent {principal.rol}.")
    return principal


require_signed_in.needs_role = ROLES  # type: ignore[attr-defined]  # read by api.openapi
SignedIn = Annotated[Principal, Depends(require_signed_in)]
Writer = Annotated[Principal, require_role("planner", "beheerder")]
Beheerder = Annotated[Principal, require_role("beheerder")]


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for dep in dependant.dependencies:
        if dep.call is not None:
            yield dep.call
        yield from _calls(dep)


def declared_roles(dependant: Dependant) -> tuple[Rol, ...] | None:
    """The roles a route lets through, read from its dependencies' declarations (``needs_role`` of
    :func:`require_role` and ``SignedIn``; several declarations: the roles all of them allow);
    None when the route needs no sign-in."""
    roles: tuple[Rol, ...] | None = None
    for call in _calls(dependant):
        needed = getattr(call, "needs_role", None)
        if needed is not None:
            roles = tuple(needed) if roles is None else tuple(r for r in roles if r in needed)
    return roles


class RoleFirstRoute(APIRoute):
    """A route that checks the role its dependencies declare (``Writer``, ``Beheerder``,
    ``SignedIn``) *before* the request body is read, for state-changing methods: FastAPI reads and
    parses a JSON body or a form before it runs dependencies, so without this an anonymous client
    could make the server take in and parse a body up to the route's limit only to be refused.
    Anonymous: 401, another role: 403 (an unknown API token or a missing CSRF token as ever).
    The dependency itself still runs afterwards (it documents the route and hands the principal
    over; the principal is looked up once per request)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        roles = declared_roles(self.dependant)
        if roles is None or not (self.methods or set()) & _UNSAFE:
            return handler
        return self._checked(handler, roles)

    def _checked(
        self, handler: Callable[[Request], Coroutine[Any, Any, Response]], roles: tuple[Rol, ...]
    ) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        async def checked(request: Request) -> Response:
            if request.method in _UNSAFE:
                principal = await run_in_threadpool(principal_of, request)
                check_role(principal, *roles)
                self.before_body(request, principal)
            return await handler(request)

        return checked

    def before_body(self, request: Request, principal: Principal) -> None:
        """More checks before the body is read (none here)."""


class WriterFirstRoute(RoleFirstRoute):
    """A :class:`RoleFirstRoute` for uploads that also counts the write rate limit before the body
    is read (an upload may be 50 MB). Every route of such a router must declare ``Writer``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        roles = declared_roles(self.dependant)
        if roles is None or set(roles) - {"planner", "beheerder"}:
            raise TypeError(f"{self.path}: a WriterFirstRoute must declare the Writer dependency")
        return super().get_route_handler()

    def before_body(self, request: Request, principal: Principal) -> None:
        from api.ratelimit import enforce

        enforce(request, "schrijven", f"gebruiker:{principal.gebruiker_id}")


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
}
TOO_MANY: dict[int | str, dict[str, Any]] = {
    429: {"model": Fout, "description": "Te veel verzoeken; zie Retry-After"}
}
"""Documented error statuses of the routes behind sign-in (the role matrix and schemathesis of
phase 2 read them from OpenAPI)."""


def install(app: FastAPI) -> None:
    """The rate limiter's and the sign-in throttle's state; called once by ``create_app`` (401
    and 429 are mapped with the other domain errors in ``api/errors.py``)."""
    from api.ratelimit import RateLimiter

    app.state.rate_limiter = RateLimiter()
    app.state.signin_throttle = auth.SignInThrottle()
