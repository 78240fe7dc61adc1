"""What a computation read: the version of the loaded data and the inputs behind a score.

- ``data_version``: changes whenever a loader stores something the indicator table reads
  (buurten or Leefbaarometer → ``load_log``; partner deliveries → ``leveringen``; rasters →
  ``raster_leveringen``, including a switch of the active version). Caches of the indicator table
  compare it; data changed by hand in SQL, outside the loaders, is not noticed.
- ``score_inputs``: the Leefbaarometer edition, the loads of the buurten and Leefbaarometer rows,
  and the partner and raster delivery versions a score of one gemeente, year and period reads,
  so that a stored scenario can say what it was computed from.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

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


def score_inputs(conn: Connection, *, gemeente: str, jaar: int, periode: str | None) -> dict[str, Any]:
    """The versioned inputs of a score: ``lbm_editie`` (the newest edition any buurt of the gemeente
    and year reads; the indicator table takes the newest per buurt), ``leveringen`` (active partner
    deliveries of the period: id, partner, versie) and ``rasters`` (active raster deliveries of
    the period: id, indicator, versie)."""
    editie = conn.execute(
        text(
            "SELECT max(l.editie) FROM leefbaarometer l JOIN buurten b ON b.buurtcode = l.buurtcode "
            "WHERE b.gemeentecode = :gm AND b.jaar = :jaar"
        ),
        {"gm": gemeente, "jaar": jaar},
    ).scalar()
    leveringen = (
        conn.execute(
            text(
                "SELECT id, partner, versie FROM leveringen WHERE actief AND periode = :p "
                "ORDER BY partner, id"
            ),
            {"p": periode},
        )
        .mappings()
        .all()
    )
    rasters = (
        conn.execute(
            text(
                "SELECT id, indicator, versie FROM raster_leveringen WHERE actief AND periode = :p "
                "AND gemeente = :gm ORDER BY indicator, id"
            ),
            {"p": periode, "gm": gemeente},
        )
        .mappings()
        .all()
    )
    # the loads the buurten and Leefbaarometer rows come from: a corrected file of the same
    # year or edition is a new load, so a re-run can say that the data changed
    loads = conn.execute(
        text(
            "SELECT (SELECT coalesce(array_agg(DISTINCT b.load_id), '{}') FROM buurten b "
            "        WHERE b.gemeentecode = :gm AND b.jaar = :jaar) AS buurten, "
            "(SELECT coalesce(array_agg(DISTINCT l.load_id), '{}') FROM leefbaarometer l "
            "        JOIN buurten b ON b.buurtcode = l.buurtcode "
            "        WHERE b.gemeentecode = :gm AND b.jaar = :jaar) AS lbm"
        ),
        {"gm": gemeente, "jaar": jaar},
    ).one()
    return {
        "lbm_editie": None if editie is None else int(editie),
        "leveringen": [dict(r) for r in leveringen],
        "rasters": [dict(r) for r in rasters],
        "laadacties": {
            "buurten": sorted(int(i) for i in loads.buurten if i is not None),
            "leefbaarometer": sorted(int(i) for i in loads.lbm if i is not None),
        },
    }
