"""Signing in, for tests that write through the API: users made as the owner (as ``sia user add``
does) and an API token on a TestClient (``Authorization: Bearer``; no CSRF needed, no argon2).

The sign-in flow itself (password, session cookie, CSRF) is tested in ``test_auth_api.py`` and the
browser tests; here it only has to be quick and real: the token is checked by the API like any
script's token, and the principal is the user's, under row-level security.
"""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import Engine, text

from layers import auth
from layers.db.engine import make_engine

__all__ = ["ORGS", "add_user", "ensure_org", "sign_in", "token_for"]

_counter = itertools.count(1)

ORGS = {
    "gemeente": "Gemeente Enschede",
    "domijn": "Domijn",
    "ons_huis": "Ons Huis",
    "de_woonplaats": "De Woonplaats",
    "huurdersorganisaties": "Huurdersorganisaties",
    "bo": "Bestuurlijk Overleg",
}
"""Slugs of the example organisations of Enschede (migration 0006) used in tests."""


def _owner(url_or_engine: str | Engine) -> tuple[Engine, bool]:
    if isinstance(url_or_engine, Engine):
        return url_or_engine, False
    return make_engine(url_or_engine), True


def ensure_org(url: str | Engine, slug: str, *, gemeente: str, naam: str, soort: str = "corporatie") -> int:
    """An organisation (made when missing), for gemeenten other than the example's."""
    engine, own = _owner(url)
    try:
        with engine.begin() as conn:
            found = conn.execute(
                text("SELECT id FROM organisaties WHERE gemeente = :gm AND slug = :s"),
                {"gm": gemeente, "s": slug},
            ).scalar()
            if found is None:
                found = conn.execute(
                    text(
                        "INSERT INTO organisaties (gemeente, naam, soort, slug) VALUES (:gm, :n, :k, :s) "
                        "RETURNING id"
                    ),
                    {"gm": gemeente, "n": naam, "k": soort, "s": slug},
                ).scalar_one()
            return int(found)
    finally:
        if own:
            engine.dispose()


def add_user(
    url: str | Engine, *, slug: str = "gemeente", gemeente: str = "GM0153", rol: str = "planner"
) -> dict[str, Any]:
    """A user of an organisation (by slug) without a password; returns its row."""
    engine, own = _owner(url)
    try:
        with engine.begin() as conn:
            org = auth.find_organisation(conn, slug, gemeente=gemeente)
            n = next(_counter)
            return auth.create_user(
                conn,
                email=f"{rol}.{slug}.{n}@test.example.nl",
                naam=f"{rol.title()} {org['naam']} {n}",
                organisatie_id=org["id"],
                rol=rol,
                wachtwoord=None,
            )
    finally:
        if own:
            engine.dispose()


def token_for(url: str | Engine, gebruiker_id: int) -> str:
    """A new API token of a user (as ``sia user token``)."""
    engine, own = _owner(url)
    try:
        with engine.begin() as conn:
            token, _ = auth.create_token(conn, gebruiker_id, "test")
            return token
    finally:
        if own:
            engine.dispose()


def sign_in(
    client: Any, url: str | Engine, *, slug: str = "gemeente", gemeente: str = "GM0153", rol: str = "planner"
) -> dict[str, Any]:
    """Make a user and let ``client`` (a TestClient or an httpx client) act as it from now on;
    returns the user's row."""
    user = add_user(url, slug=slug, gemeente=gemeente, rol=rol)
    client.headers["Authorization"] = f"Bearer {token_for(url, user['id'])}"
    return user
