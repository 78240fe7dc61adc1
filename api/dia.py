"""The DIA read path: an area's statistics and scores, a proposal's snapshot, agenda and changes.

One function per capability, called by the routers (``api/routers/gebieden.py``,
``voorstellen.py``), the CLI (``api/cli_dia.py``), the dossier (``api/dossier``) and the notebook:

- ``area_report``: check and clip an area, its statistics (``layers.areas``), its scores for a
  weighting, its share of the gemeente, overlaps with other proposals, notices;
- ``investment_agenda``: planned investment inside a proposal's area per partner and year plus the
  partners' commitments;
- ``compare_versions``: area added and removed between two versions, and the change in figures.

Everything reads the one indicator table (``layers.indicators.read_table``, through the API's
cache or read directly) and scores it as POST /api/scores does: the request models and
``build_profile`` of ``api.scoring``, the gemeente's profile catalogue, ``score_table``. A result is
synthetic only where what it counts or weighs comes from synthetic data.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd
import shapely
from pydantic import ConfigDict, Field
from sqlalchemy import Connection

from api.dutch import number, plural
from api.scoring import (
    DataRequest,
    IndicatorCache,
    ScoreRequest,
    build_profile,
    catalogue,
    data_choice,
    describe,
)
from api.settings import Settings
from api.types import Id
from layers import areas, proposals
from layers.area_geometry import clip_to_gemeente, parse_area, to_geojson_4326
from layers.indicators import IndicatorTable, read_table, score_table, usable_profiles
from layers.periods import period_view
from layers.provenance import score_inputs
from sia.aggregate import quadrants
from sia.criteria import AXES, Profile
from sia.profile import ProfileCatalogue, profile_to_dict
from sia.run import QUADRANTS, UNKNOWN_QUADRANT, Run

__all__ = [
    "SCORE_FIELDS",
    "AreaReport",
    "AreaRequest",
    "area_report",
    "compare_versions",
    "investment_agenda",
    "table_for",
    "weging_of",
]

SCORE_FIELDS = ("urgentie", "potentie", "gecombineerd")
_HIDDEN_NOUNS = {"projecten": ("project", "projecten"), "verkoop": ("verkoop", "verkopen")}
"""Dutch singular and plural of the partner layers whose hidden records a notice counts."""
_ROBUSTNESS = ("p_top", "rang_p05", "rang_mediaan", "rang_p95")


class AreaRequest(ScoreRequest):
    """An area (GeoJSON Polygon or MultiPolygon, or a Feature holding one) in a stated CRS, and
    the weighting to score it with (the fields of POST /api/scores)."""

    model_config = ConfigDict(extra="forbid")

    geometrie: dict[str, Any] = Field(description="GeoJSON Polygon/MultiPolygon (or a Feature with one)")
    crs: str | int = Field(description="EPSG:4326 (lon/lat, as the map) or EPSG:28992 (RD New)")
    voorstel_id: Id | None = Field(
        None,
        description="the proposal whose boundary this is (being edited): not reported as overlapping",
    )


def weging_of(request: ScoreRequest, table: IndicatorTable | None = None) -> dict[str, Any]:
    """The score fields of a request as stored with a proposal; with ``table``, the data choice it
    resolved to (gemeente, year, edition, period), so that its scores can be reproduced."""
    out = ScoreRequest.model_validate(request.model_dump(include=set(ScoreRequest.model_fields))).model_dump(
        mode="json", exclude_none=True
    )
    if table is not None:
        out.update(gemeente=table.gemeente, jaar=table.jaar)
        out.pop("editie", None)
        out.pop("periode", None)
        if table.editie is not None:
            out["editie"] = table.editie
        if table.periode is not None:
            out["periode"] = table.periode
    return out


def table_for(
    conn: Connection, request: DataRequest, settings: Settings, cache: IndicatorCache | None = None
) -> IndicatorTable:
    """The indicator table a request reads (the settings' defaults for what it leaves open):
    from the API's cache when given, else read."""
    choice = data_choice(settings, request)
    if cache is not None:
        return cache.get(conn, **choice)
    return read_table(conn, **choice)


@dataclass(frozen=True)
class AreaReport:
    """An area's report (JSON-able ``data``), its clipped geometry (EPSG:28992), the table it was
    read from, and the score run."""

    data: dict[str, Any]
    geom: shapely.MultiPolygon
    table: IndicatorTable
    run: Run
    profile: Profile
    profiles: ProfileCatalogue


class _ScoreMemo:
    """The last few score runs per (indicator table, profile as used, analyses): while a user draws,
    every request scores the same weighting on the same table. A table read anew (new data) is a
    new key."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._items: OrderedDict[tuple[int, str], tuple[IndicatorTable, Run]] = OrderedDict()
        self._lock = threading.Lock()

    def run(
        self, table: IndicatorTable, profile: Profile, request: ScoreRequest, profiles: ProfileCatalogue
    ) -> Run:
        key = (
            id(table),
            json.dumps(
                [profile_to_dict(profile), request.analyses().model_dump(mode="json"), profiles.partners],
                sort_keys=True,
                default=str,
            ),
        )
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] is table:
                self._items.move_to_end(key)
                return hit[1]
        scored = _score(table, profile, request, profiles)
        with self._lock:
            self._items[key] = (table, scored)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return scored


_MEMO = _ScoreMemo()


def _score(table: IndicatorTable, profile: Profile, request: ScoreRequest, profiles: ProfileCatalogue) -> Run:
    return score_table(
        table,
        profile,
        request.analyses(),
        partner_labels=profiles.partners,
        alternatives=usable_profiles(table, profiles),
    )


def _area_quadrant(result: dict[str, Any], area_scores: dict[str, float | None]) -> str | None:
    """The quadrant of the area's own scores, by the thresholds of the gemeente's buurten; with one
    axis unknown the quadrant says so (``potentie_onbekend``), as for the buurten."""
    known = [a for a in AXES if result["assen"].get(a)]
    if len(known) < len(AXES):
        unknown = next(a for a in AXES if a not in known)
        return UNKNOWN_QUADRANT[unknown] if area_scores["gecombineerd"] is not None else None
    if area_scores["urgentie"] is None or area_scores["potentie"] is None:
        return None
    q, _ = quadrants(
        pd.DataFrame({k: [area_scores[k]] for k in AXES}),
        urgentie=result["drempels"]["urgentie"],
        potentie=result["drempels"]["potentie"],
    )
    return str(q.iloc[0])


def _scores(stats: dict[str, Any], table: IndicatorTable, profile: Profile, scored: Run) -> dict[str, Any]:
    """Scores of the area's buurten under the weighting, and the area's own (household-weighted;
    an unknown axis stays unknown: None, never NaN)."""
    result = scored.output
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

    def weighted(key: str) -> float | None:
        pairs = [(r[key], w) for r, w in weights if r.get(key) is not None]
        total = sum(w for _, w in pairs)
        return sum(v * w for v, w in pairs) / total if total else None

    area_scores = {k: weighted(k) for k in SCORE_FIELDS}
    return {
        **describe(profile, table),
        **area_scores,
        "kwadrant": _area_quadrant(result, area_scores),
        "kwadranten": QUADRANTS,
        "assen": result["assen"],
        "melding": result.get("melding"),
        "weging_gebied": "huishoudens binnen het gebied"
        if weight_key == "huishoudens"
        else "oppervlakte binnen het gebied",
        "aantal_gerangschikt": n_ranked,
        "drempels": result["drempels"],
        "gewichten": result["gewichten"],
        "criteria": scored.criteria,
        "weggelaten": scored.left_out,
        "synthetisch": scored.synthetic,
        "buurten": rows,
        "partners": (result.get("partnerprofielen") or {}).get("partners"),
    }


def _share(part: float | None, whole: float | None) -> float | None:
    return part / whole if part is not None and whole else None


def _gemeente_shares(stats: dict[str, Any], table: IndicatorTable) -> dict[str, Any]:
    totals = stats["gemeente_totalen"]
    frame = table.frame
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


def _synthetic_parts(stats: dict[str, Any], scores: dict[str, Any]) -> list[str]:
    """The parts of a report that count or weigh synthetic data (the per-criterion rule)."""
    parts = [
        k for k in ("corporatiebezit", "projecten", "verkoop") if (stats.get(k) or {}).get("synthetisch")
    ]
    if scores["synthetisch"]:
        parts.append("scores")
    return parts


def area_report(
    conn: Connection,
    request: AreaRequest | ScoreRequest,
    table: IndicatorTable,
    *,
    geometry: Any = None,
    crs: Any = None,
    area: shapely.MultiPolygon | None = None,
    exclude: int | None = None,
    memo: bool = False,
) -> AreaReport:
    """Statistics and scores of an area seen through ``table``: ``geometry`` + ``crs`` (checked and
    clipped; an ``AreaRequest`` carries its own), or ``area`` (EPSG:28992, e.g. a stored version).
    ``exclude``: a proposal not to report as overlapping. ``memo``: reuse the score run of the same
    table and weighting (live statistics while drawing)."""
    gemeente = table.gemeente
    notices: list[str] = []
    geojson = None
    if area is None:
        if isinstance(request, AreaRequest):
            geometry, crs = request.geometrie, request.crs
        area, notices, geojson = clip_to_gemeente(
            conn, parse_area(geometry, crs), gemeente=gemeente, jaar=table.jaar
        )
    clipped = bool(notices)  # the only notices so far: the part outside the gemeente
    stats = areas.area_statistics(conn, area, table)
    profiles = catalogue(conn, table)
    profile = build_profile(request, profiles, table)
    scored = (
        _MEMO.run(table, profile, request, profiles) if memo else _score(table, profile, request, profiles)
    )
    scores = _scores(stats, table, profile, scored)
    overlap = proposals.overlapping(conn, area, gemeente=gemeente, exclude=exclude)
    for o in overlap:
        notices.append(
            f"Het gebied overlapt met {o['soort']} {o['id']} '{o['naam']}' ({o['status']}): "
            f"{number(o['overlap_ha'], 2)} ha, "
            f"{number(100 * (o['aandeel_van_gebied'] or 0))} % van dit gebied."
        )
    hidden = {k: v for k, v in (stats.get("verborgen") or {}).items() if v and k in _HIDDEN_NOUNS}
    if hidden:
        notices.append(
            "Vertrouwelijke planrecords tellen hier niet mee: "
            + " en ".join(plural(n, *_HIDDEN_NOUNS[k]) for k, n in hidden.items())
            + f" in deze periode {'is' if sum(hidden.values()) == 1 else 'zijn'} alleen per buurt "
            "samengevat te zien."
        )
    synthetic = _synthetic_parts(stats, scores)
    data = {
        **stats,
        "geometrie": geojson if geojson is not None else to_geojson_4326(conn, area),
        "synthetisch": bool(synthetic),
        "synthetisch_in": synthetic,
        "volledigheid": [asdict(r) for r in table.completeness.rijen],
        "waarschuwingen": table.waarschuwingen,
        "aandeel_gemeente": _gemeente_shares(stats, table),
        "scores": scores,
        "overlap": overlap,
        "meldingen": notices,
        "afgesneden": clipped,
    }
    return AreaReport(data, area, table, scored, profile, profiles)


def sources(report: AreaReport) -> dict[str, Any]:
    """The data versions a report read (``layers.provenance.score_inputs``, as scenarios record
    them) and the data choice, for a proposal version."""
    table = report.table
    return {
        **score_inputs(table),
        "gemeente": table.gemeente,
        "jaar": table.jaar,
        "periode": table.periode,
        "synthetisch": report.data["synthetisch"],
        "synthetisch_in": report.data["synthetisch_in"],
    }


def snapshot(report: AreaReport) -> dict[str, Any]:
    """What a proposal version stores of its report (everything but the geometry)."""
    return {k: v for k, v in report.data.items() if k != "geometrie"}


def investment_agenda(conn: Connection, voorstel_id: int, versie: int | None = None) -> dict[str, Any]:
    """Per partner and year: planned investment inside the version's area (the project deliveries
    of the view of the version's period, carried forward as in the indicator table; apportioned by
    area share), plus the partners' commitments."""
    version = proposals.get_version(conn, voorstel_id, versie)
    periode = (version["invoer"] or {}).get("periode")
    view = period_view(conn, version["gemeente"], periode) if periode else None
    planned: dict[str, Any] = {"per_partij_jaar": [], "projecten": [], "synthetisch": False}
    if view is not None:
        area = proposals.version_geometry(conn, voorstel_id, version["versie"])
        planned = areas.planned_projects(conn, area, view.ids("projecten"))
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
    used = sorted(
        {(d.partner, d.periode, d.id) for d in (view.per_laag.get("projecten", []) if view else [])}
    )
    return {
        "voorstel_id": voorstel_id,
        "versie": version["versie"],
        "periode": periode,
        "leveringen": [{"partner": p, "periode": per, "id": i} for p, per, i in used],
        "rijen": rows,
        "totaal_eur": sum(r["totaal_eur"] for r in rows),
        "toezeggingen": commits,
        "projecten": planned["projecten"],
        "synthetisch": planned["synthetisch"],
        "methode": "gepland: projectleveringen van de periode (per partner de nieuwste levering tot en met "
        "de periode) binnen het gebied (projecten over de grens naar hun aandeel binnen het gebied; "
        "investering gelijk verdeeld over start- t/m eindjaar); toegezegd en indicatief: door partners "
        "toegevoegd",
    }


_COMPARED = (  # (grootheid, Dutch label, unit, path in the stored statistics)
    ("oppervlakte_ha", "Oppervlakte", "ha", ("oppervlakte_ha",)),
    ("inwoners", "Inwoners", "inwoners", ("inwoners",)),
    ("huishoudens", "Huishoudens", "huishoudens", ("huishoudens",)),
    ("corporatiewoningen", "Corporatiewoningen", "woningen", ("corporatiebezit", "woningen")),
    ("geplande_investering_eur", "Geplande investering", "€", ("projecten", "investering_eur")),
    ("geplande_verkoop", "Geplande verkoop", "woningen", ("verkoop", "aantal")),
    ("verkoop_strijdig_41", "Verkoop strijdig met afspraak 4.1", "woningen", ("verkoop", "strijdig_41")),
    ("leefbaarometer", "Leefbaarometer totaalscore", None, ("leefbaarometer", "lbm_score")),
    ("urgentie", "Urgentie", None, ("scores", "urgentie")),
    ("potentie", "Potentie", None, ("scores", "potentie")),
    ("gecombineerd", "Gecombineerde score", None, ("scores", "gecombineerd")),
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
    for name, label, unit, path in _COMPARED:
        x, y = _dig(sa, path), _dig(sb, path)
        figures.append(
            {
                "grootheid": name,
                "label": label,
                "eenheid": unit,
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
