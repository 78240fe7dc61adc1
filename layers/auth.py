"""Users, passwords, sessions and API tokens (migration 0008). One path for the API and the CLI.

- Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106); the password itself is
  never stored or logged. Every attempt runs exactly one argon2 verification (against a dummy
  hash when the address is unknown or has no password), so no answer is quicker than another.
- Failed sign-ins are counted per normalised e-mail address, whether an account has it or not
  (:class:`SignInThrottle`), so the answers never tell which addresses have an account:
  * per address *and client* (IP): from the 5th failure in a row that client waits 1, 2, 4 … up
    to 15 minutes for that address; meanwhile its attempts are refused whatever the password (a
    correct one too, so the wait cannot be used to test passwords). A stranger elsewhere cannot
    lock a user out: the wait binds only the client that failed;
  * per address (any client): from the 10th failure within 15 minutes, every attempt for the
    address is answered more slowly (0.5 s, doubling, at most 5 s), the right password too. A
    slowdown, never a lock: the user still signs in.
  Wrong password, unknown address and a waiting client get one answer (the caller gives them the
  same status and text). The counts are kept in memory per worker process (like the rate limits):
  a restart forgets them, and with N workers a client may try up to N × 5 times before it waits.
- Sessions and API tokens are random 256-bit values; only their SHA-256 is stored, so a copy of
  the database does not sign anyone in. A session ends at its expiry or after a period without
  use; it carries a CSRF token (also stored as a hash) that state-changing requests must echo.
- A disabled user or organisation is refused at once: every request looks the user up again.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from layers.access import ROLES, Principal
from layers.errors import InvalidInput, NotFound

__all__ = [
    "MAX_FAILURES",
    "SignIn",
    "SignInThrottle",
    "check_csrf",
    "check_own_password",
    "create_session",
    "create_token",
    "create_user",
    "end_session",
    "end_session_token",
    "find_organisation",
    "hash_password",
    "list_tokens",
    "list_users",
    "normalise_email",
    "organisations",
    "principal_for_session",
    "principal_for_token",
    "revoke_token",
    "set_password",
    "sign_in",
    "update_user",
]

_HASHER = PasswordHasher()
MAX_FAILURES = 5  # failures in a row (one address, one client) before that client waits
_MAX_BLOCK_MINUTES = 15
SLOWDOWN_AFTER = 10  # failures for one address (any client) within the window before it slows down
_SLOWDOWN_WINDOW = 15 * 60.0  # seconds
_SLOWDOWN_FIRST = 0.5  # seconds
MAX_SLOWDOWN = 5.0  # seconds
_FORGET_AFTER = 24 * 3600.0  # seconds after which a client's earlier failures no longer count
MIN_PASSWORD = 12
_MAX_PASSWORD = 1024
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TOKEN_PREFIX = "sia_"
_TOUCH_AFTER = timedelta(minutes=1)  # how stale laatst_gebruikt may get before it is written

_PRINCIPAL_COLUMNS = (
    "g.id AS gebruiker_id, g.email, g.naam, g.rol, o.id AS organisatie_id, o.naam AS organisatie, "
    "o.soort AS organisatie_soort, o.gemeente"
)


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the address is unknown (made once, on first need)."""
    return _HASHER.hash(secrets.token_urlsafe(16))


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def _principal(row: Any, *, via: Literal["sessie", "token"] | None = None, **ids: int) -> Principal:
    return Principal(
        gebruiker_id=int(row.gebruiker_id),
        email=row.email,
        naam=row.naam,
        organisatie_id=int(row.organisatie_id),
        organisatie=row.organisatie,
        organisatie_soort=row.organisatie_soort,
        gemeente=row.gemeente,
        rol=row.rol,
        via=via,
        sessie_id=ids.get("sessie_id"),
        token_id=ids.get("token_id"),
    )


# -- validation ----------------------------------------------------------------------------------


def normalise_email(email: str) -> str:
    """Lower case without surrounding spaces; refuses what is not an e-mail address."""
    out = email.strip().lower()
    if len(out) > 254 or not _EMAIL.match(out):
        raise InvalidInput(f"'{email[:80]}' is geen geldig e-mailadres (verwacht: naam@domein.nl).")
    return out


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"Een wachtwoord heeft minstens {MIN_PASSWORD} tekens.")
    if len(password) > _MAX_PASSWORD:
        raise InvalidInput(f"Een wachtwoord heeft hoogstens {_MAX_PASSWORD} tekens.")
    if "\x00" in password:
        raise InvalidInput("Een wachtwoord mag geen NUL-teken bevatten.")


def hash_password(password: str) -> str:
    check_password(password)
    return _HASHER.hash(password)


def _check_role(rol: str) -> None:
    if rol not in ROLES:
        raise InvalidInput(f"Onbekende rol '{rol}'; kies uit: {', '.join(ROLES)}.")


# -- organisations and users ---------------------------------------------------------------------


def find_organisation(conn: Connection, ref: str, *, gemeente: str | None = None) -> dict[str, Any]:
    """An active organisation by id, slug or name (within ``gemeente`` when given)."""
    rows = (
        conn.execute(
            text(
                "SELECT id, gemeente, naam, soort, slug FROM organisaties WHERE actief "
                "AND (CAST(:gm AS text) IS NULL OR gemeente = :gm) "
                "AND (slug = :ref OR lower(naam) = lower(:ref) OR CAST(id AS text) = :ref) ORDER BY id"
            ),
            {"ref": ref.strip(), "gm": gemeente},
        )
        .mappings()
        .all()
    )
    if not rows:
        where = f" in {gemeente}" if gemeente else ""
        raise NotFound(f"Geen actieve organisatie '{ref}'{where}. `sia org list` toont ze.")
    if len(rows) > 1:
        raise InvalidInput(
            f"'{ref}' past bij organisaties in {len({r['gemeente'] for r in rows})} gemeenten; "
            "geef de gemeente op (--gemeente)."
        )
    return dict(rows[0])


def organisations(conn: Connection, *, gemeente: str) -> list[dict[str, Any]]:
    """The active organisations of ``gemeente`` (for the admin page's user form)."""
    rows = conn.execute(
        text("SELECT id, naam, soort, slug FROM organisaties WHERE actief AND gemeente = :gm ORDER BY naam"),
        {"gm": gemeente},
    ).mappings()
    return [dict(r) for r in rows]


def create_user(
    conn: Connection,
    *,
    email: str,
    naam: str,
    organisatie_id: int,
    rol: str,
    wachtwoord: str | None,
) -> dict[str, Any]:
    """Add a user; ``wachtwoord`` None makes an account that cannot sign in with a password."""
    _check_role(rol)
    address = normalise_email(email)
    hashed = None if wachtwoord is None else hash_password(wachtwoord)
    try:
        with conn.begin_nested():
            row = conn.execute(
                text(
                    "INSERT INTO gebruikers (organisatie_id, naam, email, wachtwoord_hash, rol) "
                    "VALUES (:o, :n, :e, :h, :r) RETURNING id"
                ),
                {"o": organisatie_id, "n": naam.strip(), "e": address, "h": hashed, "r": rol},
            ).one()
    except IntegrityError as exc:
        if "gebruikers_email_uniek" in str(exc.orig):
            raise InvalidInput(f"Er is al een gebruiker met e-mailadres {address}.") from None
        if "organisatie" in str(exc.orig):
            raise NotFound(f"Organisatie {organisatie_id} bestaat niet.") from None
        raise InvalidInput("De gebruiker is niet opgeslagen: naam of e-mailadres klopt niet.") from None
    return get_user(conn, int(row.id))


_USER_COLUMNS = (
    "g.id, g.email, g.naam, g.rol, g.actief, g.aangemaakt, g.laatst_aangemeld, g.organisatie_id, "
    "o.naam AS organisatie, o.gemeente, (g.wachtwoord_hash IS NOT NULL) AS met_wachtwoord"
)


def get_user(conn: Connection, gebruiker_id: int, *, gemeente: str | None = None) -> dict[str, Any]:
    row = (
        conn.execute(
            text(
                f"SELECT {_USER_COLUMNS} FROM gebruikers g JOIN organisaties o ON o.id = g.organisatie_id "
                "WHERE g.id = :id AND (CAST(:gm AS text) IS NULL OR o.gemeente = :gm)"
            ),
            {"id": gebruiker_id, "gm": gemeente},
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"Gebruiker {gebruiker_id} bestaat niet" + (f" in {gemeente}." if gemeente else "."))
    return dict(row)


def find_user(conn: Connection, email: str) -> dict[str, Any]:
    address = normalise_email(email)
    row = conn.execute(text("SELECT id FROM gebruikers WHERE email = :e"), {"e": address}).first()
    if row is None:
        raise NotFound(f"Geen gebruiker met e-mailadres {address}.")
    return get_user(conn, int(row.id))


def list_users(conn: Connection, *, gemeente: str | None = None) -> list[dict[str, Any]]:
    rows = conn.execute(
        text(
            f"SELECT {_USER_COLUMNS} FROM gebruikers g JOIN organisaties o ON o.id = g.organisatie_id "
            "WHERE CAST(:gm AS text) IS NULL OR o.gemeente = :gm ORDER BY o.gemeente, o.naam, g.email"
        ),
        {"gm": gemeente},
    ).mappings()
    return [dict(r) for r in rows]


def update_user(
    conn: Connection,
    gebruiker_id: int,
    *,
    gemeente: str | None = None,
    rol: str | None = None,
    actief: bool | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Change role and/or active flag; returns (before, after). Disabling ends the user's
    sessions (its API tokens stop working because every request checks ``actief``)."""
    before = get_user(conn, gebruiker_id, gemeente=gemeente)
    if rol is not None:
        _check_role(rol)
    conn.execute(
        text(
            "UPDATE gebruikers SET rol = coalesce(CAST(:r AS text), rol), "
            "actief = coalesce(CAST(:a AS boolean), actief) WHERE id = :id"
        ),
        {"r": rol, "a": actief, "id": gebruiker_id},
    )
    if actief is False:
        conn.execute(text("DELETE FROM sessies WHERE gebruiker_id = :id"), {"id": gebruiker_id})
    return before, get_user(conn, gebruiker_id)


def set_password(
    conn: Connection, gebruiker_id: int, wachtwoord: str, *, behalve_sessie: int | None = None
) -> None:
    """A new password; ends the user's sessions (except ``behalve_sessie``, the one changing it)."""
    conn.execute(
        text("UPDATE gebruikers SET wachtwoord_hash = :h WHERE id = :id"),
        {"h": hash_password(wachtwoord), "id": gebruiker_id},
    )
    conn.execute(
        text("DELETE FROM sessies WHERE gebruiker_id = :id AND id IS DISTINCT FROM :keep"),
        {"id": gebruiker_id, "keep": behalve_sessie},
    )


def check_own_password(conn: Connection, gebruiker_id: int, wachtwoord: str) -> bool:
    """Whether ``wachtwoord`` is the user's current password (to change it)."""
    hashed = conn.execute(
        text("SELECT wachtwoord_hash FROM gebruikers WHERE id = :id"), {"id": gebruiker_id}
    ).scalar()
    return _verify(hashed or _dummy_hash(), wachtwoord) and hashed is not None


# -- signing in ----------------------------------------------------------------------------------


class SignInThrottle:
    """Failed sign-ins per normalised address, per (address, client) and per address (see the
    module docstring). Thread-safe, in memory; ``clock`` and ``sleep`` are injectable for tests."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        max_keys: int = 100_000,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._max_keys = max_keys
        self._lock = threading.Lock()
        self._pairs: dict[tuple[str, str], tuple[int, float, float]] = {}
        """(address, client) → (failures in a row, blocked until, last failure)."""
        self._addresses: dict[str, deque[float]] = {}
        """address → times of its recent failures (any client), oldest first."""

    def blocked_for(self, address: str, client: str | None) -> float:
        """Seconds the client still waits for this address (0: it may try)."""
        with self._lock:
            entry = self._pairs.get((address, client or ""))
            return 0.0 if entry is None else max(0.0, entry[1] - self._clock())

    def delay(self, address: str) -> float:
        """Seconds every attempt for ``address`` is slowed down now (0 below the threshold)."""
        with self._lock:
            n = len(self._recent(address, self._clock()))
        if n < SLOWDOWN_AFTER:
            return 0.0
        return float(min(_SLOWDOWN_FIRST * 2 ** (n - SLOWDOWN_AFTER), MAX_SLOWDOWN))

    async def wait(self, address: str) -> None:
        """Sleep for :meth:`delay` (without holding a thread)."""
        seconds = self.delay(address)
        if seconds > 0:
            await self._sleep(seconds)

    def failed(self, address: str, client: str | None) -> None:
        """Count a wrong password (or an address without an account)."""
        now = self._clock()
        key = (address, client or "")
        with self._lock:
            if len(self._pairs) >= self._max_keys or len(self._addresses) >= self._max_keys:
                self._prune(now)
            before, _, last = self._pairs.get(key, (0, 0.0, now))
            failures = (before if last > now - _FORGET_AFTER else 0) + 1  # in a row: within a day
            minutes = 0
            if failures >= MAX_FAILURES:
                minutes = min(2 ** (failures - MAX_FAILURES), _MAX_BLOCK_MINUTES)
            self._pairs[key] = (failures, now + minutes * 60, now)
            recent = self._recent(address, now)
            recent.append(now)
            while len(recent) > 4 * SLOWDOWN_AFTER:  # the slowdown is at its maximum long before
                recent.popleft()
            self._addresses[address] = recent

    def succeeded(self, address: str, client: str | None) -> None:
        """A correct password from this client: its count for the address starts again."""
        with self._lock:
            self._pairs.pop((address, client or ""), None)

    def _recent(self, address: str, now: float) -> deque[float]:
        times = self._addresses.get(address, deque())
        while times and times[0] <= now - _SLOWDOWN_WINDOW:
            times.popleft()
        if not times:
            self._addresses.pop(address, None)
        return times

    def _prune(self, now: float) -> None:
        """Forget what no longer matters (waits run out, failures older than a day or the window);
        still full: the oldest half."""
        stale = now - _FORGET_AFTER
        for key in [k for k, (_, until, last) in self._pairs.items() if until <= now and last < stale]:
            del self._pairs[key]
        for address in list(self._addresses):
            self._recent(address, now)
        if len(self._pairs) >= self._max_keys:
            for key in sorted(self._pairs, key=lambda k: self._pairs[k][2])[: len(self._pairs) // 2]:
                del self._pairs[key]
        if len(self._addresses) >= self._max_keys:
            oldest = sorted(self._addresses, key=lambda a: self._addresses[a][-1])
            for address in oldest[: len(oldest) // 2]:
                del self._addresses[address]


@dataclass(frozen=True)
class SignIn:
    """The outcome of a password check. ``gebruiker_id`` names the account tried (None when the
    address is unknown), for the audit trail. ``onjuist`` and ``geblokkeerd`` must reach the
    client as one and the same answer."""

    principal: Principal | None
    reden: Literal["ok", "onjuist", "geblokkeerd", "uitgeschakeld"]
    gebruiker_id: int | None = None


def sign_in(
    conn: Connection,
    email: str,
    wachtwoord: str,
    *,
    client: str | None = None,
    throttle: SignInThrottle | None = None,
) -> SignIn:
    """Check a password from ``client``, counting failures in ``throttle`` (when given).

    Always exactly one argon2 verification; while the client waits for this address
    (:meth:`SignInThrottle.blocked_for`) even the right password is refused. The per-address
    slowdown (:meth:`SignInThrottle.wait`) is the caller's to apply, before this call."""
    try:
        address: str | None = normalise_email(email)
    except InvalidInput:
        address = None
    row = None
    if address is not None and len(wachtwoord) <= _MAX_PASSWORD:
        row = conn.execute(
            text(
                f"SELECT {_PRINCIPAL_COLUMNS}, g.wachtwoord_hash, g.actief AND o.actief AS actief "
                "FROM gebruikers g JOIN organisaties o ON o.id = g.organisatie_id WHERE g.email = :e"
            ),
            {"e": address},
        ).first()
    hashed: str | None = None if row is None else row.wachtwoord_hash
    correct = _verify(hashed or _dummy_hash(), wachtwoord) and hashed is not None
    uid = None if row is None else int(row.gebruiker_id)
    if throttle is not None and address is not None and throttle.blocked_for(address, client) > 0:
        return SignIn(None, "geblokkeerd", uid)
    if not correct:
        if throttle is not None and address is not None:
            throttle.failed(address, client)
        return SignIn(None, "onjuist", uid)
    assert row is not None and address is not None and hashed is not None
    if throttle is not None:
        throttle.succeeded(address, client)
    if not row.actief:
        return SignIn(None, "uitgeschakeld", uid)
    rehash = _HASHER.check_needs_rehash(hashed)
    conn.execute(
        text(
            "UPDATE gebruikers SET laatst_aangemeld = now(), wachtwoord_hash = coalesce(:h, wachtwoord_hash) "
            "WHERE id = :id"
        ),
        {"h": _HASHER.hash(wachtwoord) if rehash else None, "id": uid},
    )
    return SignIn(_principal(row), "ok", uid)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# -- sessions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewSession:
    id: int
    token: str  # goes into the HttpOnly cookie; never stored
    csrf: str  # goes into the readable cookie and the X-CSRF-Token header; never stored
    verloopt_op: datetime


def create_session(
    conn: Connection, gebruiker_id: int, *, duur: timedelta, client: str | None = None
) -> NewSession:
    """A new session (a fresh token at every sign-in: no session fixation). Expired sessions of
    the user are removed on the way."""
    conn.execute(
        text("DELETE FROM sessies WHERE gebruiker_id = :g AND verloopt_op < now()"), {"g": gebruiker_id}
    )
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    row = conn.execute(
        text(
            "INSERT INTO sessies (gebruiker_id, token_hash, csrf_hash, verloopt_op, client) "
            "VALUES (:g, :t, :c, now() + make_interval(secs => :s), :client) RETURNING id, verloopt_op"
        ),
        {
            "g": gebruiker_id,
            "t": _digest(token),
            "c": _digest(csrf),
            "s": duur.total_seconds(),
            "client": None if client is None else client[:100],
        },
    ).one()
    return NewSession(int(row.id), token, csrf, row.verloopt_op)


def principal_for_session(
    conn: Connection, token: str, *, inactief: timedelta
) -> tuple[Principal, bytes] | None:
    """The principal of a live session and its CSRF hash, or None (unknown, expired, idle too
    long, user or organisation disabled)."""
    if not token or len(token) > 200:
        return None
    row = conn.execute(
        text(
            f"SELECT {_PRINCIPAL_COLUMNS}, s.id AS sessie_id, s.csrf_hash, "
            "s.laatst_gebruikt < now() - make_interval(secs => :touch) AS aanraken "
            "FROM sessies s JOIN gebruikers g ON g.id = s.gebruiker_id "
            "JOIN organisaties o ON o.id = g.organisatie_id "
            "WHERE s.token_hash = :t AND s.verloopt_op > now() "
            "AND s.laatst_gebruikt > now() - make_interval(secs => :idle) AND g.actief AND o.actief"
        ),
        {"t": _digest(token), "idle": inactief.total_seconds(), "touch": _TOUCH_AFTER.total_seconds()},
    ).first()
    if row is None:
        return None
    if row.aanraken:
        conn.execute(text("UPDATE sessies SET laatst_gebruikt = now() WHERE id = :id"), {"id": row.sessie_id})
    return _principal(row, via="sessie", sessie_id=int(row.sessie_id)), bytes(row.csrf_hash)


def check_csrf(csrf_hash: bytes, header: str | None) -> bool:
    """Whether the X-CSRF-Token header matches the session's token (constant time)."""
    if not header or len(header) > 200:
        return False
    return hmac.compare_digest(_digest(header), csrf_hash)


def end_session(conn: Connection, sessie_id: int) -> None:
    conn.execute(text("DELETE FROM sessies WHERE id = :id"), {"id": sessie_id})


def end_session_token(conn: Connection, token: str) -> None:
    """End the session of ``token`` if there is one (a browser signing in again)."""
    if token and len(token) <= 200:
        conn.execute(text("DELETE FROM sessies WHERE token_hash = :t"), {"t": _digest(token)})


# -- API tokens ----------------------------------------------------------------------------------


def create_token(
    conn: Connection, gebruiker_id: int, naam: str, *, geldig: timedelta | None = None
) -> tuple[str, dict[str, Any]]:
    """A new API token for scripts; the token itself is returned once and never stored."""
    naam = naam.strip()
    if not 1 <= len(naam) <= 120:
        raise InvalidInput("Een token heeft een naam van 1 tot 120 tekens.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = (
        conn.execute(
            text(
                "INSERT INTO api_tokens (gebruiker_id, naam, prefix, token_hash, verloopt_op) "
                "VALUES (:g, :n, :p, :t, now() + make_interval(secs => CAST(:s AS double precision))) "
                "RETURNING id, naam, prefix, aangemaakt, verloopt_op, laatst_gebruikt, ingetrokken_op"
            ),
            {
                "g": gebruiker_id,
                "n": naam,
                "p": token[:12],
                "t": _digest(token),
                "s": None if geldig is None else geldig.total_seconds(),
            },
        )
        .mappings()
        .one()
    )
    return token, dict(row)


def list_tokens(conn: Connection, gebruiker_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        text(
            "SELECT id, naam, prefix, aangemaakt, verloopt_op, laatst_gebruikt, ingetrokken_op "
            "FROM api_tokens WHERE gebruiker_id = :g ORDER BY id"
        ),
        {"g": gebruiker_id},
    ).mappings()
    return [dict(r) for r in rows]


def revoke_token(conn: Connection, token_id: int, *, gebruiker_id: int | None = None) -> dict[str, Any]:
    """Revoke a token (of ``gebruiker_id`` when given); the row stays for the record."""
    row = (
        conn.execute(
            text(
                "UPDATE api_tokens SET ingetrokken_op = coalesce(ingetrokken_op, now()) WHERE id = :id "
                "AND (CAST(:g AS bigint) IS NULL OR gebruiker_id = :g) "
                "RETURNING id, gebruiker_id, naam, prefix, ingetrokken_op"
            ),
            {"id": token_id, "g": gebruiker_id},
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"Token {token_id} bestaat niet.")
    return dict(row)


def principal_for_token(conn: Connection, token: str) -> Principal | None:
    """The principal of a live API token, or None (unknown, revoked, expired, user disabled)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = conn.execute(
        text(
            f"SELECT {_PRINCIPAL_COLUMNS}, t.id AS token_id, "
            "(t.laatst_gebruikt IS NULL OR t.laatst_gebruikt < now() - make_interval(secs => :touch)) "
            "AS aanraken FROM api_tokens t JOIN gebruikers g ON g.id = t.gebruiker_id "
            "JOIN organisaties o ON o.id = g.organisatie_id "
            "WHERE t.token_hash = :t AND t.ingetrokken_op IS NULL "
            "AND (t.verloopt_op IS NULL OR t.verloopt_op > now()) AND g.actief AND o.actief"
        ),
        {"t": _digest(token), "touch": _TOUCH_AFTER.total_seconds()},
    ).first()
    if row is None:
        return None
    if row.aanraken:
        conn.execute(
            text("UPDATE api_tokens SET laatst_gebruikt = now() WHERE id = :id"), {"id": row.token_id}
        )
    return _principal(row, via="token", token_id=int(row.token_id))
