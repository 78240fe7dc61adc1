"""The Excel template: structure, data validation, and a round trip through read_delivery."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from openpyxl import load_workbook
from shapely.geometry import Point, Polygon

from layers.partners.schema import LAYERS, SCHEMA
from layers.partners.template import write_template
from layers.partners.validate import read_delivery

RD = "EPSG:28992"


def _validations(ws) -> dict[str, tuple[str, str | None, str | None]]:
    """Column name -> (type, formula1, formula2) of the data validation on that column."""
    header = {c.column_letter: c.value for c in ws[1]}
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            col = header[rng.coord.split(":")[0].rstrip("0123456789")]
            out[col] = (dv.type, dv.formula1, dv.formula2)
    return out


def test_template_sheets_and_validation(tmp_path: Path) -> None:
    path = write_template(tmp_path / "sjabloon.xlsx", partner="Domijn", period="2026-najaar")
    wb = load_workbook(path)
    assert wb.sheetnames == ["toelichting", "definities", "levering", "bezit", "projecten", "verkoop"]
    for kind in LAYERS:
        assert [c.value for c in wb[kind][1]] == SCHEMA[kind].names
    bezit = _validations(wb["bezit"])
    assert bezit["energielabel"][0] == "list"
    assert bezit["energielabel"][1] == '"A++++,A+++,A++,A+,A,B,C,D,E,F,G"'
    assert bezit["corporatie"][1] == '"Ons Huis,De Woonplaats,Domijn,SJHT,De Veste"'
    assert bezit["conditie"] == ("whole", "1", "6")
    assert bezit["bouwjaar"][:2] == ("whole", "1800")
    assert bezit["daeb"][1] == '"ja,nee"'
    projecten = _validations(wb["projecten"])
    assert "sloop" in projecten["type"][1] and "uitvoering" in projecten["status"][1]
    levering = {r[0].value: r[1].value for r in wb["levering"].iter_rows(min_row=2)}
    assert levering["partner"] == "Domijn" and levering["periode"] == "2026-najaar"
    lev_dv = {str(dv.sqref): dv.formula1 for dv in wb["levering"].data_validations.dataValidation}
    periode_row = next(r[0].row for r in wb["levering"].iter_rows(min_row=2) if r[0].value == "periode")
    assert "2026-najaar" in lev_dv[f"B{periode_row}"]
    # definities lists every column of every layer, with its meaning
    defs = [(r[0].value, r[1].value, r[2].value) for r in wb["definities"].iter_rows(min_row=2)]
    for kind in LAYERS:
        for col in SCHEMA[kind].columns:
            assert (kind, col.name, col.meaning) in defs


def _fill(ws, rows: list[dict]) -> None:
    header = [c.value for c in ws[1]]
    for r, row in enumerate(rows, start=2):
        for name, value in row.items():
            ws.cell(row=r, column=header.index(name) + 1, value=value)


def test_round_trip(tmp_path: Path) -> None:
    path = write_template(tmp_path / "leeg.xlsx")
    wb = load_workbook(path)
    lev = wb["levering"]
    for row in lev.iter_rows(min_row=2):
        row[1].value = {
            "partner": "De Veste",
            "periode": "2025-voorjaar",
            "contact": "a@example.org",
            "synthetisch": "nee",
        }.get(row[0].value)
    _fill(
        wb["bezit"],
        [
            {
                "corporatie": "De Veste",
                "adres": "Oude Markt 1",
                "postcode": "7511 ga",
                "huisnummer": 1,
                "x": 258000.25,
                "y": 471300.5,
                "daeb": "ja",
                "huurklasse": "goedkoop",
                "energielabel": "A++",
                "bouwjaar": 2015,
                "conditie": 1,
            },
            {
                "corporatie": "De Veste",
                "buurtcode": "BU01530000",
                "aantal_woningen": 120,
                "daeb": "nee",
                "huurklasse": "vrije sector",
                "energielabel": "c",
                "bouwjaar": 1960,
                "conditie": 4,
                "vertrouwelijkheid": "openbaar",
            },
        ],
    )
    _fill(
        wb["projecten"],
        [
            {
                "projectnaam": "Campus Noord",
                "partij": "De Veste",  # its own project (another organisation's: only for others)
                "type": "transformatie",
                "woningen_erbij": 200,
                "startjaar": 2026,
                "eindjaar": 2029,
                "investering_eur": 1250000.5,
                "status": "idee",
                "wkt": "POLYGON ((254000 473000, 254200 473000, 254200 473100, 254000 473000))",
            },
        ],
    )
    _fill(
        wb["verkoop"],
        [
            {
                "corporatie": "De Veste",
                "adres": "Oude Markt 3",
                "huisnummer": 3,
                "lon": 6.89,
                "lat": 52.22,
                "energielabel": "G",
                "conditie": 5,
                "kluswoning": "ja",
                "gemeld_aan_gemeente": "nee",
                "gepland_jaar": 2026,
            },
        ],
    )
    wb.save(path)

    d = read_delivery(path)
    assert (d.partner, d.period, d.confidentiality, d.synthetic, d.source, d.contact) == (
        "De Veste",
        "2025-voorjaar",
        None,
        False,
        "leeg.xlsx",
        "a@example.org",
    )
    meta = {"partner": "De Veste", "periode": "2025-voorjaar", "synthetisch": False}
    na = pd.NA
    bezit = pd.DataFrame(
        {
            "partner": ["De Veste"] * 2,
            "periode": ["2025-voorjaar"] * 2,
            "vertrouwelijkheid": ["eigen", "openbaar"],
            "synthetisch": [False, False],
            "corporatie": ["De Veste"] * 2,
            "adres": ["Oude Markt 1", na],
            "postcode": ["7511GA", na],
            "huisnummer": [1, na],
            "toevoeging": [na, na],
            "buurtcode": [na, "BU01530000"],
            "aantal_woningen": [1, 120],
            "daeb": [True, False],
            "huurklasse": ["goedkoop", "vrije sector"],
            "energielabel": ["A++", "C"],
            "bouwjaar": [2015, 1960],
            "conditie": [1, 4],
            "bron_bestand": ["leeg.xlsx"] * 2,
            "bron_rij": [2, 3],
        }
    ).astype(
        {
            "partner": "string",
            "periode": "string",
            "vertrouwelijkheid": "string",
            "corporatie": "string",
            "adres": "string",
            "postcode": "string",
            "huisnummer": "Int64",
            "toevoeging": "string",
            "buurtcode": "string",
            "aantal_woningen": "Int64",
            "daeb": "boolean",
            "huurklasse": "string",
            "energielabel": "string",
            "bouwjaar": "Int64",
            "conditie": "Int64",
            "bron_bestand": "string",
            "bron_rij": "Int64",
        }
    )
    expected = gpd.GeoDataFrame(bezit, geometry=[Point(258000.25, 471300.5), None], crs=RD)
    assert_geodataframe_equal(d.bezit, expected)

    p = d.projecten
    assert len(p) == 1
    row = p.iloc[0]
    assert {k: row[k] for k in meta} == meta
    assert (row["projectnaam"], row["partij"], row["type"], row["status"]) == (
        "Campus Noord",
        "De Veste",
        "transformatie",
        "idee",
    )
    assert (row["woningen_erbij"], row["woningen_eraf"], row["startjaar"], row["eindjaar"]) == (
        200,
        0,
        2026,
        2029,
    )
    assert row["investering_eur"] == 1250000.5 and row["vertrouwelijkheid"] == "partners"
    assert row.geometry.equals(Polygon([(254000, 473000), (254200, 473000), (254200, 473100)]))
    assert str(p["investering_eur"].dtype) == "Float64"

    v = d.verkoop.iloc[0]
    assert (v["energielabel"], v["conditie"], v["kluswoning"], v["gemeld_aan_gemeente"]) == (
        "G",
        5,
        True,
        False,
    )
    assert v["vertrouwelijkheid"] == "eigen" and v["bron_rij"] == 2
    # lon/lat 6.89, 52.22 is about (257690, 471280) in RD New (not swapped, not left in degrees)
    assert v.geometry.x == pytest.approx(257690, abs=50)
    assert v.geometry.y == pytest.approx(471280, abs=50)
    assert d.verkoop.crs == RD
