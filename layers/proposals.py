"""DIA proposals (voorstellen) in PostGIS: versions, status, comments, commitments.

Everything a proposal says is in its versions; a version, a comment and a commitment are written
once and never changed (triggers of migration 0007). An edit or a status change is a new version
built on the newest one; the editor names the version it saw (``basisversie``), so two people
editing at once cannot silently overwrite each other (the second gets a Conflict).

Status: ``concept → voorgesteld → vastgesteld | afgewezen``; ``ingetrokken`` from any open state
(concept, voorgesteld). ``vastgesteld`` needs the BO date and the decision reference. Only open
proposals can be edited. This module stores and reads; it does not compute statistics or scores.

The partners of a proposal, the partner of a commitment and the organisation of a comment are
organisations of the proposal's gemeente (``layers.organisations``: data, not code); a name the
gemeente does not know is refused with the names it does.

Who reads and writes what is row-level security's business (migration 0008); every row records
its author (``gebruiker_id``, ``organisatie_id``) besides the author's name. :func:`check_writer`
says in Dutch why a change would be refused, before anything expensive is computed.

Personal data (the author's name of a version, the contact) is for the partners of the proposal's
gemeente, the signed-in users who also read its comments (``sia_voorstel_van_mijn_gemeente``);
everyone else reads the author's organisation instead of the name and no contact (``None``). The
rule is written once, in :data:`_PERSONAL`, and every read of versions here goes through it, so
the API, the downloads, the CLI and the dossier follow it alike.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import shapely
from sqlalchemy import Connection, text

from layers.errors import Conflict, Forbidden, InvalidInput, NotFound
from layers.organisations import list_organisations

__all__ = [
    "ADOPTED",
    "OPEN",
    "STATUSES",
    "STATUS_LABELS",
    "TRANSITIONS",
    "add_comment",
    "add_commitment",
    "add_version",
    "check_organisations",
    "check_transition",
    "check_writer",
    "comments",
    "commitments",
    "create_proposal",
    "current_versions",
    "difference",
    "get_version",
    "overlapping",
    "shows_personal_data",
    "version",
    "version_geometry",
    "versions",
]

STATUSES = ("concept", "voorgesteld", "vastgesteld", "afgewezen", "ingetrokken")
OPEN = ("concept", "voorgesteld")
ADOPTED = "vastgesteld"
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "concept": ("voorgesteld", "ingetrokken"),
    "voorgesteld": ("vastgesteld", "afgewezen", "ingetrokken"),
    "vastgesteld": (),
    "afgewezen": (),
    "ingetrokken": (),
}
STATUS_LABELS: dict[str, str] = {
    "concept": "Concept",
    "voorgesteld": "Voorgesteld aan het BO",
    "vastgesteld": "Vastgesteld door het BO (DIA)",
    "afgewezen": "Afgewezen",
    "ingetrokken": "Ingetrokken",
}
_CONTENT = ("naam", "motivering", "partners", "contact", "scenario_id", "weging")
_PARTNER_OF_GEMEENTE = "sia_voorstel_van_mijn_gemeente({alias}.voorstel_id)"
_PERSONAL = {
    "auteur": f"CASE WHEN {_PARTNER_OF_GEMEENTE} THEN {{alias}}.auteur ELSE coalesce((SELECT o.naam FROM "
    "organisaties o WHERE o.id = {alias}.organisatie_id), 'organisatie onbekend') END AS auteur",
    "contact": f"CASE WHEN {_PARTNER_OF_GEMEENTE} THEN {{alias}}.contact END AS contact",
}
"""The personal columns of a version as its reader may see them (see the module docstring)."""


def _personal(alias: str, columns: tuple[str, ...] = ("auteur", "contact")) -> str:
    """``columns`` (of ``auteur``, ``contact``) of the version row ``alias`` under the personal-data
    rule."""
    return ", ".join(_PERSONAL[c].format(alias=alias) for c in columns)


_COLUMNS = (
    "v.voorstel_id AS id, v.voorstel_id, v.versie, v.naam, v.motivering, v.partners, v.status, v.bo_datum, "
    "v.besluitreferentie, v.scenario_id, v.weging, v.invoer, v.statistieken, v.wijziging, v.aangemaakt, "
    + _personal("v")
)


def check_transition(
    current: str, new: str, *, bo_datum: dt.date | None, besluitreferentie: str | None
) -> None:
    """Refuse a status change the process does not allow (Conflict, Dutch)."""
    if new not in STATUSES:
        raise InvalidInput(f"Onbekende status '{new}'; kies uit: {', '.join(STATUSES)}.")
    if new == current:
        raise Conflict(f"Het voorstel heeft de status '{current}' al.")
    if new not in TRANSITIONS[current]:
        allowed = TRANSITIONS[current]
        raise Conflict(
            f"Van '{current}' naar '{new}' kan niet"
            + (
                f"; vanuit '{current}' kan het voorstel alleen naar: {', '.join(allowed)}."
                if allowed
                else f": '{current}' is een eindstatus; maak zo nodig een nieuw voorstel."
            )
        )
    if new == ADOPTED and (bo_datum is None or not (besluitreferentie or "").strip()):
        raise InvalidInput(
            "Vaststellen vraagt de datum van het Bestuurlijk Overleg (bo_datum) en de referentie "
            "van het besluit (besluitreferentie)."
        )


def check_organisations(conn: Connection, gemeente: str, names: list[str], *, veld: str) -> None:
    """Refuse names that are not active organisations of ``gemeente`` (InvalidInput, Dutch, naming
    the field, the unknown names and the organisations there are)."""
    known = [o.naam for o in list_organisations(conn, gemeente)]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise InvalidInput(
            f"Onbekende organisatie in '{veld}': {', '.join(repr(n) for n in unknown)}. De organisaties "
            f"van {gemeente} zijn: {', '.join(known) or 'geen (voeg ze toe met sia org add)'}.",
            details=[
                {"veld": veld, "waarde": n, "verwacht": "een organisatie van de gemeente"} for n in unknown
            ],
        )


def _row(row: Any) -> dict[str, Any]:
    out = dict(row)
    out["partners"] = list(out["partners"] or [])
    for key in ("aangemaakt", "bo_datum"):
        if out.get(key) is not None:
            out[key] = out[key].isoformat()
    if "geometrie" in out and out["geometrie"] is not None:
        out["geometrie"] = json.loads(out["geometrie"])
    return out


def _insert_version(conn: Connection, voorstel_id: int, versie: int, values: dict[str, Any]) -> None:
    conn.execute(
        text(
            "INSERT INTO voorstel_versies (voorstel_id, versie, naam, motivering, partners, contact, "
            "status, bo_datum, besluitreferentie, geom, scenario_id, weging, invoer, statistieken, auteur, "
            "wijziging, gebruiker_id, organisatie_id) VALUES (:vid, :versie, :naam, :motivering, :partners, "
            ":contact, :status, :bo_datum, :besluitreferentie, ST_Multi(ST_GeomFromWKB(:wkb, 28992)), "
            ":scenario_id, CAST(:weging AS jsonb), CAST(:invoer AS jsonb), CAST(:statistieken AS jsonb), "
            ":auteur, :wijziging, :gebruiker_id, :organisatie_id)"
        ),
        {
            "vid": voorstel_id,
            "versie": versie,
            "naam": values["naam"],
            "motivering": values.get("motivering") or "",
            "partners": list(values.get("partners") or []),
            "contact": values.get("contact") or "",
            "status": values["status"],
            "bo_datum": values.get("bo_datum"),
            "besluitreferentie": values.get("besluitreferentie"),
            "wkb": shapely.to_wkb(values["geom"]),
            "scenario_id": values.get("scenario_id"),
            "weging": json.dumps(values["weging"], allow_nan=False),
            "invoer": json.dumps(values.get("invoer") or {}, allow_nan=False),
            "statistieken": json.dumps(values.get("statistieken") or {}, allow_nan=False),
            "auteur": values["auteur"],
            "wijziging": values.get("wijziging") or "",
            "gebruiker_id": values.get("gebruiker_id"),
            "organisatie_id": values.get("organisatie_id"),
        },
    )


def create_proposal(conn: Connection, *, gemeente: str, values: dict[str, Any]) -> int:
    """Store a new proposal as version 1 (status concept); returns its id. ``values``: the version's
    columns (``geom`` a MultiPolygon in EPSG:28992)."""
    check_organisations(conn, gemeente, list(values.get("partners") or []), veld="partners")
    if values.get("scenario_id") is not None:
        _check_scenario(conn, values["scenario_id"])
    vid = int(
        conn.execute(
            text(
                "INSERT INTO voorstellen (gemeente, gebruiker_id, organisatie_id) VALUES (:gm, :g, :o) "
                "RETURNING id"
            ),
            {"gm": gemeente, "g": values.get("gebruiker_id"), "o": values.get("organisatie_id")},
        ).scalar_one()
    )
    _insert_version(
        conn, vid, 1, {**values, "status": "concept", "bo_datum": None, "besluitreferentie": None}
    )
    return vid


def _check_scenario(conn: Connection, scenario_id: int) -> None:
    if conn.execute(text("SELECT 1 FROM scenarios WHERE id = :id"), {"id": scenario_id}).first() is None:
        raise NotFound(f"Scenario {scenario_id} bestaat niet.")


def _lock(conn: Connection, voorstel_id: int) -> str:
    """The proposal's gemeente; holds a lock on the proposal until the transaction ends, so two
    edits of one proposal take turns (an advisory lock: the app role may not lock rows)."""
    row = conn.execute(text("SELECT gemeente FROM voorstellen WHERE id = :id"), {"id": voorstel_id}).first()
    if row is None:
        raise NotFound(f"Voorstel {voorstel_id} bestaat niet.")
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('voorstel|' || :id))"), {"id": str(voorstel_id)})
    return str(row[0])


def check_writer(conn: Connection, voorstel_id: int) -> None:
    """Refuse (Dutch) when the connection's principal may not add a version to the proposal: not
    readable (NotFound) or not involved (Forbidden). Row-level security refuses the same; this
    says why, before the statistics are computed."""
    row = conn.execute(
        text(
            "SELECT p.gemeente, sia_mag_voorstel_schrijven(p.id) AS mag, "
            "(SELECT o.naam FROM organisaties o WHERE o.id = p.organisatie_id) AS organisatie "
            "FROM voorstellen p WHERE p.id = :id"
        ),
        {"id": voorstel_id},
    ).first()
    if row is None:
        raise NotFound(f"Voorstel {voorstel_id} bestaat niet.")
    if not row.mag:
        raise Forbidden(
            f"Voorstel {voorstel_id} wijzigen mag een beheerder van {row.gemeente} of een planner van een "
            f"betrokken organisatie ({row.organisatie or 'de indiener'} of een van de partners van het "
            "voorstel)."
        )


def add_version(
    conn: Connection,
    voorstel_id: int,
    *,
    basisversie: int,
    changes: dict[str, Any],
    auteur: str,
    wijziging: str = "",
    gebruiker_id: int | None = None,
    organisatie_id: int | None = None,
) -> int:
    """A new version: the newest one with ``changes`` applied (content fields, ``geom``, or
    ``status`` with ``bo_datum`` and ``besluitreferentie``); returns the new version number.

    ``basisversie`` must be the newest version (Conflict otherwise); content can only change while
    the proposal is open; a status change must be allowed (``check_transition``)."""
    gemeente = _lock(conn, voorstel_id)
    newest = (
        conn.execute(
            text(
                "SELECT versie, status, bo_datum, besluitreferentie, naam, motivering, partners, contact, "
                "scenario_id, weging, invoer, statistieken, ST_AsBinary(geom) AS wkb FROM voorstel_versies "
                "WHERE voorstel_id = :id ORDER BY versie DESC LIMIT 1"
            ),
            {"id": voorstel_id},
        )
        .mappings()
        .one()
    )
    if basisversie != newest["versie"]:
        raise Conflict(
            f"Versie {basisversie} is niet meer de nieuwste: voorstel {voorstel_id} staat op versie "
            f"{newest['versie']}. Bekijk die eerst en breng uw wijziging daarop aan."
        )
    status = changes.get("status")
    content = {k: v for k, v in changes.items() if k in (*_CONTENT, "geom", "invoer", "statistieken")}
    if status is not None:
        check_transition(
            newest["status"],
            status,
            bo_datum=changes.get("bo_datum"),
            besluitreferentie=changes.get("besluitreferentie"),
        )
    elif newest["status"] not in OPEN:
        raise Conflict(
            f"Voorstel {voorstel_id} is {newest['status']} en kan niet meer worden gewijzigd; maak een "
            "nieuw voorstel."
        )
    if not content and status is None:
        raise InvalidInput(
            "Er is niets gewijzigd: geef minstens één veld, de geometrie of een nieuwe status."
        )
    if content.get("partners") is not None:
        check_organisations(conn, gemeente, list(content["partners"]), veld="partners")
    if content.get("scenario_id") is not None:
        _check_scenario(conn, content["scenario_id"])
    values = {
        **{
            k: newest[k]
            for k in (*_CONTENT, "invoer", "statistieken", "status", "bo_datum", "besluitreferentie")
        },
        "geom": shapely.from_wkb(bytes(newest["wkb"])),
        **content,
        "auteur": auteur,
        "wijziging": wijziging,
        "gebruiker_id": gebruiker_id,
        "organisatie_id": organisatie_id,
    }
    if status is not None:
        values.update(
            status=status,
            bo_datum=changes.get("bo_datum"),
            besluitreferentie=changes.get("besluitreferentie"),
        )
    versie = int(newest["versie"]) + 1
    _insert_version(conn, voorstel_id, versie, values)
    return versie


def get_version(conn: Connection, voorstel_id: int, versie: int | None = None) -> dict[str, Any]:
    """One version (the newest when ``versie`` is None) with its geometry as GeoJSON (EPSG:4326)."""
    row = (
        conn.execute(
            text(
                f"SELECT {_COLUMNS}, (SELECT gemeente FROM voorstellen p WHERE p.id = v.voorstel_id) AS "
                "gemeente, "
                "ST_AsGeoJSON(ST_Transform(geom, 4326), 7) AS geometrie, ST_Area(geom) / 10000.0 AS "
                "oppervlakte_ha, "
                "(SELECT max(versie) FROM voorstel_versies x WHERE x.voorstel_id = v.voorstel_id) AS "
                "nieuwste "
                "FROM voorstel_versies v WHERE voorstel_id = :id "
                "AND (CAST(:versie AS integer) IS NULL OR versie = :versie) ORDER BY versie DESC LIMIT 1"
            ),
            {"id": voorstel_id, "versie": versie},
        )
        .mappings()
        .first()
    )
    if row is None:
        exists = conn.execute(text("SELECT 1 FROM voorstellen WHERE id = :id"), {"id": voorstel_id}).first()
        if exists is None:
            raise NotFound(f"Voorstel {voorstel_id} bestaat niet.")
        raise NotFound(f"Voorstel {voorstel_id} heeft geen versie {versie}.")
    return _row(row)


def version_geometry(conn: Connection, voorstel_id: int, versie: int) -> shapely.MultiPolygon:
    """The area of one version in EPSG:28992."""
    wkb = conn.execute(
        text("SELECT ST_AsBinary(geom) FROM voorstel_versies WHERE voorstel_id = :id AND versie = :v"),
        {"id": voorstel_id, "v": versie},
    ).scalar()
    if wkb is None:
        raise NotFound(f"Voorstel {voorstel_id} heeft geen versie {versie}.")
    geom = shapely.from_wkb(bytes(wkb))
    assert isinstance(geom, shapely.MultiPolygon)
    return geom


def versions(conn: Connection, voorstel_id: int) -> list[dict[str, Any]]:
    """The version history, oldest first (no geometry, no statistics)."""
    rows = (
        conn.execute(
            text(
                "SELECT v.versie, v.naam, v.status, v.bo_datum, v.besluitreferentie, v.partners, "
                f"{_personal('v', ('auteur',))}, v.wijziging, v.aangemaakt, "
                "ST_Area(v.geom) / 10000.0 AS oppervlakte_ha "
                "FROM voorstel_versies v WHERE v.voorstel_id = :id ORDER BY v.versie"
            ),
            {"id": voorstel_id},
        )
        .mappings()
        .all()
    )
    if not rows:
        raise NotFound(f"Voorstel {voorstel_id} bestaat niet.")
    return [_row(r) for r in rows]


_CURRENT = (
    "SELECT DISTINCT ON (v.voorstel_id) v.*, p.gemeente FROM voorstel_versies v "
    "JOIN voorstellen p ON p.id = v.voorstel_id ORDER BY v.voorstel_id, v.versie DESC"
)


def current_versions(
    conn: Connection, *, status: str | None = None, gemeente: str | None = None, geometry: bool = False
) -> list[dict[str, Any]]:
    """The newest version of every proposal (filters: status, gemeente), newest proposal first."""
    geom = ", ST_AsGeoJSON(ST_Transform(c.geom, 4326), 7) AS geometrie" if geometry else ""
    rows = (
        conn.execute(
            text(
                "SELECT c.voorstel_id AS id, c.versie, c.naam, c.motivering, c.partners, c.status, "
                f"c.bo_datum, c.besluitreferentie, c.scenario_id, {_personal('c')}, c.aangemaakt, "
                "c.gemeente, "
                f"ST_Area(c.geom) / 10000.0 AS oppervlakte_ha{geom} FROM ({_CURRENT}) c "
                "WHERE (CAST(:status AS text) IS NULL OR c.status = :status) "
                "AND (CAST(:gm AS text) IS NULL OR c.gemeente = :gm) ORDER BY c.voorstel_id DESC"
            ),
            {"status": status, "gm": gemeente},
        )
        .mappings()
        .all()
    )
    return [_row(r) for r in rows]


def overlapping(
    conn: Connection, area: shapely.Geometry, *, gemeente: str, exclude: int | None = None
) -> list[dict[str, Any]]:
    """Open proposals and adopted DIAs (their newest versions) whose area overlaps ``area``
    (EPSG:28992) by at least 1 m², with the overlap in ha and as a share of ``area``."""
    rows = (
        conn.execute(
            text(
                f"WITH a AS (SELECT ST_GeomFromWKB(:wkb, 28992) AS g) "
                "SELECT c.voorstel_id AS id, c.versie, c.naam, c.status, "
                f"ST_Area(ST_Intersection(c.geom, a.g)) AS overlap FROM ({_CURRENT}) c, a "
                "WHERE c.gemeente = :gm AND c.status IN ('concept', 'voorgesteld', 'vastgesteld') "
                "AND (CAST(:ex AS bigint) IS NULL OR c.voorstel_id <> :ex) AND ST_Intersects(c.geom, a.g) "
                "ORDER BY c.voorstel_id"
            ),
            {"wkb": shapely.to_wkb(area), "gm": gemeente, "ex": exclude},
        )
        .mappings()
        .all()
    )
    total = area.area
    return [
        {
            "id": r["id"],
            "versie": r["versie"],
            "naam": r["naam"],
            "status": r["status"],
            "soort": "vastgestelde DIA" if r["status"] == ADOPTED else "open voorstel",
            "overlap_ha": r["overlap"] / 10_000,
            "aandeel_van_gebied": r["overlap"] / total if total else None,
        }
        for r in rows
        if r["overlap"] >= 1.0
    ]


def add_comment(
    conn: Connection,
    voorstel_id: int,
    *,
    auteur: str,
    organisatie: str,
    tekst: str,
    gebruiker_id: int | None = None,
    organisatie_id: int | None = None,
) -> dict[str, Any]:
    """Store a comment on the newest version (the text exactly as given; escaped where shown);
    ``organisatie`` is an organisation of the proposal's gemeente."""
    check_organisations(conn, _lock(conn, voorstel_id), [organisatie], veld="organisatie")
    row = (
        conn.execute(
            text(
                "INSERT INTO voorstel_reacties (voorstel_id, versie, auteur, organisatie, tekst, "
                "gebruiker_id, organisatie_id) SELECT :id, max(versie), :a, :o, :t, :g, :oid "
                "FROM voorstel_versies WHERE voorstel_id = :id "
                "RETURNING id, voorstel_id, versie, auteur, organisatie, tekst, aangemaakt"
            ),
            {
                "id": voorstel_id,
                "a": auteur,
                "o": organisatie,
                "t": tekst,
                "g": gebruiker_id,
                "oid": organisatie_id,
            },
        )
        .mappings()
        .one()
    )
    return {**row, "aangemaakt": row["aangemaakt"].isoformat()}


def comments(conn: Connection, voorstel_id: int) -> list[dict[str, Any]]:
    rows = (
        conn.execute(
            text(
                "SELECT id, voorstel_id, versie, auteur, organisatie, tekst, aangemaakt "
                "FROM voorstel_reacties WHERE voorstel_id = :id ORDER BY id"
            ),
            {"id": voorstel_id},
        )
        .mappings()
        .all()
    )
    return [{**r, "aangemaakt": r["aangemaakt"].isoformat()} for r in rows]


def shows_personal_data(conn: Connection, voorstel_id: int) -> bool:
    """Whether the connection's reader sees the personal data of the proposal (author names and
    contact; see the module docstring)."""
    return bool(
        conn.execute(
            text(
                f"SELECT {_PARTNER_OF_GEMEENTE.format(alias='p')} "
                "FROM (SELECT CAST(:id AS bigint) AS voorstel_id) p"
            ),
            {"id": voorstel_id},
        ).scalar()
    )


def add_commitment(conn: Connection, voorstel_id: int, values: dict[str, Any]) -> dict[str, Any]:
    """Store a partner's commitment (partner, jaar, bedrag_eur, thema, soort, auteur, toelichting);
    ``partner`` is an organisation of the proposal's gemeente."""
    gemeente = _lock(conn, voorstel_id)
    check_organisations(conn, gemeente, [values["partner"]], veld="partner")
    row = (
        conn.execute(
            text(
                "INSERT INTO voorstel_toezeggingen (voorstel_id, partner, jaar, bedrag_eur, thema, "
                "soort, auteur, toelichting, gebruiker_id, organisatie_id) VALUES (:id, :partner, :jaar, "
                ":bedrag_eur, :thema, :soort, :auteur, :toelichting, :gebruiker_id, (SELECT o.id FROM "
                "organisaties o WHERE o.gemeente = :gm AND o.naam = :partner)) "
                "RETURNING id, partner, jaar, bedrag_eur, thema, soort, auteur, toelichting, aangemaakt"
            ),
            {"id": voorstel_id, "toelichting": "", "gebruiker_id": None, "gm": gemeente, **values},
        )
        .mappings()
        .one()
    )
    return {**row, "aangemaakt": row["aangemaakt"].isoformat()}


def commitments(conn: Connection, voorstel_id: int) -> list[dict[str, Any]]:
    rows = (
        conn.execute(
            text(
                "SELECT id, partner, jaar, bedrag_eur, thema, soort, auteur, toelichting, aangemaakt "
                "FROM voorstel_toezeggingen WHERE voorstel_id = :id ORDER BY jaar, partner, id"
            ),
            {"id": voorstel_id},
        )
        .mappings()
        .all()
    )
    return [{**r, "aangemaakt": r["aangemaakt"].isoformat()} for r in rows]


def difference(conn: Connection, voorstel_id: int, a: int, b: int) -> dict[str, Any]:
    """The area version ``b`` adds to version ``a`` and the area it removes, as GeoJSON geometries
    (EPSG:4326; null when nothing) with their size in ha."""
    row = conn.execute(
        text(
            "WITH x AS (SELECT geom FROM voorstel_versies WHERE voorstel_id = :id AND versie = :a), "
            "y AS (SELECT geom FROM voorstel_versies WHERE voorstel_id = :id AND versie = :b), "
            "d AS (SELECT ST_CollectionExtract(ST_Difference(y.geom, x.geom), 3) AS erbij, "
            "ST_CollectionExtract(ST_Difference(x.geom, y.geom), 3) AS eraf FROM x, y) "
            "SELECT CASE WHEN ST_IsEmpty(erbij) THEN NULL "
            "ELSE ST_AsGeoJSON(ST_Transform(erbij, 4326), 7) END AS erbij, ST_Area(erbij) AS erbij_m2, "
            "CASE WHEN ST_IsEmpty(eraf) THEN NULL "
            "ELSE ST_AsGeoJSON(ST_Transform(eraf, 4326), 7) END AS eraf, ST_Area(eraf) AS eraf_m2 FROM d"
        ),
        {"id": voorstel_id, "a": a, "b": b},
    ).first()
    if row is None:
        raise NotFound(f"Voorstel {voorstel_id} heeft geen versie {a} of {b}.")
    return {
        "toegevoegd": None if row.erbij is None else json.loads(row.erbij),
        "toegevoegd_ha": float(row.erbij_m2 or 0) / 10_000,
        "verwijderd": None if row.eraf is None else json.loads(row.eraf),
        "verwijderd_ha": float(row.eraf_m2 or 0) / 10_000,
    }


def version(conn: Connection) -> tuple[int, int]:
    """A value that changes whenever the proposal versions the connection's principal may read
    change (for caches of answers that mention proposals: the map's layer, the overlaps of an
    area): their count and newest id. Versions are never deleted, so a readable set changes by a
    new readable version (a higher newest id) or by versions that are no longer readable (a
    withdrawn proposal leaves the public view: a lower count)."""
    row = conn.execute(text("SELECT count(*), coalesce(max(id), 0) FROM voorstel_versies")).one()
    return int(row[0]), int(row[1])
