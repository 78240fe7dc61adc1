"""HTML → PDF (A4) with headless Chromium through Playwright.

The same Chromium the browser tests drive (``/usr/bin/chromium``, Debian's package; never a
browser download). Chromium lays out HTML and CSS as the map's users see them, prints a running
header and footer on every page (the "SYNTHETISCHE DATA" banner, page numbers), and needs no
extra system libraries; WeasyPrint would have added Pango and its own CSS dialect.

Playwright's sync API refuses to run inside an asyncio loop, and a test session may hold one of
its own: the rendering runs in a fresh worker thread. Every request the page makes except
``data:`` URLs is refused, so a dossier never fetches anything.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from html import escape

from sia.errors import SetupError

__all__ = ["chromium_path", "html_to_pdf"]

LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path() -> str:
    """The Chromium to use: ``SIA_CHROMIUM``, else ``chromium`` on the PATH, else /usr/bin/chromium."""
    path = os.environ.get("SIA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        raise SetupError(
            "Voor de PDF van het dossier is Chromium nodig (Debian: apt-get install chromium; "
            "scripts/setup.sh installeert het). Het GeoPackage en de HTML-kaart werken zonder."
        )
    return path


def _header(banner: str | None) -> str:
    text = (
        f'<span style="color:#b00020;font-weight:bold;letter-spacing:1px">{escape(banner)}</span>'
        if banner
        else ""
    )
    return f'<div style="font-size:8px;width:100%;text-align:center;font-family:sans-serif">{text}</div>'


def _footer(label: str) -> str:
    return (
        '<div style="font-size:8px;width:100%;padding:0 12mm;font-family:sans-serif;display:flex;'
        f'justify-content:space-between"><span>{escape(label)}</span><span>pagina '
        '<span class="pageNumber"></span> van <span class="totalPages"></span></span></div>'
    )


def _render(html: str, banner: str | None, label: str, executable: str) -> bytes:
    from playwright.sync_api import Route, sync_playwright

    def only_data(route: Route) -> None:
        if route.request.url.startswith("data:"):
            route.continue_()
        else:
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", only_data)
            page.set_content(html, wait_until="load")
            pdf: bytes = page.pdf(
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template=_header(banner),
                footer_template=_footer(label),
                margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
            )
        finally:
            browser.close()
    return pdf


def html_to_pdf(html: str, *, banner: str | None = None, label: str = "") -> bytes:
    """A4 PDF of ``html``; ``banner`` at the top of every page, ``label`` and page numbers below."""
    executable = chromium_path()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sia-pdf") as pool:
        return pool.submit(_render, html, banner, label, executable).result()
