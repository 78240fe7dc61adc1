"""`sia fetch buurten` against a PDOK-shaped WFS answer served on loopback (offline).

The response is built from the real Enschede buurten in the shape PDOK's WFS returns
(GeoJSON FeatureCollection, PDOK field names, ``crs`` member, paging with count/startIndex).
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import geopandas as gpd
import pytest

from api.cli import main
from layers import fetch
from layers.cbs import prepare_buurten

PDOK_FIELDS = [
    "buurtcode",
    "buurtnaam",
    "wijkcode",
    "gemeentecode",
    "gemeentenaam",
    "aantal_inwoners",
    "aantal_huishoudens",
]


@pytest.fixture
def pdok(enschede_buurten: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict]]:
    gdf = gpd.read_file(enschede_buurten)[[*PDOK_FIELDS, "geometry"]]
    collection = json.loads(gdf.to_json(drop_id=True))
    features = collection["features"]
    requests: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(self.path).query))
            requests.append({"path": self.path, **query})
            start, count = int(query["startIndex"]), int(query["count"])
            chosen = (
                [
                    f
                    for f in features
                    if f"<fes:Literal>{f['properties']['gemeentecode']}</fes:Literal>"
                    in query.get("filter", "")
                ]
                if "filter" in query
                else features
            )
            body = json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": chosen[start : start + count],
                    "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("SIA_PDOK_URL", f"http://127.0.0.1:{server.server_port}/wijkenbuurten/{{year}}")
    monkeypatch.setattr(fetch, "_PAGE", 25)  # force several pages
    yield requests
    server.shutdown()
    server.server_close()


def test_fetch_pages_filters_and_loads(pdok: list[dict], tmp_path: Path) -> None:
    assert (
        main(
            [
                "fetch",
                "buurten",
                "--year",
                "2024",
                "--gemeente",
                "GM0153",
                "--out",
                str(tmp_path),
                "--no-load",
            ]
        )
        == 0
    )
    out = tmp_path / "cbs_buurten_2024_GM0153.geojson"
    assert [int(r["startIndex"]) for r in pdok] == [0, 25, 50]
    assert all(r["path"].startswith("/wijkenbuurten/2024?") for r in pdok)
    assert all(r["typeNames"] == "wijkenbuurten:buurten" for r in pdok)
    prepared = prepare_buurten(out)
    assert prepared.year == 2024 and len(prepared.frame) == 70
    assert prepared.frame["aantal_inwoners"].sum() == 159_655


def test_fetch_unknown_gemeente_is_a_clear_error(
    pdok: list[dict], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "fetch",
                "buurten",
                "--year",
                "2024",
                "--gemeente",
                "GM9999",
                "--out",
                str(tmp_path),
                "--no-load",
            ]
        )
        == 2
    )
    assert "PDOK gaf geen buurten voor 2024 en gemeente GM9999" in capsys.readouterr().err


def test_fetch_without_network_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SIA_PDOK_URL", "http://127.0.0.1:9/closed/{year}")
    assert main(["fetch", "buurten", "--year", "2024", "--out", str(tmp_path), "--no-load"]) == 2
    assert "sia load buurten" in capsys.readouterr().err
