"""Hardening of the server (issue 10, point 4), each point with its test on the real app and PostGIS.

Body limits before the body is read (raw sockets against a real uvicorn server), cross-origin
writes, security headers, NaN and long values never echoed in full, the template's formula
neutralisation, ``/api/health`` with PostgreSQL down, the durability of the tool's own cluster,
and an upload whose client disappears mid-body.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import text
from sqlalchemy.engine import make_url

from api.main import JSON_BODY_LIMIT, create_app
from api.routers.partners import UPLOAD_LIMIT
from api.settings import Settings
from layers.db.cluster import LocalCluster
from layers.db.engine import make_engine, migrate
from layers.partners.template import write_filled, write_template
from tests.browser.conftest import serve
from tests.conftest import _create_db, free_port
from tests.dutch import assert_dutch, assert_dutch_body
from tests.signin import add_user, sign_in, token_for

pytestmark = pytest.mark.postgis
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def url(cluster: LocalCluster, loaded_url: str) -> str:
    return _create_db(cluster, "sia_hardening", template="sia_loaded")


@pytest.fixture(scope="module")
def client(url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=url, gemeente="GM0153"))) as c:
        sign_in(c, url, rol="beheerder")  # a writer: the limits, not the sign-in, are tested here
        yield c


@pytest.fixture(scope="module")
def writer_token(url: str) -> str:
    return token_for(url, add_user(url, rol="beheerder")["id"])


@pytest.fixture(scope="module")
def live(url: str) -> Iterator[int]:
    with serve(Settings(database_url=url, gemeente="GM0153")) as base:
        yield int(urlsplit(base).port or 0)


def _response(sock: socket.socket, timeout: float = 10) -> tuple[int, bytes]:
    """Status and body of the HTTP response waiting on the socket."""
    sock.settimeout(timeout)
    data = b""
    with contextlib.suppress(TimeoutError, ConnectionResetError):
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = [
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length")
            ]
            if length and len(body) >= length[0]:
                break
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


def _count(url: str, table: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        n = int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    engine.dispose()
    return n


# -- body limits: refused before the body is read --------------------------------------------------


@pytest.mark.parametrize(
    ("path", "declared", "limit_text"),
    [
        ("/api/scores", 100 * 1024 * 1024, "1 MB"),
        ("/api/scenarios", 2 * 1024 * 1024, "1 MB"),
        ("/api/partners/uploads", 1024 * 1024 * 1024, "50 MB"),
        ("/api/partners/rasters", 60 * 1024 * 1024, "50 MB"),
    ],
)
def test_declared_size_over_the_limit_is_refused_without_reading(
    live: int, path: str, declared: int, limit_text: str
) -> None:
    """Only the headers are sent: the 413 comes back although not one byte of the body arrived."""
    with socket.create_connection(("127.0.0.1", live)) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{live}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {declared}\r\n\r\n".encode()
        )
        status, body = _response(sock)
    assert status == 413
    text_ = body.decode()
    assert limit_text in text_ and "te groot" in text_
    assert_dutch(text_)


def test_streamed_body_is_cut_at_the_limit(live: int, url: str, writer_token: str) -> None:
    """Without Content-Length (chunked), the bytes that actually arrive are counted (from a writer:
    an anonymous client is refused before one byte is read)."""
    before = _count(url, "scenarios")
    sent = 0
    with socket.create_connection(("127.0.0.1", live)) as sock:
        sock.sendall(
            f"POST /api/scenarios HTTP/1.1\r\nHost: 127.0.0.1:{live}\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {writer_token}\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
        )
        chunk = b"[" + b"1," * 32767 + b"1"  # 64 kB of JSON that never ends
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            while sent < 20 * JSON_BODY_LIMIT:
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                sent += len(chunk)
                sock.settimeout(0.001)
                try:
                    if sock.recv(1, socket.MSG_PEEK):
                        break
                except (TimeoutError, BlockingIOError):
                    pass
                finally:
                    sock.settimeout(None)
        status, body = _response(sock)
    assert status == 413 and "1 MB" in body.decode()
    assert sent < 4 * JSON_BODY_LIMIT, f"the server read {sent:,} bytes before it stopped"
    assert _count(url, "scenarios") == before


def test_limits_are_per_route(client: TestClient) -> None:
    """A 5 MB body is fine for an upload (and then judged on its content), not for a JSON route."""
    five = b"x" * (5 * 1024 * 1024)
    upload = client.post(
        "/api/partners/uploads",
        files={"bestand": ("p.csv", five)},
        data={"laag": "projecten", "partner": "Domijn", "periode": "2026-najaar"},
    )
    assert upload.status_code == 422 and "te groot" not in upload.text
    assert client.post("/api/scores", content=b" " * (2 * 1024 * 1024), headers=JSON).status_code == 413
    assert UPLOAD_LIMIT == 50 * 1024 * 1024


# -- cross-origin writes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({"origin": "https://kwaadaardig.example"}, False),
        ({"origin": "http://testserver.kwaadaardig.example"}, False),
        ({"origin": "null"}, False),
        ({"sec-fetch-site": "cross-site"}, False),
        ({"sec-fetch-site": "same-site"}, False),
        ({"origin": "http://testserver"}, True),  # the map itself
        (
            {"origin": "https://sia.enschede.nl", "x-forwarded-host": "sia.enschede.nl"},
            True,
        ),  # behind a proxy
        ({"sec-fetch-site": "same-origin"}, True),
        ({}, True),  # scripts and the CLI send neither header
    ],
)
def test_cross_origin_writes_are_refused(client: TestClient, headers: dict[str, str], allowed: bool) -> None:
    res = client.post("/api/scores", json={}, headers=headers)
    if allowed:  # reaches the route (which judges the request on its merits: no partner data here)
        assert res.status_code in (200, 400) and "andere website" not in res.text, res.text
    else:
        assert res.status_code == 403
        assert_dutch_body(res.json())
        assert "andere website" in res.json()["melding"] or "zonder herkomst" in res.json()["melding"]


def test_cross_origin_multipart_and_delete(client: TestClient, url: str, tmp_path: Path) -> None:
    """A form another site posts (the classic CSRF upload) and a DELETE are refused; reading is not."""
    before = _count(url, "leveringen")
    template = write_template(tmp_path / "t.xlsx")
    elsewhere = {"origin": "https://kwaadaardig.example"}
    res = client.post(
        "/api/partners/uploads", files={"bestand": ("t.xlsx", template.read_bytes())}, headers=elsewhere
    )
    assert res.status_code == 403 and _count(url, "leveringen") == before
    # a DELETE from elsewhere never reaches the route (which would say: no such scenario)
    assert client.delete("/api/scenarios/987654", headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert client.delete("/api/scenarios/987654").status_code == 404
    assert client.get("/api/scenarios", headers=elsewhere).status_code == 200


# -- security headers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/docs", 200),
        ("GET", "/api/health", 200),
        ("GET", "/static/app.js", 200),
        ("GET", "/vendor/leaflet/leaflet.js", 200),
        ("GET", "/bestaat-niet", 404),
        ("POST", "/api/scores", 422),
    ],
)
def test_security_headers_on_every_response(client: TestClient, method: str, path: str, status: int) -> None:
    res = client.request(method, path, content=b'{"top_n": NaN}' if method == "POST" else None, headers=JSON)
    assert res.status_code == status
    csp = res.headers["content-security-policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ):
        assert directive in csp
    assert "unsafe-eval" not in csp and "http" not in csp
    assert res.headers["x-content-type-options"] == "nosniff"
    assert res.headers["referrer-policy"] == "same-origin"
    assert res.headers["x-frame-options"] == "DENY"


def test_headers_on_errors_outside_the_routes(db_url: str) -> None:
    """A 500 from an unexpected error and a 413 from the body limiter carry them too."""
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE buurten CASCADE"))
    engine.dispose()
    with TestClient(create_app(Settings(database_url=db_url)), raise_server_exceptions=False) as c:
        res = c.get("/api/buurten/BU01530000")
        assert res.status_code == 500 and "frame-ancestors 'none'" in res.headers["content-security-policy"]
        big = c.post("/api/scores", content=b"0" * (JSON_BODY_LIMIT + 1), headers=JSON)
        assert big.status_code == 413 and big.headers["x-content-type-options"] == "nosniff"
        assert_dutch_body(big.json())


def test_basemap_host_is_allowed_for_images_only(url: str) -> None:
    tiles = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    with TestClient(create_app(Settings(database_url=url, basemap_url=tiles))) as c:
        csp = c.get("/").headers["content-security-policy"]
    img = next(d for d in csp.split("; ") if d.startswith("img-src"))
    assert "https://*.tile.example.org" in img
    assert csp.count("tile.example.org") == 1  # not in script-src, connect-src, ...


# -- JSON numbers and echoed values ---------------------------------------------------------------


@pytest.mark.parametrize(
    "body", [b'{"top_n": NaN}', b'{"top_n": Infinity}', b'{"top_n": -Infinity}', b'{"x": 1e400}']
)
def test_nan_and_infinity_are_422(client: TestClient, body: bytes) -> None:
    res = client.post("/api/scores", content=body, headers=JSON)
    assert res.status_code == 422
    assert_dutch_body(res.json())


def test_values_are_never_echoed_in_full(client: TestClient) -> None:
    long_name = "A" * 100_000
    res = client.post("/api/scenarios", json={"naam": long_name, "auteur": "x\x00y"})
    assert res.status_code == 422
    assert len(res.content) < 5_000
    assert long_name not in res.text and "\\u0000" not in res.text
    assert_dutch_body(res.json())


# -- template: parameters checked, texts neutralised against formulas ----------------------------


def test_template_partner_with_control_characters_is_422(client: TestClient) -> None:
    res = client.get("/api/partners/template", params={"partner": "Domijn\x1b[31m"})
    assert res.status_code == 422
    assert_dutch_body(res.json())


@pytest.mark.parametrize(
    "text_", ['=HYPERLINK("http://x.invalid","klik")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]
)
def test_template_texts_are_never_formulas(client: TestClient, tmp_path: Path, text_: str) -> None:
    res = client.get(
        "/api/partners/template", params={"partner": text_.strip() if text_[0] in "\t\r" else text_}
    )
    if text_[0] in "\t\r":  # a control character in a name is refused outright
        return
    assert res.status_code == 200
    path = tmp_path / "t.xlsx"
    path.write_bytes(res.content)
    sheets = zipfile.ZipFile(path)
    assert not any(b"<f>" in sheets.read(n) for n in sheets.namelist() if n.startswith("xl/worksheets/"))
    cell = load_workbook(path)["levering"]["B2"]
    assert cell.value == text_ and cell.data_type == "s" and cell.quotePrefix


def test_filled_workbook_neutralises_every_text(tmp_path: Path) -> None:
    import pandas as pd

    frames = {
        "projecten": pd.DataFrame(
            [
                {
                    "projectnaam": "=1+1",
                    "partij": "Domijn",
                    "type": "sloop",
                    "toelichting": "@cmd",
                    "x": 257000,
                    "y": 471000,
                }
            ]
        )
    }
    path = write_filled(tmp_path / "f.xlsx", frames, partner="Domijn", period="2026-najaar", contact="-Jan")
    wb = load_workbook(path)
    cells = [c for row in wb["projecten"].iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value[0] in "=+-@"]
    assert {c.value for c in risky} == {"=1+1", "@cmd"}
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)
    contact = next(r[1] for r in wb["levering"].iter_rows() if r[0].value == "contact")
    assert contact.value == "-Jan" and contact.quotePrefix
    assert not any(
        b"<f>" in zipfile.ZipFile(path).read(n) for n in zipfile.ZipFile(path).namelist() if "sheet" in n
    )


# -- /api/health with PostgreSQL down; the tool's own cluster is durable ------------------------------


@pytest.fixture(scope="module")
def own_cluster() -> Iterator[LocalCluster]:
    """A cluster as `sia db start` makes it for a user (durable), on its own port."""
    home = Path(tempfile.mkdtemp(prefix="sia-durable-pg-"))
    home.chmod(0o755)
    cl = LocalCluster(home=home, port=free_port())
    cl.start()
    yield cl
    cl.stop()
    shutil.rmtree(home, ignore_errors=True)


def _setting(url: str, name: str) -> str:
    u = make_url(url)
    with psycopg.connect(
        host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database
    ) as conn:
        row = conn.execute(f"SHOW {name}").fetchone()
    assert row is not None
    return str(row[0])


def test_the_users_cluster_is_durable_and_only_the_test_cluster_is_not(
    own_cluster: LocalCluster, cluster: LocalCluster
) -> None:
    for name in ("fsync", "synchronous_commit", "full_page_writes"):
        assert _setting(own_cluster.url(), name) == "on"
        assert _setting(cluster.url(), name) == "off"  # the suite's throwaway cluster asked for it
    assert LocalCluster(home=Path("/nonexistent")).durable is True


def test_health_is_503_naming_the_database_when_postgresql_is_down(own_cluster: LocalCluster) -> None:
    url = own_cluster.url()
    migrate(url)
    with TestClient(create_app(Settings(database_url=url)), raise_server_exceptions=False) as c:
        assert c.get("/api/health").status_code == 200
        own_cluster.stop()
        try:
            res = c.get("/api/health")
            assert res.status_code == 503
            body = res.json()
            assert body["status"] == "fout" and body["database"] == "niet bereikbaar"
            assert f"'sia' op 127.0.0.1:{own_cluster.port}" in body["melding"]
            assert make_url(url).password not in res.text
            assert_dutch(body["melding"])
            other = c.get("/api/layers/buurten/features")  # any route: 503, not a 500
            assert other.status_code == 503 and other.json()["fout"] == "DatabaseNietBereikbaar"
        finally:
            own_cluster.start()
        assert c.get("/api/health").status_code == 200  # back without restarting the app


# -- an upload whose client disappears mid-body ------------------------------------------------------


def _upload_head(port: int, length: int, token: str) -> bytes:
    return (
        f"POST /api/partners/uploads HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {token}\r\n"
        f"Content-Type: multipart/form-data; boundary=grens\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


def test_interrupted_upload_stores_nothing(
    live: int, url: str, writer_token: str, enschede_buurten: Path, tmp_path: Path
) -> None:
    """As a signed-in writer (a beheerder, by API token): half a body, then the client is gone."""
    from layers.partners.synthetic import load_buurten, write_deliveries

    delivery = next(
        p for p in write_deliveries(tmp_path, load_buurten(enschede_buurten)) if "domijn" in p.name
    )
    data = delivery.read_bytes()
    before = {t: _count(url, t) for t in ("leveringen", "bezit", "projecten", "verkoop")}
    body = (
        b'--grens\r\nContent-Disposition: form-data; name="bestand"; filename="domijn.xlsx"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n--grens--\r\n"
    )
    with socket.create_connection(("127.0.0.1", live)) as sock:
        sock.sendall(_upload_head(live, len(body), writer_token))
        sock.sendall(body[: len(body) // 2])  # then the client is gone
    time.sleep(1.0)
    assert {t: _count(url, t) for t in before} == before
    with socket.create_connection(("127.0.0.1", live)) as sock:
        sock.sendall(f"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:{live}\r\n\r\n".encode())
        status, _ = _response(sock)
    assert status == 200
    # the same file sent whole is stored: the interruption, not the file, stored nothing
    with socket.create_connection(("127.0.0.1", live)) as sock:
        sock.sendall(_upload_head(live, len(body), writer_token) + body)
        status, _ = _response(sock, timeout=60)
    assert status == 201 and _count(url, "leveringen") == before["leveringen"] + 1


# -- names on one line (findings of the review of issue 10) --------------------------------------


@pytest.mark.parametrize("name", ["a\nb", "a\tb", "a\rb", "Domijn\n=1+1"])
def test_names_refuse_line_breaks_and_tabs(client: TestClient, name: str) -> None:
    """Before: `?partner=a%0Ab` wrote 'a\\nb' into the template's partner cell."""
    res = client.get("/api/partners/template", params={"partner": name})
    assert res.status_code == 422
    assert_dutch_body(res.json())
    assert "stuurtekens" in res.json()["melding"]
    res = client.post("/api/scenarios", json={"naam": name})
    assert res.status_code == 422 and "naam" in res.text


def test_texts_keep_their_lines_and_tabs(client: TestClient) -> None:
    text_ = "Eerste regel.\n\tTweede regel, ingesprongen.\r\nDerde."
    res = client.post("/api/scenarios", json={"naam": "Met toelichting", "toelichting": text_})
    assert res.status_code == 201, res.text
    assert client.get(f"/api/scenarios/{res.json()['id']}").json()["toelichting"] == text_


# -- no API answer is stored by a browser or proxy unless it is cached per view --------------------


def _get_routes_without_parameters(app: Any) -> list[str]:
    """Every GET route of the API that needs no parameter, from the OpenAPI document."""
    paths = []
    for path, operations in app.openapi()["paths"].items():
        op = operations.get("get")
        needs = op is not None and any(p.get("required") for p in op.get("parameters", []))
        if path.startswith("/api") and op is not None and "{" not in path and not needs:
            paths.append(path)
    return paths


def test_api_answers_are_not_stored_unless_cached_per_view(client: TestClient) -> None:
    """Before: /api/auth/ik, /api/admin/gebruikers, /api/scenarios, /api/voorstellen/{id} … sent no
    Cache-Control, so a shared computer's browser or a proxy could keep one user's answer."""
    paths = _get_routes_without_parameters(client.app)
    assert {"/api/auth/ik", "/api/admin/gebruikers", "/api/scenarios", "/api/indicators/table"} <= set(paths)
    cached = []
    for path in paths:
        res = client.get(path)
        control = res.headers.get("cache-control", "")
        vary = {v.strip().lower() for v in res.headers.get("vary", "").split(",")}
        if control != "no-store":
            assert "private" in control and {"cookie", "authorization"} <= vary, (path, control, vary)
            assert res.headers.get("etag"), path  # only the answers cached per view choose their own
            cached.append(path)
    assert "/api/indicators/table" in cached and "/api/auth/ik" not in cached
    for res in (
        client.get("/api/voorstellen/999999"),  # errors too
        client.get("/api/voorstellen/999999/dossier"),
        client.post("/api/scores", content=b"{", headers=JSON),
    ):
        assert res.status_code >= 400 and res.headers["cache-control"] == "no-store"
    table = "/api/indicators/table"  # cached per view: a beheerder's is not the public one
    etag = client.get(table).headers["etag"]
    again = client.get(table, headers={"If-None-Match": etag})
    assert again.status_code == 304 and "private" in again.headers["cache-control"]
    assert "Authorization" in again.headers["vary"]
    static = client.get("/static/app.js")
    assert static.status_code == 200 and "no-store" not in static.headers.get("cache-control", "")


# -- the role a write needs is checked before its body is read --------------------------------------


def _role_routes(app: Any) -> list[tuple[str, str]]:
    """(method, path) of every state-changing route that declares a role (Writer, Beheerder,
    SignedIn), read from the routes' own declarations."""
    from api.openapi import _api_routes
    from api.security import declared_roles

    out = []
    for route in _api_routes(app.routes):
        for method in sorted((route.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"}):
            if declared_roles(route.dependant) is not None:
                out.append((method, route.path_format))
    return out


def _asgi_call(app: Any, method: str, path: str, headers: dict[str, str], size: int) -> tuple[int, int]:
    """Call the application as a server does, with a JSON body of ``size`` bytes that is handed over
    only when the application asks for it; returns the status and the bytes it took in."""
    import asyncio

    taken = 0
    chunk = b" " * 65536

    async def receive() -> dict[str, Any]:
        nonlocal taken
        if taken >= size:
            return {"type": "http.request", "body": b"{}", "more_body": False}
        taken += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    raw = {"host": "testserver", "content-type": "application/json", **headers}
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in raw.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return int(start["status"]), taken


def test_every_write_checks_its_role_before_reading_the_body(url: str) -> None:
    """Before: only the uploads did (WriterFirstRoute); an anonymous 4.4 MB JSON body to
    POST /api/voorstellen was read and parsed (seconds) before the 401."""
    app = create_app(Settings(database_url=url, gemeente="GM0153"))
    routes = _role_routes(app)
    assert {
        ("POST", "/api/voorstellen"),
        ("POST", "/api/scenarios"),
        ("POST", "/api/voorstellen/{voorstel_id}/reacties"),
        ("PATCH", "/api/admin/gebruikers/{gebruiker_id}"),
        ("POST", "/api/partners/uploads"),
    } <= set(routes)
    for method, path in routes:
        concrete = path.replace("{", "").replace("}", "")  # any segment: refused before it matters
        for segment in ("voorstel_id", "scenario_id", "gebruiker_id", "token_id"):
            concrete = concrete.replace(segment, "1")
        size = 4_400_000 if path == "/api/voorstellen" else 4096
        status, taken = _asgi_call(app, method, concrete, {}, size)
        assert (status, taken) == (401, 0), (method, path)


def test_a_lezer_is_refused_a_write_before_its_body_is_read(url: str) -> None:
    app = create_app(Settings(database_url=url, gemeente="GM0153"))
    lezer = {"authorization": f"Bearer {token_for(url, add_user(url, rol='lezer')['id'])}"}
    writer = {"authorization": f"Bearer {token_for(url, add_user(url, rol='planner')['id'])}"}
    with TestClient(app):  # the lifespan: the database engine that looks the tokens up
        assert _asgi_call(app, "POST", "/api/voorstellen", lezer, 4_400_000) == (403, 0)
        assert _asgi_call(app, "POST", "/api/admin/gebruikers", writer, 4096) == (403, 0)
        assert _asgi_call(app, "POST", "/api/voorstellen/1/reacties", {}, 4096) == (401, 0)
        # the writer's body is read (and refused as the empty JSON object it ends in)
        status, taken = _asgi_call(app, "POST", "/api/voorstellen", writer, 4096)
        assert status == 422 and taken > 0


def test_an_anonymous_write_is_refused_before_its_body_arrives(live: int) -> None:
    """On a real server: only the headers of a 4.4 MB proposal are sent, and the 401 comes back
    (before: the server waited for the body, then parsed it, then refused it)."""
    with socket.create_connection(("127.0.0.1", live)) as sock:
        sock.sendall(
            f"POST /api/voorstellen HTTP/1.1\r\nHost: 127.0.0.1:{live}\r\nContent-Type: application/json\r\n"
            "Content-Length: 4400000\r\n\r\n".encode()
        )
        status, body = _response(sock, timeout=5)
    assert status == 401 and "Meld u aan" in body.decode()
