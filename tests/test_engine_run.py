"""sia.run: the rules around the engine (left-out criteria, one known axis, weight checks,
synthetic per criterion, robustness summaries), on inline numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sia.errors import InvalidInput
from sia.run import Analyses, EenVoorEen, MonteCarlo, records, run, score_profile, without_empty_criteria

from .test_engine_support import make_profile, random_table


def _table(ids: list[str], n: int = 30, seed: int = 1) -> pd.DataFrame:
    table = random_table(ids, n, seed=seed)
    table["buurtnaam"] = [f"buurt {i}" for i in range(n)]
    return table


def test_a_profile_with_urgency_only_ranks_by_urgency() -> None:
    """Why: 'a profile with only urgency criteria is refused'; now it ranks by urgency, its
    quadrant 'potentie onbekend', its potential unknown (None), not 0."""
    profile = make_profile({"u1": 2, "u2": 1}, {}, combine="product")  # product would tie every buurt
    table = _table(["u1", "u2"])
    done = run(table, profile, Analyses(monte_carlo=MonteCarlo(trekkingen=200), een_voor_een=EenVoorEen()))
    out = done.output
    urgency = (
        2 * (table.u1 - table.u1.min()) / np.ptp(table.u1) + (table.u2 - table.u2.min()) / np.ptp(table.u2)
    ) / 3
    expected = urgency.rank(ascending=False, method="min").astype(int)
    got = {b["buurtcode"]: b["rang"] for b in out["buurten"]}
    assert got == expected.to_dict()
    assert {b["kwadrant"] for b in out["buurten"]} == {"potentie_onbekend"}
    assert all(
        b["potentie"] is None and b["gecombineerd"] == pytest.approx(b["urgentie"]) for b in out["buurten"]
    )
    assert out["assen"] == {"urgentie": True, "potentie": False} and out["drempels"]["potentie"] is None
    assert "Potentie onbekend: het profiel 'test' heeft geen potentie-criteria" in out["melding"]
    assert sum(r["p_top"] for r in out["robuustheid"]) == pytest.approx(10)
    assert out["een_voor_een"]["criteria"] and "weggelaten" not in out


def test_a_profile_with_potential_only_ranks_by_potential() -> None:
    profile = make_profile({}, {"p1": 1})
    table = _table(["p1"])
    out = run(table, profile).output
    best = table["p1"].idxmax()
    assert next(b for b in out["buurten"] if b["rang"] == 1)["buurtcode"] == best
    assert {b["kwadrant"] for b in out["buurten"]} == {"urgentie_onbekend"}


def test_criteria_without_data_are_left_out_and_listed() -> None:
    profile = make_profile({"u1": 1, "leeg": 3}, {"p_leeg": 1})
    table = _table(["u1", "leeg", "p_leeg"])
    table["leeg"] = np.nan
    table["p_leeg"] = np.nan
    done = run(table, profile, where="GM9999")
    assert [c["id"] for c in done.left_out] == ["leeg", "p_leeg"]
    assert done.profile.ids() == ["u1"] and list(done.output["gewichten"]) == ["u1"]
    assert "er zijn geen gegevens voor de potentie-criteria (GM9999)" in done.output["melding"]


def test_a_criterion_with_values_only_in_buurten_not_ranked_is_left_out() -> None:
    """Why: a share the disclosure rule suppresses wherever one corporation's confidential records
    are kept its values only in buurten that another criterion ('uitsluiten') keeps out of the
    ranking, and every score of the public was a 400 'nothing to impute from'."""
    profile = make_profile({"u1": 1, "gedeeld": 1}, {"p1": 1})
    data = profile.model_dump()
    for c in data["criteria"]:
        c["missing"] = "uitsluiten" if c["id"] == "u1" else "mediaan"
    profile = type(profile).model_validate(data)
    table = _table(["u1", "gedeeld", "p1"])
    table.loc[table.index[:10], "u1"] = np.nan  # not ranked
    table.loc[table.index[10:], "gedeeld"] = np.nan  # values only where u1 is missing
    done = run(table, profile)
    assert [(c["id"], c["reden"]) for c in done.left_out] == [
        ("gedeeld", "geen waarde voor de buurten die gerangschikt worden")
    ]
    assert done.profile.ids() == ["u1", "p1"]
    ranked = [b for b in done.output["buurten"] if b["rang"] is not None]
    assert {b["buurtcode"] for b in ranked} == set(table.index[10:])


def test_nothing_left_is_a_dutch_error_offering_only_the_given_profiles() -> None:
    profile = make_profile({"leeg": 1}, {})
    table = _table(["leeg"])
    table["leeg"] = np.nan
    with pytest.raises(InvalidInput, match="kies een ander profiel: default.$") as err:
        without_empty_criteria(profile, table, where="GM0164", alternatives=["test", "default"])
    assert "Er zijn geen gegevens voor de criteria van profiel 'test' (GM0164): leeg" in err.value.message
    with pytest.raises(InvalidInput) as none:
        without_empty_criteria(profile, table, alternatives=[])
    assert "kies een ander profiel" not in none.value.message


def test_an_axis_with_zero_weights_is_a_dutch_error() -> None:
    profile = make_profile({"u1": 0, "u2": 0}, {"p1": 1})
    with pytest.raises(InvalidInput, match="Alle gewichten van de urgentie staan op 0; .*u1, u2"):
        run(_table(["u1", "u2", "p1"]), profile)


def test_synthetic_only_where_a_weighed_criterion_is() -> None:
    profile = make_profile({"u1": 1}, {"p1": 1, "p2": 0})
    table = _table(["u1", "p1", "p2"])
    sources = {
        "u1": {"synthetisch": False, "bron": "Leefbaarometer 2024"},
        "p1": {"synthetisch": False},
        "p2": {"synthetisch": True},
    }
    done = run(table, profile, sources=sources)
    assert done.synthetic is False and done.output["synthetisch"] is False  # p2 has weight 0
    flags = {c["id"]: c["synthetisch"] for c in done.criteria}
    assert flags == {"u1": False, "p1": False, "p2": True}
    assert done.criteria[0]["bron"] == "Leefbaarometer 2024"
    weighed = run(table, make_profile({"u1": 1}, {"p1": 1, "p2": 1}), sources=sources)
    assert weighed.synthetic is True


def test_score_profile_with_both_axes_is_the_plain_score() -> None:
    from sia.scoring import score

    profile = make_profile({"u1": 1}, {"p1": 2})
    table = _table(["u1", "p1"])
    pd.testing.assert_frame_equal(score_profile(table, profile).to_frame(), score(table, profile).to_frame())


def test_partner_comparison_needs_partner_weights() -> None:
    profile = make_profile({"u1": 1}, {"p1": 1})
    with pytest.raises(InvalidInput, match="geen partnerprofielen"):
        run(_table(["u1", "p1"]), profile, Analyses(partnerprofielen=True))
    with_partners = make_profile({"u1": 1}, {"p1": 1}, partners={"a": {"u1": 3}, "b": {"p1": 3}})
    out = run(
        _table(["u1", "p1"]), with_partners, Analyses(partnerprofielen=True), partner_labels={"a": "Org A"}
    )
    assert out.output["partnerprofielen"]["partners"] == {"a": "Org A", "b": "b"}


def test_records_are_plain_python() -> None:
    frame = pd.DataFrame(
        {"rang": pd.array([1, None], dtype="Int64"), "x": [np.float64(0.5), np.nan], "b": [np.True_, False]},
        index=pd.Index(["BU01530000", "BU01530001"], name="buurtcode"),
    )
    assert records(frame) == [
        {"buurtcode": "BU01530000", "rang": 1, "x": 0.5, "b": True},
        {"buurtcode": "BU01530001", "rang": None, "x": None, "b": False},
    ]
