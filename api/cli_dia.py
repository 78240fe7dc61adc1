"""`sia voorstel list|show|export` and `sia dossier ID --out DIR`: DIA proposals on the command line.

Registered by ``api/cli.py`` (``register(subparsers)``); every command reads through the same
functions as the API (``layers.proposals``, ``api.exporting``, ``api.dossier``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from api.settings import Settings

__all__ = ["register"]


def _engine(settings: Settings) -> Any:
    from api.cli import _read_engine  # the app role as anonymous: what the public may see

    return _read_engine(settings)


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
                    print("Fout: geef het nummer van het voorstel: sia voorstel show ID", file=sys.stderr)
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
    """Add `voorstel` and `dossier` to the `sia` command's subparsers (Dutch help, as the others)."""
    from api.cli import _parser
    from layers.proposals import STATUSES

    vs = _parser(sub, "voorstel", "DIA-voorstellen: lijst, één voorstel tonen, alle exporteren")
    vs.add_argument(
        "action",
        choices=["list", "show", "export"],
        metavar="ACTIE",
        help="list (lijst), show (één voorstel) of export (alle, als GeoJSON of GeoPackage)",
    )
    vs.add_argument("id", type=int, nargs="?", metavar="ID", help="nummer van het voorstel (show)")
    vs.add_argument("--versie", type=int, metavar="N", help="toon deze versie; standaard de nieuwste")
    vs.add_argument("--status", choices=list(STATUSES), help="list: alleen voorstellen met deze status")
    vs.add_argument("--volledig", action="store_true", help="show: ook de opgeslagen statistieken")
    vs.add_argument(
        "--formaat", choices=["geojson", "gpkg"], help="export: formaat; standaard naar de extensie van --out"
    )
    vs.add_argument("--out", type=Path, metavar="BESTAND", help="export: uitvoerbestand")
    vs.set_defaults(func=cmd_voorstel)

    ds = _parser(sub, "dossier", "schrijf het BO-dossier van een voorstel (PDF, GeoPackage, HTML-kaart)")
    ds.add_argument("id", type=int, metavar="ID", help="nummer van het voorstel")
    ds.add_argument("--versie", type=int, metavar="N", help="versie; standaard de nieuwste")
    ds.add_argument(
        "--out", type=Path, required=True, metavar="MAP", help="map om de bestanden in te schrijven"
    )
    ds.add_argument(
        "--formaat",
        nargs="+",
        choices=["pdf", "gpkg", "html", "zip"],
        default=["pdf", "gpkg", "html"],
        help="welke bestanden (zip: alle drie in één zip)",
    )
    ds.set_defaults(func=cmd_dossier)
