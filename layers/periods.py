"""Periods as a monitor keeps them: the view of a period, completeness, the default period.

Partners deliver at different moments. The **view of a period** P is, per partner and per
partner layer (``bezit``, ``projecten``, ``verkoop``), the partner's newest active delivery at or
before P that speaks for that layer (``leveringen.lagen``): carried forward, with its age in
periods (half years). Rasters follow the same rule per indicator (``layers.raster_store``).

The **completeness table** of a period says, per partner and layer, which delivery counts, from
which period, how old it is and whether it is current or carried forward.

The **default period** is the newest in which every partner that ever delivered (in this
gemeente) is current; when there is none, the newest period, with a Dutch warning that names
who is missing. A newer period in which only some partners delivered never silently becomes
everyone's default: the warning says who delivered there and who did not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Connection, func, select

from layers.codes import is_period, period_key, sort_periods
from layers.db.schema import leveringen
from layers.errors import InvalidInput
from layers.partners.schema import LAYERS

__all__ = [
    "Completeness",
    "CompletenessRow",
    "DeliveryRef",
    "PeriodView",
    "age",
    "default_period",
    "delivery_periods",
    "period_view",
]

Status = Literal["actueel", "doorgeschoven", "ontbreekt"]


def age(older: str, newer: str) -> int:
    """Periods (half years) from ``older`` to ``newer``: 2026-najaar → 2027-voorjaar is 1."""
    a, b = period_key(older), period_key(newer)
    return (b[0] * 2 + b[1]) - (a[0] * 2 + a[1])


@dataclass(frozen=True)
class DeliveryRef:
    """One stored delivery version as a view uses it."""

    id: int
    partner: str
    periode: str
    versie: int
    synthetisch: bool
    lagen: tuple[str, ...]
    aantallen: dict[str, int]
    via: str
    bron_bestand: str
    geladen_op: str
    leesbaar: bool = True
    """Whether the reader may read the delivery's records (``sia_mag_lezen`` of its class): only
    then does the completeness table give their number (``aantallen`` stays for the rules here)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "partner": self.partner,
            "periode": self.periode,
            "versie": self.versie,
            "synthetisch": self.synthetisch,
            "lagen": list(self.lagen),
            "aantallen": dict(self.aantallen),
            "bron_bestand": self.bron_bestand,
            "geladen_op": self.geladen_op,
        }


@dataclass(frozen=True)
class CompletenessRow:
    """Who delivered what for the period: one partner and one layer (or raster indicator)."""

    partner: str
    laag: str
    status: Status
    periode: str | None
    """The period of the delivery that counts (None when the partner has none up to the period)."""
    leeftijd: int | None
    """Periods between that delivery and the period viewed (0 = current)."""
    levering_id: int | None
    versie: int | None
    aantal: int | None
    """Records of this layer in that delivery; None when missing, or when the reader may not read
    them (another organisation's ``eigen`` delivery: the number is not for others to know)."""
    synthetisch: bool | None
    soort: Literal["partnerlaag", "raster"] = "partnerlaag"


@dataclass(frozen=True)
class Completeness:
    periode: str | None
    rijen: list[CompletenessRow]
    partners: list[str]
    """Every partner that ever delivered in the gemeente (any period)."""
    actueel: list[str]
    """Partners with a delivery in this very period."""
    ontbrekend: list[str]
    """Partners that ever delivered but not in this period (their data are carried forward or
    missing)."""


@dataclass
class PeriodView:
    """The deliveries a period's figures are made of."""

    gemeente: str
    periode: str | None
    per_laag: dict[str, list[DeliveryRef]]
    """Layer → the deliveries whose records count for it (one per partner at most)."""
    completeness: Completeness
    rasters: list[dict[str, Any]] = field(default_factory=list)

    def ids(self, laag: str) -> list[int]:
        return [d.id for d in self.per_laag.get(laag, [])]

    def deliveries(self) -> list[DeliveryRef]:
        """Every delivery used by some layer, in partner and period order."""
        seen: dict[int, DeliveryRef] = {}
        for refs in self.per_laag.values():
            for ref in refs:
                seen[ref.id] = ref
        return sorted(seen.values(), key=lambda d: (d.partner, period_key(d.periode), d.id))


def _active(conn: Connection, gemeente: str) -> list[DeliveryRef]:
    t = leveringen
    rows = conn.execute(
        select(
            t.c.id,
            t.c.partner,
            t.c.periode,
            t.c.versie,
            t.c.synthetisch,
            t.c.lagen,
            t.c.aantallen,
            t.c.via,
            t.c.bron_bestand,
            t.c.geladen_op,
            func.sia_mag_lezen(
                t.c.vertrouwelijkheid, t.c.synthetisch, t.c.via, t.c.organisatie_id, t.c.gemeente
            ).label("leesbaar"),
        )
        .where(t.c.actief, t.c.gemeente == gemeente)
        .order_by(t.c.partner, t.c.id)
    )
    return [
        DeliveryRef(
            int(r.id),
            r.partner,
            r.periode,
            int(r.versie),
            bool(r.synthetisch),
            tuple(r.lagen),
            {str(k): int(v) for k, v in (r.aantallen or {}).items()},
            r.via,
            r.bron_bestand,
            r.geladen_op.isoformat(),
            bool(r.leesbaar),
        )
        for r in rows
    ]


def _raster_periods(conn: Connection, gemeente: str) -> list[str]:
    from layers import raster_store

    return [r["periode"] for r in raster_store.raster_deliveries(conn, gemeente=gemeente) if r["actief"]]


def delivery_periods(conn: Connection, gemeente: str) -> list[str]:
    """Periods with at least one active partner or raster delivery in the gemeente, newest first."""
    return sort_periods([d.periode for d in _active(conn, gemeente)] + _raster_periods(conn, gemeente))


def _partners_current(active: list[DeliveryRef], periode: str) -> set[str]:
    return {d.partner for d in active if d.periode == periode}


def default_period(conn: Connection, gemeente: str) -> tuple[str | None, list[str]]:
    """The default period of the gemeente and the warnings that go with it (Dutch).

    The newest period in which every partner that ever delivered is current; otherwise the
    newest period, with a warning naming who is missing. Newer periods that are incomplete are
    named too, with who delivered there and who did not.
    """
    active = _active(conn, gemeente)
    periods = sort_periods([d.periode for d in active])
    if not periods:  # no partner deliveries: the newest raster period, if any
        rasters = sort_periods(_raster_periods(conn, gemeente))
        return (rasters[0] if rasters else None), []
    partners = sorted({d.partner for d in active})
    complete = [p for p in periods if _partners_current(active, p) >= set(partners)]
    warnings = []
    chosen = complete[0] if complete else periods[0]
    if not complete:
        missing = sorted(set(partners) - _partners_current(active, chosen))
        warnings.append(
            f"In geen enkele periode hebben alle partners geleverd. Getoond wordt de nieuwste periode, "
            f"{chosen}; daarin ontbreken leveringen van {_names(missing)}: hun nieuwste eerdere "
            "levering telt mee (doorgeschoven), of ontbreekt."
        )
    for newer in periods:
        if period_key(newer) <= period_key(chosen):
            break
        present = sorted(_partners_current(active, newer))
        missing = sorted(set(partners) - set(present))
        warnings.append(
            f"Periode {newer} is nog onvolledig: geleverd door {_names(present)}; nog niet door "
            f"{_names(missing)}. Daarom is {chosen} de standaardperiode; kies {newer} om de nieuwe "
            "leveringen te zien (de ontbrekende partners tellen dan mee met hun vorige levering)."
        )
    return chosen, warnings


def _names(names: list[str]) -> str:
    if not names:
        return "niemand"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} en {names[-1]}"


def period_view(conn: Connection, gemeente: str, periode: str | None) -> PeriodView:
    """The view of ``periode`` for ``gemeente`` (None: no partner data at all)."""
    if periode is not None and not is_period(periode):
        raise InvalidInput(
            f"'{periode}' is geen periode; verwacht jaar-voorjaar of jaar-najaar, bijv. 2026-najaar."
        )
    active = _active(conn, gemeente)
    partners = sorted({d.partner for d in active})
    per_laag: dict[str, list[DeliveryRef]] = {kind: [] for kind in LAYERS}
    rows: list[CompletenessRow] = []
    if periode is not None:
        upto = [d for d in active if period_key(d.periode) <= period_key(periode)]
        for partner in partners:
            own = [d for d in upto if d.partner == partner]
            # layers the partner ever delivered records of (a template sheet left empty by a
            # partner that never holds such records, e.g. the gemeente's holdings, is not listed)
            ever = {k for d in active if d.partner == partner for k in d.lagen if d.aantallen.get(k, 0) > 0}
            for kind in LAYERS:
                if kind not in ever:
                    continue
                speaking = [d for d in own if kind in d.lagen]
                if not speaking:
                    rows.append(
                        CompletenessRow(partner, kind, "ontbreekt", None, None, None, None, None, None)
                    )
                    continue
                used = max(speaking, key=lambda d: (period_key(d.periode), d.id))
                per_laag[kind].append(used)
                n = age(used.periode, periode)
                rows.append(
                    CompletenessRow(
                        partner,
                        kind,
                        "actueel" if n == 0 else "doorgeschoven",
                        used.periode,
                        n,
                        used.id,
                        used.versie,
                        used.aantallen.get(kind, 0) if used.leesbaar else None,
                        used.synthetisch,
                    )
                )
    rasters = _raster_rows(conn, gemeente, periode) if periode is not None else []
    for r in rasters:
        rows.append(
            CompletenessRow(
                r["partner"],
                r["indicator"],
                "actueel" if r["leeftijd"] == 0 else "doorgeschoven",
                r["periode"],
                r["leeftijd"],
                r["id"],
                r["versie"],
                None,
                bool(r["synthetisch"]),
                soort="raster",
            )
        )
    current = sorted(_partners_current(active, periode)) if periode else []
    completeness = Completeness(
        periode, rows, partners, current, sorted(set(partners) - set(current)) if periode else []
    )
    return PeriodView(gemeente, periode, per_laag, completeness, rasters)


def _raster_rows(conn: Connection, gemeente: str, periode: str) -> list[dict[str, Any]]:
    """The public raster deliveries of the view (newest per indicator at or before the period)."""
    from layers import raster_store

    rows = raster_store.active_rasters(conn, periode, gemeente)
    return [{**r, "leeftijd": age(r["periode"], periode)} for r in rows]
