"""What row-level security costs: the same queries as the owner (no policies) and as the app role.

Run: ``.venv/bin/python benchmarks/bench_rls.py [--records 100000] [--repeat 20]``

A throwaway PostGIS cluster in a temporary folder (removed afterwards), migrated, with 40
deliveries of 8 organisations and ``--records`` holdings spread over the classes. Each query runs
``--repeat`` times per principal; printed: median and p95 in milliseconds, and the rows seen.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine, text

from layers.access import ANONYMOUS, Principal, connect_as
from layers.db.cluster import LocalCluster
from layers.db.engine import make_engine, migrate
from layers.db.roles import app_engine, local_app_url

QUERIES = {
    "count": "SELECT count(*) FROM bezit WHERE periode = '2026-najaar'",
    "per buurt": (
        "SELECT buurtcode, sum(aantal_woningen), avg(conditie) FROM bezit b "
        "JOIN leveringen l ON l.id = b.levering_id AND l.actief WHERE b.periode = '2026-najaar' "
        "GROUP BY buurtcode"
    ),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fill(owner: Engine, records: int) -> dict[str, int]:
    with owner.begin() as conn:
        orgs = {r.slug: int(r.id) for r in conn.execute(text("SELECT id, slug FROM organisaties"))}
        conn.execute(
            text(
                "INSERT INTO leveringen (partner, periode, versie, actief, synthetisch, bron_bestand, "
                "sha256, via, gemeente, organisatie_id) SELECT o.naam, '2026-najaar', v, v = 5, false, "
                "'f.xlsx', 'x', 'upload', 'GM0153', o.id FROM organisaties o, generate_series(1, 5) v"
            )
        )
        conn.execute(
            text(
                "INSERT INTO bezit (levering_id, partner, periode, vertrouwelijkheid, synthetisch, "
                "corporatie, buurtcode, aantal_woningen, conditie) "
                "SELECT l.id, l.partner, '2026-najaar', (ARRAY['openbaar', 'partners', 'eigen'])[1 + i % 3], "
                "false, l.partner, 'BU0153' || lpad((i % 90)::text, 4, '0'), 1 + i % 7, 1 + i % 6 "
                "FROM generate_series(1, :n) i "
                "JOIN leveringen l ON l.id = (SELECT min(id) FROM leveringen) + i % 40"
            ),
            {"n": records},
        )
        conn.execute(text("ANALYZE"))
    return orgs


def _time(engine: Engine, principal: Principal | None, sql: str, repeat: int) -> tuple[float, float, int]:
    times, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        if principal is None:
            with engine.connect() as conn:
                rows = len(conn.execute(text(sql)).all())
        else:
            with connect_as(engine, principal) as conn:
                rows = len(conn.execute(text(sql)).all())
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="sia-bench-rls-"))
    home.chmod(0o755)
    cluster = LocalCluster(home=home, port=_free_port())
    try:
        cluster.start()
        migrate(cluster.url())
        owner = make_engine(cluster.url())
        orgs = _fill(owner, args.records)
        app = app_engine(app_database_url=local_app_url(cluster), database_url=None)
        principals: dict[str, Principal | None] = {
            "owner (no RLS)": None,
            "app: anoniem": ANONYMOUS,
            "app: domijn planner": Principal(
                gebruiker_id=1, organisatie_id=orgs["domijn"], gemeente="GM0153", rol="planner"
            ),
            "app: beheerder": Principal(
                gebruiker_id=1, organisatie_id=orgs["gemeente"], gemeente="GM0153", rol="beheerder"
            ),
        }
        print(f"{args.records} holdings, 40 deliveries; median / p95 ms over {args.repeat} runs")
        for name, sql in QUERIES.items():
            for who, principal in principals.items():
                engine = owner if principal is None else app
                median, p95, rows = _time(engine, principal, sql, args.repeat)
                print(f"  {name:<10} {who:<22} {median:8.1f} {p95:8.1f}   rows {rows}")
        app.dispose()
        owner.dispose()
    finally:
        cluster.stop()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
