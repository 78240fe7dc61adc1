"""Take a screenshot of the running web map with headless Chromium (for looking at it).

Usage: .venv/bin/python scripts/screenshot.py [URL] [OUT.png] [--size 1440x900] [--indicator ID]
       [--click BUURTCODE] [--check toggle-bezit ...] [--popup verkoop] [--compare MODE]
       [--intro] [--drawer instellingen|resultaten]

The view can also be given in the URL, e.g. ``http://127.0.0.1:8000/#vergelijk=indicatoren``.
``--intro`` shows the introduction as a first-time visitor sees it; without it the introduction
counts as seen. Sizes to look at: 1440x900 (desktop), 768x1024 (tablet), 390x844 (phone).
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
    parser.add_argument("--size", default="1440x900", help="viewport WIDTHxHEIGHT")
    parser.add_argument("--indicator")
    parser.add_argument("--click")
    parser.add_argument(
        "--check", action="append", default=[], help="tick a checkbox, e.g. toggle-bezit (repeatable)"
    )
    parser.add_argument("--popup", help="open the popup of the first feature of this partner layer")
    parser.add_argument("--compare", help="compare mode: indicatoren, perioden, scenarios or verschil")
    parser.add_argument("--intro", action="store_true", help="show the introduction (first visit)")
    parser.add_argument("--drawer", help="on a narrow screen: open this drawer")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": height})
        if not args.intro:
            context.add_init_script("localStorage.setItem('sia-intro-gezien', '1')")
        page = context.new_page()
        page.on("console", lambda m: print(f"console.{m.type}: {m.text}") if m.type != "verbose" else None)
        page.goto(args.url)
        page.wait_for_selector("body[data-ready=true]", timeout=30000, state="attached")
        page.wait_for_selector("body[data-scored]", timeout=30000, state="attached")
        if args.intro:
            page.wait_for_selector("#intro", state="visible")
        if args.indicator:
            page.select_option("#indicator", args.indicator)
        if args.compare:
            page.evaluate(
                "mode => { const el = document.getElementById('compare-mode'); el.value = mode;"
                " el.dispatchEvent(new Event('change')); }",
                args.compare,
            )
            page.wait_for_function("window.siaMap.store.get('compareData') !== null", timeout=15000)
        if args.click:
            page.evaluate("code => window.siaMap.store.set({ selected: code })", args.click)
            page.wait_for_selector("#detail-name", state="attached")
        for box in args.check:
            page.evaluate(
                "id => { const el = document.getElementById(id); el.checked = true;"
                " el.dispatchEvent(new Event('change')); }",
                box,
            )
            page.wait_for_timeout(1500)
        if args.popup:
            page.evaluate(
                "kind => { const g = window.siaMap.partner.layers[kind]; const ls = g.getLayers();"
                " const l = ls.find(x => x.feature.properties.overtreding) || ls[0];"
                " if (g.zoomToShowLayer) g.zoomToShowLayer(l, () => l.openPopup()); else l.openPopup(); }",
                args.popup,
            )
            page.wait_for_timeout(1500)
        if args.drawer:
            page.click(f"#open-{args.drawer}")
        page.wait_for_timeout(700)
        page.screenshot(path=args.out)
        browser.close()
    print(args.out)


if __name__ == "__main__":
    main()
