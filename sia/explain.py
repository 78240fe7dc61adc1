"""Explanation: how much each criterion contributes to a buurt's score.

The contribution of criterion j to buurt i is w_j × r_ij (normalised weight within its axis times
the normalised value). For the weighted sum these add up exactly to the axis score, and half of
each (``combine="gemiddelde"``) adds up to the combined score. For TOPSIS the same numbers are
the weighted normalised values the method starts from; they do not add up to the TOPSIS score
(``ScoreResult.additive`` is False).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from sia.errors import NotFound

if TYPE_CHECKING:
    from sia.scoring import ScoreResult

__all__ = ["contributions", "explain_buurt"]


def contributions(normalised: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """w_j × r_ij for every buurt (rows) and criterion (columns)."""
    products = normalised.to_numpy(dtype=float) * weights.reindex(normalised.columns).to_numpy()[None, :]
    return pd.DataFrame(products, index=normalised.index, columns=normalised.columns, copy=False)


def explain_buurt(result: ScoreResult, buurtcode: str) -> pd.DataFrame:
    """One row per criterion for one buurt, sorted by axis and contribution.

    Columns: ``label``, ``as`` (axis), ``eenheid``, ``waarde`` (raw, NaN when imputed),
    ``genormaliseerd``, ``gewicht``, ``bijdrage``, ``aandeel`` (share of the axis score; only
    meaningful for additive methods), ``geimputeerd``.

    Raises
    ------
    NotFound
        The buurt is not in the ranking (unknown, or excluded: the message gives the reason).
    """
    if buurtcode not in result.normalised.index:
        if buurtcode in result.excluded.index:
            reason = result.excluded.loc[buurtcode, "reden"]
            raise NotFound(f"buurt {buurtcode} is not ranked: {reason!s}")
        raise NotFound(f"buurt {buurtcode} is not in the score table")
    crits = result.profile.criteria
    contrib = result.contributions.loc[buurtcode]
    axis_score = result.axis_scores.loc[buurtcode]
    frame = pd.DataFrame(
        {
            "label": [c.label for c in crits],
            "as": [c.axis for c in crits],
            "eenheid": [c.unit for c in crits],
            "waarde": result.raw.loc[buurtcode].to_numpy(),
            "genormaliseerd": result.normalised.loc[buurtcode].to_numpy(),
            "gewicht": result.weights.to_numpy(),
            "bijdrage": contrib.to_numpy(),
            "geimputeerd": result.imputed.loc[buurtcode].to_numpy(),
        },
        index=pd.Index([c.id for c in crits], name="criterium"),
    )
    totals = frame["as"].map(axis_score.to_dict()).astype(float)
    frame["aandeel"] = (frame["bijdrage"] / totals).where(totals != 0)
    return frame.sort_values(["as", "bijdrage"], ascending=[False, False], kind="stable")
