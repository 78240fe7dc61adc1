"""Request types shared by every router: period, gemeente, year, edition, weights and texts.

Built from ``layers.codes`` so the API, the loaders and the database agree on one pattern.
Texts refuse NUL and other control characters (PostgreSQL cannot store NUL; control characters
are never meant) and have a maximum length, so a malformed request is a Dutch 422, never a 500.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from layers.codes import BUURTCODE_PATTERN, GEMEENTE_PATTERN, PERIOD_PATTERN

__all__ = [
    "Buurtcode",
    "Editie",
    "Gemeente",
    "Jaar",
    "KorteTekst",
    "LangeTekst",
    "Naam",
    "Periode",
    "Weight",
]

Periode = Annotated[str, StringConstraints(pattern=PERIOD_PATTERN)]
Gemeente = Annotated[str, StringConstraints(pattern=GEMEENTE_PATTERN)]
Buurtcode = Annotated[str, StringConstraints(pattern=BUURTCODE_PATTERN)]
Jaar = Annotated[int, Field(ge=1990, le=2100)]
Editie = Annotated[int, Field(ge=2000, le=2100)]
Weight = Annotated[float, Field(ge=0, le=1_000_000, allow_inf_nan=False)]
"""A raw criterion weight; weights are normalised per axis, so only ratios matter."""
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
"""The id of a stored object (a bigint): a larger number is a 422, never a database overflow."""
Versie = Annotated[int, Field(ge=1, le=2**31 - 1)]
"""A version number (an integer column)."""

_CONTROL_IN_TEXT = frozenset({chr(c) for c in range(32)} - {"\t", "\n", "\r"} | {"\x7f"})
"""Refused in texts (comments, motivations): every control character except tab and line breaks."""
_CONTROL_IN_NAME = frozenset({chr(c) for c in range(32)} | {"\x7f"})
"""Refused in names: every control character, tab and line breaks included (a name is one line;
it ends up in file names, Excel cells, headers and lists)."""


def _refusing(control: frozenset[str]) -> AfterValidator:
    def check(value: str) -> str:
        bad = sorted({f"U+{ord(c):04X}" for c in value if c in control})
        if bad:
            raise ValueError(f"bevat niet-toegestane stuurtekens ({', '.join(bad)})")
        return value

    return AfterValidator(check)


_TEXT = _refusing(_CONTROL_IN_TEXT)
_NAME = _refusing(_CONTROL_IN_NAME)
Naam = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), _NAME]
"""A name (scenario, proposal, organisation, person): 1–120 characters on one line, no control
characters at all (no tab or line break either)."""
KorteTekst = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), _TEXT]
"""A short text: at most 500 characters; tab and line breaks allowed."""
LangeTekst = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000), _TEXT]
"""A motivation or comment: at most 20,000 characters; tab and line breaks allowed."""
