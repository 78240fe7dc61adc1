"""Collecting upload problems and parsing single cell values (internal helpers of validate)."""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from layers.errors import InvalidUpload
from layers.files import UPLOAD_LIMITS, brief, control_characters
from layers.partners.schema import BUURTCODE_RE, POSTCODE_RE, Column

_SHOWN_IN_SUMMARY = 3
_NOUN = {
    "corporatie": "geen bekende corporatie",
    "partij": "geen bekende partij",
    "partner": "geen bekende partner",
    "energielabel": "geen geldig energielabel",
    "huurklasse": "geen geldige huurklasse",
    "type": "geen geldig projecttype",
    "status": "geen geldige projectstatus",
    "vertrouwelijkheid": "geen geldige vertrouwelijkheidsklasse",
}


class Bad(Exception):
    """One cell value is wrong: ``core`` says what, ``expected`` what was expected."""

    def __init__(self, core: str, expected: str | None = None) -> None:
        super().__init__(core)
        self.core = core
        self.expected = expected


def show(value: Any) -> str | None:
    """A value as the user typed it (integers without ``.0``)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class Problems:
    """Every problem found in one file, as detail dicts with a Dutch message each."""

    bestand: str
    excel: bool = True
    items: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        core: str,
        *,
        blad: str | None = None,
        rij: int | None = None,
        kolom: str | None = None,
        waarde: Any = None,
        verwacht: str | None = None,
        veld: bool = False,
    ) -> None:
        """Record one problem; the message starts with where it is."""
        where = []
        if blad is not None:
            where.append(f"Blad '{blad}'" if self.excel else f"Laag '{blad}'")
        else:
            where.append(f"Bestand '{self.bestand}'")
        if rij is not None:
            where.append(f"rij {rij}")
        if kolom is not None:
            where.append(f"{'veld' if veld else 'kolom'} '{kolom}'")
        text = f"{', '.join(where)}: {brief(core, 400)}"
        text += f"; verwacht {verwacht}." if verwacht else "."
        self.items.append(
            {
                "bestand": self.bestand,
                "blad": blad,
                "rij": rij,
                "kolom": kolom,
                "waarde": None if waarde is None else brief(show(waarde) or "", 200),
                "verwacht": verwacht,
                "melding": text,
            }
        )

    def bad(self, exc: Bad, **where: Any) -> None:
        """Record a :class:`Bad` cell value."""
        self.add(exc.core, verwacht=exc.expected, **where)

    def raise_if_any(self) -> None:
        """Raise :class:`InvalidUpload` listing every problem, if there is any."""
        if not self.items:
            return
        n = len(self.items)
        first = " ".join(d["melding"] for d in self.items[:_SHOWN_IN_SUMMARY])
        more = f" (en nog {n - _SHOWN_IN_SUMMARY})" if n > _SHOWN_IN_SUMMARY else ""
        word = "probleem" if n == 1 else "problemen"
        raise InvalidUpload(
            f"Bestand '{self.bestand}' is afgekeurd: {n} {word} gevonden. {first}{more}",
            details=self.items,
        )


def is_empty(value: Any) -> bool:
    """True for None, NaN, pandas NA and blank text."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # pandas NA / NaT
    except (TypeError, ValueError):
        return False


def _number(value: Any) -> float | None:
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        s = value.strip().replace("\u00a0", "").replace(" ", "")
        if re.fullmatch(r"[+-]?\d+", s):
            return float(int(s))
        if re.fullmatch(r"[+-]?\d*[.,]\d+", s):
            return float(s.replace(",", "."))
        if re.fullmatch(r"[+-]?\d+(\.\d+)?[eE][+-]?\d+", s):
            return float(s)
    return None


def _choice(col: Column, value: Any) -> str:
    allowed = col.allowed or ()
    text = show(value.item() if hasattr(value, "item") else value) or ""
    key = " ".join(text.split()).lower()
    if col.name == "energielabel":
        key = key.replace(" ", "")
    for option in allowed:
        if option.lower() == key:
            return option
    noun = _NOUN.get(col.name, "geen toegestane waarde")
    close = difflib.get_close_matches(text, allowed, n=1, cutoff=0.6)
    hint = f" (bedoelt u '{close[0]}'?)" if close and col.name != "energielabel" else ""
    raise Bad(f"waarde '{text}' is {noun}{hint}", col.expected())


def _janee(value: Any) -> bool:
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, bool):
        return value
    key = str(value).strip().lower()
    if key in {"ja", "j", "waar", "true"}:
        return True
    if key in {"nee", "n", "onwaar", "false"}:
        return False
    raise Bad(f"waarde '{show(value)}' is geen ja of nee", "ja of nee")


def _wkt(value: Any) -> BaseGeometry:
    text = str(value).strip()
    if len(text) > UPLOAD_LIMITS.text_chars:
        raise Bad(
            f"de WKT-geometrie is {len(text):,} tekens lang".replace(",", "."),
            f"hoogstens {UPLOAD_LIMITS.text_chars:,} tekens (vereenvoudig het vlak)".replace(",", "."),
        )
    try:
        geom = shapely.from_wkt(text)
    except shapely.errors.GEOSException:
        raise Bad(
            f"waarde '{text[:60]}' is geen geldige WKT-geometrie",
            "POINT (x y) of POLYGON ((x y, ...)) in RD New",
        ) from None
    if geom is None or geom.is_empty:
        raise Bad("de geometrie is leeg", "een punt of vlak")
    if geom.geom_type not in {"Point", "Polygon", "MultiPolygon"}:
        raise Bad(
            f"geometrietype {geom.geom_type} wordt niet ondersteund",
            "een punt of vlak (Point, Polygon of MultiPolygon)",
        )
    vertices = shapely.get_num_coordinates(geom)
    if vertices > UPLOAD_LIMITS.vertices_per_geometry:
        raise Bad(
            f"het vlak heeft {vertices:,} hoekpunten".replace(",", "."),
            f"hoogstens {UPLOAD_LIMITS.vertices_per_geometry:,} (vereenvoudig het vlak)".replace(",", "."),
        )
    if not geom.is_valid:
        raise Bad("het vlak is ongeldig (bijvoorbeeld zelfdoorsnijdend)", "een geldig vlak")
    return shapely.force_2d(geom)


def parse(col: Column, value: Any, *, buurtcodes: set[str] | None = None) -> Any:
    """Parse one non-empty cell for ``col``; raise :class:`Bad` when it is not valid.

    Texts with control characters (NUL and friends; PostgreSQL cannot even store NUL) and texts
    longer than the limit are refused for every kind of column."""
    if isinstance(value, str):
        if bad := control_characters(value):
            raise Bad(f"de tekst bevat niet-toegestane stuurtekens ({bad})", "tekst zonder stuurtekens")
        if len(value) > UPLOAD_LIMITS.text_chars:
            raise Bad(
                f"de tekst is {len(value):,} tekens lang".replace(",", "."),
                f"hoogstens {UPLOAD_LIMITS.text_chars:,} tekens".replace(",", "."),
            )
    if col.kind in {"geheel", "getal"}:
        number = _number(value)
        word = "geheel getal" if col.kind == "geheel" else "getal"
        if number is None or not math.isfinite(number):
            raise Bad(f"waarde '{show(value)}' is geen {word}", col.expected())
        if col.kind == "geheel" and not number.is_integer():
            raise Bad(f"waarde '{show(value)}' is geen geheel getal", col.expected())
        lo, hi = col.minimum, col.max_value()
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            raise Bad(f"waarde '{show(value)}' valt buiten het toegestane bereik", col.expected())
        return int(number) if col.kind == "geheel" else number
    if col.kind == "keuze":
        return _choice(col, value)
    if col.kind == "janee":
        return _janee(value)
    if col.kind == "wkt":
        return _wkt(value)
    text = " ".join(str(show(value)).split())
    if col.kind == "postcode":
        if not POSTCODE_RE.match(text):
            raise Bad(f"waarde '{text}' is geen geldige postcode", col.expected())
        return text.replace(" ", "").upper()
    if col.kind == "buurtcode":
        code = text.upper()
        if not BUURTCODE_RE.match(code):
            raise Bad(f"waarde '{text}' is geen geldige buurtcode", col.expected())
        if buurtcodes is not None and code not in buurtcodes:
            raise Bad(
                f"buurtcode '{code}' is onbekend in deze gemeente",
                "een buurtcode van de gemeente (CBS wijk- en buurtkaart)",
            )
        return code
    return text
