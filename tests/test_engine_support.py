"""Shared builders for the engine tests, and an independent reference scorer (no tests here)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from sia.criteria import Profile


def make_profile(
    urgentie: dict[str, float],
    potentie: dict[str, float],
    *,
    lower: tuple[str, ...] = (),
    normalisation: str = "min_max",
    missing: str = "uitsluiten",
    **extra: Any,
) -> Profile:
    """A profile with the given weights; criteria in ``lower`` are "lager is ..."."""
    criteria = []
    for axis, weights, word in (
        ("urgentie", urgentie, "urgenter"),
        ("potentie", potentie, "kansrijker"),
    ):
        for cid, weight in weights.items():
            direction = f"{'lager' if cid in lower else 'hoger'}_is_{word}"
            criteria.append(
                {
                    "id": cid,
                    "label": cid,
                    "axis": axis,
                    "direction": direction,
                    "normalisation": {"name": normalisation},
                    "missing": missing,
                    "weight": weight,
                }
            )
    return Profile.model_validate({"name": "test", "criteria": criteria, **extra})


def random_table(ids: list[str], n: int, *, seed: int = 0) -> pd.DataFrame:
    """n buurten × criteria of seeded random values."""
    rng = np.random.default_rng(seed)
    index = pd.Index([f"BU0153{i:04d}" for i in range(n)], name="buurtcode")
    return pd.DataFrame(rng.random((n, len(ids))) * 100, index=index, columns=ids)


def data_dir() -> Path:
    """The shared data folder (env SIA_DATA_DIR); fails loudly when it is missing."""
    path = Path(os.environ.get("SIA_DATA_DIR", "/work/shared/data"))
    if not path.is_dir():
        raise AssertionError(
            f"test data folder {path} not found; set SIA_DATA_DIR to the folder holding "
            "enschede/ and national/"
        )
    return path


def _column(table: pd.DataFrame, cid: str) -> np.ndarray:
    return np.array([np.nan if pd.isna(v) else float(v) for v in table[cid].tolist()])


def _normalise(values: np.ndarray, spec: dict[str, Any], sign: int) -> np.ndarray:
    name, params = spec["name"], spec.get("params", {})
    n = len(values)
    if name == "min_max":
        lo, hi = values.min(), values.max()
        return np.full(n, 0.5) if not hi > lo else (values - lo) / (hi - lo)
    if name == "z_score":
        mean, std = values.mean(), values.std()
        return np.zeros(n) if not std > 0 else (values - mean) / std
    if name == "percentiel":
        return np.full(n, 0.5) if n == 1 else (rankdata(values, method="average") - 1.0) / (n - 1)
    lo, hi = params["lo"], params["hi"]  # doelpalen, given in raw units
    if sign < 0:
        lo, hi = -hi, -lo
    return np.clip((values - lo) / (hi - lo), 0.0, 1.0)


def _topsis(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    weighted = matrix * weights
    best, worst = weighted.max(axis=0), weighted.min(axis=0)
    plus = np.zeros(len(matrix))
    minus = np.zeros(len(matrix))
    for j in range(matrix.shape[1]):  # summed column by column
        plus += (weighted[:, j] - best[j]) ** 2
        minus += (weighted[:, j] - worst[j]) ** 2
    plus, minus = np.sqrt(plus), np.sqrt(minus)
    total = plus + minus
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, minus / total, 0.5)


def reference(
    table: pd.DataFrame,
    profile: Profile,
    *,
    method: str | None = None,
    weights: dict[str, float] | None = None,
    combine: str | None = None,
) -> dict[str, Any]:
    """Every number of a score, the plain way."""
    criteria = [c.model_dump() for c in profile.criteria]
    ids = [c["id"] for c in criteria]
    signs = [1 if c["direction"].startswith("hoger") else -1 for c in criteria]
    raw_all = np.column_stack([_column(table, cid) for cid in ids])
    missing = [
        [
            c["label"]
            for j, c in enumerate(criteria)
            if np.isnan(raw_all[i, j]) and c["missing"] == "uitsluiten"
        ]
        for i in range(len(table))
    ]
    dropped = [i for i in range(len(table)) if missing[i]]
    reasons = ["ontbrekende waarde voor " + "; ".join(missing[i]) for i in dropped]
    keep = [i for i in range(len(table)) if i not in dropped]
    raw = raw_all[keep]
    imputed = np.isnan(raw)
    normalised = np.empty(raw.shape)
    for j, c in enumerate(criteria):
        oriented = raw[:, j] * signs[j]
        present = oriented[~imputed[:, j]]
        if imputed[:, j].any():
            if c["missing"] == "mediaan":
                fill = np.median(present)
            elif c["axis"] == "urgentie":
                fill = present.max()
            else:
                fill = present.min()
            oriented = np.where(imputed[:, j], fill, oriented)
        normalised[:, j] = _normalise(oriented, c["normalisation"], signs[j])
    raw_weights = {c["id"]: c["weight"] for c in criteria} | (weights or {})
    w = np.empty(len(ids))
    for axis in ("urgentie", "potentie"):
        members = [j for j, c in enumerate(criteria) if c["axis"] == axis]
        total = sum(raw_weights[ids[j]] for j in members)
        for j in members:
            w[j] = raw_weights[ids[j]] / total
    contributions = normalised * w
    scores = {}
    for axis in ("urgentie", "potentie"):
        members = [j for j, c in enumerate(criteria) if c["axis"] == axis]
        if (method or profile.method) == "gewogen_som":
            total = contributions[:, members[0]].copy()
            for j in members[1:]:
                total += contributions[:, j]
            scores[axis] = total
        else:
            scores[axis] = _topsis(normalised[:, members], w[members])
    u, p = scores["urgentie"], scores["potentie"]
    combined = (u + p) / 2.0 if (combine or profile.combine) == "gemiddelde" else u * p
    limits = {}
    for axis, spec in (("urgentie", profile.thresholds.urgentie), ("potentie", profile.thresholds.potentie)):
        limits[axis] = float(np.median(scores[axis])) if spec == "mediaan" else float(spec)
    high_u, high_p = u >= limits["urgentie"], p >= limits["potentie"]
    quadrant = [
        "kandidaat" if hu and hp else "urgent" if hu else "kansrijk" if hp else "laag"
        for hu, hp in zip(high_u, high_p, strict=True)
    ]
    return {
        "ranked": list(table.index[keep]),
        "excluded": list(table.index[dropped]),
        "reasons": reasons,
        "raw": raw,
        "imputed": imputed,
        "normalised": normalised,
        "weights": w,
        "contributions": contributions,
        "urgentie": u,
        "potentie": p,
        "combined": combined,
        "rank": rankdata(-combined, method="min").astype(int),
        "quadrant": quadrant,
        "thresholds": limits,
    }
