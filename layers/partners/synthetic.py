"""Seeded synthetic deliveries (holdings, projects, sales) from the real CBS buurten.

The real partner layers are not open data; these invented ones let the tool be demonstrated and
tested. Every record has ``synthetisch = True`` and every file ``synthetisch = ja``.

How the numbers are made (all randomness from one ``numpy`` generator seeded with ``seed``):

- social holdings of Ons Huis, De Woonplaats and Domijn: ~30 % of the households of a buurt,
  higher in very urban buurten (CBS stedelijkheid 1–2), lower in villages, with noise; split
  among the three by a random affinity per wijk;
- student/young-people holdings of SJHT and De Veste: concentrated on the University of Twente
  campus (buurt BU01530406 Drienerveld-U.T., wijk WK015304, in the north-west of the city;
  Kennispark BU01530703 next to it has almost no dwellings) and in the centre (wijk WK015300),
  in proportion to the share of 15–25 year olds;
- holdings come in complexes (one build year, label, condition, DAEB, rent class); build years
  follow the era of each wijk, labels the build year (with renovations), NEN 2767 conditions
  are mostly 2–3; a fraction of complexes (``address_fraction``) is delivered per address
  (points inside the buurt), the rest as counts per buurt;
- 20–40 projects of the corporations, the municipality and private parties; about 0.4 % of the
  general holdings is planned for sale, including a few that break agreement 4.1.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.affinity
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from layers.partners.schema import (
    CORPORATIES,
    ENERGIELABELS,
    GEMEENTE,
    PERIOD_RE,
    current_year,
)
from layers.partners.template import write_filled
from layers.partners.validate import Delivery, build_frame

CAMPUS_BUURT = "BU01530406"
CENTRE_WIJK = "WK015300"
GENERAL = ("Ons Huis", "De Woonplaats", "Domijn")
STUDENT = ("SJHT", "De Veste")
_URBAN_FACTOR = {1: 1.25, 2: 1.1, 3: 0.85, 4: 0.55, 5: 0.3}
_ERA = {  # wijk -> (mean, sd) of the build year of rental complexes
    "WK015300": (1955, 30),
    "WK015301": (1960, 20),
    "WK015302": (1958, 15),
    "WK015303": (1958, 15),
    "WK015304": (1972, 18),
    "WK015305": (1965, 15),
    "WK015306": (1976, 9),
    "WK015307": (1990, 15),
    "WK015308": (1962, 18),
    "WK015309": (1975, 20),
}
_STREET_A = (
    "Linden",
    "Beuken",
    "Esdoorn",
    "Berken",
    "Wilgen",
    "Iepen",
    "Kastanje",
    "Eiken",
    "Vlier",
    "Hazelaar",
    "Meidoorn",
    "Hulst",
    "Populier",
    "Sparren",
    "Lariks",
    "Merel",
    "Lijster",
    "Spreeuw",
    "Vinken",
    "Zwaluw",
    "Kievit",
    "Reiger",
    "Fazant",
    "Havik",
)
_STREET_B = ("straat", "laan", "weg", "hof", "plein", "singel", "pad", "kamp", "es", "brink")
_LETTERS = "ABCDEGHJKLMNPRTVWXZ"


def data_dir() -> Path:
    """The shared data folder (env ``SIA_DATA_DIR``, default ``/work/shared/data``)."""
    return Path(os.environ.get("SIA_DATA_DIR", "/work/shared/data"))


def load_buurten(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """The CBS 2021 buurten of Enschede in EPSG:28992."""
    path = Path(path) if path else data_dir() / "enschede" / "cbs_buurten_2021_enschede.gpkg"
    return gpd.read_file(path, layer="buurten_2021").to_crs(28992)


def slug(partner: str) -> str:
    """File-name form of a partner name: ``De Woonplaats`` -> ``de_woonplaats``."""
    return "_".join(partner.lower().split())


def file_name(partner: str, period: str) -> str:
    """File name of a synthetic delivery."""
    return f"synthetisch_{slug(partner)}_{period}.xlsx"


class _Gen:
    def __init__(self, buurten: gpd.GeoDataFrame, seed: int, period: str, address_fraction: float) -> None:
        if not PERIOD_RE.match(period):
            raise ValueError(f"invalid period {period!r}")
        b = buurten.to_crs(28992).sort_values("buurtcode").reset_index(drop=True)
        self.b = b
        self.rng = np.random.default_rng(seed)
        self.period = period
        self.year = int(period[:4])
        self.address_fraction = address_fraction
        n = len(b)
        self.hh = b["aantal_huishoudens"].fillna(0).clip(lower=0).to_numpy(float)
        self.wijk = (
            (b["wijkcode"] if "wijkcode" in b else "WK" + b["buurtcode"].str[2:8]).astype(str).to_numpy()
        )
        self.names = (b["buurtnaam"].astype(str) if "buurtnaam" in b else b["buurtcode"]).to_numpy()
        urban = b.get("stedelijkheid_adressen_per_km2", pd.Series([3] * n)).fillna(3)
        self.urban = np.array([_URBAN_FACTOR.get(int(u), 0.85) for u in urban])
        self.young = (
            b.get("percentage_personen_15_tot_25_jaar", pd.Series([12.0] * n)).fillna(12).to_numpy(float)
        )
        pc = b.get("meest_voorkomende_postcode", pd.Series(["7511"] * n)).astype(str)
        self.pc4 = [p if len(p) == 4 and p.isdigit() and p[0] != "0" else "7511" for p in pc]
        self.campus = (b["buurtcode"] == CAMPUS_BUURT).to_numpy()
        self.centre = self.wijk == CENTRE_WIJK
        self.geoms = list(b.geometry)
        self.used: set[tuple[str, int, str]] = set()
        self.sold: set[tuple[str, int, str]] = set()

    # --- places and addresses -------------------------------------------------------------
    def point_in(self, i: int, *, near: Point | None = None, spread: float = 15.0) -> Point:
        geom = self.geoms[i]
        x0, y0, x1, y1 = geom.bounds
        for attempt in range(100):
            if near is not None and attempt < 10:
                xs = near.x + self.rng.normal(0, spread, 64)
                ys = near.y + self.rng.normal(0, spread, 64)
            else:
                xs = self.rng.uniform(x0, x1, 64)
                ys = self.rng.uniform(y0, y1, 64)
            xs, ys = np.round(xs, 2), np.round(ys, 2)
            ok = shapely.contains_xy(geom, xs, ys)
            if ok.any():
                k = int(np.argmax(ok))
                return Point(float(xs[k]), float(ys[k]))
        rp = geom.representative_point()
        return Point(round(rp.x, 2), round(rp.y, 2))

    def street(self, i: int, size: int) -> dict[str, Any]:
        while True:
            name = str(self.rng.choice(_STREET_A)) + str(self.rng.choice(_STREET_B))
            pc = self.pc4[i] + "".join(self.rng.choice(list(_LETTERS), 2))
            start = int(self.rng.integers(1, 120))
            building = size > 40
            keys = (
                [(pc, start, str(k)) for k in range(1, size + 1)]
                if building
                else [(pc, start + 2 * k, "") for k in range(size)]
            )
            if not any(k in self.used for k in keys):
                return {"straat": name, "postcode": pc, "keys": keys}

    def address(self, street: dict[str, Any], k: int) -> dict[str, Any]:
        pc, nr, toev = street["keys"][k]
        self.used.add((pc, nr, toev))
        adres = f"{street['straat']} {nr}" + (f"-{toev}" if toev else "")
        return {"adres": adres, "postcode": pc, "huisnummer": nr, "toevoeging": toev or None}

    # --- holdings ---------------------------------------------------------------------------
    def counts(self) -> dict[str, np.ndarray]:
        rng, n = self.rng, len(self.b)
        social = np.clip(0.30 * self.urban * rng.lognormal(0, 0.25, n), 0.03, 0.65)
        social[self.campus] = 0.05
        student = np.where(self.centre, 0.03 + 0.45 * self.young / 100, 0.0)
        student[self.campus] = 0.6
        total = np.round(self.hh * np.minimum(social + student, 0.9))
        n_student = np.round(total * student / (social + student))
        n_general = total - n_student
        wijken = sorted(set(self.wijk))
        out = {c: np.zeros(n, int) for c in CORPORATIES}
        aff = {c: dict(zip(wijken, rng.lognormal(0, 0.8, len(wijken)), strict=True)) for c in GENERAL}
        for i in range(n):
            p = np.array([aff[c][self.wijk[i]] for c in GENERAL])
            for c, k in zip(GENERAL, rng.multinomial(int(n_general[i]), p / p.sum()), strict=True):
                out[c][i] = k
            p_sjht = 0.8 if self.campus[i] else 0.65
            k_sjht = rng.binomial(int(n_student[i]), p_sjht)
            out["SJHT"][i], out["De Veste"][i] = k_sjht, int(n_student[i]) - k_sjht
        return out

    def complex_attrs(self, i: int, corp: str) -> dict[str, Any]:
        rng = self.rng
        mean, sd = _ERA.get(self.wijk[i], (1970, 20))
        if self.campus[i]:
            mean, sd = (1968, 6) if rng.random() < 0.6 else (2008, 6)
        bouwjaar = int(np.clip(round(rng.normal(mean, sd)), 1890, current_year() - 1))
        base = (
            1
            if bouwjaar >= 2015
            else 3
            if bouwjaar >= 2000
            else 5
            if bouwjaar >= 1980
            else 6
            if bouwjaar >= 1960
            else 7
        )
        if rng.random() < 0.5:
            base -= int(rng.integers(1, 4))  # renovated
        label = int(np.clip(base + rng.integers(-1, 2) + (rng.random() < 0.06) * 2, 0, 10))
        age = self.year - bouwjaar
        conditie = int(np.clip(round(rng.normal(2.0 + 0.008 * age, 0.7)), 1, 6))
        student = corp in STUDENT
        daeb = bool(rng.random() < (0.85 if student else 0.9))
        klassen = (
            (("goedkoop", "betaalbaar", "duur"), (0.6, 0.35, 0.05) if student else (0.2, 0.65, 0.15))
            if daeb
            else (("middenhuur", "vrije sector"), (0.6, 0.4))
        )
        return {
            "bouwjaar": bouwjaar,
            "energielabel": ENERGIELABELS[label],
            "conditie": conditie,
            "daeb": daeb,
            "huurklasse": str(rng.choice(klassen[0], p=klassen[1])),
        }

    def holdings(self, corp: str, counts: np.ndarray) -> tuple[list[dict[str, Any]], list[Any]]:
        rows: list[dict[str, Any]] = []
        complexes = []
        lo, hi = (20, 250) if corp in STUDENT else (6, 80)
        for i in (int(k) for k in np.flatnonzero(counts)):
            left = int(counts[i])
            while left > 0:
                size = min(left, int(self.rng.integers(lo, hi)))
                left -= size
                attrs = self.complex_attrs(i, corp)
                cx: dict[str, Any] = {"i": i, "size": size, "attrs": attrs, "addresses": None}
                code = str(self.b["buurtcode"].iloc[i])
                base = {"corporatie": corp, "buurtcode": code, **attrs}
                if self.rng.random() < self.address_fraction:
                    street = self.street(i, size)
                    centre = self.point_in(i)
                    cx["addresses"] = []
                    for k in range(size):
                        addr = self.address(street, k)
                        pt = self.point_in(i, near=centre, spread=20.0)
                        cx["addresses"].append((addr, pt))
                        rows.append(
                            {
                                **base,
                                **addr,
                                "aantal_woningen": 1,
                                "geometry": pt,
                                "vertrouwelijkheid": "eigen",
                            }
                        )
                else:
                    rows.append(
                        {**base, "aantal_woningen": size, "geometry": None, "vertrouwelijkheid": "partners"}
                    )
                complexes.append(cx)
        return rows, complexes

    # --- sales ------------------------------------------------------------------------------
    def sales(
        self, corp: str, complexes: list[dict[str, Any]], forced: tuple[str, ...]
    ) -> list[dict[str, Any]]:
        """Planned sales; ``forced`` adds breaches/exceptions of 4.1 ('uitzondering',
        'niet_gemeld', 'geen_klus')."""
        n_holdings = sum(c["size"] for c in complexes)
        n = round(n_holdings * (0.004 if corp in GENERAL else 0.0005))

        def is_bad(c: dict[str, Any]) -> bool:
            a = c["attrs"]
            return bool(a["conditie"] >= 4 or a["energielabel"] in ("F", "G"))

        good = [c for c in complexes if not is_bad(c)]
        bad = [c for c in complexes if is_bad(c)]
        picks = [(c, "ok") for c in self.rng.permutation(np.array(good, dtype=object))[:n]]
        if bad:
            picks += [(bad[int(self.rng.integers(len(bad)))], kind) for kind in forced]
        rows = []
        for cx, kind in picks:
            if cx["addresses"]:
                free = [
                    a
                    for a in cx["addresses"]
                    if (a[0]["postcode"], a[0]["huisnummer"], a[0]["toevoeging"] or "") not in self.sold
                ]
                if not free:
                    continue
                addr, pt = free[int(self.rng.integers(len(free)))]
            else:
                addr = self.address(self.street(cx["i"], 1), 0)
                pt = self.point_in(cx["i"])
            self.sold.add((addr["postcode"], addr["huisnummer"], addr["toevoeging"] or ""))
            a = cx["attrs"]
            rows.append(
                {
                    "corporatie": corp,
                    **addr,
                    "buurtcode": str(self.b["buurtcode"].iloc[cx["i"]]),
                    "energielabel": a["energielabel"],
                    "conditie": a["conditie"],
                    "kluswoning": kind in ("uitzondering", "niet_gemeld"),
                    "gemeld_aan_gemeente": kind == "uitzondering",
                    "gepland_jaar": self.year + int(self.rng.integers(0, 3)),
                    "vertrouwelijkheid": "eigen",
                    "geometry": pt,
                }
            )
        return rows

    # --- projects ---------------------------------------------------------------------------
    def shape(self, i: int) -> BaseGeometry:
        centre = self.point_in(i)
        if self.rng.random() < 0.4:
            return centre
        w, h = self.rng.uniform(40, 200), self.rng.uniform(30, 150)
        box = shapely.box(centre.x - w / 2, centre.y - h / 2, centre.x + w / 2, centre.y + h / 2)
        box = shapely.affinity.rotate(box, float(self.rng.uniform(0, 90)), origin=centre)
        geom = shapely.set_precision(box.intersection(self.geoms[i]), 0.01)
        if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon") or not geom.is_valid:
            return centre
        return geom

    def project(self, partij: str, i: int, kind: str, names: set[str]) -> dict[str, Any]:
        rng = self.rng
        erbij = eraf = 0
        if kind == "nieuwbouw":
            erbij = int(rng.integers(12, 120))
            cost = erbij * rng.uniform(200e3, 260e3)
        elif kind == "transformatie":
            erbij = int(rng.integers(10, 80) * (3 if partij == GEMEENTE else 1))
            cost = erbij * rng.uniform(150e3, 210e3)
        elif kind == "sloop":
            eraf = int(rng.integers(20, 120))
            cost = eraf * rng.uniform(20e3, 30e3)
        else:
            per = 70e3 if kind == "renovatie" else 35e3
            cost = int(rng.integers(30, 200)) * per * rng.uniform(0.8, 1.2)
        if partij == GEMEENTE and kind in ("renovatie", "verduurzaming"):
            cost = rng.uniform(0.5e6, 6e6)
        start = self.year + int(rng.integers(-2, 6))
        end = start + int(rng.integers(0, 4))
        status = (
            ("gereed" if end < self.year else "uitvoering")
            if start < self.year
            else (
                str(rng.choice(["voorbereiding", "uitvoering"]))
                if start == self.year
                else str(rng.choice(["idee", "voorbereiding"]))
            )
        )
        name = f"{kind.capitalize()} {self.names[i]}"
        k = 2
        while name in names:
            name, k = f"{kind.capitalize()} {self.names[i]} fase {k}", k + 1
        names.add(name)
        vert = {GEMEENTE: "openbaar"}.get(partij, "partners")
        return {
            "projectnaam": name,
            "partij": partij,
            "type": kind,
            "woningen_erbij": erbij,
            "woningen_eraf": eraf,
            "startjaar": start,
            "eindjaar": end,
            "investering_eur": float(round(cost, -3)),
            "status": status,
            "toelichting": "synthetisch project",
            "vertrouwelijkheid": vert,
            "geometry": self.shape(i),
        }

    def projects(
        self, partij: str, n: int, weights: np.ndarray, kinds: tuple[str, ...], p: tuple[float, ...]
    ) -> list[dict[str, Any]]:
        names: set[str] = set()
        w = weights / weights.sum()
        return [
            self.project(partij, int(self.rng.choice(len(w), p=w)), str(self.rng.choice(kinds, p=p)), names)
            for _ in range(n)
        ]


_FORCED = {
    "Domijn": ("uitzondering", "niet_gemeld"),
    "Ons Huis": ("geen_klus",),
    "De Woonplaats": ("uitzondering", "geen_klus"),
}
_CORP_KINDS = (
    ("nieuwbouw", "renovatie", "sloop", "transformatie", "verduurzaming"),
    (0.3, 0.25, 0.1, 0.05, 0.3),
)


def _finish(kind: str, rows: list[dict[str, Any]], partner: str, period: str) -> gpd.GeoDataFrame:
    source = file_name(partner, period)
    for k, row in enumerate(rows):
        row.update(partner=partner, periode=period, synthetisch=True, bron_bestand=source, bron_rij=k + 2)
    return build_frame(kind, rows)


def generate(
    buurten: gpd.GeoDataFrame | None = None,
    *,
    seed: int = 153,
    period: str = "2026-najaar",
    address_fraction: float = 0.15,
) -> dict[str, Delivery]:
    """Generate synthetic deliveries of the five corporations and the municipality.

    Parameters
    ----------
    buurten
        CBS buurten (``buurtcode``, ``aantal_huishoudens``, optionally ``wijkcode``,
        ``buurtnaam``, ``stedelijkheid_adressen_per_km2``, ``percentage_personen_15_tot_25_jaar``,
        ``meest_voorkomende_postcode``); default :func:`load_buurten`.
    seed
        Seed of the random generator; the same seed gives the same deliveries.
    period
        Period of every record.
    address_fraction
        Share of holding complexes delivered per address rather than as a count per buurt.

    Returns
    -------
    dict
        Partner name to :class:`~layers.partners.validate.Delivery`, with frames exactly as
        :func:`~layers.partners.validate.read_delivery` returns them for the written file.
    """
    gen = _Gen(load_buurten() if buurten is None else buurten, seed, period, address_fraction)
    counts = gen.counts()
    out: dict[str, Delivery] = {}
    for corp in CORPORATIES:
        bezit, complexes = gen.holdings(corp, counts[corp])
        verkoop = gen.sales(corp, complexes, _FORCED.get(corp, ()))
        n_proj = int(gen.rng.integers(3, 7) if corp in GENERAL else gen.rng.integers(1, 4))
        projecten = gen.projects(corp, n_proj, counts[corp] + 0.5, *_CORP_KINDS)
        out[corp] = Delivery(
            corp,
            period,
            None,
            True,
            file_name(corp, period),
            contact="synthetisch (niet echt)",
            bezit=_finish("bezit", bezit, corp, period),
            projecten=_finish("projecten", projecten, corp, period),
            verkoop=_finish("verkoop", verkoop, corp, period),
        )
    n_corp = sum(len(d.projecten) for d in out.values())
    n_gem = max(4, 20 - n_corp - 3) + int(gen.rng.integers(0, 3))
    n_part = int(gen.rng.integers(3, 6))
    weights = gen.hh + 1.0
    gemeente = gen.projects(
        GEMEENTE,
        n_gem,
        weights,
        ("nieuwbouw", "renovatie", "transformatie", "verduurzaming"),
        (0.2, 0.3, 0.3, 0.2),
    )
    gemeente += gen.projects("Particulier", n_part, weights, ("nieuwbouw", "transformatie"), (0.6, 0.4))
    out[GEMEENTE] = Delivery(
        GEMEENTE,
        period,
        None,
        True,
        file_name(GEMEENTE, period),
        contact="synthetisch (niet echt)",
        projecten=_finish("projecten", gemeente, GEMEENTE, period),
    )
    return out


def write_deliveries(
    out_dir: str | Path,
    buurten: gpd.GeoDataFrame | None = None,
    *,
    seed: int = 153,
    period: str = "2026-najaar",
    address_fraction: float = 0.15,
) -> list[Path]:
    """Write one filled Excel template per corporation plus one for Gemeente Enschede.

    Returns the written paths; each passes :func:`~layers.partners.validate.read_delivery`.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    deliveries = generate(buurten, seed=seed, period=period, address_fraction=address_fraction)
    for partner, d in deliveries.items():
        paths.append(
            write_filled(
                out_dir / d.source,
                d.frames(),
                partner=partner,
                period=period,
                contact=d.contact,
                synthetic=True,
            )
        )
    return paths


def write_heat_raster(
    path: str | Path, buurten: gpd.GeoDataFrame | None = None, *, seed: int = 153, cell: float = 25.0
) -> Path:
    """Write a synthetic heat-stress GeoTIFF (felt temperature on a hot day, °C) for the buurten.

    Not a measurement: warmer where the buurten are densely built (CBS address density), cooler at
    the green edges, plus smooth seeded noise. Cells outside the buurten are nodata. The file's
    metadata says SYNTHETISCH. EPSG:28992, ``cell`` metres.
    """
    import rasterio
    from affine import Affine
    from rasterio.features import rasterize
    from scipy.ndimage import gaussian_filter

    frame = (buurten if buurten is not None else load_buurten()).to_crs(28992)
    minx, miny, maxx, maxy = frame.total_bounds
    width, height = int(np.ceil((maxx - minx) / cell)), int(np.ceil((maxy - miny) / cell))
    transform = Affine(cell, 0.0, minx, 0.0, -cell, maxy)  # from_origin warns (affine 3.x)
    column = next(
        (
            c
            for c in (
                "omgevingsadressendichtheid",
                "bevolkingsdichtheid_inwoners_per_km2",
                "bevolkingsdichtheid",
            )
            if c in frame.columns
        ),
        None,
    )
    values = (
        pd.to_numeric(frame[column], errors="coerce")
        if column is not None
        else pd.Series(1.0, index=frame.index)
    )
    density = values.fillna(0).clip(lower=0).to_numpy(dtype="float64")  # CBS codes < 0 → 0
    with warnings.catch_warnings():  # rasterio's rasterize still multiplies Affines with `*`
        warnings.filterwarnings("ignore", "Use `@` matmul", PendingDeprecationWarning)
        grid = rasterize(
            zip(frame.geometry, density, strict=True),
            out_shape=(height, width),
            transform=transform,
            fill=-1.0,
            dtype="float64",
        )
    inside = grid >= 0
    dense = gaussian_filter(np.where(inside, grid, 0.0), sigma=300 / cell)
    dense = dense / max(float(np.percentile(dense[inside], 99)), 1e-9)
    rng = np.random.default_rng(seed)
    noise = gaussian_filter(rng.normal(size=(height, width)), sigma=150 / cell)
    noise = noise / max(float(noise.std()), 1e-9)
    heat = 28.0 + 7.0 * np.clip(dense, 0, 1.2) + 0.8 * noise
    heat = np.where(inside, heat, -9999.0).astype("float32")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=width,
        height=height,
        count=1,
        dtype="float32",
        crs="EPSG:28992",
        transform=transform,
        nodata=-9999.0,
        compress="deflate",
    ) as ds:
        ds.write(heat, 1)
        ds.update_tags(
            SYNTHETISCH="ja",
            BESCHRIJVING="Synthetische hittestress (gevoelstemperatuur op een hete dag, °C); geen meting",
            SEED=str(seed),
        )
    return path
