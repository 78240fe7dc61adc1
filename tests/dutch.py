"""What every answer to bad input must be: Dutch, specific, and free of library text."""

from __future__ import annotations

import re
from typing import Any

# Text that only a library, a traceback or an English framework default would write
RAW = (
    "Traceback",
    "Error:",
    "Exception",
    "index 0 is out of bounds",
    "CONVERSION",
    "np.float64",
    "/vsizip/",
    "/tmp/",
    "pyogrio",
    "GDAL",
    "psycopg",
    "sqlalchemy",
    "Not Found",
    "Content Too Large",
    "There was an error",
    "Field required",
    "Input should",
    "not recognized",
    "Unable to open",
    "SHAPE_RESTORE_SHX",
)
_DUTCH_WORDS = re.compile(
    r"\b(het|de|een|niet|geen|is|verwacht|bestand|waarde|kolom|rij|te|van|bevat|ongeldige?|hoogstens|"
    r"moet|zijn|getal|ontbreekt|invoer|groot|verzoek)\b"
)


def assert_dutch(text: str) -> None:
    """A message a user may read: Dutch words, no library or framework text."""
    assert text and len(_DUTCH_WORDS.findall(text)) >= 2, f"not a Dutch sentence: {text!r}"
    for raw in RAW:
        assert raw not in text, f"library text {raw!r} reaches the user: {text!r}"


def assert_dutch_body(body: dict[str, Any]) -> None:
    """An error body: a Dutch ``melding`` and, for every detail, a Dutch ``melding`` as well."""
    assert "fout" in body and "melding" in body, body
    assert_dutch(body["melding"])
    for detail in body.get("details", []):
        assert_dutch(detail["melding"])
