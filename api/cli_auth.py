"""`sia user add|list|disable|token`: users and API tokens from the command line.

Runs as the database owner (like `sia load`), so it also works on a fresh install: the first
beheerder is made with ``sia user add EMAIL --naam ... --organisatie gemeente --rol beheerder``.
Passwords are asked twice at the terminal, or read from standard input with ``--wachtwoord-stdin``
(one line); never from the command line, where other users and the shell history would see them.
Every change is written to the audit trail (``details.via = cli``).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import timedelta
from typing import Any

from api.settings import Settings
from layers.access import ROLES
from sia.errors import InvalidInput

__all__ = ["register"]


def _say(message: str) -> None:
    print(message, flush=True)


def _engine(settings: Settings) -> Any:
    from layers.db.connect import resolve_url
    from layers.db.engine import make_engine, migrate

    url = resolve_url(settings.database_url, home=settings.home, port=settings.pg_port, start=True)
    migrate(url)
    return make_engine(url)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InvalidInput("Geen wachtwoord op standaardinvoer gelezen.")
        return password
    if not sys.stdin.isatty():
        raise InvalidInput(
            "Geen terminal om het wachtwoord te vragen; geef het op standaardinvoer met --wachtwoord-stdin."
        )
    first = getpass.getpass("Wachtwoord: ")
    if first != getpass.getpass("Nog een keer: "):
        raise InvalidInput("De twee wachtwoorden verschillen.")
    return first


def cmd_user_add(args: argparse.Namespace, settings: Settings) -> int:
    from layers import audit, auth

    password = _read_password(args.wachtwoord_stdin)
    engine = _engine(settings)
    try:
        with engine.begin() as conn:
            org = auth.find_organisation(conn, args.organisatie, gemeente=args.gemeente)
            user = auth.create_user(
                conn,
                email=args.email,
                naam=args.naam,
                organisatie_id=int(org["id"]),
                rol=args.rol,
                wachtwoord=password,
            )
            audit.record(
                conn,
                "gebruiker.toegevoegd",
                organisatie_id=int(org["id"]),
                gemeente=org["gemeente"],
                object_soort="gebruiker",
                object_id=user["id"],
                na={k: user[k] for k in ("email", "rol", "actief", "organisatie_id")},
                details={"via": "cli"},
            )
    finally:
        engine.dispose()
    _say(f"Gebruiker {user['email']} ({user['rol']}) toegevoegd aan {org['naam']} ({org['gemeente']}).")
    return 0


def cmd_user_list(args: argparse.Namespace, settings: Settings) -> int:
    from layers import auth

    engine = _engine(settings)
    try:
        with engine.connect() as conn:
            users = auth.list_users(conn, gemeente=args.gemeente)
    finally:
        engine.dispose()
    if not users:
        _say("Nog geen gebruikers. Maak de eerste beheerder met `sia user add`.")
    for u in users:
        state = "actief" if u["actief"] else "uitgeschakeld"
        org = f"{u['organisatie']} ({u['gemeente']})"
        _say(f"{u['id']:>4}  {u['email']:<40} {u['rol']:<10} {state:<13} {org}")
    return 0


def cmd_user_disable(args: argparse.Namespace, settings: Settings) -> int:
    from layers import audit, auth

    engine = _engine(settings)
    try:
        with engine.begin() as conn:
            user = auth.find_user(conn, args.email)
            before, after = auth.update_user(conn, int(user["id"]), actief=False)
            audit.record(
                conn,
                "gebruiker.gewijzigd",
                organisatie_id=int(user["organisatie_id"]),
                gemeente=user["gemeente"],
                object_soort="gebruiker",
                object_id=user["id"],
                voor={"actief": before["actief"]},
                na={"actief": after["actief"]},
                details={"via": "cli"},
            )
    finally:
        engine.dispose()
    _say(f"Gebruiker {user['email']} is uitgeschakeld; sessies beëindigd, tokens werken niet meer.")
    return 0


def cmd_user_token(args: argparse.Namespace, settings: Settings) -> int:
    from layers import audit, auth

    if (args.email is None) == (args.intrekken is None):
        raise InvalidInput("Geef een e-mailadres (nieuw token) of --intrekken ID.")
    engine = _engine(settings)
    try:
        with engine.begin() as conn:
            if args.intrekken is not None:
                row = auth.revoke_token(conn, args.intrekken)
                user = auth.get_user(conn, int(row["gebruiker_id"]))
                action: audit.Actie = "token.ingetrokken"
                token = None
            else:
                user = auth.find_user(conn, args.email)
                geldig = None if args.dagen is None else timedelta(days=args.dagen)
                token, row = auth.create_token(conn, int(user["id"]), args.naam, geldig=geldig)
                action = "token.aangemaakt"
            audit.record(
                conn,
                action,
                gebruiker_id=int(user["id"]),
                organisatie_id=int(user["organisatie_id"]),
                gemeente=user["gemeente"],
                object_soort="api_token",
                object_id=row["id"],
                na={"naam": row["naam"], "prefix": row["prefix"]},
                details={"via": "cli"},
            )
    finally:
        engine.dispose()
    if token is None:
        _say(f"Token {row['id']} ({row['naam']}) van {user['email']} is ingetrokken.")
    else:
        _say(f"API-token '{row['naam']}' voor {user['email']} (wordt maar één keer getoond):")
        _say(token)
    return 0


def _positive(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 3650:
        raise argparse.ArgumentTypeError("tussen 1 en 3650 dagen")
    return number


def register(sub: Any) -> None:
    """Add `sia user ...` to the subparsers ``sub`` of the `sia` parser (help in Dutch)."""
    from api.cli import _parser

    user = _parser(sub, "user", "gebruikers en API-tokens (aanmelden)")
    user_sub = user.add_subparsers(dest="user_action", required=True, title="acties", metavar="ACTIE")

    add = _parser(
        user_sub, "add", "voeg een gebruiker toe (het wachtwoord wordt gevraagd, nooit als argument)"
    )
    add.add_argument("email", metavar="E-MAIL", help="e-mailadres van de gebruiker (de aanmeldnaam)")
    add.add_argument("--naam", required=True, help="naam van de persoon")
    add.add_argument(
        "--organisatie",
        required=True,
        help="korte naam, naam of nummer van de organisatie (zie `sia org list`)",
    )
    add.add_argument("--gemeente", help="gemeente van de organisatie, bijv. GM0153")
    add.add_argument("--rol", required=True, choices=list(ROLES), help="beheerder, planner of lezer")
    add.add_argument(
        "--wachtwoord-stdin", action="store_true", help="lees het wachtwoord van standaardinvoer (één regel)"
    )
    add.set_defaults(func=cmd_user_add)

    ls = _parser(user_sub, "list", "toon de gebruikers")
    ls.add_argument("--gemeente", help="alleen de gebruikers van deze gemeente, bijv. GM0153")
    ls.set_defaults(func=cmd_user_list)

    dis = _parser(
        user_sub, "disable", "schakel een gebruiker uit (sessies eindigen, tokens werken niet meer)"
    )
    dis.add_argument("email", metavar="E-MAIL", help="e-mailadres van de gebruiker")
    dis.set_defaults(func=cmd_user_disable)

    tok = _parser(user_sub, "token", "maak een API-token voor een gebruiker, of trek er een in")
    tok.add_argument("email", nargs="?", metavar="E-MAIL", help="e-mailadres van de gebruiker")
    tok.add_argument("--naam", default="script", help="waarvoor het token is")
    tok.add_argument(
        "--dagen", type=_positive, help="zoveel dagen geldig; standaard: tot het wordt ingetrokken"
    )
    tok.add_argument(
        "--intrekken", type=int, metavar="ID", help="trek token ID in in plaats van er een te maken"
    )
    tok.set_defaults(func=cmd_user_token)
