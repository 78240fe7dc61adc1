"""API benchmark: POST /api/scores for Enschede, server time per request (target: median < 50 ms).

Run: ``.venv/bin/python benchmarks/bench_api_scores.py [--requests 100]``

Database: ``SIA_DATABASE_URL`` when set (it must hold loaded, migrated data, e.g. after
``sia demo --no-serve``); otherwise a throwaway PostGIS cluster in a temporary folder, loaded the
way the test fixture ``demo_url`` does (CBS buurten 2021 and Leefbaarometer 2024 of Enschede from
``SIA_DATA_DIR``, the synthetic partner deliveries, the synthetic heat-stress raster) and removed
afterwards.

The app runs in-process behind Starlette's TestClient. The server time is the ``app`` entry of
the ``Server-Timing`` response header (validation, handler and JSON serialisation); the client
time adds the in-process transport. Printed per series: median and p95 over the requests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from fastapi.testclient import TestClient

from api.main import create_app
from api.scoring import IndicatorCache
from api.settings import Settings
from api.timing import server_time_ms
from sia.profile import load_profile

TARGET_MS = 50.0
REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _load_demo(url: str, data: Path) -> None:
    """Buurten, Leefbaarometer, synthetic deliveries and raster: as the ``demo_url`` fixture."""
    from layers.cbs import prepare_buurten, store_buurten
    from layers.db.engine import make_engine, migrate
    from layers.demo import load_demo
    from layers.leefbaarometer import prepare_leefbaarometer, store_leefbaarometer
    from layers.partners.synthetic import load_buurten

    buurten_file = data / "enschede" / "cbs_buurten_2021_enschede.gpkg"
    migrate(url)
    engine = make_engine(url)
    with tempfile.TemporaryDirectory(prefix="sia-bench-") as tmp, engine.begin() as conn:
        store_buurten(conn, prepare_buurten(buurten_file))
        store_leefbaarometer(
            conn, prepare_leefbaarometer(data / "enschede" / "lbm2024_buurten_enschede.gpkg")
        )
        load_demo(conn, Path(tmp), load_buurten(buurten_file))
    engine.dispose()


@contextmanager
def database(data: Path) -> Iterator[str]:
    """``SIA_DATABASE_URL``, or a loaded throwaway cluster for the duration of the block."""
    url = os.environ.get("SIA_DATABASE_URL")
    if url:
        print(f"database: SIA_DATABASE_URL ({url.rsplit('@', 1)[-1]})")
        yield url
        return
    from layers.db.cluster import LocalCluster

    home = Path(tempfile.mkdtemp(prefix="sia-bench-pg-"))
    home.chmod(0o755)  # the server may run as the postgres user when we are root
    cluster = LocalCluster(home=home, port=_free_port())
    try:
        cluster.start()
        start = time.perf_counter()
        _load_demo(cluster.url(), data)
        print(
            f"database: throwaway cluster in {home}, demo data loaded in {time.perf_counter() - start:.1f} s"
        )
        yield cluster.url()
    finally:
        cluster.stop()
        shutil.rmtree(home, ignore_errors=True)


def _series(
    client: TestClient, bodies: list[dict[str, Any]], before: Callable[[], None] | None = None
) -> tuple[list[float], list[float]]:
    """Server and client times (ms) of one POST /api/scores per body."""
    server, wall = [], []
    for body in bodies:
        if before:
            before()
        start = time.perf_counter()
        res = client.post("/api/scores", json=body)
        wall.append((time.perf_counter() - start) * 1000)
        if res.status_code != 200:
            raise SystemExit(f"POST /api/scores failed ({res.status_code}): {res.text[:500]}")
        ms = server_time_ms(res.headers.get_list("server-timing"))
        if ms is None:
            raise SystemExit("the response has no Server-Timing app entry")
        server.append(ms)
    return server, wall


def _report(label: str, server: list[float], wall: list[float], *, target: float | None = None) -> bool:
    med, p95 = statistics.median(server), float(np.percentile(server, 95))
    ok = target is None or med < target
    verdict = "" if target is None else f"  target median < {target:.0f} ms: {'ok' if ok else 'SLOWER'}"
    print(
        f"  {label:<46} n={len(server):<4} server median {med:7.2f} ms  p95 {p95:7.2f} ms   "
        f"client median {statistics.median(wall):7.2f} ms{verdict}"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100, help="requests per series (>= 50)")
    args = parser.parse_args()
    n = max(50, args.requests)
    data = Path(os.environ.get("SIA_DATA_DIR") or REPO.parent / "shared" / "data")
    if not os.environ.get("SIA_DATABASE_URL") and not (data / "enschede").is_dir():
        print(f"data folder {data} not found; set SIA_DATA_DIR or SIA_DATABASE_URL", file=sys.stderr)
        return 1
    rng = np.random.default_rng(4)
    weights = load_profile().weights()
    sliders = [{"gewichten": {k: float(rng.uniform(0, 5)) for k in weights}} for _ in range(n)]
    robust = {
        "monte_carlo": {"trekkingen": 1000, "seed": 1},
        "een_voor_een": {"stap": 0.2},
        "partnerprofielen": True,
        "methodevergelijking": True,
    }

    with database(data) as url:
        app = create_app(Settings(database_url=url, gemeente="GM0153"))
        with TestClient(app) as client:
            first_server, _ = _series(client, [{}])
            buurten = sum(
                b["rang"] is not None for b in client.post("/api/scores", json={}).json()["buurten"]
            )
            print(f"POST /api/scores, Enschede ({buurten} buurten ranked), {n} requests per series:")
            print(f"  {'first request (cold cache, incl. table read)':<46} server {first_server[0]:.2f} ms")
            ok = _report("default profile", *_series(client, [{}] * n), target=TARGET_MS)
            _report("default profile, other weights each request", *_series(client, sliders))
            _report("consensus profile", *_series(client, [{"profiel": "consensus"}] * n))
            _report("default + all robustness options", *_series(client, [robust] * n))

            def clear() -> None:
                app.state.indicator_cache = IndicatorCache()

            _report("default profile, cache cleared (table read)", *_series(client, [{}] * 10, clear))
    return 0 if ok else 2


if __name__ == "__main__":
    raise SystemExit(main())
