"""Domain errors → HTTP status: one table, one installer. Unexpected errors give a generic 500.

Every body a client gets is Dutch and has the same shape (``fout``, ``melding``, optional
``details``): domain errors, request validation (422), HTTP errors from the framework (404, 405,
413, a malformed form), an unreachable database (503) and unexpected errors (500, logged). Values
are echoed back only in part (at most 200 characters, control characters escaped, NaN and Infinity
as text), so an answer never repeats a hostile body in full.
"""

from __future__ import annotations

import json
import logging
import math
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException

from api.middleware import BODY_LIMIT_KEY, too_large
from sia.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    InvalidUpload,
    NotFound,
    SetupError,
    SiaError,
    TooManyRequests,
    Unauthorized,
)

log = logging.getLogger("sia.api")

STATUS_CODES: dict[type[SiaError], int] = {
    NotFound: 404,
    InvalidUpload: 422,
    InvalidInput: 400,
    Forbidden: 403,
    Unauthorized: 401,
    TooManyRequests: 429,
    Conflict: 409,
    SetupError: 503,
    SiaError: 400,
}


def _status_for(exc: SiaError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_CODES:
            return STATUS_CODES[cls]
    return 400


_SHOWN = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def shown(value: Any, limit: int = _SHOWN) -> Any:
    """A value as it may be echoed: JSON-safe (NaN and Infinity as text), control characters
    escaped, texts cut to ``limit`` characters; containers are shown as cut JSON text."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if not isinstance(value, str):
        try:
            value = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            value = str(value)
    if _CONTROL.search(value):
        value = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _safe(item: Any) -> Any:
    """A detail dict (or list) with every value made JSON-safe and cut."""
    if isinstance(item, dict):
        return {k: (_safe(v) if isinstance(v, dict | list) else shown(v, 1000)) for k, v in item.items()}
    if isinstance(item, list):
        return [_safe(v) for v in item[:200]]
    return shown(item, 1000)


def _headers(exc: SiaError) -> dict[str, str] | None:
    """401 names the schemes a client may use; 429 says when to come back."""
    if isinstance(exc, Unauthorized):
        return {"WWW-Authenticate": 'Bearer realm="sia"'}
    if isinstance(exc, TooManyRequests):
        return {"Retry-After": str(max(1, math.ceil(exc.retry_after)))}
    return None


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SiaError)
    body: dict[str, object] = {"fout": type(exc).__name__, "melding": shown(exc.message, 4000)}
    if exc.details:
        body["details"] = _safe(exc.details)
    return JSONResponse(status_code=_status_for(exc), content=body, headers=_headers(exc))


# pydantic error type → Dutch text ({...} filled from the error's context)
_DUTCH: dict[str, str] = {
    "missing": "ontbreekt",
    "greater_than_equal": "moet minstens {ge} zijn",
    "greater_than": "moet groter zijn dan {gt}",
    "less_than_equal": "mag hoogstens {le} zijn",
    "less_than": "moet kleiner zijn dan {lt}",
    "string_pattern_mismatch": "heeft niet de juiste vorm; verwacht {pattern}",
    "string_too_short": "is te kort (minstens {min_length} tekens)",
    "string_too_long": "is te lang (hoogstens {max_length} tekens)",
    "int_parsing": "is geen geheel getal",
    "int_from_float": "is geen geheel getal",
    "float_parsing": "is geen getal",
    "finite_number": "moet een eindig getal zijn",
    "bool_parsing": "is geen ja/nee-waarde (true of false)",
    "literal_error": "moet een van {expected} zijn",
    "enum": "moet een van {expected} zijn",
    "extra_forbidden": "is geen bekend veld",
    "dict_type": "moet een object zijn ({{...}})",
    "list_type": "moet een lijst zijn",
    "json_invalid": "is geen geldige JSON",
    "model_attributes_type": "moet een object zijn ({{...}})",
    "string_type": "moet tekst zijn",
    "int_type": "moet een geheel getal zijn",
    "float_type": "moet een getal zijn",
    "bool_type": "moet true of false zijn",
    "too_long": "heeft te veel elementen (hoogstens {max_length})",
    "too_short": "heeft te weinig elementen (minstens {min_length})",
    "string_unicode": "is geen geldige tekst (UTF-8)",
    "string_sub_type": "moet tekst zijn",
    "bytes_type": "moet een bestand zijn",
    "url_parsing": "is geen geldige URL",
    "date_parsing": "is geen geldige datum (jjjj-mm-dd)",
    "datetime_parsing": "is geen geldige datum en tijd",
    "multiple_of": "moet een veelvoud zijn van {multiple_of}",
    "union_tag_invalid": "heeft een onbekende soort; verwacht {expected_tags}",
    "missing_argument": "ontbreekt",
}


# regular expressions of our own fields → what a planner should type
_PATTERNS: dict[str, str] = {
    r"^\d{4}-(voorjaar|najaar)$": "jaar-voorjaar of jaar-najaar, bijv. 2026-najaar",
    r"^GM\d{4}$": "een CBS-gemeentecode als GM0153",
    r"^[a-z][a-z0-9_]*$": "kleine letters, cijfers en _ (bijv. default)",
    "^(bezit|projecten|verkoop)$": "bezit, projecten of verkoop",
}


def _choices(expected: str) -> str:
    """pydantic's list of valid values joined in Dutch: ``'a', 'b' or 'c'`` (literals, enums) and
    ``'a', 'b', 'c'`` (union tags) become ``'a', 'b' of 'c'``."""
    head, sep, last = expected.rpartition(" or ")
    if not sep:
        head, sep, last = expected.rpartition(", ")
    return f"{head} of {last}" if sep else expected


def _dutch(error: dict[str, Any]) -> dict[str, Any]:
    kind = str(error.get("type", ""))
    loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "form")]
    if kind == "json_invalid":  # loc holds the position where the JSON broke off
        position = f" (fout bij teken {loc[0]})" if loc else ""
        return {
            "veld": "verzoek",
            "melding": f"Het verzoek is geen geldige JSON{position}.",
            "waarde": None,
            "type": kind,
        }
    field = ".".join(loc) or "verzoek"
    ctx = {k: v for k, v in (error.get("ctx") or {}).items() if k != "error"}
    if "pattern" in ctx:
        ctx["pattern"] = _PATTERNS.get(str(ctx["pattern"]), f"'{ctx['pattern']}'")
    for key in ("expected", "expected_tags"):
        if key in ctx:
            ctx[key] = _choices(str(ctx[key]))
    if kind in ("value_error", "assertion_error"):
        # our own validators (e.g. unknown method, control characters) say what is valid in Dutch
        text = str(error.get("msg", kind)).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    elif kind in _DUTCH:
        try:
            text = _DUTCH[kind].format(**ctx)
        except (KeyError, IndexError):
            text = "is ongeldig"
    else:  # a pydantic type without a Dutch text: never show its English message
        text = f"is ongeldig ({kind})"
    value = None if kind == "missing" else shown(error.get("input"))
    return {
        "veld": shown(field, 100),
        "melding": shown(f"'{field}' {text}", 400),
        "waarde": value,
        "type": kind,
    }


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [_dutch(dict(e)) for e in exc.errors()[:50]]
    summary = "; ".join(d["melding"] for d in details[:5])
    more = f" (en nog {len(exc.errors()) - 5})" if len(exc.errors()) > 5 else ""
    return JSONResponse(
        status_code=422,
        content={
            "fout": "OngeldigVerzoek",
            "melding": f"Ongeldige invoer: {summary}{more}.",
            "details": details,
        },
    )


# status → what a planner reads when the framework itself refuses a request
_HTTP_DUTCH: dict[int, tuple[str, str]] = {
    400: (
        "OngeldigVerzoek",
        "Het verzoek kan niet worden gelezen (onvolledig of beschadigd formulier of bestand).",
    ),
    404: ("NietGevonden", "Deze pagina of route bestaat niet."),
    405: ("MethodeNietToegestaan", "Deze route kan niet op deze manier worden aangeroepen."),
    413: ("TeGroot", "Het verzoek is te groot."),
    415: ("OngeldigType", "Dit soort inhoud wordt hier niet aangenomen."),
}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    fout, melding = _HTTP_DUTCH.get(exc.status_code, ("Fout", "Het verzoek is niet gelukt."))
    if exc.status_code == 413:
        limit = request.scope.get(BODY_LIMIT_KEY)
        melding = too_large(limit if isinstance(limit, int) else None)
    elif getattr(exc, "dutch", False) or type(exc).__name__ == "InvalidJsonNumber":
        fout, melding = "OngeldigVerzoek", str(exc.detail)
    elif exc.status_code == 404:
        melding = f"Deze pagina of route bestaat niet: {shown(request.url.path, 100)}"
    return JSONResponse(
        status_code=exc.status_code,
        content={"fout": fout, "melding": melding},
        headers=getattr(exc, "headers", None),
    )


def _database_name(request: Request) -> str:
    engine = getattr(request.app.state, "app_engine", None)
    url = getattr(engine, "url", None)
    if url is None:
        return "de database"
    return f"de database '{url.database}' op {url.host}:{url.port}"


def database_unavailable(request: Request) -> str:
    """Dutch text for an unreachable PostgreSQL, naming the database (never its password)."""
    return (
        f"{_database_name(request)} is niet bereikbaar. Draait PostgreSQL? (`sia db status`; "
        "bij een eigen server: SIA_DATABASE_URL). Probeer het daarna opnieuw."
    )


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    # connection failures raise psycopg's OperationalError itself; its subclasses (a cancelled
    # statement, a deadlock) are errors of one request, not of the database being away
    unreachable = exc.connection_invalidated or (
        isinstance(exc, OperationalError) and type(exc.orig).__name__ == "OperationalError"
    )
    state = getattr(exc.orig, "sqlstate", None)
    if state == "42501":  # row-level security or a missing grant: the safety net below the routes
        log.warning("Refused by PostgreSQL on %s %s: %s", request.method, request.url.path, exc.orig)
        return JSONResponse(
            status_code=403,
            content={"fout": "Forbidden", "melding": "Dit mag u niet inzien of wijzigen."},
        )
    if state == "23001":  # restrict_violation: the triggers that keep versions unchanged
        return JSONResponse(
            status_code=409,
            content={"fout": "Conflict", "melding": "Opgeslagen versies worden nooit gewijzigd."},
        )
    if not unreachable:
        return await _unexpected(request, exc)
    log.warning("Database unavailable on %s %s: %s", request.method, request.url.path, exc)
    return JSONResponse(
        status_code=503,
        content={"fout": "DatabaseNietBereikbaar", "melding": database_unavailable(request)},
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("Unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(
        status_code=500,
        content={
            "fout": "InternalError",
            "melding": "Er ging onverwacht iets mis op de server. De fout is gelogd.",
        },
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SiaError, _domain_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(Exception, _unexpected)
