"""Areas (gebieden): statistics of a drawn area, and an area built from buurten or wijken."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.caching import cached_json
from api.deps import ConnDep, SettingsDep
from api.dia import AreaRequest, area_report, table_for
from api.dia_models import AreaFromBuurten, AreaStatistics
from api.middleware import GEOMETRY_BODY_LIMIT
from api.ratelimit import rate_limit
from api.scoring import CacheDep, DataRequest, data_choice
from api.timing import TimedRoute, Timings, add_timing
from api.types import Buurtcode, Gemeente, Jaar
from layers import proposals
from layers.area_geometry import dissolve_buurten
from layers.codes import WIJKCODE_PATTERN
from layers.errors import InvalidInput
from sia.profile import profiles_version

Wijkcode = Annotated[str, StringConstraints(pattern=WIJKCODE_PATTERN)]

router = APIRouter(prefix="/api/gebieden", tags=["gebieden"], route_class=TimedRoute)


@router.post(
    "/statistieken",
    max_body_size=GEOMETRY_BODY_LIMIT,
    dependencies=[rate_limit("zwaar")],
    response_class=JSONResponse,
    responses={200: {"model": AreaStatistics, "description": "the area's statistics and scores"}},
    summary="Statistics of an area: buurten and their share inside, inhabitants, corporation holdings, "
    "plans, sales, Leefbaarometer and the area's scores for a weighting",
    description="Body: `geometrie` (GeoJSON Polygon/MultiPolygon or a Feature with one), `crs` "
    "(`EPSG:4326` or `EPSG:28992`) and the fields of POST /api/scores (`profiel`, `gewichten`, "
    "`methode`, `periode`, robustness ...). A self-intersecting or empty shape, an unknown CRS, more "
    "than 100,000 vertices or a shape entirely outside the gemeente is refused (400, Dutch); a shape "
    "partly outside is clipped (`afgesneden`, `meldingen`). Partial buurten are apportioned by the "
    "share of their address points inside, else by area (`buurten[].methode`). The figures are "
    "those of the indicator table of the chosen gemeente, `jaar`, `editie` and `periode` (defaults as "
    "POST /api/scores): partner records of the period's view (each partner's newest delivery at or "
    "before it, `volledigheid` says which are carried forward). Holdings the viewer may read are "
    "counted per corporation from their points; those it may not read only as the hidden part of "
    "each touched buurt's published figure times the buurt's share, in one row with `buurtcijfers` "
    "true that names no corporation, under the disclosure rule (`corporatiebezit.onderdrukt_waarden`). "
    "`synthetisch` is true only when a part counts synthetic records or the score "
    "weighs a synthetic criterion (`synthetisch_in` names them). With an urgency-only profile the "
    "potential is null and the quadrant `potentie_onbekend`. `overlap` lists open proposals and "
    "adopted DIAs that overlap (except `voorstel_id`, the proposal whose boundary is being edited). "
    "Nothing is stored. `Server-Timing` gives the server time.",
)
def statistics(
    body: AreaRequest, request: Request, conn: ConnDep, settings: SettingsDep, cache: CacheDep
) -> Response:
    timings = Timings()
    choice = data_choice(settings, body)

    def compute() -> Any:
        with timings.measure("gebied"):
            table = table_for(conn, body, settings, cache)
            report = area_report(conn, body, table, exclude=body.voorstel_id, memo=True)
        # plain JSON data: serialised directly (FastAPI's encoder would walk every coordinate)
        return report.data

    # the same area and weighting on the same data, view and proposals: cached (api.caching)
    response = cached_json(
        request,
        conn,
        compute,
        gemeente=choice["gemeente"],
        periode=body.periode,
        key=(body.model_dump_json(), proposals.version(conn), profiles_version()),
    )
    add_timing(response, timings)
    return response


class BuurtenKeuze(BaseModel):
    """Buurten and/or whole wijken to dissolve into one area."""

    model_config = ConfigDict(extra="forbid")

    buurtcodes: list[Buurtcode] = Field(default_factory=list, max_length=2000)
    wijkcodes: list[Wijkcode] = Field(default_factory=list, max_length=500)
    gemeente: Gemeente | None = None
    jaar: Jaar | None = None


@router.post(
    "/uit-buurten",
    response_model=AreaFromBuurten,
    summary="An area from chosen buurten and whole wijken, dissolved into one shape (GeoJSON, EPSG:4326)",
    description="Returns `geometrie` (MultiPolygon) and `crs`, ready to send to /api/gebieden/statistieken "
    "or POST /api/voorstellen. The buurten are those of `jaar` (default: the year of the indicator "
    "table, GET /api/indicators/choices).",
)
def from_buurten(body: BuurtenKeuze, conn: ConnDep, settings: SettingsDep, cache: CacheDep) -> dict[str, Any]:
    if not body.buurtcodes and not body.wijkcodes:
        raise InvalidInput("Kies minstens één buurt of wijk.")
    # the buurten year of the indicator table (given, SIA_JAAR, or the one the Leefbaarometer covers)
    table = table_for(conn, DataRequest(gemeente=body.gemeente, jaar=body.jaar), settings, cache)
    return dissolve_buurten(
        conn,
        gemeente=table.gemeente,
        jaar=table.jaar,
        buurtcodes=list(body.buurtcodes),
        wijkcodes=list(body.wijkcodes),
    )
