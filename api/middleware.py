"""The guard in front of every route: cross-origin writes, JSON numbers, security headers.

One pure ASGI middleware, wrapped around the whole application (outside FastAPI's error handling,
so even a generic 500 carries the headers):

- **Cross-origin writes are refused.** A POST, PUT, PATCH or DELETE whose ``Origin`` is not this
  server (or, without ``Origin``, whose ``Sec-Fetch-Site`` says ``cross-site`` or ``same-site``) is
  answered 403 before the application sees it. A web page elsewhere can therefore not make a
  user's browser upload a delivery or save a scenario (multipart forms included). Scripts and
  the CLI send neither header and are not affected. This check is independent of sign-in and CSRF
  tokens, which come on top of it.
- **NaN and Infinity in JSON bodies** (and numbers that overflow to infinity, like ``1e999``) are
  a Dutch 422 before any route parses them: JSON has no such numbers, Python's parser accepts them.
  The body is inspected while the application reads it, so the body size limits (Starlette's
  ``RequestBodyLimitMiddleware``, configured per route with FastAPI's ``max_body_size``) apply
  first.
- **Security headers** on every response: a Content-Security-Policy the web map satisfies (no
  inline scripts, no foreign sources; the basemap's host for images when one is configured),
  ``frame-ancestors 'none'``, ``X-Content-Type-Options``, ``Referrer-Policy`` and friends.
- **No caching of API answers by default.** Many ``/api`` answers depend on who asks (the signed-in
  user, the proposals and partner records row-level security lets through), so an ``/api``
  response that does not set its own ``Cache-Control`` gets ``Cache-Control: no-store``: neither
  the browser nor a proxy keeps it. Responses that do set one (those cached per data version and
  view with an ETag, ``api.caching``: ``private, no-cache``) keep it, and always carry
  ``Vary: Cookie, Authorization`` so that no cache hands one user's answer to another.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
API_PREFIX = "/api"
NO_STORE = b"no-store"
VARY_ON = (b"Cookie", b"Authorization")
"""What an answer of the API depends on besides its URL: the session cookie and the API token."""


def content_security_policy(*, image_sources: Iterable[str] = ()) -> str:
    """The CSP of every response; ``image_sources`` adds hosts for map tiles."""
    images = " ".join(["'self'", "data:", "blob:", *image_sources])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",  # Leaflet and the map set style attributes
            f"img-src {images}",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def tile_source(url_template: str) -> str | None:
    """The CSP source of a tile URL template (``https://{s}.tile.example/{z}/{x}/{y}.png`` →
    ``https://*.tile.example``); None when the template has no host."""
    if not url_template:
        return None
    parts = urlsplit(url_template.replace("{s}", "a"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.netloc.rsplit("@", 1)[-1]
    if "{s}" in url_template.split("/")[2]:
        host = "*." + host.split(".", 1)[1]
    return f"{parts.scheme}://{host}"


class InvalidJsonNumber(HTTPException):
    """A JSON body holds NaN, Infinity or a number that does not fit (Dutch detail)."""

    def __init__(self, detail: str) -> None:
        super().__init__(status_code=422, detail=detail)


def _reject_constant(name: str) -> Any:
    raise InvalidJsonNumber(
        f"De JSON bevat '{name}': dat is geen getal in JSON. Geef een eindig getal, of laat het veld weg."
    )


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise InvalidJsonNumber(
            f"Het getal '{text[:40]}' in de JSON is te groot (oneindig); verwacht een eindig getal."
        )
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 300:
        raise InvalidJsonNumber(
            f"Een geheel getal in de JSON heeft {len(text)} cijfers; verwacht een gewoon getal."
        )
    return int(text)


def check_json_numbers(body: bytes) -> None:
    """Raise InvalidJsonNumber when a JSON text holds NaN, Infinity or an overflowing number.
    Text that is no JSON at all is left to the route (it answers 422 'geen geldige JSON')."""
    try:
        json.loads(
            body,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            parse_int=_bounded_int,
        )
    except InvalidJsonNumber:
        raise
    except (ValueError, RecursionError):
        return


def _json_response(status: int, fout: str, melding: str) -> tuple[Message, Message]:
    body = json.dumps({"fout": fout, "melding": melding}, ensure_ascii=False).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    return start, {"type": "http.response.body", "body": body}


BODY_LIMIT_KEY = "starlette.max_body_size"
GEOMETRY_BODY_LIMIT = 8 * 1024 * 1024
"""Body limit of routes that take a drawn area: room for the 100,000 vertices the area check allows,
so a larger shape gets that check's Dutch message rather than a bare 413."""
"""Where Starlette's RequestBodyLimitMiddleware keeps the limit of the current route."""


def too_large(limit: int | None) -> str:
    """Dutch text for a body over the route's limit."""
    if limit is None:
        return "Het verzoek is te groot. Er is niets gelezen of opgeslagen."
    size = f"{limit / (1024 * 1024):.0f} MB" if limit >= 1024 * 1024 else f"{limit // 1024} kB"
    what = "een bestand" if limit > 2 * 1024 * 1024 else "dit verzoek"
    return (
        f"Het verzoek is te groot: voor {what} is hoogstens {size} toegestaan. Er is niets gelezen of "
        "opgeslagen."
    )


def _is_json(message: Message) -> bool:
    for key, value in message.get("headers", []):
        if key.lower() == b"content-type":
            return b"json" in value.lower()
    return False


class Guard:
    """ASGI middleware: cross-origin writes refused, JSON numbers checked, security headers added."""

    def __init__(self, app: ASGIApp, *, csp: str) -> None:
        self.app = app
        self.headers: list[tuple[bytes, bytes]] = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"
        path = scope.get("path", "")
        api = path == API_PREFIX or path.startswith(API_PREFIX + "/")

        translating = False

        async def send_with_headers(message: Message) -> None:
            nonlocal translating
            if message["type"] == "http.response.start":
                if message["status"] == 413 and not _is_json(message):
                    # Starlette's body limiter answers in English plain text: say it in Dutch
                    translating = True
                    return
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                extra = [(k, v) for k, v in self.headers if k not in present]
                if https:
                    extra.append((b"strict-transport-security", b"max-age=31536000"))
                if api:
                    headers = _cache_headers(headers)
                message = {**message, "headers": [*headers, *extra]}
            elif translating:
                if message.get("more_body", False):
                    return
                translating = False
                limit = scope.get(BODY_LIMIT_KEY)
                text = too_large(limit if isinstance(limit, int) else None)
                for part in _json_response(413, "TeGroot", text):
                    await send_with_headers(part)
                return
            await send(message)

        headers = Headers(scope=scope)
        if scope["method"] in UNSAFE_METHODS and (refusal := _cross_origin(headers)):
            for message in _json_response(403, "AndereHerkomst", refusal):
                await send_with_headers(message)
            return
        if scope["method"] in UNSAFE_METHODS and _maybe_json(headers):
            receive = _inspecting(receive)
        await self.app(scope, receive, send_with_headers)


def _cache_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers of an ``/api`` response with its caching made safe: ``no-store`` unless the
    route chose its own ``Cache-Control``; ``Vary`` naming the cookie and the token either way."""
    names = [k.lower() for k, _ in headers]
    if b"cache-control" not in names:
        return [*headers, (b"cache-control", NO_STORE)]
    varies = {part.strip().lower() for k, v in headers if k.lower() == b"vary" for part in v.split(b",")}
    if b"*" in varies:
        return headers
    missing = [name for name in VARY_ON if name.lower() not in varies]
    if not missing:
        return headers
    return [*headers, (b"vary", b", ".join(missing))]


def _maybe_json(headers: Headers) -> bool:
    kind = headers.get("content-type", "").split(";")[0].strip().lower()
    return kind in ("", "application/json") or kind.endswith("+json")


def _inspecting(receive: Receive) -> Receive:
    """``receive`` that checks the JSON numbers once the whole body has arrived."""
    parts: list[bytes] = []

    async def inner() -> Message:
        message = await receive()
        if message["type"] == "http.request":
            parts.append(message.get("body", b""))
            if not message.get("more_body", False):
                check_json_numbers(b"".join(parts))
                parts.clear()
        return message

    return inner


def _cross_origin(headers: Headers) -> str | None:
    """Why a state-changing request comes from another site, or None when it does not."""
    origin = headers.get("origin")
    if origin is not None:
        if origin == "null":
            return _refusal("een pagina zonder herkomst (Origin: null)")
        parts = urlsplit(origin)
        # this server as the browser sees it: Host, or the host a reverse proxy received (a page
        # elsewhere cannot set X-Forwarded-Host: that header needs a CORS preflight we never grant)
        ours = {headers.get("host", "").lower(), headers.get("x-forwarded-host", "").lower()} - {""}
        if parts.scheme in ("http", "https") and parts.netloc.lower() in ours:
            return None
        return _refusal(f"een andere website ({origin[:100]})")
    site = headers.get("sec-fetch-site")
    if site in ("cross-site", "same-site"):
        return _refusal("een andere website (Sec-Fetch-Site: " + site + ")")
    return None


def _refusal(where: str) -> str:
    return (
        f"Dit verzoek om iets te wijzigen komt van {where}, niet van deze kaart. Uit veiligheid "
        "worden uploads en wijzigingen alleen aangenomen van de pagina's van deze server zelf."
    )
