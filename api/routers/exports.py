"""Downloads of the score panel: the current ranking as CSV or GeoPackage."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from api import auditing
from api.deps import ConnDep, SettingsDep
from api.exporting import ranking_export
from api.ratelimit import rate_limit
from api.scoring import CacheDep, ScoreRequest
from api.timing import TimedRoute

router = APIRouter(prefix="/api/exports", tags=["exports"], route_class=TimedRoute)


@router.post(
    "/ranking",
    summary="The ranking of a weighting (body as POST /api/scores) as CSV or GeoPackage, with "
    "contributions per criterion, and robustness and partner ranks when asked for",
    description="Columns: scores, rank, quadrant, `bijdrage_<criterium>`; with `monte_carlo` in the body "
    "also `p_top`, `rang_p05`, `rang_mediaan`, `rang_p95`; with `partnerprofielen: true` a `rang_<partner>` "
    "per partner profile. The GeoPackage has the layer `sia_ranking` (EPSG:28992) and a `metadata` table.",
    response_class=Response,
    dependencies=[rate_limit("zwaar")],
)
def ranking(
    body: ScoreRequest,
    request: Request,
    conn: ConnDep,
    settings: SettingsDep,
    cache: CacheDep,
    formaat: Annotated[Literal["csv", "gpkg"], Query()] = "csv",
) -> Response:
    content, media, name = ranking_export(conn, body, settings=settings, cache=cache, formaat=formaat)
    auditing.export(
        conn,
        request,
        gemeente=body.gemeente or settings.gemeente,
        soort="ranking",
        object_id=name,
        details={"formaat": formaat, "bytes": len(content), "profiel": body.profiel},
    )
    return Response(
        content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
