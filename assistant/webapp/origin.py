"""Refuse cross-site posts: an `Origin` that is neither the app's own nor an allowed widget site."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.settings import Settings

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
REFUSED = "Deze aanvraag komt van een andere website en is daarom geweigerd."


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, lower case, without a default port."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if port in (None, default) else f"{host}:{port}"
    return f"{parts.scheme.lower()}://{netloc}"


def own_origins(scope: Scope, settings: Settings) -> set[str]:
    """The origins this app is reached at: the Host it was asked for, and ASSISTANT_PUBLIC_URL."""
    headers = dict(scope.get("headers", []))
    origins = set()
    host = headers.get(b"host", b"").decode("latin-1")
    if host:
        origins.add(origin_of(f"{scope.get('scheme', 'http')}://{host}"))
    if settings.public_url:
        origins.add(origin_of(settings.public_url))
    return origins


def allowed(scope: Scope, settings: Settings) -> bool:
    """True unless an unsafe request comes from another site than ours or an allowed widget site."""
    if scope.get("method") not in UNSAFE:
        return True
    headers = dict(scope.get("headers", []))
    raw = headers.get(b"origin")
    if raw is None:
        # No Origin: a non-browser client (curl, a script), unless the browser says it is cross-site.
        return headers.get(b"sec-fetch-site", b"") != b"cross-site"
    origin = raw.decode("latin-1").strip()
    if origin == "null":  # sandboxed frames, file: pages
        return False
    try:
        origin = origin_of(origin)
    except ValueError:
        return False
    return origin in own_origins(scope, settings) or origin in {origin_of(o) for o in settings.widget_origins}


class OriginCheck:
    """Answer a cross-site post with a Dutch 403 before any handler runs."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not allowed(scope, scope["app"].state.settings):
            from assistant.webapp.errors import on_http_error

            response = await on_http_error(Request(scope), StarletteHTTPException(403, REFUSED))
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
