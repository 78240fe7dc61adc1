"""Robustness: how much do the ranks depend on the weights, the method and the partner?

- ``monte_carlo``: weights drawn from a Dirichlet distribution around the chosen weights (per
  axis, mean = the chosen weights, ``concentration`` = how tight; larger = closer). For each buurt:
  the probability of being in the top N and its 5–95 % rank interval. All draws are scored at
  once as a (draws × buurten) matrix. Ranks within a draw are ordinal (exact ties in any
  order).
- ``one_at_a_time``: each weight ×(1 ± delta) in turn (then renormalised per axis); the change in
  rank per buurt (positive = the buurt drops in the ranking).
- ``partner_divergence``: the rank of each buurt under each partner profile and their spread.
- ``compare_methods``: Kendall's tau (tau-b) between the combined scores of methods.
- ``compare_rankings``: two stored rankings side by side (e.g. two scenarios): rank and score
  change per buurt and Kendall's tau between the rankings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import kendalltau

from sia.aggregate import AggregationMethod, combine_axes, make_method
from sia.errors import InvalidInput
from sia.scoring import ScoreResult
from sia.weights import normalise_weights

__all__ = [
    "MonteCarloResult",
    "PartnerDivergence",
    "RankingComparison",
    "compare_methods",
    "compare_rankings",
    "kendall_tau",
    "monte_carlo",
    "one_at_a_time",
    "partner_divergence",
]


@dataclass(frozen=True)
class MonteCarloResult:
    """Per buurt: ``p_top`` and rank quantiles (columns ``rang``, ``p_top``, ``rang_p05``,
    ``rang_mediaan``, ``rang_p95``); ``draws`` are the sampled weights (draws × criteria)."""

    table: pd.DataFrame
    draws: pd.DataFrame
    top_n: int
    concentration: float
    seed: int | None


@dataclass(frozen=True)
class PartnerDivergence:
    """``ranks``: rank per buurt (rows) per partner (columns); ``summary``: ``rang_min``,
    ``rang_max``, ``bereik`` (max - min) and ``std`` of the ranks across partners."""

    ranks: pd.DataFrame
    summary: pd.DataFrame


def _combined_batch(
    result: ScoreResult, weights: np.ndarray, *, method: AggregationMethod | None = None
) -> np.ndarray:
    """Combined scores (draws × buurten) for weight vectors ``weights`` (draws × criteria)."""
    agg = method or result.method
    matrix = result.normalised.to_numpy()
    axes = np.array(list(result.axes().values()))
    parts = {}
    for axis in ("urgentie", "potentie"):
        cols = np.flatnonzero(axes == axis)
        parts[axis] = agg.batch(matrix[:, cols], weights[:, cols])
    return combine_axes(parts["urgentie"], parts["potentie"], how=result.combine)


def _ordinal_ranks(scores: np.ndarray) -> np.ndarray:
    """Rank 1 = highest within each row of ``scores`` (draws × buurten); ties in any order."""
    d, n = scores.shape
    order = np.argsort(scores, axis=1)  # ascending: position n-1 is rank 1
    ranks = np.empty(scores.shape, dtype=np.int32)
    descending = np.arange(n, 0, -1, dtype=np.int32)[None, :]
    np.put_along_axis(ranks, order, np.broadcast_to(descending, (d, n)), axis=1)
    return ranks


def _quantiles(values: np.ndarray, qs: Sequence[float]) -> list[np.ndarray]:
    """Linear-interpolated quantiles per column of ``values`` (draws × buurten)."""
    ordered = np.sort(values.T, axis=1)  # contiguous per buurt
    pos = np.asarray(qs) * (ordered.shape[1] - 1)
    lo, hi = np.floor(pos).astype(int), np.ceil(pos).astype(int)
    frac = pos - lo
    return [ordered[:, a] * (1 - f) + ordered[:, b] * f for a, b, f in zip(lo, hi, frac, strict=True)]


def _min_ranks(scores: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """Rank 1 = highest per variant (row of ``scores``), ties share the best rank; returns
    buurten × variants like ``ScoreResult.rank``."""
    return pd.DataFrame(scores.T, index=index).rank(ascending=False, method="min").astype(int)


def monte_carlo(
    result: ScoreResult,
    *,
    n_draws: int = 1000,
    concentration: float = 100.0,
    top_n: int | None = None,
    seed: int | None = None,
) -> MonteCarloResult:
    """Perturb the weights (Dirichlet around the chosen weights) and summarise the ranks.

    Parameters
    ----------
    result
        A score to perturb; its normalised values, method and combine are reused.
    n_draws
        Number of weight draws.
    concentration
        Dirichlet concentration per axis (alpha = concentration × weight); 100 gives weights
        that typically vary by ±10–30 % of their value.
    top_n
        Top list size (default: the profile's ``top_n``).
    seed
        Seed of the numpy ``Generator``: the same seed gives identical results.

    Raises
    ------
    InvalidInput
        ``n_draws`` < 1, ``concentration`` <= 0 or ``top_n`` < 1.
    """
    top_n = top_n or result.profile.top_n
    if n_draws < 1 or not concentration > 0 or top_n < 1:
        raise InvalidInput(
            f"monte_carlo needs n_draws >= 1, concentration > 0 and top_n >= 1; got "
            f"n_draws={n_draws}, concentration={concentration}, top_n={top_n}"
        )
    rng = np.random.default_rng(seed)
    base = result.weights.to_numpy()
    axes = np.array(list(result.axes().values()))
    draws = np.zeros((n_draws, base.size))
    for axis in ("urgentie", "potentie"):
        cols = np.flatnonzero((axes == axis) & (base > 0))  # weight 0 stays 0
        if cols.size == 1:
            draws[:, cols] = 1.0
        else:
            draws[:, cols] = rng.dirichlet(concentration * base[cols], size=n_draws)
    ranks = _ordinal_ranks(_combined_batch(result, draws))
    q05, q50, q95 = _quantiles(ranks, (0.05, 0.5, 0.95))
    table = pd.DataFrame(
        {
            "rang": result.rank,
            "p_top": (ranks <= top_n).mean(axis=0),
            "rang_p05": q05,
            "rang_mediaan": q50,
            "rang_p95": q95,
        },
        index=result.normalised.index,
    )
    return MonteCarloResult(
        table=table,
        draws=pd.DataFrame(draws, columns=result.weights.index),
        top_n=top_n,
        concentration=concentration,
        seed=seed,
    )


def one_at_a_time(result: ScoreResult, *, delta: float = 0.2) -> pd.DataFrame:
    """Rank change per buurt when each weight in turn is multiplied by (1 - delta), (1 + delta).

    Columns are a MultiIndex (criterion, ``"-20%"``/``"+20%"``); values are new rank minus the
    current rank (0 = unchanged, positive = lower in the ranking).
    """
    if not 0 < delta < 1:
        raise InvalidInput(f"delta must be between 0 and 1 (exclusive); got {delta}")
    axes = result.axes()
    base = result.weights
    variants, labels = [], []
    for cid in base.index:
        for factor, tag in ((1 - delta, f"-{delta:.0%}"), (1 + delta, f"+{delta:.0%}")):
            raw = {str(k): float(v) for k, v in base.items()}
            raw[cid] = raw[cid] * factor
            variants.append(normalise_weights(raw, axes).to_numpy())
            labels.append((cid, tag))
    scores = _combined_batch(result, np.vstack(variants))
    ranks = _min_ranks(scores, result.normalised.index)
    change = ranks.to_numpy() - result.rank.to_numpy(dtype=int)[:, None]
    return pd.DataFrame(
        change,
        index=result.normalised.index,
        columns=pd.MultiIndex.from_tuples(labels, names=["criterium", "wijziging"]),
    )


def partner_divergence(
    result: ScoreResult, partners: Mapping[str, Mapping[str, float]] | None = None
) -> PartnerDivergence:
    """Ranks of every buurt under each partner's weights and their spread.

    ``partners`` maps partner → raw weights (missing criteria keep the profile weight); the
    default is the profile's own ``partners`` section.
    """
    profile = result.profile
    specs = dict(partners) if partners is not None else dict(profile.partners)
    if not specs:
        raise InvalidInput(f"profile {profile.name!r} has no partner profiles to compare")
    axes = result.axes()
    vectors = []
    for name, weights in specs.items():
        unknown = sorted(set(weights) - set(axes))
        if unknown:
            raise InvalidInput(f"partner {name!r} weighs unknown criteria {', '.join(unknown)}")
        raw = {**profile.weights(), **weights}
        try:
            vectors.append(normalise_weights(raw, axes).to_numpy())
        except InvalidInput as exc:
            raise InvalidInput(f"partner {name!r}: {exc.message}") from exc
    ranks = _min_ranks(_combined_batch(result, np.vstack(vectors)), result.normalised.index)
    ranks.columns = pd.Index(list(specs), name="partner")
    summary = pd.DataFrame(
        {
            "rang_min": ranks.min(axis=1),
            "rang_max": ranks.max(axis=1),
            "bereik": ranks.max(axis=1) - ranks.min(axis=1),
            "std": ranks.std(axis=1, ddof=0),
        }
    )
    return PartnerDivergence(ranks=ranks, summary=summary)


def kendall_tau(a: pd.Series, b: pd.Series) -> float:
    """Kendall's tau-b between two score series on their common buurten."""
    joined = pd.concat([a, b], axis=1, join="inner").dropna()
    if len(joined) < 2:
        raise InvalidInput("Kendall's tau needs at least two buurten in common")
    x, y = joined.iloc[:, 0].to_numpy(), joined.iloc[:, 1].to_numpy()
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan")  # undefined for a constant ranking
    return float(kendalltau(x, y).statistic)


def compare_methods(result: ScoreResult, methods: Sequence[str] = ("gewogen_som", "topsis")) -> pd.DataFrame:
    """Kendall's tau between the combined scores of several methods (square frame)."""
    scores = {}
    for name in methods:
        agg = make_method(name)
        combined = _combined_batch(result, result.weights.to_numpy()[None, :], method=agg)
        scores[name] = pd.Series(combined[0], index=result.normalised.index)
    names = list(scores)
    return pd.DataFrame(
        [[kendall_tau(scores[a], scores[b]) for b in names] for a in names],
        index=names,
        columns=names,
    )


@dataclass(frozen=True)
class RankingComparison:
    """``table``: per buurt ``rang_a``, ``rang_b``, ``rang_verschil`` (b - a: positive = lower in
    ranking b), ``score_a``, ``score_b``, ``score_verschil`` (b - a); sorted by the absolute rank
    change, largest first, buurten ranked in only one of the two last. ``kendall_tau``: tau-b
    between the ranks of the ``gemeenschappelijk`` buurten ranked in both."""

    table: pd.DataFrame
    kendall_tau: float
    gemeenschappelijk: int


def compare_rankings(a: pd.DataFrame, b: pd.DataFrame) -> RankingComparison:
    """Compare two rankings given as frames indexed by buurtcode with ``rang`` and
    ``gecombineerd`` (as ``ScoreResult.to_frame()``; a missing rank = not ranked).

    Raises
    ------
    InvalidInput
        A frame lacks ``rang`` or ``gecombineerd``. With fewer than two buurten ranked in both,
        ``kendall_tau`` is NaN.
    """
    columns = ["rang", "gecombineerd"]
    for name, frame in (("a", a), ("b", b)):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise InvalidInput(f"ranking {name} lacks column(s) {', '.join(missing)}")
    joined = (
        a[columns].astype(float).add_suffix("_a").join(b[columns].astype(float).add_suffix("_b"), how="outer")
    )
    table = pd.DataFrame(
        {
            "rang_a": joined["rang_a"],
            "rang_b": joined["rang_b"],
            "rang_verschil": joined["rang_b"] - joined["rang_a"],
            "score_a": joined["gecombineerd_a"],
            "score_b": joined["gecombineerd_b"],
            "score_verschil": joined["gecombineerd_b"] - joined["gecombineerd_a"],
        },
        index=joined.index.rename("buurtcode"),
    )
    both = table.dropna(subset=["rang_a", "rang_b"])
    # fewer than two buurten in common: no tau (NaN), the table still says what changed
    tau = kendall_tau(both["rang_a"], both["rang_b"]) if len(both) >= 2 else float("nan")
    order = table.assign(_abs=table["rang_verschil"].abs()).sort_values(
        ["_abs", "buurtcode"], ascending=[False, True], na_position="last", kind="stable"
    )
    return RankingComparison(table=order.drop(columns="_abs"), kendall_tau=tau, gemeenschappelijk=len(both))
