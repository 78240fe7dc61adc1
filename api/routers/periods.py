"""Periods as a monitor keeps them: which periods have deliveries, the default period, and the
completeness table of a period (who delivered which layer, current or carried forward)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from api.caching import cached_json
from api.deps import ConnDep, SettingsDep
from api.models import CompletenessOut, PeriodsOut
from api.types import Gemeente, Periode
from layers.periods import PeriodView, default_period, delivery_periods, period_view

router = APIRouter(prefix="/api/periods", tags=["periods"])


def completeness_out(
    view: PeriodView, *, default: str | None, warnings: list[str] | None = None
) -> dict[str, Any]:
    c = view.completeness
    return {
        "gemeente": view.gemeente,
        "periode": c.periode,
        "standaard": c.periode is not None and c.periode == default,
        "partners": c.partners,
        "actueel": c.actueel,
        "ontbrekend": c.ontbrekend,
        "rijen": [vars(r) for r in c.rijen],
        "waarschuwingen": warnings or [],
    }


@router.get(
    "",
    response_model=PeriodsOut,
    summary="Periods with deliveries, which are complete, and the default period",
    description="`standaard` is the newest period in which every partner that ever delivered is "
    "current; otherwise the newest, and `waarschuwingen` names who is missing. A newer period in "
    "which only some partners delivered is listed with `volledig: false` and a warning.",
)
def periods(
    request: Request,
    conn: ConnDep,
    settings: SettingsDep,
    gemeente: Annotated[Gemeente | None, Query()] = None,
) -> Response:
    gm = gemeente or settings.gemeente

    def compute() -> Any:
        default, warnings = default_period(conn, gm)
        out = []
        for p in delivery_periods(conn, gm):
            c = period_view(conn, gm, p).completeness
            out.append(
                {"periode": p, "volledig": not c.ontbrekend, "actueel": c.actueel, "ontbrekend": c.ontbrekend}
            )
        body = {"gemeente": gm, "standaard": default, "perioden": out, "waarschuwingen": warnings}
        return PeriodsOut.model_validate(body).model_dump(mode="json")

    # what the map asks every time it opens: cached per view and data version (api.caching)
    return cached_json(request, conn, compute, gemeente=gm)


@router.get(
    "/completeness",
    response_model=CompletenessOut,
    summary="Who delivered what for a period: per partner and layer, current or carried forward",
    description="Per partner and layer (bezit, projecten, verkoop) and per raster indicator: the "
    "delivery that counts for the period (the newest at or before it), its period, its age in "
    "periods (0 = current) and the number of records. Default period: see GET /api/periods.",
)
def completeness(
    conn: ConnDep,
    settings: SettingsDep,
    gemeente: Annotated[Gemeente | None, Query()] = None,
    periode: Annotated[Periode | None, Query(description="default: the default period")] = None,
) -> dict[str, Any]:
    gm = gemeente or settings.gemeente
    default, warnings = default_period(conn, gm)
    view = period_view(conn, gm, periode or default)
    return completeness_out(view, default=default, warnings=warnings if periode in (None, default) else [])
