"""The disclosure rule for aggregates, in words: what the database suppresses and why.

The rule itself is applied inside PostgreSQL, by the SECURITY DEFINER functions of migration 0008
(``0008_openbaarmaking.sql``: ``sia_partner_aggregaten`` for the figures per buurt,
``sia_gebied_bezit`` for the holdings of a drawn area; the verdict in ``sia_regel_aandeel`` and
``sia_regel_som``). They count every record of a period's view, also those the viewer may not
read ("hidden" records), and leave a value empty when it could give a hidden dwelling or project
away. The rule as the README states it (section on confidentiality):

    Figures per buurt count every record, also the confidential ones. A figure over records the
    viewer may not read is published only if it still meets its threshold after leaving out any
    one organisation's records, because every organisation knows the records it delivered and
    can subtract them. A share or mean (share of labels E/F/G, mean condition) needs at least 5
    such dwellings that carry the value outside the organisation with the most of them; a sum over
    projects (planned investment, dwellings added or removed) needs at least 3 such projects
    outside the organisation with the most of them, and no single project may be more than 85 %
    of what is left when any one organisation's projects are taken out. The same test applies
    again to the records a signed-in partner cannot read either (all but class ``partners``),
    since every partner could subtract the ``partners`` records from a public figure. Records the
    viewer may read do not count towards the thresholds: who sees a figure can subtract them.
    Counts (dwellings, corporations, projects, sales, partners) are always published. Every
    suppressed value is listed with its reason. Statistics of a drawn area are never finer than
    these buurt figures: records the viewer may read are counted where they lie, while the
    records the viewer may not read enter only as the hidden part of each touched buurt (all
    organisations together, with the buurt figure's verdict), apportioned by the buurt's share in
    the area: never per corporation and never by where they lie.

This module holds the thresholds and reasons as texts for the API and the dossier (a test compares
the thresholds with the database's ``sia_openbaarmakingsregel()``) and turns the functions'
``onderdrukt`` answers into lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "DOMINANCE",
    "MIN_DWELLINGS",
    "MIN_PROJECTS",
    "REASONS",
    "RULE",
    "suppressed_cells",
]

MIN_DWELLINGS = 5
MIN_PROJECTS = 3
DOMINANCE = 0.85

REASONS: dict[str, str] = {
    "minder_dan_min_woningen": f"berekend uit minder dan {MIN_DWELLINGS} woningen met een waarde die u "
    "niet per woning mag zien",
    "minder_dan_min_woningen_buiten_grootste": f"buiten de organisatie met de meeste ervan blijven minder "
    f"dan {MIN_DWELLINGS} woningen met een waarde over die u niet per woning mag zien (een organisatie "
    "kan haar eigen woningen aftrekken)",
    "minder_dan_min_projecten": f"berekend uit minder dan {MIN_PROJECTS} projecten die u niet per project "
    "mag zien",
    "minder_dan_min_projecten_buiten_grootste": f"buiten de organisatie met de meeste ervan blijven minder "
    f"dan {MIN_PROJECTS} projecten over die u niet per project mag zien (een organisatie kan haar eigen "
    "projecten aftrekken)",
    "dominantie": f"één project dat u niet per project mag zien is meer dan {DOMINANCE:.0%} van de som, "
    "ook als de projecten van één organisatie eruit gelaten worden",
    "na_aftrek_partners": "wie de records van klasse 'partners' mag zien, kan die aftrekken: wat dan "
    f"overblijft haalt de drempel niet ({MIN_DWELLINGS} woningen of {MIN_PROJECTS} projecten buiten de "
    "grootste organisatie)",
}
"""The reasons the database gives (``onderdrukt``: value → reason), in Dutch."""

RULE: dict[str, Any] = {
    "min_woningen": MIN_DWELLINGS,
    "min_projecten": MIN_PROJECTS,
    "dominantie": DOMINANCE,
    "aandelen_en_gemiddelden": ["aandeel_label_efg", "gem_conditie"],
    "sommen": ["geplande_investering", "investering_per_woning", "geplande_woningen", "geplande_sloop"],
    "regel": (
        "Cijfers per buurt tellen alle records mee, ook vertrouwelijke. Een cijfer over records die u "
        "niet mag zien verschijnt alleen als het ook zonder de records van één organisatie de drempel "
        f"haalt: een aandeel of gemiddelde vraagt minstens {MIN_DWELLINGS} woningen met een waarde "
        f"buiten de organisatie met de meeste ervan; een som over projecten minstens {MIN_PROJECTS} "
        f"projecten buiten de organisatie met de meeste ervan, en geen project boven {DOMINANCE:.0%} "
        "van de som. Hetzelfde geldt voor wat overblijft na aftrek van de records van klasse "
        "'partners'. Aantallen blijven altijd staan. Gebiedscijfers gebruiken records die u niet mag "
        "zien alleen als deel van deze buurtcijfers, naar het aandeel van de buurt in het gebied."
    ),
}
"""The rule as the API states it beside every suppressed figure."""


def suppressed_cells(rows: Iterable[tuple[str, Mapping[str, str] | None]]) -> list[dict[str, str]]:
    """``[(key, {value: reason})]`` (as the functions return them) → a flat list of
    ``{"buurtcode"/key, "veld", "reden", "toelichting"}``, in order."""
    out = []
    for key, cells in rows:
        for field, reason in sorted((cells or {}).items()):
            out.append(
                {"buurtcode": key, "veld": field, "reden": reason, "toelichting": REASONS.get(reason, reason)}
            )
    return out
