"""The `sia` command line: database, loading layers, serving the web map, the demo."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from api import cli_auth
from api.settings import Settings
from layers.db.connect import local_cluster, resolve_url
from sia.errors import InvalidUpload, SiaError

ENSCHEDE_BUURTEN = "enschede/cbs_buurten_2021_enschede.gpkg"
ENSCHEDE_LBM = "enschede/lbm2024_buurten_enschede.gpkg"


def _say(message: str) -> None:
    print(message, flush=True)


def _progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


# -- sia db ------------------------------------------------------------------------------------


def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    if settings.database_url and args.action in {"start", "stop"}:
        _say(f"SIA_DATABASE_URL is set; `sia db {args.action}` only manages the local cluster.")
        return 0
    cluster = local_cluster(settings.home, settings.pg_port)
    if args.action == "start":
        started = cluster.start()
        _say(
            f"Local PostGIS {'started' if started else 'was already running'} on port "
            f"{cluster.port} (data in {cluster.data_dir})."
        )
    elif args.action == "stop":
        _say("Local PostGIS stopped." if cluster.stop() else "Local PostGIS was not running.")
    elif args.action == "status":
        if settings.database_url:
            _say("Using SIA_DATABASE_URL (external server).")
        else:
            running = cluster.is_running()
            _say(
                f"Local PostGIS: {'running' if running else 'stopped'} "
                f"(port {cluster.port}, data in {cluster.data_dir})."
            )
            return 0 if running else 3
    elif args.action == "url":
        _say(resolve_url(settings.database_url, home=settings.home, port=settings.pg_port, start=False))
    elif args.action == "migrate":
        from layers.db.engine import current_revision, migrate

        url = _url(settings)
        migrate(url)
        _say(f"Database schema at revision {current_revision(url)}.")
    return 0


def _url(settings: Settings) -> str:
    return resolve_url(settings.database_url, home=settings.home, port=settings.pg_port, start=True)


# -- sia load ----------------------------------------------------------------------------------


def cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    from layers.db.engine import make_engine, migrate

    url = _url(settings)
    migrate(url)
    gemeenten = [g.upper() for g in (args.gemeente or [])] or None
    engine = make_engine(url)
    try:
        if args.layer == "buurten":
            from layers.cbs import prepare_buurten, store_buurten

            prepared = prepare_buurten(args.file, gemeenten=gemeenten, year=args.year, progress=_progress)
            with engine.begin() as conn:
                result = store_buurten(conn, prepared, progress=_progress)
        else:
            from layers.leefbaarometer import prepare_leefbaarometer, store_leefbaarometer

            prepared_lbm = prepare_leefbaarometer(args.file, editie=args.editie, progress=_progress)
            with engine.begin() as conn:
                result = store_leefbaarometer(conn, prepared_lbm, gemeenten=gemeenten)
    finally:
        engine.dispose()
    for line in result.messages:
        _say(line)
    return 0


def cmd_fetch(args: argparse.Namespace, settings: Settings) -> int:
    import os

    from layers.fetch import PDOK_WFS, fetch_buurten

    out_dir = args.out or (settings.data_dir or Path.cwd()) / "downloads"
    path = fetch_buurten(
        args.year,
        out_dir,
        gemeenten=args.gemeente,
        base_url=os.environ.get("SIA_PDOK_URL", PDOK_WFS),
        progress=_progress,
    )
    _say(f"Opgeslagen: {path}")
    if args.no_load:
        return 0
    ns = argparse.Namespace(layer="buurten", file=path, gemeente=args.gemeente, year=args.year, editie=None)
    return cmd_load(ns, settings)


def cmd_load_partner(args: argparse.Namespace, settings: Settings) -> int:
    from layers.db.engine import make_engine, migrate
    from layers.partner_store import load_delivery_file

    url = _url(settings)
    migrate(url)
    engine = make_engine(url)
    options = {
        k: v for k, v in (("layer", args.kind), ("partner", args.partner), ("period", args.period)) if v
    }
    try:
        with engine.begin() as conn:
            stored = load_delivery_file(
                conn, args.file, gemeente=args.gemeente or settings.gemeente, **options
            )
    finally:
        engine.dispose()
    counts = ", ".join(f"{n} {kind}" for kind, n in stored.aantallen.items() if n)
    if stored.unchanged:
        _say(f"{args.file.name}: al geladen als versie {stored.versie}; niets veranderd.")
    else:
        replaced = " (vorige versie bewaard)" if stored.vervangen else ""
        _say(
            f"{args.file.name}: {stored.partner}, {stored.periode}, versie {stored.versie}{replaced}: "
            f"{counts}."
        )
    return 0


def cmd_load_raster(args: argparse.Namespace, settings: Settings) -> int:
    from layers.db.engine import make_engine, migrate
    from layers.raster_store import store_raster

    url = _url(settings)
    migrate(url)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            stored = store_raster(
                conn,
                args.file,
                gemeente=args.gemeente or settings.gemeente,
                indicator=args.indicator,
                label=args.label or args.indicator,
                periode=args.period,
                partner=args.partner,
                eenheid=args.unit,
                drempel=args.threshold,
                band=args.band,
                synthetisch=args.synthetic,
                vertrouwelijkheid=args.confidentiality,
            )
    finally:
        engine.dispose()
    if stored.unchanged:
        _say(f"{args.file.name}: al geladen als versie {stored.versie}; niets veranderd.")
        return 0
    replaced = " (vorige versie bewaard)" if stored.vervangen else ""
    gaps = (
        f"; {len(stored.buurten_zonder_waarde)} buurt(en) zonder rastercellen: "
        f"{', '.join(stored.buurten_zonder_waarde[:10])}"
        if stored.buurten_zonder_waarde
        else ""
    )
    _say(
        f"{args.file.name}: {stored.indicator}, {stored.periode}, versie {stored.versie}{replaced}: "
        f"{stored.buurten_met_waarde} buurten{gaps}."
    )
    return 0


def cmd_template(args: argparse.Namespace, settings: Settings) -> int:
    from layers.partners.template import write_template

    path = write_template(args.out, partner=args.partner, period=args.period)
    _say(f"Leveringssjabloon geschreven: {path}")
    return 0


def _load_synthetic(settings: Settings) -> None:
    """Generate the seeded synthetic demo layers (``layers.demo``) and load them through the same
    commands a user runs, so each file is reported."""
    from layers.demo import HEAT_RASTER, write_demo_files
    from layers.partners.synthetic import load_buurten

    out = (settings.home or local_cluster(None, settings.pg_port).home) / "synthetisch"
    buurten = load_buurten(settings.data_dir / ENSCHEDE_BUURTEN if settings.data_dir else None)
    files, heat = write_demo_files(out, buurten)
    _say(f"Synthetische partnerleveringen (niet echt) in {out}")
    for path in files:
        ns = argparse.Namespace(file=path, kind=None, partner=None, period=None, gemeente=settings.gemeente)
        cmd_load_partner(ns, settings)
    raster = argparse.Namespace(
        file=heat,
        gemeente=settings.gemeente,
        indicator=HEAT_RASTER["indicator"],
        label=HEAT_RASTER["label"],
        period=HEAT_RASTER["periode"],
        partner=HEAT_RASTER["partner"],
        unit=HEAT_RASTER["eenheid"],
        threshold=HEAT_RASTER["drempel"],
        band=1,
        synthetic=HEAT_RASTER["synthetisch"],
        confidentiality="openbaar",
    )
    cmd_load_raster(raster, settings)


def cmd_score(args: argparse.Namespace, settings: Settings) -> int:
    """Rank the buurten of the gemeente with a profile and write CSV or GeoPackage."""
    import geopandas as gpd
    import pandas as pd
    from sqlalchemy import text

    from layers import queries
    from layers.db.engine import make_engine
    from sia.profile import load_profile
    from sia.scoring import score

    gemeente = args.gemeente or settings.gemeente
    engine = make_engine(_url(settings))
    try:
        with engine.connect() as conn:
            data = queries.indicator_table(conn, gemeente=gemeente, periode=args.periode)
            table = pd.DataFrame(data["rijen"]).set_index("buurtcode")
            result = score(table, load_profile(args.profile), method=args.method)
            ranked = result.to_frame().join(table[["buurtnaam", "wijkcode"]])
            ranked["synthetisch"] = data["synthetisch"]
            ranked = ranked.join(result.contributions.add_prefix("bijdrage_"))
            ranked = ranked.sort_values("rang", na_position="last")
            if args.out.suffix.lower() == ".gpkg":
                geoms = gpd.read_postgis(
                    text("SELECT buurtcode, geom FROM buurten WHERE gemeentecode = :gm AND jaar = :j"),
                    conn,
                    geom_col="geom",
                    params={"gm": gemeente, "j": data["jaar"]},
                ).set_index("buurtcode")
                out = gpd.GeoDataFrame(ranked.join(geoms), geometry="geom", crs=28992)
                out["kwadrant"] = out["kwadrant"].astype(str)
                out.reset_index().to_file(args.out, layer="sia_scores", driver="GPKG")
            else:
                ranked.reset_index().to_csv(args.out, index=False)
    finally:
        engine.dispose()
    n = int(ranked["rang"].notna().sum())
    _say(
        f"{n} buurten gerangschikt ({result.method}, profiel {args.profile}"
        f"{', periode ' + data['periode'] if data['periode'] else ''}"
        f"{', met synthetische partnerdata' if data['synthetisch'] else ''}) -> {args.out}"
    )
    return 0


# -- sia serve / demo --------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.main import create_app

    if not settings.database_url:
        local_cluster(settings.home, settings.pg_port).start()
    host = args.host or settings.host
    port = args.port or settings.port
    _say(f"De kaart staat op http://{host}:{port}  (API-documentatie: /docs). Stoppen: Ctrl+C.")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    data_dir = settings.data_dir
    if data_dir is None or not (data_dir / ENSCHEDE_BUURTEN).exists():
        raise SiaError(
            f"The Enschede demo data were not found in {data_dir}. Set SIA_DATA_DIR to the folder "
            f"that holds {ENSCHEDE_BUURTEN} (see data/cbs_buurten/README.md)."
        )
    for layer, rel in (("buurten", ENSCHEDE_BUURTEN), ("leefbaarometer", ENSCHEDE_LBM)):
        ns = argparse.Namespace(
            layer=layer, file=data_dir / rel, gemeente=[settings.gemeente], year=None, editie=None
        )
        _say(f"Laden: {rel}")
        cmd_load(ns, settings)
    if settings.gemeente == "GM0153":
        _load_synthetic(settings)
    if args.no_serve:
        return 0
    return cmd_serve(args, settings)


# -- parser ------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sia", description="SIA/DIA decision support")
    sub = parser.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="the database (local PostGIS cluster or SIA_DATABASE_URL)")
    db.add_argument("action", choices=["start", "stop", "status", "url", "migrate"])
    db.set_defaults(func=cmd_db)

    load = sub.add_parser("load", help="load a layer file into PostGIS")
    load_sub = load.add_subparsers(dest="layer", required=True)
    lb = load_sub.add_parser("buurten", help="CBS wijk- en buurtkaart (GeoPackage/GeoJSON/Shapefile)")
    lb.add_argument("file", type=Path)
    lb.add_argument("--gemeente", action="append", metavar="GMxxxx", help="only this gemeente (repeatable)")
    lb.add_argument("--year", type=int, help="year of the buurt boundaries, if not in the file")
    lb.set_defaults(func=cmd_load, editie=None)
    ll = load_sub.add_parser("leefbaarometer", help="Leefbaarometer scores per buurt")
    ll.add_argument("file", type=Path)
    ll.add_argument("--editie", type=int, help="edition year, if not in the file")
    ll.add_argument("--gemeente", action="append", metavar="GMxxxx")
    ll.set_defaults(func=cmd_load, year=None)

    lp = load_sub.add_parser(
        "partner", help="a partner delivery: filled Excel template, or one layer as GeoPackage/GeoJSON/CSV"
    )
    lp.add_argument("file", type=Path)
    lp.add_argument(
        "--layer",
        dest="kind",
        choices=["bezit", "projecten", "verkoop"],
        help="for GIS/CSV files: which layer the file holds",
    )
    lp.add_argument("--partner", help="for GIS/CSV files: the delivering partner")
    lp.add_argument("--period", help="for GIS/CSV files: e.g. 2026-najaar")
    lp.add_argument("--gemeente", help="gemeente the data must lie in (default SIA_GEMEENTE)")
    lp.set_defaults(func=cmd_load_partner)

    lr = load_sub.add_parser("raster", help="a raster indicator (GeoTIFF), summarised per buurt")
    lr.add_argument("file", type=Path)
    lr.add_argument("--indicator", required=True, help="short name, e.g. hittestress")
    lr.add_argument("--label", help="Dutch label shown in the map, e.g. 'Hittestress'")
    lr.add_argument("--period", required=True, help="e.g. 2026-najaar")
    lr.add_argument("--partner", required=True, help="delivering partner, e.g. 'Gemeente Enschede'")
    lr.add_argument("--unit", help="unit of the cell values, e.g. °C")
    lr.add_argument(
        "--threshold", type=float, help="also store the share of cells above this value per buurt"
    )
    lr.add_argument("--band", type=int, default=1)
    lr.add_argument("--synthetic", action="store_true", help="mark the raster as synthetic")
    lr.add_argument("--confidentiality", default="openbaar", choices=["openbaar", "partners", "eigen"])
    lr.add_argument("--gemeente", help="gemeente whose buurten to summarise (default SIA_GEMEENTE)")
    lr.set_defaults(func=cmd_load_raster)

    tpl = sub.add_parser("template", help="write the Excel delivery template")
    tpl.add_argument("out", type=Path, nargs="?", default=Path("sia-levering.xlsx"))
    tpl.add_argument("--partner")
    tpl.add_argument("--period")
    tpl.set_defaults(func=cmd_template)

    fetch = sub.add_parser("fetch", help="download a layer from its publisher (needs internet)")
    fetch_sub = fetch.add_subparsers(dest="layer", required=True)
    fb = fetch_sub.add_parser("buurten", help="CBS wijk- en buurtkaart from PDOK")
    fb.add_argument("--year", type=int, required=True)
    fb.add_argument("--gemeente", action="append", metavar="GMxxxx")
    fb.add_argument("--out", type=Path, help="folder for the download (default SIA_DATA_DIR/downloads)")
    fb.add_argument("--no-load", action="store_true", help="download only")
    fb.set_defaults(func=cmd_fetch)

    sc = sub.add_parser("score", help="rank buurten with a weight profile (CSV or GeoPackage)")
    sc.add_argument("--profile", default="default", help="profile name or .toml file")
    sc.add_argument("--method", help="gewogen_som or topsis (default: the profile's)")
    sc.add_argument("--gemeente")
    sc.add_argument("--periode", help="period of the partner data, e.g. 2026-najaar")
    sc.add_argument("--out", type=Path, default=Path("sia_scores.csv"), help=".csv or .gpkg")
    sc.set_defaults(func=cmd_score)

    serve = sub.add_parser("serve", help="serve the web map and the API")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(func=cmd_serve)

    demo = sub.add_parser("demo", help="set up the database, load the Enschede data, serve the map")
    demo.add_argument("--host")
    demo.add_argument("--port", type=int)
    demo.add_argument("--no-serve", action="store_true", help="load only")
    demo.set_defaults(func=cmd_demo)

    cli_auth.register(sub)  # `sia user add|list|disable|token` (sign-in, issue 10)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace, Settings], int] = args.func
    try:
        return func(args, Settings())
    except InvalidUpload as exc:
        print(f"Fout: {exc.message}", file=sys.stderr)
        for item in exc.details[:50]:
            where = ", ".join(f"{k} {v}" for k, v in item.items() if k not in {"melding"} and v is not None)
            print(f"  - {item.get('melding')} ({where})", file=sys.stderr)
        return 2
    except SiaError as exc:
        print(f"Fout: {exc.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
