"""The disclosure rule for aggregates, in words: what the database suppresses and why.

The rule itself is applied inside PostgreSQL, by the SECURITY DEFINER functions of migration 0008
(``0008_openbaarmaking.sql``: ``sia_partner_aggregaten`` for the figures per buurt,
``sia_gebied_bezit`` for the holdings of a drawn area). They count every record of a period's view,
also those the viewer may not read, and leave a value empty when the part the viewer cannot read
record by record is too small:

- a share or mean (share of labels E/F/G, mean condition) from fewer than
  :data:`MIN_DWELLINGS` dwellings that carry the value;
- a sum over projects (planned investment, dwellings added or removed) from fewer than
  :data:`MIN_PROJECTS` projects that carry the value, or where one project is more than
  :data:`DOMINANCE` of the sum (CBS dominance rule).

Counts are never suppressed. The rule applies to the hidden part because a viewer who sees some
records could subtract them; for the public, who reads no real record, the hidden part is the
whole aggregate. This module holds the thresholds as texts for the API and the dossier (a test
compares them with the database's ``sia_openbaarmakingsregel()``) and turns the functions'
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
    "minder_dan_min_projecten": f"berekend uit minder dan {MIN_PROJECTS} projecten die u niet per project "
    "mag zien",
    "dominantie": f"één project dat u niet per project mag zien is meer dan {DOMINANCE:.0%} van de som",
}
"""The reasons the database gives (``onderdrukt``: value → reason), in Dutch."""

RULE: dict[str, Any] = {
    "min_woningen": MIN_DWELLINGS,
    "min_projecten": MIN_PROJECTS,
    "dominantie": DOMINANCE,
    "aandelen_en_gemiddelden": ["aandeel_label_efg", "gem_conditie"],
    "sommen": ["geplande_investering", "investering_per_woning", "geplande_woningen", "geplande_sloop"],
    "regel": (
        "Cijfers per buurt en per gebied tellen alle records mee, ook vertrouwelijke. Een aandeel of "
        f"gemiddelde blijft leeg als het deel dat u niet per record mag zien uit 1 tot {MIN_DWELLINGS - 1} "
        f"woningen met een waarde bestaat; een som over projecten als dat deel uit 1 of "
        f"{MIN_PROJECTS - 1} projecten bestaat, of als één project meer dan {DOMINANCE:.0%} ervan is. "
        "Aantallen blijven altijd staan."
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
