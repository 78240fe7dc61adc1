"""What a computation read: the version of the loaded data and the inputs behind a score.

- ``data_version``: changes whenever a loader stores something the indicator table reads
  (buurten or Leefbaarometer → ``load_log``; partner deliveries → ``leveringen``; rasters →
  ``raster_leveringen``, including a switch of the active version). Caches of the indicator table
  compare it; data changed by hand in SQL, outside the loaders, is not noticed.
- ``score_inputs``: the Leefbaarometer edition, the loads of the buurten and Leefbaarometer rows,
  and the partner and raster delivery versions an indicator table (``layers.indicators``) read,
  so that a stored scenario can say what it was computed from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

if TYPE_CHECKING:
    from layers.indicators import IndicatorTable

__all__ = ["data_version", "score_inputs"]

_VERSION_SQL = text(
    "SELECT (SELECT coalesce(max(id), 0) FROM load_log) AS load_log, "
    "(SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM leveringen WHERE actief) AS leveringen, "
    "(SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM raster_leveringen WHERE actief) "
    "AS raster_leveringen"
)


def data_version(conn: Connection) -> tuple[Any, ...]:
    """A value that differs after every load or version switch (see the module docstring)."""
    row = conn.execute(_VERSION_SQL).one()
    return (int(row.load_log), tuple(row.leveringen), tuple(row.raster_leveringen))


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
