"""Browser benchmark: weight slider move → repainted map and ranking table (target: median < 150 ms).

Run: ``.venv/bin/python benchmarks/bench_map_slider.py [--moves 60] [--webmap DIR]``

Database: ``SIA_DATABASE_URL`` when set (loaded and migrated, e.g. after ``sia demo --no-serve``);
otherwise a throwaway PostGIS cluster loaded as the test fixture ``demo_url`` (see
``bench_api_scores.py``, whose ``database()`` this reuses).

The real app runs under uvicorn on loopback; headless Chromium (``/usr/bin/chromium``) opens the
map, colours the buurten by the SIA score (so every move repaints the map) and then moves one
weight slider at a time, as a user dragging it would: it sets the slider's value and fires its
``input`` event. One move is timed inside the page with ``performance.now()`` from the ``input``
event until the frame after the map and table were redrawn (``document.body.dataset.scored``
changes once the ranking, chart and map show the new result; a ``requestAnimationFrame`` then
waits for that paint). Moves are one after the other, each waiting for its result (the slowest
case: no move is skipped). Printed: median and p95 of the moves, and the server time of
``POST /api/scores`` from its ``Server-Timing`` header.

``--webmap DIR`` serves another copy of ``webmap/`` (with its ``node_modules``), e.g. an older
commit's front end exported with ``git archive``, to measure before and after on the same machine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import uvicorn
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api_scores import database

from api.main import create_app
from api.settings import Settings

TARGET_MS = 150.0
REPO = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# One slider move, timed in the page: input event → result drawn → next frame.
_MOVE = """async ([id, value]) => {
  const el = document.getElementById('w-' + id);
  const before = document.body.dataset.scored;
  const done = new Promise((resolve) => {
    const obs = new MutationObserver(() => {
      if (document.body.dataset.scored === before) return;
      obs.disconnect();
      requestAnimationFrame(() => resolve());
    });
    obs.observe(document.body, { attributes: true, attributeFilter: ['data-scored'] });
  });
  const t0 = performance.now();
  el.value = String(value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
  await done;
  return performance.now() - t0;
}"""

# The server time of each POST /api/scores, from the Resource Timing API's serverTiming.
_SERVER_TIMES = """() => performance.getEntriesByType('resource')
  .filter((e) => e.name.endsWith('/api/scores') && e.initiatorType === 'fetch')
  .map((e) => (e.serverTiming.find((t) => t.name === 'app') || {}).duration)
  .filter((d) => d !== undefined)"""


@contextlib.contextmanager
def _serve(settings: Settings) -> Iterator[str]:
    sock_port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=sock_port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise SystemExit("the web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock_port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stats(values: list[float]) -> str:
    return f"median {statistics.median(values):6.1f} ms  p95 {float(np.percentile(values, 95)):6.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=60, help="slider moves to time (>= 20)")
    parser.add_argument("--webmap", type=Path, default=REPO / "webmap", help="the webmap folder to serve")
    args = parser.parse_args()
    moves = max(20, args.moves)
    data = Path(os.environ.get("SIA_DATA_DIR") or REPO.parent / "shared" / "data")
    rng = np.random.default_rng(7)

    with database(data) as url:
        settings = Settings(database_url=url, gemeente="GM0153", basemap_url="", webmap_dir=args.webmap)
        with _serve(settings) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.add_init_script("localStorage.setItem('sia-intro-gezien', '1')")
            page.goto(base + "/")
            page.wait_for_selector("body[data-scored]", timeout=30_000)
            page.select_option("#indicator", "sia_gecombineerd")
            ids = page.evaluate(
                "[...document.querySelectorAll('input[type=range][id^=\"w-\"]')].map(e => e.id.slice(2))"
            )
            if not ids:
                raise SystemExit("no weight sliders found")
            page.evaluate("performance.clearResourceTimings(); performance.setResourceTimingBufferSize(5000)")
            for _ in range(3):  # warm-up: caches, JIT
                page.evaluate(_MOVE, [ids[0], float(rng.uniform(0.5, 5))])
            page.evaluate("performance.clearResourceTimings()")
            times: list[float] = []
            for i in range(moves):
                crit = ids[i % len(ids)]
                times.append(float(page.evaluate(_MOVE, [crit, round(float(rng.uniform(0.5, 5)), 2)])))
            server = [float(x) for x in page.evaluate(_SERVER_TIMES)]
            browser.close()

    print(f"slider move → repainted map and table, Enschede, {moves} moves, webmap: {args.webmap}")
    print(f"  browser (input → drawn frame): {_stats(times)}   target median < {TARGET_MS:.0f} ms")
    if server:
        print(f"  POST /api/scores server time:  {_stats(server)}   ({len(server)} requests)")
    return 0 if statistics.median(times) < TARGET_MS else 2


if __name__ == "__main__":
    raise SystemExit(main())
