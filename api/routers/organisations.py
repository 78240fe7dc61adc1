"""Partner organisations per gemeente (read only; ``sia org add`` adds one)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import ConnDep, SettingsDep
from api.models import OrganisationOut
from api.types import Gemeente
from layers.organisations import list_organisations

router = APIRouter(prefix="/api/organisations", tags=["organisations"])


@router.get(
    "",
    response_model=list[OrganisationOut],
    summary="The partner organisations of a gemeente",
    description="Who takes part in the gemeente's SIA: the gemeente, corporations, tenant "
    "organisations, the BO and other partners (`soort`), with their short name (`slug`) and "
    "weight profile (`profiel`, shown in GET /api/scores/profiles). Deliveries are checked against "
    "these names. Add one with `sia org add`.",
)
def organisations(
    conn: ConnDep,
    settings: SettingsDep,
    gemeente: Annotated[Gemeente | None, Query(description="default: SIA_GEMEENTE")] = None,
    met_inactief: Annotated[bool, Query(description="include inactive organisations")] = False,
) -> list[dict[str, Any]]:
    return [
        o.as_dict()
        for o in list_organisations(conn, gemeente or settings.gemeente, alleen_actief=not met_inactief)
    ]
