"""Storing partner deliveries in PostGIS (versioned) and aggregating them to buurten.

A delivery replaces that partner's data for that gemeente and period only: the earlier version
stays in the database (``leveringen.actief = false``) and remains retrievable. Validation happens
before (``layers.partners.validate.read_delivery``, with the gemeente's organisations);
storing happens in the caller's transaction.

What a period shows is its *view* (``layers.periods``): per partner and layer the newest
delivery at or before the period. The aggregation, the address points of the map and the sales
check all read the deliveries of the view, so a partner that did not deliver for the newest
period is carried forward instead of disappearing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import shapely
from sqlalchemy import Connection, text

from layers.partners.sales_check import check_sales
from layers.partners.validate import Delivery
from layers.periods import PeriodView, period_view
from layers.readers import to_python

_TABLE_COLUMNS: dict[str, list[str]] = {
    "bezit": [
        "corporatie",
        "adres",
        "postcode",
        "huisnummer",
        "toevoeging",
        "buurtcode",
        "aantal_woningen",
        "daeb",
        "huurklasse",
        "energielabel",
        "bouwjaar",
        "conditie",
    ],
    "projecten": [
        "projectnaam",
        "partij",
        "type",
        "woningen_erbij",
        "woningen_eraf",
        "startjaar",
        "eindjaar",
        "investering_eur",
        "status",
        "toelichting",
    ],
    "verkoop": [
        "corporatie",
        "adres",
        "postcode",
        "huisnummer",
        "toevoeging",
        "buurtcode",
        "energielabel",
        "conditie",
        "kluswoning",
        "gemeld_aan_gemeente",
        "gepland_jaar",
    ],
}
_COMMON = ["partner", "periode", "vertrouwelijkheid", "synthetisch", "bron_rij"]


@dataclass
class StoredDelivery:
    id: int
    partner: str
    periode: str
    versie: int
    aantallen: dict[str, int]
    vervangen: int | None  # id of the version it replaced
    unchanged: bool = False
    overgenomen: dict[str, int] = field(default_factory=dict)  # layer → records carried over


def store_delivery(
    conn: Connection,
    delivery: Delivery,
    *,
    sha256: str,
    gemeente: str,
    via: str = "beheer",
    organisatie_id: int | None = None,
) -> StoredDelivery:
    """Store a validated delivery as the new active version for its gemeente, partner and period.

    Layers the delivery does not cover (a GIS or CSV file holds one layer) are carried over from
    the previous active version of the same period, so delivering only the planned sales keeps
    the holdings; ``lagen`` records which layers the version speaks for. ``via`` is ``upload``
    for files sent through the API (see migration 0005).
    """
    key = {"p": delivery.partner, "per": delivery.period, "gm": gemeente}
    # one delivery at a time per gemeente, partner and period: a second waits, then builds on it
    conn.execute(
        text("SELECT pg_advisory_xact_lock(hashtext('levering|' || :gm || '|' || :p || '|' || :per))"), key
    )
    prev = conn.execute(
        text(
            "SELECT id, versie, sha256, lagen FROM leveringen WHERE gemeente = :gm AND partner = :p "
            "AND periode = :per AND actief"
        ),
        key,
    ).first()
    counts = {kind: len(frame) for kind, frame in delivery.frames().items() if kind in delivery.covers}
    if prev is not None and prev.sha256 == sha256:
        return StoredDelivery(
            prev.id, delivery.partner, delivery.period, prev.versie, counts, None, unchanged=True
        )
    if prev is not None:
        switched = conn.execute(
            text("UPDATE leveringen SET actief = false WHERE id = :id"), {"id": prev.id}
        ).rowcount
        if switched != 1:  # row-level security (migration 0008): not the principal's to replace
            from layers.errors import Forbidden

            raise Forbidden(
                f"De levering van {delivery.partner} voor {delivery.period} mag alleen die organisatie "
                "of een beheerder van de gemeente vervangen. Er is niets opgeslagen."
            )
    versie = int(
        conn.execute(
            text(
                "SELECT coalesce(max(versie), 0) + 1 FROM leveringen WHERE gemeente = :gm AND partner = :p "
                "AND periode = :per"
            ),
            key,
        ).scalar_one()
    )
    carried_layers = [k for k in (prev.lagen if prev is not None else ()) if k not in delivery.covers]
    lagen = [k for k in delivery.frames() if k in delivery.covers or k in carried_layers]
    levering_id = int(
        conn.execute(
            text(
                "INSERT INTO leveringen (partner, periode, versie, vertrouwelijkheid, synthetisch, "
                "bron_bestand, sha256, contact, aantallen, via, gemeente, organisatie_id, lagen) "
                "VALUES (:p, :per, :v, :vt, :s, :bron, :sha, :contact, '{}'::jsonb, :via, :gm, :org, "
                ":lagen) RETURNING id"
            ),
            {
                **key,
                "v": versie,
                "vt": delivery.confidentiality,
                "s": delivery.synthetic,
                "bron": delivery.source,
                "sha": sha256,
                "contact": delivery.contact,
                "via": via,
                "org": organisatie_id,
                "lagen": lagen,
            },
        ).scalar_one()
    )
    carried: dict[str, int] = {}
    for kind, frame in delivery.frames().items():
        if kind in delivery.covers:
            _insert(conn, kind, frame, levering_id)
        elif prev is not None:
            carried[kind] = _carry_over(conn, kind, prev.id, levering_id)
    all_counts = {**counts, **carried}
    conn.execute(
        text("UPDATE leveringen SET aantallen = CAST(:n AS jsonb) WHERE id = :id"),
        {"n": json.dumps({k: all_counts.get(k, 0) for k in delivery.frames()}), "id": levering_id},
    )
    return StoredDelivery(
        levering_id,
        delivery.partner,
        delivery.period,
        versie,
        counts,
        prev.id if prev is not None else None,
        overgenomen={k: n for k, n in carried.items() if n},
    )


def _carry_over(conn: Connection, kind: str, from_id: int, to_id: int) -> int:
    """Copy the records of one layer from an earlier version into a new one."""
    cols = ", ".join(_COMMON + _TABLE_COLUMNS[kind] + ["geom"])  # names from our own table
    sql = f"INSERT INTO {kind} (levering_id, {cols}) SELECT :to, {cols} FROM {kind} WHERE levering_id = :f"
    result = conn.execute(text(sql), {"to": to_id, "f": from_id})
    return int(result.rowcount or 0)


def _insert(conn: Connection, kind: str, frame: pd.DataFrame, levering_id: int) -> None:
    if frame.empty:
        return
    cols = _COMMON + _TABLE_COLUMNS[kind]
    placeholders = ", ".join(f":{c}" for c in cols)
    sql = text(
        f"INSERT INTO {kind} (levering_id, {', '.join(cols)}, geom) "  # names from our own table
        f"VALUES (:levering_id, {placeholders}, ST_GeomFromWKB(:wkb, 28992))"
    )
    rows: list[dict[str, Any]] = []
    for rec, geom in zip(frame[cols].to_dict("records"), frame.geometry, strict=True):
        row = {str(k): to_python(v) for k, v in rec.items()}
        row["levering_id"] = levering_id
        row["wkb"] = None if geom is None or geom.is_empty else shapely.to_wkb(geom)
        rows.append(row)
    conn.execute(sql, rows)


def periods(conn: Connection, gemeente: str | None = None) -> list[str]:
    """Periods with at least one active delivery (of ``gemeente`` when given), newest first."""
    from layers.codes import sort_periods

    values = (
        conn.execute(
            text(
                "SELECT DISTINCT periode FROM leveringen WHERE actief "
                "AND (CAST(:gm AS text) IS NULL OR gemeente = :gm)"
            ),
            {"gm": gemeente},
        )
        .scalars()
        .all()
    )
    return sort_periods(list(values))


def deliveries(
    conn: Connection, *, periode: str | None = None, gemeente: str | None = None
) -> list[dict[str, Any]]:
    """Every delivery (all versions), newest first; of one period and gemeente when given.

    What the reader may not know is None: the file name (``bron_bestand``, often telling, e.g.
    "verkoopplan vertrouwelijk.xlsx") only for the delivering organisation and the beheerders of
    its gemeente; the number of records per layer (``aantallen``) only for whoever may read the
    records themselves (``sia_mag_lezen`` of the delivery's class, the rule of row-level security).
    The contact person is never listed (the application role may not even read it)."""
    rows = (
        conn.execute(
            text(
                "SELECT id, gemeente, partner, periode, versie, actief, vertrouwelijkheid, synthetisch, "
                "CASE WHEN sia_mag_lezen('eigen', false, via, organisatie_id, gemeente) "
                "THEN bron_bestand END AS bron_bestand, "
                "CASE WHEN sia_mag_lezen(vertrouwelijkheid, synthetisch, via, organisatie_id, gemeente) "
                "THEN aantallen END AS aantallen, lagen, geladen_op FROM leveringen "
                "WHERE (CAST(:per AS text) IS NULL OR periode = :per) "
                "AND (CAST(:gm AS text) IS NULL OR gemeente = :gm) "
                "ORDER BY periode DESC, partner, versie DESC"
            ),
            {"per": periode, "gm": gemeente},
        )
        .mappings()
        .all()
    )
    return [{**r, "lagen": list(r["lagen"]), "geladen_op": r["geladen_op"].isoformat()} for r in rows]


def aggregate(
    conn: Connection,
    *,
    gemeente: str,
    jaar: int,
    periode: str | None = None,
    view: PeriodView | None = None,
) -> pd.DataFrame:
    """Partner indicators per buurt of the gemeente and buurten year, from the deliveries of the
    view of ``periode`` (or the ``view`` given). Per-buurt counts delivered with the code of
    another buurten year count in the buurt of ``jaar`` that holds that buurt's inner point.

    Every record of the view counts, also those the connection's principal may not read: the
    database function ``sia_partner_aggregaten`` (migration 0008) computes them as the tables'
    owner and applies the disclosure rule (``layers.disclosure``); column ``onderdrukt`` says per
    buurt which values it left empty and why."""
    view = view or period_view(conn, gemeente, periode)
    rows = conn.execute(
        text(
            "SELECT * FROM sia_partner_aggregaten(:gemeente, :jaar, CAST(:bezit_ids AS bigint[]), "
            "CAST(:projecten_ids AS bigint[]), CAST(:verkoop_ids AS bigint[]))"
        ),
        {
            "gemeente": gemeente,
            "jaar": jaar,
            "bezit_ids": view.ids("bezit"),
            "projecten_ids": view.ids("projecten"),
            "verkoop_ids": view.ids("verkoop"),
        },
    )
    frame = pd.DataFrame(rows.mappings().all())
    return frame.set_index("buurtcode") if not frame.empty else frame


def synthetic_in_period(conn: Connection, periode: str, gemeente: str | None = None) -> bool:
    """Whether any delivery of the period's view (of the gemeente; all gemeenten when None) is
    synthetic."""
    if gemeente is None:
        return bool(
            conn.execute(
                text("SELECT bool_or(synthetisch) FROM leveringen WHERE periode = :p AND actief"),
                {"p": periode},
            ).scalar()
        )
    return any(d.synthetisch for d in period_view(conn, gemeente, periode).deliveries())


def _view_ids(conn: Connection, kind: str, periode: str, gemeente: str | None) -> list[int] | None:
    """The delivery ids of ``kind`` in the view of the period (None: no gemeente, use the
    period's own active deliveries)."""
    return None if gemeente is None else period_view(conn, gemeente, periode).ids(kind)


def sales_check(conn: Connection, *, periode: str, gemeente: str | None = None) -> pd.DataFrame:
    """Planned sales in the view of the period with the agreement 4.1 assessment (overtreding,
    reden)."""
    ids = _view_ids(conn, "verkoop", periode, gemeente)
    rows = (
        conn.execute(
            text(
                "SELECT v.id, v.partner, v.corporatie, v.adres, v.postcode, v.huisnummer, "
                "v.toevoeging, coalesce(b.buurtcode, v.buurtcode) AS buurtcode, b.buurtnaam, "
                "v.energielabel, v.conditie, v.kluswoning, v.gemeld_aan_gemeente, v.gepland_jaar, "
                "v.synthetisch, v.vertrouwelijkheid, l.via, ST_X(ST_Transform(v.geom, 4326)) AS lon, "
                "ST_Y(ST_Transform(v.geom, 4326)) AS lat "
                "FROM verkoop v JOIN leveringen l ON l.id = v.levering_id "
                "LEFT JOIN LATERAL (SELECT buurtcode, buurtnaam FROM buurten x "
                "  WHERE ST_Intersects(x.geom, v.geom) ORDER BY jaar DESC LIMIT 1) b ON true "
                "WHERE (CASE WHEN CAST(:ids AS bigint[]) IS NULL THEN l.actief AND v.periode = :p "
                "       ELSE v.levering_id = ANY(:ids) END) AND (CAST(:gm AS text) IS NULL OR "
                "  coalesce(b.buurtcode, v.buurtcode) LIKE 'BU' || substr(:gm, 3) || '%') "
                "ORDER BY v.corporatie, v.adres"
            ),
            {"p": periode, "gm": gemeente, "ids": ids},
        )
        .mappings()
        .all()
    )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    return check_sales(frame)


def municipality_context(conn: Connection, gemeente: str) -> tuple[Any, set[str]]:
    """The gemeente's outline (EPSG:28992, with 100 m tolerance, of its newest buurten year) and
    the buurtcodes of every loaded year: a delivery may use the codes of an earlier year (the
    aggregation places them in the buurt of the year being read)."""
    row = conn.execute(
        text(
            "SELECT ST_AsBinary(ST_Buffer(ST_Union(geom) FILTER (WHERE jaar = "
            "(SELECT max(jaar) FROM buurten WHERE gemeentecode = :gm)), 100)), "
            "array_agg(DISTINCT buurtcode) FROM buurten WHERE gemeentecode = :gm"
        ),
        {"gm": gemeente},
    ).one()
    if row[0] is None:
        from layers.errors import SetupError

        raise SetupError(
            f"Er zijn nog geen buurten van {gemeente} geladen; laad eerst de buurtenkaart (sia load buurten)."
        )
    return shapely.from_wkb(bytes(row[0])), set(row[1])


def load_delivery_file(
    conn: Connection,
    path: Any,
    *,
    gemeente: str,
    filename: str | None = None,
    via: str = "beheer",
    for_organisation: str | None = None,
    **options: Any,
) -> StoredDelivery:
    """Validate a delivery file against the gemeente and its organisations and store it (all or
    nothing). ``for_organisation``: the only organisation the file may deliver for (a planner
    delivers for its own organisation; row-level security refuses anything else as well), and
    then its projects may name no other organisation of the gemeente as ``partij``. Without it
    (a beheerder of the gemeente, or the operator with ``sia load``, loading for a partner) the
    file may: the gemeente's overview of everyone's plans, say."""
    from pathlib import Path

    from layers.organisations import list_organisations, organisations_for
    from layers.partners.validate import read_delivery

    area, codes = municipality_context(conn, gemeente)
    delivery = read_delivery(
        Path(path),
        area=area,
        buurtcodes=codes,
        filename=filename,
        organisations=organisations_for(conn, gemeente),
        for_others=for_organisation is None,
        **options,
    )
    if for_organisation is not None and delivery.partner != for_organisation:
        from layers.errors import Forbidden

        raise Forbidden(
            f"Dit bestand levert voor {delivery.partner}; u mag alleen voor {for_organisation} leveren. "
            "Er is niets opgeslagen."
        )
    org = next((o.id for o in list_organisations(conn, gemeente) if o.naam == delivery.partner), None)
    return store_delivery(
        conn, delivery, sha256=content_hash(delivery), gemeente=gemeente, via=via, organisatie_id=org
    )


def content_hash(delivery: Delivery) -> str:
    """Hash of what a delivery says (not of the file's bytes, which carry save timestamps)."""
    import hashlib

    digest = hashlib.sha256(f"{delivery.partner}|{delivery.period}|{delivery.synthetic}".encode())
    for kind, frame in delivery.frames().items():
        body = frame.drop(columns=["bron_bestand"], errors="ignore")
        digest.update(kind.encode())
        digest.update(
            pd.util.hash_pandas_object(body.drop(columns="geometry"), index=False).to_numpy().tobytes()
        )
        digest.update(b"".join(g.wkb if g is not None else b"-" for g in frame.geometry))
    return digest.hexdigest()


# ---------------------------------------------------------------- address-level records for the map

# What each partner layer shows per record on the map (besides partner, periode, synthetisch):
# the stored columns, except the buurtcode of per-buurt counts (those have no point to show).
_FEATURE_COLUMNS: dict[str, list[str]] = {
    kind: [c for c in cols if c != "buurtcode"] for kind, cols in _TABLE_COLUMNS.items()
}

# Who may see a record (DESIGN.md, "openbaar, tenzij") is decided by PostgreSQL: row-level security
# (migration 0008, ``sia_mag_lezen``) filters every read of the application role by the principal
# of its transaction. The public sees `openbaar` records and the synthetic demonstration records
# the operator loaded; signed-in users also the `partners` records of their gemeente and everything
# of their own organisation. Nothing here filters by class.


def hidden_counts(conn: Connection, ids: dict[str, list[int]]) -> dict[str, int]:
    """Records of these delivery versions (per layer) that the connection's principal may not
    read, per layer (counted by the database function ``sia_verborgen``; nothing else of them)."""
    row = (
        conn.execute(
            text(
                "SELECT * FROM sia_verborgen(CAST(:bezit AS bigint[]), CAST(:projecten AS bigint[]), "
                "CAST(:verkoop AS bigint[]))"
            ),
            {k: ids.get(k) or [] for k in ("bezit", "projecten", "verkoop")},
        )
        .mappings()
        .one()
    )
    return {k: int(row[k]) for k in ("bezit", "projecten", "verkoop")}


def partner_features(
    conn: Connection, kind: str, *, periode: str, gemeente: str | None = None
) -> dict[str, Any]:
    """:func:`partner_features_json`, parsed."""
    result: dict[str, Any] = json.loads(partner_features_json(conn, kind, periode=periode, gemeente=gemeente))
    return result


def partner_features_json(conn: Connection, kind: str, *, periode: str, gemeente: str | None = None) -> str:
    """Address points (and project polygons) of one partner layer and period as GeoJSON (EPSG:4326),
    as JSON text.

    Only records the connection's principal may read are returned (row-level security);
    ``verborgen`` counts the records withheld. Per-buurt counts without a location are not
    features; ``zonder_locatie`` counts them. The features are assembled by PostGIS
    (``json_build_object`` / ``ST_AsGeoJSON``) into one JSON text that is passed on as it is:
    parsing and writing it again cost more than the query (the map's ``bezit`` layer is ~2 MB).
    """
    if kind not in _FEATURE_COLUMNS:
        from layers.errors import InvalidInput

        raise InvalidInput(f"Onbekende partnerlaag '{kind}'; kies uit: {', '.join(_FEATURE_COLUMNS)}.")
    props = ", ".join(
        f"'{c}', x.{c}"
        for c in ["id", "partner", "periode", "synthetisch", "vertrouwelijkheid"] + _FEATURE_COLUMNS[kind]
    )  # column names from our own table, never from a request
    in_gemeente = (
        "(CAST(:gm AS text) IS NULL OR EXISTS (SELECT 1 FROM buurten b WHERE "
        "b.gemeentecode = :gm AND ST_Intersects(b.geom, x.geom)))"
    )
    base = (
        f"FROM {kind} x JOIN leveringen l ON l.id = x.levering_id "  # kind checked
        "WHERE (CASE WHEN CAST(:ids AS bigint[]) IS NULL THEN l.actief AND x.periode = :p "
        "ELSE x.levering_id = ANY(:ids) END)"
    )
    ids = _view_ids(conn, kind, periode, gemeente)
    params = {"p": periode, "gm": gemeente, "ids": ids}
    shown = f"x.geom IS NOT NULL AND {in_gemeente}"
    row = conn.execute(
        text(
            "SELECT coalesce(json_agg(json_build_object('type', 'Feature', 'id', x.id, "
            f"'properties', json_build_object({props}), "
            "'geometry', ST_AsGeoJSON(ST_Transform(x.geom, 4326), 6)::json) ORDER BY x.id) "
            f"FILTER (WHERE {shown}), '[]')::text AS feats, "
            f"count(*) FILTER (WHERE {shown}) AS aantal, "
            "count(*) FILTER (WHERE x.geom IS NULL) AS zonder_locatie, "
            f"coalesce(bool_or(x.synthetisch) FILTER (WHERE {shown}), false) AS synthetisch {base}"
        ),
        params,
    ).one()
    if ids is None:  # no gemeente: the period's own active deliveries
        ids = [
            int(i)
            for i in conn.execute(
                text("SELECT id FROM leveringen WHERE actief AND periode = :p"), params
            ).scalars()
        ]
    hidden = hidden_counts(conn, {kind: ids})[kind]
    head = {"type": "FeatureCollection", "laag": kind, "periode": periode}
    tail = {
        "aantal": int(row.aantal),
        "verborgen": hidden,
        "zonder_locatie": int(row.zonder_locatie),
        "synthetisch": bool(row.synthetisch),
        "melding": (
            f"{hidden} record(s) zijn vertrouwelijk (partners of eigen organisatie) en "
            "worden alleen per buurt samengevat getoond."
            if hidden
            else None
        ),
    }
    # {head..., "features": [...], tail...}: the features' text goes in unparsed
    return (
        json.dumps(head, ensure_ascii=False)[:-1]
        + ', "features": '
        + str(row.feats)
        + ", "
        + json.dumps(tail, ensure_ascii=False)[1:]
    )
