"""The uniform Excel delivery ("Gezamenlijke monitoring"): empty template and filled files.

Sheets: ``toelichting`` (how to fill it in), ``definities`` (every column, generated from
:mod:`layers.partners.schema`), ``levering`` (who delivers what, for which period), and one sheet
per layer (``bezit``, ``projecten``, ``verkoop``) with a header row, drop-down lists and
whole-number ranges as Excel data validation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import shapely
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from layers.errors import InvalidInput
from layers.files import control_characters
from layers.partners.schema import (
    LAYERS,
    PERIOD_RE,
    SCHEMA,
    Column,
    Organisations,
    layers_for,
    levering_fields,
    period_choices,
)

_MIN_ROWS = 5000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
"""A text starting with one of these would be a formula (or DDE command) in Excel or LibreOffice."""
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_BOLD = Font(bold=True)

TOELICHTING = [
    "Uniforme aanlevering partnergegevens SIA/DIA Enschede (Gezamenlijke monitoring)",
    "",
    "1. Vul het blad 'levering' in: partner (uw organisatie), periode (bv. 2026-najaar),",
    "   contactpersoon en eventueel de standaard vertrouwelijkheid van de gegevens.",
    "2. Vul per laag één blad: 'bezit' (corporatiebezit), 'projecten' (geplande projecten) en",
    "   'verkoop' (geplande verkoop). Een blad dat niet op u van toepassing is laat u leeg,",
    "   maar verwijder het niet. Verander de kolomnamen in rij 1 niet.",
    "3. Bezit: één rij per adres (aantal_woningen = 1, met x/y in RD New of lon/lat in WGS84)",
    "   óf één rij per groep woningen in een buurt (buurtcode + aantal_woningen, geen",
    "   coördinaten).",
    "4. Projecten: een punt (x/y of lon/lat) of een vlak in de kolom 'wkt' (RD New,",
    "   EPSG:28992), bv. POLYGON ((257000 471000, 257100 471000, 257100 471100, 257000 471000)).",
    "5. Verkoop: één rij per woning met adres en coördinaten. Afspraak 4.1: verkoop alleen bij",
    "   conditie (NEN 2767) lager dan 4 en nooit met energielabel F of G; een uitzondering",
    "   (in principe alleen een kluswoning) meldt u aan de gemeente.",
    "6. Ja/nee-kolommen: 'ja' of 'nee'. Bedragen in hele euro's, zonder €-teken.",
    "7. De betekenis, eenheid en toegestane waarden van elke kolom staan in het blad",
    "   'definities'.",
    "8. Vertrouwelijkheid ('openbaar, tenzij'): openbaar = iedereen, partners = ingelogde",
    "   partners, eigen = alleen uw organisatie. Adresgegevens van corporaties zijn standaard",
    "   'eigen'; andere partners zien dan alleen buurtaantallen.",
    "",
    "Bij het uploaden wordt het hele bestand gecontroleerd; u krijgt alle fouten in één keer,",
    "met blad, rij, kolom, de gevonden waarde en wat verwacht werd.",
]


def _validation(col: Column, *, periods: list[str]) -> DataValidation | None:
    """Excel data validation for one column (drop-down or whole-number range)."""
    if col.allowed:
        dv = DataValidation(type="list", formula1='"' + ",".join(col.allowed) + '"', allow_blank=True)
    elif col.name == "periode":
        dv = DataValidation(type="list", formula1='"' + ",".join(periods) + '"', allow_blank=True)
    elif col.kind == "geheel" and col.minimum is not None and col.max_value() is not None:
        hi = col.max_value()
        dv = DataValidation(
            type="whole",
            operator="between",
            formula1=f"{col.minimum:g}",
            formula2=f"{hi:g}",
            allow_blank=True,
        )
    elif col.kind == "getal" and col.minimum is not None:
        dv = DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1=f"{col.minimum:g}", allow_blank=True
        )
    else:
        return None
    dv.error = f"Verwacht {col.expected()}."
    dv.errorTitle = f"Ongeldige waarde voor '{col.name}'"
    dv.prompt = col.meaning
    dv.showErrorMessage = True
    return dv


def _layer_sheet(
    ws: Worksheet, kind: str, rows: list[list[Any]], *, periods: list[str], orgs: Organisations | None
) -> None:
    layer = layers_for(orgs)[kind]
    ws.append(layer.names)
    last = max(_MIN_ROWS, len(rows) + 1)
    for i, col in enumerate(layer.columns, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        unit = f" ({col.unit})" if col.unit else ""
        cell.comment = Comment(f"{col.meaning}{unit}. Verwacht {col.expected()}.", "SIA/DIA")
        ws.column_dimensions[letter].width = col.width
        dv = _validation(col, periods=periods)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{last}")
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            _as_text(cell)
    ws.freeze_panes = "A2"


def _levering_sheet(
    ws: Worksheet, values: Mapping[str, Any], *, periods: list[str], orgs: Organisations | None
) -> None:
    ws.append(["veld", "waarde", "toelichting"])
    for cell in ws[1]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    for r, col in enumerate(levering_fields(orgs), start=2):
        ws.append([col.name, _cell(values.get(col.name)), col.meaning])
        _as_text(ws.cell(row=r, column=2))
        dv = _validation(col, periods=periods)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(f"B{r}")
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 80


def _definities_sheet(ws: Worksheet, orgs: Organisations | None) -> None:
    ws.append(["blad", "kolom", "betekenis", "eenheid", "verplicht", "toegestane waarden"])
    for cell in ws[1]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    for col in levering_fields(orgs):
        ws.append(
            ["levering", col.name, col.meaning, col.unit, "ja" if col.required else "nee", col.expected()]
        )
    for kind in LAYERS:
        for col in layers_for(orgs)[kind].columns:
            ws.append(
                [kind, col.name, col.meaning, col.unit, "ja" if col.required else "nee", col.expected()]
            )
    for letter, width in zip("ABCDEF", (12, 20, 70, 10, 10, 60), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True)


def _workbook(
    levering: Mapping[str, Any], rows: Mapping[str, list[list[Any]]], orgs: Organisations | None = None
) -> Workbook:
    period = levering.get("periode")
    year = int(period[:4]) if isinstance(period, str) and PERIOD_RE.match(period) else None
    periods = period_choices(around=year)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "toelichting"
    for line in TOELICHTING:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=13)
    ws.column_dimensions["A"].width = 100
    _definities_sheet(wb.create_sheet("definities"), orgs)
    _levering_sheet(wb.create_sheet("levering"), levering, periods=periods, orgs=orgs)
    for kind in LAYERS:
        _layer_sheet(wb.create_sheet(kind), kind, rows.get(kind, []), periods=periods, orgs=orgs)
    return wb


def write_template(
    path: str | Path,
    *,
    partner: str | None = None,
    period: str | None = None,
    organisations: Organisations | None = None,
) -> Path:
    """Write an empty delivery template.

    Parameters
    ----------
    path
        Target ``.xlsx`` file.
    partner, period
        Pre-filled in the ``levering`` sheet when given.
    organisations
        The gemeente's partner organisations for the choice lists (partner, corporatie, partij);
        default: the example installation (Enschede).

    Returns
    -------
    Path
        The written file.
    """
    path = Path(path)
    if period is not None and not PERIOD_RE.match(period):
        raise InvalidInput(f"Periode '{period[:40]}' is ongeldig; verwacht bijvoorbeeld 2026-najaar.")
    if partner is not None and len(partner) > 120:
        raise InvalidInput(f"De partnernaam is {len(partner)} tekens lang; verwacht hoogstens 120.")
    _workbook({"partner": partner, "periode": period, "synthetisch": "nee"}, {}, organisations).save(path)
    return path


def _as_text(cell: Any) -> None:
    """Neutralise a text cell against formula injection: a text starting with =, +, -, @, tab or
    a line break is stored as text with Excel's quote prefix (shown as typed, never evaluated,
    and still text after editing). The value itself is unchanged, so it reads back exactly."""
    if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def _cell(value: Any) -> Any:
    """Convert a pandas value to something openpyxl writes (None for missing); texts with control
    characters are refused (a cell cannot hold them)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str) and (bad := control_characters(value)):
        raise InvalidInput(
            f"De tekst '{value.encode('unicode_escape').decode()[:60]}' bevat niet-toegestane stuurtekens "
            f"({bad}); die kunnen niet in het sjabloon worden geschreven."
        )
    if isinstance(value, bool) or (hasattr(value, "dtype") and value.dtype == bool):
        return "ja" if bool(value) else "nee"
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return _cell(value.item())
    return value


def frame_to_rows(kind: str, frame: pd.DataFrame) -> list[list[Any]]:
    """Rows (template column order) for a layer frame.

    ``frame`` may hold the template columns directly (``x``, ``y``, ``wkt`` …) or be a
    GeoDataFrame in EPSG:28992 whose points become ``x``/``y`` and whose other geometries become
    ``wkt``; columns that are not in the template (``partner``, ``bron_rij`` …) are ignored.
    """
    data = pd.DataFrame(frame).copy()
    geom_name = getattr(frame, "_geometry_column_name", None)
    if geom_name is not None and geom_name in data:
        crs = getattr(frame, "crs", None)
        if crs is not None and crs.to_epsg() != 28992:
            raise ValueError("frame must be in EPSG:28992 to be written to the template")
        geoms = data.pop(geom_name)
        is_point = [g is not None and not g.is_empty and g.geom_type == "Point" for g in geoms]
        data["x"] = [g.x if p else None for g, p in zip(geoms, is_point, strict=True)]
        data["y"] = [g.y if p else None for g, p in zip(geoms, is_point, strict=True)]
        data["wkt"] = [
            shapely.to_wkt(g, rounding_precision=-1) if g is not None and not p else None
            for g, p in zip(geoms, is_point, strict=True)
        ]
    names = SCHEMA[kind].names
    cols = [data[n] if n in data else pd.Series([None] * len(data), index=data.index) for n in names]
    return [[_cell(v) for v in values] for values in zip(*cols, strict=True)]


def write_filled(
    path: str | Path,
    frames: Mapping[str, pd.DataFrame],
    *,
    partner: str,
    period: str,
    confidentiality: str | None = None,
    contact: str | None = None,
    synthetic: bool = False,
) -> Path:
    """Write a filled delivery (template plus rows), e.g. from the synthetic generator.

    Parameters
    ----------
    path
        Target ``.xlsx`` file.
    frames
        Layer kind (``bezit``, ``projecten``, ``verkoop``) to frame; see :func:`frame_to_rows`.
        Missing kinds give an empty sheet.
    partner, period, confidentiality, contact, synthetic
        Values of the ``levering`` sheet.
    """
    path = Path(path)
    unknown = set(frames) - set(LAYERS)
    if unknown:
        raise ValueError(f"unknown layer kinds: {sorted(unknown)}")
    levering = {
        "partner": partner,
        "periode": period,
        "vertrouwelijkheid": confidentiality,
        "contact": contact,
        "synthetisch": "ja" if synthetic else "nee",
    }
    rows = {kind: frame_to_rows(kind, frame) for kind, frame in frames.items()}
    _workbook(levering, rows).save(path)
    return path
