"""The Dutch text of a 422: lists of valid values are joined with "of", never pydantic's "or"."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any, Literal

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from api.errors import _dutch
from api.main import create_app
from api.settings import Settings
from tests.dutch import assert_dutch_body


class _Kleur(StrEnum):
    rood = "rood"
    groen = "groen"
    blauw = "blauw"


class _A(BaseModel):
    soort: Literal["punt"]


class _B(BaseModel):
    soort: Literal["vlak"]


def _first_error(kind: Any, value: Any) -> dict[str, Any]:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(kind).validate_python(value)
    return dict(caught.value.errors()[0])


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (Literal["csv", "gpkg"], "xls", "'formaat' moet een van 'csv' of 'gpkg' zijn"),
        (Literal["a", "b", "c"], "d", "'formaat' moet een van 'a', 'b' of 'c' zijn"),
        (Literal[1, 2], 3, "'formaat' moet een van 1 of 2 zijn"),
        (_Kleur, "geel", "'formaat' moet een van 'rood', 'groen' of 'blauw' zijn"),
        (Literal["alleen"], "x", "'formaat' moet een van 'alleen' zijn"),
    ],
)
def test_choices_are_joined_in_dutch(kind: Any, value: Any, expected: str) -> None:
    error = _first_error(kind, value)
    error["loc"] = ("query", "formaat")
    assert _dutch(error)["melding"] == expected


def test_union_tags_are_joined_in_dutch() -> None:
    error = _first_error(Annotated[_A | _B, Field(discriminator="soort")], {"soort": "lijn"})
    assert error["type"] == "union_tag_invalid"
    assert _dutch(error)["melding"].endswith("verwacht 'punt' of 'vlak'")


@pytest.fixture(scope="module")
def client(loaded_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=loaded_url, gemeente="GM0153"))) as c:
        yield c


@pytest.mark.postgis
def test_a_wrong_format_is_refused_in_dutch(client: TestClient) -> None:
    res = client.get("/api/voorstellen/export", params={"formaat": "xls"})
    assert res.status_code == 422
    body = res.json()
    assert_dutch_body(body)
    assert body["details"][0]["melding"] == "'formaat' moet een van 'geojson' of 'gpkg' zijn"
    assert " or " not in res.text
