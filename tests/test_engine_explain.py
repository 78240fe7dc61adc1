"""Contributions add up to the scores; explanation per buurt."""

from __future__ import annotations

import numpy as np
import pytest

from sia.errors import NotFound
from sia.explain import explain_buurt
from sia.profile import load_profile
from sia.scoring import score

from .test_engine_support import make_profile, random_table


@pytest.mark.parametrize("seed", range(5))
def test_contributions_add_up_to_axis_and_combined_scores(seed: int) -> None:
    profile = load_profile()
    table = random_table(profile.ids(), 70, seed=seed)
    table.iloc[::7, 0] = np.nan  # some buurten excluded (lbm_score: uitsluiten)
    table.iloc[::5, 5] = np.nan  # some imputed (aandeel_label_efg: mediaan)
    result = score(table, profile)
    assert result.additive and len(result.excluded) == 10 and result.imputed.any().any()
    for axis in ("urgentie", "potentie"):
        total = result.contributions[profile.ids(axis)].sum(axis=1)
        assert np.isclose(total, result.axis_scores[axis], rtol=0, atol=1e-12).all()
    assert np.isclose(result.contributions.sum(axis=1) / 2, result.combined, rtol=0, atol=1e-12).all()


def test_contribution_is_weight_times_normalised_value() -> None:
    table = random_table(["u1", "u2", "p"], 10)
    result = score(table, make_profile({"u1": 3, "u2": 1}, {"p": 1}))
    assert result.contributions["u1"].to_numpy() == pytest.approx(
        0.75 * result.normalised["u1"].to_numpy(), abs=1e-15
    )


def test_topsis_is_flagged_non_additive() -> None:
    table = random_table(["u1", "u2", "p"], 10)
    result = score(table, make_profile({"u1": 3, "u2": 1}, {"p": 1}), method="topsis")
    assert not result.additive


def test_explain_buurt() -> None:
    profile = load_profile()
    table = random_table(profile.ids(), 30, seed=9)
    table.loc["BU01530003", "gem_conditie"] = np.nan
    table.loc["BU01530004", "lbm_soc"] = np.nan
    result = score(table, profile)
    frame = explain_buurt(result, "BU01530003")
    assert list(frame.columns) == [
        "label",
        "as",
        "eenheid",
        "waarde",
        "genormaliseerd",
        "gewicht",
        "bijdrage",
        "geimputeerd",
        "aandeel",
    ]
    assert frame.loc["gem_conditie", "geimputeerd"] and np.isnan(frame.loc["gem_conditie", "waarde"])
    for axis in ("urgentie", "potentie"):
        part = frame[frame["as"] == axis]
        assert part["aandeel"].sum() == pytest.approx(1.0, abs=1e-12)
        assert part["bijdrage"].is_monotonic_decreasing
    with pytest.raises(NotFound, match="BU01530004 is not ranked: ontbrekende waarde voor lbm_soc"):
        explain_buurt(result, "BU01530004")
    with pytest.raises(NotFound, match="BU99999999 is not in the score table"):
        explain_buurt(result, "BU99999999")
