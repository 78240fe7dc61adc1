"""DIA benchmark: area statistics of an Enschede area of five buurten (target: median server time
< 50 ms) and the whole BO dossier of a proposal: PDF, GeoPackage and HTML map (target < 5 s).

Run: ``.venv/bin/python benchmarks/bench_dia.py [--requests 100] [--dossiers 5]``

Database as ``bench_api_scores.py``: ``SIA_DATABASE_URL`` when set, else a throwaway cluster with
the demo data. The area is the five buurten City, Lasonder-Zeggelt, De Laares, De Bothoven and
Getfert dissolved by POST /api/gebieden/uit-buurten (sent in EPSG:4326 as the map would), and the
same area 50 m smaller (every buurt partial: apportioning by address points or area). Server
time is the ``app`` entry of ``Server-Timing``. The dossier is timed end to end in-process
(``api.dossier.build_dossier``: reading, scoring with 1,000 Monte Carlo draws, Chromium for the
PDF, the GeoPackage, the folium map); a proposal is created for it and left in a throwaway
database only (with ``SIA_DATABASE_URL`` it stays: use a scratch database).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
from fastapi.testclient import TestClient
from shapely.geometry import mapping, shape

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api_scores import REPO, database

from api.main import create_app
from api.settings import Settings
from api.timing import server_time_ms

AREA_TARGET_MS = 50.0
DOSSIER_TARGET_S = 5.0
FIVE = ["BU01530000", "BU01530001", "BU01530002", "BU01530003", "BU01530005"]


def _area_series(client: TestClient, body: dict[str, Any], n: int) -> list[float]:
    times = []
    for _ in range(n):
        res = client.post("/api/gebieden/statistieken", json=body)
        if res.status_code != 200:
            raise SystemExit(f"statistieken failed ({res.status_code}): {res.text[:500]}")
        ms = server_time_ms(res.headers.get_list("server-timing"))
        assert ms is not None
        times.append(ms)
    return times


def _report(label: str, values: list[float], unit: str, target: float) -> bool:
    med, p95 = statistics.median(values), float(np.percentile(values, 95))
    ok = med < target
    print(
        f"  {label:<52} n={len(values):<4} median {med:8.2f} {unit}  p95 {p95:8.2f} {unit}  "
        f"max {max(values):8.2f} {unit}  target median < {target:g} {unit}: {'ok' if ok else 'SLOWER'}"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--dossiers", type=int, default=5)
    args = parser.parse_args()
    data = Path(os.environ.get("SIA_DATA_DIR") or REPO.parent / "shared" / "data")
    ok = True
    with database(data) as url:
        app = create_app(Settings(database_url=url, gemeente="GM0153"))
        with TestClient(app) as client:
            area = client.post("/api/gebieden/uit-buurten", json={"buurtcodes": FIVE}).json()
            whole = {"geometrie": area["geometrie"], "crs": "EPSG:4326"}
            smaller = gpd.GeoSeries([shape(area["geometrie"])], crs=4326).to_crs(28992).buffer(-50).iloc[0]
            partial = {"geometrie": mapping(smaller), "crs": "EPSG:28992"}
            first = _area_series(client, whole, 1)[0]
            print(f"POST /api/gebieden/statistieken, five Enschede buurten ({', '.join(FIVE)}):")
            print(f"  {'first request (cold indicator cache)':<52} server {first:.2f} ms")
            ok &= _report(
                "five whole buurten (EPSG:4326)",
                _area_series(client, whole, args.requests),
                "ms",
                AREA_TARGET_MS,
            )
            ok &= _report(
                "same area 50 m smaller (all partial, EPSG:28992)",
                _area_series(client, partial, args.requests),
                "ms",
                AREA_TARGET_MS,
            )
            robust = {**whole, "monte_carlo": {"trekkingen": 1000}, "partnerprofielen": True}
            _report(
                "five whole buurten + robustness (1,000 draws)",
                _area_series(client, robust, 20),
                "ms",
                AREA_TARGET_MS,
            )

            res = client.post(
                "/api/voorstellen", json={"naam": "Benchmark binnenstad", "auteur": "bench", **whole}
            )
            if res.status_code != 201:
                raise SystemExit(f"could not create a proposal: {res.text[:500]}")
            vid = res.json()["voorstel_id"]
        from api.dossier import build_dossier
        from layers.db.engine import make_engine

        engine = make_engine(url)
        totals: list[float] = []
        sizes: dict[str, int] = {}
        with engine.connect() as conn:
            for _ in range(max(1, args.dossiers)):
                start = time.perf_counter()
                files = build_dossier(conn, vid, formats=("pdf", "gpkg", "html"))
                totals.append(time.perf_counter() - start)
                sizes = {name.rsplit(".", 1)[1]: len(body) for name, (body, _) in files.items()}
        engine.dispose()
        print(f"BO dossier of proposal {vid} (PDF + GeoPackage + HTML map), sizes {sizes} bytes:")
        ok &= _report("whole dossier", totals, "s", DOSSIER_TARGET_S)
    return 0 if ok else 2


if __name__ == "__main__":
    raise SystemExit(main())
