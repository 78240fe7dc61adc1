"""Fixtures of the browser tests: the real app under uvicorn on a copy of the demo database, and
headless Chromium (Playwright) on /usr/bin/chromium.

Each test module gets its own copy of the demo database (tests save scenarios and upload files)
and its own server and browser; each test gets a fresh browser context (no cookies, no storage).
``open_map`` opens the map and waits until the first scores are drawn; at the end of the test it
asserts that no request left the machine. ``problems`` collects console errors and warnings,
page errors and failed requests: most tests assert it is empty.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from api.main import create_app
from api.settings import Settings
from layers.db.cluster import LocalCluster
from tests.conftest import _create_db, free_port

CHROMIUM = "/usr/bin/chromium"
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
DESKTOP = {"width": 1440, "height": 900}
TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 390, "height": 844}
AXE = Path(__file__).resolve().parents[2] / "webmap" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def browser_url(request: pytest.FixtureRequest, cluster: LocalCluster, demo_url: str) -> str:
    """A copy of the demo database for this module only."""
    name = "sia_br_" + request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    return _create_db(cluster, name[:60], template="sia_demo")


@contextlib.contextmanager
def serve(settings: Settings) -> Iterator[str]:
    """The real app under uvicorn in a thread; yields its base URL."""
    port = free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(browser_url: str) -> Iterator[str]:
    with serve(Settings(database_url=browser_url, gemeente="GM0153", basemap_url="")) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class MapPage:
    page: Page
    problems: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)


Opener = Callable[..., MapPage]


def attach(page: Page, base: str) -> MapPage:
    mp = MapPage(page)

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type in {"error", "warning"}:
            mp.problems.append(f"{msg.type}: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: mp.problems.append(f"pageerror: {exc}"))
    page.on("requestfailed", lambda req: mp.problems.append(f"requestfailed: {req.url}"))
    page.on(
        "request",
        lambda req: mp.external.append(req.url) if not req.url.startswith((base, "data:")) else None,
    )
    return mp


def session_cookies(owner_url: str, base: str, *, slug: str, rol: str) -> list[dict[str, object]]:
    """A new user of organisation ``slug`` with role ``rol``, signed in: the session cookie and the
    readable CSRF cookie the server sets at sign-in (made as the owner, as `sia user add` makes
    users; the sign-in form itself: test_auth.py)."""
    from datetime import timedelta

    from layers import auth
    from layers.db.engine import make_engine
    from tests.signin import add_user

    engine = make_engine(owner_url)
    try:
        user = add_user(engine, slug=slug, rol=rol)
        with engine.begin() as conn:
            session = auth.create_session(conn, user["id"], duur=timedelta(hours=1))
    finally:
        engine.dispose()
    return [
        {"name": "sia_sessie", "value": session.token, "url": base, "httpOnly": True, "sameSite": "Lax"},
        {"name": "sia_csrf", "value": session.csrf, "url": base, "sameSite": "Lax"},
    ]


@pytest.fixture
def open_map(server: str, chromium: Browser, browser_url: str) -> Iterator[Opener]:
    """open_map(viewport=DESKTOP, hash="", intro_seen=True, scored=True, base=server, user=None) →
    MapPage; ``user=(organisation slug, role)`` opens it signed in as a new user of that kind."""
    contexts = []
    pages: list[MapPage] = []

    def opener(
        viewport: dict[str, int] | None = None,
        hash: str = "",
        intro_seen: bool = True,
        scored: bool = True,
        base: str | None = None,
        user: tuple[str, str] | None = None,
    ) -> MapPage:
        url = base or server
        # bypass_csp: wait_for_function evaluates strings, which the CSP (no unsafe-eval) forbids;
        # the map under the real CSP: tests/test_browser_hardening.py
        ctx = chromium.new_context(viewport=viewport or DESKTOP, bypass_csp=True)
        contexts.append(ctx)
        if intro_seen:
            ctx.add_init_script("localStorage.setItem('sia-intro-gezien', '1')")
        if user is not None:
            ctx.add_cookies(session_cookies(browser_url, url, slug=user[0], rol=user[1]))  # type: ignore[arg-type]
        page = ctx.new_page()
        mp = attach(page, url)
        pages.append(mp)
        page.goto(url + "/" + hash)
        page.wait_for_selector("body[data-ready=true]", timeout=20_000, state="attached")
        if scored:
            page.wait_for_selector("body[data-scored]", timeout=20_000, state="attached")
        return mp

    yield opener
    for mp in pages:
        assert not mp.external, f"requests left the machine: {mp.external}"
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(open_map: Opener) -> tuple[Page, list[str]]:
    """The map at 1440×900, scored, with the introduction already seen."""
    mp = open_map()
    return mp.page, mp.problems


def scored(pg: Page, after: int = 0) -> int:
    """Wait until a score result newer than ``after`` is drawn; its sequence number."""
    pg.wait_for_function(f"Number(document.body.dataset.scored || 0) > {after}", timeout=20_000)
    return int(pg.evaluate("Number(document.body.dataset.scored)"))


def set_weight(pg: Page, criterion: str, value: float) -> None:
    """Move a weight slider as a user would (value, then the input event)."""
    pg.evaluate(
        """([id, v]) => { const el = document.getElementById('w-' + id);
            el.value = String(v); el.dispatchEvent(new Event('input', { bubbles: true })); }""",
        [criterion, value],
    )


def screen_point(pg: Page, code: str) -> tuple[float, float]:
    """The page coordinates of a point inside buurt ``code`` (its pole of the layer's centre)."""
    x, y = pg.evaluate(
        """(code) => {
          const m = window.siaMap.map;
          const lyr = window.siaMap.layer.getLayers().find(l => l.feature.properties.buurtcode === code);
          const p = m.latLngToContainerPoint(lyr.getCenter());
          const r = document.getElementById('map').getBoundingClientRect();
          return [r.left + p.x, r.top + p.y]; }""",
        code,
    )
    return float(x), float(y)


def run_axe(pg: Page) -> list[dict[str, object]]:
    """axe-core (from npm) in the page; the serious and critical violations."""
    pg.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = pg.evaluate(
        """async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
            .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                         nodes: v.nodes.slice(0, 5)
                           .map(n => n.target.join(' ') + ': ' + n.failureSummary) }))"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


_CONTRAST = """async () => {
  // the text nodes axe-core could not decide (text over the map, SVG text): computed here from
  // the text colour and the first opaque background behind it (WCAG 2 relative luminance)
  const r = await axe.run(document, { runOnly: ['color-contrast'] });
  const nodes = r.incomplete.flatMap(v => v.nodes).map(n => document.querySelector(n.target.join(' ')))
    .filter(e => e && e.textContent.trim().length > 1 && /[\\p{L}\\p{N}]/u.test(e.textContent));
  const rgba = (s) => {
    const m = s.match(/[\\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
  };
  const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => { // composite the translucent backgrounds up to the first opaque one
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (e instanceof SVGElement && e.tagName === 'text') {
        const plot = e.ownerSVGElement.querySelector('.plot');
        if (plot) { layers.push(rgba(getComputedStyle(plot).fill)); break; }
      }
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let out = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) {
      out = [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a)];
    }
    return out;
  };
  return nodes.map(e => {
    const cs = getComputedStyle(e);
    const fg = rgba(e instanceof SVGElement ? cs.fill : cs.color);
    const bg = background(e);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(cs.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
    const text = e.textContent.trim().slice(0, 30);
    return { text, ratio: Math.round(ratio * 100) / 100, needed: large ? 3 : 4.5 };
  });
}"""


def undecided_contrast(pg: Page) -> list[dict[str, object]]:
    """Contrast of the texts axe-core left undecided; call after run_axe (axe is injected)."""
    checked: list[dict[str, object]] = pg.evaluate(_CONTRAST)
    return checked
