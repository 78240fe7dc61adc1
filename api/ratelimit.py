"""Rate limits per client and per user: a small in-memory limiter (GCRA) and its dependency.

:class:`RateLimiter` lets each key make ``aantal`` requests per ``seconden``, in a burst or spread
out (the generic cell rate algorithm: one timestamp per key). The dependency :func:`rate_limit`
keys a named limit by the signed-in user, or by the client address for anonymous requests.
Sign-in is limited per client address only (a limit per e-mail address would let a stranger lock
a user out); failed passwords are counted per address by ``layers.auth.SignInThrottle``.

Several worker processes: each keeps its own counters, so a client can make up to N × the limit
with N workers (requests are spread over them). Counters are lost on restart; that only makes the
limiter forgiving, never stricter.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import Depends, Request

from api.security import PrincipalDep, client_address
from sia.errors import TooManyRequests

__all__ = ["Limit", "RateLimiter", "limits", "rate_limit"]

Soort = Literal["aanmelden", "schrijven", "zwaar"]


@dataclass(frozen=True)
class Limit:
    aantal: int
    seconden: float = 60.0


class RateLimiter:
    """Thread-safe GCRA limiter; ``clock`` is injectable for tests."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000) -> None:
        self._clock = clock
        self._tat: dict[str, float] = {}  # key → theoretical arrival time
        self._lock = threading.Lock()
        self._max_keys = max_keys

    def check(self, key: str, limit: Limit) -> float:
        """Count one request; 0 when allowed, else the seconds until the next one is."""
        interval = limit.seconden / limit.aantal
        with self._lock:
            now = self._clock()
            tat = max(self._tat.get(key, now), now)
            new_tat = tat + interval
            wait = new_tat - now - limit.seconden
            if wait > 0:
                return wait
            if len(self._tat) >= self._max_keys:
                self._prune(now)
            self._tat[key] = new_tat
            return 0.0

    def _prune(self, now: float) -> None:
        for key in [k for k, t in self._tat.items() if t <= now]:
            del self._tat[key]
        if len(self._tat) >= self._max_keys:  # still full: forget the oldest half
            for key in sorted(self._tat, key=self._tat.__getitem__)[: len(self._tat) // 2]:
                del self._tat[key]


def limits(settings: Any) -> dict[Soort, Limit]:
    return {
        "aanmelden": Limit(settings.limiet_aanmelden),
        "schrijven": Limit(settings.limiet_schrijven),
        "zwaar": Limit(settings.limiet_zwaar),
    }


_MESSAGES: dict[Soort, str] = {
    "aanmelden": "Te veel aanmeldpogingen",
    "schrijven": "Te veel wijzigingen achter elkaar",
    "zwaar": "Te veel zware verzoeken achter elkaar",
}


def enforce(request: Request, soort: Soort, key: str) -> None:
    """Count one request of ``soort`` for ``key``; raise 429 (with Retry-After) over the limit."""
    limiter: RateLimiter = request.app.state.rate_limiter
    wait = limiter.check(f"{soort}|{key}", limits(request.app.state.settings)[soort])
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise TooManyRequests(
            f"{_MESSAGES[soort]}; probeer het over {seconds} seconden opnieuw.", retry_after=seconds
        )


def rate_limit(soort: Soort) -> Any:
    """A route dependency: ``dependencies=[rate_limit("schrijven")]``."""

    def dependency(request: Request, principal: PrincipalDep) -> None:
        if principal.anoniem:
            enforce(request, soort, f"ip:{client_address(request)}")
        else:
            enforce(request, soort, f"gebruiker:{principal.gebruiker_id}")

    dependency.rate_limited = soort  # type: ignore[attr-defined]  # read by api.openapi
    return Depends(dependency)
