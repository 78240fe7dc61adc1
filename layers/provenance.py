"""What a computation read: the version of the loaded data and the inputs behind a score.

- ``data_version``: changes whenever a loader stores something the indicator table of a gemeente
  and period reads (buurten or Leefbaarometer → ``load_log``; partner deliveries → ``leveringen``;
  rasters → ``raster_leveringen``, including a switch of the active version; the gemeente's
  organisations → ``organisaties``, whose names and weight profiles answers carry). Scoped: a delivery of
  another gemeente, or for a later period than the one asked, does not change the version of a
  period (only the list of periods, which is part of it). Caches of the indicator table and of
  responses compare it; data changed by hand in SQL, outside the loaders, is not noticed.
- ``score_inputs``: the Leefbaarometer edition, the loads of the buurten and Leefbaarometer rows,
  and the partner and raster delivery versions an indicator table (``layers.indicators``) read,
  so that a stored scenario can say what it was computed from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

from layers.codes import period_key

if TYPE_CHECKING:
    from layers.indicators import IndicatorTable

__all__ = ["data_version", "score_inputs"]

_PERIOD_KEY = "(split_part({c}, '-', 1)::int * 2 + (split_part({c}, '-', 2) = 'najaar')::int)"
_VERSION_SQL = text(
    "SELECT (SELECT coalesce(max(id), 0) FROM load_log) AS load_log, "
    "(SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM leveringen WHERE actief "
    " AND (CAST(:gm AS text) IS NULL OR gemeente = :gm) "
    f" AND (CAST(:pk AS int) IS NULL OR {_PERIOD_KEY.format(c='periode')} <= :pk)) AS leveringen, "
    "(SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM raster_leveringen WHERE actief "
    " AND (CAST(:gm AS text) IS NULL OR gemeente = :gm) "
    f" AND (CAST(:pk AS int) IS NULL OR {_PERIOD_KEY.format(c='periode')} <= :pk)) AS raster_leveringen, "
    "(SELECT coalesce(array_agg(DISTINCT periode), '{}') FROM leveringen "
    " WHERE CAST(:gm AS text) IS NULL OR gemeente = :gm) AS perioden, "
    "(SELECT md5(coalesce(string_agg(concat_ws('|', id, naam, soort, actief, profiel), ',' "
    "ORDER BY id), '')) "
    " FROM organisaties WHERE CAST(:gm AS text) IS NULL OR gemeente = :gm) AS organisaties"
)


def data_version(
    conn: Connection, gemeente: str | None = None, periode: str | None = None, *, partners: bool = True
) -> tuple[Any, ...]:
    """A value that differs after every load or version switch that a read of ``gemeente`` (all
    when None) and ``periode`` (its view: deliveries at or before it; every period when None) can
    see (see the module docstring). ``partners=False``: for reads of the buurten and the
    Leefbaarometer only (loads), which no delivery changes."""
    if not partners:
        return (int(conn.execute(text("SELECT coalesce(max(id), 0) FROM load_log")).scalar_one()),)
    key = None
    if periode is not None:
        year, half = period_key(periode)
        key = year * 2 + half
    row = conn.execute(_VERSION_SQL, {"gm": gemeente, "pk": key}).one()
    return (
        int(row.load_log),
        tuple(row.leveringen),
        tuple(row.raster_leveringen),
        tuple(sorted(row.perioden)),
        row.organisaties,  # names, kinds and weight profiles of the gemeente's organisations
    )


def score_inputs(table: IndicatorTable) -> dict[str, Any]:
    """The versioned inputs a score of ``table`` read: ``lbm_editie`` (the chosen edition),
    ``leveringen`` (the partner delivery versions of the period's view, each with its own period:
    a partner carried forward counts with its older delivery), ``rasters`` (the raster delivery
    versions) and ``laadacties`` (the loads of the buurten and Leefbaarometer rows)."""
    return {
        "lbm_editie": table.editie,
        "leveringen": table.deliveries_used(),
        "rasters": table.rasters_used(),
        "laadacties": table.load_ids(),
    }
