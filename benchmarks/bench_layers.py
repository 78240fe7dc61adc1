"""Layer benchmarks on a loaded database: one aggregation run over all partner layers and rasters,
read through the one read path (``layers.indicators.read_table``).

Run after ``make demo`` (or ``sia demo --no-serve``): ``.venv/bin/python benchmarks/bench_layers.py``.
Uses ``SIA_DATABASE_URL`` or the local cluster of ``SIA_HOME``. Prints the figures of one
aggregation run (what the buurt table holds) and median wall times of the steps.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from api.settings import Settings
from layers import partner_store
from layers.db.connect import resolve_url
from layers.db.engine import make_engine
from layers.indicators import read_table
from layers.partners.raster import zonal_stats
from layers.partners.synthetic import write_heat_raster
from layers.raster_store import _buurten


def _timed(fn: Callable[[], object], repeat: int = 5) -> float:
    fn()
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> int:
    settings = Settings()
    url = resolve_url(settings.database_url, home=settings.home, port=settings.pg_port, start=False)
    engine = make_engine(url)
    gm = settings.gemeente
    with engine.connect() as conn:
        table = read_table(conn, gemeente=gm, jaar=settings.jaar, editie=settings.lbm_editie)
        periode, jaar = table.periode, table.jaar
        if periode is None or not table.view.deliveries():
            print("No partner deliveries loaded; run `sia demo --no-serve` first.")
            return 1
        agg = partner_store.aggregate(conn, gemeente=gm, jaar=jaar, view=table.view)
        households = sum(
            r.get("aantal_huishoudens") or 0
            for r in conn.execute(
                text("SELECT aantal_huishoudens FROM buurten WHERE gemeentecode = :gm AND jaar = :j"),
                {"gm": gm, "j": jaar},
            ).mappings()
        )
        sales = partner_store.sales_check(conn, periode=periode, gemeente=gm)
        active = "x JOIN leveringen l ON l.id = x.levering_id AND l.actief"
        rows = conn.execute(
            text(
                f"SELECT (SELECT count(*) FROM bezit {active}) b, "
                f"(SELECT count(*) FROM projecten {active}) p, "
                f"(SELECT count(*) FROM verkoop {active}) v"
            )
        ).one()
        print(f"gemeente {gm}, buurten {jaar}, period {periode}: {len(agg)} buurten aggregated")
        print(f"  records: {rows.b} holdings rows, {rows.p} projects, {rows.v} planned sales")
        print(
            f"  dwellings held: {int(agg['bezit_woningen'].sum()):,} of {households:,} households "
            f"({100 * agg['bezit_woningen'].sum() / max(households, 1):.0f} %)"
        )
        print(
            f"  corporations per buurt: mean {agg['n_corporaties'].mean():.2f}, "
            f"max {int(agg['n_corporaties'].max())}"
        )
        print(
            f"  mean condition: {agg['gem_conditie'].min():.2f}–{agg['gem_conditie'].max():.2f}; "
            f"share label E/F/G: {agg['aandeel_label_efg'].min():.1f}–"
            f"{agg['aandeel_label_efg'].max():.1f} %"
        )
        print(
            f"  planned investment: € {agg['geplande_investering'].sum() / 1e6:.1f} M, "
            f"max per buurt € {agg['geplande_investering'].max() / 1e6:.1f} M; planned dwellings "
            f"{agg['geplande_woningen'].sum():.0f}"
        )
        print(f"  buurten with >= 2 partners with plans: {int((agg['n_partners_plannen'] >= 2).sum())}")
        print(f"  planned sales: {len(sales)}, against agreement 4.1: {int(sales['overtreding'].sum())}")
        for rid, column in table.kolommen.items():
            if column.laag == "raster":
                vals = table.frame[rid].dropna()
                print(f"  raster {rid}: {len(vals)} buurten, {vals.min():.1f}–{vals.max():.1f}")
        print("timings (median of 5):")
        steps: dict[str, Callable[[], object]] = {
            "aggregate() (partner SQL)": lambda: partner_store.aggregate(
                conn, gemeente=gm, jaar=jaar, periode=periode
            ),
            "read_table() (the indicator table, all layers)": lambda: read_table(
                conn, gemeente=gm, jaar=jaar, periode=periode
            ),
            "partner_features(bezit)": lambda: partner_store.partner_features(
                conn, "bezit", periode=periode, gemeente=gm
            ),
        }
        for name, step in steps.items():
            print(f"  {name}: {1000 * _timed(step):.0f} ms")
        buurten = _buurten(conn, gm)
    tif = write_heat_raster(Path("/tmp/sia-bench-heat.tif"))
    print(
        f"  zonal_stats 25 m raster x {len(buurten)} buurten: "
        f"{1000 * _timed(lambda: zonal_stats(tif, buurten, threshold=32.0)):.0f} ms"
    )
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
