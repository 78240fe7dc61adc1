"""Read and validate a partner delivery: the Excel template, or one layer as GPKG/GeoJSON/CSV.

The whole file is checked and every problem collected; then :class:`InvalidUpload` is raised
with one detail dict per problem: ``bestand``, ``blad`` (sheet, or layer kind for non-Excel
files), ``rij`` (the Excel/CSV row number the user sees; for GIS files the 1-based feature
number; None for a file- or sheet-level problem), ``kolom``, ``waarde`` (as typed), ``verwacht``
and ``melding`` (a full Dutch sentence).

Non-Excel files hold one layer and carry no ``levering`` sheet: pass ``layer=`` (``bezit``,
``projecten`` or ``verkoop``), ``partner=`` and ``period=`` (and optionally
``confidentiality=``, ``synthetic=``). A GeoPackage may hold several layers: the one named
like ``layer`` is read, otherwise its only layer. For Excel files ``partner=``/``period=``, when
given, must match the ``levering`` sheet (e.g. the signed-in partner).

Frames (GeoDataFrames, EPSG:28992, geometry column ``geometry``), in this column order;
dtypes are pandas extension dtypes, missing values are ``<NA>``:

``bezit``: partner string, periode string, vertrouwelijkheid string, synthetisch bool,
corporatie string, adres string, postcode string (``7511AB``), huisnummer Int64, toevoeging
string, buurtcode string, aantal_woningen Int64, daeb boolean, huurklasse string, energielabel
string, bouwjaar Int64, conditie Int64, bron_bestand string, bron_rij Int64, geometry (Point,
or None for a per-buurt count, which then has a buurtcode).

``projecten``: partner, periode, vertrouwelijkheid, synthetisch, projectnaam string, partij
string, type string, woningen_erbij Int64 (0 when empty), woningen_eraf Int64 (0 when empty),
startjaar Int64, eindjaar Int64, investering_eur Float64, status string, toelichting string,
bron_bestand, bron_rij, geometry (Point, Polygon or MultiPolygon).

``verkoop``: partner, periode, vertrouwelijkheid, synthetisch, corporatie, adres, postcode,
huisnummer, toevoeging, buurtcode, energielabel, conditie Int64, kluswoning boolean,
gemeld_aan_gemeente boolean, gepland_jaar Int64, bron_bestand, bron_rij, geometry (Point).

The exact mapping is :func:`layers.partners.schema.frame_columns`. ``vertrouwelijkheid`` is the
record's own value, else the delivery's, else the layer default (``eigen`` for addresses of
holdings and sales, ``partners`` for per-buurt counts and projects).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from layers.partners import _readers
from layers.partners._problems import Bad, Problems, is_empty, parse
from layers.partners.schema import (
    DEFAULT_CONFIDENTIALITY,
    EXAMPLE_ORGANISATIONS,
    LAYERS,
    PERIOD_RE,
    PRIVATE_PARTY,
    SCHEMA,
    VERTROUWELIJKHEID,
    Organisations,
    frame_columns,
    layers_for,
    levering_fields,
)

RD = "EPSG:28992"
_MAX_LONLAT_XY_DISTANCE = 100.0  # metres; x/y and lon/lat may both be filled if they agree
_TO_RD = Transformer.from_crs(4326, 28992, always_xy=True)
_PERIOD_EXPECTED = "jjjj-voorjaar of jjjj-najaar, bv. 2026-najaar"


def empty_frame(kind: str) -> gpd.GeoDataFrame:
    """An empty frame of layer ``kind`` with the documented columns and dtypes."""
    cols = frame_columns(kind)
    data = {name: pd.Series([], dtype=dtype) for name, dtype in cols.items()}
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=RD), crs=RD)


@dataclass
class Delivery:
    """One validated delivery: who, which period, and one GeoDataFrame per layer."""

    partner: str
    period: str
    confidentiality: str | None
    synthetic: bool
    source: str
    contact: str | None = None
    bezit: gpd.GeoDataFrame = field(default_factory=lambda: empty_frame("bezit"))
    projecten: gpd.GeoDataFrame = field(default_factory=lambda: empty_frame("projecten"))
    verkoop: gpd.GeoDataFrame = field(default_factory=lambda: empty_frame("verkoop"))
    covers: tuple[str, ...] = LAYERS
    """The layers this delivery speaks for: all three for the Excel template (an empty sheet
    means "none"), one for a GIS or CSV file (the partner's other layers stay as they were)."""

    def frames(self) -> dict[str, gpd.GeoDataFrame]:
        """Layer kind to frame (also the empty ones)."""
        return {"bezit": self.bezit, "projecten": self.projecten, "verkoop": self.verkoop}


@dataclass
class _Context:
    partner: str
    period: str
    confidentiality: str | None
    synthetic: bool
    source: str
    area: BaseGeometry | None
    buurtcodes: set[str] | None
    organisations: Organisations = EXAMPLE_ORGANISATIONS
    for_others: bool = False
    """Whether the file may name other organisations of the gemeente as a project's ``partij``
    (a beheerder of the gemeente, or the operator, loading for others); otherwise a partner
    delivers only its own projects and private ones."""


def build_frame(kind: str, records: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """A layer frame from validated records (dicts keyed by frame column plus ``geometry``)."""
    if not records:
        return empty_frame(kind)
    data = {
        name: pd.array([r.get(name) for r in records], dtype=dtype)  # type: ignore[call-overload]
        for name, dtype in frame_columns(kind).items()
    }
    geoms = gpd.GeoSeries([r.get("geometry") for r in records], crs=RD)
    return gpd.GeoDataFrame(data, geometry=geoms, crs=RD)


def _check_headers(table: _readers.Table, problems: Problems) -> bool:
    names = SCHEMA[table.kind].names
    seen: dict[str, str] = {}
    ok = True
    for _pos, raw, key in table.headers:
        if key in seen:
            problems.add(
                f"kolom '{raw}' komt twee keer voor",
                blad=table.kind,
                rij=table.header_row,
                kolom=raw,
                verwacht="elke kolom één keer",
            )
            ok = False
        seen[key] = raw
    for _pos, raw, key in table.headers:
        if key not in names:
            close = difflib.get_close_matches(key, [n for n in names if n not in seen], 1, 0.8)
            if close:
                problems.add(
                    f"kolom '{raw}' is onbekend (bedoelt u '{close[0]}'?)",
                    blad=table.kind,
                    rij=table.header_row,
                    kolom=raw,
                    verwacht=f"de kolomnaam '{close[0]}'",
                )
                ok = False
    geo_ok = table.geometries is not None
    for col in SCHEMA[table.kind].columns:
        if col.required and col.name not in seen:
            problems.add(
                "kolom ontbreekt",
                blad=table.kind,
                rij=table.header_row,
                kolom=col.name,
                verwacht=f"een kolom '{col.name}' in de kopregel",
            )
            ok = False
    if (
        not geo_ok
        and table.kind != "bezit"
        and not ({"x", "y"} <= set(seen) or {"lon", "lat"} <= set(seen) or "wkt" in seen)
    ):
        problems.add(
            "kolommen voor de ligging ontbreken",
            blad=table.kind,
            rij=table.header_row,
            kolom="x",
            verwacht="kolommen x en y (RD New) of lon en lat"
            + (" of wkt" if table.kind == "projecten" else ""),
        )
        ok = False
    return ok


def _location(
    table: _readers.Table,
    index: int,
    vals: dict[str, Any],
    failed: set[str],
    where: dict[str, Any],
    problems: Problems,
) -> BaseGeometry | None:
    """The record's geometry in RD New, or None (problems are recorded)."""
    if table.geometries is not None:
        return table.geometries[index]
    have = {k: vals.get(k) is not None for k in ("x", "y", "lon", "lat")}
    if any(k in failed for k in ("x", "y", "lon", "lat", "wkt")):
        return None
    for a, b in (("x", "y"), ("lon", "lat")):
        if have[a] != have[b]:
            missing = b if have[a] else a
            problems.add(
                f"'{a if have[a] else b}' is ingevuld maar '{missing}' niet",
                kolom=missing,
                verwacht=f"zowel {a} als {b}",
                **where,
            )
            return None
    point = Point(vals["x"], vals["y"]) if have["x"] else None
    if have["lon"]:
        lonlat = Point(*_TO_RD.transform(vals["lon"], vals["lat"]))
        if point is not None and point.distance(lonlat) > _MAX_LONLAT_XY_DISTANCE:
            problems.add(
                f"x/y en lon/lat liggen {point.distance(lonlat):.0f} m uit elkaar",
                kolom="lon",
                waarde=vals["lon"],
                verwacht="óf x/y óf lon/lat (of twee waarden voor hetzelfde punt)",
                **where,
            )
            return None
        point = point or lonlat
    wkt = vals.get("wkt")
    if wkt is not None and point is not None:
        problems.add(
            "zowel wkt als coördinaten ingevuld",
            kolom="wkt",
            verwacht="óf een wkt-geometrie óf x/y (lon/lat)",
            **where,
        )
        return None
    return wkt if wkt is not None else point


def _address_key(vals: dict[str, Any]) -> tuple[str, ...] | None:
    if vals.get("postcode") and vals.get("huisnummer") is not None:
        return (vals["postcode"], str(vals["huisnummer"]), (vals.get("toevoeging") or "").lower())
    if vals.get("adres"):
        return (" ".join(vals["adres"].lower().replace(",", " ").split()),)
    return None


def _cross_checks(
    kind: str,
    vals: dict[str, Any],
    failed: set[str],
    geom: BaseGeometry | None,
    ctx: _Context,
    where: dict[str, Any],
    problems: Problems,
) -> None:
    """Checks across columns of one record; fills defaults in ``vals``."""
    located = geom is not None or any(k in failed for k in ("x", "y", "lon", "lat", "wkt"))
    if kind in {"bezit", "verkoop"}:
        corp = vals.get("corporatie")
        if corp is not None and ctx.partner in ctx.organisations.corporaties and corp != ctx.partner:
            problems.add(
                f"corporatie '{corp}' komt niet overeen met de partner '{ctx.partner}' van deze levering",
                kolom="corporatie",
                waarde=corp,
                verwacht=f"'{ctx.partner}'",
                **where,
            )
        has_address = _address_key(vals) is not None or "postcode" in failed
        if geom is not None and geom.geom_type != "Point":
            problems.add(
                f"geometrietype {geom.geom_type} is geen adrespunt",
                kolom="geometrie",
                verwacht="een punt per adres",
                **where,
            )
        if located and not has_address and "adres" not in failed:
            problems.add(
                "adres ontbreekt bij een adrespunt",
                kolom="adres",
                verwacht="adres, of postcode en huisnummer",
                **where,
            )
    if kind == "verkoop" and not located:
        problems.add(
            "de ligging ontbreekt", kolom="x", verwacht="x/y (RD New) of lon/lat van het adres", **where
        )
    if kind == "bezit":
        n = vals.get("aantal_woningen")
        if located:
            if n is not None and n != 1:
                problems.add(
                    f"bij een adres hoort 1 woning, niet {n}",
                    kolom="aantal_woningen",
                    waarde=n,
                    verwacht="1 (of leeg) per adres; aantallen per buurt zonder coördinaten",
                    **where,
                )
            vals["aantal_woningen"] = 1
        else:
            if _address_key(vals) is not None:
                problems.add(
                    "adres zonder coördinaten (adressen worden niet opgezocht)",
                    kolom="x",
                    verwacht="x/y (RD New) of lon/lat bij elk adres",
                    **where,
                )
            elif vals.get("buurtcode") is None and "buurtcode" not in failed:
                problems.add(
                    "geen coördinaten en geen buurtcode",
                    kolom="buurtcode",
                    verwacht="x/y of lon/lat per adres, of buurtcode met aantal_woningen",
                    **where,
                )
            if n is None and "aantal_woningen" not in failed:
                problems.add(
                    "aantal_woningen ontbreekt bij een aantal per buurt",
                    kolom="aantal_woningen",
                    verwacht="een geheel getal van minimaal 1",
                    **where,
                )
    if kind == "projecten":
        _check_party(vals.get("partij"), ctx, where, problems)
        if not located:
            problems.add(
                "de ligging ontbreekt",
                kolom="wkt",
                verwacht="een vlak in wkt (RD New), of x/y of lon/lat",
                **where,
            )
        start, end = vals.get("startjaar"), vals.get("eindjaar")
        if start is not None and end is not None and end < start:
            problems.add(
                f"eindjaar {end} ligt voor startjaar {start}",
                kolom="eindjaar",
                waarde=end,
                verwacht=f"een eindjaar van {start} of later",
                **where,
            )
        for name in ("woningen_erbij", "woningen_eraf"):
            if vals.get(name) is None:
                vals[name] = 0
    if vals.get("vertrouwelijkheid") is None:
        sub = "bezit_adres" if kind == "bezit" and located else ("bezit_buurt" if kind == "bezit" else kind)
        vals["vertrouwelijkheid"] = ctx.confidentiality or DEFAULT_CONFIDENTIALITY[sub]


def _validate_table(table: _readers.Table, ctx: _Context, problems: Problems) -> gpd.GeoDataFrame | None:
    """Validate every row of one layer; return its frame (None when there are problems)."""
    before = len(problems.items)
    if not _check_headers(table, problems):
        return None
    layer = layers_for(ctx.organisations)[table.kind]
    records: list[dict[str, Any]] = []
    seen_keys: dict[tuple[str, ...], int] = {}
    located: list[tuple[int, BaseGeometry]] = []
    for index, (rownum, row) in enumerate(table.rows):
        where: dict[str, Any] = {"blad": table.kind, "rij": rownum}
        vals: dict[str, Any] = {}
        failed: set[str] = set()
        for col in layer.columns:
            raw = row.get(col.name)
            if is_empty(raw):
                vals[col.name] = None
                if col.required:
                    failed.add(col.name)
                    problems.add(
                        "verplichte waarde ontbreekt", kolom=col.name, verwacht=col.expected(), **where
                    )
                continue
            try:
                vals[col.name] = parse(col, raw, buurtcodes=ctx.buurtcodes)
            except Bad as exc:
                failed.add(col.name)
                vals[col.name] = None
                problems.bad(exc, kolom=col.name, waarde=raw, **where)
        geom = _location(table, index, vals, failed, where, problems)
        _cross_checks(table.kind, vals, failed, geom, ctx, where, problems)
        if geom is not None:
            located.append((rownum, geom))
        key: tuple[str, ...] | None
        if table.kind == "projecten":
            name = vals.get("projectnaam")
            key = (vals.get("partij") or "", name.lower()) if name else None
        else:
            key = _address_key(vals) if geom is not None else None
        if key is not None:
            if key in seen_keys:
                what = "project" if table.kind == "projecten" else "adres"
                problems.add(
                    f"{what} komt dubbel voor (ook in rij {seen_keys[key]})",
                    kolom="projectnaam" if table.kind == "projecten" else "adres",
                    waarde=vals.get("projectnaam") or vals.get("adres") or " ".join(key),
                    verwacht=f"elk {what} één keer",
                    **where,
                )
            else:
                seen_keys[key] = rownum
        vals.update(
            partner=ctx.partner,
            periode=ctx.period,
            synthetisch=ctx.synthetic,
            bron_bestand=ctx.source,
            bron_rij=rownum,
            geometry=geom,
        )
        records.append(vals)
    if ctx.area is not None and located:
        _check_area(table.kind, located, ctx.area, problems)
    if len(problems.items) > before:
        return None
    return build_frame(table.kind, records)


def _check_party(partij: str | None, ctx: _Context, where: dict[str, Any], problems: Problems) -> None:
    """A project's ``partij`` that names an organisation of the gemeente must be the delivering
    partner: a corporation cannot put its planned investment in another organisation's name (the
    area statistics and the BO's investment agenda count it under ``partij``)."""
    if ctx.for_others or partij is None or partij == ctx.partner:
        return
    if partij in ctx.organisations.leveranciers:
        problems.add(
            f"partij '{partij}' is een andere organisatie dan de leverende partner '{ctx.partner}'; een "
            "partner levert alleen eigen projecten (en die van particulieren), alleen een beheerder "
            "van de gemeente levert projecten namens anderen",
            kolom="partij",
            waarde=partij,
            verwacht=f"'{ctx.partner}' of '{PRIVATE_PARTY}'",
            **where,
        )


def _check_area(
    kind: str, located: list[tuple[int, BaseGeometry]], area: BaseGeometry, problems: Problems
) -> None:
    shapely.prepare(area)
    for rownum, geom in located:
        inside = area.covers(geom) if geom.geom_type == "Point" else area.intersects(geom)
        if not inside:
            c = geom.representative_point()
            problems.add(
                f"de ligging ({c.x:.0f}, {c.y:.0f} in RD New) valt buiten de gemeente",
                blad=kind,
                rij=rownum,
                kolom="geometrie",
                verwacht="een ligging binnen de gemeente",
            )


def _levering(
    sheet: list[tuple[int, list[Any]]], problems: Problems, organisations: Organisations
) -> dict[str, Any]:
    """The values of the ``levering`` sheet (field name in column A, value in column B)."""
    found: dict[str, tuple[int | None, Any]] = {}
    for number, values in sheet:
        if values and not is_empty(values[0]):
            found[_readers.norm_header(values[0])] = (number, values[1] if len(values) > 1 else None)
    out: dict[str, Any] = {}
    for col in levering_fields(organisations):
        rownum, raw = found.get(col.name, (None, None))
        where: dict[str, Any] = {"blad": "levering", "rij": rownum, "kolom": col.name, "veld": True}
        if is_empty(raw):
            if col.required:
                problems.add(
                    "verplichte waarde ontbreekt",
                    verwacht=col.expected() if col.name != "periode" else _PERIOD_EXPECTED,
                    **where,
                )
            out[col.name] = None
            continue
        if col.name == "periode":
            text = str(raw).strip().lower()
            if not PERIOD_RE.match(text):
                problems.add(
                    f"waarde '{raw}' is geen geldige periode", waarde=raw, verwacht=_PERIOD_EXPECTED, **where
                )
            out[col.name] = text
            continue
        try:
            out[col.name] = parse(col, raw)
        except Bad as exc:
            problems.bad(exc, waarde=raw, **where)
            out[col.name] = None
    return out


def _check_options(
    partner: str | None,
    period: str | None,
    layer: str | None,
    confidentiality: str | None,
    problems: Problems,
    organisations: Organisations,
) -> None:
    partner_column = levering_fields(organisations)[0]
    checks = (  # (name in the upload form, value, allowed, expected)
        ("laag", layer, LAYERS, "bezit, projecten of verkoop"),
        ("partner", partner, organisations.leveranciers, partner_column.expected()),
    )
    for name, value, allowed, expected in checks:
        if value not in allowed:
            problems.add(
                f"'{name}' is {'niet opgegeven' if value is None else repr(value)} bij het uploaden",
                kolom=name,
                waarde=value,
                verwacht=expected,
            )
    if period is None or not PERIOD_RE.match(period):
        problems.add(
            f"periode {'ontbreekt' if period is None else repr(period)} bij het uploaden",
            kolom="periode",
            waarde=period,
            verwacht=_PERIOD_EXPECTED,
        )
    if confidentiality is not None and confidentiality not in VERTROUWELIJKHEID:
        problems.add(
            f"vertrouwelijkheid {confidentiality!r} is onbekend",
            kolom="vertrouwelijkheid",
            waarde=confidentiality,
            verwacht="openbaar, partners of eigen",
        )


def read_delivery(
    path: str | Path,
    *,
    area: BaseGeometry | None = None,
    buurtcodes: set[str] | None = None,
    layer: str | None = None,
    partner: str | None = None,
    period: str | None = None,
    confidentiality: str | None = None,
    synthetic: bool | None = None,
    filename: str | None = None,
    organisations: Organisations | None = None,
    for_others: bool = False,
) -> Delivery:
    """Read and validate a delivery; raise :class:`InvalidUpload` listing every problem.

    Parameters
    ----------
    path
        ``.xlsx`` (the template), ``.gpkg``, ``.geojson`` or ``.csv``.
    area
        Municipality geometry in EPSG:28992; points must lie in it, polygons touch it.
    buurtcodes
        Known buurtcodes; other codes are rejected.
    layer, partner, period, confidentiality, synthetic
        For non-Excel files (one layer per file). For Excel files ``partner``/``period`` must
        match the ``levering`` sheet when given.
    filename
        Name shown in messages (default: the file name of ``path``).
    organisations
        The partner organisations of the gemeente (who may deliver, the corporations, the
        project parties); default: the example installation (Enschede), for use without a
        database. ``layers.partner_store`` passes the gemeente's organisations.
    for_others
        Whether projects may name another organisation of the gemeente as ``partij``: only when
        a beheerder of the gemeente or the operator loads the file. Otherwise such a row is
        refused (a partner delivers its own projects and private ones).
    """
    orgs = organisations or EXAMPLE_ORGANISATIONS
    path = Path(path)
    name = filename or path.name
    suffix = Path(name).suffix.lower() or path.suffix.lower()
    problems = Problems(name, excel=suffix in _readers.EXCEL_SUFFIXES)
    if not path.is_file():
        problems.add("het bestand bestaat niet of kan niet worden geopend")
        problems.raise_if_any()
    if suffix == ".xls":
        problems.add("dit is het oude Excel-formaat (.xls)", verwacht="het sjabloon als .xlsx")
        problems.raise_if_any()
    if suffix in _readers.EXCEL_SUFFIXES:
        return _read_excel(
            path,
            problems,
            area=area,
            buurtcodes=buurtcodes,
            partner=partner,
            period=period,
            organisations=orgs,
            for_others=for_others,
        )
    known = _readers.GIS_SUFFIXES | _readers.CSV_SUFFIXES
    if suffix not in known:
        problems.add(
            f"bestandstype '{suffix or '(geen)'}' wordt niet ondersteund",
            verwacht="Excel (.xlsx), GeoPackage (.gpkg), GeoJSON (.geojson), Shapefile (.shp of .zip) of CSV",
        )
        problems.raise_if_any()
    _check_options(partner, period, layer, confidentiality, problems, orgs)
    problems.raise_if_any()
    assert layer is not None and partner is not None and period is not None
    ctx = _Context(
        partner, period, confidentiality, bool(synthetic), name, area, buurtcodes, orgs, for_others
    )
    reader = _readers.read_gis if suffix in _readers.GIS_SUFFIXES else _readers.read_csv
    table = reader(path, layer, problems)
    problems.raise_if_any()
    assert table is not None
    if not table.rows:
        problems.add("het bestand bevat geen gegevens", verwacht="minstens één rij")
        problems.raise_if_any()
    frame = _validate_table(table, ctx, problems)
    _check_holder(ctx, {layer: len(table.rows)}, problems)
    problems.raise_if_any()
    delivery = Delivery(partner, period, confidentiality, bool(synthetic), name, covers=(layer,))
    setattr(delivery, layer, frame)
    return delivery


def _check_holder(ctx: _Context, counts: dict[str, int], problems: Problems) -> None:
    """Holdings and sales come from the corporation itself."""
    for kind in ("bezit", "verkoop"):
        if counts.get(kind) and ctx.partner not in ctx.organisations.corporaties:
            problems.add(
                f"blad '{kind}' kan alleen door een corporatie worden aangeleverd, niet door '{ctx.partner}'",
                blad=kind,
                verwacht="een leeg blad, of een levering van de corporatie zelf",
            )


def _read_excel(
    path: Path,
    problems: Problems,
    *,
    area: BaseGeometry | None,
    buurtcodes: set[str] | None,
    partner: str | None,
    period: str | None,
    organisations: Organisations,
    for_others: bool,
) -> Delivery:
    sheets = _readers.read_excel(path, problems)
    problems.raise_if_any()
    assert sheets is not None
    for needed in ("levering", *LAYERS):
        if needed not in sheets:
            problems.add(
                f"blad '{needed}' ontbreekt",
                blad=needed,
                verwacht="de bladen levering, bezit, projecten en verkoop van het sjabloon",
            )
    problems.raise_if_any()
    lev = _levering(sheets["levering"], problems, organisations)
    for key, given in (("partner", partner), ("periode", period)):
        if given is not None and lev.get(key) is not None and lev[key] != given:
            problems.add(
                f"'{lev[key]}' komt niet overeen met '{given}' van deze upload",
                blad="levering",
                kolom=key,
                veld=True,
                waarde=lev[key],
                verwacht=f"'{given}'",
            )
    tables = {kind: _readers.sheet_table(kind, sheets[kind]) for kind in LAYERS}
    if not any(t.rows for t in tables.values()):
        problems.add(
            "het bestand bevat geen gegevens: de bladen bezit, projecten en verkoop zijn leeg",
            verwacht="minstens één ingevulde rij",
        )
    if lev["partner"] is None or lev["periode"] is None or problems.items:
        problems.raise_if_any()
    ctx = _Context(
        lev["partner"],
        lev["periode"],
        lev["vertrouwelijkheid"],
        bool(lev["synthetisch"]),
        problems.bestand,
        area,
        buurtcodes,
        organisations,
        for_others,
    )
    frames = {
        kind: _validate_table(t, ctx, problems) if t.rows or t.headers else empty_frame(kind)
        for kind, t in tables.items()
    }
    _check_holder(ctx, {k: len(t.rows) for k, t in tables.items()}, problems)
    problems.raise_if_any()
    delivery = Delivery(
        ctx.partner, ctx.period, ctx.confidentiality, ctx.synthetic, ctx.source, contact=lev["contact"]
    )
    for kind, frame in frames.items():
        setattr(delivery, kind, frame if frame is not None else empty_frame(kind))
    return delivery
