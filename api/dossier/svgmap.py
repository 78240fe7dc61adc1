"""A static map of an area over its buurten coloured by score, as SVG (for the PDF dossier).

Drawn from the geometries directly (no tiles, no plotting library): buurten around the area in
five quantile classes of the combined score, buurten without a score in grey, the area as a
thick outline, names of the buurten it touches. Every text is escaped.
"""

from __future__ import annotations

from html import escape

import geopandas as gpd
import numpy as np
import shapely

from api.dutch import number

__all__ = ["NO_SCORE", "PALETTE", "class_label", "classes", "legend_classes", "svg_map"]

PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
NO_SCORE = "#d9d9d9"


def _path(geom: shapely.Geometry, tx: float, ty: float, scale: float, height: float) -> str:
    parts = []
    for poly in shapely.get_parts(geom):
        if not isinstance(poly, shapely.Polygon):
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)
            xs = (xy[:, 0] - tx) * scale
            ys = height - (xy[:, 1] - ty) * scale
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
            parts.append(f"M{pts}Z")
    return " ".join(parts)


def classes(values: np.ndarray, k: int = len(PALETTE)) -> np.ndarray:
    """Quantile class breaks (k - 1 inner breaks) of the finite values."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.array([])
    return np.quantile(finite, np.linspace(0, 1, k + 1)[1:-1])


def class_label(low: float, high: float) -> str:
    """A legend class in Dutch: "0,09 – 0,25"."""
    return f"{number(low, 2)} – {number(high, 2)}"


def legend_classes(values: np.ndarray) -> list[tuple[str, str]]:
    """(colour, Dutch label) of each quantile class of the finite ``values`` (none without any)."""
    breaks = classes(values)
    if not breaks.size:
        return []
    edges = [float(np.nanmin(values)), *(float(b) for b in breaks), float(np.nanmax(values))]
    return [(colour, class_label(edges[i], edges[i + 1])) for i, colour in enumerate(PALETTE)]


def svg_map(
    buurten: gpd.GeoDataFrame,
    area: shapely.Geometry,
    *,
    score: str = "gecombineerd",
    touched: set[str] | None = None,
    width: float = 640,
    title: str = "",
) -> str:
    """SVG of ``area`` (EPSG:28992) over ``buurten`` (EPSG:28992, index buurtcode, column
    ``score`` and ``buurtnaam``). Classes are quantiles of ``score`` over all buurten given."""
    touched = touched or set()
    x0, y0, x1, y1 = area.buffer(
        max(area.bounds[2] - area.bounds[0], area.bounds[3] - area.bounds[1]) * 0.25
    ).bounds
    scale = width / (x1 - x0)
    height = (y1 - y0) * scale
    window = shapely.box(x0, y0, x1, y1)
    values = buurten[score].to_numpy(dtype=float)
    breaks = classes(values)
    shown = buurten[buurten.intersects(window)]
    paths = []
    for code, row in shown.iterrows():
        value = float(row[score]) if row[score] is not None and np.isfinite(row[score]) else np.nan
        fill = NO_SCORE if np.isnan(value) else PALETTE[int(np.searchsorted(breaks, value, side="right"))]
        geom = row.geometry.simplify(2.0).intersection(window)
        name = escape(f"{row['buurtnaam']} ({code})")
        paths.append(
            f'<path d="{_path(geom, x0, y0, scale, height)}" fill="{fill}" stroke="#555" stroke-width="0.6" '
            f'fill-rule="evenodd"><title>{name}</title></path>'
        )
    outline = _path(area.simplify(1.0), x0, y0, scale, height)
    labels = []
    for code, row in shown.iterrows():
        if code not in touched:
            continue
        point = row.geometry.intersection(area).representative_point()
        if point.is_empty:
            continue
        lx, ly = (point.x - x0) * scale, height - (point.y - y0) * scale
        labels.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="9" text-anchor="middle" '
            f'paint-order="stroke" stroke="#fff" stroke-width="2.5">{escape(str(row["buurtnaam"]))}</text>'
        )
    legend = []
    for i, (colour, label) in enumerate(legend_classes(values)):
        legend.append(
            f'<rect x="8" y="{8 + i * 14}" width="12" height="10" fill="{colour}" stroke="#555" '
            'stroke-width="0.5"/>'
            f'<text x="24" y="{17 + i * 14}" font-size="9">{label}</text>'
        )
    n = len(legend)
    legend.append(
        f'<rect x="8" y="{8 + n * 14}" width="12" height="10" fill="{NO_SCORE}" stroke="#555" '
        'stroke-width="0.5"/>'
        f'<text x="24" y="{17 + n * 14}" font-size="9">geen score</text>'
        f'<line x1="8" y1="{27 + n * 14}" x2="20" y2="{27 + n * 14}" stroke="#1f3fbf" stroke-width="3"/>'
        f'<text x="24" y="{30 + n * 14}" font-size="9">het gebied</text>'
    )
    box = (
        f'<rect x="2" y="2" width="120" height="{36 + n * 14}" fill="#fff" fill-opacity="0.85" '
        'stroke="#999"/>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" role="img" aria-label="{escape(title)}">'
        + "".join(paths)
        + f'<path d="{outline}" fill="none" stroke="#1f3fbf" stroke-width="3" fill-rule="evenodd"/>'
        + "".join(labels)
        + box
        + "".join(legend)
        + "</svg>"
    )
