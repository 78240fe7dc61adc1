"""Contributions add up to the scores; explanation per buurt, against an independent computation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sia.errors import NotFound
from sia.explain import explain_buurt
from sia.profile import load_profile
from sia.scoring import score

from .test_engine_support import make_profile, random_table, reference


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
    """Weights 3 : 1 on urgentie → 0.75 and 0.25; min-max computed here from the raw table."""
    table = random_table(["u1", "u2", "p"], 10)
    result = score(table, make_profile({"u1": 3, "u2": 1}, {"p": 1}))
    for cid, weight in (("u1", 0.75), ("u2", 0.25), ("p", 1.0)):
        raw = table[cid].to_numpy()
        minmax = (raw - raw.min()) / (raw.max() - raw.min())
        assert result.contributions[cid].to_numpy() == pytest.approx(weight * minmax, rel=0, abs=1e-15)


def test_topsis_contributions_are_the_weighted_values_not_the_score() -> None:
    """For TOPSIS the contributions are w_j r_ij, which do not add up to the closeness score."""
    table = random_table(["u1", "u2", "p"], 10)
    profile = make_profile({"u1": 3, "u2": 1}, {"p": 1})
    result = score(table, profile, method="topsis")
    ref = reference(table, profile, method="topsis")
    assert not result.additive
    np.testing.assert_array_equal(result.contributions.to_numpy(), ref["contributions"])
    np.testing.assert_array_equal(result.axis_scores["urgentie"].to_numpy(), ref["urgentie"])
    summed = result.contributions[["u1", "u2"]].sum(axis=1).to_numpy()
    assert not np.allclose(summed, result.axis_scores["urgentie"].to_numpy())
    # with a single criterion TOPSIS is min-max again: 0 for the worst buurt, 1 for the best
    assert result.axis_scores["potentie"].to_numpy() == pytest.approx(ref["normalised"][:, 2], abs=1e-12)


@pytest.mark.parametrize("method", ["gewogen_som", "topsis"])
def test_explain_buurt(method: str) -> None:
    profile = load_profile()
    table = random_table(profile.ids(), 30, seed=9)
    table.loc["BU01530003", "gem_conditie"] = np.nan
    table.loc["BU01530004", "lbm_soc"] = np.nan
    result = score(table, profile, method=method)
    ref = reference(table, profile, method=method)
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
    # every number against the reference, row by criterion
    row = ref["ranked"].index("BU01530003")
    criteria = {c.id: c for c in profile.criteria}
    expected = pd.DataFrame(
        {
            "waarde": ref["raw"][row],
            "genormaliseerd": ref["normalised"][row],
            "gewicht": ref["weights"],
            "bijdrage": ref["contributions"][row],
            "geimputeerd": ref["imputed"][row],
        },
        index=profile.ids(),
    ).loc[frame.index]
    pd.testing.assert_frame_equal(frame[expected.columns], expected, check_names=False, check_exact=True)
    assert list(frame["label"]) == [criteria[c].label for c in frame.index]
    assert list(frame["as"]) == [criteria[c].axis for c in frame.index]
    assert list(frame["eenheid"]) == [criteria[c].unit for c in frame.index]
    assert frame.loc["gem_conditie", "geimputeerd"] and np.isnan(frame.loc["gem_conditie", "waarde"])
    assert frame["geimputeerd"].sum() == 1
    # sorted by axis (urgentie first), then contribution, largest first
    assert list(frame["as"]) == sorted(frame["as"], reverse=True)
    for axis in ("urgentie", "potentie"):
        part = frame[frame["as"] == axis]
        assert part["bijdrage"].is_monotonic_decreasing
        shares = part["bijdrage"].to_numpy() / ref[axis][row]
        np.testing.assert_array_equal(part["aandeel"].to_numpy(), shares)
        if method == "gewogen_som":
            assert part["aandeel"].sum() == pytest.approx(1.0, abs=1e-12)
    if method == "topsis":  # the shares of a TOPSIS score do not add up to 1
        assert frame[frame["as"] == "urgentie"]["aandeel"].sum() != pytest.approx(1.0, abs=1e-6)
    with pytest.raises(
        NotFound, match="BU01530004 is not ranked: ontbrekende waarde voor Leefbaarometer: sociale samenhang"
    ):
        explain_buurt(result, "BU01530004")
    with pytest.raises(NotFound, match="BU99999999 is not in the score table"):
        explain_buurt(result, "BU99999999")


def test_share_is_empty_when_the_axis_score_is_zero() -> None:
    """A buurt scoring 0 on an axis has no meaningful shares: NaN, not a division error."""
    table = pd.DataFrame({"u": [0.0, 1.0, 2.0], "p": [5.0, 3.0, 4.0]}, index=["a", "b", "c"])
    frame = explain_buurt(score(table, make_profile({"u": 1}, {"p": 1})), "a")
    assert frame.loc["u", "bijdrage"] == 0.0 and np.isnan(frame.loc["u", "aandeel"])
    assert frame.loc["p", "aandeel"] == 1.0
