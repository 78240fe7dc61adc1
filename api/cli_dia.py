"""`sia voorstel list|show|export` and `sia dossier ID --out DIR`: DIA proposals on the command line.

Registered by ``api/cli.py`` (``register(subparsers)``); every command reads through the same
functions as the API (``layers.proposals``, ``api.exporting``, ``api.dossier``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from api.settings import Settings

__all__ = ["register"]


def _engine(settings: Settings) -> Any:
    from layers.db.connect import resolve_url
    from layers.db.engine import make_engine, migrate

    url = resolve_url(settings.database_url, home=settings.home, port=settings.pg_port, start=True)
    migrate(url)
    return make_engine(url)


def cmd_voorstel(args: argparse.Namespace, settings: Settings) -> int:
    from layers import proposals

    engine = _engine(settings)
    try:
        with engine.connect() as conn:
            if args.action == "list":
                rows = proposals.current_versions(conn, status=args.status, gemeente=settings.gemeente)
                if not rows:
                    print("Nog geen voorstellen.")
                for r in rows:
                    print(
                        f"{r['id']:>4}  v{r['versie']:<3} {r['status']:<12} {r['oppervlakte_ha']:>8.1f} "
                        f"ha  {r['naam']}"
                    )
            elif args.action == "show":
                if args.id is None:
                    print("Geef het nummer van het voorstel: sia voorstel show ID")
                    return 2
                version = proposals.get_version(conn, args.id, args.versie)
                version.pop("geometrie", None)
                if not args.volledig:
                    version.pop("statistieken", None)
                version["versies"] = proposals.versions(conn, args.id)
                version["reacties"] = proposals.comments(conn, args.id)
                print(json.dumps(version, ensure_ascii=False, indent=2, default=str))
            else:
                from api.exporting import proposals_export

                formaat = args.formaat or ("gpkg" if args.out and args.out.suffix == ".gpkg" else "geojson")
                body, _, name = proposals_export(conn, formaat, gemeente=settings.gemeente)
                out = args.out or Path(name)
                out.write_bytes(body)
                print(f"Voorstellen geschreven naar {out}")
    finally:
        engine.dispose()
    return 0


def cmd_dossier(args: argparse.Namespace, settings: Settings) -> int:
    from api.dossier import build_dossier

    engine = _engine(settings)
    try:
        with engine.connect() as conn:
            files = build_dossier(
                conn, args.id, args.versie, formats=tuple(args.formaat), webmap_dir=settings.webmap_dir
            )
    finally:
        engine.dispose()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (body, _) in files.items():
        (args.out / name).write_bytes(body)
        print(f"{args.out / name}")
    return 0


def register(sub: Any) -> None:
    """Add `voorstel` and `dossier` to the `sia` command's subparsers."""
    vs = sub.add_parser("voorstel", help="DIA proposals: list, show one, export all (GeoJSON/GeoPackage)")
    vs.add_argument("action", choices=["list", "show", "export"])
    vs.add_argument("id", type=int, nargs="?", help="proposal number (show)")
    vs.add_argument("--versie", type=int, help="show this version (default: the newest)")
    vs.add_argument("--status", choices=["concept", "voorgesteld", "vastgesteld", "afgewezen", "ingetrokken"])
    vs.add_argument("--volledig", action="store_true", help="show: include the stored statistics")
    vs.add_argument("--formaat", choices=["geojson", "gpkg"], help="export format (default from --out)")
    vs.add_argument("--out", type=Path, help="export: output file")
    vs.set_defaults(func=cmd_voorstel)

    ds = sub.add_parser("dossier", help="write the BO dossier of a proposal (PDF, GeoPackage, HTML map)")
    ds.add_argument("id", type=int, help="proposal number")
    ds.add_argument("--versie", type=int, help="version (default: the newest)")
    ds.add_argument("--out", type=Path, required=True, help="folder to write the files to")
    ds.add_argument(
        "--formaat", nargs="+", choices=["pdf", "gpkg", "html", "zip"], default=["pdf", "gpkg", "html"]
    )
    ds.set_defaults(func=cmd_dossier)
