"""Aggregation: from normalised criteria to axis scores, a combined score, ranks and quadrants.

Methods are small pydantic models in the ``METHODS`` registry (name → class). Each maps a
normalised matrix (buurten × criteria of one axis, higher = more) and that axis' weights (sum 1)
to one score per buurt, and has a vectorised ``batch`` over many weight vectors (Monte Carlo).

- ``gewogen_som`` (weighted sum): Σ w_j r_ij. Additive, so each criterion's contribution
  w_j r_ij adds up exactly to the axis score (see ``sia.explain``).
- ``topsis``: closeness to the ideal, D⁻ / (D⁺ + D⁻) on the weighted normalised matrix, with the
  ideal / anti-ideal the best / worst buurt per criterion (Hwang & Yoon 1981). When all buurten
  are identical on an axis (D⁺ + D⁻ = 0) every buurt gets 0.5. Use it with a bounded normaliser
  (min_max, percentiel, doelpalen): on z-scores TOPSIS is not monotone (raising a buurt's value
  can lower its score, because an outlier compresses the z-scale).

Combined score (``combine``): ``"gemiddelde"`` (default) = (urgentie + potentie) / 2, which keeps
the explanation additive and works with every normaliser; ``"product"`` = urgentie × potentie,
which punishes a low value on either axis harder (needs non-negative axis scores, so not with
``z_score``). The "high AND high" requirement of a DIA candidate is expressed by the quadrant.

Quadrants: an axis is "high" when its score is >= the threshold; the default threshold is the
median of the ranked buurten (so each axis splits the city in two halves), or a fixed number.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from sia.errors import InvalidInput
from sia.registry import build

__all__ = [
    "COMBINE",
    "METHODS",
    "QUADRANT_LABELS",
    "AggregationMethod",
    "Topsis",
    "WeightedSum",
    "combine_axes",
    "descending_min_ranks",
    "make_method",
    "quadrant_codes",
    "quadrants",
    "rank_descending",
]

QUADRANT_LABELS: dict[str, str] = {
    "kandidaat": "DIA-kandidaat: hoge urgentie en hoge potentie",
    "urgent": "Urgent: hoge urgentie, lage potentie",
    "kansrijk": "Kansrijk: lage urgentie, hoge potentie",
    "laag": "Laag: lage urgentie en lage potentie",
}
"""Quadrant code → Dutch explanation for legends."""

COMBINE: dict[str, str] = {
    "gemiddelde": "gemiddelde van urgentie en potentie",
    "product": "product van urgentie en potentie",
}

_CHUNK_CELLS = 20_000_000  # floats per block in TOPSIS batches (~160 MB)


class AggregationMethod(BaseModel, metaclass=abc.ABCMeta):
    """Base class: validated parameters plus a vectorised scoring function for one axis."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    additive: ClassVar[bool] = False
    """True when the score is the sum of the criterion contributions w_j r_ij."""

    def __call__(self, matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Score each row of ``matrix`` (n × k) with ``weights`` (k,); returns (n,)."""
        return self.batch(matrix, weights[None, :])[0]

    @abc.abstractmethod
    def batch(self, matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Score with many weight vectors at once: ``weights`` (d × k) → scores (d × n)."""


class WeightedSum(AggregationMethod):
    """Weighted sum Σ_j w_j r_ij."""

    name: ClassVar[str] = "gewogen_som"
    label: ClassVar[str] = "gewogen som"
    additive: ClassVar[bool] = True

    def batch(self, matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
        return weights @ matrix.T


class Topsis(AggregationMethod):
    """TOPSIS closeness coefficient on the weighted normalised matrix."""

    name: ClassVar[str] = "topsis"
    label: ClassVar[str] = "TOPSIS (afstand tot ideaal)"
    tie_value: float = Field(default=0.5, ge=0.0, le=1.0)

    def batch(self, matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
        n, k = matrix.shape
        d = weights.shape[0]
        out = np.empty((d, n))
        step = max(1, _CHUNK_CELLS // max(1, n * k))
        for start in range(0, d, step):  # blocks of draws, not a loop per draw
            w = weights[start : start + step]
            v = matrix[None, :, :] * w[:, None, :]  # (c, n, k)
            pis = v.max(axis=1, keepdims=True)
            nis = v.min(axis=1, keepdims=True)
            d_plus = np.sqrt(((v - pis) ** 2).sum(axis=2))
            d_minus = np.sqrt(((v - nis) ** 2).sum(axis=2))
            total = d_plus + d_minus
            with np.errstate(invalid="ignore", divide="ignore"):
                c = np.where(total > 0, d_minus / total, self.tie_value)
            out[start : start + step] = c
        return out


METHODS: dict[str, type[AggregationMethod]] = {
    "gewogen_som": WeightedSum,
    "topsis": Topsis,
}


def make_method(name: str, params: Mapping[str, Any] | None = None) -> AggregationMethod:
    """Build an aggregation method from its registry name and parameters.

    Raises
    ------
    InvalidInput
        Unknown name (the message lists the valid names) or invalid parameters.
    """
    return build(METHODS, "method", name, params, listing="methods")


def combine_axes(urgentie: np.ndarray, potentie: np.ndarray, *, how: str) -> np.ndarray:
    """Combined score from the two axis scores (arrays of equal shape)."""
    if how == "gemiddelde":
        return (urgentie + potentie) / 2.0
    if how == "product":
        if (urgentie < 0).any() or (potentie < 0).any():
            raise InvalidInput(
                "combine 'product' needs non-negative axis scores (not possible with z_score); "
                "use combine 'gemiddelde'"
            )
        return urgentie * potentie
    raise InvalidInput(f"unknown combine {how!r}; valid: {', '.join(COMBINE)}")


def descending_min_ranks(values: np.ndarray) -> np.ndarray:
    """Rank 1 = highest value of a 1-d array without NaN; ties share the best rank.

    The numbers of ``pandas.Series.rank(ascending=False, method="min")``, as int64.
    """
    n = values.size
    order = np.argsort(values)
    ordered = values[order]
    first = np.empty(n, dtype=bool)  # True where a new tie group starts (ascending)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    ranks = np.empty(n, dtype=np.int64)
    if first.all():  # no ties
        ranks[order] = np.arange(n, 0, -1)
        return ranks
    ends = np.append(np.flatnonzero(first)[1:], n)  # one past each group's last position
    ranks[order] = (n + 1 - ends)[np.cumsum(first) - 1]  # 1 + number of strictly higher values
    return ranks


def rank_descending(scores: pd.Series) -> pd.Series:
    """Rank 1 = highest score; ties share the best rank (``method="min"``); NaN stays unranked."""
    values = scores.to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(values).any():
        return scores.rank(ascending=False, method="min").astype("Int64").rename("rang")
    ranks = pd.arrays.IntegerArray(descending_min_ranks(values), np.zeros(values.size, dtype=bool))
    return pd.Series(ranks, index=scores.index, name="rang", copy=False)


def quadrants(
    axis_scores: pd.DataFrame,
    *,
    urgentie: float | str = "mediaan",
    potentie: float | str = "mediaan",
) -> tuple[pd.Series, dict[str, float]]:
    """Quadrant per buurt and the numeric thresholds used.

    An axis is high when its score >= threshold; ``"mediaan"`` uses the median of the buurten.
    """
    return quadrant_codes(
        axis_scores["urgentie"].to_numpy(dtype=float, na_value=np.nan),
        axis_scores["potentie"].to_numpy(dtype=float, na_value=np.nan),
        axis_scores.index,
        urgentie=urgentie,
        potentie=potentie,
    )


_QUADRANTS = pd.CategoricalDtype(list(QUADRANT_LABELS))


def quadrant_codes(
    urgentie_scores: np.ndarray,
    potentie_scores: np.ndarray,
    index: pd.Index,
    *,
    urgentie: float | str = "mediaan",
    potentie: float | str = "mediaan",
) -> tuple[pd.Series, dict[str, float]]:
    """``quadrants`` on the two axis score arrays (the scoring engine's path)."""
    limits: dict[str, float] = {}
    scores = {"urgentie": urgentie_scores, "potentie": potentie_scores}
    for axis, spec in (("urgentie", urgentie), ("potentie", potentie)):
        if isinstance(spec, str):
            if spec != "mediaan":
                raise InvalidInput(f"threshold for {axis} must be a number or 'mediaan'")
            values = scores[axis]
            missing = np.isnan(values)
            if missing.any():  # like pandas: the median of the values present, NaN when none
                values = values[~missing]
            limits[axis] = float(np.median(values)) if values.size else float("nan")
        else:
            limits[axis] = float(spec)
    high_u = urgentie_scores >= limits["urgentie"]
    high_p = potentie_scores >= limits["potentie"]
    # category codes in QUADRANT_LABELS order: kandidaat 0, urgent 1, kansrijk 2, laag 3
    codes = 3 - 2 * high_u.view(np.int8) - high_p.view(np.int8)
    quadrant = pd.Categorical.from_codes(codes, dtype=_QUADRANTS)
    return pd.Series(quadrant, index=index, name="kwadrant", copy=False), limits
