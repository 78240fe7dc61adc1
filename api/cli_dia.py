"""`sia voorstel list|show|export` and `sia dossier ID --out DIR`: DIA proposals on the command line.

Registered by ``api/cli.py`` (``register(subparsers)``); every command reads through the same
functions as the API (``layers.proposals``, ``api.exporting``, ``api.dossier``), as the API's
database role under row-level security:

- without ``--als`` in the public view (anonymous): concepts, comments and confidential partner
  data are not visible, and every command says so (on standard error, so that what it prints or
  writes stays clean);
- with ``--als E-MAIL`` in the view of that user (an existing, enabled user of an active
  organisation): what the user would see in the map, no more. The operator of the machine holds
  the database anyway; ``--als`` only chooses whose view a command shows, and the exports and
  dossiers it writes are audited as that user's, made through the CLI.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from api.settings import Settings
from layers.access import ANONYMOUS, Principal

__all__ = ["PUBLIC_VIEW", "register"]

PUBLIC_VIEW = "openbare weergave: concepten en vertrouwelijke gegevens niet zichtbaar; gebruik --als E-MAIL"
"""What a command without ``--als`` says about what it shows."""


def _engine(settings: Settings) -> Any:
    from api.cli import _read_engine  # the app role (row-level security); the principal per connection

    return _read_engine(settings)


def _principal(settings: Settings, email: str | None) -> Principal:
    """The principal a command acts as: the user of ``email`` (existing, enabled, of an active
    organisation; refused in Dutch otherwise), or anonymous."""
    if email is None:
        print(f"Let op: {PUBLIC_VIEW}.", file=sys.stderr)
        return ANONYMOUS
    from sqlalchemy import text

    from api.cli import _engine as owner_engine
    from layers import auth
    from layers.errors import Forbidden, NotFound

    address = auth.normalise_email(email)
    engine = owner_engine(settings, migrate=False)  # the accounts: the owner's, as `sia user` reads them
    try:
        with engine.connect() as conn:
            row = (
                conn.execute(
                    text(
                        "SELECT g.id, g.email, g.naam, g.rol, g.actief, o.id AS organisatie_id, "
                        "o.naam AS organisatie, o.soort, o.gemeente, o.actief AS organisatie_actief "
                        "FROM gebruikers g JOIN organisaties o ON o.id = g.organisatie_id WHERE g.email = :e"
                    ),
                    {"e": address},
                )
                .mappings()
                .first()
            )
    finally:
        engine.dispose()
    if row is None:
        raise NotFound(f"Geen gebruiker met e-mailadres {address} (`sia user list` toont ze).")
    if not row["actief"]:
        raise Forbidden(f"Gebruiker {address} is uitgeschakeld; --als werkt alleen voor actieve gebruikers.")
    if not row["organisatie_actief"]:
        raise Forbidden(f"De organisatie van {address} ({row['organisatie']}) is niet actief.")
    principal = Principal(
        gebruiker_id=int(row["id"]),
        email=row["email"],
        naam=row["naam"],
        organisatie_id=int(row["organisatie_id"]),
        organisatie=row["organisatie"],
        organisatie_soort=row["soort"],
        gemeente=row["gemeente"],
        rol=row["rol"],
    )
    print(
        f"Weergave van {principal.naam or address} ({principal.rol}, {principal.organisatie}).",
        file=sys.stderr,
    )
    return principal


def _audit(engine: Any, principal: Principal, settings: Settings, **fields: Any) -> None:
    """An export through the CLI, audited as the acting principal's (``client``: cli)."""
    from layers import audit
    from layers.access import connect_as

    with connect_as(engine, principal) as conn, conn.begin():
        audit.record(
            conn,
            "export",
            principal=principal,
            gemeente=principal.gemeente or settings.gemeente,
            client="cli",
            **fields,
        )


def _not_visible(exc: Exception, principal: Principal) -> Exception:
    """A NotFound in the public view may be a proposal the public may not see: say so."""
    from layers.errors import NotFound

    if isinstance(exc, NotFound) and principal.anoniem:
        return NotFound(f"{exc.message.rstrip('.')} of is niet openbaar ({PUBLIC_VIEW}).")
    return exc


def cmd_voorstel(args: argparse.Namespace, settings: Settings) -> int:
    from layers import proposals
    from layers.access import connect_as
    from layers.errors import NotFound

    engine = _engine(settings)
    try:
        principal = _principal(settings, args.als)
        with connect_as(engine, principal) as conn:
            if args.action == "list":
                rows = proposals.current_versions(conn, status=args.status, gemeente=settings.gemeente)
                if not rows:
                    print("Nog geen voorstellen." if not principal.anoniem else "Geen openbare voorstellen.")
                for r in rows:
                    print(
                        f"{r['id']:>4}  v{r['versie']:<3} {r['status']:<12} {r['oppervlakte_ha']:>8.1f} "
                        f"ha  {r['naam']}"
                    )
            elif args.action == "show":
                if args.id is None:
                    print("Fout: geef het nummer van het voorstel: sia voorstel show ID", file=sys.stderr)
                    return 2
                try:
                    version = proposals.get_version(conn, args.id, args.versie)
                except NotFound as exc:
                    raise _not_visible(exc, principal) from None
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
        if args.action == "export":
            _audit(
                engine,
                principal,
                settings,
                object_soort="voorstellen",
                object_id=out.name,
                details={"formaat": formaat, "via": "cli"},
            )
    finally:
        engine.dispose()
    return 0


def cmd_dossier(args: argparse.Namespace, settings: Settings) -> int:
    from api.dossier import build_dossier
    from layers.access import connect_as
    from layers.errors import NotFound

    engine = _engine(settings)
    try:
        principal = _principal(settings, args.als)
        with connect_as(engine, principal) as conn:
            try:
                files = build_dossier(
                    conn, args.id, args.versie, formats=tuple(args.formaat), webmap_dir=settings.webmap_dir
                )
            except NotFound as exc:
                raise _not_visible(exc, principal) from None
        _audit(
            engine,
            principal,
            settings,
            object_soort="dossier",
            object_id=args.id,
            details={
                "formaat": args.formaat,
                "versie": args.versie,
                "bestanden": sorted(files),
                "via": "cli",
            },
        )
    finally:
        engine.dispose()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (body, _) in files.items():
        (args.out / name).write_bytes(body)
        print(f"{args.out / name}")
    return 0


def _id(value: str) -> int:
    """A stored object's number (a bigint): 1 to 2^63 - 1."""
    if not value.strip().isdigit() or not 1 <= int(value) <= 2**63 - 1:
        raise argparse.ArgumentTypeError(
            f"'{value}' is geen nummer van een voorstel (verwacht een geheel getal van 1 tot {2**63 - 1})"
        )
    return int(value)


def _version(value: str) -> int:
    if not value.strip().isdigit() or not 1 <= int(value) <= 2**31 - 1:
        raise argparse.ArgumentTypeError(
            f"'{value}' is geen versienummer (verwacht een geheel getal van 1 tot {2**31 - 1})"
        )
    return int(value)


def _als(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--als",
        metavar="E-MAIL",
        help="werk in de weergave van deze (actieve) gebruiker, onder dezelfde regels als in de kaart; "
        "exports worden vastgelegd als de zijne. Zonder --als: de openbare weergave (geen concepten, "
        "geen vertrouwelijke gegevens)",
    )


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
    vs.add_argument("id", type=_id, nargs="?", metavar="ID", help="nummer van het voorstel (show)")
    vs.add_argument("--versie", type=_version, metavar="N", help="toon deze versie; standaard de nieuwste")
    vs.add_argument("--status", choices=list(STATUSES), help="list: alleen voorstellen met deze status")
    vs.add_argument("--volledig", action="store_true", help="show: ook de opgeslagen statistieken")
    vs.add_argument(
        "--formaat", choices=["geojson", "gpkg"], help="export: formaat; standaard naar de extensie van --out"
    )
    vs.add_argument("--out", type=Path, metavar="BESTAND", help="export: uitvoerbestand")
    _als(vs)
    vs.set_defaults(func=cmd_voorstel)

    ds = _parser(sub, "dossier", "schrijf het BO-dossier van een voorstel (PDF, GeoPackage, HTML-kaart)")
    ds.add_argument("id", type=_id, metavar="ID", help="nummer van het voorstel")
    ds.add_argument("--versie", type=_version, metavar="N", help="versie; standaard de nieuwste")
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
    _als(ds)
    ds.set_defaults(func=cmd_dossier)
