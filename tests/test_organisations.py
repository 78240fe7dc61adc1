"""Organisations as data: names, short names, and the delivery checks that take them in."""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.errors import InvalidUpload
from layers.organisations import slugify
from layers.partners.schema import EXAMPLE_ORGANISATIONS, Organisations
from layers.partners.synthetic import load_buurten, write_deliveries
from layers.partners.validate import read_delivery


@pytest.mark.parametrize(
    ("naam", "slug"),
    [
        ("Woonstichting Détente & Co", "woonstichting_detente_co"),
        ("De Woonplaats", "de_woonplaats"),
        ("3B Wonen", "org_3b_wonen"),
    ],
)
def test_slugify(naam: str, slug: str) -> None:
    assert slugify(naam) == slug


def test_the_validator_takes_the_organisations_it_is_given(enschede_buurten: Path, tmp_path: Path) -> None:
    """The checks know no partner of their own: another gemeente's organisations refuse Domijn."""
    domijn = next(p for p in write_deliveries(tmp_path, load_buurten(enschede_buurten)) if "domijn" in p.name)
    assert read_delivery(domijn, organisations=EXAMPLE_ORGANISATIONS).partner == "Domijn"
    elders = Organisations.from_records(
        "GM0344", [("Gemeente Utrecht", "gemeente"), ("Woonin", "corporatie")]
    )
    with pytest.raises(InvalidUpload) as refused:
        read_delivery(domijn, organisations=elders)
    text = str(refused.value.details)
    assert "Domijn" in text and "Gemeente Utrecht" in text and "Woonin" in text
    nobody = Organisations.from_records("GM0344", [])
    with pytest.raises(InvalidUpload) as empty:
        read_delivery(domijn, organisations=nobody)
    assert "sia org add" in str(empty.value.details)


def test_tenant_organisations_and_the_bo_do_not_deliver() -> None:
    orgs = Organisations.from_records(
        "GM0153",
        [
            ("Gemeente X", "gemeente"),
            ("Corp", "corporatie"),
            ("Huurders", "huurdersorganisatie"),
            ("BO", "bo"),
        ],
    )
    assert orgs.leveranciers == ("Gemeente X", "Corp") and orgs.corporaties == ("Corp",)
    assert orgs.partijen == ("Gemeente X", "Corp", "Particulier")
