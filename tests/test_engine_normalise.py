"""Normalisers: formulas, constant columns, direction, registry, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sia.errors import InvalidInput
from sia.normalise import NORMALISERS, Goalposts, MinMax, PercentileRank, ZScore, make_normaliser
from sia.scoring import prepare

from .test_engine_support import make_profile

S = pd.Series([2.0, 4.0, 6.0, 10.0], index=list("abcd"), name="x")


def test_registry_lists_every_normaliser() -> None:
    assert set(NORMALISERS) == {"min_max", "z_score", "percentiel", "doelpalen"}
    assert all(cls.name == key and cls.label for key, cls in NORMALISERS.items())


def test_formulas() -> None:
    assert MinMax()(S).tolist() == [0.0, 0.25, 0.5, 1.0]
    z = ZScore()(S)
    assert np.allclose(z, (S - 5.5) / np.sqrt(((S - 5.5) ** 2).mean()))
    assert PercentileRank()(S).tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert Goalposts(lo=4, hi=8)(S).tolist() == [0.0, 0.0, 0.5, 1.0]
    assert MinMax()(S).index.equals(S.index) and MinMax()(S).name == "x"


def test_ties_share_a_percentile() -> None:
    assert PercentileRank()(pd.Series([1.0, 5.0, 5.0, 9.0])).tolist() == [0, 0.5, 0.5, 1]


@pytest.mark.parametrize(
    ("normaliser", "neutral"), [(MinMax(), 0.5), (PercentileRank(), 0.5), (ZScore(), 0.0)]
)
def test_constant_column_is_neutral_and_finite(normaliser: MinMax, neutral: float) -> None:
    out = normaliser(pd.Series([3.0, 3.0, 3.0, np.nan]))
    assert out.iloc[:3].tolist() == [neutral] * 3 and np.isnan(out.iloc[3])


def test_nan_stays_nan() -> None:
    out = MinMax()(pd.Series([1.0, np.nan, 3.0]))
    assert out.iloc[0] == 0 and np.isnan(out.iloc[1]) and out.iloc[2] == 1


def test_goalposts_mirror_for_lower_is_more() -> None:
    """Goalposts are in raw units; for "lager is urgenter" lo scores 1, hi scores 0."""
    profile = make_profile({"lbm": 1}, {"p": 1}, lower=("lbm",))
    crit = profile.criteria[0]
    g = Goalposts(lo=-0.2, hi=0.2).for_direction(crit.sign)
    oriented = crit.sign * pd.Series([-0.3, -0.2, 0.0, 0.1, 0.2])
    assert g(oriented).tolist() == pytest.approx([1.0, 1.0, 0.5, 0.25, 0.0])


def test_direction_applied_before_normalising() -> None:
    table = pd.DataFrame({"lbm": [-0.2, 0.0, 0.3], "p": [1.0, 2.0, 3.0]}, index=list("xyz"))
    prep = prepare(table, make_profile({"lbm": 1}, {"p": 1}, lower=("lbm",)))
    # the worst liveability (lowest lbm) is the most urgent: normalised 1
    assert prep.normalised["lbm"].tolist() == pytest.approx([1.0, 0.6, 0.0])
    assert prep.normalised["p"].tolist() == pytest.approx([0.0, 0.5, 1.0])


@pytest.mark.parametrize(
    ("name", "params", "match"),
    [
        ("log", {}, "valid names: doelpalen, min_max, percentiel, z_score"),
        ("doelpalen", {"lo": 1}, "hi: Field required"),
        ("min_max", {"lo": 1}, "Extra inputs are not permitted"),
        ("doelpalen", {"lo": 3, "hi": 3}, "must be smaller than hi"),
    ],
)
def test_bad_normaliser_parameters(name: str, params: dict[str, float], match: str) -> None:
    with pytest.raises(InvalidInput, match=match):
        make_normaliser(name, params)


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(arrays(np.float64, st.integers(1, 40), elements=finite))
def test_bounded_normalisers_stay_in_unit_interval(values: np.ndarray) -> None:
    for normaliser in (MinMax(), PercentileRank(), Goalposts(lo=-10, hi=10)):
        out = normaliser.apply(values)
        assert np.isfinite(out).all()
        assert (out >= 0).all() and (out <= 1).all()


@given(arrays(np.float64, st.integers(2, 40), elements=finite))
def test_normalisers_preserve_order(values: np.ndarray) -> None:
    for normaliser in (MinMax(), PercentileRank(), ZScore()):
        out = normaliser.apply(values)
        order = np.argsort(values, kind="stable")
        assert (np.diff(out[order]) >= -1e-12).all()
