"""Server-side timing in the ``Server-Timing`` response header (visible in the browser's devtools).

``TimedRoute`` (a router's ``route_class``) adds ``app;dur=<ms>``: the time from the request
reaching the route until its response object exists, i.e. validation, dependencies, the handler
and JSON serialisation (not the network or the ASGI server). Handlers may add their own parts
with ``add_timing``, e.g. ``db;dur=…`` and ``engine;dur=…``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import Request, Response

from api.security import RoleFirstRoute

HEADER = "Server-Timing"


class TimedRoute(RoleFirstRoute):
    """An APIRoute that reports its own duration in ``Server-Timing: app;dur=<ms>`` (and, as every
    route of the API, checks a declared role before the body is read: ``RoleFirstRoute``)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def timed(request: Request) -> Response:
            start = time.perf_counter()
            response = await handler(request)
            response.headers.append(HEADER, f"app;dur={(time.perf_counter() - start) * 1000:.2f}")
            return response

        return timed


class Timings:
    """Named durations of the parts of one request, in milliseconds."""

    def __init__(self) -> None:
        self.parts: dict[str, float] = {}

    @contextmanager
    def measure(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.parts[name] = self.parts.get(name, 0.0) + (time.perf_counter() - start) * 1000

    def header(self) -> str:
        return ", ".join(f"{name};dur={ms:.2f}" for name, ms in self.parts.items())


def add_timing(response: Response, timings: Timings) -> None:
    """Add the measured parts to the ``Server-Timing`` header of ``response``."""
    if timings.parts:
        response.headers.append(HEADER, timings.header())


def server_time_ms(header_values: list[str], name: str = "app") -> float | None:
    """The duration of ``name`` in ``Server-Timing`` header values (for clients and benchmarks)."""
    for value in header_values:
        for part in value.split(","):
            fields = [f.strip() for f in part.split(";")]
            if fields[0] == name:
                for f in fields[1:]:
                    if f.startswith("dur="):
                        return float(f[4:])
    return None
