"""read_delivery: a catalogue of bad uploads, each rejected with the right Dutch message."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from openpyxl import load_workbook
from shapely.geometry import Point, box

from layers.errors import InvalidUpload
from layers.partners.template import write_filled, write_template
from layers.partners.validate import read_delivery

AREA = box(252000, 465000, 264000, 476000)
BUURTCODES = {"BU01530000", "BU01530001", "BU01530406"}
PARTNER = "Domijn"

BEZIT = [  # Excel rows 2, 3, 4
    {
        "corporatie": PARTNER,
        "adres": "Lasonderstraat 1",
        "postcode": "7514 AB",
        "huisnummer": 1,
        "x": 258000.0,
        "y": 471900.0,
        "buurtcode": "BU01530001",
        "daeb": "ja",
        "huurklasse": "betaalbaar",
        "energielabel": "B",
        "bouwjaar": 1965,
        "conditie": 3,
    },
    {
        "corporatie": PARTNER,
        "buurtcode": "BU01530000",
        "aantal_woningen": 40,
        "daeb": "nee",
        "huurklasse": "vrije sector",
        "energielabel": "A",
        "bouwjaar": 2010,
        "conditie": 2,
    },
    {
        "corporatie": PARTNER,
        "adres": "Lasonderstraat 3",
        "lon": 6.9,
        "lat": 52.22,
        "daeb": "ja",
        "energielabel": "C",
        "bouwjaar": 1970,
        "conditie": 2,
    },
]
PROJECTEN = [  # rows 2, 3
    {
        "projectnaam": "Sloop Lasonder",
        "partij": PARTNER,
        "type": "sloop",
        "woningen_eraf": 40,
        "startjaar": 2026,
        "eindjaar": 2027,
        "status": "voorbereiding",
        "wkt": "POLYGON ((258000 471800, 258100 471800, 258100 471900, 258000 471800))",
    },
    {
        "projectnaam": "Verduurzaming City",
        "partij": PARTNER,
        "type": "verduurzaming",
        "startjaar": 2027,
        "eindjaar": 2028,
        "status": "idee",
        "x": 257900.0,
        "y": 471300.0,
        "investering_eur": 2500000,
    },
]
VERKOOP = [  # rows 2, 3
    {
        "corporatie": PARTNER,
        "adres": "Zeggeltstraat 5",
        "postcode": "7514 CD",
        "huisnummer": 5,
        "x": 258100.0,
        "y": 471950.0,
        "energielabel": "C",
        "conditie": 3,
        "kluswoning": "nee",
        "gemeld_aan_gemeente": "nee",
        "gepland_jaar": 2026,
    },
    {
        "corporatie": PARTNER,
        "adres": "Zeggeltstraat 7",
        "postcode": "7514 CD",
        "huisnummer": 7,
        "x": 258120.0,
        "y": 471950.0,
        "energielabel": "D",
        "conditie": 2,
        "kluswoning": "nee",
        "gemeld_aan_gemeente": "nee",
        "gepland_jaar": 2027,
    },
]


def _good(tmp_path: Path, name: str = "levering.xlsx", **levering: Any) -> Path:
    frames = {
        "bezit": pd.DataFrame(BEZIT),
        "projecten": pd.DataFrame(PROJECTEN),
        "verkoop": pd.DataFrame(VERKOOP),
    }
    opts = {"partner": PARTNER, "period": "2026-najaar", **levering}
    return write_filled(tmp_path / name, frames, **opts)


def _edit(sheet: str, row: int, column: str, value: Any) -> Callable[[Path], tuple[Path, dict]]:
    """A case: the good file with one cell changed."""

    def make(tmp_path: Path) -> tuple[Path, dict]:
        path = _good(tmp_path)
        wb = load_workbook(path)
        ws = wb[sheet]
        if sheet == "levering":
            target = next(r[1] for r in ws.iter_rows(min_row=2) if r[0].value == column)
            target.value = value
        else:
            header = [c.value for c in ws[1]]
            ws.cell(row=row, column=header.index(column) + 1).value = value
        wb.save(path)
        return path, {}

    return make


def _edits(*changes: tuple[str, int, str, Any]) -> Callable[[Path], tuple[Path, dict]]:
    """A case: the good file with several cells of layer sheets changed."""

    def make(tmp_path: Path) -> tuple[Path, dict]:
        path = _good(tmp_path)
        wb = load_workbook(path)
        for sheet, row, column, value in changes:
            header = [c.value for c in wb[sheet][1]]
            wb[sheet].cell(row=row, column=header.index(column) + 1).value = value
        wb.save(path)
        return path, {}

    return make


def _drop_sheet(tmp_path: Path) -> tuple[Path, dict]:
    path = _good(tmp_path)
    wb = load_workbook(path)
    del wb["verkoop"]
    wb.save(path)
    return path, {}


def _drop_column(tmp_path: Path) -> tuple[Path, dict]:
    path = _good(tmp_path)
    wb = load_workbook(path)
    ws = wb["bezit"]
    ws.delete_cols([c.value for c in ws[1]].index("daeb") + 1)
    wb.save(path)
    return path, {}


def _bytes(name: str, data: bytes) -> Callable[[Path], tuple[Path, dict]]:
    def make(tmp_path: Path) -> tuple[Path, dict]:
        path = tmp_path / name
        path.write_bytes(data)
        return path, {"layer": "bezit", "partner": PARTNER, "period": "2026-najaar"}

    return make


def _empty_template(tmp_path: Path) -> tuple[Path, dict]:
    return write_template(tmp_path / "leeg.xlsx", partner=PARTNER, period="2026-najaar"), {}


def _gemeente_bezit(tmp_path: Path) -> tuple[Path, dict]:
    frames = {"bezit": pd.DataFrame(BEZIT[1:2])}
    return write_filled(tmp_path / "g.xlsx", frames, partner="Gemeente Enschede", period="2026-najaar"), {}


def _gpkg_without_crs(tmp_path: Path) -> tuple[Path, dict]:
    path = tmp_path / "bezit.gpkg"
    gdf = gpd.GeoDataFrame(pd.DataFrame(BEZIT[:1]).drop(columns=["x", "y"]), geometry=[Point(258000, 471900)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # pyogrio warns: no crs
        gdf.to_file(path, layer="bezit")
    return path, {"layer": "bezit", "partner": PARTNER, "period": "2026-najaar"}


def _geojson_wrong_crs(tmp_path: Path) -> tuple[Path, dict]:
    """RD New numbers in a GeoJSON that (by RFC 7946) is read as WGS84 degrees."""
    path = tmp_path / "verkoop.geojson"
    text = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"corporatie": "Domijn", "adres": "Zeggeltstraat 5", "energielabel": "C", '
        '"conditie": 3, "kluswoning": "nee", "gemeld_aan_gemeente": "nee", '
        '"gepland_jaar": 2026}, "geometry": {"type": "Point", '
        '"coordinates": [258100, 471950]}}]}'
    )
    path.write_text(text, encoding="utf-8")
    return path, {"layer": "verkoop", "partner": PARTNER, "period": "2026-najaar"}


def _csv(text: str, **opts: Any) -> Callable[[Path], tuple[Path, dict]]:
    def make(tmp_path: Path) -> tuple[Path, dict]:
        path = tmp_path / "verkoop.csv"
        path.write_text(text, encoding="utf-8")
        return path, {"layer": "verkoop", "partner": PARTNER, "period": "2026-najaar", **opts}

    return make


_CSV_HEAD = "corporatie;adres;x;y;energielabel;conditie;kluswoning;gemeld_aan_gemeente;gepland_jaar\n"
NEXT_YEAR = dt.date.today().year + 1

# (id, make case, message regex, blad, rij, kolom)
CASES: list[tuple[str, Callable[[Path], tuple[Path, dict]], str, str | None, int | None, str | None]] = [
    (
        "label-H",
        _edit("verkoop", 3, "energielabel", "H"),
        r"Blad 'verkoop', rij 3, kolom 'energielabel': waarde 'H' is geen geldig energielabel; "
        r"verwacht een van A\+\+\+\+, .*, G\.",
        "verkoop",
        3,
        "energielabel",
    ),
    (
        "conditie-7",
        _edit("bezit", 2, "conditie", 7),
        r"rij 2, kolom 'conditie': waarde '7' valt buiten .*1 t/m 6",
        "bezit",
        2,
        "conditie",
    ),
    (
        "bouwjaar-te-oud",
        _edit("bezit", 4, "bouwjaar", 1750),
        r"waarde '1750' valt buiten het toegestane bereik; verwacht .* 1800 t/m",
        "bezit",
        4,
        "bouwjaar",
    ),
    (
        "bouwjaar-toekomst",
        _edit("bezit", 3, "bouwjaar", NEXT_YEAR),
        rf"waarde '{NEXT_YEAR}' valt buiten",
        "bezit",
        3,
        "bouwjaar",
    ),
    (
        "tekst-in-getal",
        _edit("bezit", 2, "bouwjaar", "ca. 1985"),
        r"waarde 'ca\. 1985' is geen geheel getal",
        "bezit",
        2,
        "bouwjaar",
    ),
    (
        "tekst-in-bedrag",
        _edit("projecten", 3, "investering_eur", "2,5 miljoen"),
        r"waarde '2,5 miljoen' is geen getal",
        "projecten",
        3,
        "investering_eur",
    ),
    (
        "onbekende-corporatie",
        _edit("bezit", 3, "corporatie", "Woonplaats"),
        r"waarde 'Woonplaats' is geen bekende corporatie \(bedoelt u 'De Woonplaats'\?\)",
        "bezit",
        3,
        "corporatie",
    ),
    (
        "dubbel-adres",
        _edit("verkoop", 3, "huisnummer", 5),
        r"rij 3, kolom 'adres': adres komt dubbel voor \(ook in rij 2\)",
        "verkoop",
        3,
        "adres",
    ),
    (
        "buiten-gemeente",
        _edit("bezit", 2, "x", 150000),
        r"rij 2, kolom 'geometrie': de ligging \(150000, 471900 in RD New\) valt buiten de "
        r"gemeente",
        "bezit",
        2,
        "geometrie",
    ),
    (
        "onbekende-buurtcode",
        _edit("bezit", 3, "buurtcode", "BU01539999"),
        r"buurtcode 'BU01539999' is onbekend",
        "bezit",
        3,
        "buurtcode",
    ),
    (
        "eindjaar-voor-startjaar",
        _edit("projecten", 2, "eindjaar", 2024),
        r"eindjaar 2024 ligt voor startjaar 2026; verwacht een eindjaar van 2026 of later",
        "projecten",
        2,
        "eindjaar",
    ),
    (
        "ongeldige-periode",
        _edit("levering", 0, "periode", "2026-zomer"),
        r"Blad 'levering', rij \d, veld 'periode': waarde '2026-zomer' is geen geldige periode",
        "levering",
        3,
        "periode",
    ),
    (
        "ongeldige-wkt",
        _edit("projecten", 2, "wkt", "POLYGON ((258000 471800, 258100"),
        r"is geen geldige WKT-geometrie",
        "projecten",
        2,
        "wkt",
    ),
    (
        "zelfdoorsnijdend-vlak",
        _edit("projecten", 2, "wkt", "POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))"),
        r"het vlak is ongeldig",
        "projecten",
        2,
        "wkt",
    ),
    (
        "partner-ongelijk-corporatie",
        _edit("levering", 0, "partner", "Ons Huis"),
        r"corporatie 'Domijn' komt niet overeen met de partner 'Ons Huis'",
        "bezit",
        2,
        "corporatie",
    ),
    (
        "kolom-ontbreekt",
        _drop_column,
        r"Blad 'bezit', rij 1, kolom 'daeb': kolom ontbreekt",
        "bezit",
        1,
        "daeb",
    ),
    (
        "kolomnaam-typefout",
        _edit("bezit", 1, "bouwjaar", "bouwjar"),
        r"kolom 'bouwjar' is onbekend \(bedoelt u 'bouwjaar'\?\)",
        "bezit",
        1,
        "bouwjar",
    ),
    ("blad-ontbreekt", _drop_sheet, r"blad 'verkoop' ontbreekt", "verkoop", None, None),
    (
        "verplichte-waarde",
        _edit("verkoop", 2, "kluswoning", None),
        r"rij 2, kolom 'kluswoning': verplichte waarde ontbreekt; verwacht ja of nee",
        "verkoop",
        2,
        "kluswoning",
    ),
    (
        "ja-nee",
        _edit("verkoop", 3, "gemeld_aan_gemeente", "misschien"),
        r"waarde 'misschien' is geen ja of nee",
        "verkoop",
        3,
        "gemeld_aan_gemeente",
    ),
    (
        "aantal-bij-adres",
        _edit("bezit", 2, "aantal_woningen", 5),
        r"bij een adres hoort 1 woning, niet 5",
        "bezit",
        2,
        "aantal_woningen",
    ),
    ("alleen-x", _edit("projecten", 3, "y", None), r"'x' is ingevuld maar 'y' niet", "projecten", 3, "y"),
    (
        "postcode",
        _edit("verkoop", 2, "postcode", "75140CD"),
        r"waarde '75140CD' is geen geldige postcode",
        "verkoop",
        2,
        "postcode",
    ),
    (
        "adres-zonder-coordinaten",
        _edits(("bezit", 4, "lon", None), ("bezit", 4, "lat", None)),
        r"adres zonder coördinaten",
        "bezit",
        4,
        "x",
    ),
    (
        "gemeente-levert-bezit",
        _gemeente_bezit,
        r"blad 'bezit' kan alleen door een corporatie worden aangeleverd",
        "bezit",
        None,
        None,
    ),
    ("leeg-sjabloon", _empty_template, r"het bestand bevat geen gegevens", None, None, None),
    (
        "geen-excel",
        _bytes("levering.xlsx", b"dit is geen werkmap"),
        r"kan niet als Excel-werkmap \(\.xlsx\) worden gelezen",
        None,
        None,
        None,
    ),
    ("oud-excel", _bytes("levering.xls", b"\xd0\xcf\x11\xe0"), r"oude Excel-formaat", None, None, None),
    (
        "verkeerd-type",
        _bytes("plan.docx", b"PK"),
        r"bestandstype '\.docx' wordt niet "
        r"ondersteund",
        None,
        None,
        None,
    ),
    ("lege-csv", _bytes("bezit.csv", b""), r"het bestand is leeg", None, None, None),
    ("gpkg-zonder-crs", _gpkg_without_crs, r"heeft geen \(bekend\) coördinatenstelsel", None, None, None),
    (
        "geojson-verkeerd-crs",
        _geojson_wrong_crs,
        r"passen niet bij het opgegeven coördinatenstelsel \(EPSG:4326\)",
        None,
        None,
        None,
    ),
    (
        "csv-tekst-in-getal",
        _csv(
            _CSV_HEAD + "Domijn;Kerkstraat 1;258000;471900;C;3;nee;nee;2026\n"
            "Domijn;Kerkstraat 2;258010;471900;C;drie;nee;nee;2026\n"
        ),
        r"Laag 'verkoop', rij 3, kolom 'conditie': waarde 'drie' is geen geheel getal",
        "verkoop",
        3,
        "conditie",
    ),
    ("csv-zonder-laag", _csv(_CSV_HEAD, layer=None), r"'laag' is niet opgegeven", None, None, "laag"),
    (
        "csv-ongeldige-periode",
        _csv(_CSV_HEAD, period="najaar 2026"),
        r"periode 'najaar 2026' bij het uploaden",
        None,
        None,
        "periode",
    ),
]


@pytest.mark.parametrize(
    ("make", "pattern", "blad", "rij", "kolom"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_upload_is_rejected(
    tmp_path: Path, make: Callable, pattern: str, blad: str | None, rij: int | None, kolom: str | None
) -> None:
    path, opts = make(tmp_path)
    with pytest.raises(InvalidUpload, match=pattern) as info:
        read_delivery(path, area=AREA, buurtcodes=BUURTCODES, **opts)
    hits = [d for d in info.value.details if re.search(pattern, d["melding"])]
    assert hits, info.value.details
    d = hits[0]
    assert (d["blad"], d["rij"], d["kolom"]) == (blad, rij, kolom)
    assert d["bestand"] == path.name
    assert set(d) == {"bestand", "blad", "rij", "kolom", "waarde", "verwacht", "melding"}


def test_good_file_passes(tmp_path: Path) -> None:
    d = read_delivery(_good(tmp_path), area=AREA, buurtcodes=BUURTCODES)
    assert (len(d.bezit), len(d.projecten), len(d.verkoop)) == (3, 2, 2)
    assert d.bezit["aantal_woningen"].tolist() == [1, 40, 1]
    assert d.bezit["vertrouwelijkheid"].tolist() == ["eigen", "partners", "eigen"]


def test_every_problem_is_collected(tmp_path: Path) -> None:
    path = _good(tmp_path)
    wb = load_workbook(path)
    header = [c.value for c in wb["verkoop"][1]]
    wb["verkoop"].cell(row=2, column=header.index("energielabel") + 1, value="H")
    wb["verkoop"].cell(row=3, column=header.index("conditie") + 1, value=9)
    header = [c.value for c in wb["bezit"][1]]
    wb["bezit"].cell(row=4, column=header.index("corporatie") + 1, value="Onbekend")
    wb.save(path)
    with pytest.raises(InvalidUpload, match=r"3 problemen gevonden") as info:
        read_delivery(path)
    where = sorted((d["blad"], d["rij"], d["kolom"]) for d in info.value.details)
    assert where == [("bezit", 4, "corporatie"), ("verkoop", 2, "energielabel"), ("verkoop", 3, "conditie")]
    assert info.value.details[0]["waarde"] in {"H", "9", "Onbekend"}


def test_partner_of_upload_must_match_levering(tmp_path: Path) -> None:
    with pytest.raises(InvalidUpload, match=r"'Domijn' komt niet overeen met 'SJHT'"):
        read_delivery(_good(tmp_path), partner="SJHT")


def test_csv_and_gis_layers_are_read(tmp_path: Path) -> None:
    csv = tmp_path / "verkoop.csv"
    csv.write_text(_CSV_HEAD + "Domijn;Kerkstraat 1;258000,5;471900;F;4;ja;ja;2026\n", encoding="utf-8")
    d = read_delivery(csv, layer="verkoop", partner=PARTNER, period="2026-voorjaar", area=AREA)
    row = d.verkoop.iloc[0]
    assert (row.geometry.x, row.geometry.y, row["energielabel"], row["kluswoning"]) == (
        258000.5,
        471900.0,
        "F",
        True,
    )
    assert (d.partner, d.period, row["bron_rij"]) == (PARTNER, "2026-voorjaar", 2)

    gpkg = tmp_path / "projecten.gpkg"
    gdf = gpd.GeoDataFrame(
        {
            "projectnaam": ["Park"],
            "partij": ["Particulier"],
            "type": ["nieuwbouw"],
            "woningen_erbij": [30],
            "startjaar": [2027],
            "eindjaar": [2028],
            "status": ["idee"],
        },
        geometry=[box(6.88, 52.21, 6.89, 52.22)],
        crs="EPSG:4326",
    )
    gdf.to_file(gpkg, layer="projecten")
    d = read_delivery(
        gpkg,
        layer="projecten",
        partner="Gemeente Enschede",
        period="2026-najaar",
        area=AREA,
        confidentiality="openbaar",
    )
    row = d.projecten.iloc[0]
    assert row.geometry.geom_type == "Polygon"
    assert 256000 < row.geometry.centroid.x < 259000 and 469000 < row.geometry.centroid.y < 473000
    assert (row["woningen_eraf"], row["vertrouwelijkheid"], d.projecten.crs.to_epsg()) == (
        0,
        "openbaar",
        28992,
    )


def test_zipped_shapefile_with_cut_field_names(tmp_path: Path) -> None:
    """A Shapefile (zipped, as a browser uploads it) with GDAL's 10-character field names."""
    import zipfile

    gdf = gpd.GeoDataFrame(
        {
            "corporatie": [PARTNER, PARTNER],
            "adres": ["Hengelosestraat 1", "Hengelosestraat 3"],
            "aantal_woningen": [1, 1],
            "daeb": ["ja", "nee"],
            "energielabel": ["C", "G"],
            "conditie": [2, 5],
            "vertrouwelijkheid": ["eigen", "partners"],
        },
        geometry=[Point(258000.5, 471900.0), Point(258100.0, 471950.0)],
        crs="EPSG:28992",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # geopandas and GDAL warn that names are cut to 10 characters
        gdf.to_file(tmp_path / "bezit.shp")
    archive = tmp_path / "bezit.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in tmp_path.glob("bezit.*"):
            if part.suffix != ".zip":
                zf.write(part, part.name)
    for path in (archive, tmp_path / "bezit.shp"):
        d = read_delivery(path, layer="bezit", partner=PARTNER, period="2026-najaar", area=AREA)
        assert d.bezit["aantal_woningen"].tolist() == [1, 1]
        assert d.bezit["adres"].tolist() == ["Hengelosestraat 1", "Hengelosestraat 3"]
        assert d.bezit["energielabel"].tolist() == ["C", "G"]
        assert d.bezit["vertrouwelijkheid"].tolist() == ["eigen", "partners"]
        assert d.bezit.geometry.iloc[1].x == 258100.0
    # a cut name that is wrong still gives the usual problem report
    gdf.rename(columns={"conditie": "staat"}).assign(conditie=[2, 9]).to_file(tmp_path / "fout.gpkg")
    with pytest.raises(InvalidUpload, match=r"kolom 'conditie': waarde '9'"):
        read_delivery(tmp_path / "fout.gpkg", layer="bezit", partner=PARTNER, period="2026-najaar", area=AREA)


def test_a_project_names_no_other_organisation_as_partij(tmp_path: Path) -> None:
    """Before: Domijn's delivery could put a project under partij 'Ons Huis' (its money then counted
    as Ons Huis's in the area statistics and the investment agenda)."""
    path, _ = _edit("projecten", 3, "partij", "Ons Huis")(tmp_path)
    with pytest.raises(InvalidUpload, match=r"partij 'Ons Huis' is een andere organisatie") as info:
        read_delivery(path, area=AREA, buurtcodes=BUURTCODES)
    (d,) = info.value.details
    assert (d["bestand"], d["blad"], d["rij"], d["kolom"], d["waarde"]) == (
        path.name,
        "projecten",
        3,
        "partij",
        "Ons Huis",
    )
    assert d["verwacht"] == "'Domijn' of 'Particulier'"
    assert d["melding"].startswith("Blad 'projecten', rij 3, kolom 'partij': ")
    # loading for others (a beheerder of the gemeente, the operator): allowed
    loaded = read_delivery(path, area=AREA, buurtcodes=BUURTCODES, for_others=True)
    assert loaded.projecten["partij"].tolist() == [PARTNER, "Ons Huis"]
    # a private party is anyone's to name
    private, _ = _edit("projecten", 3, "partij", "Particulier")(tmp_path)
    assert read_delivery(private, area=AREA, buurtcodes=BUURTCODES).projecten["partij"].tolist() == [
        PARTNER,
        "Particulier",
    ]
