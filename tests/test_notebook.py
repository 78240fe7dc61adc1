"""The planner's walkthrough notebook, run top to bottom on a copy of the demo database.

Running it is not enough: what it prints and computes is checked against the HTTP API on the
same database and against the independent reference scorer (``test_engine_support.reference``).
A cell added at the end prints the notebook's own variables as JSON, so the test reads exactly what
the planner saw.
"""

from __future__ import annotations

import base64
import html as html_lib
import json
import re
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from nbclient import NotebookClient
from scipy.stats import kendalltau

from api.main import create_app
from api.settings import Settings
from layers.db.cluster import LocalCluster
from sia.profile import consensus_profile, load_profile, partner_profiles
from tests.conftest import _create_db
from tests.signin import sign_in

from .test_engine_support import reference

pytestmark = pytest.mark.postgis

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "sia_walkthrough.ipynb"
MARK = "NOTEBOOK-STATE "

# the notebook's variables, as JSON (floats as repr, so exactly)
STATE_CELL = f"""
import json as _json
_state = {{
    "ranking": {{
        str(code): {{
            "rang": None if pd.isna(row["rang"]) else int(row["rang"]),
            "gecombineerd": None if pd.isna(row["gecombineerd"]) else float(row["gecombineerd"]),
            "kwadrant": None if pd.isna(row["kwadrant"]) else str(row["kwadrant"]),
            "reden": None if pd.isna(row["reden"]) else str(row["reden"]),
        }}
        for code, row in ranking.iterrows()
    }},
    "top": str(top),
    "bijdrage": {{str(k): float(v) for k, v in why["bijdrage"].items()}},
    "p_top": {{str(k): float(v) for k, v in robust["p_top"].items()}},
    "gebieden": {{str(r["gebied"]): str(r["buurtcodes"]) for _, r in areas.iterrows()}},
    "titel": ax.get_title(),
    "kwadranten": {{str(k): int(v) for k, v in counts.items()}},
    "consensus": {{str(k): int(v) for k, v in consensus.dropna().items()}},
    "scenario_a": a["id"],
    "identiek": bool(again["identiek"]),
    "kendall_tau": float(diff["kendall_tau"]),
    "voorstel": int(proposal["voorstel_id"]),
    "voorstel_gebied": str(first["gebied"]),
    "kaart_titel": str(dossier.version["naam"]),
}}
print({MARK!r} + _json.dumps(_state))
"""


@pytest.fixture
def notebook_url(cluster: LocalCluster, demo_url: str) -> str:
    """A copy of the demo database: the notebook saves scenarios, other tests must not see them."""
    return _create_db(cluster, "sia_notebook", template="sia_demo")


def _stream(cell: Any) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")


def test_walkthrough_computes_what_the_api_and_the_reference_compute(
    notebook_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIA_DATABASE_URL", notebook_url)
    monkeypatch.setenv("SIA_GEMEENTE", "GM0153")
    monkeypatch.setenv("PYTHONWARNINGS", "ignore")  # the kernel's own start-up chatter
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    nb.cells.append(nbformat.v4.new_code_cell(STATE_CELL))
    NotebookClient(  # raises on the first cell that fails
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent.parent)}}
    ).execute()
    state = json.loads(_stream(nb.cells[-1]).split(MARK, 1)[1])

    with TestClient(create_app(Settings(database_url=notebook_url, gemeente="GM0153"))) as api:
        sign_in(api, notebook_url, rol="lezer")  # the proposal is a concept: partners read it
        data = api.get("/api/indicators/table").json()
        areas = api.post("/api/scores/candidates", json={}).json()
        scenario = api.get(f"/api/scenarios/{state['scenario_a']}").json()
        shown = api.get("/api/scores/profiles").json()
        proposal = api.get(f"/api/voorstellen/{state['voorstel']}").json()
    table = pd.DataFrame(data["rijen"]).set_index("buurtcode")
    profile = load_profile()

    # the first cell says which data it read: the same table the API serves
    assert data["synthetisch"] is True
    assert _stream(code_cells[0]).strip() == (
        f"{len(table)} buurten, buurtindeling {data['jaar']}, Leefbaarometer {data['editie']}, "
        f"partnerdata {data['periode']} (synthetisch)"
    )

    # ranking, scores and quadrants: as the reference computes them from that table
    ref = reference(table, profile)
    ranked = {code: i for i, code in enumerate(ref["ranked"])}
    assert set(state["ranking"]) == set(table.index)
    for code, row in state["ranking"].items():
        if code not in ranked:
            assert row["rang"] is None and row["reden"] == ref["reasons"][ref["excluded"].index(code)]
            continue
        i = ranked[code]
        assert row["rang"] == ref["rank"][i] and row["kwadrant"] == ref["quadrant"][i]
        assert row["gecombineerd"] == pytest.approx(ref["combined"][i], rel=0, abs=1e-12)
    ranks = [row["rang"] for row in state["ranking"].values() if row["rang"] is not None]
    assert ranks == sorted(ranks)  # the notebook shows the ranking in rank order
    assert state["kwadranten"] == {
        q: ref["quadrant"].count(q) for q in ("kandidaat", "urgent", "kansrijk", "laag")
    }

    # why the top buurt ranks first: its contributions, as the reference weighs them
    top = ref["ranked"][int(np.argmin(ref["rank"]))]
    assert state["top"] == top
    expected = dict(zip(profile.ids(), ref["contributions"][ranked[top]], strict=True))
    assert state["bijdrage"] == pytest.approx(expected, rel=0, abs=1e-12)

    # robustness: exactly ten buurten in the top 10 of every draw
    p_top = np.array(list(state["p_top"].values()))
    assert p_top.sum() == pytest.approx(10.0) and ((p_top >= 0) & (p_top <= 1)).all()
    assert set(state["p_top"]) == set(ref["ranked"])

    # candidate areas: the same as the API proposes for the default profile
    assert state["gebieden"] == {
        f["properties"]["gebied"]: f["properties"]["buurtcodes"] for f in areas["features"]
    }
    assert state["gebieden"]

    # the quadrant map was drawn, and says the partner data are synthetic
    images = [o for c in code_cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == 1
    assert base64.b64decode(images[0]["data"]["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert state["titel"] == "SIA-kwadranten (partnerdata synthetisch)"

    # partner profiles: the consensus ranking as the reference ranks it with the consensus weights
    partner_names = [p["naam"] for p in shown if p["soort"] == "partner"]
    assert len(partner_names) == 7  # Enschede's organisations with a profile (migration 0006)
    consensus = reference(table, consensus_profile(partner_profiles(partner_names)))
    assert state["consensus"] == {
        code: int(rank) for code, rank in zip(consensus["ranked"], consensus["rank"], strict=True)
    }

    # scenarios: reproduced exactly, stored, and the rank agreement of the two scenarios
    assert state["identiek"] is True
    assert "reproduced exactly: True" in "".join(_stream(c) for c in code_cells)
    assert scenario["naam"] == "Standaard" and scenario["auteur"] == "Notebook"  # the signed-in planner
    emphasis = reference(table, profile, weights={"aandeel_label_efg": 8.0})
    tau = kendalltau(ref["rank"], emphasis["rank"]).statistic
    assert state["kendall_tau"] == pytest.approx(tau, abs=1e-12)

    # a DIA proposal from the first candidate area, on a folium map
    _proposal_checks(state, proposal, areas, code_cells)


def _proposal_checks(
    state: dict[str, Any], proposal: dict[str, Any], areas: dict[str, Any], code_cells: list[Any]
) -> None:
    """The notebook's DIA proposal: stored by the API from the first candidate area, and shown on a
    folium map that names it and loads nothing from the network."""
    candidate = next(f for f in areas["features"] if f["properties"]["gebied"] == state["voorstel_gebied"])
    codes = candidate["properties"]["buurtcodes"]
    codes = set(codes if isinstance(codes, list) else re.split(r"[,; ]+", codes))
    stats = proposal["statistieken"]
    assert proposal["naam"] == state["kaart_titel"] == f"Kandidaatgebied {state['voorstel_gebied']}"
    assert (proposal["versie"], proposal["status"], proposal["auteur"]) == (1, "concept", "Notebook")
    assert {b["buurtcode"] for b in stats["buurten"] if b["methode"] == "geheel"} == codes
    printed = "".join(_stream(c) for c in code_cells)
    assert (
        f"voorstel {state['voorstel']} '{proposal['naam']}' (concept): {stats['oppervlakte_ha']:.0f} ha, "
        f"{stats['inwoners']:.0f} inwoners, {len(stats['buurten'])} buurten, periode {stats['periode']} "
        "(synthetisch)" in printed
    )
    maps = [
        o["data"]["text/html"]
        for c in code_cells
        for o in c.get("outputs", [])
        if "srcdoc=" in o.get("data", {}).get("text/html", "")
    ]
    assert len(maps) == 1
    page = html_lib.unescape(maps[0].split('srcdoc="', 1)[1].split('"', 1)[0])
    assert html_lib.escape(proposal["naam"]) in page and "SYNTHETISCHE DATA" in page
    assert "L.map(" in page and "leaflet-interactive" in page  # Leaflet inlined, not fetched
    # nothing is fetched: no script, style sheet or image from a URL (Leaflet's attribution link in
    # its own code is text for a click, not a request)
    assert not re.search(r"""<(script|link|img)\b[^>]*\b(src|href)=["']?(https?:)?//""", page)
    assert "<script src=" not in page and '<link rel="stylesheet" href=' not in page
