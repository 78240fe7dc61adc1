"""The DIA read path: an area's statistics and scores, a proposal's snapshot, agenda and changes.

One function per capability, called by the routers (``api/routers/gebieden.py``,
``voorstellen.py``), the CLI (``api/cli_dia.py``) and the dossier (``api/dossier``):

- ``area_report``: check and clip an area, its statistics (``layers.areas``), its scores for a
  weighting, its share of the gemeente, overlaps with other proposals, notices;
- ``investment_agenda``: planned investment inside a proposal's area per partner and year plus the
  partners' commitments;
- ``compare_versions``: area added and removed between two versions, and the change in figures.

Scoring goes through ``api.scoring`` only: ``build_profile``, the indicator table (``IndicatorCache``
or ``read_inputs``) and ``run_score`` — the entry points POST /api/scores uses.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import pandas as pd
import shapely
from pydantic import ConfigDict, Field
from sqlalchemy import Connection

from api.scoring import IndicatorCache, Inputs, ScoreRequest, build_profile, describe, read_inputs, run_score
from layers import areas, proposals
from layers.area_geometry import clip_to_gemeente, parse_area, to_geojson_4326
from layers.provenance import score_inputs
from sia.aggregate import quadrants
from sia.criteria import Profile

__all__ = [
    "SCORE_FIELDS",
    "AreaReport",
    "AreaRequest",
    "area_report",
    "compare_versions",
    "investment_agenda",
    "weging_of",
]

SCORE_FIELDS = ("urgentie", "potentie", "gecombineerd")
_ROBUSTNESS = ("p_top", "rang_p05", "rang_mediaan", "rang_p95")


class AreaRequest(ScoreRequest):
    """An area (GeoJSON Polygon or MultiPolygon, or a Feature holding one) in a stated CRS, and
    the weighting to score it with (the fields of POST /api/scores)."""

    model_config = ConfigDict(extra="forbid")

    geometrie: dict[str, Any] = Field(description="GeoJSON Polygon/MultiPolygon (or a Feature with one)")
    crs: str | int = Field(description="EPSG:4326 (lon/lat, as the map) or EPSG:28992 (RD New)")


def weging_of(request: ScoreRequest) -> dict[str, Any]:
    """The score fields of a request as stored with a proposal (enough to reproduce its scores)."""
    return ScoreRequest.model_validate(request.model_dump(include=set(ScoreRequest.model_fields))).model_dump(
        mode="json", exclude_none=True
    )


@dataclass(frozen=True)
class AreaReport:
    """An area's report (JSON-able ``data``), its clipped geometry (EPSG:28992) and inputs."""

    data: dict[str, Any]
    geom: shapely.MultiPolygon
    inputs: Inputs
    result: dict[str, Any]


def _inputs(conn: Connection, request: ScoreRequest, gemeente: str, cache: IndicatorCache | None) -> Inputs:
    jaar, periode = request.jaar, request.periode
    if cache is not None:
        return cache.get(conn, gemeente=gemeente, jaar=jaar, periode=periode)
    return read_inputs(conn, gemeente=gemeente, jaar=jaar, periode=periode)


class _ScoreMemo:
    """The last few score runs per (indicator table, weighting): while a user draws, every request
    scores the same weighting on the same table. A table read anew (new data) is a new key."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._items: OrderedDict[tuple[int, str], tuple[Inputs, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def run(self, profile: Profile, inputs: Inputs, request: ScoreRequest) -> dict[str, Any]:
        key = (id(inputs), request.model_dump_json(exclude={"geometrie", "crs"}))
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] is inputs:
                self._items.move_to_end(key)
                return hit[1]
        result = run_score(profile, inputs, request.analyses())
        with self._lock:
            self._items[key] = (inputs, result)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return result


_MEMO = _ScoreMemo()


def _scores(
    stats: dict[str, Any], inputs: Inputs, request: ScoreRequest, *, memo: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Scores of the area's buurten under the weighting, and the area's own (household-weighted)."""
    profile = build_profile(request)
    result = _MEMO.run(profile, inputs, request) if memo else run_score(profile, inputs, request.analyses())
    ranked = {b["buurtcode"]: b for b in result["buurten"]}
    robust = {r["buurtcode"]: r for r in result.get("robuustheid", [])}
    partners = {r["buurtcode"]: r for r in (result.get("partnerprofielen") or {}).get("buurten", [])}
    n_ranked = sum(1 for b in result["buurten"] if b.get("rang") is not None)
    weight_key = (
        "huishoudens" if sum(b["huishoudens"] or 0 for b in stats["buurten"]) > 0 else "oppervlakte_binnen_ha"
    )
    rows, weights = [], []
    for b in stats["buurten"]:
        r = ranked.get(b["buurtcode"], {})
        row = {
            "buurtcode": b["buurtcode"],
            "buurtnaam": b["buurtnaam"],
            "aandeel": b["aandeel"],
            "rang": r.get("rang"),
            "kwadrant": r.get("kwadrant"),
            **{k: r.get(k) for k in SCORE_FIELDS},
            "reden": r.get("reden"),
        }
        if b["buurtcode"] in robust:
            row.update({k: robust[b["buurtcode"]].get(k) for k in _ROBUSTNESS})
        if b["buurtcode"] in partners:
            row["partnerrangen"] = partners[b["buurtcode"]]["rangen"]
        rows.append(row)
        w = b[weight_key] or 0.0
        if r.get("rang") is not None and w > 0:
            weights.append((r, w))
    total = sum(w for _, w in weights)
    area_scores = {k: (sum(r[k] * w for r, w in weights) / total if total else None) for k in SCORE_FIELDS}
    quadrant = None
    if area_scores["urgentie"] is not None and area_scores["potentie"] is not None:
        q, _ = quadrants(
            pd.DataFrame({k: [area_scores[k]] for k in ("urgentie", "potentie")}),
            urgentie=result["drempels"]["urgentie"],
            potentie=result["drempels"]["potentie"],
        )
        quadrant = str(q.iloc[0])
    scores = {
        **describe(profile, inputs),
        **area_scores,
        "kwadrant": quadrant,
        "weging_gebied": "huishoudens binnen het gebied"
        if weight_key == "huishoudens"
        else "oppervlakte binnen het gebied",
        "aantal_gerangschikt": n_ranked,
        "drempels": result["drempels"],
        "gewichten": result["gewichten"],
        "weggelaten": result.get("weggelaten", []),
        "buurten": rows,
        "partners": (result.get("partnerprofielen") or {}).get("partners"),
    }
    return scores, result


def _share(part: float | None, whole: float | None) -> float | None:
    return part / whole if part is not None and whole else None


def _gemeente_shares(stats: dict[str, Any], inputs: Inputs) -> dict[str, Any]:
    totals = stats["gemeente_totalen"]
    frame = inputs.frame
    held = (
        float(frame["bezit_woningen"].sum())
        if "bezit_woningen" in frame and frame["bezit_woningen"].notna().any()
        else None
    )
    return {
        "inwoners": _share(stats["inwoners"], totals["inwoners"]),
        "huishoudens": _share(stats["huishoudens"], totals["huishoudens"]),
        "woningen": _share(stats["woningen"], totals["woningen"]),
        "corporatiewoningen": _share((stats.get("corporatiebezit") or {}).get("woningen"), held),
        "melding_woningen": None
        if totals["woningen"] is not None
        else "De buurtenkaart van dit jaar heeft geen woningvoorraad; het aandeel in de woningen is "
        "onbekend (het aandeel in de corporatiewoningen en de huishoudens staat er wel).",
    }


def area_report(
    conn: Connection,
    request: AreaRequest | ScoreRequest,
    *,
    gemeente: str,
    cache: IndicatorCache | None = None,
    geometry: Any = None,
    crs: Any = None,
    area: shapely.MultiPolygon | None = None,
    exclude: int | None = None,
) -> AreaReport:
    """Statistics and scores of an area: ``geometry`` + ``crs`` (checked and clipped), or ``area``
    (EPSG:28992, e.g. a stored version). ``exclude``: a proposal not to report as overlapping."""
    gemeente = request.gemeente or gemeente
    inputs = _inputs(conn, request, gemeente, cache)
    notices: list[str] = []
    geojson = None
    if area is None:
        if isinstance(request, AreaRequest):
            geometry, crs = request.geometrie, request.crs
        area, notices, geojson = clip_to_gemeente(
            conn, parse_area(geometry, crs), gemeente=gemeente, jaar=inputs.jaar
        )
    clipped = bool(notices)  # the only notices so far: the part outside the gemeente
    stats = areas.area_statistics(conn, area, gemeente=gemeente, jaar=inputs.jaar, periode=inputs.periode)
    scores, result = _scores(stats, inputs, request, memo=cache is not None)
    overlap = proposals.overlapping(conn, area, gemeente=gemeente, exclude=exclude)
    for o in overlap:
        notices.append(
            f"Het gebied overlapt met {o['soort']} {o['id']} '{o['naam']}' ({o['status']}): "
            f"{o['overlap_ha']:.2f} ha, {100 * (o['aandeel_van_gebied'] or 0):.0f} % van dit gebied."
        )
    hidden = {k: v for k, v in (stats.get("verborgen") or {}).items() if v and k != "bezit"}
    if hidden:
        notices.append(
            "Vertrouwelijke planrecords tellen hier niet mee: "
            + ", ".join(f"{n} {k}" for k, n in hidden.items())
            + " in deze periode zijn alleen per buurt samengevat te zien."
        )
    data = {
        **stats,
        "geometrie": geojson if geojson is not None else to_geojson_4326(conn, area),
        "synthetisch": inputs.synthetisch,
        "aandeel_gemeente": _gemeente_shares(stats, inputs),
        "scores": scores,
        "overlap": overlap,
        "meldingen": notices,
        "afgesneden": clipped,
    }
    return AreaReport(data, area, inputs, result)


def sources(conn: Connection, report: AreaReport) -> dict[str, Any]:
    """The data versions a report read (as scenarios record them), for a proposal version."""
    inputs = report.inputs
    return {
        **score_inputs(conn, gemeente=inputs.gemeente, jaar=inputs.jaar, periode=inputs.periode),
        "gemeente": inputs.gemeente,
        "jaar": inputs.jaar,
        "periode": inputs.periode,
        "synthetisch": inputs.synthetisch,
    }


def snapshot(report: AreaReport) -> dict[str, Any]:
    """What a proposal version stores of its report (everything but the geometry)."""
    return {k: v for k, v in report.data.items() if k != "geometrie"}


def investment_agenda(conn: Connection, voorstel_id: int, versie: int | None = None) -> dict[str, Any]:
    """Per partner and year: planned investment inside the version's area (project deliveries of
    the version's period, apportioned by area share), plus the partners' commitments."""
    version = proposals.get_version(conn, voorstel_id, versie)
    periode = (version["invoer"] or {}).get("periode")
    planned = (
        areas.planned_projects(
            conn, proposals.version_geometry(conn, voorstel_id, version["versie"]), periode
        )
        if periode
        else {"per_partij_jaar": [], "projecten": []}
    )
    commits = proposals.commitments(conn, voorstel_id)
    table: dict[tuple[str, int | None], dict[str, float]] = {}

    def cell(partner: str, jaar: int | None) -> dict[str, float]:
        return table.setdefault(
            (partner, jaar), {"gepland_eur": 0.0, "toegezegd_eur": 0.0, "indicatief_eur": 0.0}
        )

    for row in planned["per_partij_jaar"]:
        if row["investering_eur"]:
            cell(row["partij"], row["jaar"])["gepland_eur"] += row["investering_eur"]
    for c in commits:
        cell(c["partner"], c["jaar"])[f"{c['soort']}_eur"] += c["bedrag_eur"]
    rows = [
        {"partner": p, "jaar": j, **v, "totaal_eur": sum(v.values())}
        for (p, j), v in sorted(table.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))
    ]
    return {
        "voorstel_id": voorstel_id,
        "versie": version["versie"],
        "periode": periode,
        "rijen": rows,
        "totaal_eur": sum(r["totaal_eur"] for r in rows),
        "toezeggingen": commits,
        "projecten": planned["projecten"],
        "methode": "gepland: projectleveringen van de periode binnen het gebied (projecten over de grens "
        "naar hun aandeel binnen het gebied; investering gelijk verdeeld over start- t/m eindjaar); "
        "toegezegd en indicatief: door partners toegevoegd",
    }


_COMPARED = (
    ("oppervlakte_ha", ("oppervlakte_ha",)),
    ("inwoners", ("inwoners",)),
    ("huishoudens", ("huishoudens",)),
    ("corporatiewoningen", ("corporatiebezit", "woningen")),
    ("geplande_investering_eur", ("projecten", "investering_eur")),
    ("geplande_verkoop", ("verkoop", "aantal")),
    ("verkoop_strijdig_41", ("verkoop", "strijdig_41")),
    ("leefbaarometer", ("leefbaarometer", "lbm_score")),
    ("urgentie", ("scores", "urgentie")),
    ("potentie", ("scores", "potentie")),
    ("gecombineerd", ("scores", "gecombineerd")),
)


def _dig(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)  # type: ignore[assignment]
    return data


def compare_versions(conn: Connection, voorstel_id: int, a: int, b: int) -> dict[str, Any]:
    """Version ``b`` against ``a``: area added and removed (GeoJSON, EPSG:4326) and the change in
    the statistics each version stored when it was made."""
    va, vb = proposals.get_version(conn, voorstel_id, a), proposals.get_version(conn, voorstel_id, b)
    diff = proposals.difference(conn, voorstel_id, a, b)
    sa, sb = va["statistieken"] or {}, vb["statistieken"] or {}
    figures = []
    for name, path in _COMPARED:
        x, y = _dig(sa, path), _dig(sb, path)
        figures.append(
            {
                "grootheid": name,
                "a": x,
                "b": y,
                "verschil": y - x if isinstance(x, int | float) and isinstance(y, int | float) else None,
            }
        )
    codes_a = {r["buurtcode"]: r for r in sa.get("buurten", [])}
    codes_b = {r["buurtcode"]: r for r in sb.get("buurten", [])}
    return {
        "voorstel_id": voorstel_id,
        "a": {k: va[k] for k in ("versie", "naam", "status", "aangemaakt", "auteur")},
        "b": {k: vb[k] for k in ("versie", "naam", "status", "aangemaakt", "auteur")},
        **diff,
        "statistieken": figures,
        "buurten_erbij": sorted(set(codes_b) - set(codes_a)),
        "buurten_eraf": sorted(set(codes_a) - set(codes_b)),
        "buurten_aandeel": [
            {"buurtcode": c, "a": codes_a[c]["aandeel"], "b": codes_b[c]["aandeel"]}
            for c in sorted(set(codes_a) & set(codes_b))
            if abs(codes_a[c]["aandeel"] - codes_b[c]["aandeel"]) > 1e-9
        ],
    }
