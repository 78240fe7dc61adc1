"""Schemathesis against the OpenAPI document, inside the suite (issue 10, "Tests").

The real app under uvicorn on loopback, on a copy of the demo database, signed in as a beheerder
by API token (so the write routes are reached, not only refused). For every operation of
``/openapi.json`` Schemathesis generates requests from the schema (valid and boundary values,
multipart forms, path ids) and sends them; every answer must be no server error (no 5xx) and have
a status the document lists for that operation. Bounded: a fixed number of examples per operation,
derandomized (the same requests every run), about a minute in all. The figures are printed.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance
from sqlalchemy import text

from api.settings import Settings
from layers.db.cluster import LocalCluster
from layers.db.engine import make_engine
from tests.browser.conftest import serve
from tests.conftest import _create_db, as_app_role
from tests.signin import add_user, token_for

pytestmark = pytest.mark.postgis

EXAMPLES = 25
"""Requests per operation (derandomized); with ~63 operations about a minute on this machine."""
SLOW = {"/api/voorstellen/{voorstel_id}/dossier": 8}  # a PDF is printed by Chromium each time


@pytest.fixture(scope="module")
def live(cluster: LocalCluster, demo_url: str, app_role: str) -> Iterator[tuple[str, str]]:
    url = _create_db(cluster, "sia_schemathesis", template="sia_demo")
    owner = make_engine(url)
    token = token_for(owner, add_user(owner, rol="beheerder")["id"])
    with owner.begin() as conn:  # out of reach of the generated ids: the run must not revoke itself
        conn.execute(text("UPDATE api_tokens SET id = 987654321 WHERE id = (SELECT max(id) FROM api_tokens)"))
    owner.dispose()
    settings = Settings(
        database_url=url,
        app_database_url=as_app_role(url, app_role),
        gemeente="GM0153",
        basemap_url="",
        limiet_zwaar=1_000_000,  # the limits are tested elsewhere; here every route must be reached
        limiet_schrijven=1_000_000,
        limiet_aanmelden=10_000,
    )
    with serve(settings) as base:
        yield base, token


def test_no_server_error_and_every_status_documented(live: tuple[str, str]) -> None:
    base, token = live
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    operations = 0
    start = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(
            max_examples=SLOW.get(operation.path, EXAMPLES),
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            response = case.call(base_url=base, session=session, timeout=60)
            statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
            except (Exception, BaseExceptionGroup) as exc:  # one group of the checks that failed
                failures.append(f"{case.method} {case.path} → {response.status_code}: {str(exc)[:300]}")

        run()
    elapsed = time.monotonic() - start
    requests_sent = sum(statuses.values())
    print(
        f"\nschemathesis: {operations} operations, {requests_sent} requests in {elapsed:.0f} s; "
        f"statuses {dict(sorted(statuses.items()))}; {len(failures)} failures"
    )
    assert failures == []
    assert not any(s >= 500 for s in statuses)
    assert operations > 60 and requests_sent > 5 * operations
    assert statuses[200] + statuses[201] > 0 and statuses[422] > 0  # both accepted and refused inputs
