"""Warming a worker process before it takes requests.

A fresh worker of ``sia serve`` has empty caches and no open database connections: the first map
that opens waits for the indicator table to be read (~150 ms), the layers to be assembled, the
connections to be opened and every route's first-call costs (imports, schemas), and when fifty
browsers open the map at once (``benchmarks/bench_load.py``) they all wait behind that. So each
worker first opens its pool of database connections, then asks itself, in-process and as an
anonymous visitor, what the map asks when it opens (``webmap/src/app.js``: config, meta,
indicators, the indicator table, the buurten and wijken, the layer catalogue, the weight
profiles, the periods, the partner layers of the default period) and one score with the
recommended profile, and only then accepts connections (uvicorn runs the lifespan before it
listens).

The requests go through the whole application (middleware, row-level security as the anonymous
visitor, the response cache), so what is warmed is exactly what an anonymous visitor gets. A
request that fails (an empty database, a gemeente without data) is skipped: warming never stops a
server from starting. It counts for no rate limit of a real client (its address is not one a
browser can have).
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Connection, Engine
from starlette.types import ASGIApp, Message

__all__ = ["WARM_CLIENT", "WARM_UP_SECONDS", "fill_pool", "warm_up"]

log = logging.getLogger("uvicorn.error")  # printed with the server's own messages

WARM_UP_SECONDS = 60.0
"""At most this long; then the worker takes requests, warm or not (``api.main``)."""

WARM_CLIENT = ("0.0.0.0", 0)
"""The client address of the warm-up requests (no browser has it)."""


def fill_pool(engine: Engine, size: int) -> bool:
    """Open ``size`` connections of ``engine`` at once and return them to its pool: the first
    burst of requests then finds them open instead of each opening its own (a sign-in to
    PostgreSQL costs milliseconds). Whether that worked; never raises: a database that is down is
    reported by /api/health, not by a server that does not start."""
    opened: list[Connection] = []
    try:
        for _ in range(size):
            opened.append(engine.connect())
    except Exception:
        log.warning("Opwarmen: de databaseverbindingen konden niet worden geopend", exc_info=True)
        return False
    finally:
        for conn in opened:
            conn.close()
    return True


async def _call(app: ASGIApp, method: str, url: str, body: Any = None) -> tuple[int, bytes]:
    """One request to ``app`` in-process (plain ASGI): its status and body."""
    path, _, query = url.partition("?")
    payload = b"" if body is None else json.dumps(body).encode()
    headers = [(b"host", b"localhost"), (b"accept", b"application/json")]
    if body is not None:
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": WARM_CLIENT,
        "server": ("localhost", 80),
        "state": {},
    }
    sent = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": payload, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


async def warm_up(app: ASGIApp, gemeente: str) -> dict[str, int]:
    """Ask ``app`` what the map asks when it opens for ``gemeente``; returns each URL's status.
    Never raises for a failing request."""
    done: dict[str, int] = {}
    start = time.perf_counter()

    async def ask(method: str, url: str, body: Any = None) -> dict[str, Any]:
        """The JSON object of the answer; {} for anything else (never raises)."""
        try:
            status, content = await _call(app, method, url, body)
            value = json.loads(content) if status == 200 and content else None
        except Exception:  # warming must never stop a server from starting
            log.warning("Opwarmen: %s %s mislukt", method, url, exc_info=True)
            status, value = 0, None
        done[f"{method} {url}"] = status
        return value if isinstance(value, dict) else {}

    gm = {"gemeente": gemeente}
    # in the order and with the parameters of webmap/src/app.js (the cache keys are the questions)
    for url in ("/api/config", "/api/meta", "/api/auth/ik"):
        await ask("GET", url)
    table = await ask("GET", f"/api/indicators/table?{urlencode(gm)}")
    year = {k: table[k] for k in ("jaar", "editie") if table.get(k) is not None}
    features = {**gm, **year, "properties": "buurtcode,buurtnaam,wijkcode,gemeentenaam"}
    wijken = {**gm, **{k: v for k, v in year.items() if k == "jaar"}}
    for url in (
        f"/api/indicators?{urlencode(gm)}",
        f"/api/layers/buurten/features?{urlencode(features)}",
        f"/api/layers/wijken/features?{urlencode(wijken)}",
        "/api/layers",
        "/api/scores/profiles",  # as webmap/src/ui/weights.js asks
    ):
        await ask("GET", url)
    periods = await ask("GET", f"/api/periods?{urlencode(gm)}")
    if isinstance(
        periods.get("standaard"), str
    ):  # the partner layers of the default period (webmap/src/ui/partners.js)
        q = urlencode({"periode": periods["standaard"]})
        for url in (
            f"/api/partners/features?laag=bezit&{q}",
            f"/api/partners/features?laag=projecten&{q}",
            f"/api/partners/sales-check?{q}",
        ):
            await ask("GET", url)
    await ask("POST", "/api/scores", {"gemeente": gemeente})
    log.info(
        "Opgewarmd in %.0f ms: %d van %d verzoeken beantwoord",
        1000 * (time.perf_counter() - start),
        sum(1 for s in done.values() if s == 200),
        len(done),
    )
    return done
