"""Responses cached per data version and view, with ETag and 304 Not Modified.

A response of a read route depends on three things: the request (path, query, body), what the
principal may read (``layers.access.view_key``: row-level security and the disclosure rule) and
the data (``layers.provenance.data_version`` of the gemeente and period it reads). The cache key
is exactly those three, so:

- the ETag is a digest of the key: a client that sends it back in ``If-None-Match`` gets
  ``304 Not Modified`` without the response being computed or even looked up;
- a stored body is served as long as its key is asked for; a new delivery changes the data
  version of its gemeente (and of the periods at or after its own) only, so other gemeenten and
  earlier periods stay cached; nothing needs to be cleared by hand, and every worker process
  sees the change at its next request;
- two principals with the same view share entries, never two with different views.

Responses carry ``Cache-Control: private, no-cache`` (a browser keeps them for this user and
revalidates every time) and ``Vary: Cookie, Authorization``. The cache is an LRU bounded in bytes,
one per worker process. Requests that miss the same key at once compute it once: the others wait
for the first (after a new delivery every open map asks again at the same moment;
``benchmarks/bench_load.py``).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import Request, Response
from sqlalchemy import Connection

from layers.access import view_key, view_of
from layers.provenance import data_version

__all__ = ["ResponseCache", "cached_json", "response_cache"]

_HEADERS = {"Cache-Control": "private, no-cache", "Vary": "Cookie, Authorization"}


class ResponseCache:
    """Thread-safe LRU of response bodies, bounded by their total size in bytes."""

    def __init__(self, max_bytes: int = 96 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[str, threading.Lock] = {}  # key → the lock of the thread computing it

    @contextmanager
    def computing(self, key: str) -> Iterator[None]:
        """Hold while computing ``key``: one thread per key at a time (the others wait here, then
        find the body with :meth:`get`)."""
        with self._lock:
            lock = self._computing.setdefault(key, threading.Lock())
        try:
            with lock:
                yield
        finally:
            with self._lock:
                self._computing.pop(key, None)  # later requests find the body (or compute anew)

    def get(self, key: str) -> bytes | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return body

    def put(self, key: str, body: bytes) -> None:
        if len(body) > self.max_bytes // 4:
            return  # one huge answer must not push out everything else
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= len(old)
            self._items[key] = body
            self.size += len(body)
            while self.size > self.max_bytes and self._items:
                _, dropped = self._items.popitem(last=False)
                self.size -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0


def response_cache(request: Request) -> ResponseCache:
    """The application's response cache (created on first use)."""
    state = request.app.state
    cache: ResponseCache | None = getattr(state, "response_cache", None)
    if cache is None:
        cache = state.response_cache = ResponseCache()
    return cache


def _etag(parts: tuple[Hashable, ...]) -> str:
    digest = hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()
    return f'W/"{digest[:40]}"'


def _matches(request: Request, etag: str) -> bool:
    given = request.headers.get("if-none-match")
    if not given:
        return False
    tags = {t.strip() for t in given.split(",")}
    return "*" in tags or etag in tags or etag.removeprefix("W/") in tags


def cached_json(
    request: Request,
    conn: Connection,
    compute: Callable[[], Any],
    *,
    gemeente: str | None,
    periode: str | None = None,
    key: Hashable = None,
    partners: bool = True,
    media_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> Response:
    """The JSON of ``compute()`` (a JSON-able value, or JSON text as ``bytes``/``str``) for this
    request, cached per (request, view, data version).

    ``key``: what identifies the request besides its path and query (e.g. a body); ``gemeente``
    and ``periode``: the data it reads (``data_version``; None: every gemeente or period);
    ``partners=False`` for responses that read no partner data (buurten, Leefbaarometer). The body
    must not depend on anything else (the clock, settings that change without a restart).
    """
    # first: what is read next is at least as new
    version = data_version(conn, gemeente, periode, partners=partners)
    parts: tuple[Hashable, ...] = (
        request.method,
        request.url.path,
        # the same question however it is spelled (order of the parameters, percent-encoding);
        # repeated values of one parameter keep their order (a route may read the last one)
        tuple(sorted(request.query_params.multi_items(), key=lambda kv: kv[0])),
        key,
        view_key(view_of(conn)),
        version,
    )
    etag = _etag(parts)
    out_headers = {**_HEADERS, "ETag": etag, **(headers or {})}
    if _matches(request, etag):
        return Response(status_code=304, headers=out_headers)
    cache = response_cache(request)
    body = cache.get(etag)
    if body is None:
        with cache.computing(etag):
            body = cache.get(etag)  # computed by another request while this one waited
            if body is None:
                body = _encode(compute())
                cache.put(etag, body)
    return Response(body, media_type=media_type, headers=out_headers)


def _encode(value: Any) -> bytes:
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, bytes):
        return value
    return json.dumps(value, ensure_ascii=False, allow_nan=False, default=str).encode()
