"""Monte Carlo weights, one-at-a-time sensitivity, partner divergence, method agreement."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sia.errors import InvalidInput
from sia.robustness import (
    compare_methods,
    compare_rankings,
    kendall_tau,
    monte_carlo,
    one_at_a_time,
    partner_divergence,
)
from sia.scoring import score

from .test_engine_support import make_profile, random_table

PROFILE = make_profile({"u1": 3, "u2": 1, "u3": 1}, {"p1": 2, "p2": 1}, top_n=5)
TABLE = random_table(PROFILE.ids(), 40, seed=11)


def test_monte_carlo_is_reproducible_per_seed() -> None:
    result = score(TABLE, PROFILE)
    a = monte_carlo(result, n_draws=300, seed=7)
    b = monte_carlo(result, n_draws=300, seed=7)
    c = monte_carlo(result, n_draws=300, seed=8)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.draws, b.draws)
    assert not np.allclose(a.draws.to_numpy(), c.draws.to_numpy())


def test_monte_carlo_draws_and_summaries() -> None:
    result = score(TABLE, PROFILE)
    mc = monte_carlo(result, n_draws=500, concentration=50, seed=1)
    draws = mc.draws
    assert draws.shape == (500, 5)
    assert np.allclose(draws[["u1", "u2", "u3"]].sum(axis=1), 1)
    assert np.allclose(draws[["p1", "p2"]].sum(axis=1), 1)
    # Dirichlet mean = the chosen weights
    assert draws.mean().to_numpy() == pytest.approx(result.weights.to_numpy(), abs=0.02)
    t = mc.table
    assert t["p_top"].sum() == pytest.approx(5.0)  # exactly top_n buurten per draw
    assert ((t["rang_p05"] <= t["rang_mediaan"]) & (t["rang_mediaan"] <= t["rang_p95"])).all()
    assert t["p_top"].between(0, 1).all()


def test_monte_carlo_concentrated_draws_reproduce_the_ranking() -> None:
    result = score(TABLE, PROFILE)
    mc = monte_carlo(result, n_draws=200, concentration=1e9, seed=3).table
    assert (mc["rang_p05"] == result.rank).all() and (mc["rang_p95"] == result.rank).all()
    assert set(mc.index[mc["p_top"] == 1]) == set(result.rank.index[result.rank <= 5])


def test_monte_carlo_matches_scoring_each_draw_separately() -> None:
    result = score(TABLE, PROFILE, method="topsis")
    mc = monte_carlo(result, n_draws=20, concentration=20, seed=5)
    ranks = np.array(
        [
            score(TABLE, PROFILE, method="topsis", weights=w.to_dict()).rank.to_numpy(dtype=int)
            for _, w in mc.draws.iterrows()
        ]
    )
    assert mc.table["p_top"].to_numpy() == pytest.approx((ranks <= 5).mean(axis=0))
    for column, q in (("rang_p05", 5), ("rang_mediaan", 50), ("rang_p95", 95)):
        assert mc.table[column].to_numpy() == pytest.approx(np.percentile(ranks, q, axis=0))


def test_zero_weight_stays_zero_and_bad_parameters() -> None:
    result = score(TABLE, PROFILE, weights={"u3": 0})
    assert (monte_carlo(result, n_draws=50, seed=0).draws["u3"] == 0).all()
    with pytest.raises(InvalidInput, match="concentration > 0"):
        monte_carlo(result, concentration=0)


def test_one_at_a_time() -> None:
    result = score(TABLE, PROFILE)
    oat = one_at_a_time(result)
    assert oat.shape == (40, 10)
    assert list(oat.columns[:2]) == [("u1", "-20%"), ("u1", "+20%")]
    # reproduce one column by hand
    raw = {"u1": 3, "u2": 1, "u3": 1, "p1": 2 * 1.2, "p2": 1}
    expected = score(TABLE, PROFILE, weights=raw).rank - result.rank
    assert oat[("p1", "+20%")].to_numpy() == pytest.approx(expected.to_numpy())
    assert oat.abs().to_numpy().sum() > 0
    with pytest.raises(InvalidInput, match="delta must be between 0 and 1"):
        one_at_a_time(result, delta=1.5)


def test_single_criterion_axis_is_insensitive() -> None:
    profile = make_profile({"u": 1}, {"p": 1})
    result = score(random_table(["u", "p"], 12), profile)
    assert (one_at_a_time(result) == 0).all().all()


def test_partner_divergence() -> None:
    partners = {"gemeente": {"u1": 10}, "domijn": {"p2": 10}, "sjht": {}}
    result = score(TABLE, PROFILE.model_copy(update={"partners": partners}))
    div = partner_divergence(result)
    assert list(div.ranks.columns) == ["gemeente", "domijn", "sjht"]
    assert (div.ranks["sjht"] == result.rank).all()  # no own weights = the profile
    expected = score(TABLE, PROFILE, weights={"u1": 10}).rank
    assert (div.ranks["gemeente"] == expected).all()
    assert (div.summary["bereik"] == div.ranks.max(axis=1) - div.ranks.min(axis=1)).all()
    assert div.summary["bereik"].max() > 0
    same = partner_divergence(result, {"a": {}, "b": {}})
    assert (same.summary["bereik"] == 0).all() and (same.summary["std"] == 0).all()
    with pytest.raises(InvalidInput, match="no partner profiles"):
        partner_divergence(score(TABLE, PROFILE))
    with pytest.raises(InvalidInput, match="partner 'x': all weights of axis 'potentie'"):
        partner_divergence(result, {"x": {"p1": 0, "p2": 0}})


def test_kendall_tau_and_method_agreement() -> None:
    a = pd.Series([1.0, 2.0, 3.0], index=list("abc"))
    b = pd.Series([1.0, 3.0, 2.0], index=list("abc"))
    assert kendall_tau(a, b) == pytest.approx(1 / 3)  # 2 concordant, 1 discordant pair
    assert kendall_tau(a, -a) == pytest.approx(-1)
    taus = compare_methods(score(TABLE, PROFILE))
    assert taus.loc["gewogen_som", "gewogen_som"] == pytest.approx(1)
    assert taus.loc["gewogen_som", "topsis"] == taus.loc["topsis", "gewogen_som"]
    assert 0.5 < taus.loc["gewogen_som", "topsis"] < 1


def test_compare_rankings() -> None:
    a = pd.DataFrame(
        {"rang": [1, 2, 3, 4, None], "gecombineerd": [0.9, 0.8, 0.7, 0.6, None]},
        index=["B1", "B2", "B3", "B4", "B5"],
    )
    b = pd.DataFrame(
        {"rang": [3, 1, 2, 4], "gecombineerd": [0.5, 0.95, 0.7, 0.1]}, index=["B1", "B2", "B3", "B6"]
    )
    cmp = compare_rankings(a, b)
    t = cmp.table
    assert t.loc["B1", "rang_verschil"] == 2 and t.loc["B2", "rang_verschil"] == -1
    assert t.loc["B1", "score_verschil"] == pytest.approx(-0.4)
    assert t.loc["B3", "score_verschil"] == pytest.approx(0.0)
    # largest absolute rank change first; buurten ranked in one ranking only come last
    assert list(t.index[:3]) == ["B1", "B2", "B3"]
    assert set(t.index[3:]) == {"B4", "B5", "B6"} and t.loc[["B4", "B5", "B6"], "rang_verschil"].isna().all()
    # common buurten B1, B2, B3: a = (1, 2, 3), b = (3, 1, 2): pairs (1,2) disc., (1,3) disc., (2,3) conc.
    assert cmp.gemeenschappelijk == 3
    assert cmp.kendall_tau == pytest.approx(-1 / 3)
    same = compare_rankings(a, a)
    assert same.kendall_tau == pytest.approx(1) and (same.table["rang_verschil"].dropna() == 0).all()
    with pytest.raises(InvalidInput, match="ranking b lacks column"):
        compare_rankings(a, b[["rang"]])
    # one buurt in common: no tau, but the table still shows it
    one = compare_rankings(a.loc[["B1"]], b.loc[["B1"]])
    assert np.isnan(one.kendall_tau) and one.gemeenschappelijk == 1
    assert one.table.loc["B1", "rang_verschil"] == 2
