"""SIA_SCHRIJFSLEUTEL: with a key set, uploads and scenario changes need it; reading stays open."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.main import create_app
from api.settings import Settings
from layers.db.cluster import LocalCluster
from layers.db.engine import make_engine
from layers.partners.synthetic import load_buurten, write_deliveries
from tests.conftest import _create_db

pytestmark = pytest.mark.postgis
KEY = "geheim-voor-de-test"


def _deliveries(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        n = int(conn.execute(text("SELECT count(*) FROM leveringen")).scalar_one())
    engine.dispose()
    return n


def test_writing_needs_the_key(
    cluster: LocalCluster, loaded_url: str, enschede_buurten: Path, tmp_path: Path
) -> None:
    url = _create_db(cluster, "sia_write_key", template="sia_loaded")
    domijn = next(p for p in write_deliveries(tmp_path, load_buurten(enschede_buurten)) if "domijn" in p.name)
    settings = Settings(database_url=url, gemeente="GM0153", schrijfsleutel=KEY)
    with TestClient(create_app(settings)) as c:
        assert c.get("/api/config").json()["schrijven_met_sleutel"] is True
        for headers, words in (
            ({}, "vraagt om de schrijfsleutel"),
            ({"X-SIA-Sleutel": "fout"}, "klopt niet"),
        ):
            with domijn.open("rb") as fh:
                res = c.post("/api/partners/uploads", files={"bestand": (domijn.name, fh)}, headers=headers)
            assert res.status_code == 403 and words in res.json()["melding"]
            assert (
                c.post("/api/scenarios", json={"naam": "x", "auteur": "y"}, headers=headers).status_code
                == 403
            )
        assert _deliveries(url) == 0  # nothing stored
        with domijn.open("rb") as fh:
            ok = c.post(
                "/api/partners/uploads", files={"bestand": (domijn.name, fh)}, headers={"X-SIA-Sleutel": KEY}
            )
        assert ok.status_code == 201 and _deliveries(url) == 1
        saved = c.post("/api/scenarios", json={"naam": "x", "auteur": "y"}, headers={"X-SIA-Sleutel": KEY})
        assert saved.status_code == 201
        assert c.delete(f"/api/scenarios/{saved.json()['id']}").status_code == 403
        assert (
            c.delete(f"/api/scenarios/{saved.json()['id']}", headers={"X-SIA-Sleutel": KEY}).status_code
            == 200
        )
        # reading and scoring stay open
        assert c.post("/api/scores", json={}).status_code == 200
        assert c.get("/api/partners/deliveries").status_code == 200
    with TestClient(create_app(Settings(database_url=url, gemeente="GM0153"))) as c:
        assert c.get("/api/config").json()["schrijven_met_sleutel"] is False
        assert c.post("/api/scenarios", json={"naam": "open", "auteur": "demo"}).status_code == 201
