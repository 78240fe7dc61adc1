"""Sign-in through the API, which connects as the application role ``sia_app``.

Users are made as the owner with ``layers.auth`` (as ``sia user add`` does); everything else goes
through HTTP: sign-in and sign-out, cookie flags, CSRF, API tokens, disabled users, throttling,
the admin routes and the audit rows they leave.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from api.main import create_app
from api.routers import auth as auth_router
from api.security import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, DbDep
from api.settings import Settings
from layers import auth
from layers.db.cluster import LocalCluster
from layers.db.engine import make_engine
from tests.conftest import _create_db, as_app_role

pytestmark = pytest.mark.postgis

PASSWORD = "correct horse battery staple"
# key → (e-mail, organisation slug, gemeente, role)
USERS = {
    "beheerder": ("beheerder@enschede.nl", "gemeente", "GM0153", "beheerder"),
    "planner": ("planner@domijn.nl", "domijn", "GM0153", "planner"),
    "lezer": ("lezer@huurders.nl", "huurdersorganisaties", "GM0153", "lezer"),
    "utrecht": ("beheerder@utrecht.nl", "mitros", "GM0344", "beheerder"),
}


@dataclass
class Site:
    url: str
    app_url: str
    owner: Engine
    ids: dict[str, int]

    def app(self, **settings: Any) -> FastAPI:
        return create_app(
            Settings(database_url=self.url, app_database_url=self.app_url, gemeente="GM0153", **settings)
        )

    def client(self, **settings: Any) -> TestClient:
        return TestClient(self.app(**settings))

    def rows(self, sql: str, **params: Any) -> list[Any]:
        with self.owner.connect() as conn:
            return list(conn.execute(text(sql), params).all())


@pytest.fixture(scope="module")
def users_template(cluster: LocalCluster, template_url: str) -> tuple[str, dict[str, int]]:
    """A migrated database with the users of USERS, the template of each test's database (argon2
    hashing takes a good part of a second per password, so it is done once per module)."""
    url = _create_db(cluster, "sia_auth_users", template="sia_template")
    owner = make_engine(url)
    with owner.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organisaties (gemeente, naam, soort, slug) "
                "VALUES ('GM0344', 'Mitros', 'corporatie', 'mitros')"
            )
        )
        ids = {}
        for key, (email, slug, gemeente, rol) in USERS.items():
            org = auth.find_organisation(conn, slug, gemeente=gemeente)
            user = auth.create_user(
                conn, email=email, naam=key.title(), organisatie_id=org["id"], rol=rol, wachtwoord=PASSWORD
            )
            ids[key] = user["id"]
    owner.dispose()
    return url, ids


_databases = iter(range(10_000))


@pytest.fixture
def site(cluster: LocalCluster, users_template: tuple[str, dict[str, int]], app_role: str) -> Iterator[Site]:
    url = _create_db(cluster, f"sia_auth_{next(_databases)}", template="sia_auth_users")
    owner = make_engine(url)
    yield Site(url, as_app_role(url, app_role), owner, users_template[1])
    owner.dispose()


def _sign_in(c: TestClient, key: str, password: str = PASSWORD) -> Any:
    return c.post("/api/auth/aanmelden", json={"email": USERS[key][0], "wachtwoord": password})


def _cookie_headers(res: Any) -> dict[str, str]:
    """Set-Cookie headers by cookie name (lower-cased text)."""
    return {h.split("=", 1)[0]: h.lower() for h in res.headers.get_list("set-cookie")}


def _csrf(c: TestClient) -> dict[str, str]:
    return {CSRF_HEADER: c.cookies[CSRF_COOKIE]}


# -- signing in and out --------------------------------------------------------------------------


def test_sign_in_sets_an_httponly_samesite_cookie_and_who_am_i_follows(site: Site) -> None:
    with site.client() as c:
        assert c.get("/api/auth/ik").json() == {"aangemeld": False, "gebruiker": None}
        res = _sign_in(c, "planner")
        assert res.status_code == 200
        body = res.json()
        assert body["gebruiker"]["email"] == "planner@domijn.nl" and body["gebruiker"]["rol"] == "planner"
        assert body["gebruiker"]["organisatie"] == "Domijn" and body["gebruiker"]["gemeente"] == "GM0153"
        assert body["gebruiker"]["via"] == "sessie"
        cookies = _cookie_headers(res)
        session = cookies[SESSION_COOKIE]
        assert "httponly" in session and "samesite=lax" in session and "path=/" in session
        assert "secure" not in session  # plain http and SIA_COOKIE_SECURE=auto
        assert "httponly" not in cookies[CSRF_COOKIE]  # the map reads it to send X-CSRF-Token
        assert body["csrf_token"] == c.cookies[CSRF_COOKIE]
        me = c.get("/api/auth/ik").json()
        assert me["aangemeld"] is True and me["gebruiker"]["via"] == "sessie"
        token = c.cookies[SESSION_COOKIE]
    # only hashes are stored: the token's SHA-256, never the token or the password
    (stored,) = site.rows("SELECT token_hash, csrf_hash FROM sessies")
    assert bytes(stored.token_hash) == hashlib.sha256(token.encode()).digest()
    (user,) = site.rows(
        "SELECT wachtwoord_hash, laatst_aangemeld FROM gebruikers WHERE id = :i", i=site.ids["planner"]
    )
    assert user.wachtwoord_hash.startswith("$argon2id$") and PASSWORD not in user.wachtwoord_hash
    assert user.laatst_aangemeld is not None
    everything = site.rows(
        "SELECT concat((SELECT string_agg(t::text, '|') FROM gebruikers t), "
        "(SELECT string_agg(t::text, '|') FROM sessies t), (SELECT string_agg(t::text, '|') FROM audit t))"
    )[0][0]
    assert PASSWORD not in everything and token not in everything


@pytest.mark.parametrize(
    ("settings", "base_url", "secure"),
    [
        ({}, "https://testserver", True),  # auto: https → Secure
        ({"cookie_secure": "true"}, "http://testserver", True),
        ({"cookie_secure": "false"}, "https://testserver", False),
    ],
)
def test_secure_flag(site: Site, settings: dict[str, str], base_url: str, secure: bool) -> None:
    with TestClient(site.app(**settings), base_url=base_url) as c:
        cookies = _cookie_headers(_sign_in(c, "lezer"))
    assert ("; secure" in cookies[SESSION_COOKIE]) is secure
    assert ("; secure" in cookies[CSRF_COOKIE]) is secure


def test_sign_out_ends_the_session(site: Site) -> None:
    with site.client() as c:
        _sign_in(c, "lezer")
        token = c.cookies[SESSION_COOKIE]
        res = c.post("/api/auth/afmelden", headers=_csrf(c))
        assert res.status_code == 204
        assert "max-age=0" in _cookie_headers(res)[SESSION_COOKIE]
        assert c.get("/api/auth/ik").json()["aangemeld"] is False
        # the old cookie, replayed, signs nobody in
        c.cookies.set(SESSION_COOKIE, token)
        assert c.get("/api/auth/ik").json()["aangemeld"] is False
    assert site.rows("SELECT count(*) FROM sessies")[0][0] == 0
    actions = [r.actie for r in site.rows("SELECT actie FROM audit ORDER BY id")]
    assert actions == ["aanmelden", "afmelden"]


def test_signing_in_again_replaces_the_session(site: Site) -> None:
    with site.client() as c:
        _sign_in(c, "lezer")
        first = c.cookies[SESSION_COOKIE]
        _sign_in(c, "lezer")
        assert c.cookies[SESSION_COOKIE] != first
    assert site.rows("SELECT count(*) FROM sessies")[0][0] == 1


def test_an_idle_or_expired_session_is_anonymous(site: Site) -> None:
    with site.client(sessie_inactief_minuten=30) as c:
        _sign_in(c, "lezer")
        with site.owner.begin() as conn:
            conn.execute(text("UPDATE sessies SET laatst_gebruikt = now() - interval '31 minutes'"))
        assert c.get("/api/auth/ik").json()["aangemeld"] is False
        _sign_in(c, "lezer")
        with site.owner.begin() as conn:
            conn.execute(text("UPDATE sessies SET verloopt_op = now() - interval '1 second'"))
        assert c.get("/api/auth/ik").json()["aangemeld"] is False


# -- CSRF and tokens -----------------------------------------------------------------------------


def test_state_changing_requests_with_a_session_need_the_csrf_token(site: Site) -> None:
    with site.client() as c:
        _sign_in(c, "planner")
        for headers in ({}, {CSRF_HEADER: "verzonnen"}, {CSRF_HEADER: ""}):
            res = c.post("/api/auth/tokens", json={"naam": "script"}, headers=headers)
            assert res.status_code == 403 and "CSRF" in res.json()["melding"]
        assert site.rows("SELECT count(*) FROM api_tokens")[0][0] == 0
        assert c.post("/api/auth/afmelden").status_code == 403  # sign-out too
        assert c.post("/api/auth/tokens", json={"naam": "script"}, headers=_csrf(c)).status_code == 201
    assert site.rows("SELECT count(*) FROM api_tokens")[0][0] == 1


def test_api_tokens_authenticate_scripts_until_revoked(site: Site) -> None:
    with site.client() as c:
        _sign_in(c, "planner")
        made = c.post("/api/auth/tokens", json={"naam": "nachtelijke levering"}, headers=_csrf(c)).json()
        token = made["token"]
        assert token.startswith("sia_") and made["prefix"] == token[:12]
        listed = c.get("/api/auth/tokens").json()
        assert [t["naam"] for t in listed] == ["nachtelijke levering"] and "token" not in listed[0]
    stored = site.rows("SELECT token_hash FROM api_tokens")[0].token_hash
    assert bytes(stored) == hashlib.sha256(token.encode()).digest()
    bearer = {"Authorization": f"Bearer {token}"}
    with site.client() as script:
        me = script.get("/api/auth/ik", headers=bearer).json()
        assert me["gebruiker"]["email"] == "planner@domijn.nl" and me["gebruiker"]["via"] == "token"
        # no CSRF for tokens (a browser never adds this header by itself)
        second = script.post("/api/auth/tokens", json={"naam": "tweede"}, headers=bearer)
        assert second.status_code == 201
        assert script.delete(f"/api/auth/tokens/{made['id']}", headers=bearer).status_code == 200
        res = script.get("/api/auth/ik", headers=bearer)
        assert res.status_code == 401 and res.headers["www-authenticate"].startswith("Bearer")
        assert (
            script.get("/api/auth/ik", headers={"Authorization": "Bearer sia_verzonnen"}).status_code == 401
        )
    (revoked,) = site.rows("SELECT ingetrokken_op FROM api_tokens WHERE id = :i", i=made["id"])
    assert revoked.ingetrokken_op is not None  # kept for the record
    actions = [r.actie for r in site.rows("SELECT actie FROM audit ORDER BY id")]
    assert actions == ["aanmelden", "token.aangemaakt", "token.aangemaakt", "token.ingetrokken"]


def test_a_user_cannot_revoke_someone_elses_token(site: Site) -> None:
    with site.client() as c:
        _sign_in(c, "planner")
        made = c.post("/api/auth/tokens", json={"naam": "x"}, headers=_csrf(c)).json()
    with site.client() as other:
        _sign_in(other, "lezer")
        assert other.delete(f"/api/auth/tokens/{made['id']}", headers=_csrf(other)).status_code == 404
    assert site.rows("SELECT ingetrokken_op FROM api_tokens")[0].ingetrokken_op is None


def test_signed_out_requests_to_signed_in_routes_are_401(site: Site) -> None:
    with site.client() as c:
        for method, path in (("get", "/api/auth/tokens"), ("post", "/api/auth/tokens")):
            res = c.request(method.upper(), path, json={"naam": "x"})
            assert res.status_code == 401 and res.json()["fout"] == "Unauthorized"


# -- refusals and throttling ---------------------------------------------------------------------


def test_a_disabled_user_is_refused_at_once(site: Site) -> None:
    with site.client() as planner, site.client() as admin:
        _sign_in(planner, "planner")
        token = planner.post("/api/auth/tokens", json={"naam": "x"}, headers=_csrf(planner)).json()["token"]
        _sign_in(admin, "beheerder")
        res = admin.patch(
            f"/api/admin/gebruikers/{site.ids['planner']}", json={"actief": False}, headers=_csrf(admin)
        )
        assert res.status_code == 200 and res.json()["na"]["actief"] is False
        assert planner.get("/api/auth/ik").json()["aangemeld"] is False  # the session is gone
        assert planner.get("/api/auth/ik", headers={"Authorization": f"Bearer {token}"}).status_code == 401
        again = _sign_in(planner, "planner")
        assert again.status_code == 403 and "uitgeschakeld" in again.json()["melding"]


def test_wrong_and_unknown_look_the_same(site: Site) -> None:
    with site.client() as c:
        wrong = _sign_in(c, "lezer", "fout wachtwoord!")
        unknown = c.post("/api/auth/aanmelden", json={"email": "niemand@nergens.nl", "wachtwoord": "x" * 12})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert SESSION_COOKIE not in _cookie_headers(wrong)


def _answer(res: Any) -> tuple[int, Any, str | None]:
    """What a client can tell apart: status, body and Retry-After."""
    return res.status_code, res.json(), res.headers.get("retry-after")


def test_repeated_failures_do_not_tell_which_addresses_have_an_account(site: Site) -> None:
    """Before: the 5th wrong password for an existing address was a 429 'Te veel mislukte pogingen
    voor dit account' (and later ones answered in a few ms, without argon2), while an unknown
    address was always 401."""
    with site.client(limiet_aanmelden=100) as c:
        known = [_answer(_sign_in(c, "lezer", "geraden wachtwoord")) for _ in range(auth.MAX_FAILURES + 2)]
        nobody = {"email": "geen@account.nl", "wachtwoord": "geraden!!"}
        unknown = [_answer(c.post("/api/auth/aanmelden", json=nobody)) for _ in range(auth.MAX_FAILURES + 2)]
        # waiting now for this address from this client: even the right password gets the same answer
        right = _answer(_sign_in(c, "lezer"))
        assert c.get("/api/auth/ik").json()["aangemeld"] is False
    assert known == unknown == [known[0]] * (auth.MAX_FAILURES + 2)
    assert right == known[0]
    status, body, retry_after = known[0]
    assert status == 401 and retry_after is None and body["melding"] == auth_router.WRONG
    failed = site.rows("SELECT details FROM audit WHERE actie = 'aanmelden.mislukt' ORDER BY id")
    assert len(failed) == 2 * (auth.MAX_FAILURES + 2) + 1  # every attempt is on record ...
    reasons = [r.details["reden"] for r in failed]
    # ... with what happened: from the 6th attempt on this client was waiting, for either address
    waiting = ["onjuist"] * auth.MAX_FAILURES + ["geblokkeerd"] * 2
    assert reasons == waiting + waiting + ["geblokkeerd"]


def test_every_attempt_runs_argon2_once(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same work for a known and an unknown address, before and while a client waits (before:
    a blocked attempt returned without hashing, in about 6 ms instead of 200)."""
    hashed: list[str] = []

    class Counting(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
            hashed.append(str(hash))
            return super().verify(hash, password)

    monkeypatch.setattr(auth, "_HASHER", Counting())
    with site.client(limiet_aanmelden=100) as c:
        for _ in range(auth.MAX_FAILURES + 2):
            _sign_in(c, "lezer", "geraden wachtwoord")
            c.post("/api/auth/aanmelden", json={"email": "geen@account.nl", "wachtwoord": "geraden!!"})
        _sign_in(c, "lezer")  # the right password while waiting
    assert len(hashed) == 2 * (auth.MAX_FAILURES + 2) + 1


def test_a_stranger_cannot_lock_a_user_out(site: Site) -> None:
    """Before: 5 wrong passwords from anywhere blocked the account (and about 4 an hour kept it
    blocked). Now the wait binds only the client that failed; the user signs in from elsewhere."""
    app = site.app()
    with TestClient(app, client=("203.0.113.9", 40000)) as stranger:
        for _ in range(auth.MAX_FAILURES + 3):
            assert _sign_in(stranger, "lezer", "geraden wachtwoord").status_code == 401
        assert _sign_in(stranger, "lezer").status_code == 401  # the stranger's own wait
        user = TestClient(app, client=("198.51.100.7", 50000))  # the same server, another client
        assert _sign_in(user, "lezer").status_code == 200
        assert user.get("/api/auth/ik").json()["gebruiker"]["email"] == USERS["lezer"][0]


def test_failures_from_many_clients_slow_an_address_down_alike(site: Site) -> None:
    """Failures for one address from many clients: every answer for that address comes later (a
    slowdown, not a lock), the same for a known and an unknown address, the right password too."""
    app = site.app()
    slept: list[tuple[str, float]] = []
    current = {"address": ""}

    async def sleep(seconds: float) -> None:
        slept.append((current["address"], seconds))

    app.state.signin_throttle = auth.SignInThrottle(sleep=sleep)
    with TestClient(app):  # runs the lifespan (the database engine) for the clients below
        for address in (USERS["lezer"][0], "geen@account.nl"):
            current["address"] = address
            for i in range(auth.SLOWDOWN_AFTER + 2):
                c = TestClient(app, client=(f"192.0.2.{i + 1}", 40000))  # one failure per client
                body = {"email": address, "wachtwoord": "geraden wachtwoord"}
                assert c.post("/api/auth/aanmelden", json=body).status_code == 401
        current["address"] = USERS["lezer"][0]
        user = TestClient(app, client=("198.51.100.7", 50000))
        assert _sign_in(user, "lezer").status_code == 200  # slowed down, not refused
    by_address: dict[str, list[float]] = {}
    for address, seconds in slept:
        by_address.setdefault(address, []).append(seconds)
    expected = [0.5, 1.0]  # the 11th and 12th attempt, after 10 and 11 failures
    assert by_address["geen@account.nl"] == expected
    assert by_address[USERS["lezer"][0]] == [*expected, 2.0]  # and the right password after 12


def test_the_throttle_waits_back_off_and_run_out() -> None:
    now = [1000.0]
    throttle = auth.SignInThrottle(clock=lambda: now[0])
    a, b = "iemand@voorbeeld.nl", "ander@voorbeeld.nl"
    for _ in range(auth.MAX_FAILURES - 1):
        throttle.failed(a, "1.1.1.1")
    assert throttle.blocked_for(a, "1.1.1.1") == 0
    throttle.failed(a, "1.1.1.1")  # the 5th in a row: 1 minute
    assert throttle.blocked_for(a, "1.1.1.1") == 60
    assert throttle.blocked_for(a, "2.2.2.2") == 0 and throttle.blocked_for(b, "1.1.1.1") == 0
    now[0] += 61
    throttle.failed(a, "1.1.1.1")  # the 6th: 2 minutes, doubling up to 15
    assert throttle.blocked_for(a, "1.1.1.1") == 120
    for _ in range(10):
        throttle.failed(a, "1.1.1.1")
    assert throttle.blocked_for(a, "1.1.1.1") == 15 * 60
    throttle.succeeded(a, "1.1.1.1")
    assert throttle.blocked_for(a, "1.1.1.1") == 0
    # the slowdown: 16 failures within the window → 0.5 · 2^6 s, capped; none for another address
    assert throttle.delay(a) == auth.MAX_SLOWDOWN and throttle.delay(b) == 0
    now[0] += 16 * 60  # the window of 15 minutes has passed
    assert throttle.delay(a) == 0
    for _ in range(auth.MAX_FAILURES - 1):
        throttle.failed(b, "1.1.1.1")
    now[0] += 25 * 3600  # failures of yesterday: no longer "in a row"
    throttle.failed(b, "1.1.1.1")
    assert throttle.blocked_for(b, "1.1.1.1") == 0


def test_sign_in_is_rate_limited_per_client(site: Site) -> None:
    with site.client(limiet_aanmelden=3) as c:
        codes = [
            c.post("/api/auth/aanmelden", json={"email": f"n{i}@x.nl", "wachtwoord": "x" * 12}).status_code
            for i in range(4)
        ]
        assert codes == [401, 401, 401, 429]
        assert _sign_in(c, "lezer").status_code == 429  # this client, whatever the account


def test_a_password_typed_into_the_email_field_is_not_kept(site: Site) -> None:
    with site.client() as c:
        c.post("/api/auth/aanmelden", json={"email": "Geheim-Wachtwoord-123", "wachtwoord": "x"})
    (row,) = site.rows("SELECT details FROM audit")
    assert row.details == {"reden": "onjuist", "email": "(geen e-mailadres)"}


# -- the connection carries the principal (row-level security) ----------------------------------


def test_the_request_connection_runs_as_the_app_role_with_the_principal(site: Site) -> None:
    app = site.app()

    @app.get("/test/wie")
    def who(db: DbDep) -> dict[str, Any]:  # a route of this test only
        row = db.execute(
            text(
                "SELECT current_user AS rol_db, sia_rol() AS rol, sia_organisatie() AS org, "
                "sia_gemeente() AS gm"
            )
        ).one()
        return dict(row._mapping)

    with TestClient(app) as c:
        assert c.get("/test/wie").json() == {"rol_db": "sia_app", "rol": None, "org": None, "gm": None}
        _sign_in(c, "planner")
        body = c.get("/test/wie").json()
    (org,) = site.rows("SELECT organisatie_id FROM gebruikers WHERE id = :i", i=site.ids["planner"])
    assert body == {"rol_db": "sia_app", "rol": "planner", "org": org.organisatie_id, "gm": "GM0153"}


# -- administration ------------------------------------------------------------------------------


def test_admin_routes_are_for_beheerders_only(site: Site) -> None:
    with site.client() as c:
        assert c.get("/api/admin/gebruikers").status_code == 401
        _sign_in(c, "lezer")
        res = c.get("/api/admin/gebruikers")
        assert res.status_code == 403 and "beheerder" in res.json()["melding"]
        assert c.get("/api/admin/audit").status_code == 403
        _sign_in(c, "beheerder")
        emails = {u["email"] for u in c.get("/api/admin/gebruikers").json()}
    # users of another gemeente do not exist for this beheerder
    assert emails == {USERS[k][0] for k in ("beheerder", "planner", "lezer")}


def test_beheerder_adds_and_changes_users_and_reads_the_audit_trail(site: Site) -> None:
    with site.client() as admin:
        _sign_in(admin, "beheerder")
        orgs = {o["slug"]: o["id"] for o in admin.get("/api/admin/organisaties").json()}
        assert "mitros" not in orgs and "domijn" in orgs
        made = admin.post(
            "/api/admin/gebruikers",
            json={
                "email": "Nieuw@OnsHuis.nl",
                "naam": "Nieuw",
                "organisatie_id": orgs["ons_huis"],
                "rol": "lezer",
            },
            headers=_csrf(admin),
        )
        assert made.status_code == 201
        new, temporary = made.json()["gebruiker"], made.json()["tijdelijk_wachtwoord"]
        assert new["email"] == "nieuw@onshuis.nl" and len(temporary) >= 12
        dup = admin.post(
            "/api/admin/gebruikers",
            json={"email": "nieuw@onshuis.nl", "naam": "X", "organisatie_id": orgs["domijn"], "rol": "lezer"},
            headers=_csrf(admin),
        )
        assert dup.status_code == 400 and "al een gebruiker" in dup.json()["melding"]
        changed = admin.patch(
            f"/api/admin/gebruikers/{new['id']}", json={"rol": "planner"}, headers=_csrf(admin)
        )
        assert changed.json()["voor"]["rol"] == "lezer" and changed.json()["na"]["rol"] == "planner"
        own = admin.patch(
            f"/api/admin/gebruikers/{site.ids['beheerder']}", json={"rol": "lezer"}, headers=_csrf(admin)
        )
        assert own.status_code == 403
        foreign = admin.patch(
            f"/api/admin/gebruikers/{site.ids['utrecht']}", json={"actief": False}, headers=_csrf(admin)
        )
        assert foreign.status_code == 404
        trail = admin.get("/api/admin/audit").json()["rijen"]
        csv_res = admin.get("/api/admin/audit.csv")
    with site.client() as newcomer:  # the temporary password works
        res = newcomer.post(
            "/api/auth/aanmelden", json={"email": "nieuw@onshuis.nl", "wachtwoord": temporary}
        )
        assert res.json()["gebruiker"]["rol"] == "planner"
    assert [r["actie"] for r in trail] == ["gebruiker.gewijzigd", "gebruiker.toegevoegd", "aanmelden"]
    assert trail[0]["voor"]["rol"] == "lezer" and trail[0]["na"]["rol"] == "planner"
    assert trail[0]["gebruiker"] == "beheerder@enschede.nl" and trail[0]["organisatie"] == "Gemeente Enschede"
    assert trail[0]["client"] == "testclient"
    assert csv_res.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(csv_res.text)))
    assert [r["actie"] for r in table] == [r["actie"] for r in trail]
    assert site.rows("SELECT count(*) FROM audit WHERE actie = 'audit.export'")[0][0] == 1
    assert site.rows("SELECT count(*) FROM audit WHERE actie = 'gebruiker.toegevoegd'")[0][0] == 1


def test_the_audit_trail_of_another_gemeente_is_invisible(site: Site) -> None:
    with site.client() as c:
        _sign_in(c, "beheerder")
    with site.client() as utrecht:
        _sign_in(utrecht, "utrecht")
        rows = utrecht.get("/api/admin/audit").json()["rijen"]
    assert [(r["actie"], r["gebruiker"]) for r in rows] == [("aanmelden", "beheerder@utrecht.nl")]


def test_audit_pages_back_with_voor_id(site: Site) -> None:
    with site.client() as c:
        for _ in range(3):
            _sign_in(c, "beheerder")
        first = c.get("/api/admin/audit", params={"limit": 2}).json()
        rest = c.get("/api/admin/audit", params={"limit": 2, "voor_id": first["volgende_voor_id"]}).json()
    ids = [r["id"] for r in first["rijen"]] + [r["id"] for r in rest["rijen"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 3
    assert rest["volgende_voor_id"] is None


def test_admin_writes_are_rate_limited_per_user(site: Site) -> None:
    with site.client(limiet_schrijven=2) as c:
        _sign_in(c, "beheerder")
        codes = [
            c.post("/api/auth/tokens", json={"naam": f"t{i}"}, headers=_csrf(c)).status_code for i in range(3)
        ]
        assert codes == [201, 201, 429]
        res = c.post("/api/auth/tokens", json={"naam": "t"}, headers=_csrf(c))
        assert int(res.headers["retry-after"]) >= 1 and "wijzigingen" in res.json()["melding"]
        assert c.get("/api/auth/tokens").status_code == 200  # reading is not a write


def test_changing_my_password_ends_my_other_sessions(site: Site) -> None:
    new = "een ander lang wachtwoord"
    with site.client() as here, site.client() as elsewhere:
        _sign_in(here, "planner")
        _sign_in(elsewhere, "planner")
        wrong = here.post(
            "/api/auth/wachtwoord", json={"huidig": "geraden!", "nieuw": new}, headers=_csrf(here)
        )
        assert wrong.status_code == 403
        short = here.post(
            "/api/auth/wachtwoord", json={"huidig": PASSWORD, "nieuw": "kort"}, headers=_csrf(here)
        )
        assert short.status_code == 400 and "minstens 12" in short.json()["melding"]
        ok = here.post("/api/auth/wachtwoord", json={"huidig": PASSWORD, "nieuw": new}, headers=_csrf(here))
        assert ok.status_code == 204
        assert here.get("/api/auth/ik").json()["aangemeld"] is True
        assert elsewhere.get("/api/auth/ik").json()["aangemeld"] is False
        assert _sign_in(elsewhere, "planner").status_code == 401
        assert _sign_in(elsewhere, "planner", new).status_code == 200


def test_beheerder_resets_a_password(site: Site) -> None:
    with site.client() as admin, site.client() as lezer:
        _sign_in(lezer, "lezer")
        _sign_in(admin, "beheerder")
        res = admin.post(f"/api/admin/gebruikers/{site.ids['lezer']}/wachtwoord", headers=_csrf(admin))
        temporary = res.json()["tijdelijk_wachtwoord"]
        assert lezer.get("/api/auth/ik").json()["aangemeld"] is False  # sessions ended
        assert _sign_in(lezer, "lezer").status_code == 401
        assert _sign_in(lezer, "lezer", temporary).status_code == 200
        other = admin.post(f"/api/admin/gebruikers/{site.ids['utrecht']}/wachtwoord", headers=_csrf(admin))
        assert other.status_code == 404
    (row,) = site.rows("SELECT na FROM audit WHERE actie = 'gebruiker.gewijzigd'")
    assert row.na == {"email": USERS["lezer"][0], "wachtwoord": "opnieuw ingesteld"}
    assert temporary not in str(site.rows("SELECT * FROM audit"))
