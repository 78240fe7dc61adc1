"""HTML → PDF (A4) with headless Chromium through Playwright.

The same Chromium the browser tests drive (``/usr/bin/chromium``, Debian's package; never a
browser download). Chromium lays out HTML and CSS as the map's users see them, prints a running
header and footer on every page (the "SYNTHETISCHE DATA" banner, page numbers), and needs no
extra system libraries; WeasyPrint would have added Pango and its own CSS dialect.

Playwright's sync API refuses to run inside an asyncio loop (the web server's), so printing runs
in a thread of its own that keeps one Chromium for the next PDFs (``_Printer``). Every request
the page makes except ``data:`` URLs is refused, so a dossier never fetches anything.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import shutil
import threading
from concurrent.futures import Future
from html import escape
from typing import Any

from sia.errors import SetupError

__all__ = ["chromium_path", "html_to_pdf"]

log = logging.getLogger("sia.dossier")
TIMEOUT_S = 120
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
    text = f'<span style="color:#b00020;font-weight:bold">{escape(banner)}</span>' if banner else ""
    return f'<div style="font-size:8px;width:100%;text-align:center;font-family:sans-serif">{text}</div>'


def _footer(label: str) -> str:
    return (
        '<div style="font-size:8px;width:100%;padding:0 12mm;font-family:sans-serif;display:flex;'
        f'justify-content:space-between"><span>{escape(label)}</span><span>pagina '
        '<span class="pageNumber"></span> van <span class="totalPages"></span></span></div>'
    )


def _print(browser: Any, html: str, banner: str | None, label: str) -> bytes:
    from playwright.sync_api import Route

    def only_data(route: Route) -> None:
        if route.request.url.startswith("data:"):
            route.continue_()
        else:
            route.abort()

    page = browser.new_page()
    try:
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
        page.close()
    return pdf


class _Printer:
    """One Chromium, started on the first PDF and kept for the next ones (starting Playwright's
    driver and Chromium takes about 1.5 s; printing a page much less). It lives in a thread of
    its own, which takes jobs from a queue; it is stopped when the process exits, and started
    again after Chromium went away."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[tuple[Future[bytes], str, str | None, str] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def print(self, html: str, banner: str | None, label: str, executable: str) -> bytes:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, args=(executable,), name="sia-pdf", daemon=True
                )
                self._thread.start()
        job: Future[bytes] = Future()
        self._jobs.put((job, html, banner, label))
        try:
            return job.result(timeout=TIMEOUT_S)
        except TimeoutError:
            raise SetupError(
                f"Chromium maakte de PDF niet binnen {TIMEOUT_S} s; probeer het opnieuw."
            ) from None

    def _run(self, executable: str) -> None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = None
            try:
                browser = pw.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
                while (item := self._jobs.get()) is not None:
                    job, html, banner, label = item
                    try:
                        job.set_result(_print(browser, html, banner, label))
                    except Exception as exc:
                        job.set_exception(exc)
                    if not browser.is_connected():
                        break  # the next PDF starts a new Chromium
            except Exception:  # Chromium did not start (or broke): fail the jobs waiting now
                log.exception("Chromium for the dossier PDF failed")
                failed = SetupError("Chromium startte niet voor de PDF van het dossier; zie het serverlog.")
                while True:
                    try:
                        item = self._jobs.get_nowait()
                    except queue.Empty:
                        break
                    if item is not None:
                        item[0].set_exception(failed)
            finally:
                if browser is not None:
                    browser.close()

    def stop(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._jobs.put(None)
                self._thread.join(timeout=10)
            self._thread = None


_PRINTER = _Printer()
atexit.register(_PRINTER.stop)


def html_to_pdf(html: str, *, banner: str | None = None, label: str = "") -> bytes:
    """A4 PDF of ``html``; ``banner`` at the top of every page, ``label`` and page numbers below."""
    return _PRINTER.print(html, banner, label, chromium_path())
