"""Partner organisations per gemeente: data, not code (table ``organisaties``, migration 0006).

Each gemeente keeps its own organisations: the gemeente itself, corporations, tenant
organisations, the BO and other partners. They decide who may deliver partner data and which
names the delivery template offers (``Organisations`` for ``layers.partners``), and which partner
weight profiles the score panel shows (an organisation's ``profiel``). Enschede's are seeded by
the migration; ``sia org add`` adds those of another gemeente.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from layers.codes import GEMEENTE_PATTERN
from layers.db.schema import organisaties
from layers.errors import InvalidInput
from layers.partners.schema import ORGANISATION_KINDS, Organisations

__all__ = [
    "Organisation",
    "add_organisation",
    "list_organisations",
    "organisations_for",
    "partner_profiles",
    "slugify",
]

_SLUG = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
KIND_LABELS: dict[str, str] = {
    "gemeente": "gemeente",
    "corporatie": "woningcorporatie",
    "huurdersorganisatie": "huurdersorganisatie",
    "bo": "Bestuurlijk Overleg",
    "overig": "overige partner",
}


@dataclass(frozen=True)
class Organisation:
    id: int
    gemeente: str
    naam: str
    soort: str
    slug: str
    profiel: str | None
    actief: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _row(r: Any) -> Organisation:
    return Organisation(r.id, r.gemeente, r.naam, r.soort, r.slug, r.profiel, bool(r.actief))


def list_organisations(
    conn: Connection, gemeente: str | None = None, *, alleen_actief: bool = True
) -> list[Organisation]:
    """The organisations of ``gemeente`` (all gemeenten when None), in the order they were added."""
    t = organisaties
    query = select(t).order_by(t.c.gemeente, t.c.id)
    if gemeente is not None:
        query = query.where(t.c.gemeente == gemeente)
    if alleen_actief:
        query = query.where(t.c.actief)
    return [_row(r) for r in conn.execute(query)]


def organisations_for(conn: Connection, gemeente: str) -> Organisations:
    """What the delivery checks and the template need: who may deliver, the corporations."""
    return Organisations.from_records(
        gemeente, ((o.naam, o.soort) for o in list_organisations(conn, gemeente))
    )


def partner_profiles(conn: Connection, gemeente: str) -> dict[str, str]:
    """Weight profile name → the organisation(s) it belongs to, for the active organisations of
    ``gemeente`` that have a profile (in the order they were added)."""
    out: dict[str, list[str]] = {}
    for org in list_organisations(conn, gemeente):
        if org.profiel:
            out.setdefault(org.profiel, []).append(org.naam)
    return {name: ", ".join(names) for name, names in out.items()}


def slugify(naam: str) -> str:
    """A short id from a name: 'Woonstichting De Key' → 'woonstichting_de_key'."""
    plain = unicodedata.normalize("NFKD", naam).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")
    if not slug or not slug[0].isalpha():
        slug = f"org_{slug}".rstrip("_")
    return slug[:40].rstrip("_")


def add_organisation(
    conn: Connection,
    *,
    gemeente: str,
    naam: str,
    soort: str,
    slug: str | None = None,
    profiel: str | None = None,
    known_profiles: list[str] | None = None,
) -> Organisation:
    """Add an organisation to a gemeente; every problem is an InvalidInput in Dutch.

    ``known_profiles``: profile names an organisation may refer to (default: the packaged ones).
    """
    naam = " ".join((naam or "").split())
    problems = []
    if not re.match(GEMEENTE_PATTERN, gemeente or ""):
        problems.append(f"gemeente '{gemeente}' is geen CBS-gemeentecode; verwacht bijvoorbeeld GM0153")
    if not naam or len(naam) > 120 or _CONTROL.search(naam):
        problems.append(f"naam '{naam}' is ongeldig; verwacht 1 tot 120 tekens zonder stuurtekens")
    if soort not in ORGANISATION_KINDS:
        problems.append(f"soort '{soort}' is onbekend; kies uit: {', '.join(ORGANISATION_KINDS)}")
    slug = slug or (slugify(naam) if naam else "")
    if not _SLUG.match(slug):
        problems.append(
            f"korte naam '{slug}' is ongeldig; verwacht kleine letters, cijfers en _ (hoogstens 40 tekens), "
            "beginnend met een letter"
        )
    if profiel is not None:
        if known_profiles is None:
            from sia.profile import list_profiles

            known_profiles = list_profiles()
        if profiel not in known_profiles:
            problems.append(f"wegingsprofiel '{profiel}' bestaat niet; kies uit: {', '.join(known_profiles)}")
    if problems:
        raise InvalidInput("Organisatie niet toegevoegd: " + "; ".join(problems) + ".")
    t = organisaties
    clash = conn.execute(
        select(t.c.naam, t.c.slug).where(t.c.gemeente == gemeente, (t.c.naam == naam) | (t.c.slug == slug))
    ).first()
    if clash is not None:
        raise InvalidInput(
            f"Organisatie niet toegevoegd: {gemeente} heeft al een organisatie "
            f"'{clash.naam}' (korte naam '{clash.slug}'); kies een andere naam of korte naam."
        )
    row = conn.execute(
        insert(t)
        .values(gemeente=gemeente, naam=naam, soort=soort, slug=slug, profiel=profiel)
        .returning(*t.c)
    ).one()
    return _row(row)
