"""The codes every part of the tool shares: periods, gemeente, wijk and buurt codes.

One definition each (DESIGN.md: a rule lives in one place). The API builds its ``Annotated``
request types from these patterns (``api/types.py``), the loaders and validators match them,
and the migrations repeat them as CHECK constraints.
"""

from __future__ import annotations

import re

__all__ = [
    "BUURTCODE_PATTERN",
    "GEMEENTE_PATTERN",
    "PERIOD_PATTERN",
    "WIJKCODE_PATTERN",
    "is_period",
    "period_key",
    "sort_periods",
]

PERIOD_PATTERN = r"^\d{4}-(voorjaar|najaar)$"
"""A delivery period: spring (verantwoording, dVi) or autumn (prospectief, dPi) of a year."""
GEMEENTE_PATTERN = r"^GM\d{4}$"
WIJKCODE_PATTERN = r"^WK\d{4}[0-9A-Z]{2}$"
BUURTCODE_PATTERN = r"^BU\d{4}[0-9A-Z]{4}$"  # since 2022 CBS codes may hold letters

_PERIOD_RE = re.compile(PERIOD_PATTERN)


def is_period(value: object) -> bool:
    return isinstance(value, str) and _PERIOD_RE.match(value) is not None


def period_key(periode: str) -> tuple[int, int]:
    """Sort key: ``2026-voorjaar`` < ``2026-najaar`` < ``2027-voorjaar``."""
    if not is_period(periode):
        raise ValueError(f"'{periode}' is geen periode; verwacht jaar-voorjaar of jaar-najaar")
    return int(periode[:4]), 1 if periode.endswith("najaar") else 0


def sort_periods(periods: list[str], *, newest_first: bool = True) -> list[str]:
    return sorted(set(periods), key=period_key, reverse=newest_first)
