"""The planner's walkthrough notebook runs from top to bottom on the demo database."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from layers.db.cluster import LocalCluster
from tests.conftest import _create_db

pytestmark = pytest.mark.postgis

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "sia_walkthrough.ipynb"


@pytest.fixture
def notebook_url(cluster: LocalCluster, demo_url: str) -> str:
    """A copy of the demo database: the notebook saves scenarios, other tests must not see them."""
    return _create_db(cluster, "sia_notebook", template="sia_demo")


def test_walkthrough_executes(notebook_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIA_DATABASE_URL", notebook_url)
    monkeypatch.setenv("SIA_GEMEENTE", "GM0153")
    monkeypatch.setenv("PYTHONWARNINGS", "ignore")  # the kernel's own start-up chatter
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent.parent)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs)
    assert "70 buurten" in text and "synthetisch" in text
    assert "reproduced exactly: True" in text
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images  # the quadrant map was drawn
