"""Download the CBS wijk- en buurtkaart from PDOK (WFS, GeoJSON), for users with internet access.

The downloaded file is an ordinary GeoJSON that `sia load buurten` reads like any other. The base
URL is a parameter (``SIA_PDOK_URL``) so that tests can serve a recorded response on loopback.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from layers.errors import InvalidInput, SetupError
from layers.readers import Progress

PDOK_WFS = "https://service.pdok.nl/cbs/wijkenbuurten/{year}/wfs/v1_0"
_PAGE = 1000


def _filter(gemeenten: list[str]) -> str:
    parts = "".join(
        "<fes:PropertyIsEqualTo><fes:ValueReference>gemeentecode</fes:ValueReference>"
        f"<fes:Literal>{g}</fes:Literal></fes:PropertyIsEqualTo>"
        for g in gemeenten
    )
    body = f"<fes:Or>{parts}</fes:Or>" if len(gemeenten) > 1 else parts
    return f'<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0">{body}</fes:Filter>'


def fetch_buurten(
    year: int,
    out_dir: Path,
    *,
    gemeenten: list[str] | None = None,
    base_url: str = PDOK_WFS,
    progress: Progress | None = None,
    timeout: float = 60,
) -> Path:
    """Download the buurten of ``year`` (optionally only some gemeenten) to a GeoJSON file."""
    if not 2000 <= year <= 2100:
        raise InvalidInput(f"Jaar {year} is niet plausibel; verwacht bijvoorbeeld 2024.")
    gemeenten = [g.upper() for g in gemeenten or []]
    url = base_url.format(year=year)
    features: list[dict[str, Any]] = []
    crs: Any = None
    start = 0
    while True:
        params = {
            "service": "WFS",
            "version": "2.0.0",
            "request": "GetFeature",
            "typeNames": "wijkenbuurten:buurten",
            "outputFormat": "application/json",
            "srsName": "EPSG:28992",
            "count": str(_PAGE),
            "startIndex": str(start),
        }
        if gemeenten:
            params["filter"] = _filter(gemeenten)
        page = _get_json(f"{url}?{urllib.parse.urlencode(params)}", timeout=timeout)
        batch = page.get("features") or []
        crs = crs or page.get("crs")
        features.extend(batch)
        if progress:
            progress(f"{len(features):,} buurten opgehaald")
        if len(batch) < _PAGE:
            break
        start += _PAGE
    if not features:
        raise InvalidInput(
            f"PDOK gaf geen buurten voor {year}"
            + (f" en gemeente {', '.join(gemeenten)}" if gemeenten else "")
            + "."
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = "_".join(gemeenten) if gemeenten else "nl"
    out = out_dir / f"cbs_buurten_{year}_{suffix}.geojson"
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    collection["crs"] = crs or {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
    for feature in features:
        feature.setdefault("properties", {}).setdefault("jaar", year)
    out.write_text(json.dumps(collection))
    return out


def _get_json(url: str, *, timeout: float) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            data: dict[str, Any] = json.load(resp)
            return data
    except urllib.error.HTTPError as exc:
        raise SetupError(
            f"PDOK antwoordde met foutcode {exc.code} voor {url.split('?')[0]}; bestaat de jaargang? "
            "Probeer het later opnieuw, of laad een gedownloade buurtenkaart met `sia load buurten BESTAND`."
        ) from exc
    except (urllib.error.URLError, TimeoutError) as exc:
        raise SetupError(
            "PDOK is niet bereikbaar (geen internetverbinding, of de server antwoordt niet). Download "
            "de wijk- en buurtkaart elders en laad hem met `sia load buurten BESTAND`."
        ) from exc
    except json.JSONDecodeError as exc:
        raise SetupError(
            "Het antwoord van PDOK was geen GeoJSON (de dienst is mogelijk veranderd); laad een "
            "gedownloade buurtenkaart met `sia load buurten BESTAND`."
        ) from exc
