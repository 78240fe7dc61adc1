"""Domain errors → HTTP status: one table, one installer. Unexpected errors give a generic 500."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from sia.errors import Conflict, Forbidden, InvalidInput, InvalidUpload, NotFound, SetupError, SiaError

log = logging.getLogger("sia.api")

STATUS_CODES: dict[type[SiaError], int] = {
    NotFound: 404,
    InvalidUpload: 422,
    InvalidInput: 400,
    Forbidden: 403,
    Conflict: 409,
    SetupError: 503,
    SiaError: 400,
}


def _status_for(exc: SiaError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_CODES:
            return STATUS_CODES[cls]
    return 400


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SiaError)
    body: dict[str, object] = {"fout": type(exc).__name__, "melding": exc.message}
    if exc.details:
        body["details"] = exc.details
    return JSONResponse(status_code=_status_for(exc), content=body)


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
}


# regular expressions of our own fields → what a planner should type
_PATTERNS: dict[str, str] = {
    r"^\d{4}-(voorjaar|najaar)$": "jaar-voorjaar of jaar-najaar, bijv. 2026-najaar",
    r"^GM\d{4}$": "een CBS-gemeentecode als GM0153",
    r"^[a-z][a-z0-9_]*$": "kleine letters, cijfers en _ (bijv. default)",
    "^(bezit|projecten|verkoop)$": "bezit, projecten of verkoop",
}


def _dutch(error: dict[str, Any]) -> dict[str, Any]:
    loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "form")]
    field = ".".join(loc) or "verzoek"
    kind = str(error.get("type", ""))
    ctx = {k: v for k, v in (error.get("ctx") or {}).items() if k != "error"}
    if "pattern" in ctx:
        ctx["pattern"] = _PATTERNS.get(str(ctx["pattern"]), f"'{ctx['pattern']}'")
    if kind in _DUTCH:
        try:
            text = _DUTCH[kind].format(**ctx)
        except (KeyError, IndexError):
            text = str(error.get("msg", kind))
    else:  # our own validators (e.g. unknown method) say what is valid
        text = str(error.get("msg", kind)).removeprefix("Value error, ")
    value = None if kind == "missing" else error.get("input")
    if not (isinstance(value, str | int | float | bool) or value is None):
        try:
            value = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            value = str(value)
    return {
        "veld": field,
        "melding": f"'{field}' {text}",
        "waarde": value,
        "type": kind,
    }


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [_dutch(dict(e)) for e in exc.errors()]
    shown = "; ".join(d["melding"] for d in details[:5])
    more = f" (en nog {len(details) - 5})" if len(details) > 5 else ""
    return JSONResponse(
        status_code=422,
        content={
            "fout": "OngeldigVerzoek",
            "melding": f"Ongeldige invoer: {shown}{more}.",
            "details": details,
        },
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
    app.add_exception_handler(Exception, _unexpected)
