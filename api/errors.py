"""Domain errors → HTTP status: one table, one installer. Unexpected errors give a generic 500."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from sia.errors import Forbidden, InvalidInput, InvalidUpload, NotFound, SetupError, SiaError

log = logging.getLogger("sia.api")

STATUS_CODES: dict[type[SiaError], int] = {
    NotFound: 404,
    InvalidUpload: 422,
    InvalidInput: 400,
    Forbidden: 403,
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
    app.add_exception_handler(Exception, _unexpected)
