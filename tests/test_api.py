"""The HTTP API through FastAPI's TestClient (lifespan runs), on the real Enschede data."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator

import api.routers
from api.main import create_app
from api.settings import Settings
from sia.aggregate import METHODS

pytestmark = pytest.mark.postgis


@pytest.fixture(scope="module")
def client(loaded_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=loaded_url, gemeente="GM0153"))) as c:
        yield c


def test_health(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["buurten"] == 70
    assert body["postgis"].startswith("3.")


def test_catalogue_describes_layers(client: TestClient) -> None:
    layers = {layer["id"]: layer for layer in client.get("/api/layers").json()}
    assert set(layers) >= {"buurten", "wijken", "leefbaarometer"}
    assert layers["buurten"]["years"] == [2021]
    assert layers["leefbaarometer"]["years"] == [2024]
    assert "CBS" in layers["buurten"]["attribution"]
    inw = next(f for f in layers["buurten"]["fields"] if f["id"] == "aantal_inwoners")
    assert inw["label"] == "Inwoners" and inw["unit"] == "personen"


def test_features_are_geojson_in_wgs84(client: TestClient) -> None:
    res = client.get("/api/layers/buurten/features", params={"gemeente": "GM0153"})
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("application/geo+json")
    fc = res.json()
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 70
    lon, lat = fc["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 6.7 < lon < 7.0 and 52.1 < lat < 52.3
    assert sum(f["properties"]["aantal_inwoners"] for f in fc["features"]) == 159_655


def test_bbox_and_property_selection(client: TestClient) -> None:
    # a small box around the city centre (Oude Markt ≈ 6.894 E, 52.221 N)
    res = client.get(
        "/api/layers/leefbaarometer/features",
        params={"bbox": "6.890,52.218,6.898,52.224", "properties": "buurtcode,lbm_score"},
    )
    fc = res.json()
    codes = {f["properties"]["buurtcode"] for f in fc["features"]}
    assert 0 < len(codes) < 70 and "BU01530000" in codes
    assert all(set(f["properties"]) == {"buurtcode", "lbm_score"} for f in fc["features"])


def test_wijken_layer(client: TestClient) -> None:
    fc = client.get("/api/layers/wijken/features").json()
    assert len(fc["features"]) == 10
    assert sum(f["properties"]["n_buurten"] for f in fc["features"]) == 70


def test_buurt_detail(client: TestClient) -> None:
    body = client.get("/api/buurten/BU01530000").json()
    assert body["buurtnaam"] == "City" and body["wijkcode"] == "WK015300"
    assert body["aantal_inwoners"] == 3410
    assert body["lbm_klasse"] == 5 and body["lbm_editie"] == 2024
    assert "CBS" in body["bronnen"]["buurten"]
    unscored = client.get("/api/buurten/BU01530703").json()
    assert unscored["buurtnaam"] == "Kennispark" and unscored["lbm_score"] is None
    assert unscored["bronnen"]["leefbaarometer"] is None


def test_indicator_table(client: TestClient) -> None:
    indicators = client.get("/api/indicators").json()
    ids = [i["id"] for i in indicators]
    assert {
        "aantal_inwoners",
        "bevolkingsdichtheid",
        "aantal_huishoudens",
        "lbm_score",
        "lbm_won",
        "lbm_fys",
        "lbm_vrz",
        "lbm_soc",
        "lbm_onv",
    } <= set(ids)
    table = client.get("/api/indicators/table").json()
    assert table["gemeente"] == "GM0153" and len(table["rijen"]) == 70
    assert sum(r["lbm_score"] is None for r in table["rijen"]) == 5


@pytest.mark.parametrize(
    ("url", "status", "text"),
    [
        ("/api/layers/bestaatniet", 404, "bestaat niet"),
        ("/api/layers/bestaatniet/features", 404, "beschikbaar: buurten"),
        ("/api/layers/buurten/features?bbox=1,2,3", 400, "vier getallen"),
        ("/api/layers/buurten/features?bbox=7,53,6,52", 400, "min < max"),
        ("/api/layers/buurten/features?properties=foo", 400, "kies uit"),
        ("/api/buurten/BU01539999", 404, "niet gevonden"),
        ("/api/layers/buurten/features?gemeente=Enschede", 422, "pattern"),
    ],
)
def test_errors_are_clear_4xx(client: TestClient, url: str, status: int, text: str) -> None:
    res = client.get(url)
    assert res.status_code == status
    assert text in res.text


def test_unexpected_error_is_generic_500(db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """An empty, unmigrated database makes the query fail: the client sees no internals."""
    from sqlalchemy import text

    from layers.db.engine import make_engine

    eng = make_engine(db_url)
    with eng.begin() as conn:
        conn.execute(text("DROP TABLE buurten CASCADE"))
    eng.dispose()
    with TestClient(create_app(Settings(database_url=db_url)), raise_server_exceptions=False) as c:
        res = c.get("/api/buurten/BU01530000")
        health = c.get("/api/health")
    assert health.status_code == 503 and "sia db migrate" in health.json()["melding"]
    assert res.status_code == 500
    assert res.json()["fout"] == "InternalError"
    assert "buurten" not in res.text and "psycopg" not in res.text
    assert any("Unexpected error" in r.message for r in caplog.records)


def _schema_validator(doc: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    """A JSON Schema validator for a schema of the OpenAPI document (its $refs resolved)."""
    return Draft202012Validator({**schema, "components": doc["components"]})


def _response_schema(doc: dict[str, Any], path: str, method: str = "get") -> dict[str, Any]:
    responses = doc["paths"][path][method]["responses"]
    ok = responses.get("200") or responses["201"]
    schema: dict[str, Any] = ok["content"]["application/json"]["schema"]
    return schema


def test_openapi_document_describes_every_route(client: TestClient) -> None:
    """/openapi.json lists each route of every router module (api/routers) with its methods, and
    nothing else; /docs reads it."""
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.") and doc["info"]["title"].startswith("SIA/DIA")
    defined = set()
    for info in pkgutil.iter_modules(api.routers.__path__):
        module = importlib.import_module(f"api.routers.{info.name}")
        routers = [r for r in vars(module).values() if isinstance(r, APIRouter)]  # uploads: its own
        for route in (route for router in routers for route in router.routes):
            if isinstance(route, APIRoute) and route.include_in_schema:
                defined |= {(route.path, method.lower()) for method in route.methods}
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert documented == defined and len(defined) > 20
    docs = client.get("/docs")  # the page loads its init script, which reads the document
    assert docs.status_code == 200 and '<script src="/docs/init.js">' in docs.text
    assert '"/openapi.json"' in client.get("/docs/init.js").text


@pytest.mark.parametrize(
    ("url", "path", "model"),
    [
        ("/api/health", "/api/health", "Health"),
        ("/api/config", "/api/config", "FrontendConfig"),
        ("/api/layers", "/api/layers", "LayerOut"),
        ("/api/layers/buurten", "/api/layers/{layer_id}", "LayerOut"),
        ("/api/indicators", "/api/indicators", "IndicatorOut"),
    ],
)
def test_typed_responses_match_their_documented_model(
    client: TestClient, url: str, path: str, model: str
) -> None:
    """The documented response model names the fields, and what the route serves validates."""
    doc = client.get("/openapi.json").json()
    schema = _response_schema(doc, path)
    ref = {"$ref": f"#/components/schemas/{model}"}
    assert schema == ref or (schema["type"] == "array" and schema["items"] == ref)
    component = doc["components"]["schemas"][model]
    body = client.get(url).json()
    _schema_validator(doc, schema).validate(body)
    rows = body if isinstance(body, list) else [body]
    assert rows and all(set(row) == set(component["properties"]) for row in rows)
    assert set(component["required"]) == set(component["properties"])  # no field is optional


def test_typed_response_models_reject_what_they_do_not_describe(client: TestClient) -> None:
    """The documented schemas are strict enough to catch a wrong answer, not just any object."""
    doc = client.get("/openapi.json").json()
    health = _schema_validator(doc, _response_schema(doc, "/api/health"))
    good = client.get("/api/health").json()
    assert health.is_valid(good)
    assert not health.is_valid({**good, "buurten": "zeventig"})
    assert not health.is_valid({k: v for k, v in good.items() if k != "postgis"})
    layers = _schema_validator(doc, _response_schema(doc, "/api/layers"))
    catalogue = client.get("/api/layers").json()
    assert layers.is_valid(catalogue)
    assert not layers.is_valid([{**catalogue[0], "fields": [{"id": "x"}]}])


@pytest.mark.parametrize(
    ("body", "valid"),
    [
        ({}, True),
        ({"methode": "topsis", "top_n": 5}, True),
        ({"gewichten": {"lbm_score": 2}, "normalisatie": {"lbm_score": {"name": "percentiel"}}}, True),
        ({"methode": "ahp"}, False),
        ({"gewichten": {"lbm_score": -1}}, False),
        ({"top_n": 0}, False),
        ({"periode": "2026-zomer"}, False),
        ({"gemeente": "Enschede"}, False),
        ({"onbekend": 1}, False),
    ],
)
def test_score_request_schema_says_what_the_server_accepts(
    client: TestClient, body: dict[str, Any], valid: bool
) -> None:
    """POST /api/scores: a body the documented schema refuses gets a 422; one it accepts does
    not (the engine may still refuse it with a 400, e.g. without partner data for potentie)."""
    doc = client.get("/openapi.json").json()
    request = doc["paths"]["/api/scores"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert request == {"$ref": "#/components/schemas/ScoreRequest"}
    methods = doc["components"]["schemas"]["ScoreRequest"]["properties"]["methode"]["enum"]
    assert methods == sorted(METHODS)  # the registry publishes its names
    assert _schema_validator(doc, request).is_valid(body) is valid
    res = client.post("/api/scores", json=body)
    assert (res.status_code == 422) is (not valid), res.text


def test_webmap_and_vendor_files_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and 'lang="nl"' in page.text
    assert "cdn" not in page.text.lower() and "unpkg" not in page.text
    assert client.get("/vendor/leaflet/leaflet.js").status_code == 200
    assert client.get("/vendor/simple-statistics/simple-statistics.mjs").status_code == 200
