"""Agreement 4.1 (prestatieafspraken Enschede) on the sale of rental dwellings.

    "De onderhoudstechnische staat is bij verkoop <4 conform NEN 2767-1 … Daarnaast verkopen de
    corporaties geen woningen met een energielabel F en G. Op het moment dat hier een
    uitzondering op gemaakt wordt, in principe alleen een kluswoning, dan licht de corporatie de
    gemeente hierover in."

A planned sale violates the agreement when its NEN 2767 condition is 4 or worse (4–6) or its
energy label is F or G, unless it is a *kluswoning* that has been reported to the municipality.
An unknown condition or label is not a violation, but the reason says it could not be checked.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

BAD_LABELS = frozenset({"F", "G"})
WORST_ALLOWED_CONDITION = 3


def _flag(value: Any) -> bool:
    """True for True/'ja'; False for anything else (including missing)."""
    if isinstance(value, str):
        return value.strip().lower() == "ja"
    try:
        return bool(value) if not pd.isna(value) else False
    except (TypeError, ValueError):
        return False


def _assess(conditie: Any, label: Any, klus: bool, gemeld: bool) -> tuple[bool, str]:
    grounds = []
    unknown = []
    if pd.isna(conditie):
        unknown.append("conditie")
    elif int(conditie) > WORST_ALLOWED_CONDITION:
        grounds.append(f"conditie {int(conditie)} (NEN 2767) is 4 of slechter")
    if pd.isna(label):
        unknown.append("energielabel")
    elif str(label).strip().upper() in BAD_LABELS:
        grounds.append(f"energielabel {str(label).strip().upper()}")
    if not grounds:
        if unknown:
            return False, f"niet te toetsen: {' en '.join(unknown)} onbekend"
        return False, ""
    why = "; ".join(grounds)
    if klus and gemeld:
        return False, f"uitzondering: kluswoning, gemeld aan de gemeente ({why})"
    missing = []
    if not klus:
        missing.append("geen kluswoning")
    if not gemeld:
        missing.append("niet gemeld aan de gemeente")
    return True, f"strijdig met afspraak 4.1: {why}; {' en '.join(missing)}"


def check_sales(verkoop: pd.DataFrame) -> pd.DataFrame:
    """Check planned sales against agreement 4.1.

    Parameters
    ----------
    verkoop
        Frame with ``conditie``, ``energielabel``, ``kluswoning`` and ``gemeld_aan_gemeente``
        (booleans, or ``ja``/``nee``), such as ``Delivery.verkoop``.

    Returns
    -------
    pandas.DataFrame
        A copy (same class, e.g. GeoDataFrame) with ``overtreding`` (bool) and ``reden``
        (Dutch text; empty when the sale complies without exception).
    """
    needed = ["conditie", "energielabel", "kluswoning", "gemeld_aan_gemeente"]
    missing = [c for c in needed if c not in verkoop.columns]
    if missing:
        raise KeyError(f"verkoop frame lacks columns {missing}")
    results = [
        _assess(c, lab, _flag(k), _flag(g))
        for c, lab, k, g in zip(*(verkoop[c] for c in needed), strict=True)
    ]
    out = verkoop.copy()
    out["overtreding"] = pd.Series([r[0] for r in results], index=verkoop.index, dtype=bool)
    out["reden"] = pd.Series([r[1] for r in results], index=verkoop.index, dtype="string")
    return out
