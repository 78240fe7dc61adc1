"""What the load test (``benchmarks/bench_load.py``) found and what was changed for it, each checked:
a worker warms itself before it takes requests (``api.warmup``), one question is one cache entry
however its query is spelled, and the faster engine helpers give what the slower ones gave."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from api.warmup import WARM_CLIENT
from sia.run import records

PERIODE = "2026-najaar"  # the demo's period


def _slow_records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """``sia.run.records`` as it was before the load test (cell by cell): the reference."""
    out = frame.reset_index().astype(object).where(frame.reset_index().notna(), None)
    return [
        {str(k): (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
        for r in out.to_dict("records")
    ]


def test_records_give_what_the_cell_by_cell_conversion_gave() -> None:
    frame = pd.DataFrame(
        {
            "score": [0.5, np.nan, 1.25],
            "rang": pd.array([1, None, 2], dtype="Int64"),
            "reden": [None, "geen waarde", np.nan],
            "vlag": [True, False, True],
            "gemengd": [np.int64(3), np.float64(2.5), None],
            "n": np.array([1, 2, 3], dtype=np.int32),
        },
        index=pd.Index(["BU1", "BU2", "BU3"], name="buurtcode"),
    )
    fast, slow = records(frame), _slow_records(frame)
    assert fast == slow
    assert fast[1] == {"buurtcode": "BU2", "score": None, "rang": None, "reden": "geen waarde",
                       "vlag": False, "gemengd": 2.5, "n": 2}  # fmt: skip
    for row in fast:  # plain Python values only: what json.dumps writes
        assert all(v is None or type(v) in {str, int, float, bool} for v in row.values()), row
    assert records(frame.iloc[:0]) == []


@pytest.mark.postgis
def test_a_worker_warms_itself_with_what_the_map_asks_first(demo_url: str) -> None:
    app = create_app(Settings(database_url=demo_url, gemeente="GM0153"), warm=True)
    with TestClient(app) as client:
        warmed = app.state.warmed
        assert warmed and all(status == 200 for status in warmed.values()), warmed
        asked = " ".join(warmed)
        for route in ("/api/indicators/table?", "/api/layers/buurten/features?", "/api/scores/profiles",
                      f"/api/partners/features?laag=bezit&periode={PERIODE}"):  # fmt: skip
            assert route in asked, route
        cache = app.state.response_cache  # made by the warm-up
        before = (cache.hits, cache.misses)
        # what webmap/src/app.js asks first, as it spells it: answered from the warmed cache
        table = client.get("/api/indicators/table", params={"gemeente": "GM0153"})
        layers = client.get("/api/layers")
        profiles = client.get("/api/scores/profiles")
        assert (table.status_code, layers.status_code, profiles.status_code) == (200, 200, 200)
        assert (cache.hits - before[0], cache.misses - before[1]) == (3, 0)


@pytest.mark.postgis
def test_an_app_that_is_not_told_to_warm_does_not(demo_url: str) -> None:
    app = create_app(Settings(database_url=demo_url, gemeente="GM0153"))
    with TestClient(app):
        assert getattr(app.state, "warmed", None) is None
    assert WARM_CLIENT[0] == "0.0.0.0"  # no browser has this address (rate limits count none)


@pytest.mark.postgis
def test_warming_a_database_without_data_still_starts_the_server(db_url: str) -> None:
    app = create_app(Settings(database_url=db_url, gemeente="GM0153"), warm=True)
    with TestClient(app) as client:
        assert app.state.warmed["GET /api/config"] == 200
        assert any(status >= 400 for status in app.state.warmed.values())  # no buurten: refused, skipped
        assert client.get("/api/health").status_code == 200


@pytest.mark.postgis
def test_one_question_is_one_cache_entry_however_its_query_is_spelled(demo_url: str) -> None:
    with TestClient(create_app(Settings(database_url=demo_url, gemeente="GM0153"))) as client:
        a = client.get("/api/indicators/table?gemeente=GM0153&jaar=2021")
        b = client.get("/api/indicators/table?jaar=2021&gemeente=GM0153")
        c = client.get("/api/indicators/table?gemeente=GM0153")
    assert (a.status_code, b.status_code, c.status_code) == (200, 200, 200)
    assert a.headers["etag"] == b.headers["etag"] and a.content == b.content
    # one parameter given twice is read as its last value: another order is another question
    with TestClient(create_app(Settings(database_url=demo_url, gemeente="GM0153"))) as client:
        first = client.get(f"/api/partners/features?laag=bezit&laag=projecten&periode={PERIODE}")
        second = client.get(f"/api/partners/features?laag=projecten&laag=bezit&periode={PERIODE}")
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.json()["laag"], second.json()["laag"]) == ("projecten", "bezit")
    assert first.headers["etag"] != second.headers["etag"]


@pytest.mark.postgis
def test_a_servers_new_table_has_its_area_figures_read_ahead_for_the_same_viewer(demo_url: str) -> None:
    """After a new delivery the first drawn area waited for the table and then for the figures
    every area reads once per table (benchmarks/bench_load.py, p95 of area statistics): a server's
    worker reads those ahead, as the same viewer, and an area then gives what it gave without."""
    from api.scoring import _READ_AHEAD

    body = {
        "geometrie": {
            "type": "Polygon",
            "coordinates": [
                [[6.885, 52.215], [6.897, 52.215], [6.897, 52.222], [6.885, 52.222], [6.885, 52.215]]
            ],
        },
        "crs": "EPSG:4326",
        "profiel": "default",
    }
    app = create_app(Settings(database_url=demo_url, gemeente="GM0153"), warm=True)
    with TestClient(app) as client:
        _READ_AHEAD.submit(lambda: None).result(timeout=60)  # what the warm-up started is done
        tables = [t for _, t in app.state.indicator_cache._items.values()]
        assert tables and all(t.periode == PERIODE for t in tables)
        memo = " ".join(tables[0]._memo)
        assert all(name in memo for name in ("gebied_bezit", "adressen", "verborgen")), memo
        ahead = client.post("/api/gebieden/statistieken", json=body)
    with TestClient(create_app(Settings(database_url=demo_url, gemeente="GM0153"))) as client:
        plain = client.post("/api/gebieden/statistieken", json=body)
    assert ahead.status_code == plain.status_code == 200, ahead.text
    assert ahead.json() == plain.json()
    assert ahead.json()["corporatiebezit"]["woningen"] > 0
