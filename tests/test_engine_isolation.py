"""The engine must not pull in the database or web layers."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import sia

FORBIDDEN = ("sqlalchemy", "fastapi", "psycopg", "layers", "api", "geoalchemy2", "starlette")
MODULES = (
    "sia.criteria",
    "sia.profile",
    "sia.normalise",
    "sia.weights",
    "sia.aggregate",
    "sia.explain",
    "sia.robustness",
    "sia.candidates",
    "sia.scoring",
)


def _forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)


def test_importing_the_engine_loads_no_db_or_web_modules() -> None:
    code = f"import sys\nimport {', '.join(MODULES)}\nprint(','.join(sorted(sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    loaded = set(out.split(","))
    assert set(MODULES) <= loaded  # the probe really imported the engine
    assert sorted(m for m in loaded if _forbidden(m)) == []


def test_engine_source_never_imports_db_or_web_modules() -> None:
    """Also lazy imports inside functions (the subprocess test cannot see those)."""
    files = sorted(Path(sia.__file__).parent.glob("*.py"))
    assert len(files) >= 10
    offenders = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if _forbidden(n)]
    assert offenders == []
