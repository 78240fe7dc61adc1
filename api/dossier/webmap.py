"""The dossier's interactive map (folium) as one HTML file that opens offline.

folium loads Leaflet, jQuery and Bootstrap from CDNs by default. This map needs Leaflet only: the
map's own ``default_js``/``default_css`` are emptied and Leaflet's JS and CSS (the copy npm
installed for the web map, ``webmap/node_modules/leaflet/dist``) are inlined in the page, so it
opens from a USB stick without any request leaving the machine. No tiles: buurt outlines are the
reference (as in the web map without a basemap). Every data text is escaped before it reaches
the page (folium puts tooltip values into the DOM as HTML).
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import Figure, MacroElement
from jinja2 import Template

from api.dossier.svgmap import NO_SCORE, PALETTE, classes, legend_classes
from sia.errors import SetupError

__all__ = ["area_map", "folium_map", "leaflet_dir"]


def leaflet_dir(webmap_dir: Path) -> Path:
    folder = webmap_dir / "node_modules" / "leaflet" / "dist"
    if not (folder / "leaflet.js").is_file():
        raise SetupError(
            f"Leaflet ontbreekt in {folder}; draai `npm ci` in {webmap_dir} (scripts/setup.sh doet dit)."
        )
    return folder


def _figure(m: folium.Map) -> Figure:
    root = m.get_root()
    assert isinstance(root, Figure)
    return root


def _inline_leaflet(m: folium.Map, folder: Path) -> None:
    m.default_js = []
    m.default_css = []
    css = (folder / "leaflet.css").read_text(encoding="utf-8")
    js = (folder / "leaflet.js").read_text(encoding="utf-8")
    root = _figure(m)
    root.header.add_child(folium.Element(f"<style>{css}</style>"), name="leaflet_css_inline", index=0)
    root.header.add_child(folium.Element(f"<script>{js}</script>"), name="leaflet_js_inline", index=1)
    root.header.add_child(folium.Element('<link rel="icon" href="data:,">'), name="favicon")


def _texts(frame: gpd.GeoDataFrame, columns: list[str]) -> gpd.GeoDataFrame:
    out = frame[[*columns, "geometry"]].copy()
    for col in columns:
        out[col] = [
            "" if v is None or (isinstance(v, float) and not np.isfinite(v)) else escape(str(v))
            for v in out[col]
        ]
    return out


def area_map(
    *,
    title: str,
    area: shapely.Geometry,
    buurten: gpd.GeoDataFrame,
    points: dict[str, gpd.GeoDataFrame],
    webmap_dir: Path,
    synthetic: bool,
    weighting: str = "",
    confidential: str | None = None,
) -> folium.Map:
    """The map as a folium Map (shown as is in a notebook). ``area``, ``buurten`` (index
    buurtcode; buurtnaam, gecombineerd, rang, kwadrant, aandeel) and ``points`` (layer → records)
    in EPSG:28992. ``weighting``: the profile, method, year, edition and period the colours stand
    on (in the legend); ``confidential``: the mark of a confidential dossier (in the banner)."""
    area_4326 = gpd.GeoSeries([area], crs=28992).to_crs(4326)
    x0, y0, x1, y1 = area_4326.total_bounds
    m = folium.Map(location=[(y0 + y1) / 2, (x0 + x1) / 2], tiles=None, zoom_start=14)
    _inline_leaflet(m, leaflet_dir(webmap_dir))
    _MetricScale().add_to(m)
    breaks = classes(buurten["gecombineerd"].to_numpy(dtype=float))

    def colour(value: Any) -> str:
        if value is None or not np.isfinite(value):
            return NO_SCORE
        return PALETTE[int(np.searchsorted(breaks, float(value), side="right"))]

    shown = buurten.assign(
        kleur=[colour(v) for v in buurten["gecombineerd"]],
        score=[
            None if v is None or not np.isfinite(v) else round(float(v), 3) for v in buurten["gecombineerd"]
        ],
    )
    window = area.buffer(max(area.bounds[2] - area.bounds[0], area.bounds[3] - area.bounds[1]))
    shown = shown[shown.intersects(window)]
    shown = shown.set_geometry(shown.geometry.simplify(2.0))  # 2 m: invisible at street level
    data = _texts(
        shown.reset_index().to_crs(4326),
        ["buurtcode", "buurtnaam", "rang", "kwadrant", "score", "aandeel_tekst", "kleur"],
    )
    folium.GeoJson(
        data.to_json(),
        name="Buurten (gecombineerde score)",
        style_function=lambda f: {
            "fillColor": f["properties"]["kleur"],
            "color": "#555",
            "weight": 0.8,
            "fillOpacity": 0.75,
        },
        tooltip=folium.GeoJsonTooltip(
            ["buurtnaam", "buurtcode", "rang", "kwadrant", "score", "aandeel_tekst"],
            aliases=["Buurt", "Code", "Rang", "Kwadrant", "Score", "Binnen het gebied"],
        ),
    ).add_to(m)
    folium.GeoJson(
        area_4326.__geo_interface__,
        name="Het gebied",
        style_function=lambda f: {"color": "#1f3fbf", "weight": 3, "fill": False},
    ).add_to(m)
    colours = POINT_COLOURS
    for kind, frame in points.items():
        if kind not in colours or frame.empty:
            continue
        shown_points = frame.to_crs(4326).assign(
            label=[
                f"{r.get('corporatie') or ''} · {r.get('adres') or ''}"
                + (" (synthetisch)" if r.get("synthetisch") else "")
                for r in frame.to_dict("records")
            ]
        )
        label = POINT_LABELS[kind]
        point_colour = colours[kind]
        folium.GeoJson(  # one layer of circle markers (one folium object per point is slow)
            _texts(shown_points, ["label"]).to_json(),
            name=f"{label} ({len(frame)})",
            marker=folium.CircleMarker(radius=3, color=point_colour, fill=True, fill_opacity=0.9, weight=1),
            tooltip=folium.GeoJsonTooltip(["label"], labels=False),
        ).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    m.fit_bounds([[y0, x0], [y1, x1]])
    marks = [t for t in (confidential, "SYNTHETISCHE DATA" if synthetic else None) if t]
    banner = (
        '<div class="dossier-titel" style="position:fixed;top:8px;left:56px;z-index:1000;background:#fff;'
        'padding:4px 10px;border:1px solid #999;font:14px sans-serif;max-width:calc(100% - 420px)">'
        f"<b>{escape(title)}</b>"
        + "".join(
            f' · <span class="dossier-mark" style="color:#b00020;font-weight:bold">{escape(t)}</span>'
            for t in marks
        )
        + "</div>"
    )
    _figure(m).html.add_child(folium.Element(banner))
    shown_kinds = [k for k, f in points.items() if k in POINT_COLOURS and not f.empty]
    _figure(m).html.add_child(
        folium.Element(_legend(buurten["gecombineerd"].to_numpy(dtype=float), weighting, shown_kinds))
    )
    _figure(m).header.add_child(folium.Element(f"<title>{escape(title)}</title>"), name="title")
    return m


POINT_COLOURS = {"bezit": "#1b7837", "verkoop": "#b2182b"}
POINT_LABELS = {"bezit": "Corporatiebezit", "verkoop": "Geplande verkoop"}


class _MetricScale(MacroElement):
    """Leaflet's scale bar in metres and kilometres only (folium's ``control_scale`` adds miles)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        L.control.scale({ imperial: false, metric: true }).addTo({{ this._parent.get_name() }});
        {% endmacro %}"""
    )


def _legend(values: np.ndarray, weighting: str, kinds: list[str]) -> str:
    """The map's legend (bottom right): the score classes, no score, the area and the point layers,
    and what the colours stand on. Every text escaped."""

    def row(swatch: str, label: str) -> str:
        return (
            '<div style="display:flex;align-items:center;gap:6px;margin:2px 0">'
            f"{swatch}<span>{escape(label)}</span></div>"
        )

    def box(colour: str) -> str:
        return (
            '<span style="display:inline-block;width:14px;height:10px;'
            f'background:{colour};border:1px solid #555"></span>'
        )

    rows = [row(box(colour), label) for colour, label in legend_classes(values)]
    rows.append(row(box(NO_SCORE), "geen score"))
    rows.append(
        row(
            '<span style="display:inline-block;width:14px;border-top:3px solid #1f3fbf"></span>', "het gebied"
        )
    )
    for kind in kinds:
        dot = (
            f'<span style="display:inline-block;width:8px;height:8px;margin:0 3px;border-radius:50%;'
            f'background:{POINT_COLOURS[kind]}"></span>'
        )
        rows.append(row(dot, POINT_LABELS[kind]))
    return (
        '<div class="dossier-legenda" style="position:fixed;bottom:24px;right:10px;z-index:1000;'
        'background:#fff;padding:6px 10px;border:1px solid #999;font:12px sans-serif;max-width:280px">'
        "<b>Gecombineerde score</b> (vijf kwantielklassen van alle buurten)"
        + "".join(rows)
        + (f'<div style="margin-top:4px;color:#444">{escape(weighting)}</div>' if weighting else "")
        + "</div>"
    )


def folium_map(
    *,
    title: str,
    area: shapely.Geometry,
    buurten: gpd.GeoDataFrame,
    points: dict[str, gpd.GeoDataFrame],
    webmap_dir: Path,
    synthetic: bool,
) -> str:
    """The map of ``area_map`` as one HTML page that opens offline."""
    m = area_map(
        title=title, area=area, buurten=buurten, points=points, webmap_dir=webmap_dir, synthetic=synthetic
    )
    html: str = _figure(m).render()
    return html
