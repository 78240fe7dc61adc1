"""Dutch numbers, dates and plurals of the texts the server writes (api/dutch.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from api import dutch


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (1234.5, 1, "1.234,5"),
        (0.0912, 2, "0,09"),
        (-0.27, 2, "−0,27"),
        (-0.001, 2, "0,00"),  # never "-0"
        (1_234_567, 0, "1.234.567"),
        (None, 0, "–"),
        (float("nan"), 2, "–"),
        (float("inf"), 2, "–"),
    ],
)
def test_numbers(value: float | None, digits: int, expected: str) -> None:
    assert dutch.number(value, digits) == expected


def test_plurals() -> None:
    assert dutch.plural(1, "project", "projecten") == "1 project"
    assert dutch.plural(2, "project", "projecten") == "2 projecten"
    assert dutch.plural(0, "buurt", "buurten") == "0 buurten"
    assert dutch.plural(1200, "buurt", "buurten") == "1.200 buurten"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-01T17:32:54.997469+00:00", "1 december 2026, 18:32"),  # winter: UTC+1
        ("2026-07-01T10:05:00+00:00", "1 juli 2026, 12:05"),  # summer: UTC+2
        ("2026-03-29T00:59:00+00:00", "29 maart 2026, 01:59"),  # the hour before summer time
        ("2026-03-29T01:00:00+00:00", "29 maart 2026, 03:00"),
        ("2026-12-31T23:30:00+00:00", "1 januari 2027, 00:30"),  # the date in Amsterdam
        (dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC), "3 december 2026, 11:00"),
        ("2027-03-02", "2 maart 2027"),
        (None, "–"),
        ("geen datum", "geen datum"),
    ],
)
def test_dates_and_times_in_amsterdam(value: object, expected: str) -> None:
    assert dutch.date_time(value) == expected


def test_dates() -> None:
    assert dutch.date("2027-03-02") == "2 maart 2027"
    assert dutch.date("2026-12-31T23:30:00+00:00") == "1 januari 2027"
    assert dutch.date(dt.date(2026, 5, 9)) == "9 mei 2026"
