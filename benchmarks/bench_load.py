"""Load test: many browsers on the map at once, plus a planner uploading (loopback only).

Run: ``.venv/bin/python benchmarks/bench_load.py [--clients 50] [--seconds 60] [--workers N]``
or against a server that is already running: ``... --url http://127.0.0.1:8000 [--token TOKEN]``.

Without ``--url`` the script does what a user does: ``sia demo --no-serve`` (the tool's own
PostGIS cluster under ``SIA_HOME``, loaded with the Enschede demo data: CBS buurten 2021,
Leefbaarometer 2024, the *synthetic* partner deliveries and raster), ``sia user add`` (a planner
of Domijn) and ``sia user token``, then ``sia serve`` (its default worker processes, or
``--workers``). ``SIA_HOME``, ``SIA_PG_PORT`` and ``SIA_PORT`` are used when set; otherwise a
temporary folder and free ports, removed afterwards. The server and the cluster are stopped at
the end (a cluster that was already running is left running). ``SIA_DATABASE_URL`` is ignored:
the load goes to the local demo cluster only.

Only loopback addresses are accepted (``--url`` on another host is refused): this is a load test
of one's own machine, not of somebody else's server.

Each of ``--clients`` virtual browsers first opens the map as ``webmap/src/app.js`` does, with its
query parameters and in its order (config, meta, who is signed in, the indicator table, indicators,
buurten and wijken GeoJSON of the table's year, layer catalogue, periods, weight profiles),
then, until ``--seconds`` have passed, does one of (weighted at random):

- map layers: the buurten and wijken GeoJSON and the indicator table again (the map's layers);
- partner layers: ``/api/partners/features`` (bezit, projecten) and ``/api/partners/sales-check``;
- buurt details: ``GET /api/buurten/{code}`` of a random buurt (the detail panel);
- scores: ``POST /api/scores`` with the ``default`` profile and one to three weights moved to a
  random value (as a slider does: almost every weighting is new);
- area statistics: ``POST /api/gebieden/statistieken`` with a small random rectangle (EPSG:4326)
  in the centre of Enschede (a drawn area; almost every one is new).

By default each browser pauses after each answer (``--think``, exponential with a mean of 1000 ms:
a person who looks at the map for a second before the next click, busier than anyone really is)
and the browsers arrive over ``--ramp`` 10 s (five a second: a whole office opening the map at
nine). ``--think 0`` is a closed loop (each browser sends its next request the moment the last
answer is in; by Little's law the mean latency is then clients / throughput, which on two cores
is far beyond 300 ms) and ``--ramp 0`` lets every browser open the map at the same instant: both
harsher readings of "50 concurrent clients", reported in the notes but not the target.

GETs are repeated the way a browser does: the ETag of an earlier answer is sent back in
``If-None-Match``, so an unchanged answer is a 304. Each virtual browser has its own connection
and its own client address (``X-Forwarded-For`` 198.51.100.N, which uvicorn takes from a loopback
peer), as 50 people would; ``--one-address`` sends none, so that all share 127.0.0.1 and its rate
limits.

Besides the browsers, one planner (API token; ``--token`` with ``--url``, else made as above)
uploads a small corrected sales delivery of Domijn (CSV, layer ``verkoop``) ``--uploads`` times
spread over the run: each is a new delivery version, so the caches of what it changes are
invalidated while the browsers read. 429 (the write rate limit) is counted as "refused by rate
limit", never as an error.

Printed per route: requests, requests/s, p50/p95/p99 latency in ms (client side, to the last byte;
304s included), errors (5xx, connection errors, timeouts, unexpected statuses), 429s and the
share of 304; the totals; and whether the target holds: no errors, and p95 under 300 ms for every
read and score route. The client runs on the same cores as the server, and other people's work may
too: the CPU the machine spent during the run is printed, split into this script, the server's
processes, the PostgreSQL cluster's (own server only) and everything else.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import ipaddress
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx2 as httpx

REPO = Path(__file__).resolve().parents[1]
_SIA_SCRIPT = Path(sys.executable).with_name("sia")  # the console script beside this Python
SIA = [str(_SIA_SCRIPT)] if _SIA_SCRIPT.exists() else [sys.executable, "-m", "api.cli"]
TARGET_P95_MS = 300.0
GEMEENTE = "GM0153"
PERIODE = "2026-najaar"  # the demo's period (the synthetic deliveries)

# what the map requests when it opens, in its order (webmap/src/app.js, ui/periods.js, ui/auth.js,
# ui/weights.js); the buurten and wijken are asked for the year and edition of the indicator table
OPEN_FIRST = ["/api/config", "/api/meta", "/api/auth/ik", f"/api/indicators/table?gemeente={GEMEENTE}"]
PROPERTIES = "buurtcode%2Cbuurtnaam%2Cwijkcode%2Cgemeentenaam"  # as URLSearchParams writes it


def open_after_table(table: dict[str, Any]) -> list[str]:
    """The requests of the map after the indicator table (``table``: its JSON)."""
    year = "".join(f"&{k}={table[k]}" for k in ("jaar", "editie") if table.get(k) is not None)
    jaar = f"&jaar={table['jaar']}" if table.get("jaar") is not None else ""
    return [
        f"/api/indicators?gemeente={GEMEENTE}",
        f"/api/layers/buurten/features?gemeente={GEMEENTE}{year}&properties={PROPERTIES}",
        f"/api/layers/wijken/features?gemeente={GEMEENTE}{jaar}",
        "/api/layers",
        f"/api/periods?gemeente={GEMEENTE}",
        "/api/scores/profiles",
    ]


PARTNER_LAYERS = [  # webmap/src/ui/partners.js
    f"/api/partners/features?laag=bezit&periode={PERIODE}",
    f"/api/partners/features?laag=projecten&periode={PERIODE}",
    f"/api/partners/sales-check?periode={PERIODE}",
]
ACTIONS = {"kaartlagen": 20, "partnerlagen": 15, "buurt": 30, "scores": 25, "gebied": 10}
"""Relative frequency of what a browser does next."""

# a box in the centre of Enschede (EPSG:4326) that drawn areas are taken from
AREA_BOX = (6.870, 52.205, 6.915, 52.235)


def route_name(method: str, url: str) -> str:
    """The route a request belongs to, as it is named in the table."""
    path, _, query = url.partition("?")
    if path.startswith("/api/buurten/"):
        return f"{method} /api/buurten/{{code}}"
    if path == "/api/partners/features":
        return f"{method} {path}?{query.split('&')[0]}"
    return f"{method} {path}"


# -- loopback only --------------------------------------------------------------------------------


def require_loopback(url: str) -> None:
    """Refuse any URL whose host is not (or does not resolve only to) a loopback address."""
    host = urlsplit(url).hostname
    if not host:
        raise SystemExit(f"No host in {url!r}.")
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except socket.gaierror as exc:
        raise SystemExit(f"{host} cannot be resolved ({exc}).") from None
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise SystemExit(
            f"Refused: {host} ({', '.join(sorted(addresses))}) is not a loopback address; this load "
            "test runs against this machine only (127.0.0.1 or ::1)."
        )


# -- the server, started as a user does ----------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _sia(env: dict[str, str], *args: str, stdin: str | None = None, codes: tuple[int, ...] = (0,)) -> str:
    done = subprocess.run(
        [*SIA, *args], env=env, cwd=REPO, input=stdin, capture_output=True, text=True, check=False
    )
    if done.returncode not in codes:
        raise SystemExit(f"sia {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def _wait_healthy(url: str, server: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"sia serve stopped at once (code {server.returncode}).")
        try:
            if httpx.get(f"{url}/api/health", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s.")


def _wait_all_workers(log: Path, server: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    """Until every worker process has started (and warmed itself, ``api.warmup``): /api/health
    answers as soon as the first one has, and a test must not start on a server half up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        text = log.read_text(errors="replace")
        started = text.count("Started server process")
        if started and text.count("Application startup complete") >= started:
            return
        time.sleep(0.2)
    raise SystemExit(f"Not every worker of sia serve started within {timeout:.0f} s (see {log}).")


@contextmanager
def own_server(workers: int | None) -> Iterator[tuple[str, str, subprocess.Popen[bytes], Path]]:
    """A demo database and ``sia serve`` on loopback; yields the URL, a planner's API token, the
    server's process and SIA_HOME."""
    home_given = os.environ.get("SIA_HOME")
    home = Path(home_given) if home_given else Path(tempfile.mkdtemp(prefix="sia-bench-load-"))
    if not home_given:
        home.chmod(0o755)  # the cluster may run as the postgres user
    env = {k: v for k, v in os.environ.items() if k not in {"SIA_DATABASE_URL", "SIA_APP_DATABASE_URL"}}
    env.update(
        SIA_HOME=str(home),
        SIA_PG_PORT=os.environ.get("SIA_PG_PORT") or str(_free_port()),
        SIA_PORT=os.environ.get("SIA_PORT") or str(_free_port()),
        SIA_HOST="127.0.0.1",
        SIA_BASEMAP_URL="",
        PYTHONPATH=str(REPO),
    )
    url = f"http://127.0.0.1:{env['SIA_PORT']}"
    was_running = home_given is not None and "draait" in _sia(env, "db", "status", codes=(0, 3))
    server: subprocess.Popen[bytes] | None = None
    stack = ExitStack()
    try:
        print(f"sia demo --no-serve (SIA_HOME={home}) ...", flush=True)
        _sia(env, "demo", "--no-serve")
        email = f"belastingtest-{secrets.token_hex(4)}@bench.example.nl"
        _sia(
            env,
            "user",
            "add",
            email,
            "--naam",
            "Belastingtest planner",
            "--organisatie",
            "domijn",
            "--gemeente",
            GEMEENTE,
            "--rol",
            "planner",
            "--wachtwoord-stdin",
            stdin=secrets.token_urlsafe(24) + "\n",
        )
        token = _sia(env, "user", "token", email, "--naam", "belastingtest", "--dagen", "1").split()[-1]
        serve = ["serve"] + (["--workers", str(workers)] if workers else [])
        log = stack.enter_context((home / "bench-load-serve.log").open("wb"))
        # its own session: stopped below by its process id, with everything it started
        server = subprocess.Popen(
            [*SIA, *serve], env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        _wait_healthy(url, server)
        _wait_all_workers(home / "bench-load-serve.log", server)
        print(f"sia {' '.join(serve)} op {url} (log: {log.name})", flush=True)
        yield url, token, server, home
    finally:
        if server is not None and server.poll() is not None:  # it stopped by itself: say why
            tail = (home / "bench-load-serve.log").read_text(errors="replace").splitlines()[-15:]
            print("sia serve stopped by itself; the end of its log:\n  " + "\n  ".join(tail))
        elif server is not None:
            os.killpg(server.pid, signal.SIGINT)  # as Ctrl+C: uvicorn stops its workers
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        stack.close()
        if not was_running:
            _sia(env, "db", "stop")
        if not home_given:
            shutil.rmtree(home, ignore_errors=True)


# -- measuring -------------------------------------------------------------------------------------


@dataclass
class Route:
    times: list[float] = field(default_factory=list)  # ms, every answer (304 and 429 included)
    server: list[float] = field(default_factory=list)  # ms, the server's own time (Server-Timing app)
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    errors: int = 0  # 5xx, connection errors, timeouts, unexpected statuses
    refused: int = 0  # 429: refused by the rate limit
    not_modified: int = 0
    retried: int = 0  # GETs sent again after the server closed a kept-alive connection
    examples: list[str] = field(default_factory=list)

    def error(self, what: str) -> None:
        self.errors += 1
        if len(self.examples) < 3:
            self.examples.append(what)


_APP_TIME = re.compile(r"\bapp;dur=([0-9.]+)")


class Recorder:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = defaultdict(Route)

    async def call(
        self,
        client: httpx.AsyncClient,
        method: str,
        url: str,
        *,
        name: str | None = None,
        expected: tuple[int, ...] = (200,),
        etags: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response | None:
        route = self.routes[name or route_name(method, url)]
        headers = dict(kwargs.pop("headers", None) or {})
        if etags is not None and url in etags:
            headers["If-None-Match"] = etags[url]  # as a browser revalidates what it has
        start = time.perf_counter()
        try:
            try:
                response = await client.request(method, url, headers=headers, **kwargs)
            except (httpx.ReadError, httpx.RemoteProtocolError):
                if method != "GET":
                    raise
                # the server closed the kept-alive connection as the request went out (uvicorn's
                # keep-alive timeout is 5 s): a browser sends such a GET again, once, and so do we
                route.retried += 1
                response = await client.request(method, url, headers=headers, **kwargs)
        except httpx.TransportError as exc:  # connection refused or reset, timeout
            route.times.append((time.perf_counter() - start) * 1000)
            route.error(f"error: {type(exc).__name__}: {exc}"[:200])
            await asyncio.sleep(1.0)  # as a person would, before trying again
            return None
        route.times.append((time.perf_counter() - start) * 1000)
        status = response.status_code
        timing = _APP_TIME.search(response.headers.get("server-timing", ""))
        if timing:
            route.server.append(float(timing.group(1)))
        route.statuses[status] += 1
        if status == 304 and etags is not None and url in etags:
            route.not_modified += 1
        elif status == 429:
            route.refused += 1
            if route.refused == 1:
                route.examples.append(
                    f"first 429 ({client.headers.get('x-forwarded-for')}): {response.text[:150]}"
                )
        elif status not in expected:
            route.error(f"error: {status}: {response.text[:200]}")
            return None
        if etags is not None and status == 200 and "etag" in response.headers:
            etags[url] = response.headers["etag"]
        return response


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * q // 100))
    return sorted_values[int(rank) - 1]


# -- what a browser and a planner do --------------------------------------------------------------


def _weights(rng: random.Random, criteria: list[str]) -> dict[str, float]:
    return {
        c: round(rng.uniform(0, 5), 1) for c in rng.sample(criteria, rng.randint(1, min(3, len(criteria))))
    }


def _area(rng: random.Random) -> dict[str, Any]:
    x0, y0, x1, y1 = AREA_BOX
    w, h = rng.uniform(0.003, 0.012), rng.uniform(0.002, 0.008)
    x, y = rng.uniform(x0, x1 - w), rng.uniform(y0, y1 - h)
    ring = [[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]
    return {"type": "Polygon", "coordinates": [[[round(a, 6), round(b, 6)] for a, b in ring]]}


async def browser(
    n: int, base: str, deadline: float, rec: Recorder, args: argparse.Namespace, codes: list[str]
) -> None:
    rng = random.Random(args.seed * 1000 + n)
    headers = {} if args.one_address else {"X-Forwarded-For": f"198.51.100.{1 + n % 254}"}
    etags: dict[str, str] = {}
    criteria: list[str] = []
    timeout = httpx.Timeout(args.timeout)
    await asyncio.sleep(n * args.ramp / args.clients)  # --ramp: the browsers arrive one by one
    # verify=False: plain http on loopback, no TLS; a default SSL context costs ~27 ms of this
    # script's event loop per browser, which 50 browsers arriving at once would add to the
    # latency of every request in flight
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=timeout, verify=False) as client:
        table: dict[str, Any] = {}
        for url in OPEN_FIRST:  # opening the map
            response = await rec.call(client, "GET", url, etags=etags)
            if "/table" in url and response is not None and response.status_code == 200:
                table = response.json()
        map_layers = [OPEN_FIRST[3], *open_after_table(table)[1:3]]
        for url in open_after_table(table):
            response = await rec.call(client, "GET", url, etags=etags)
            if url == "/api/scores/profiles" and response is not None and response.status_code == 200:
                criteria = sorted(next(p for p in response.json() if p["naam"] == "default")["gewichten"])
        kinds, freq = list(ACTIONS), list(ACTIONS.values())
        while time.monotonic() < deadline:
            kind = rng.choices(kinds, freq)[0]
            if kind == "kaartlagen":
                await rec.call(client, "GET", rng.choice(map_layers), etags=etags)
            elif kind == "partnerlagen":
                await rec.call(client, "GET", rng.choice(PARTNER_LAYERS), etags=etags)
            elif kind == "buurt":
                await rec.call(client, "GET", f"/api/buurten/{rng.choice(codes)}", etags=etags)
            elif kind == "scores":
                body = {"profiel": "default", "gewichten": _weights(rng, criteria or ["lbm_score"])}
                await rec.call(client, "POST", "/api/scores", json=body)
            else:
                body = {"geometrie": _area(rng), "crs": "EPSG:4326", "profiel": "default"}
                await rec.call(client, "POST", "/api/gebieden/statistieken", json=body)
            if args.think > 0:  # a person looking at the answer before the next step
                await asyncio.sleep(min(rng.expovariate(1000.0 / args.think), 10 * args.think / 1000))


def sales_csv(i: int) -> bytes:
    """A small sales delivery of Domijn (layer verkoop), different each time (a corrected list)."""
    year = dt.date.today().year + 1 + i % 3
    rows = [
        f"Domijn;Belastingteststraat {k + 1};{257600 + 150 * k};{471300 + 90 * (i % 7)};C;2;nee;nee;{year}"
        for k in range(3)
    ]
    head = "corporatie;adres;x;y;energielabel;conditie;kluswoning;gemeld_aan_gemeente;gepland_jaar"
    return ("\n".join([head, *rows]) + "\n").encode()


async def planner(base: str, token: str, start: float, seconds: float, rec: Recorder, uploads: int) -> None:
    """``uploads`` deliveries, one every seconds/uploads, by a signed-in planner (API token)."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60.0, verify=False) as client:
        for i in range(uploads):
            await asyncio.sleep(max(0.0, start + (i + 0.5) * seconds / uploads - time.monotonic()))
            await rec.call(
                client,
                "POST",
                "/api/partners/uploads",
                expected=(201,),
                files={"bestand": (f"verkoop-domijn-{i}.csv", sales_csv(i), "text/csv")},
                data={"laag": "verkoop", "periode": PERIODE},
            )


async def run(base: str, token: str | None, args: argparse.Namespace) -> tuple[Recorder, float]:
    async with httpx.AsyncClient(base_url=base, timeout=30.0, verify=False) as probe:
        fc = (await probe.get(f"/api/layers/buurten/features?gemeente={GEMEENTE}")).raise_for_status().json()
    codes = [f["properties"]["buurtcode"] for f in fc["features"]]
    rec = Recorder()
    start = time.monotonic()
    deadline = start + args.seconds
    tasks = [browser(n, base, deadline, rec, args, codes) for n in range(args.clients)]
    if token and args.uploads:
        tasks.append(planner(base, token, start, args.seconds, rec, args.uploads))
    await asyncio.gather(*tasks)
    return rec, time.monotonic() - start


# -- where the CPU went (Linux /proc) ----------------------------------------------------------------


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the machine since boot, all cores."""
    fields = [float(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields) - idle) / tick, sum(fields) / tick


def _tree_cpu(roots: set[int]) -> float:
    """CPU seconds of the running processes ``roots`` and all their descendants."""
    parent, cpu = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_text()
        except OSError:
            continue
        rest = raw[raw.rindex(")") + 2 :].split()  # after "pid (name) "
        pid = int(stat.parent.name)
        parent[pid] = int(rest[1])
        cpu[pid] = (int(rest[11]) + int(rest[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    total = 0.0
    for pid in cpu:
        p = pid
        while p > 1 and p not in roots:
            p = parent.get(p, 0)
        if p in roots:
            total += cpu[pid]
    return total


class CpuMeter:
    """CPU used during the run: the whole machine, this script, and (own server) the server's
    process tree and the PostgreSQL cluster's."""

    def __init__(self, server: subprocess.Popen[bytes] | None, home: Path | None) -> None:
        self.roots: dict[str, set[int]] = {}
        if server is not None:
            self.roots["sia serve"] = {server.pid}
        pid_file = home / "pgdata" / "postmaster.pid" if home else None
        if pid_file is not None and pid_file.exists():
            self.roots["PostgreSQL"] = {int(pid_file.read_text().split()[0])}
        self.start = self._now()

    def _now(self) -> dict[str, float]:
        busy, total = _machine_cpu()
        out = {"machine busy": busy, "machine total": total, "load test": time.process_time()}
        out.update({name: _tree_cpu(roots) for name, roots in self.roots.items()})
        return out

    def summary(self) -> str:
        end = self._now()
        used = {k: end[k] - self.start[k] for k in end}
        parts = [f"{k} {used[k]:.0f} s" for k in used if k not in {"machine busy", "machine total"}]
        others = used["machine busy"] - sum(
            used[k] for k in used if k not in {"machine busy", "machine total"}
        )
        return (
            f"CPU during the run: machine {100 * used['machine busy'] / used['machine total']:.0f} % busy "
            f"({used['machine busy']:.0f} of {used['machine total']:.0f} core-seconds): "
            + ", ".join(parts)
            + f", everything else{'' if self.roots else ' (the server included)'} {max(0.0, others):.0f} s"
        )


# -- the report -------------------------------------------------------------------------------------


def report(rec: Recorder, elapsed: float, args: argparse.Namespace, cpu: float) -> bool:
    pause = f"pause {args.think:.0f} ms" if args.think else "no pause"
    pause += f", arriving over {args.ramp:.0f} s" if args.ramp else ""
    print(
        f"\n{args.clients} browsers ({pause}) + planner, "
        f"{args.seconds:.0f} s asked, {elapsed:.1f} s run "
        f"(incl. finishing requests); client CPU {cpu:.1f} s ({100 * cpu / elapsed:.0f} % of one core)"
    )
    columns = (
        ("req", 6),
        ("req/s", 7),
        ("p50", 7),
        ("p95", 7),
        ("p99", 7),
        ("srv95", 6),
        ("err", 4),
        ("429", 4),
        ("304", 5),
    )
    head = f"{'route':<52}" + "".join(f" {c:>{w}}" for c, w in columns)
    print(head)
    print("-" * len(head))
    total = errors = refused = 0
    ok = True
    for name in sorted(rec.routes):
        r = rec.routes[name]
        times = sorted(r.times)
        n = len(times)
        total += n
        errors += r.errors
        refused += r.refused
        p50, p95, p99 = (percentile(times, q) for q in (50, 95, 99))
        target = not name.endswith("/api/partners/uploads")  # reads and scores
        miss = target and (r.errors > 0 or p95 >= TARGET_P95_MS)
        ok &= not miss and r.errors == 0
        share = f"{100 * r.not_modified / n:.0f}%" if n else "-"
        srv = f"{percentile(sorted(r.server), 95):.0f}" if r.server else "-"
        print(
            f"{name:<52} {n:>6} {n / elapsed:>7.1f} {p50:>7.0f} {p95:>7.0f} {p99:>7.0f} {srv:>6} "
            f"{r.errors:>4} {r.refused:>4} {share:>5}{'  <- target missed' if miss else ''}"
        )
        for example in r.examples:
            print(f"    {example}")
        if r.retried:
            print(f"    {r.retried} GET(s) sent again after the server closed a kept-alive connection")
    print("-" * len(head))
    print(f"{'total':<52} {total:>6} {total / elapsed:>7.1f} {'':>23} {errors:>4} {refused:>4}")
    print(
        "latency in ms (client side, to the last byte; 304 and 429 included); srv95: p95 of the "
        "server's own time where it reports one (Server-Timing app: the handler, without waiting for "
        "a thread or the GIL); err: 5xx, connection errors, timeouts, unexpected statuses; 429: "
        "refused by the rate limit (not an error)"
    )
    verdict = "MET" if ok else "NOT MET"
    print(f"target (0 errors, p95 < {TARGET_P95_MS:.0f} ms for reads and scores): {verdict}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="a running server on loopback (default: start one)")
    parser.add_argument("--token", help="a planner's API token for the uploads (with --url)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, help="worker processes of sia serve (default: its own)")
    parser.add_argument("--uploads", type=int, default=6, help="deliveries the planner uploads")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds before a request counts as failed"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=1000.0,
        metavar="MS",
        help="mean pause after each answer (exponential, at most 10x; default 1000); 0: none (closed loop)",
    )
    parser.add_argument(
        "--ramp",
        type=float,
        default=10.0,
        help="seconds over which the browsers arrive (default 10); 0: all at once",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one-address", action="store_true", help="no X-Forwarded-For: all from 127.0.0.1")
    args = parser.parse_args()
    if not 1 <= args.clients <= 500 or not 1 <= args.seconds <= 600:
        raise SystemExit("--clients 1..500 and --seconds 1..600 (a bounded test).")

    def go(
        base: str, token: str | None, server: subprocess.Popen[bytes] | None = None, home: Path | None = None
    ) -> bool:
        require_loopback(base)
        if token is None and args.uploads:
            print("no --token: the planner uploads nothing")
        meter = CpuMeter(server, home)
        cpu0 = time.process_time()
        rec, elapsed = asyncio.run(run(base, token, args))
        ok = report(rec, elapsed, args, time.process_time() - cpu0)
        print(meter.summary())
        if server is not None and server.poll() is not None:
            print(f"NOTE: sia serve stopped during the test (code {server.returncode}); see its log.")
            ok = False
        return ok

    if args.url:
        ok = go(args.url.rstrip("/"), args.token)
    else:
        with own_server(args.workers) as (base, token, server, home):
            ok = go(base, token, server, home)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
