"""score() gives exactly the numbers of an independent reference, written in plain numpy.

The reference (``test_engine_support.reference``) follows the rules as documented (sia.scoring,
sia.criteria, sia.normalise, sia.aggregate), column by column and buurt by buurt where that is
the plainest, with scipy's ``rankdata`` for ranks; it shares no code with the engine. The engine
is free to vectorise, skip copies and build its frames later, but every number it gives must equal
the reference's, bit for bit (sums are taken column by column in profile order, as the documented
contributions add up).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from sia.criteria import Profile
from sia.errors import InvalidInput
from sia.profile import load_profile
from sia.scoring import ScoreResult, prepare, score

from .test_engine_support import make_profile, random_table, reference

QUADRANTS = ["kandidaat", "urgent", "kansrijk", "laag"]


def assert_same(result: ScoreResult, ref: dict[str, Any]) -> None:
    """Every field of ``result`` equals the reference exactly (NaN where the reference has NaN)."""
    ids = result.profile.ids()
    assert list(result.normalised.index) == ref["ranked"]
    assert list(result.normalised.columns) == ids
    for name in ("raw", "normalised", "contributions"):
        frame = getattr(result, name)
        assert list(frame.index) == ref["ranked"] and list(frame.columns) == ids, name
        np.testing.assert_array_equal(frame.to_numpy(dtype=float), ref[name], strict=True, err_msg=name)
    np.testing.assert_array_equal(result.imputed.to_numpy(), ref["imputed"], strict=True)
    np.testing.assert_array_equal(result.weights.to_numpy(), ref["weights"], strict=True)
    assert list(result.weights.index) == ids
    for axis in ("urgentie", "potentie"):
        np.testing.assert_array_equal(result.axis_scores[axis].to_numpy(), ref[axis], strict=True)
    np.testing.assert_array_equal(result.combined.to_numpy(), ref["combined"], strict=True)
    assert str(result.rank.dtype) == "Int64" and result.rank.name == "rang"
    np.testing.assert_array_equal(result.rank.to_numpy(dtype=int), ref["rank"], strict=True)
    assert list(result.quadrant.astype(str)) == ref["quadrant"]
    assert list(result.quadrant.cat.categories) == QUADRANTS
    assert result.thresholds == ref["thresholds"]
    assert list(result.excluded.index) == ref["excluded"]
    assert list(result.excluded["reden"]) == ref["reasons"]
    for frame in (result.axis_scores, result.combined, result.rank, result.quadrant, result.raw):
        assert list(frame.index) == ref["ranked"]
    # to_frame: ranked buurten by rank (ties in table order), then the excluded ones
    frame = result.to_frame()
    order = sorted(range(len(ref["ranked"])), key=lambda i: (ref["rank"][i], i))
    assert list(frame.index) == [ref["ranked"][i] for i in order] + ref["excluded"]
    assert list(frame.columns) == ["urgentie", "potentie", "gecombineerd", "rang", "kwadrant", "reden"]
    ranked, left_out = frame.iloc[: len(order)], frame.iloc[len(order) :]
    np.testing.assert_array_equal(ranked["gecombineerd"].to_numpy(), ref["combined"][order], strict=True)
    assert list(ranked["rang"]) == [ref["rank"][i] for i in order] and str(frame["rang"].dtype) == "Int64"
    assert list(ranked["kwadrant"].astype(str)) == [ref["quadrant"][i] for i in order]
    assert ranked["reden"].isna().all() and list(left_out["reden"]) == ref["reasons"]
    assert left_out["rang"].isna().all() and left_out["gecombineerd"].isna().all()


def _with_gaps(table: pd.DataFrame, columns: dict[str, int], seed: int) -> pd.DataFrame:
    """Knock out values: column → every n-th buurt (offset by seed)."""
    out = table.copy()
    for col, step in columns.items():
        out.loc[out.index[seed % step :: step], col] = np.nan
    return out


def _rounded(table: pd.DataFrame, columns: list[str], step: float) -> pd.DataFrame:
    """Ties: values rounded to ``step``."""
    out = table.copy()
    for col in columns:
        out[col] = np.round(out[col] / step) * step
    return out


DEFAULT = load_profile()


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("method", ["gewogen_som", "topsis"])
@pytest.mark.parametrize("combine", ["gemiddelde", "product"])
def test_default_profile_with_gaps_and_ties(seed: int, method: str, combine: str) -> None:
    """Min-max, percentile rank and goalposts; all three missing-value policies; ties."""
    table = random_table(DEFAULT.ids(), 70, seed=seed)
    table["gem_conditie"] = table["gem_conditie"] / 20  # around the goalposts (raw units)
    table = _rounded(table, ["n_partners_plannen", "investering_per_woning"], 10.0)
    gaps = {"lbm_score": 9, "lbm_soc": 13, "aandeel_label_efg": 5, "gem_conditie": 6}
    table = _with_gaps(table, {**gaps, "investering_per_woning": 7}, seed)
    complete = table.index[table.notna().all(axis=1)]
    table.loc[complete[1:4]] = table.loc[complete[0]].to_numpy()  # four equal buurten: tied ranks
    table["buurtnaam"] = "naam"  # extra columns are ignored
    result = score(table, DEFAULT, method=method, combine=combine)
    assert len(result.excluded) > 0 and result.imputed.to_numpy().any()
    assert result.rank[complete[:4]].nunique() == 1
    assert_same(result, reference(table, DEFAULT, method=method, combine=combine))


@pytest.mark.parametrize("normalisation", ["min_max", "z_score", "percentiel"])
@pytest.mark.parametrize("missing", ["uitsluiten", "mediaan", "slechtste"])
@pytest.mark.parametrize("n", [1, 2, 3, 9, 40, 300])
def test_every_normalisation_policy_and_size(normalisation: str, missing: str, n: int) -> None:
    urgentie = {f"u{i}": float(i % 4) for i in range(9)}  # nine criteria, one weighed 0
    potentie = {"p0": 2.0, "p1": 0.5, "p2": 1.0}
    profile = make_profile(
        urgentie,
        potentie,
        lower=("u1", "u4", "p1"),
        normalisation=normalisation,
        missing=missing,
        thresholds={"urgentie": 0.4, "potentie": "mediaan"},
    )
    table = _rounded(random_table(profile.ids(), n, seed=n), ["u3", "p2"], 25.0)
    if n > 3:
        table = _with_gaps(table, {"u2": 3, "p0": 5}, n)
    if n > 2:
        table["u5"] = 7.0  # a constant column
    method = "topsis" if normalisation != "z_score" and n % 2 else "gewogen_som"
    assert_same(score(table, profile, method=method), reference(table, profile, method=method))


@pytest.mark.parametrize("seed", range(3))
def test_goalposts_integer_and_nullable_columns(seed: int) -> None:
    goalposts = {"name": "doelpalen", "params": {"lo": 10, "hi": 60}}
    narrow = {"name": "doelpalen", "params": {"lo": 20, "hi": 50}}
    criteria = [
        ("a", "urgentie", "lager_is_urgenter", goalposts, "mediaan"),
        ("b", "urgentie", "hoger_is_urgenter", narrow, "slechtste"),
        ("c", "urgentie", "hoger_is_urgenter", {"name": "percentiel"}, "slechtste"),
        ("d", "potentie", "lager_is_kansrijker", {"name": "min_max"}, "slechtste"),
        ("e", "potentie", "hoger_is_kansrijker", {"name": "z_score"}, "mediaan"),
        ("f", "potentie", "hoger_is_kansrijker", {"name": "min_max"}, "uitsluiten"),
    ]
    profile = Profile.model_validate(
        {
            "name": "doelpalen",
            "criteria": [
                dict(zip(("id", "axis", "direction", "normalisation", "missing"), row, strict=True))
                | {"label": row[0], "weight": w}
                for w, row in enumerate(criteria, start=1)
            ],
        }
    )
    rng = np.random.default_rng(seed)
    n = 60
    table = pd.DataFrame(
        {
            "a": rng.uniform(0, 80, n),
            "b": rng.integers(0, 70, n),  # int64
            "c": pd.array(rng.integers(0, 5, n), dtype="Int64"),
            "d": pd.array(rng.uniform(0, 1, n), dtype="Float64"),
            "e": rng.normal(0, 1, n),
            "f": rng.uniform(0, 9, n).astype(np.float32),
        },
        index=pd.Index([f"BU{i:08d}" for i in range(n)], name="buurtcode"),
    )
    table.loc[table.index[::6], "a"] = np.nan
    table.loc[table.index[1::7], "c"] = pd.NA
    table.loc[table.index[2::8], "d"] = pd.NA
    table.loc[table.index[3::11], "f"] = np.nan
    for method in ("gewogen_som", "topsis"):
        overrides = {"a": 0.0, "e": 1.5}
        result = score(table, profile, method=method, weights=overrides)
        assert_same(result, reference(table, profile, method=method, weights=overrides))


def test_prepared_table_scores_the_same() -> None:
    table = _with_gaps(random_table(DEFAULT.ids(), 50, seed=3), {"lbm_fys": 4, "bezit_woningen": 3}, 1)
    prep = prepare(table, DEFAULT)
    ref = reference(table, DEFAULT, weights={"lbm_score": 1.0})
    assert_same(score(prep, DEFAULT, weights={"lbm_score": 1.0}), ref)
    pd.testing.assert_frame_equal(prep.raw, score(table, DEFAULT).raw, check_exact=True)


def test_results_do_not_change_with_the_table_afterwards() -> None:
    """The raw values are built on first use: a table changed after scoring must not show."""
    table = random_table(DEFAULT.ids(), 20, seed=4)
    ref = reference(table, DEFAULT)
    result = score(table, DEFAULT)
    table.iloc[:, :] = -1.0
    table.loc[table.index[0], "lbm_score"] = np.nan
    assert_same(result, ref)


def test_validation_messages_are_unchanged() -> None:
    profile = make_profile({"u": 1}, {"p": 1})
    good = pd.DataFrame({"u": [1.0, 2.0], "p": [3.0, 4.0]}, index=["a", "b"])
    cases = [
        (good.assign(u=[1.0, np.inf]), "criterion column 'u' contains infinite values"),
        (good.assign(p=[-np.inf, 1.0], u=[np.nan, np.inf]), "criterion column 'u' contains infinite values"),
        (good.assign(u=["x", "y"]), "criterion column 'u' must be numeric"),
        (good.assign(u=[True, False]), "criterion column 'u' must be numeric"),
        (good.assign(p=[1, 2], u=[1.0, np.inf]), "criterion column 'u' contains infinite values"),
        (good.drop(columns="p"), "criteria missing from the indicator table: p"),
        (good.iloc[:0], "the indicator table has no rows"),
        (pd.concat([good, good]), "duplicate buurtcodes in the table index: a, b"),
        (good.assign(u=[np.nan, np.nan]), "no buurten left to rank"),
        (pd.concat([good, good["u"]], axis=1), "criterion columns occur more than once in the table: u"),
    ]
    for table, message in cases:
        with pytest.raises(InvalidInput, match=message):
            score(table, profile)
    with pytest.raises(InvalidInput, match="must be a pandas DataFrame"):
        score(good.to_numpy(), profile)
    imputing = make_profile({"u": 1}, {"p": 1}, missing="mediaan")
    with pytest.raises(InvalidInput, match="criterion 'u' has no values for any buurt being ranked"):
        score(good.assign(u=[np.nan, np.nan]), imputing)
    # a column of nothing but missing values, in any dtype, is "no values", not "not numeric"
    with pytest.raises(InvalidInput, match="criterion 'u' has no values"):
        score(good.assign(u=[None, None]), imputing)
