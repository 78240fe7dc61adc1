"""The error statuses of every operation, written into the OpenAPI document.

Clients, the role × route matrix and schemathesis read from OpenAPI which statuses a route can
answer. Rather than repeat them in every decorator, they follow from what a route is:

- every ``/api`` operation: 401 (an unknown, expired or revoked API token is refused wherever it is
  sent) and 503 (the database cannot be reached);
- with parameters or a body: 400 (a domain check in Dutch), 404 (a chosen year, edition, period,
  gemeente or object that does not exist, or not for this user) and 422 (request validation);
- state-changing (POST, PUT, PATCH, DELETE): 403 (another site's page, a missing CSRF token, a role
  or organisation that may not) and 413 (the body limit);
- behind a rate limit (``api.ratelimit.rate_limit`` or ``WriterFirstRoute``): 429, with Retry-After;
- behind a role (``Writer``, ``Beheerder``, ``SignedIn``): 403.

Statuses a decorator documents itself (409 of the proposals, 304 of cached reads) are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api.security import Fout, WriterFirstRoute

__all__ = ["install"]

_TEXTS = {
    "304": "Niet gewijzigd sinds de ETag in If-None-Match (gecachte antwoorden)",
    "400": "Ongeldig verzoek (in het Nederlands uitgelegd)",
    "401": "Niet aangemeld, of het API-token is onbekend, verlopen of ingetrokken",
    "403": "Niet toegestaan: rol of organisatie, CSRF-token, of een verzoek van een andere website",
    "404": "Bestaat niet (of niet voor u)",
    "413": "Het verzoek is te groot",
    "422": "Ongeldige invoer (veld, waarde en wat verwacht wordt)",
    "429": "Te veel verzoeken; zie Retry-After",
    "503": "De database is niet bereikbaar",
}
_UNSAFE = {"post", "put", "patch", "delete"}


def _dependencies(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for dep in dependant.dependencies:
        if dep.call is not None:
            yield dep.call
        yield from _dependencies(dep)


def _traits(route: APIRoute) -> tuple[bool, bool]:
    """(rate limited, needs a role) of a route."""
    calls = list(_dependencies(route.dependant))
    limited = isinstance(route, WriterFirstRoute) or any(hasattr(c, "rate_limited") for c in calls)
    role = isinstance(route, WriterFirstRoute) or any(hasattr(c, "needs_role") for c in calls)
    return limited, role


def _api_routes(routes: Any) -> Iterator[APIRoute]:
    """Every APIRoute, also inside included routers (FastAPI keeps those as the routers they are;
    our routers carry their full prefix, and are included without another)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif (inner := getattr(route, "original_router", None)) is not None:
            yield from _api_routes(inner.routes)


def _document(schema: dict[str, Any], traits: dict[tuple[str, str], tuple[bool, bool]]) -> None:
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Fout"}}}
    for path, operations in schema.get("paths", {}).items():
        if not path.startswith("/api"):
            continue
        for method, op in operations.items():
            limited, role = traits.get((path, method), (False, False))
            codes = {"401", "503"}
            if op.get("parameters") or op.get("requestBody"):
                codes |= {"400", "404", "422"}
            if method in _UNSAFE:
                codes |= {"403", "413"}
            if limited:
                codes.add("429")
            if role:
                codes.add("403")
            responses = op.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(code, {"description": _TEXTS[code], "content": error})


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` document the error statuses (see the module docstring)."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = plain()
        schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
            "Fout", Fout.model_json_schema()
        )
        traits = {}
        for route in _api_routes(app.routes):
            if route.include_in_schema:
                for method in route.methods or ():
                    traits[(route.path_format, method.lower())] = _traits(route)
        _document(schema, traits)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
