"""One buurt with all its values, and the buurtcodes that changed between loaded years."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from api.caching import cached_json
from api.deps import ConnDep, SettingsDep
from api.models import BuurtOut, CodeChangeOut
from api.types import Editie, Gemeente, Jaar
from layers import queries
from layers.indicators import choices, code_changes

router = APIRouter(prefix="/api/buurten", tags=["buurten"])


@router.get(
    "/code-changes",
    response_model=list[CodeChangeOut],
    summary="Buurten whose code differs between the loaded buurten years, or lacks a Leefbaarometer score",
    description="For the buurten year (default: the one the indicator table uses): codes another "
    "loaded year does not have (`nieuw`), codes of another year this one does not have "
    "(`vervallen`), each with the buurten it overlaps in the other year, and buurten without a "
    "score in the Leefbaarometer edition (`zonder_leefbaarometer`). Never a silent hole.",
)
def get_code_changes(
    conn: ConnDep,
    settings: SettingsDep,
    gemeente: Annotated[Gemeente | None, Query()] = None,
    jaar: Annotated[Jaar | None, Query()] = None,
    editie: Annotated[Editie | None, Query()] = None,
) -> list[dict[str, Any]]:
    chosen = choices(
        conn, gemeente or settings.gemeente, jaar=jaar or settings.jaar, editie=editie or settings.lbm_editie
    )
    return [vars(c) for c in code_changes(conn, chosen.gemeente, chosen.jaar, chosen.editie)]


@router.get("/{code}", response_model=BuurtOut, summary="All values of one buurt")
def get_buurt(
    code: Annotated[str, Path(pattern=r"^BU\d{4}[0-9A-Z]{4}$", examples=["BU01530000"])],
    request: Request,
    conn: ConnDep,
    jaar: Annotated[Jaar | None, Query()] = None,
    editie: Annotated[Editie | None, Query(description="Leefbaarometer edition")] = None,
) -> Response:
    """Cached per data version with an ETag (``api.caching``; no partner data in it)."""

    def compute() -> Any:
        return BuurtOut.model_validate(queries.buurt(conn, code, year=jaar, editie=editie)).model_dump(
            mode="json"
        )

    return cached_json(request, conn, compute, gemeente="GM" + code[2:6], partners=False)
