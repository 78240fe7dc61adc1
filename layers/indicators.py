"""The indicator table: the one read path behind the map, the API, the CLI, the notebook and the
benchmarks.

``read_table(conn, gemeente=..., jaar=..., editie=..., periode=...)`` returns an
:class:`IndicatorTable`: one row per buurt of the gemeente (index ``buurtcode``) with every
indicator, and for each indicator column what it stands on (:class:`ColumnSource`: source,
buurten year / Leefbaarometer edition / delivery periods, load and delivery ids, synthetic or
not), the buurt geometries (EPSG:28992), the completeness of the period (who delivered what,
carried forward or current), the choices that were made (year, edition, period and why) and
warnings in Dutch. ``score_table`` turns a table and a profile into a score (``sia.run``).

Choices are explicit (DESIGN.md, "Years and editions are chosen explicitly"):

- **buurten year and Leefbaarometer edition**: given, or the newest combination that *covers*
  the gemeente (at least :data:`COVERAGE` of its buurten of that year have a Leefbaarometer
  score in that edition). Loading a newer buurten year whose codes the Leefbaarometer does not
  know does not silently switch to it; the warning says why. Buurten of the chosen year without
  a score, and codes that differ from another loaded year, are listed (``codewijzigingen``).
- **period**: given, or the default period of ``layers.periods`` (the newest in which every
  partner is current). The partner figures are those of the period's view: each partner's newest
  delivery at or before it, carried forward.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, cast

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import Connection, func, select, text

from layers import disclosure
from layers.catalogue import (
    LAYERS,
    LBM_FIELDS,
    Field,
    Layer,
    indicator_fields,
)
from layers.codes import GEMEENTE_PATTERN, is_period, sort_periods
from layers.db.schema import buurten, leefbaarometer
from layers.errors import InvalidInput, NotFound
from layers.periods import Completeness, PeriodView, default_period, delivery_periods, period_view
from sia.candidates import CandidateOutcome, propose
from sia.criteria import Profile
from sia.errors import SiaError
from sia.profile import ProfileCatalogue, profiles_version
from sia.run import Analyses, Run, run

__all__ = [
    "COVERAGE",
    "MIN_DWELLINGS",
    "SUPPRESSION",
    "Choices",
    "CodeChange",
    "ColumnSource",
    "Combination",
    "IndicatorTable",
    "candidate_areas",
    "choices",
    "code_changes",
    "read_table",
    "score_table",
    "usable_profiles",
]

COVERAGE = 0.9
"""Share of a year's buurten that must have a Leefbaarometer score for a (year, edition)
combination to count as covering the gemeente."""

# The disclosure rule ("openbaar, tenzij", DESIGN.md) is applied by the database
# (``layers.disclosure``): the partner aggregates come back with suppressed values empty and
# per buurt which value was suppressed and why.
MIN_DWELLINGS = disclosure.MIN_DWELLINGS


_BASE_COLUMNS = ("buurtnaam", "wijkcode", "gemeentenaam")
_LBM_COLUMN = {f.id: f.id.removeprefix("lbm_") for f in LBM_FIELDS if f.id != "lbm_editie"}
_LBM_COLUMN["lbm_score"] = "score"


# -- choices: year, edition, period -------------------------------------------------------


@dataclass(frozen=True)
class Combination:
    """A buurten year with a Leefbaarometer edition and how much of the gemeente it covers."""

    jaar: int
    editie: int | None
    buurten: int
    met_score: int

    @property
    def dekking(self) -> float:
        return self.met_score / self.buurten if self.buurten else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "jaar": self.jaar,
            "editie": self.editie,
            "buurten": self.buurten,
            "met_score": self.met_score,
            "dekking": round(self.dekking, 4),
            "dekt": self.dekking >= COVERAGE,
        }


@dataclass(frozen=True)
class Choices:
    """What a read uses and what it could use instead, for one gemeente."""

    gemeente: str
    jaar: int
    editie: int | None
    periode: str | None
    jaren: list[int]
    edities: list[int]
    perioden: list[str]
    combinaties: list[Combination]
    standaard: dict[str, Any]
    """The defaults: ``jaar``, ``editie`` and ``periode`` chosen when none is given."""
    gekozen: dict[str, str]
    """How each choice was made: ``gevraagd`` (given), ``instelling`` (a setting) or ``standaard``."""
    waarschuwingen: list[str]


def _combinations(conn: Connection, gemeente: str) -> list[Combination]:
    b, lbm = buurten, leefbaarometer
    totals: dict[int, int] = dict(
        conn.execute(
            select(b.c.jaar, func.count()).where(b.c.gemeentecode == gemeente).group_by(b.c.jaar)
        ).all()
    )
    scored = conn.execute(
        select(b.c.jaar, lbm.c.editie, func.count())
        .join(lbm, lbm.c.buurtcode == b.c.buurtcode)
        .where(b.c.gemeentecode == gemeente, lbm.c.score.is_not(None))
        .group_by(b.c.jaar, lbm.c.editie)
    ).all()
    combos = [Combination(int(j), int(e), int(totals[j]), int(n)) for j, e, n in scored]
    with_lbm = {c.jaar for c in combos}
    combos += [Combination(int(j), None, int(n), 0) for j, n in totals.items() if j not in with_lbm]
    return sorted(combos, key=lambda c: (c.jaar, c.editie or 0), reverse=True)


def _pick(combos: list[Combination], jaar: int | None, editie: int | None) -> Combination:
    pool = [c for c in combos if (jaar is None or c.jaar == jaar) and (editie is None or c.editie == editie)]
    covering = [c for c in pool if c.dekking >= COVERAGE]
    if covering:
        return max(covering, key=lambda c: (c.jaar, c.editie or 0))
    return max(pool, key=lambda c: (c.dekking, c.jaar, c.editie or 0))


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def choices(
    conn: Connection,
    gemeente: str,
    *,
    jaar: int | None = None,
    editie: int | None = None,
    periode: str | None = None,
    bron: Mapping[str, str] | None = None,
) -> Choices:
    """Resolve the buurten year, Leefbaarometer edition and period of a read.

    ``bron`` says per given choice where it came from (``gevraagd`` or ``instelling``); used in
    messages. Raises NotFound (Dutch, listing what is there) for a gemeente without buurten, a
    year or edition that is not loaded for it.
    """
    import re

    if not re.match(GEMEENTE_PATTERN, gemeente or ""):
        raise InvalidInput(f"'{gemeente}' is geen CBS-gemeentecode; verwacht bijvoorbeeld GM0153.")
    if periode is not None and not is_period(periode):
        raise InvalidInput(
            f"'{periode}' is geen periode; verwacht jaar-voorjaar of jaar-najaar, bijv. 2026-najaar."
        )
    bron = dict(bron or {})
    combos = _combinations(conn, gemeente)
    if not combos:
        raise NotFound(
            f"Er zijn geen buurten van {gemeente} geladen; laad eerst de buurtenkaart (sia load buurten)."
        )
    jaren = sorted({c.jaar for c in combos}, reverse=True)
    edities = sorted({c.editie for c in combos if c.editie is not None}, reverse=True)
    if jaar is not None and jaar not in jaren:
        how = "SIA_JAAR" if bron.get("jaar") == "instelling" else "jaar"
        raise NotFound(
            f"Buurtindeling {jaar} ({how}) is voor {gemeente} niet geladen; geladen: "
            f"{', '.join(map(str, jaren))}."
        )
    if editie is not None and editie not in edities:
        how = "SIA_LBM_EDITIE" if bron.get("editie") == "instelling" else "editie"
        raise NotFound(
            f"Leefbaarometer-editie {editie} ({how}) is voor de buurten van {gemeente} niet geladen; "
            f"geladen: {', '.join(map(str, edities)) or 'geen'}."
        )
    default = _pick(combos, None, None)
    chosen = _pick(combos, jaar, editie)
    warnings: list[str] = []
    if chosen.editie is None:
        warnings.append(
            f"Er is geen Leefbaarometer geladen voor de buurten van {gemeente} ({chosen.jaar}); laad hem "
            "met sia load leefbaarometer. De Leefbaarometer-criteria blijven leeg."
        )
    elif chosen.dekking < COVERAGE:
        warnings.append(
            f"De Leefbaarometer {chosen.editie} heeft een score voor {chosen.met_score} van de "
            f"{chosen.buurten} buurten van buurtindeling {chosen.jaar} ({_pct(chosen.dekking)}); "
            "de buurten zonder score staan in 'codewijzigingen'."
        )
    if jaar is None and chosen.jaar != jaren[0]:
        newest = [c for c in combos if c.jaar == jaren[0]]
        best = max(newest, key=lambda c: c.dekking)
        warnings.append(
            f"Buurtindeling {chosen.jaar} wordt gebruikt, niet de nieuwere {jaren[0]}: "
            + (
                f"de Leefbaarometer {best.editie} heeft daarvoor maar {best.met_score} van de "
                f"{best.buurten} buurtcodes ({_pct(best.dekking)})"
                if best.editie is not None
                else f"voor {jaren[0]} is geen Leefbaarometer geladen"
            )
            + f". Kies jaar {jaren[0]} om die indeling toch te gebruiken."
        )
    default_periode, period_warnings = default_period(conn, gemeente)
    if periode is None:
        periode = default_periode
        warnings += period_warnings
    perioden = delivery_periods(conn, gemeente)
    if periode is not None and perioden and periode not in perioden:
        warnings.append(
            f"Voor periode {periode} zijn geen leveringen; de nieuwste eerdere levering van elke partner "
            "telt mee (doorgeschoven)."
        )
    gekozen = {
        "jaar": bron.get("jaar", "gevraagd") if jaar is not None else "standaard",
        "editie": bron.get("editie", "gevraagd") if editie is not None else "standaard",
        "periode": "standaard" if periode == default_periode and "periode" not in bron else "gevraagd",
    }
    return Choices(
        gemeente,
        chosen.jaar,
        chosen.editie,
        periode,
        jaren,
        edities,
        perioden,
        combos,
        {"jaar": default.jaar, "editie": default.editie, "periode": default_periode},
        gekozen,
        warnings,
    )


# -- code changes --------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeChange:
    """A buurt of one year whose code is missing elsewhere: another loaded buurten year, or the
    Leefbaarometer edition. ``overlap``: the buurten of the other year it overlaps most (code,
    name, share of this buurt's area)."""

    buurtcode: str
    buurtnaam: str | None
    jaar: int
    soort: Literal["nieuw", "vervallen", "zonder_leefbaarometer"]
    vergeleken_met: str
    toelichting: str
    overlap: list[dict[str, Any]] = field(default_factory=list)


_CHANGES_SQL = text(
    """
    WITH a AS (SELECT buurtcode, buurtnaam, geom FROM buurten WHERE gemeentecode = :gm AND jaar = :a),
         o AS (SELECT buurtcode, buurtnaam, geom FROM buurten WHERE gemeentecode = :gm AND jaar = :o)
    SELECT a.buurtcode, a.buurtnaam,
           coalesce((SELECT jsonb_agg(m ORDER BY m.aandeel DESC) FROM (
               SELECT o.buurtcode, o.buurtnaam,
                      round((ST_Area(ST_Intersection(a.geom, o.geom))
                             / nullif(ST_Area(a.geom), 0))::numeric, 3) AS aandeel
               FROM o WHERE ST_Intersects(a.geom, o.geom)) m WHERE m.aandeel >= 0.01), '[]') AS overlap
    FROM a WHERE NOT EXISTS (SELECT 1 FROM o WHERE o.buurtcode = a.buurtcode)
    ORDER BY a.buurtcode
    """
)


def code_changes(conn: Connection, gemeente: str, jaar: int, editie: int | None) -> list[CodeChange]:
    """Buurten of ``jaar`` with a code another loaded year lacks (``nieuw``), codes of another year
    that ``jaar`` lacks (``vervallen``), and buurten of ``jaar`` without a score in ``editie``."""
    out: list[CodeChange] = []
    years = [
        int(y)
        for y in conn.execute(
            select(buurten.c.jaar)
            .where(buurten.c.gemeentecode == gemeente)
            .distinct()
            .order_by(buurten.c.jaar)
        ).scalars()
    ]
    for other in (y for y in years if y != jaar):
        for kind, a, o in (("nieuw", jaar, other), ("vervallen", other, jaar)):
            for r in conn.execute(_CHANGES_SQL, {"gm": gemeente, "a": a, "o": o}):
                overlap = json.loads(r.overlap) if isinstance(r.overlap, str) else list(r.overlap)
                where = ", ".join(f"{m['buurtcode']} ({_pct(float(m['aandeel']))})" for m in overlap[:3])
                text_ = (
                    f"{r.buurtcode} bestaat in {a} maar niet in {o}"
                    + (f"; ligt in {o} in {where}" if where else "")
                    + "."
                )
                out.append(CodeChange(r.buurtcode, r.buurtnaam, a, kind, str(o), text_, overlap))  # type: ignore[arg-type]
    if editie is not None:
        b, lbm = buurten, leefbaarometer
        scored = select(lbm.c.buurtcode).where(lbm.c.editie == editie, lbm.c.score.is_not(None))
        rows = conn.execute(
            select(b.c.buurtcode, b.c.buurtnaam)
            .where(b.c.gemeentecode == gemeente, b.c.jaar == jaar, b.c.buurtcode.not_in(scored))
            .order_by(b.c.buurtcode)
        ).all()
        for code, name in rows:
            out.append(
                CodeChange(
                    code,
                    name,
                    jaar,
                    "zonder_leefbaarometer",
                    f"Leefbaarometer {editie}",
                    f"{code} {name or ''} heeft geen score in de Leefbaarometer {editie} (een buurt met "
                    "weinig inwoners, of een code die de Leefbaarometer niet kent).".replace("  ", " "),
                )
            )
    return out


# -- the table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnSource:
    """What one indicator column stands on."""

    id: str
    label: str
    eenheid: str | None
    laag: str
    bron: str
    synthetisch: bool
    beschikbaar: bool
    """Whether any buurt has a value."""
    jaar: int | None = None
    """Buurten year (CBS columns) or Leefbaarometer edition."""
    perioden: tuple[str, ...] = ()
    """Periods of the deliveries the column is made of (partner layers and rasters)."""
    laadacties: tuple[int, ...] = ()
    leveringen: tuple[int, ...] = ()
    """Ids of the partner deliveries (``leveringen``) or raster deliveries it reads."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "eenheid": self.eenheid,
            "laag": self.laag,
            "bron": self.bron,
            "synthetisch": self.synthetisch,
            "beschikbaar": self.beschikbaar,
            "jaar": self.jaar,
            "perioden": list(self.perioden),
            "laadacties": list(self.laadacties),
            "leveringen": list(self.leveringen),
        }

    def source(self) -> dict[str, Any]:
        """What a criterion of a score says it stands on."""
        return {
            "bron": self.bron,
            "laag": self.laag,
            "jaar": self.jaar,
            "perioden": list(self.perioden),
            "synthetisch": self.synthetisch,
        }


T = TypeVar("T")
_MEMO_GUARD = threading.Lock()  # guards the creation of the per-name locks of IndicatorTable.memoised


@dataclass(frozen=True)
class IndicatorTable:
    """The indicator table of one gemeente, buurten year, Leefbaarometer edition and period."""

    gemeente: str
    keuzes: Choices
    frame: pd.DataFrame
    """Index ``buurtcode``; ``buurtnaam``, ``wijkcode``, ``gemeentenaam`` and one column per
    indicator (``indicatoren``). Do not modify: tables are cached."""
    kolommen: dict[str, ColumnSource]
    geometrie: gpd.GeoSeries
    """Buurt polygons, EPSG:28992, index ``buurtcode``."""
    view: PeriodView
    codewijzigingen: list[CodeChange]
    onderdrukt: list[str]
    """Buurten with a value left empty by the disclosure rule (``layers.disclosure``)."""
    onderdrukte_cellen: list[dict[str, str]]
    """Per suppressed value: buurtcode, veld, reden, toelichting."""
    waarschuwingen: list[str]
    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    _memo_locks: dict[str, threading.RLock] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def memoised(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per table: for what follows from the table alone (or from what its
        data version covers, e.g. the gemeente's organisations); tables are immutable and cached
        per view and data version (``api.scoring.IndicatorCache``). Threads that ask for the same
        ``name`` meanwhile wait for the first instead of computing it too (after a new delivery
        every open map asks at once)."""
        if name in self._memo:
            return cast("T", self._memo[name])
        with _MEMO_GUARD:
            lock = self._memo_locks.setdefault(name, threading.RLock())
        with lock:
            if name not in self._memo:
                self._memo[name] = compute()
        return cast("T", self._memo[name])

    @property
    def jaar(self) -> int:
        return self.keuzes.jaar

    @property
    def editie(self) -> int | None:
        return self.keuzes.editie

    @property
    def periode(self) -> str | None:
        return self.keuzes.periode

    @property
    def completeness(self) -> Completeness:
        return self.view.completeness

    @property
    def indicatoren(self) -> list[str]:
        return list(self.kolommen)

    @property
    def synthetisch(self) -> bool:
        """Whether any indicator with values comes (partly) from synthetic data."""
        return any(c.synthetisch and c.beschikbaar for c in self.kolommen.values())

    def sources(self) -> dict[str, dict[str, Any]]:
        """Per indicator what it stands on (for ``sia.run.run``)."""
        return {k: c.source() for k, c in self.kolommen.items()}

    def where(self) -> str:
        """The data in words, for messages: 'GM0153, buurten 2021, periode 2026-najaar'."""
        parts = [self.gemeente, f"buurten {self.jaar}"]
        if self.periode:
            parts.append(f"periode {self.periode}")
        return ", ".join(parts)

    def deliveries_used(self) -> list[dict[str, Any]]:
        """The partner deliveries the table reads (id, partner, periode, versie)."""
        return [
            {"id": d.id, "partner": d.partner, "periode": d.periode, "versie": d.versie}
            for d in self.view.deliveries()
        ]

    def rasters_used(self) -> list[dict[str, Any]]:
        return sorted(
            (
                {
                    "id": int(r["id"]),
                    "indicator": r["indicator"],
                    "periode": r["periode"],
                    "versie": r["versie"],
                }
                for r in self.view.rasters
            ),
            key=lambda r: (r["indicator"], r["id"]),
        )

    def load_ids(self) -> dict[str, list[int]]:
        """The loads (``load_log``) the buurten and Leefbaarometer rows come from."""
        out: dict[str, list[int]] = {"buurten": [], "leefbaarometer": []}
        for col in self.kolommen.values():
            if col.laag in out:
                out[col.laag] = sorted(set(out[col.laag]) | set(col.laadacties))
        return out

    def records(self) -> list[dict[str, Any]]:
        """Rows as JSON-able dicts: buurtcode, buurtnaam, wijkcode and every indicator."""
        from sia.run import records

        return records(self.frame[["buurtnaam", "wijkcode", *self.indicatoren]])


def _read_buurten(conn: Connection, gemeente: str, jaar: int) -> gpd.GeoDataFrame:
    b = buurten
    query = (
        select(
            b.c.buurtcode,
            b.c.buurtnaam,
            b.c.wijkcode,
            b.c.gemeentenaam,
            b.c.aantal_inwoners,
            b.c.aantal_huishoudens,
            b.c.bevolkingsdichtheid,
            b.c.oppervlakte_land_ha,
            b.c.kerncijfers,
            b.c.load_id,
            func.ST_AsBinary(b.c.geom).label("wkb"),
        )
        .where(b.c.gemeentecode == gemeente, b.c.jaar == jaar)
        .order_by(b.c.buurtcode)
    )
    rows = conn.execute(query).mappings().all()
    frame = pd.DataFrame([{k: v for k, v in r.items() if k != "wkb"} for r in rows])
    geoms = shapely.from_wkb([bytes(r["wkb"]) for r in rows])
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=28992).set_index("buurtcode")


def _read_lbm(conn: Connection, codes: Sequence[str], editie: int | None) -> pd.DataFrame:
    lbm = leefbaarometer
    columns = [lbm.c.buurtcode, lbm.c.load_id, *(lbm.c[col].label(fid) for fid, col in _LBM_COLUMN.items())]
    if editie is None:
        return pd.DataFrame(columns=["buurtcode", "load_id", *_LBM_COLUMN]).set_index("buurtcode")
    rows = conn.execute(select(*columns).where(lbm.c.editie == editie, lbm.c.buurtcode.in_(list(codes))))
    return pd.DataFrame(rows.mappings().all(), columns=["buurtcode", "load_id", *_LBM_COLUMN]).set_index(
        "buurtcode"
    )


def _kerncijfer(values: pd.Series, f: Field) -> pd.Series:
    """One optional CBS kerncijfer from the ``kerncijfers`` dicts (the first name present)."""
    out = []
    for entry in values:
        entry = entry or {}
        found = next((entry[k] for k in f.kerncijfer if entry.get(k) is not None), None)
        out.append(found)
    return pd.to_numeric(pd.Series(out, index=values.index, dtype=object), errors="coerce").astype(float)


def _typed(values: pd.Series, f: Field) -> pd.Series:
    if f.type == "integer":
        return pd.to_numeric(values, errors="coerce").round().astype("Int64")
    return pd.to_numeric(values, errors="coerce").astype(float)


def _partner_source(f: Field, view: PeriodView) -> tuple[bool, tuple[str, ...], tuple[int, ...], str]:
    """Synthetic flag, periods, delivery ids and a description of a partner aggregate column: the
    deliveries of its layers that hold records of that layer."""
    used = [d for kind in f.bronlagen for d in view.per_laag.get(kind, []) if d.aantallen.get(kind, 0) > 0]
    periods = tuple(sort_periods([d.periode for d in used], newest_first=False))
    partners = sorted({d.partner for d in used})
    bron = (
        f"leveringen van {', '.join(partners)} ({', '.join(periods)})"
        if used
        else "geen leveringen met deze gegevens"
    )
    return any(d.synthetisch for d in used), periods, tuple(sorted({d.id for d in used})), bron


def read_table(
    conn: Connection,
    *,
    gemeente: str,
    jaar: int | None = None,
    editie: int | None = None,
    periode: str | None = None,
    bron: Mapping[str, str] | None = None,
) -> IndicatorTable:
    """Read the indicator table of ``gemeente``; see the module docstring.

    Raises
    ------
    NotFound
        No buurten of the gemeente, or a year or edition that is not loaded for it.
    InvalidInput
        A malformed gemeente code or period.
    """
    from layers import partner_store, raster_store

    keuzes = choices(conn, gemeente, jaar=jaar, editie=editie, periode=periode, bron=bron)
    base = _read_buurten(conn, gemeente, keuzes.jaar)
    view = period_view(conn, gemeente, keuzes.periode)
    lbm = _read_lbm(conn, list(base.index), keuzes.editie)
    frame = pd.DataFrame(base[list(_BASE_COLUMNS)])
    kolommen: dict[str, ColumnSource] = {}
    buurt_load = tuple(sorted({int(i) for i in base["load_id"].dropna()}))
    cbs = f"CBS Wijk- en buurtkaart {keuzes.jaar}"

    def add(layer: Layer, f: Field, values: pd.Series, **source: Any) -> None:
        frame[f.id] = _typed(values.reindex(frame.index), f)
        available = bool(frame[f.id].notna().any())
        synthetic = bool(source.pop("synthetisch", False)) and available
        kolommen[f.id] = ColumnSource(
            f.id, f.label, f.unit, layer.id, synthetisch=synthetic, beschikbaar=available, **source
        )

    partner = (
        partner_store.aggregate(conn, gemeente=gemeente, jaar=keuzes.jaar, view=view)
        if keuzes.periode is not None
        else pd.DataFrame()
    )
    cells = disclosure.suppressed_cells(
        (str(code), rules) for code, rules in partner.get("onderdrukt", pd.Series(dtype=object)).items()
    )
    for layer, f in indicator_fields():
        if layer.id == "buurten":
            if f.kerncijfer:
                values = _kerncijfer(base["kerncijfers"], f)
                if values.isna().all():
                    continue  # this buurten file does not carry it: no indicator
            else:
                values = base[f.id]
            add(layer, f, values, bron=cbs, jaar=keuzes.jaar, laadacties=buurt_load)
        elif layer.id == "leefbaarometer":
            loads = tuple(sorted({int(i) for i in lbm["load_id"].dropna()}))
            add(
                layer,
                f,
                lbm[f.id] if f.id in lbm.columns else pd.Series(dtype=float),
                bron=f"Leefbaarometer {keuzes.editie}" if keuzes.editie else "Leefbaarometer (niet geladen)",
                jaar=keuzes.editie,
                laadacties=loads,
            )
        elif layer.id == "partnerdata":
            values = partner[f.id] if f.id in partner.columns else pd.Series(dtype=float)
            synthetic, periods, ids, bron_text = _partner_source(f, view)
            if not ids:  # nobody delivered records of its layers: unknown, not zero
                values = pd.Series(dtype=float)
            synthetic = synthetic and bool(values.reindex(frame.index).notna().any())
            add(layer, f, values, bron=bron_text, perioden=periods, leveringen=ids, synthetisch=synthetic)
    if keuzes.periode is not None:
        raster_layer = LAYERS["raster"]
        values_by_buurt = raster_store.raster_values(conn, keuzes.periode, gemeente)
        raster_frame = pd.DataFrame.from_dict(values_by_buurt, orient="index")
        for f, meta in raster_store.raster_fields(conn, keuzes.periode, gemeente):
            column = raster_frame[f.id] if f.id in raster_frame.columns else pd.Series(dtype=float)
            add(
                raster_layer,
                f,
                column,
                bron=f"{meta['partner']}, {meta['bron_bestand']} (versie {meta['versie']})",
                perioden=(meta["periode"],),
                leveringen=(int(meta["id"]),),
                synthetisch=bool(meta["synthetisch"]),
            )
    suppressed = sorted({c["buurtcode"] for c in cells if c["veld"] in kolommen})
    frame.index.name = "buurtcode"
    warnings = list(keuzes.waarschuwingen)
    carried: dict[str, set[str]] = {}
    for row in view.completeness.rijen:
        if row.status == "doorgeschoven" and row.periode is not None:
            carried.setdefault(row.periode, set()).add(row.partner)
    if carried:
        warnings.append(
            f"In {keuzes.periode} tellen eerdere leveringen mee (doorgeschoven): "
            + "; ".join(f"{', '.join(sorted(names))} uit {p}" for p, names in sorted(carried.items()))
            + "."
        )
    changes = code_changes(conn, gemeente, keuzes.jaar, keuzes.editie)
    moved = [c for c in changes if c.soort == "vervallen"]
    if moved:
        warnings.append(
            f"{len(moved)} buurtcode(s) van een ander geladen jaar bestaan niet in buurtindeling "
            f"{keuzes.jaar}; zie 'codewijzigingen' voor waar ze nu liggen."
        )
    return IndicatorTable(
        gemeente=gemeente,
        keuzes=keuzes,
        frame=frame,
        kolommen=kolommen,
        geometrie=base.geometry.rename("geometry"),
        view=view,
        codewijzigingen=changes,
        onderdrukt=suppressed,
        onderdrukte_cellen=[c for c in cells if c["veld"] in kolommen],
        waarschuwingen=warnings,
    )


def usable_profiles(table: IndicatorTable, profiles: ProfileCatalogue) -> list[str]:
    """The profiles of the catalogue with at least one criterion that has data in ``table``: what
    an error message may offer instead."""
    key = f"usable_profiles {profiles.names()} {profiles_version()}"
    return list(table.memoised(key, lambda: _usable_profiles(table, profiles)))


def _usable_profiles(table: IndicatorTable, profiles: ProfileCatalogue) -> list[str]:
    out = []
    for name in profiles.names():
        try:
            criteria = profiles.load(name).criteria
        except SiaError:
            continue
        if any(table.kolommen.get(c.id) is not None and table.kolommen[c.id].beschikbaar for c in criteria):
            out.append(name)
    return out


def score_table(
    table: IndicatorTable,
    profile: Profile,
    analyses: Analyses | None = None,
    *,
    partner_labels: Mapping[str, str] | None = None,
    alternatives: Sequence[str] = (),
    timings: Any = None,
) -> Run:
    """Score an indicator table with a profile (as used) and run the analyses: the one way a
    score is made (``sia.run.run`` with what each column stands on)."""
    return run(
        table.frame,
        profile,
        analyses,
        sources=table.sources(),
        partner_labels=partner_labels,
        where=table.where(),
        alternatives=alternatives,
        timings=timings,
    )


def candidate_areas(
    table: IndicatorTable,
    scored: Run,
    *,
    axis: Literal["gecombineerd", "urgentie", "potentie"] = "gecombineerd",
    method: Literal["auto", "gi_star", "top_groep"] = "auto",
    min_population: float = 1000.0,
) -> CandidateOutcome:
    """Candidate DIA areas on the chosen score of a run, with the table's buurt polygons."""
    frame = scored.result.to_frame().join(table.frame[["aantal_inwoners"]], how="inner")
    gdf = gpd.GeoDataFrame(frame, geometry=table.geometrie.reindex(frame.index), crs=28992)
    return propose(gdf, axis=axis, method=method, min_population=min_population)


SUPPRESSION = {
    "velden": list(disclosure.RULE["aandelen_en_gemiddelden"]),
    "drempel": disclosure.MIN_DWELLINGS,
    "reden": disclosure.RULE["regel"],
    "regel": {k: v for k, v in disclosure.RULE.items() if k != "regel"},
}
"""How the indicator table states its suppressed values (with ``buurten`` and ``cellen``)."""
