"""Direct weights, AHP and partner consensus."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm.weights.subjective import AHP

from sia.errors import InvalidInput
from sia.weights import ahp, consensus, normalise_weights

from .enschede import ENSCHEDE_PROFILES

AXES = {"a": "urgentie", "b": "urgentie", "c": "potentie", "d": "potentie"}

# Saaty (1990), "How to make a decision: The Analytic Hierarchy Process", European Journal of
# Operational Research 48: 9-26, the house example: eight criteria (1 size of house,
# 2 transportation, 3 neighbourhood, 4 age, 5 yard, 6 modern facilities, 7 general condition,
# 8 financing). Published: priority vector (.173, .054, .188, .018, .031, .036, .167, .333),
# lambda_max = 9.669, CI = 0.238, CR = 0.169 (RI = 1.41 for n = 8).
SAATY_HOUSE = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
]


def test_direct_weights_sum_to_one_per_axis() -> None:
    w = normalise_weights({"a": 3, "b": 1, "c": 0, "d": 2}, AXES)
    assert w.to_dict() == pytest.approx({"a": 0.75, "b": 0.25, "c": 0.0, "d": 1.0})


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ({"a": -1, "b": 1, "c": 1, "d": 1}, r"finite and >= 0; got a=-1"),
        ({"a": float("nan"), "b": 1, "c": 1, "d": 1}, r"got a=nan"),
        ({"a": 0, "b": 0, "c": 1, "d": 1}, r"all weights of axis 'urgentie' are zero"),
        ({"a": 1, "b": 1, "c": 1}, r"no weight for d"),
        ({"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}, r"unknown criteria e"),
    ],
)
def test_bad_direct_weights(weights: dict[str, float], match: str) -> None:
    with pytest.raises(InvalidInput, match=match):
        normalise_weights(weights, AXES)


def test_ahp_reproduces_saatys_house_example() -> None:
    result = ahp(SAATY_HOUSE, ids=[str(i) for i in range(1, 9)])
    expected = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
    assert result.weights.to_numpy() == pytest.approx(expected, abs=5e-4)
    assert result.lambda_max == pytest.approx(9.669, abs=5e-4)
    assert result.consistency_index == pytest.approx(0.238, abs=5e-4)
    assert result.random_index == 1.41
    assert result.consistency_ratio == pytest.approx(0.169, abs=5e-4)
    assert result.inconsistent


def test_consistent_matrix_gives_exact_ratios() -> None:
    true = np.array([0.5, 0.3, 0.2])
    result = ahp(true[:, None] / true[None, :], ids=["x", "y", "z"])
    assert result.weights.to_numpy() == pytest.approx(true, abs=1e-12)
    assert result.lambda_max == pytest.approx(3.0, abs=1e-9)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-9)
    assert not result.inconsistent


def test_ahp_matches_pymcdm() -> None:
    """Weights and consistency index agree with pymcdm's independent implementation."""
    matrix = np.array([[1, 3, 5, 7], [1 / 3, 1, 3, 5], [1 / 5, 1 / 3, 1, 3], [1 / 7, 1 / 5, 1 / 3, 1]])
    reference = AHP(matrix=matrix)
    ours = ahp(matrix)
    assert ours.weights.to_numpy() == pytest.approx(reference(), abs=1e-9)
    # pymcdm divides by another random index (Alonso & Lamata 2006); the CI must agree
    reference_ci = reference.get_cr() * AHP.RI_M[len(matrix) - 1]
    assert ours.consistency_index == pytest.approx(reference_ci, abs=1e-9)


@pytest.mark.parametrize(
    ("matrix", "match"),
    [
        ([[1, 2], [0.5, 1], [1, 1]], "square"),
        ([[1, 2], [2, 1]], r"not reciprocal: a\[0\]\[1\] = 2 but a\[1\]\[0\] = 2 \(expected 0.5\)"),
        ([[1, -2], [-0.5, 1]], "positive"),
        (np.ones((11, 11)), "1 to 10 criteria"),
    ],
)
def test_bad_ahp_matrices(matrix: list[list[float]], match: str) -> None:
    with pytest.raises(InvalidInput, match=match):
        ahp(matrix)


def test_consensus_is_normalised_geometric_mean() -> None:
    partners = {
        "gemeente": {"a": 1, "b": 1, "c": 1, "d": 3},
        "domijn": {"a": 4, "b": 1, "c": 1, "d": 1},
    }
    w = consensus(partners, AXES)
    # a: sqrt(0.5 * 0.8), b: sqrt(0.5 * 0.2) → normalised within urgentie
    ga, gb = np.sqrt(0.5 * 0.8), np.sqrt(0.5 * 0.2)
    gc, gd = np.sqrt(0.25 * 0.5), np.sqrt(0.75 * 0.5)
    assert w.to_numpy() == pytest.approx(
        [ga / (ga + gb), gb / (ga + gb), gc / (gc + gd), gd / (gc + gd)], abs=1e-12
    )


def test_consensus_of_identical_partners_is_their_profile() -> None:
    same = {"a": 2, "b": 1, "c": 1, "d": 1}
    w = consensus(dict.fromkeys(ENSCHEDE_PROFILES, same), AXES)
    assert w.to_numpy() == pytest.approx(normalise_weights(same, AXES).to_numpy(), abs=1e-12)


def test_the_engine_names_no_partner() -> None:
    """Partner organisations are data of a gemeente (migration 0006), not code of the engine."""
    import sia.weights

    assert not hasattr(sia.weights, "PARTNERS")
    from pathlib import Path

    source = Path(sia.weights.__file__).read_text(encoding="utf-8")
    assert "Domijn" not in source and "Ons Huis" not in source


def test_consensus_veto_and_errors() -> None:
    w = consensus({"x": {"a": 0, "b": 1, "c": 1, "d": 1}, "y": {"a": 5, "b": 1, "c": 1, "d": 1}}, AXES)
    assert w["a"] == 0.0
    with pytest.raises(InvalidInput, match="no consensus: all weights of axis 'urgentie'"):
        consensus({"x": {"a": 0, "b": 1, "c": 1, "d": 1}, "y": {"a": 1, "b": 0, "c": 1, "d": 1}}, AXES)
    with pytest.raises(InvalidInput, match="partner 'y': weights must be finite"):
        consensus({"y": {"a": -1, "b": 1, "c": 1, "d": 1}}, AXES)
    with pytest.raises(InvalidInput, match="at least one partner"):
        consensus({}, AXES)
