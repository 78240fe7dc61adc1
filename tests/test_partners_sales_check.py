"""Agreement 4.1 on planned sales, checked on inline rows."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from layers.partners.sales_check import check_sales

# (conditie, energielabel, kluswoning, gemeld, violation expected, words in reden)
ROWS = [
    (3, "C", False, False, False, []),
    (1, "A+++", True, True, False, []),
    (4, "C", False, False, True, ["conditie 4", "geen kluswoning", "niet gemeld"]),
    (6, "B", True, False, True, ["conditie 6", "niet gemeld"]),
    (2, "F", False, True, True, ["energielabel F", "geen kluswoning"]),
    (3, "G", True, True, False, ["uitzondering", "kluswoning", "energielabel G"]),
    (5, "G", True, True, False, ["uitzondering", "conditie 5", "energielabel G"]),
    (5, "E", False, False, True, ["conditie 5"]),
    (3, "E", False, False, False, []),
]


def test_each_rule() -> None:
    frame = pd.DataFrame(
        ROWS, columns=["conditie", "energielabel", "kluswoning", "gemeld_aan_gemeente", "verwacht", "woorden"]
    )
    out = check_sales(frame.drop(columns=["verwacht", "woorden"]))
    assert out["overtreding"].dtype == bool
    assert out["overtreding"].tolist() == frame["verwacht"].tolist()
    for reden, woorden, bad in zip(out["reden"], frame["woorden"], frame["verwacht"], strict=True):
        for word in woorden:
            assert word in reden
        assert (reden.startswith("strijdig met afspraak 4.1")) == bad
        if not woorden:
            assert reden == ""


def test_keeps_frame_and_accepts_ja_nee() -> None:
    gdf = gpd.GeoDataFrame(
        {
            "conditie": pd.array([4, 2], dtype="Int64"),
            "energielabel": ["D", "G"],
            "kluswoning": ["ja", "nee"],
            "gemeld_aan_gemeente": ["ja", "ja"],
        },
        geometry=[Point(0, 0), Point(1, 1)],
        crs=28992,
    )
    out = check_sales(gdf)
    assert isinstance(out, gpd.GeoDataFrame) and out.crs == gdf.crs
    assert out["overtreding"].tolist() == [False, True]
    assert "overtreding" not in gdf.columns  # input untouched


def test_unknown_condition_is_not_a_violation_but_said() -> None:
    frame = pd.DataFrame(
        {
            "conditie": pd.array([None], dtype="Int64"),
            "energielabel": ["B"],
            "kluswoning": [False],
            "gemeld_aan_gemeente": [False],
        }
    )
    out = check_sales(frame)
    assert not out["overtreding"].iloc[0]
    assert "conditie onbekend" in out["reden"].iloc[0]


def test_missing_column() -> None:
    with pytest.raises(KeyError, match="kluswoning"):
        check_sales(pd.DataFrame({"conditie": [1], "energielabel": ["A"], "gemeld_aan_gemeente": [True]}))
