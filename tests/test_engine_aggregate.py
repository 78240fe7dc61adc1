"""Aggregation: weighted sum and TOPSIS against pymcdm, combine, ranks, quadrants, missing values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm import normalizations
from pymcdm.methods import TOPSIS, WSM

from sia.aggregate import METHODS, make_method, quadrants
from sia.errors import InvalidInput
from sia.scoring import score

from .test_engine_support import make_profile, random_table

# pymcdm's WSM docstring matrix; columns 3 and 4 are costs ("lager is urgenter")
MATRIX = np.array(
    [[96, 83, 75, 7], [63, 5, 56, 9], [72, 30, 32, 48], [11, 4, 27, 9], [77, 21, 17, 11]],
    dtype=float,
)
RAW_WEIGHTS = {"u1": 8, "u2": 5, "u3": 6, "u4": 7}
TYPES = np.array([1, 1, -1, -1])


def _urgentie_only(method: str, matrix: np.ndarray) -> pd.Series:
    profile = make_profile(RAW_WEIGHTS, {"p": 1}, lower=("u3", "u4"), method=method)
    table = pd.DataFrame(matrix, columns=list(RAW_WEIGHTS)).assign(p=1.0)
    return score(table, profile).axis_scores["urgentie"]


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
@pytest.mark.parametrize(
    ("method", "reference"),
    [
        ("gewogen_som", WSM(normalizations.minmax_normalization)),
        ("topsis", TOPSIS(normalizations.minmax_normalization)),
    ],
)
def test_methods_match_pymcdm(seed: int | None, method: str, reference: WSM) -> None:
    matrix = MATRIX if seed is None else np.random.default_rng(seed).random((30, 4)) * 50
    weights = np.array(list(RAW_WEIGHTS.values()), dtype=float)
    expected = reference(matrix, weights / weights.sum(), TYPES)
    assert _urgentie_only(method, matrix).to_numpy() == pytest.approx(expected, abs=1e-12)


def test_registry_and_bad_method() -> None:
    assert set(METHODS) == {"gewogen_som", "topsis"}
    with pytest.raises(InvalidInput, match="unknown method 'ahp'; valid methods: gewogen_som, topsis"):
        make_method("ahp")
    with pytest.raises(InvalidInput, match="invalid parameters for method 'topsis': tie_value"):
        make_method("topsis", {"tie_value": 2})


def test_combined_rank_and_quadrants() -> None:
    table = pd.DataFrame({"u": [0.0, 1.0, 2.0, 3.0], "p": [3.0, 0.0, 2.0, 1.0]}, index=["A", "B", "C", "D"])
    result = score(table, make_profile({"u": 1}, {"p": 1}))
    assert result.combined.to_dict() == pytest.approx({"A": 0.5, "B": 1 / 6, "C": 2 / 3, "D": 2 / 3})
    assert result.rank.to_dict() == {"A": 3, "B": 4, "C": 1, "D": 1}  # ties share the best rank
    assert result.thresholds == {"urgentie": 0.5, "potentie": 0.5}
    assert result.quadrant.astype(str).to_dict() == {
        "A": "kansrijk",
        "B": "laag",
        "C": "kandidaat",
        "D": "urgent",
    }
    product = score(table, make_profile({"u": 1}, {"p": 1}), combine="product")
    assert product.combined.to_dict() == pytest.approx({"A": 0, "B": 0, "C": 4 / 9, "D": 1 / 3})
    frame = result.to_frame()
    assert list(frame.index[:2]) == ["C", "D"] and list(frame["rang"]) == [1, 1, 3, 4]


def test_fixed_thresholds_and_errors() -> None:
    axis = pd.DataFrame({"urgentie": [0.2, 0.8], "potentie": [0.9, 0.1]}, index=["A", "B"])
    quad, limits = quadrants(axis, urgentie=0.5, potentie=0.95)
    assert quad.astype(str).tolist() == ["laag", "urgent"] and limits["potentie"] == 0.95
    with pytest.raises(InvalidInput, match="number or 'mediaan'"):
        quadrants(axis, urgentie="gemiddelde")
    profile = make_profile({"u": 1}, {"p": 1}, normalisation="z_score")
    with pytest.raises(InvalidInput, match="combine 'product' needs non-negative"):
        score(random_table(["u", "p"], 5), profile, combine="product")


def test_missing_value_policies() -> None:
    nan = np.nan
    table = pd.DataFrame(
        {"u": [1.0, nan, 3.0, 5.0], "low": [10.0, 20.0, nan, 40.0], "p": [nan, 1.0, 2.0, 3.0]},
        index=["A", "B", "C", "D"],
    )
    base = make_profile({"u": 1, "low": 1}, {"p": 1}, lower=("low",))
    crit = {c.id: c for c in base.criteria}
    profile = base.model_copy(
        update={
            "criteria": [
                crit["u"].model_copy(update={"missing": "mediaan"}),
                crit["low"].model_copy(update={"missing": "slechtste"}),
                crit["p"].model_copy(update={"label": "Plannen van partners"}),  # uitsluiten
            ]
        }
    )
    result = score(table, profile)
    # the reason names the criterion by its label, the text a user sees, not by its column id
    assert result.excluded.to_dict() == {"reden": {"A": "ontbrekende waarde voor Plannen van partners"}}
    assert list(result.rank.index) == ["B", "C", "D"]
    assert result.imputed.to_dict() == {
        "u": {"B": True, "C": False, "D": False},
        "low": {"B": False, "C": True, "D": False},
        "p": {"B": False, "C": False, "D": False},
    }
    # u: median of the ranked buurten (3, 5) = 4 → min-max over (4, 3, 5) = 0.5
    assert result.normalised.loc["B", "u"] == pytest.approx(0.5)
    # low (lager is urgenter): worst = lowest observed among B, D (20) → most urgent = 1
    assert result.normalised.loc["C", "low"] == pytest.approx(1.0)
    assert np.isnan(result.raw.loc["C", "low"])


def test_the_reason_lists_every_missing_criterion_by_label() -> None:
    """Labels may hold commas ("E, F of G"), so the labels of a reason are joined with "; "."""
    table = pd.DataFrame(
        {"u1": [np.nan, 1.0, 2.0], "u2": [np.nan, 3.0, 4.0], "p": [1.0, np.nan, 3.0]}, index=["A", "B", "C"]
    )
    base = make_profile({"u1": 1, "u2": 1}, {"p": 1})
    labels = {
        "u1": "Aandeel label E, F of G",
        "u2": "Leefbaarometer: woningvoorraad",
        "p": "Geplande woningen",
    }
    profile = base.model_copy(
        update={"criteria": [c.model_copy(update={"label": labels[c.id]}) for c in base.criteria]}
    )
    assert score(table, profile).excluded["reden"].to_dict() == {
        "A": "ontbrekende waarde voor Aandeel label E, F of G; Leefbaarometer: woningvoorraad",
        "B": "ontbrekende waarde voor Geplande woningen",
    }


def test_weight_overrides_change_the_result() -> None:
    table = random_table(["u1", "u2", "p"], 20, seed=4)
    profile = make_profile({"u1": 1, "u2": 1}, {"p": 1})
    only_u1 = score(table, profile, weights={"u2": 0})
    assert only_u1.axis_scores["urgentie"].to_numpy() == pytest.approx(
        only_u1.normalised["u1"].to_numpy(), abs=1e-15
    )
    with pytest.raises(InvalidInput, match="unknown criteria in weights: zz"):
        score(table, profile, weights={"zz": 1})


values = st.lists(st.floats(0, 1000, allow_nan=False), min_size=3, max_size=25)


@settings(max_examples=60, deadline=None)
@given(
    values,
    st.integers(0, 24),
    st.floats(0.001, 500),
    st.sampled_from(
        [
            ("min_max", "gewogen_som"),
            ("percentiel", "gewogen_som"),
            ("z_score", "gewogen_som"),
            ("min_max", "topsis"),
            ("percentiel", "topsis"),
        ]
    ),
)
def test_raising_an_urgent_value_never_lowers_urgency(
    column: list[float], pick: int, bump: float, combination: tuple[str, str]
) -> None:
    """Not for TOPSIS on z-scores: there it can fail (see the next test)."""
    normalisation, method = combination
    n = len(column)
    pick %= n
    rng = np.random.default_rng(n)
    table = pd.DataFrame({"u": column, "u2": rng.random(n), "p": rng.random(n)})
    profile = make_profile({"u": 2, "u2": 1}, {"p": 1}, normalisation=normalisation, method=method)
    before = score(table, profile).axis_scores["urgentie"].iloc[pick]
    table.loc[pick, "u"] += bump
    after = score(table, profile).axis_scores["urgentie"].iloc[pick]
    assert after >= before - 1e-12


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.floats(1e-3, 1e3), st.sampled_from(["u", "low", "p"]))
def test_minmax_ranks_are_scale_invariant(seed: int, factor: float, column: str) -> None:
    table = random_table(["u", "low", "p"], 15, seed=seed)
    profile = make_profile({"u": 1, "low": 2}, {"p": 1}, lower=("low",))
    before = score(table, profile)
    scaled = table.assign(**{column: table[column] * factor})
    after = score(scaled, profile)
    pd.testing.assert_series_equal(before.rank, after.rank)
    assert after.combined.to_numpy() == pytest.approx(before.combined.to_numpy(), abs=1e-9)


def test_topsis_on_z_scores_is_not_monotone() -> None:
    """Documented limitation, found by the property test above: raising the top buurt from 2 to 3
    compresses the z-scale, so its distance to the anti-ideal shrinks."""
    profile = make_profile({"u": 2, "u2": 1}, {"p": 1}, normalisation="z_score", method="topsis")
    table = pd.DataFrame({"u": [2.0, 0.0, 1.0], "u2": [0.5, 0.2, 0.9], "p": [1.0, 2.0, 3.0]})
    before = score(table, profile).axis_scores["urgentie"].iloc[0]
    table.loc[0, "u"] = 3.0
    assert score(table, profile).axis_scores["urgentie"].iloc[0] < before
