"""One buurt with all its values."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import ConnDep
from layers import queries

router = APIRouter(prefix="/api/buurten", tags=["buurten"])


@router.get("/{code}", summary="All values of one buurt")
def get_buurt(
    code: Annotated[str, Path(pattern=r"^BU\d{4}[0-9A-Z]{4}$", examples=["BU01530000"])],
    conn: ConnDep,
    jaar: Annotated[int | None, Query(ge=1990, le=2100)] = None,
) -> dict[str, Any]:
    return queries.buurt(conn, code, year=jaar)
