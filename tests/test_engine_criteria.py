"""Criteria, profiles and the TOML loader."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pydantic import ValidationError

from sia.criteria import Criterion
from sia.errors import InvalidInput, NotFound
from sia.profile import list_profiles, load_profile, profile_from_toml
from sia.scoring import score

from .test_engine_support import make_profile

URGENTIE = ["lbm_score", "lbm_won", "lbm_fys", "lbm_soc", "lbm_onv", "aandeel_label_efg", "gem_conditie"]
POTENTIE = [
    "investering_per_woning",
    "n_partners_plannen",
    "n_corporaties",
    "geplande_woningen",
    "bezit_woningen",
]


def test_default_profile_has_the_indicator_columns() -> None:
    profile = load_profile()
    assert "default" in list_profiles()
    assert profile.ids("urgentie") == URGENTIE
    assert profile.ids("potentie") == POTENTIE
    lbm = profile.criterion("lbm_score")
    assert lbm.direction == "lager_is_urgenter" and lbm.sign == -1
    assert profile.criterion("aandeel_label_efg").sign == 1
    assert profile.criterion("gem_conditie").normalisation.name == "doelpalen"
    assert all(c.label and c.weight > 0 for c in profile.criteria)


def test_load_profile_from_path(tmp_path: Path) -> None:
    path = tmp_path / "mijn.toml"
    path.write_text(
        'name = "mijn"\n'
        '[[criteria]]\nid = "a"\nlabel = "A"\naxis = "urgentie"\ndirection = "hoger_is_urgenter"\n'
        '[[criteria]]\nid = "b"\nlabel = "B"\naxis = "potentie"\n'
        'direction = "lager_is_kansrijker"\nweight = 2\n'
        "[partners.gemeente]\nb = 5\n",
        encoding="utf-8",
    )
    profile = load_profile(path)
    assert profile.ids() == ["a", "b"]
    assert profile.partner_weights("gemeente") == {"a": 1.0, "b": 5.0}


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("name = ", "geen geldige TOML"),
        ('name = "x"\ncriteria = []', "criteria"),
        (
            'name = "x"\n[[criteria]]\nid = "a"\nlabel = "A"\naxis = "urgentie"\n'
            'direction = "hoger_is_kansrijker"',
            "does not fit axis 'urgentie'",
        ),
        (
            'name = "x"\n[[criteria]]\nid = "a"\nlabel = "A"\naxis = "urgentie"\n'
            'direction = "hoger_is_urgenter"\nnormalisation = { name = "log" }',
            "unknown normalisation 'log'; valid names: doelpalen, min_max, percentiel, z_score",
        ),
        (
            'name = "x"\n[[criteria]]\nid = "a"\nlabel = "A"\naxis = "urgentie"\n'
            'direction = "hoger_is_urgenter"\nweight = -1',
            "weight",
        ),
        (
            'name = "x"\nmethod = "electre"\n[[criteria]]\nid = "a"\nlabel = "A"\naxis = "urgentie"\n'
            'direction = "hoger_is_urgenter"',
            "unknown method 'electre'; valid methods: gewogen_som, topsis",
        ),
    ],
)
def test_invalid_profiles_are_rejected(text: str, match: str) -> None:
    with pytest.raises(InvalidInput, match=match):
        profile_from_toml(text)


def test_duplicate_ids_and_unknown_partner_criteria() -> None:
    with pytest.raises(ValidationError, match="duplicate criterion ids: a"):
        make_profile({"a": 1, "b": 1}, {"a": 1})
    with pytest.raises(ValidationError, match="partner 'sjht' weighs unknown criteria zz"):
        make_profile({"a": 1}, {"b": 1}, partners={"sjht": {"zz": 1}})


def test_a_profile_with_one_axis_is_valid() -> None:
    """Only urgency criteria is a valid profile (it ranks by urgency; see sia.run)."""
    profile = profile_from_toml(
        'name = "x"\n[[criteria]]\nid = "a"\nlabel = "A"\naxis = "urgentie"\ndirection = "hoger_is_urgenter"'
    )
    assert profile.ids("urgentie") == ["a"] and profile.ids("potentie") == []


def test_unknown_profile_and_partner() -> None:
    with pytest.raises(
        NotFound, match="wegingsprofiel 'nope' bestaat niet; meegeleverde profielen: .*default"
    ):
        load_profile("nope")
    with pytest.raises(InvalidInput, match="unknown partner profile 'domijn'"):
        make_profile({"a": 1}, {"b": 1}).partner_weights("domijn")


def test_goalposts_need_lo_below_hi() -> None:
    with pytest.raises(ValidationError, match="lo .* must be smaller than hi"):
        Criterion.model_validate(
            {
                "id": "a",
                "label": "A",
                "axis": "urgentie",
                "direction": "hoger_is_urgenter",
                "normalisation": {"name": "doelpalen", "params": {"lo": 5, "hi": 1}},
            }
        )


def test_missing_columns_are_named() -> None:
    profile = make_profile({"a": 1, "x": 1}, {"b": 1})
    table = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0], "c": [0.0, 0.0]})
    with pytest.raises(
        InvalidInput,
        match=r"criteria missing from the indicator table: x; available columns: a, b, c",
    ):
        score(table, profile)


@pytest.mark.parametrize(
    ("table", "match"),
    [
        (pd.DataFrame({"a": ["x", "y"], "b": [1.0, 2.0]}), "column 'a' must be numeric"),
        (pd.DataFrame({"a": [1.0, float("inf")], "b": [1.0, 2.0]}), "infinite"),
        (pd.DataFrame({"a": [1.0, 2.0], "b": [1.0, 2.0]}, index=["B1", "B1"]), "duplicate"),
        (pd.DataFrame({"a": [float("nan")] * 2, "b": [1.0, 2.0]}), "no buurten left"),
        (pd.DataFrame({"a": [], "b": []}), "no rows"),
    ],
)
def test_bad_tables(table: pd.DataFrame, match: str) -> None:
    with pytest.raises(InvalidInput, match=match):
        score(table, make_profile({"a": 1}, {"b": 1}))


def test_profile_is_immutable() -> None:
    profile = make_profile({"a": 1}, {"b": 1})
    with pytest.raises(ValidationError, match="frozen"):
        profile.top_n = 3  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        profile.criteria[0].weight = 5  # type: ignore[misc]
    assert profile.top_n == 10 and profile.criteria[0].weight == 1
