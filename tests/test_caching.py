"""Responses cached per data version and view (``api.caching``): ETag, 304, one computation."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import Request, Response
from fastapi.testclient import TestClient

from api.caching import cached_json
from api.deps import ConnDep
from api.main import create_app
from api.settings import Settings

pytestmark = pytest.mark.postgis


def _app(db_url: str, computed: list[int]) -> TestClient:
    app = create_app(Settings(database_url=db_url, gemeente="GM0153"))

    @app.get("/test/traag")
    def slow(request: Request, conn: ConnDep) -> Response:  # a route of this test only
        def compute() -> dict[str, int]:
            computed.append(1)
            time.sleep(0.3)  # long enough for every request below to arrive meanwhile
            return {"n": len(computed)}

        return cached_json(request, conn, compute, gemeente="GM0153")

    return TestClient(app)


def test_requests_that_miss_together_compute_once(db_url: str) -> None:
    """After a new delivery every open map asks again at once (benchmarks/bench_load.py): one
    request computes the answer, the others wait for it instead of computing it too."""
    computed: list[int] = []
    together = threading.Barrier(6)
    with _app(db_url, computed) as client:

        def ask(_: int) -> tuple[int, bytes, str]:
            together.wait()
            res = client.get("/test/traag")
            return res.status_code, res.content, res.headers["etag"]

        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(ask, range(6)))
    assert len(computed) == 1
    assert set(answers) == {(200, b'{"n": 1}', answers[0][2])}


def test_the_etag_gives_304_and_nothing_is_computed(db_url: str) -> None:
    computed: list[int] = []
    with _app(db_url, computed) as client:
        first = client.get("/test/traag")
        again = client.get("/test/traag", headers={"If-None-Match": first.headers["etag"]})
        other = client.get("/test/traag", headers={"If-None-Match": 'W/"iets-anders"'})
    assert (first.status_code, again.status_code, other.status_code) == (200, 304, 200)
    assert again.content == b"" and other.content == first.content
    assert len(computed) == 1 and first.headers["cache-control"] == "private, no-cache"
