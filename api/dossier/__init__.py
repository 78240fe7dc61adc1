"""The BO dossier of a proposal version: a PDF (A4, Dutch), a GeoPackage and an offline HTML map.

``gather`` collects what the three files show, through the same read path as the API: the
indicator table of the version's stored data choice (gemeente, buurten year, Leefbaarometer
edition, period; ``layers.indicators.read_table``, the period's view carrying each partner's newest
delivery forward) and ``api.dia.area_report`` with the version's stored weighting, plus Monte Carlo
robustness and the partner profiles of the gemeente's organisations; ``build_dossier`` writes the
files asked for. The dossier names the deliveries it used (per partner and layer: current or
carried forward, with its period and version). "SYNTHETISCHE DATA" follows the per-criterion rule:
only when a figure it shows counts synthetic records or a criterion it weighs is synthetic.

Every file obeys the map's confidentiality rule: it is made in the view of whoever asks (the
connection's principal, under row-level security and the disclosure rule), and when it holds
anything the public may not see, every PDF page, the folium map and the GeoPackage's metadata say
"VERTROUWELIJK" and whose view it is (``api.dossier.confidential``); its note says which view its
figures are. Texts written by people (names, motivations, comments) are stored as given and
escaped here (Jinja2 autoescape, and ``html.escape`` in the maps). Dates and numbers are Dutch
(``api.dutch``), method names the engine's Dutch labels.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from jinja2 import Environment, PackageLoader, Undefined, select_autoescape
from sqlalchemy import Connection

from api import dutch
from api.dia import AreaReport, area_report, investment_agenda, sources
from api.dossier.confidential import Confidentiality, assess
from api.exporting import GPKG, metadata_frame, ranking_frame, write_gpkg
from api.scoring import ScoreRequest, catalogue
from layers import proposals
from layers.areas import MIN_ADDRESS_DWELLINGS, visible_records
from layers.catalogue import CBS_ATTRIBUTION, LBM_ATTRIBUTION
from layers.indicators import read_table
from layers.proposals import STATUS_LABELS
from sia.aggregate import COMBINE, METHODS
from sia.run import MonteCarlo

__all__ = ["Dossier", "build_dossier", "dossier_map", "gather"]

_REPO_WEBMAP = Path(__file__).resolve().parents[2] / "webmap"


@dataclass
class Dossier:
    """Everything the dossier files show."""

    version: dict[str, Any]
    history: list[dict[str, Any]]
    comments: list[dict[str, Any]]
    agenda: dict[str, Any]
    report: AreaReport
    weging: ScoreRequest
    criteria: list[dict[str, Any]]
    sources_now: dict[str, Any]
    buurten: gpd.GeoDataFrame
    records: dict[str, gpd.GeoDataFrame]
    confidentiality: Confidentiality
    made: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))

    @property
    def synthetic(self) -> bool:
        """Whether any figure or record the dossier shows stands on synthetic data."""
        return bool(self.report.data["synthetisch"]) or any(
            bool(f["synthetisch"].any()) for f in self.records.values() if not f.empty
        )

    @property
    def synthetic_parts(self) -> list[str]:
        """The parts that stand on synthetic data (Dutch words, for the banner and the metadata)."""
        names = {
            "corporatiebezit": "corporatiebezit",
            "projecten": "geplande projecten",
            "verkoop": "geplande verkoop",
            "scores": "scores (een gewogen criterium)",
        }
        parts = [names.get(p, p) for p in self.report.data["synthetisch_in"]]
        shown = [k for k, f in self.records.items() if not f.empty and bool(f["synthetisch"].any())]
        if shown:
            parts.append("partnerrecords op de kaart")
        return parts

    @property
    def method_label(self) -> str:
        """The aggregation method's Dutch label (the engine's registry), e.g. "gewogen som"."""
        name = self.report.profile.method
        return METHODS[name].label if name in METHODS else name

    @property
    def combine_label(self) -> str:
        return COMBINE.get(self.report.profile.combine, self.report.profile.combine)

    @property
    def weighting_label(self) -> str:
        """Profile, method, buurten year, Leefbaarometer edition and period in one Dutch line."""
        table = self.report.table
        return (
            f"{self.report.profile.label}, methode {self.method_label}; buurten {table.jaar}, "
            f"Leefbaarometer {table.editie or '–'}, periode {table.periode or 'geen partnerdata'}"
        )

    @property
    def banner(self) -> str | None:
        """The header of every PDF page: VERTROUWELIJK (whose view) and SYNTHETISCHE DATA."""
        marks = [m for m in (self.confidentiality.mark, "SYNTHETISCHE DATA" if self.synthetic else None) if m]
        return " · ".join(marks) or None

    @property
    def stem(self) -> str:
        return f"dossier_voorstel_{self.version['voorstel_id']}_v{self.version['versie']}"


def gather(conn: Connection, voorstel_id: int, versie: int | None = None) -> Dossier:
    """Collect a version's dossier (the newest version when ``versie`` is None)."""
    version = proposals.get_version(conn, voorstel_id, versie)
    stored = ScoreRequest.model_validate(version["weging"])
    gemeente = stored.gemeente or version["gemeente"]
    table = read_table(
        conn,
        gemeente=gemeente,
        jaar=stored.jaar,
        editie=stored.editie,
        periode=stored.periode,
        bron={k: "gevraagd" for k in ("jaar", "editie", "periode") if getattr(stored, k) is not None},
    )
    weging = stored.model_copy(
        update={
            "monte_carlo": stored.monte_carlo or MonteCarlo(),
            "partnerprofielen": bool(catalogue(conn, table).partners),
        }
    )
    area = proposals.version_geometry(conn, voorstel_id, version["versie"])
    report = area_report(conn, weging, table, area=area, exclude=voorstel_id)
    directions = {c.id: c.direction for c in report.profile.criteria}
    criteria = [{**c, "richting": directions.get(c["id"])} for c in report.run.criteria]
    ranked = ranking_frame(report.run.output)  # scores, contributions, robustness, partner ranks
    values = table.frame.drop(columns=[c for c in table.frame.columns if c in ranked.columns])
    frame = values.join(ranked)
    buurten = gpd.GeoDataFrame(frame, geometry=table.geometrie.reindex(frame.index), crs=28992)
    share = {b["buurtcode"]: b for b in report.data["buurten"]}
    buurten["aandeel"] = [share[c]["aandeel"] if c in share else 0.0 for c in buurten.index]
    buurten["aandeel_tekst"] = [f"{100 * a:.0f} %" if a else "" for a in buurten["aandeel"]]
    records = visible_records(conn, area, table.view) if table.periode else {}
    history = proposals.versions(conn, voorstel_id)
    comments = proposals.comments(conn, voorstel_id)
    agenda = investment_agenda(conn, voorstel_id, version["versie"])
    confidentiality = assess(
        conn,
        version=version,
        history=history,
        comments=comments,
        commitments=agenda["toezeggingen"],
        report_data=report.data,
        table=table,
        area=area,
        records=records,
    )
    return Dossier(
        version=version,
        history=history,
        comments=comments,
        agenda=agenda,
        report=report,
        weging=weging,
        criteria=criteria,
        sources_now=sources(report),
        buurten=buurten,
        records=records,
        confidentiality=confidentiality,
    )


# -- PDF ---------------------------------------------------------------------------------------


def _num(value: Any, digits: int = 0) -> str:
    return "–" if isinstance(value, Undefined) else dutch.number(value, digits)


def _pct(value: Any, digits: int = 0) -> str:
    return "–" if value is None or isinstance(value, Undefined) else f"{_num(100 * float(value), digits)} %"


def _eur(value: Any) -> str:
    return "–" if value is None or isinstance(value, Undefined) else f"€ {_num(value)}"


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("api.dossier", "templates"),
        autoescape=select_autoescape(["html"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        num=_num,
        pct=_pct,
        eur=_eur,
        datum=lambda v: "–" if isinstance(v, Undefined) else dutch.date(v),
        datum_tijd=lambda v: "–" if isinstance(v, Undefined) else dutch.date_time(v),
        status=lambda v: STATUS_LABELS.get(v, v),
        meervoud=lambda n, one, many: dutch.plural(n, one, many),
    )
    return env


def render_html(d: Dossier) -> str:
    """The dossier as one HTML page (the PDF's source; everything inline)."""
    from api.dossier.svgmap import svg_map

    data = d.report.data
    touched = {b["buurtcode"] for b in data["buurten"]}
    svg = svg_map(d.buurten, d.report.geom, touched=touched, title=d.version["naam"])
    contributions = [r for r in d.report.run.output.get("bijdragen", []) if r["buurtcode"] in touched]
    stored_inputs = dict((d.version["invoer"] or {}).items())
    changed = [
        k
        for k in ("leveringen", "rasters", "laadacties", "lbm_editie")
        if json.dumps(stored_inputs.get(k), sort_keys=True)
        != json.dumps(d.sources_now.get(k), sort_keys=True)
    ]
    return (
        _env()
        .get_template("dossier.html")
        .render(
            d=d,
            v=d.version,
            data=data,
            scores=data["scores"],
            svg=svg,
            contributions=contributions,
            names={b["buurtcode"]: b["buurtnaam"] for b in data["buurten"]},
            criteria=d.criteria,
            changed=changed,
            stored_inputs=stored_inputs,
            attribution={"cbs": CBS_ATTRIBUTION, "lbm": LBM_ATTRIBUTION},
            confidentiality=d.confidentiality,
            min_address_dwellings=MIN_ADDRESS_DWELLINGS,
        )
    )


def _pdf(d: Dossier) -> bytes:
    from api.dossier.pdf import html_to_pdf

    label = f"DIA-voorstel {d.version['voorstel_id']} · versie {d.version['versie']} · {d.version['status']}"
    return html_to_pdf(render_html(d), banner=d.banner, label=label)


# -- GeoPackage ----------------------------------------------------------------------------------


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns a GeoPackage can hold: dicts and lists as JSON text."""
    out = frame.copy()
    for col in out.columns:
        if col != "geometry" and out[col].map(lambda v: isinstance(v, dict | list)).any():
            out[col] = out[col].map(
                lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
            )
    return out


def _gpkg(d: Dossier) -> bytes:
    v, data = d.version, d.report.data
    area = gpd.GeoDataFrame(
        [
            {
                "voorstel_id": v["voorstel_id"],
                "versie": v["versie"],
                "naam": v["naam"],
                "status": v["status"],
                "bo_datum": v["bo_datum"],
                "besluitreferentie": v["besluitreferentie"],
                "partners": ", ".join(v["partners"]),
                "oppervlakte_ha": data["oppervlakte_ha"],
                "inwoners": data["inwoners"],
                "huishoudens": data["huishoudens"],
                "urgentie": data["scores"]["urgentie"],
                "potentie": data["scores"]["potentie"],
                "gecombineerd": data["scores"]["gecombineerd"],
                "synthetisch": d.synthetic,
            }
        ],
        geometry=[d.report.geom],
        crs=28992,
    )
    touched = [b["buurtcode"] for b in data["buurten"]]
    methods = {b["buurtcode"]: b["methode"] for b in data["buurten"]}
    buurten = d.buurten.loc[touched].drop(columns=["aandeel_tekst"])
    buurten["methode_verdeling"] = [methods[c] for c in buurten.index]
    buurten["kwadrant"] = buurten["kwadrant"].astype("string")
    layers: dict[str, Any] = {"gebied": area, "buurten": _plain(buurten.reset_index())}
    for kind, frame in d.records.items():
        if not frame.empty:
            layers[f"partner_{kind}"] = frame
    layers["metadata"] = metadata_frame(
        {
            "voorstel": v["voorstel_id"],
            "versie": v["versie"],
            "status": v["status"],
            "gemaakt_op": d.made,
            "weergave": d.confidentiality.view,
            "vertrouwelijk": d.confidentiality.confidential,
            "vertrouwelijk_let_op": d.confidentiality.mark or "",
            "niet_openbaar": list(d.confidentiality.parts),
            "synthetisch": d.synthetic,
            "let_op": f"SYNTHETISCHE DATA in: {', '.join(d.synthetic_parts)}" if d.synthetic else "",
            "vertrouwelijkheid": d.confidentiality.note,
            "profiel": d.report.profile.label,
            "methode": d.method_label,
            "weging": v["weging"],
            "gegevens_van_de_versie": v["invoer"],
            "gegevens_nu": d.sources_now,
            "leveringen": [
                {
                    k: getattr(r, k)
                    for k in ("partner", "laag", "status", "periode", "leeftijd", "levering_id", "versie")
                }
                for r in d.report.table.completeness.rijen
            ],
            "waarschuwingen": d.report.table.waarschuwingen,
            "bronnen": f"{CBS_ATTRIBUTION}; {LBM_ATTRIBUTION}",
            "verdeling": data["verdeling"]["methoden"],
        }
    )
    return write_gpkg(layers)


# -- HTML map ------------------------------------------------------------------------------------


def dossier_map(d: Dossier, webmap_dir: Path | None = None) -> Any:
    """The dossier's interactive map as a folium Map (the notebook shows it as is): the area over
    its buurten coloured by the combined score, and the partner points the viewer may see."""
    from api.dossier.webmap import area_map

    v = d.version
    return area_map(
        title=f"{v['naam']} (voorstel {v['voorstel_id']}, versie {v['versie']}, {v['status']})",
        area=d.report.geom,
        buurten=d.buurten,
        points=d.records,
        webmap_dir=webmap_dir or _REPO_WEBMAP,
        synthetic=d.synthetic,
        weighting=d.weighting_label,
        confidential=d.confidentiality.mark,
    )


def _html_map(d: Dossier, webmap_dir: Path) -> bytes:
    html: str = dossier_map(d, webmap_dir).get_root().render()
    return html.encode("utf-8")


MEDIA = {"pdf": "application/pdf", "gpkg": GPKG, "html": "text/html; charset=utf-8"}


def build_dossier(
    conn: Connection,
    voorstel_id: int,
    versie: int | None = None,
    *,
    formats: tuple[str, ...] = ("pdf", "gpkg", "html"),
    webmap_dir: Path | None = None,
) -> dict[str, tuple[bytes, str]]:
    """The dossier files asked for: file name → (content, media type). ``zip`` bundles all three."""
    d = gather(conn, voorstel_id, versie)
    webmap = webmap_dir or _REPO_WEBMAP
    wanted = ("pdf", "gpkg", "html") if "zip" in formats else formats
    made: dict[str, bytes] = {}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sia-dossier") as pool:
        # Chromium prints the PDF in its own process while this thread writes the other files
        pdf = pool.submit(_pdf, d) if "pdf" in wanted else None
        if "gpkg" in wanted:
            made["gpkg"] = _gpkg(d)
        if "html" in wanted:
            made["html"] = _html_map(d, webmap)
        if pdf is not None:
            made["pdf"] = pdf.result()
    if "zip" in formats:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for ext in ("pdf", "gpkg", "html"):
                zf.writestr(f"{d.stem}.{ext}", made[ext])
        return {f"{d.stem}.zip": (buffer.getvalue(), "application/zip")}
    return {f"{d.stem}.{ext}": (made[ext], MEDIA[ext]) for ext in formats}
