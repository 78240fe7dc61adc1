"""Take a screenshot of the running web map with headless Chromium (for looking at it).

Usage: .venv/bin/python scripts/screenshot.py [URL] [OUT.png] [--indicator ID] [--click BUURTCODE]
       [--check toggle-bezit ...] [--popup verkoop]
"""

from __future__ import annotations

import argparse

from playwright.sync_api import sync_playwright

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:8000/")
    parser.add_argument("out", nargs="?", default="/tmp/sia-map.png")
    parser.add_argument("--indicator")
    parser.add_argument("--click")
    parser.add_argument(
        "--check", action="append", default=[], help="tick a layer checkbox, e.g. toggle-bezit (repeatable)"
    )
    parser.add_argument("--popup", help="open the popup of the first feature of this partner layer")
    args = parser.parse_args()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 850})
        page.on("console", lambda m: print(f"console.{m.type}: {m.text}"))
        page.goto(args.url)
        page.wait_for_selector("body[data-ready=true]", timeout=20000)
        if args.indicator:
            page.select_option("#indicator", args.indicator)
        if args.click:
            page.evaluate(
                "code => window.siaMap.layer.eachLayer(l => { if (l.feature.properties.buurtcode"
                " === code) l.fire('click'); })",
                args.click,
            )
            page.wait_for_selector("#detail-name")
        for box in args.check:
            page.check(f"#{box}")
            page.wait_for_timeout(1500)
        if args.popup:
            page.evaluate(
                "kind => { const g = window.siaMap.partner.layers[kind]; const ls = g.getLayers();"
                " const l = ls.find(x => x.feature.properties.overtreding) || ls[0];"
                " if (g.zoomToShowLayer) g.zoomToShowLayer(l, () => l.openPopup()); else l.openPopup(); }",
                args.popup,
            )
            page.wait_for_timeout(1500)
        page.wait_for_timeout(500)
        page.screenshot(path=args.out)
        browser.close()
    print(args.out)


if __name__ == "__main__":
    main()
