"""Indicators per buurt: the catalogue of indicators, the table the scoring engine reads, and the
choices behind it (buurten year, Leefbaarometer edition, period)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, TypeAdapter

from api.caching import cached_json
from api.deps import ConnDep, SettingsDep
from api.models import ChoicesOut, IndicatorTableOut
from api.routers.periods import completeness_out
from api.scoring import CacheDep, DataRequest, data_choice
from api.types import Editie, Gemeente, Jaar, Periode
from layers import queries
from layers.indicators import SUPPRESSION, IndicatorTable

router = APIRouter(prefix="/api/indicators", tags=["indicators"])


class IndicatorOut(BaseModel):
    id: str
    label: str
    unit: str | None
    description: str
    layer: str
    source: str
    attribution: str
    synthetic: bool


def _data(
    gemeente: Gemeente | None, jaar: Jaar | None, editie: Editie | None, periode: Periode | None
) -> DataRequest:
    return DataRequest(gemeente=gemeente, jaar=jaar, editie=editie, periode=periode)


GemeenteQ = Annotated[Gemeente | None, Query(description="CBS gemeentecode; default SIA_GEMEENTE")]
JaarQ = Annotated[
    Jaar | None, Query(description="buurten year; default SIA_JAAR or the newest that is covered")
]
EditieQ = Annotated[
    Editie | None, Query(description="Leefbaarometer edition; default SIA_LBM_EDITIE or the newest")
]
PeriodeQ = Annotated[Periode | None, Query(description="partner period; default: the default period")]


@router.get("", response_model=list[IndicatorOut], summary="Indicators offered on the map")
def list_indicators(
    request: Request,
    conn: ConnDep,
    settings: SettingsDep,
    cache: CacheDep,
    gemeente: GemeenteQ = None,
    jaar: JaarQ = None,
    editie: EditieQ = None,
    periode: PeriodeQ = None,
) -> Response:
    """Every indicator of the gemeente's table; `synthetic` per indicator (from its data)."""
    choice = data_choice(settings, _data(gemeente, jaar, editie, periode))

    def compute() -> Any:
        table = cache.get(conn, **choice)
        fields = {
            f.id: (layer, f) for layer, f in queries.all_indicator_fields(conn, table.periode, table.gemeente)
        }
        out = []
        for cid, col in table.kolommen.items():
            layer, f = fields.get(cid, (None, None))
            if layer is None or f is None:
                continue
            out.append(
                IndicatorOut(
                    id=cid,
                    label=col.label,
                    unit=col.eenheid,
                    description=f.description,
                    layer=layer.id,
                    source=layer.source,
                    attribution=layer.attribution,
                    synthetic=col.synthetisch,
                )
            )
        return _INDICATOR_LIST.dump_python(out, mode="json")

    # what the map asks every time it opens: cached per view and data version (api.caching)
    return cached_json(request, conn, compute, gemeente=choice["gemeente"], periode=periode)


_INDICATOR_LIST = TypeAdapter(list[IndicatorOut])


def table_out(table: IndicatorTable) -> dict[str, Any]:
    """The indicator table as the API returns it."""
    return {
        "gemeente": table.gemeente,
        "jaar": table.jaar,
        "editie": table.editie,
        "periode": table.periode,
        "perioden": table.keuzes.perioden,
        "synthetisch": table.synthetisch,
        "indicatoren": table.indicatoren,
        "kolommen": [c.as_dict() for c in table.kolommen.values()],
        "onderdrukt": {**SUPPRESSION, "buurten": table.onderdrukt, "cellen": table.onderdrukte_cellen},
        "volledigheid": completeness_out(table.view, default=table.keuzes.standaard.get("periode")),
        "leveringen": table.deliveries_used(),
        "rasters": table.rasters_used(),
        "keuzes": choices_out(table),
        "waarschuwingen": table.waarschuwingen,
        "rijen": table.records(),
    }


def choices_out(table: IndicatorTable) -> dict[str, Any]:
    k = table.keuzes
    return {
        "gemeente": k.gemeente,
        "jaar": k.jaar,
        "editie": k.editie,
        "periode": k.periode,
        "jaren": k.jaren,
        "edities": k.edities,
        "perioden": k.perioden,
        "combinaties": [c.as_dict() for c in k.combinaties],
        "standaard": k.standaard,
        "gekozen": k.gekozen,
        "waarschuwingen": table.waarschuwingen,
        "codewijzigingen": [vars(c) for c in table.codewijzigingen],
    }


@router.get(
    "/table",
    response_model=IndicatorTableOut,
    summary="Indicator values per buurt, with what each column stands on",
    description="One row per buurt of the gemeente's buurten year with every indicator. "
    "`kolommen` says per column its source, year or edition, delivery periods and ids and whether "
    "it is synthetic; `volledigheid` who delivered what for the period (carried forward or "
    "current); `keuzes` which year, edition and period were used and why; `waarschuwingen` what "
    "a user should know (an incomplete newer period, a newer buurten year the Leefbaarometer "
    "does not cover, changed buurtcodes).",
)
def indicator_table(
    request: Request,
    conn: ConnDep,
    settings: SettingsDep,
    cache: CacheDep,
    gemeente: GemeenteQ = None,
    jaar: JaarQ = None,
    editie: EditieQ = None,
    periode: PeriodeQ = None,
) -> Response:
    """Cached per data version and view, with an ETag (``api.caching``)."""
    choice = data_choice(settings, _data(gemeente, jaar, editie, periode))

    def compute() -> Any:
        out = IndicatorTableOut.model_validate(table_out(cache.get(conn, **choice)))
        return out.model_dump(mode="json")

    return cached_json(request, conn, compute, gemeente=choice["gemeente"], periode=periode)


@router.get(
    "/choices",
    response_model=ChoicesOut,
    summary="Buurten years, Leefbaarometer editions and periods of a gemeente, and the defaults",
    description="`combinaties`: every buurten year with every Leefbaarometer edition and the share "
    "of its buurten with a score (`dekking`; `dekt` from 90 %). The default is the newest "
    "combination that covers the gemeente, so loading a newer buurten year whose codes the "
    "Leefbaarometer lacks does not switch the map to it. `codewijzigingen` lists buurten whose "
    "code differs from another loaded year (with where they lie there) and buurten without a "
    "Leefbaarometer score.",
)
def choices(
    conn: ConnDep,
    settings: SettingsDep,
    cache: CacheDep,
    gemeente: GemeenteQ = None,
    jaar: JaarQ = None,
    editie: EditieQ = None,
    periode: PeriodeQ = None,
) -> dict[str, Any]:
    return choices_out(cache.get(conn, **data_choice(settings, _data(gemeente, jaar, editie, periode))))
