"""Shared builders for the engine tests (no tests here)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

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
