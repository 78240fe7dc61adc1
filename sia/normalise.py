"""Normalisation of one criterion column to a common scale.

Every normaliser is a small pydantic model with validated parameters and a ``__call__`` that maps an
*oriented* series (direction already applied: higher = more urgent / more potential) to a normalised
series. ``NORMALISERS`` maps the public name to the class, so the API can list the valid names.

Constant columns carry no information. They never divide by zero: every buurt gets the neutral
middle of the scale (0.5 for ``min_max`` and ``percentiel``, 0.0 for ``z_score``). Missing values
(NaN) stay missing; imputation happens before normalising (see ``sia.scoring``).

``normalise_columns`` normalises a whole matrix in place (the scoring engine's path): the same
numbers as ``apply`` column by column, with the min–max columns done in one vectorised pass.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from sia.registry import build

__all__ = [
    "NORMALISERS",
    "Goalposts",
    "MinMax",
    "Normaliser",
    "PercentileRank",
    "ZScore",
    "average_ranks",
    "make_normaliser",
    "normalise_columns",
]


class Normaliser(BaseModel, metaclass=abc.ABCMeta):
    """Base class: a validated, callable normalisation of one oriented column."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    bounded: ClassVar[bool] = True
    """True when the output always lies in [0, 1]."""

    def __call__(self, series: pd.Series) -> pd.Series:
        """Normalise ``series`` (oriented values); NaN stays NaN."""
        values = series.to_numpy(dtype=float)
        return pd.Series(self.apply(values), index=series.index, name=series.name)

    @abc.abstractmethod
    def apply(self, values: np.ndarray) -> np.ndarray:
        """Normalise a 1-d float array (the fast path used by the scoring engine)."""

    def for_direction(self, sign: int) -> Normaliser:
        """Return the normaliser to use on values multiplied by ``sign`` (+1 or -1).

        Parameter-free normalisers are returned unchanged; ``Goalposts`` mirrors its goalposts,
        which are given in the raw unit of the criterion.
        """
        return self


class MinMax(Normaliser):
    """(x - min) / (max - min) over the buurten being ranked; constant column → 0.5."""

    name: ClassVar[str] = "min_max"
    label: ClassVar[str] = "min–max (0 = laagste, 1 = hoogste buurt)"

    def apply(self, values: np.ndarray) -> np.ndarray:
        if np.isnan(values).all():
            return values.copy()
        lo, hi = np.nanmin(values), np.nanmax(values)
        span = hi - lo
        if not span > 0:
            return np.where(np.isnan(values), np.nan, 0.5)
        return (values - lo) / span


class ZScore(Normaliser):
    """(x - mean) / std (population std, ddof=0); constant column → 0.0. Not bounded."""

    name: ClassVar[str] = "z_score"
    label: ClassVar[str] = "z-score (afwijking van het gemiddelde in standaarddeviaties)"
    bounded: ClassVar[bool] = False

    def apply(self, values: np.ndarray) -> np.ndarray:
        if np.isnan(values).all():
            return values.copy()
        mean = np.nanmean(values)
        std = np.nanstd(values)
        if not std > 0:
            return np.where(np.isnan(values), np.nan, 0.0)
        return (values - mean) / std


class PercentileRank(Normaliser):
    """(average rank - 1) / (n - 1): lowest buurt 0, highest 1, ties share a value.

    A constant column (or a single buurt) gives 0.5 for every buurt.
    """

    name: ClassVar[str] = "percentiel"
    label: ClassVar[str] = "percentielrang (0 = laagste, 1 = hoogste buurt)"

    def apply(self, values: np.ndarray) -> np.ndarray:
        ok = ~np.isnan(values)
        n = int(ok.sum())
        if n == values.size > 1:  # no missing values
            return (average_ranks(values) - 1.0) / (n - 1)
        out = np.full(values.shape, np.nan)
        if n == 1:
            out[ok] = 0.5
        elif n > 1:
            out[ok] = (average_ranks(values[ok]) - 1.0) / (n - 1)
        return out


class Goalposts(Normaliser):
    """Fixed goalposts in the raw unit of the criterion: ``lo`` → 0, ``hi`` → 1, clipped.

    ``lo < hi`` always; the criterion's direction decides which end is urgent: for a
    "lager is urgenter" criterion the raw value ``lo`` scores 1 and ``hi`` scores 0.
    The result does not depend on the other buurten, so scores are comparable across periods.
    """

    name: ClassVar[str] = "doelpalen"
    label: ClassVar[str] = "vaste doelpalen (ondergrens → 0, bovengrens → 1)"
    lo: float = Field(allow_inf_nan=False)
    hi: float = Field(allow_inf_nan=False)

    @model_validator(mode="after")
    def _check_order(self) -> Goalposts:
        if not self.lo < self.hi:
            raise ValueError(f"doelpalen: lo ({self.lo}) must be smaller than hi ({self.hi})")
        return self

    def apply(self, values: np.ndarray) -> np.ndarray:
        return np.clip((values - self.lo) / (self.hi - self.lo), 0.0, 1.0)

    def for_direction(self, sign: int) -> Normaliser:
        if sign >= 0:
            return self
        return Goalposts(lo=-self.hi, hi=-self.lo)


def average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks of a 1-d array without NaN, ties sharing their average rank.

    The numbers of ``pandas.Series.rank(method="average")``: a tie group at sorted positions
    ``start .. end - 1`` gets ``(start + 1 + end) / 2``, exact in floating point.
    """
    n = values.size
    order = np.argsort(values)
    ordered = values[order]
    first = np.empty(n, dtype=bool)  # True where a new tie group starts
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    ranks = np.empty(n)
    if first.all():  # no ties
        ranks[order] = np.arange(1.0, n + 1.0)
        return ranks
    starts = np.flatnonzero(first)
    ends = np.append(starts[1:], n)
    ranks[order] = ((starts + ends + 1) / 2.0)[np.cumsum(first) - 1]
    return ranks


def normalise_columns(
    matrix: np.ndarray, normalisers: Sequence[Normaliser], *, bounds: np.ndarray | None = None
) -> np.ndarray:
    """Normalise column ``j`` of ``matrix`` with ``normalisers[j]``, in place; returns ``matrix``.

    ``matrix`` (buurten × criteria, float, best in column-major order) holds oriented values,
    normally without NaN (imputation comes first). The result equals
    ``normalisers[j].apply(matrix[:, j])`` for every column, bit for bit: the ``MinMax`` columns
    are shifted and scaled in one pass over the whole matrix (the other columns by 0 and 1, which
    leaves them unchanged); the others, and any column holding NaN, column by column.
    ``bounds`` are the column minima (row 0) and maxima (row 1) of ``matrix`` when already known.
    """
    n, k = matrix.shape
    if len(normalisers) != k:
        raise ValueError(f"{len(normalisers)} normalisers for {k} columns")
    minmax = np.array([type(norm) is MinMax for norm in normalisers], dtype=bool)
    if n and minmax.any():
        lo, hi = (matrix.min(axis=0), matrix.max(axis=0)) if bounds is None else bounds
        minmax &= ~np.isnan(lo)  # a column with NaN goes the column-by-column way
        span = hi - lo
        constant = minmax & ~(span > 0)
        shift = minmax & ~constant
        np.subtract(matrix, np.where(shift, lo, 0.0), out=matrix)
        np.divide(matrix, np.where(shift, span, 1.0), out=matrix)
        if constant.any():
            matrix[:, constant] = 0.5
    for i in np.flatnonzero(~minmax).tolist():
        matrix[:, i] = normalisers[i].apply(matrix[:, i])
    return matrix


NORMALISERS: dict[str, type[Normaliser]] = {
    "min_max": MinMax,
    "z_score": ZScore,
    "percentiel": PercentileRank,
    "doelpalen": Goalposts,
}


def make_normaliser(name: str, params: dict[str, Any] | None = None) -> Normaliser:
    """Build a normaliser from its registry name and parameters.

    Raises
    ------
    InvalidInput
        Unknown name (the message lists the valid names) or invalid parameters.
    """
    return build(NORMALISERS, "normalisation", name, params)
