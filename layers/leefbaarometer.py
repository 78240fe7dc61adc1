"""Leefbaarometer loader: overall score and class and the five dimensions per buurt.

Accepts the BZK Leefbaarometer as published (WFS/GeoPackage field names ``bu_code``, ``afw``,
``kscore``, ``won`` ... of the 3.x editions) and the flattened ``lbm_*`` names, as GIS file or CSV;
joined to the buurten on buurtcode. Buurten without a score are reported, never silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, text

from layers.cbs import LoadResult, already_loaded, log_load, source_sha256
from layers.files import LOADER_LIMITS, Limits
from layers.readers import (
    BUURTCODE_RE,
    Candidate,
    Progress,
    cbs_missing_to_nan,
    check_codes,
    check_texts,
    not_numbers,
    problem,
    raise_if_problems,
    read_vector,
    rename_aliases,
    to_python,
)

DIMENSIONS = ["won", "fys", "vrz", "soc", "onv"]
ALIASES: dict[str, list[str]] = {
    "buurtcode": ["buurtcode", "bu_code", "code", "statcode"],
    "buurtnaam": ["buurtnaam", "bu_naam", "naam", "statnaam"],
    "score": ["lbm_afw", "afw", "score"],
    "klasse": ["lbm_kscore", "kscore", "klasse"],
    "editie": ["lbm_year", "editie", "jaar", "year"],
    **{dim: [f"lbm_{dim}", dim] for dim in DIMENSIONS},
    **{f"k{dim}": [f"lbm_k{dim}", f"k{dim}"] for dim in DIMENSIONS},
}
VALUE_COLUMNS = ["score", "klasse", *DIMENSIONS, *(f"k{d}" for d in DIMENSIONS)]


@dataclass
class PreparedLeefbaarometer:
    path: Path
    sha256: str
    editie: int
    frame: pd.DataFrame  # buurtcode, buurtnaam, score, klasse, dimensions and their classes
    without_score: list[str] = field(default_factory=list)


def holds_scores(candidate: Candidate, sample: pd.DataFrame) -> bool:
    """Whether a layer or sheet holds Leefbaarometer scores per buurt: buurtcodes and a score."""
    renamed = rename_aliases(sample, {k: ALIASES[k] for k in ("buurtcode", "score")})
    if not {"buurtcode", "score"} <= set(renamed.columns):
        return False
    codes = renamed["buurtcode"].dropna().astype(str).str.strip()
    return len(codes) > 0 and float(codes.map(lambda c: bool(BUURTCODE_RE.match(c))).mean()) >= 0.8


def prepare_leefbaarometer(
    path: str | Path,
    *,
    editie: int | None = None,
    layer: str | None = None,
    limits: Limits = LOADER_LIMITS,
    progress: Progress | None = None,
) -> PreparedLeefbaarometer:
    """Read and validate a Leefbaarometer file; raise InvalidUpload listing every problem.

    GIS files (any layer count: the scores layer is found by its content, or named with
    ``layer``), CSV (``;`` or ``,``, decimal commas, UTF-8/UTF-16/Windows-1252) and workbooks
    (the sheet with the scores; other sheets are ignored) are read.
    """
    path = Path(path)
    raw = read_vector(
        path,
        layer=layer,
        want=holds_scores,
        what="Leefbaarometer-scores per buurt",
        limits=limits,
        progress=progress,
    )
    first_row = int(raw.attrs.get("first_row", 1))  # tables: the header is row 1
    frame = rename_aliases(pd.DataFrame(raw.drop(columns="geometry", errors="ignore")), ALIASES)
    problems: list[dict[str, Any]] = []
    if frame.empty:
        problems.append(problem(path, "het bestand bevat geen rijen", verwacht="scores per buurt"))
    missing = [c for c in ("buurtcode", "score") if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns))[:500]
        raise_if_problems(
            path,
            [
                problem(
                    path,
                    f"kolom(men) {', '.join(missing)} ontbreken; gevonden: {found}",
                    kolom=", ".join(missing),
                    verwacht="buurtcode (of bu_code) en de totaalscore afw (of lbm_afw)",
                )
            ],
            "Leefbaarometer",
        )
    problems += check_texts(frame, path, ["buurtnaam"], first_row=first_row)
    problems += check_codes(frame, path, "buurtcode", first_row=first_row)
    resolved, year_problems = _resolve_editie(frame, path, editie)
    problems += year_problems
    for col in VALUE_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
            continue
        values = cbs_missing_to_nan(frame[col])
        for idx in frame.index[not_numbers(frame[col])][:20]:
            shown = str(frame.at[idx, col])[:40]
            problems.append(
                problem(
                    path,
                    f"'{shown}' is geen getal",
                    rij=int(str(idx)) + first_row,
                    kolom=col,
                    waarde=shown,
                    verwacht="een getal (decimaal met punt of komma)",
                )
            )
        if (col.startswith("k") and col != "klasse") or col == "klasse":
            out_of_range = values.notna() & ~values.between(1, 9)
            for idx in frame.index[out_of_range][:20]:
                problems.append(
                    problem(
                        path,
                        f"klasse {values[idx]:g} bestaat niet",
                        rij=int(idx) + first_row,
                        kolom=col,
                        waarde=to_python(values[idx]),
                        verwacht="een klasse 1 t/m 9",
                    )
                )
        frame[col] = values.where(np.isfinite(values))
    raise_if_problems(path, problems, "Leefbaarometer")
    assert resolved is not None
    if "buurtnaam" not in frame.columns:
        frame["buurtnaam"] = None
    frame["buurtcode"] = frame["buurtcode"].astype(str).str.strip()
    out = frame[["buurtcode", "buurtnaam", *VALUE_COLUMNS]].copy()
    without = out.loc[out["score"].isna(), "buurtcode"].tolist()
    return PreparedLeefbaarometer(
        path=path, sha256=source_sha256(path), editie=resolved, frame=out, without_score=without
    )


def _resolve_editie(
    frame: pd.DataFrame, path: Path, editie: int | None
) -> tuple[int | None, list[dict[str, Any]]]:
    found: set[int] = set()
    if "editie" in frame.columns:
        years = pd.to_numeric(frame["editie"], errors="coerce").dropna()
        found = {int(y) for y in years if 1900 <= y <= 2200}
    if not found:
        match = re.search(r"lbm(\d{4})", path.name.lower())  # e.g. lbm2024_buurten.gpkg
        if match:
            found = {int(match.group(1))}
    if editie is not None:
        if found and editie not in found:
            return None, [
                problem(
                    path,
                    f"opgegeven editie {editie} wijkt af van het bestand ({sorted(found)})",
                    kolom="lbm_year",
                    verwacht="dezelfde editie",
                )
            ]
        return editie, []
    if len(found) != 1:
        return None, [
            problem(
                path,
                "de editie (jaar) van de Leefbaarometer is niet te bepalen; geef haar op met --editie 2024",
                kolom="lbm_year",
                verwacht="één editie per bestand",
            )
        ]
    return found.pop(), []


_UPSERT = text(
    """
    INSERT INTO leefbaarometer (editie, buurtcode, buurtnaam, score, klasse, won, fys, vrz, soc,
                                onv, kwon, kfys, kvrz, ksoc, konv, load_id)
    VALUES (:editie, :buurtcode, :buurtnaam, :score, :klasse, :won, :fys, :vrz, :soc, :onv,
            :kwon, :kfys, :kvrz, :ksoc, :konv, :load_id)
    ON CONFLICT (editie, buurtcode) DO UPDATE SET
        buurtnaam = EXCLUDED.buurtnaam, score = EXCLUDED.score, klasse = EXCLUDED.klasse,
        won = EXCLUDED.won, fys = EXCLUDED.fys, vrz = EXCLUDED.vrz, soc = EXCLUDED.soc,
        onv = EXCLUDED.onv, kwon = EXCLUDED.kwon, kfys = EXCLUDED.kfys, kvrz = EXCLUDED.kvrz,
        ksoc = EXCLUDED.ksoc, konv = EXCLUDED.konv, load_id = EXCLUDED.load_id
    """
)


def store_leefbaarometer(
    conn: Connection, prepared: PreparedLeefbaarometer, *, gemeenten: list[str] | None = None
) -> LoadResult:
    """Store inside the caller's transaction; report buurten of the map without a score."""
    p = prepared
    frame = p.frame
    if gemeenten:
        prefixes = tuple("BU" + g.upper().removeprefix("GM") for g in gemeenten)
        frame = frame[frame["buurtcode"].str.startswith(prefixes)]
    gms = sorted({"GM" + c[2:6] for c in frame["buurtcode"]})
    if already_loaded(conn, "leefbaarometer", p.sha256, p.editie, gms):
        return LoadResult(
            "leefbaarometer",
            p.path.name,
            p.editie,
            0,
            True,
            [f"{p.path.name} (editie {p.editie}) was al geladen; niets veranderd."],
        )
    # buurten of the loaded gemeenten (latest year) that get no score from this file
    scored = set(frame.loc[frame["score"].notna(), "buurtcode"])
    known = conn.execute(
        text(
            "SELECT DISTINCT ON (buurtcode) buurtcode, buurtnaam FROM buurten "
            "WHERE gemeentecode = ANY(:gm) ORDER BY buurtcode, jaar DESC"
        ),
        {"gm": gms},
    ).all()
    unscored = [f"{code} {name or ''}".strip() for code, name in known if code not in scored]
    unknown = sorted(set(frame["buurtcode"]) - {code for code, _ in known}) if known else []
    load_id = log_load(
        conn,
        layer="leefbaarometer",
        prepared_path=p.path,
        sha256=p.sha256,
        year=p.editie,
        gemeenten=gms,
        rows=len(frame),
        report={"zonder_score": unscored, "onbekende_buurten": unknown},
    )
    rows = []
    for rec in frame.to_dict("records"):
        row = {str(k): to_python(v) for k, v in rec.items()}
        for col in ("klasse", *(f"k{d}" for d in DIMENSIONS)):
            if row[col] is not None:
                row[col] = round(row[col])
        rows.append({**row, "editie": p.editie, "load_id": load_id})
    if rows:
        conn.execute(_UPSERT, rows)
    messages = [f"{len(rows)} Leefbaarometer-scores (editie {p.editie}) geladen"]
    if unscored:
        messages.append(f"{len(unscored)} buurten zonder Leefbaarometer-score: {', '.join(unscored)}")
    if unknown:
        messages.append(
            f"{len(unknown)} codes niet in de geladen buurtenkaart: "
            f"{', '.join(unknown[:10])}{' …' if len(unknown) > 10 else ''}"
        )
    return LoadResult("leefbaarometer", p.path.name, p.editie, len(rows), False, messages)
