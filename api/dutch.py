"""Dutch numbers, dates and plurals for the texts the server writes itself (the BO dossier's PDF,
SVG and folium maps, notices): "1.234,5", "−0,27", "1 december 2026, 18:32" (Europe/Amsterdam),
"1 project" / "2 projecten". The web map has its own copy of these rules in
``webmap/src/lib/format.js`` (the browser formats there); a missing value is "–".
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["MISSING", "TIMEZONE", "date", "date_time", "number", "plural"]

MISSING = "–"
TIMEZONE = ZoneInfo("Europe/Amsterdam")
_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return True


def number(value: Any, digits: int = 0) -> str:
    """``value`` with a decimal comma and a point between thousands; a real minus sign; never
    "-0"; "–" when missing or not finite."""
    if _missing(value):
        return MISSING
    rounded = round(float(value), digits)
    if rounded == 0:
        rounded = 0.0  # no "-0"
    text = f"{abs(rounded):,.{digits}f}".replace(",", "·").replace(".", ",").replace("·", ".")
    return ("−" if rounded < 0 else "") + text


def plural(n: int | float, one: str, many: str) -> str:
    """``"1 project"``, ``"2 projecten"`` (the count in Dutch digits)."""
    return f"{number(n)} {one if n == 1 else many}"


def _parse(value: Any) -> dt.datetime | dt.date | None:
    if isinstance(value, dt.datetime | dt.date):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        return (
            dt.datetime.fromisoformat(value) if "T" in value or " " in value else dt.date.fromisoformat(value)
        )
    except ValueError:
        return None


def date(value: Any) -> str:
    """ "1 december 2026" from a date, a datetime (its date in Europe/Amsterdam) or ISO text."""
    parsed = _parse(value)
    if parsed is None:
        return MISSING if value in (None, "") else str(value)
    if isinstance(parsed, dt.datetime):
        parsed = (parsed.astimezone(TIMEZONE) if parsed.tzinfo else parsed).date()
    return f"{parsed.day} {_MONTHS[parsed.month - 1]} {parsed.year}"


def date_time(value: Any) -> str:
    """ "1 december 2026, 18:32" in Europe/Amsterdam (a time without a zone is taken as UTC, as
    PostgreSQL's ``timestamptz`` gives it); a date alone gives the date."""
    parsed = _parse(value)
    if parsed is None:
        return MISSING if value in (None, "") else str(value)
    if not isinstance(parsed, dt.datetime):
        return date(parsed)
    local = (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)).astimezone(TIMEZONE)
    return f"{date(local.date())}, {local:%H:%M}"
