"""Sign-in in the map, a write refused to an anonymous visitor, and the admin page (issue 10).

The real app under uvicorn on a copy of the demo database, driven by headless Chromium: the
form posts e-mail and password, the server sets the HttpOnly session cookie and the readable CSRF
cookie, and every change the page makes carries the token (ui/api.js). axe-core checks the new
dialogs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page
from sqlalchemy import text

from layers import auth
from layers.db.engine import make_engine
from tests.browser.conftest import Opener, run_axe

PASSWORD = "een wachtwoord voor de kaart"


@pytest.fixture(scope="module")
def planner(browser_url: str) -> Iterator[str]:
    """A planner of Domijn with a password (hashed once for the module); its e-mail address."""
    engine = make_engine(browser_url)
    with engine.begin() as conn:
        org = auth.find_organisation(conn, "domijn", gemeente="GM0153")
        user = auth.create_user(
            conn,
            email="els@domijn.example",
            naam="Els de Vries",
            organisatie_id=org["id"],
            rol="planner",
            wachtwoord=PASSWORD,
        )
    engine.dispose()
    yield user["email"]


def _badge(pg: Page) -> str:
    return pg.locator("#view-badge").inner_text()


def test_sign_in_shows_who_and_which_view_then_sign_out(open_map: Opener, planner: str) -> None:
    mp = open_map()
    pg = mp.page
    assert _badge(pg) == "Openbare weergave" and pg.locator("#open-login").is_visible()
    assert not pg.locator("#logout").is_visible() and not pg.locator("#open-admin").is_visible()
    pg.click("#open-login")
    assert run_axe(pg) == []  # the sign-in dialog open
    pg.fill("#login-email", planner)
    pg.fill("#login-password", "niet het wachtwoord")
    pg.click("#login-submit")
    pg.wait_for_function("document.getElementById('login-result').textContent.length > 0")
    assert "klopt niet" in pg.locator("#login-result").inner_text()
    assert pg.locator("#login-password").input_value() == ""  # not kept in the form
    pg.fill("#login-password", PASSWORD)
    with pg.expect_navigation():
        pg.click("#login-submit")
    pg.wait_for_selector("body[data-ready=true]", state="attached", timeout=20_000)
    assert pg.locator("#who").inner_text() == "Els de Vries (planner, Domijn)"
    assert _badge(pg) == "Weergave: Domijn" and pg.locator("#logout").is_visible()
    assert not pg.locator("#open-login").is_visible() and not pg.locator("#open-admin").is_visible()
    cookies = {c["name"]: c for c in pg.context.cookies()}
    assert cookies["sia_sessie"]["httpOnly"] and not cookies["sia_csrf"]["httpOnly"]
    assert pg.evaluate("document.cookie").count("sia_sessie") == 0  # the session is not readable by scripts
    # a change the page makes carries the CSRF token: the scenario is saved in Els's name
    pg.click("#scenario-box summary")
    pg.fill("#scenario-naam", "Van Els")
    pg.click("#scenario-save")
    pg.wait_for_function("document.getElementById('scenario-status').textContent.length > 0")
    assert "Opgeslagen" in pg.locator("#scenario-status").inner_text(), pg.locator(
        "#scenario-status"
    ).inner_text()
    saved = pg.evaluate("async () => (await (await fetch('/api/scenarios')).json())[0]")
    assert (
        saved["naam"] == "Van Els" and saved["auteur"] == "Els de Vries" and saved["organisatie"] == "Domijn"
    )
    with pg.expect_navigation():
        pg.click("#logout")
    pg.wait_for_selector("body[data-ready=true]", state="attached", timeout=20_000)
    assert _badge(pg) == "Openbare weergave" and pg.locator("#open-login").is_visible()
    assert pg.evaluate("async () => (await (await fetch('/api/auth/ik')).json()).aangemeld") is False
    assert mp.problems == [  # the wrong password, and nothing else
        "error: Failed to load resource: the server responded with a status of 401 (Unauthorized)"
    ]


def test_an_anonymous_upload_is_refused_and_stores_nothing(
    open_map: Opener, browser_url: str, tmp_path: Path, enschede_buurten: Path
) -> None:
    from layers.partners.synthetic import load_buurten, write_deliveries

    good = next(p for p in write_deliveries(tmp_path, load_buurten(enschede_buurten)) if "sjht" in p.name)
    engine = make_engine(browser_url)
    with engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM leveringen")).scalar_one()
    mp = open_map()
    pg = mp.page
    pg.click("#open-upload")
    pg.set_input_files("#upload-file", str(good))
    pg.click("#upload-submit")
    pg.wait_for_selector(".upload-error")
    result = pg.locator("#upload-result").inner_text()
    assert "er is niets opgeslagen" in result and "Meld u aan" in result
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM leveringen")).scalar_one() == before
    engine.dispose()
    assert mp.problems == [
        "error: Failed to load resource: the server responded with a status of 401 (Unauthorized)"
    ]


def test_the_admin_page_for_a_beheerder(open_map: Opener, browser_url: str) -> None:
    mp = open_map(user=("gemeente", "beheerder"))
    pg = mp.page
    assert _badge(pg) == "Weergave: alle gegevens van GM0153"
    pg.click("#open-admin")
    pg.wait_for_selector("#admin-users table")
    assert run_axe(pg) == []  # the admin dialog open
    pg.fill("#admin-email", "nieuw@huurders.example")
    pg.fill("#admin-naam", "Nieuwe Huurder")
    pg.select_option("#admin-org", label="Huurdersorganisaties Enschede (huurdersorganisatie)")
    pg.select_option("#admin-rol", "lezer")
    pg.click("#admin-add-submit")
    pg.wait_for_selector("#admin-add-result .upload-ok")
    temporary = pg.locator("#admin-add-result code").inner_text()
    assert len(temporary) >= 12
    row = pg.locator("#admin-users tr", has_text="nieuw@huurders.example")
    assert "Huurdersorganisaties Enschede" in row.inner_text() and "actief" in row.inner_text()
    row.locator("select").select_option("planner")
    pg.wait_for_function("document.getElementById('admin-add-result').textContent.includes('is nu planner')")
    pg.locator("#admin-users tr", has_text="nieuw@huurders.example").locator("button").click()
    pg.wait_for_function("document.getElementById('admin-add-result').textContent.includes('uitgeschakeld')")
    row = pg.locator("#admin-users tr", has_text="nieuw@huurders.example").filter(has_text="Inschakelen")
    row.wait_for()  # the list read again
    assert "uitgeschakeld" in row.inner_text() and row.locator("select").input_value() == "planner"
    actions = pg.locator("#admin-audit tbody tr").all_inner_texts()
    assert sum("gebruiker.gewijzigd" in a for a in actions) >= 2 and any(
        "gebruiker.toegevoegd" in a for a in actions
    )
    assert pg.locator("#admin-audit-csv").get_attribute("href") == "/api/admin/audit.csv"
    csv = pg.evaluate("async () => (await fetch('/api/admin/audit.csv')).text()")
    assert csv.startswith("id,tijdstip") and "nieuw@huurders.example" in csv
    engine = make_engine(browser_url)
    with engine.connect() as conn:
        stored = conn.execute(
            text("SELECT rol, actief FROM gebruikers WHERE email = 'nieuw@huurders.example'")
        ).one()
    engine.dispose()
    assert tuple(stored) == ("planner", False)
    assert not mp.problems, mp.problems
