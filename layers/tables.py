"""Tables from users' files: CSV text and Excel workbooks, read with the row numbers users see.

Shared by the Leefbaarometer loader (through :func:`layers.readers.read_vector`) and the partner
deliveries. CSV: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252; the separator is the
one the header line holds most of (``;``, tab, ``,`` or ``|``). Workbooks are checked by
:func:`layers.files.check_workbook` (macros, DTDs, unpacked size) before openpyxl opens them, and
their used range, rows and columns are held to the limits while they are read.
"""

from __future__ import annotations

import csv
import io
import logging
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from layers.files import LOADER_LIMITS, FileProblem, Limits, check_workbook

log = logging.getLogger("sia.layers")

csv.field_size_limit(max(LOADER_LIMITS.text_chars, csv.field_size_limit()))  # cells are limited per use


def decode_text(raw: bytes) -> str:
    """Text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise FileProblem("de UTF-16-tekst is beschadigd", "een CSV-bestand in UTF-8") from None
    if b"\x00" in raw:
        raise FileProblem(
            "het bestand bevat NUL-bytes: het is geen tekst (of een beschadigd bestand)",
            "een CSV-bestand (tekst) in UTF-8",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def csv_rows(text: str, *, limits: Limits) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, values) rows of a CSV text; ``;``, tab, ``,`` or ``|`` separated.

    The separator is the one the header line holds most of (Dutch Excel writes ``;``)."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise FileProblem("het bestand is leeg", "een kopregel en minstens één rij")
    delimiter = max(";\t,|", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    header: list[str] | None = None
    body: list[tuple[int, list[str]]] = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if header is None:
                header = [v.strip() for v in values]
                if len(header) > limits.columns:
                    raise FileProblem(
                        f"de kopregel heeft {len(header)} kolommen", f"hoogstens {limits.columns} kolommen"
                    )
                continue
            body.append((reader.line_num, values))
            if len(body) > limits.rows:
                raise FileProblem(
                    f"het bestand heeft meer dan {limits.rows:,} rijen".replace(",", "."),
                    f"hoogstens {limits.rows:,} rijen".replace(",", "."),
                )
    except csv.Error:
        raise FileProblem(
            f"regel {reader.line_num} kan niet als CSV worden gelezen (een waarde is te lang, of een "
            "aanhalingsteken sluit niet)",
            f"een CSV-bestand met een kopregel en waarden van hoogstens {_thousands(limits.text_chars)} "
            "tekens",
        ) from None
    return header or [], body


def read_csv_table(path: Path, *, limits: Limits = LOADER_LIMITS) -> pd.DataFrame:
    """A CSV file as a DataFrame of texts; the index plus 2 is the row number the user sees."""
    header, body = csv_rows(decode_text(path.read_bytes()), limits=limits)
    return _frame(header, body)


def _frame(header: list[Any], body: list[tuple[int, list[Any]]]) -> pd.DataFrame:
    names = [str(h).strip() if h is not None else "" for h in header]
    if not any(names):
        raise FileProblem("de kopregel (rij 1) is leeg", "kolomnamen in de eerste rij")
    for i, row in body:
        extra = [v for v in row[len(names) :] if v not in (None, "")]
        if extra:
            raise FileProblem(
                f"rij {i} heeft {len(row)} waarden, de kopregel {len(names)} kolommen "
                f"(overtollige waarde '{str(extra[0])[:40]}')",
                "evenveel waarden als kolommen (staat het scheidingsteken ook in een waarde?)",
            )
    data = {
        name or f"kolom_{pos + 1}": [
            (None if row[pos] in (None, "") else str(row[pos])) if pos < len(row) else None for _, row in body
        ]
        for pos, name in enumerate(names)
    }
    frame = pd.DataFrame(data, dtype=object)
    frame.index = pd.Index([i - 2 for i, _ in body], dtype="int64")
    frame.attrs["first_row"] = 2  # index + 2 = the row number the user sees
    return frame


def excel_sheets(
    path: Path, *, limits: Limits, only: set[str] | None = None
) -> dict[str, list[tuple[int, list[Any]]]]:
    """Rows (row number, values) of each sheet (title lower-cased, stripped), or only of ``only``.

    The workbook is checked first (macros, DTDs, unpacked size); filled rows and columns are
    counted while reading and stop at the limits."""
    from openpyxl import load_workbook

    check_workbook(path, limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        log.info("openpyxl could not open %s: %s", path.name, exc)
        raise FileProblem(
            "het bestand kan niet als Excel-werkmap (.xlsx) worden gelezen", "een Excel-werkmap (.xlsx)"
        ) from None
    try:
        sheets: dict[str, list[tuple[int, list[Any]]]] = {}
        for ws in wb.worksheets:
            title = ws.title.strip().lower()
            if only is not None and title not in only:
                continue
            sheets[title] = _sheet_rows(ws, title, limits)
        return sheets
    except FileProblem:
        raise
    except Exception as exc:
        log.info("openpyxl could not read %s: %s", path.name, exc)
        raise FileProblem(
            "de werkmap is beschadigd en kan niet worden gelezen", "een Excel-werkmap (.xlsx)"
        ) from None
    finally:
        wb.close()


def _sheet_rows(ws: Any, title: str, limits: Limits) -> list[tuple[int, list[Any]]]:
    # the sheet's own <dimension> (its used range), read before any row: refuse early
    used_cols, used_rows = getattr(ws, "_max_column", None), getattr(ws, "_max_row", None)
    if used_cols is not None and used_cols > limits.columns:
        raise FileProblem(
            f"blad '{title}' gebruikt {used_cols:,} kolommen".replace(",", "."),
            f"hoogstens {limits.columns} kolommen (verwijder lege of opgemaakte kolommen rechts)",
        )
    if used_rows is not None and used_rows > limits.rows + 1:
        raise FileProblem(
            f"blad '{title}' gebruikt {used_rows:,} rijen".replace(",", "."),
            f"hoogstens {_thousands(limits.rows)} rijen per blad (verwijder lege of opgemaakte rijen "
            "onderaan)",
        )
    rows: list[tuple[int, list[Any]]] = []
    for number, values in enumerate(ws.iter_rows(max_col=limits.columns + 1, values_only=True), 1):
        if not any(v is not None and v != "" for v in values):
            continue
        if len(values) > limits.columns and values[limits.columns] not in (None, ""):
            raise FileProblem(
                f"blad '{title}' heeft gegevens in kolom {limits.columns + 1} of verder",
                f"hoogstens {limits.columns} kolommen",
            )
        rows.append((number, list(values[: limits.columns])))
        if len(rows) > limits.rows + 1:  # + the header row
            raise FileProblem(
                f"blad '{title}' heeft meer dan {_thousands(limits.rows)} rijen",
                f"hoogstens {_thousands(limits.rows)} rijen per blad",
            )
    return rows


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def read_excel_tables(path: Path, *, limits: Limits = LOADER_LIMITS) -> dict[str, pd.DataFrame]:
    """Every sheet as a DataFrame of texts, header in its first filled row; the index plus 2 is the
    sheet's row number."""
    out = {}
    for title, rows in excel_sheets(path, limits=limits).items():
        if not rows:
            continue
        out[title] = _frame(rows[0][1], rows[1:])
    return out
