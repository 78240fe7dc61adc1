"""The scoring entry point: ``score(table, profile) -> ScoreResult``.

Steps, in order: validate the table → exclude buurten with a missing value in a criterion whose
policy is ``"uitsluiten"`` → impute the other missing values (flagged) → orient (multiply by the
criterion's sign) → normalise → weigh per axis → aggregate (method) → combine → rank → quadrant.
Normalisation, imputation and the median thresholds use only the buurten being ranked.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sia.aggregate import AggregationMethod, combine_axes, make_method, quadrant_codes, rank_descending
from sia.criteria import Profile
from sia.errors import InvalidInput
from sia.explain import contributions as _contributions
from sia.normalise import normalise_columns
from sia.weights import profile_weights

__all__ = ["Prepared", "ScoreResult", "prepare", "score"]


@dataclass(frozen=True)
class Prepared:
    """The normalised criteria of the buurten being ranked (weights not yet applied).

    ``raw`` and ``excluded`` are built on first use (then kept) from what ``prepare`` kept: the
    criterion columns as given (a copy-on-write view) and the reasons for leaving buurten out.
    """

    profile: Profile
    normalised: pd.DataFrame
    """Oriented, imputed and normalised values: higher = more urgent / more potential."""
    imputed: pd.DataFrame
    """True where a missing value was imputed (policy ``mediaan`` or ``slechtste``)."""
    _source: pd.DataFrame = field(repr=False)
    """Every buurt of the table with (at least) the criterion columns, as floats (NaN = missing);
    a shallow copy-on-write copy of the caller's table, so later changes to it do not show."""
    _left_out: np.ndarray | None = field(repr=False)
    """True for the rows of ``_source`` left out of the ranking; None when none were."""
    _reasons: tuple[str, ...] = field(repr=False)
    """Why, per row left out (Dutch)."""

    @functools.cached_property
    def raw(self) -> pd.DataFrame:
        """Raw criterion values of the ranked buurten, before imputation (NaN = missing)."""
        columns = self.normalised.columns
        raw = self._source[list(columns)].set_axis(columns, axis=1)
        return raw if self._left_out is None else raw[~self._left_out]

    @functools.cached_property
    def excluded(self) -> pd.DataFrame:
        """Buurten left out of the ranking, column ``reden`` (Dutch)."""
        index = self._source.index
        dropped = index[:0] if self._left_out is None else index[self._left_out]
        return pd.DataFrame({"reden": list(self._reasons)}, index=dropped)


@dataclass(frozen=True)
class ScoreResult(Prepared):
    """Everything a score produces; all frames are indexed by buurtcode (ranked buurten only)."""

    method: AggregationMethod
    combine: str
    weights: pd.Series
    """Weight per criterion, normalised to sum 1 per axis."""
    axis_scores: pd.DataFrame
    """Columns ``urgentie`` and ``potentie``."""
    combined: pd.Series
    rank: pd.Series
    """1 = highest combined score; ties share the best rank."""
    quadrant: pd.Series
    """``kandidaat`` / ``urgent`` / ``kansrijk`` / ``laag``."""
    thresholds: dict[str, float]
    """Numeric quadrant threshold per axis."""

    @functools.cached_property
    def contributions(self) -> pd.DataFrame:
        """w_j × r_ij; per axis these add up to ``axis_scores`` exactly when ``additive``.

        Built on first use (a matrix as large as ``normalised``), then kept.
        """
        return _contributions(self.normalised, self.weights)

    @property
    def additive(self) -> bool:
        """True when contributions add up to the axis scores (weighted sum)."""
        return self.method.additive

    def axes(self) -> dict[str, str]:
        """Criterion id → axis."""
        return {c.id: c.axis for c in self.profile.criteria}

    def to_frame(self) -> pd.DataFrame:
        """One row per buurt (ranked and excluded): scores, rank, quadrant, exclusion reason.

        In rank order (ties in table order), the excluded buurten last.
        """
        ranked = self.axis_scores.assign(gecombineerd=self.combined, rang=self.rank, kwadrant=self.quadrant)
        if len(self.excluded):
            out = pd.concat([ranked, self.excluded.reindex(columns=["reden"])], axis=0)
            out["rang"] = out["rang"].astype("Int64")
        else:  # what the concatenation with no rows gives, without its cost
            out = ranked.assign(reden=np.nan)
        # a stable sort by rank, unranked last (as sort_values(kind="stable", na_position="last"));
        # ranks are small integers, so a 16-bit key sorts in linear time
        rank = out["rang"].to_numpy(dtype=np.int64, na_value=len(out) + 1)
        key = rank.astype(np.uint16) if len(out) < np.iinfo(np.uint16).max else rank
        return out.take(np.argsort(key, kind="stable"))

    def top(self, n: int | None = None) -> pd.DataFrame:
        """The ``n`` highest-ranked buurten (default: the profile's ``top_n``)."""
        frame = self.to_frame()
        return frame[frame["rang"] <= (n or self.profile.top_n)]


_FLOAT64 = np.dtype(np.float64)
_AXES = ("urgentie", "potentie")


@functools.lru_cache(maxsize=64)
def _column_index(ids: tuple[str, ...]) -> pd.Index:
    """The criterion ids as a column index (immutable, so shared between results)."""
    return pd.Index(ids)


def _check_column(table: pd.DataFrame, c: str) -> np.ndarray:
    """One criterion column as floats (NaN = missing); non-numeric and infinite values refused."""
    col = table[c]
    if not (pd.api.types.is_numeric_dtype(col) or col.isna().all()) or (pd.api.types.is_bool_dtype(col)):
        raise InvalidInput(f"criterion column {c!r} must be numeric, got dtype {col.dtype}")
    values = col.to_numpy(dtype=float, na_value=np.nan)
    if np.isinf(values).any():
        raise InvalidInput(f"criterion column {c!r} contains infinite values")
    return values


def _check_table(
    table: pd.DataFrame, ids: list[str], signs: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray | None]:
    """Validate the criterion columns. Returns a frame holding them as floats (the table itself,
    as a shallow copy-on-write copy, when they are float already), a new column-major matrix of
    the oriented values (raw × sign; NaN = missing), and, when no value is missing, the column
    minima and maxima of that matrix (else None)."""
    if not isinstance(table, pd.DataFrame):
        raise InvalidInput(f"the indicator table must be a pandas DataFrame, got {type(table)}")
    missing = [c for c in ids if c not in table.columns]
    if missing:
        raise InvalidInput(
            f"criteria missing from the indicator table: {', '.join(missing)}; "
            f"available columns: {', '.join(map(str, table.columns)) or '(none)'}"
        )
    if len(table) == 0:
        raise InvalidInput("the indicator table has no rows (buurten)")
    if not table.index.is_unique:
        dupes = table.index[table.index.duplicated()].unique()[:5]
        raise InvalidInput(f"duplicate buurtcodes in the table index: {', '.join(map(str, dupes))}")
    if not table.columns.is_unique:
        twice = [c for c in ids if isinstance(table[c], pd.DataFrame)]
        if twice:
            raise InvalidInput(f"criterion columns occur more than once in the table: {', '.join(twice)}")
    columns = _column_index(tuple(ids))
    oriented = np.empty((len(table), len(ids)), order="F")
    arrays = []
    for c in ids:  # column by column: no interleaved copy of the table
        col = table[c]
        if col.dtype != _FLOAT64:
            break
        arrays.append(col.to_numpy())
    else:  # the common case: every criterion column is float already, no conversion
        for j, values in enumerate(arrays):
            np.multiply(values, signs[j], out=oriented[:, j])
        bounds = _bounds(oriented)
        complete = bool(np.isfinite(bounds).all())  # min and max are NaN when a value is
        if not complete:
            for j, c in enumerate(ids):
                if np.isinf(oriented[:, j]).any():
                    raise InvalidInput(f"criterion column {c!r} contains infinite values")
        return table.copy(deep=False), oriented, bounds if complete else None  # copy-on-write
    values = np.empty((len(table), len(ids)), order="F")
    for j, c in enumerate(ids):
        values[:, j] = _check_column(table, c)
    np.multiply(values, signs, out=oriented)
    bounds = _bounds(oriented)
    complete = bool(np.isfinite(bounds).all())
    frame = pd.DataFrame(values, index=table.index, columns=columns, copy=False)
    return frame, oriented, bounds if complete else None


def _bounds(matrix: np.ndarray) -> np.ndarray:
    """Column minima (row 0) and maxima (row 1); NaN where a column holds NaN."""
    return np.vstack([matrix.min(axis=0), matrix.max(axis=0)])


def prepare(table: pd.DataFrame, profile: Profile) -> Prepared:
    """Validate, exclude, impute, orient and normalise; see the module docstring."""
    ids = profile.ids()
    criteria = profile.criteria
    signs = np.array([c.sign for c in criteria], dtype=float)
    source, normalised, bounds = _check_table(table, ids, signs)  # oriented; normalised below
    index = source.index
    left_out = None
    reasons: list[str] = []
    if bounds is not None:  # no missing values
        imputed = np.zeros(normalised.shape, dtype=bool, order="F")
    else:
        isna = np.isnan(normalised)
        drop_cols = np.array([c.missing == "uitsluiten" for c in criteria], dtype=bool)
        drop_rows = (isna & drop_cols[None, :]).any(axis=1)
        # the reason a user reads names the criteria by their labels ("; ": labels hold commas)
        labels = np.array([c.label for c in criteria], dtype=object)
        reasons = [
            "ontbrekende waarde voor " + "; ".join(labels[isna[i] & drop_cols])
            for i in np.flatnonzero(drop_rows)
        ]
        if drop_rows.all():
            raise InvalidInput(
                "no buurten left to rank: every buurt has a missing value in a criterion with policy "
                "'uitsluiten'"
            )
        if drop_rows.any():
            left_out = drop_rows
            keep = ~drop_rows
            index = index[keep]
            normalised = np.asfortranarray(normalised[keep])
            isna = isna[keep]
        imputed = isna
        for j in np.flatnonzero(imputed.any(axis=0)):
            crit = criteria[j]
            col = normalised[:, j]
            flags = imputed[:, j]
            if flags.all():
                raise InvalidInput(
                    f"criterion {crit.id!r} has no values for any buurt being ranked; nothing to impute from"
                )
            if crit.missing == "mediaan":
                fill = np.nanmedian(col)
            elif crit.axis == "urgentie":  # slechtste: most urgent observed value
                fill = np.nanmax(col)
            else:  # slechtste: least potential observed value
                fill = np.nanmin(col)
            col[flags] = fill
    normalise_columns(normalised, [c.normaliser() for c in criteria], bounds=bounds)
    columns = _column_index(tuple(ids))
    return Prepared(
        profile=profile,
        normalised=pd.DataFrame(normalised, index=index, columns=columns, copy=False),
        imputed=pd.DataFrame(imputed, index=index, columns=columns, copy=False),
        _source=source,
        _left_out=left_out,
        _reasons=tuple(reasons),
    )


def score(
    table: pd.DataFrame | Prepared,
    profile: Profile,
    *,
    method: str | None = None,
    method_params: Mapping[str, Any] | None = None,
    weights: Mapping[str, float] | None = None,
    combine: str | None = None,
) -> ScoreResult:
    """Score every buurt of ``table`` with ``profile``.

    Parameters
    ----------
    table
        One row per buurt (index = buurtcode), one numeric column per criterion id. Extra
        columns are ignored. A ``Prepared`` from ``prepare`` is accepted to skip the
        normalisation (e.g. when only weights change).
    profile
        Criteria, weights, method, thresholds.
    method, method_params
        Override the profile's aggregation method (a name in ``sia.aggregate.METHODS``).
    weights
        Override raw weights per criterion id (e.g. slider values or a partner profile).
    combine
        Override the profile's combination of the two axes (``gemiddelde`` / ``product``).

    Raises
    ------
    InvalidInput
        Missing columns, non-numeric data, bad weights, unknown method or combine.
    """
    if isinstance(table, Prepared):
        fields = ("id", "axis", "direction", "normalisation", "missing")
        if [c.model_dump(include=set(fields)) for c in table.profile.criteria] != [
            c.model_dump(include=set(fields)) for c in profile.criteria
        ]:
            raise InvalidInput("the prepared table was normalised with different criteria")
        prep = table
    else:
        prep = prepare(table, profile)
    agg = make_method(method or profile.method, method_params or profile.method_params)
    w = profile_weights(profile, overrides=weights)
    how = combine or profile.combine
    matrix = prep.normalised.to_numpy()  # the prepared matrix itself, no copy
    wv = w.to_numpy()
    axis_of = [c.axis for c in profile.criteria]
    index = prep.normalised.index
    both = np.empty((len(index), 2), order="F")  # the urgentie and potentie scores
    for k, axis in enumerate(_AXES):
        cols = [j for j, a in enumerate(axis_of) if a == axis]
        total = both[:, k]
        if not cols:  # a profile on one axis (sia.run.score_profile marks the other unknown)
            total[:] = 0.0
        elif agg.additive:
            # Σ_j w_j r_ij, added column by column in profile order: exactly the sum of the
            # contributions (ScoreResult.contributions) across the axis
            np.multiply(matrix[:, cols[0]], wv[cols[0]], out=total)
            term = np.empty(len(index))
            for j in cols[1:]:
                np.add(total, np.multiply(matrix[:, j], wv[j], out=term), out=total)
        else:  # column-major like the prepared matrix: TOPSIS sums its distances in that order
            total[:] = agg(np.asfortranarray(matrix[:, cols]), wv[cols])
    urgentie, potentie = both[:, 0], both[:, 1]
    axis_scores = pd.DataFrame(both, index=index, columns=_column_index(_AXES), copy=False)
    combined = pd.Series(
        combine_axes(urgentie, potentie, how=how), index=index, name="gecombineerd", copy=False
    )
    quadrant, limits = quadrant_codes(
        urgentie,
        potentie,
        index,
        urgentie=profile.thresholds.urgentie,
        potentie=profile.thresholds.potentie,
    )
    return ScoreResult(
        profile=profile,
        normalised=prep.normalised,
        imputed=prep.imputed,
        _source=prep._source,
        _left_out=prep._left_out,
        _reasons=prep._reasons,
        method=agg,
        combine=how,
        weights=w,
        axis_scores=axis_scores,
        combined=combined,
        rank=rank_descending(combined),
        quadrant=quadrant,
        thresholds=limits,
    )
