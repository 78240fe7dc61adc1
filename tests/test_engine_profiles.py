"""Profiles as data (round trip), profiles that extend another, partner profiles and consensus."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sia.criteria import Profile
from sia.errors import InvalidInput, NotFound
from sia.profile import (
    consensus_profile,
    list_profiles,
    load_packaged_profile,
    load_profile,
    partner_profiles,
    profile_from_dict,
    profile_from_toml,
    profile_to_dict,
    with_overrides,
)
from sia.robustness import partner_divergence
from sia.scoring import score
from sia.weights import consensus

from .enschede import ENSCHEDE_PROFILES
from .test_engine_support import make_profile, random_table

PARTNERS = ENSCHEDE_PROFILES

# everything of a criterion except its weight: what a partner profile may not change
SHARED = ("id", "label", "axis", "direction", "unit", "source", "period", "normalisation", "missing")


def _via_json(profile: Profile) -> Profile:
    """Through JSON text, as a scenario stores it in a jsonb column."""
    return profile_from_dict(json.loads(json.dumps(profile_to_dict(profile))))


def _unusual_profile() -> Profile:
    """Every kind of setting a profile can carry, with values that do not round trip by accident."""
    base = make_profile(
        {"u1": 0.1, "u2": 1 / 3},
        {"p1": 2.5e-7, "p2": 7.0},
        lower=("u2",),
        normalisation="percentiel",
        missing="mediaan",
        top_n=3,
        method="topsis",
        method_params={"tie_value": 0.25},
        combine="product",
        thresholds={"urgentie": 0.3, "potentie": "mediaan"},
        partners={"sjht": {"p1": 4.0}},
    )
    data = profile_to_dict(base)
    data["criteria"][0]["normalisation"] = {"name": "doelpalen", "params": {"lo": -1.5, "hi": 2.25}}
    return profile_from_dict(data)


@pytest.mark.parametrize("name", list_profiles())
def test_packaged_profiles_round_trip_exactly(name: str) -> None:
    profile = load_profile(name)
    again = _via_json(profile)
    assert again == profile
    table = random_table(profile.ids(), 30, seed=4)
    pd.testing.assert_frame_equal(
        score(table, again).to_frame(), score(table, profile).to_frame(), check_exact=True
    )


def test_unusual_profile_round_trips_exactly() -> None:
    profile = _unusual_profile()
    again = _via_json(profile)
    assert again == profile
    assert again.criteria[0].normalisation.params == {"lo": -1.5, "hi": 2.25}
    assert again.method_params == {"tie_value": 0.25} and again.thresholds.urgentie == 0.3
    table = random_table(profile.ids(), 25, seed=9)
    first, second = score(table, profile), score(table, again)
    pd.testing.assert_frame_equal(first.to_frame(), second.to_frame(), check_exact=True)
    pd.testing.assert_frame_equal(first.contributions, second.contributions, check_exact=True)


def test_profile_from_dict_reports_what_is_wrong() -> None:
    data = profile_to_dict(load_profile())
    data["criteria"][2]["weight"] = -1
    with pytest.raises(InvalidInput, match=r"criteria\.2\.weight"):
        profile_from_dict(data, source="scenario 7")


def test_partner_profiles_share_the_default_criteria_with_own_weights() -> None:
    default = load_profile("default")
    partners = partner_profiles(PARTNERS)
    assert list(partners) == list(PARTNERS)
    weights = {}
    for name, profile in partners.items():
        assert profile.name == name and profile.label and profile.description
        assert [c.model_dump(include=set(SHARED)) for c in profile.criteria] == [
            c.model_dump(include=set(SHARED)) for c in default.criteria
        ]
        assert (profile.method, profile.combine, profile.thresholds, profile.top_n) == (
            default.method,
            default.combine,
            default.thresholds,
            default.top_n,
        )
        assert profile.weights() != default.weights()
        weights[name] = tuple(profile.weights().values())
    assert len(set(weights.values())) == len(PARTNERS)  # no two partners weigh alike


@pytest.mark.parametrize("name", list(PARTNERS))
def test_partner_profile_files_explain_their_emphasis(name: str) -> None:
    text = (resources.files("sia") / "profiles" / f"{name}.toml").read_text(encoding="utf-8")
    assert 'extends = "default"' in text
    assert "# Emphasis:" in text and "EXAMPLE WEIGHTS" in text


def test_consensus_is_the_geometric_mean_of_the_partner_profiles() -> None:
    partners = partner_profiles(PARTNERS)
    profile = consensus_profile(partners)
    assert profile.name == "consensus"
    # independent computation: per axis normalise, geometric mean, normalise again
    axes = {c.id: c.axis for c in profile.criteria}
    matrix = pd.DataFrame({p: pd.Series(prof.weights()) for p, prof in partners.items()})
    for axis in ("urgentie", "potentie"):
        rows = [k for k, a in axes.items() if a == axis]
        matrix.loc[rows] = matrix.loc[rows] / matrix.loc[rows].sum()
    geo = np.exp(np.log(matrix).mean(axis=1))
    for axis in ("urgentie", "potentie"):
        rows = [k for k, a in axes.items() if a == axis]
        geo[rows] = geo[rows] / geo[rows].sum()
    assert profile.weights() == pytest.approx(geo.to_dict(), abs=1e-12)
    assert profile.weights() == pytest.approx(
        consensus({p: prof.weights() for p, prof in partners.items()}, axes).to_dict(), abs=0
    )
    assert profile.partners == {p: prof.weights() for p, prof in partners.items()}


def test_partner_divergence_on_the_consensus_compares_the_partners() -> None:
    profile = consensus_profile(partner_profiles(PARTNERS))
    table = random_table(profile.ids(), 40, seed=3)
    div = partner_divergence(score(table, profile))
    assert list(div.ranks.columns) == list(PARTNERS)
    expected = score(table, load_profile("domijn")).rank
    assert (div.ranks["domijn"] == expected).all()
    assert div.summary["bereik"].max() > 0


def test_a_users_profile_may_extend_a_packaged_one(tmp_path: Path) -> None:
    path = tmp_path / "wijkteam.toml"
    path.write_text('extends = "default"\nname = "wijkteam"\n[weights]\nlbm_soc = 5\n', encoding="utf-8")
    profile = load_profile(path)
    default = load_profile()
    assert profile.name == "wijkteam" and profile.label == default.label
    assert profile.weights() == {**default.weights(), "lbm_soc": 5.0}


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        ('extends = "nope"\n', NotFound, "wegingsprofiel 'nope' bestaat niet"),
        ('extends = "default"\n[weights]\nzz = 1\n', InvalidInput, "onbekende criteria zz"),
        ('extends = "default"\nmethod = "topsis"\n', InvalidInput, "mag alleen .*gevonden: method"),
        ('extends = "consensus"\n', InvalidInput, "kan 'consensus' niet uitbreiden"),
        ('extends = "default"\n[weights]\nlbm_soc = -2\n', InvalidInput, r"criteria\.3\.weight"),
        ('extends = "default"\nweights = 3\n', InvalidInput, r"\[weights\] moet een tabel zijn"),
    ],
)
def test_bad_extending_profiles(text: str, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        profile_from_toml(text)


def test_packaged_names_only_no_paths(tmp_path: Path) -> None:
    own = tmp_path / "eigen.toml"
    own.write_text('extends = "default"\n', encoding="utf-8")
    with pytest.raises(NotFound, match="bestaat niet"):
        load_packaged_profile(str(own))
    assert {"default", "urgentie", *PARTNERS} <= set(list_profiles())
    with pytest.raises(NotFound, match="consensus.*partnerprofielen van een gemeente"):
        load_packaged_profile("consensus")


def test_overrides_give_the_same_score_as_arguments() -> None:
    profile = load_profile()
    table = random_table(profile.ids(), 35, seed=8)
    weights = {"lbm_score": 0.5, "bezit_woningen": 4.0}
    used = with_overrides(profile, weights=weights, method="topsis", top_n=4)
    assert used.method == "topsis" and used.top_n == 4 and used.method_params == {}
    assert used.weights() == {**profile.weights(), **weights}
    expected = score(table, profile, weights=weights, method="topsis")
    pd.testing.assert_frame_equal(score(table, used).to_frame(), expected.to_frame(), check_exact=True)
    assert with_overrides(profile) is profile


def test_normalisation_override() -> None:
    profile = load_profile()
    table = random_table(profile.ids(), 20, seed=2)
    used = with_overrides(profile, normalisation={"lbm_won": {"name": "percentiel"}})
    assert used.criterion("lbm_won").normalisation.name == "percentiel"
    norm = score(table, used).normalised["lbm_won"]
    # percentile rank of the oriented values ("lager is urgenter": the lowest raw value → 1)
    expected = (table["lbm_won"].rank(ascending=False) - 1) / (len(table) - 1)
    assert norm.to_numpy() == pytest.approx(expected.to_numpy(), abs=1e-12)
    with pytest.raises(InvalidInput, match="Onbekende criteria in 'normalisatie': zz; het profiel"):
        with_overrides(profile, normalisation={"zz": {"name": "min_max"}})
    with pytest.raises(InvalidInput, match="Onbekende criteria in 'gewichten': onbekend"):
        with_overrides(profile, weights={"onbekend": 1})
    with pytest.raises(InvalidInput, match="doelpalen"):
        with_overrides(
            profile, normalisation={"lbm_won": {"name": "doelpalen", "params": {"lo": 2, "hi": 1}}}
        )
