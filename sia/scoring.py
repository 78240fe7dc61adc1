"""The scoring entry point: ``score(table, profile) -> ScoreResult``.

Steps, in order: validate the table → exclude buurten with a missing value in a criterion whose
policy is ``"uitsluiten"`` → impute the other missing values (flagged) → orient (multiply by the
criterion's sign) → normalise → weigh per axis → aggregate (method) → combine → rank → quadrant.
Normalisation, imputation and the median thresholds use only the buurten being ranked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sia.aggregate import AggregationMethod, combine_axes, make_method, quadrants, rank_descending
from sia.criteria import Profile
from sia.errors import InvalidInput
from sia.explain import contributions as _contributions
from sia.weights import profile_weights

__all__ = ["Prepared", "ScoreResult", "prepare", "score"]


@dataclass(frozen=True)
class Prepared:
    """The normalised criteria of the buurten being ranked (weights not yet applied)."""

    profile: Profile
    raw: pd.DataFrame
    """Raw criterion values of the ranked buurten, before imputation (NaN = missing)."""
    normalised: pd.DataFrame
    """Oriented, imputed and normalised values: higher = more urgent / more potential."""
    imputed: pd.DataFrame
    """True where a missing value was imputed (policy ``mediaan`` or ``slechtste``)."""
    excluded: pd.DataFrame
    """Buurten left out of the ranking, column ``reden`` (Dutch)."""


@dataclass(frozen=True)
class ScoreResult(Prepared):
    """Everything a score produces; all frames are indexed by buurtcode (ranked buurten only)."""

    method: AggregationMethod
    combine: str
    weights: pd.Series
    """Weight per criterion, normalised to sum 1 per axis."""
    contributions: pd.DataFrame
    """w_j × r_ij; per axis these add up to ``axis_scores`` exactly when ``additive``."""
    axis_scores: pd.DataFrame
    """Columns ``urgentie`` and ``potentie``."""
    combined: pd.Series
    rank: pd.Series
    """1 = highest combined score; ties share the best rank."""
    quadrant: pd.Series
    """``kandidaat`` / ``urgent`` / ``kansrijk`` / ``laag``."""
    thresholds: dict[str, float]
    """Numeric quadrant threshold per axis."""

    @property
    def additive(self) -> bool:
        """True when contributions add up to the axis scores (weighted sum)."""
        return self.method.additive

    def axes(self) -> dict[str, str]:
        """Criterion id → axis."""
        return {c.id: c.axis for c in self.profile.criteria}

    def to_frame(self) -> pd.DataFrame:
        """One row per buurt (ranked and excluded): scores, rank, quadrant, exclusion reason."""
        ranked = self.axis_scores.assign(gecombineerd=self.combined, rang=self.rank, kwadrant=self.quadrant)
        out = pd.concat([ranked, self.excluded.reindex(columns=["reden"])], axis=0)
        out["rang"] = out["rang"].astype("Int64")
        return out.sort_values(["rang"], na_position="last", kind="stable")

    def top(self, n: int | None = None) -> pd.DataFrame:
        """The ``n`` highest-ranked buurten (default: the profile's ``top_n``)."""
        frame = self.to_frame()
        return frame[frame["rang"] <= (n or self.profile.top_n)]


def _check_table(table: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
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
    out = {}
    for c in ids:
        col = table[c]
        if not (pd.api.types.is_numeric_dtype(col) or col.isna().all()) or (pd.api.types.is_bool_dtype(col)):
            raise InvalidInput(f"criterion column {c!r} must be numeric, got dtype {col.dtype}")
        values = col.to_numpy(dtype=float, na_value=np.nan)
        if np.isinf(values).any():
            raise InvalidInput(f"criterion column {c!r} contains infinite values")
        out[c] = values
    return pd.DataFrame(out, index=table.index)


def prepare(table: pd.DataFrame, profile: Profile) -> Prepared:
    """Validate, exclude, impute, orient and normalise; see the module docstring."""
    ids = profile.ids()
    raw_all = _check_table(table, ids)
    values = raw_all.to_numpy()
    isna = np.isnan(values)

    policies = np.array([c.missing for c in profile.criteria])
    drop_cols = policies == "uitsluiten"
    drop_rows = (isna & drop_cols[None, :]).any(axis=1)
    reasons = [
        "ontbrekende waarde voor " + ", ".join(np.array(ids)[isna[i] & drop_cols])
        for i in np.flatnonzero(drop_rows)
    ]
    excluded = pd.DataFrame({"reden": reasons}, index=raw_all.index[drop_rows])
    if drop_rows.all():
        raise InvalidInput(
            "no buurten left to rank: every buurt has a missing value in a criterion with policy 'uitsluiten'"
        )
    keep = ~drop_rows
    raw = raw_all[keep]
    oriented = values[keep] * np.array([c.sign for c in profile.criteria], dtype=float)
    imputed = np.isnan(oriented)
    normalised = np.empty_like(oriented)
    for j, crit in enumerate(profile.criteria):
        col = oriented[:, j]
        if imputed[:, j].any():
            if imputed[:, j].all():
                raise InvalidInput(
                    f"criterion {crit.id!r} has no values for any buurt being ranked; nothing to impute from"
                )
            if crit.missing == "mediaan":
                fill = np.nanmedian(col)
            elif crit.axis == "urgentie":  # slechtste: most urgent observed value
                fill = np.nanmax(col)
            else:  # slechtste: least potential observed value
                fill = np.nanmin(col)
            col = np.where(imputed[:, j], fill, col)
        normalised[:, j] = crit.normaliser().apply(col)
    return Prepared(
        profile=profile,
        raw=raw,
        normalised=pd.DataFrame(normalised, index=raw.index, columns=ids),
        imputed=pd.DataFrame(imputed, index=raw.index, columns=ids),
        excluded=excluded,
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
    contrib = _contributions(prep.normalised, w)
    axes = {c.id: c.axis for c in profile.criteria}
    scores = {}
    for axis in ("urgentie", "potentie"):
        cols = [k for k, a in axes.items() if a == axis]
        if agg.additive:
            scores[axis] = contrib[cols].sum(axis=1).to_numpy()
        else:
            scores[axis] = agg(prep.normalised[cols].to_numpy(), w[cols].to_numpy())
    axis_scores = pd.DataFrame(scores, index=prep.normalised.index)
    combined = pd.Series(
        combine_axes(scores["urgentie"], scores["potentie"], how=how),
        index=axis_scores.index,
        name="gecombineerd",
    )
    quadrant, limits = quadrants(
        axis_scores, urgentie=profile.thresholds.urgentie, potentie=profile.thresholds.potentie
    )
    return ScoreResult(
        profile=profile,
        raw=prep.raw,
        normalised=prep.normalised,
        imputed=prep.imputed,
        excluded=prep.excluded,
        method=agg,
        combine=how,
        weights=w,
        contributions=contrib,
        axis_scores=axis_scores,
        combined=combined,
        rank=rank_descending(combined),
        quadrant=quadrant,
        thresholds=limits,
    )
