"""Weights: direct weights, AHP pairwise comparison, partner profiles and their consensus.

Weights are always normalised *per axis*: the urgentie weights sum to 1 and so do the potentie
weights. A weight of 0 switches a criterion off; an axis whose weights are all 0 is an error.

The engine knows no partner by name: which organisations (and so which partner profiles) take
part is data of each gemeente, passed in by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sia.criteria import AXES, Profile
from sia.errors import InvalidInput

__all__ = [
    "SAATY_RANDOM_INDEX",
    "AhpResult",
    "ahp",
    "consensus",
    "normalise_weights",
    "profile_weights",
]

SAATY_RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}
"""Saaty's random consistency index RI by matrix order n (Saaty 1980; 1990, EJOR 48: 9-26)."""

CR_LIMIT = 0.10


def normalise_weights(weights: Mapping[str, float], axes: Mapping[str, str]) -> pd.Series:
    """Validate raw weights and scale them to sum 1 per axis.

    Parameters
    ----------
    weights
        Criterion id → non-negative weight; every id in ``axes`` must be present.
    axes
        Criterion id → axis (``"urgentie"``/``"potentie"``), in the order of the result.

    Raises
    ------
    InvalidInput
        Missing or unknown ids, negative / NaN / infinite weights, or an axis whose weights are
        all zero.
    """
    missing = [k for k in axes if k not in weights]
    unknown = [k for k in weights if k not in axes]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"no weight for {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown criteria {', '.join(unknown)}")
        raise InvalidInput(f"{'; '.join(parts)}; criteria: {', '.join(axes)}")
    ids = list(axes)
    w = np.array([weights[k] for k in ids], dtype=float)  # numpy: called per variant in robustness
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        listed = ", ".join(f"{k}={v}" for k, v, b in zip(ids, w, bad, strict=True) if b)
        raise InvalidInput(f"weights must be finite and >= 0; got {listed}")
    axis_of = np.array(list(axes.values()))
    out = w.copy()
    for axis in dict.fromkeys(axes.values()):
        members = axis_of == axis
        total = float(w[members].sum())
        if not total > 0:
            names = [k for k, m in zip(ids, members, strict=True) if m]
            raise InvalidInput(
                f"all weights of axis {axis!r} are zero ({', '.join(names)}); "
                "give at least one criterion a positive weight"
            )
        out[members] = w[members] / total
    return pd.Series(out, index=ids, dtype=float)


def profile_weights(profile: Profile, *, overrides: Mapping[str, float] | None = None) -> pd.Series:
    """The profile's weights, optionally overridden per criterion, normalised per axis."""
    raw = profile.weights()
    if overrides:
        unknown = sorted(set(overrides) - set(raw))
        if unknown:
            raise InvalidInput(
                f"unknown criteria in weights: {', '.join(unknown)}; "
                f"criteria in profile {profile.name!r}: {', '.join(raw)}"
            )
        raw.update(overrides)
    return normalise_weights(raw, {c.id: c.axis for c in profile.criteria})


@dataclass(frozen=True)
class AhpResult:
    """Weights from a pairwise comparison matrix and its consistency."""

    weights: pd.Series
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float

    @property
    def inconsistent(self) -> bool:
        """True when CR > 0.10 (Saaty's rule: revise the comparisons)."""
        return self.consistency_ratio > CR_LIMIT


def ahp(
    matrix: Sequence[Sequence[float]] | np.ndarray | pd.DataFrame,
    *,
    ids: Sequence[str] | None = None,
    tolerance: float = 1e-6,
) -> AhpResult:
    """Weights from Saaty's pairwise comparison matrix (principal right eigenvector).

    ``matrix[i][j]`` says how much more important criterion i is than j (1–9 scale);
    the matrix must be positive and reciprocal (``a_ji = 1 / a_ij``, ``a_ii = 1``).
    CI = (λmax - n) / (n - 1) and CR = CI / RI with Saaty's random index (n ≤ 10); for
    n ≤ 2 the CR is 0.

    Raises
    ------
    InvalidInput
        Not square, more than 10 criteria, non-positive or non-reciprocal entries.
    """
    if isinstance(matrix, pd.DataFrame):
        ids = list(matrix.index) if ids is None else ids
        a = matrix.to_numpy(dtype=float)
    else:
        a = np.asarray(matrix, dtype=float)
    n = a.shape[0] if a.ndim == 2 else 0
    if a.ndim != 2 or a.shape != (n, n) or n == 0:
        raise InvalidInput(f"AHP needs a square n×n comparison matrix; got shape {a.shape}")
    if n not in SAATY_RANDOM_INDEX:
        raise InvalidInput(f"AHP supports 1 to 10 criteria per comparison; got {n}")
    labels = [str(i) for i in (ids if ids is not None else range(n))]
    if len(labels) != n:
        raise InvalidInput(f"AHP: {len(labels)} ids for a {n}×{n} matrix")
    if not (np.isfinite(a).all() and (a > 0).all()):
        raise InvalidInput("AHP: every comparison must be a positive finite number (1/9 … 9)")
    bad = np.argwhere(~np.isclose(a * a.T, 1.0, rtol=tolerance, atol=tolerance))
    if len(bad):
        i, j = bad[0]
        raise InvalidInput(
            f"AHP matrix is not reciprocal: a[{labels[i]}][{labels[j]}] = {a[i, j]:g} but "
            f"a[{labels[j]}][{labels[i]}] = {a[j, i]:g} (expected {1 / a[i, j]:g})"
        )
    eigvals, eigvecs = np.linalg.eig(a)
    k = int(np.argmax(eigvals.real))
    lam = float(eigvals[k].real)
    vec = np.abs(eigvecs[:, k].real)
    w = vec / vec.sum()
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = SAATY_RANDOM_INDEX[n]
    cr = ci / ri if ri > 0 else 0.0
    return AhpResult(
        weights=pd.Series(w, index=labels, name="gewicht"),
        lambda_max=lam,
        consistency_index=float(ci),
        random_index=ri,
        consistency_ratio=float(cr),
    )


def consensus(partner_weights: Mapping[str, Mapping[str, float]], axes: Mapping[str, str]) -> pd.Series:
    """Consensus weights: the normalised geometric mean of the partners' weights.

    Each partner's weights are validated and normalised per axis first; the geometric mean is
    taken per criterion and normalised per axis again. A criterion that any partner weighs 0
    gets consensus weight 0 (the geometric mean respects a partner's veto).

    Raises
    ------
    InvalidInput
        No partners, invalid partner weights, or an axis that ends up with all zeros.
    """
    if not partner_weights:
        raise InvalidInput("consensus needs at least one partner profile")
    frames = {}
    for partner, weights in partner_weights.items():
        try:
            frames[partner] = normalise_weights(weights, axes)
        except InvalidInput as exc:
            raise InvalidInput(f"partner {partner!r}: {exc.message}") from exc
    matrix = pd.DataFrame(frames)
    with np.errstate(divide="ignore"):
        geo = np.exp(np.log(matrix).mean(axis=1))
    try:
        return normalise_weights(geo.to_dict(), axes).rename("gewicht")
    except InvalidInput as exc:
        raise InvalidInput(
            f"no consensus: {exc.message} (each criterion of this axis is weighed 0 by a partner)"
        ) from exc


def axis_codes(axes: Mapping[str, str]) -> np.ndarray:
    """Integer code per criterion: 0 = urgentie, 1 = potentie (for vectorised code)."""
    return np.array([AXES.index(a) for a in axes.values()], dtype=np.intp)
