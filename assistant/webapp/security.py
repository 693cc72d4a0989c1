"""Security headers on every response (pure ASGI, so it adds next to nothing to latency)."""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.webapp.cors import cors_headers

log = logging.getLogger("routewijzer.errors")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'; frame-ancestors 'none'"
)
HEADERS: dict[bytes, bytes] = {
    b"content-security-policy": CSP.encode(),
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"strict-origin-when-cross-origin",
    b"x-frame-options": b"DENY",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=(), interest-cohort=()",
    b"cross-origin-opener-policy": b"same-origin",
}


class SecurityHeaders:
    """Add the default security headers unless a route already set its own.

    A route that must be embeddable (the widget page) sets its own Content-Security-Policy with a
    relaxed frame-ancestors and `X-Frame-Options` (or an empty value to drop it); those win.
    """

    def __init__(self, app: ASGIApp):
        self.app = app
        # Widget CORS: reflect only ASSISTANT_WIDGET_ORIGINS on the widget API paths (cors.py).
        self.cors_headers = cors_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for name, value in HEADERS.items():
                    if name not in present:
                        headers.append((name, value))
                # Widget CORS headers (only on the widget API paths, only allowlisted origins).
                headers.extend(h for h in self.cors_headers(scope) if h[0] not in present)
                # An explicitly empty header means "leave this one out".
                headers = [(k, v) for k, v in headers if v != b""]
                message["headers"] = headers
            await send(message)

        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            # Answered here rather than by the framework's outermost error handler, so a 500 carries
            # the same security headers as every other response.
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            from assistant.webapp.errors import server_error_response

            await server_error_response(scope)(scope, receive, send_with_headers)


class BodyLimit:
    """Refuse request bodies over `max_bytes` with a Dutch 413 before any handler reads them."""

    def __init__(self, app: ASGIApp, max_bytes: int = 64 * 1024):
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, send: Send) -> None:
        body = b'{"detail":"De aanvraag is te groot.","field":null}'
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = next((v for k, v in scope.get("headers", []) if k == b"content-length"), None)
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0
        too_large = False
        refused = False

        async def counted() -> Message:
            nonlocal seen, too_large
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    too_large = True
                    raise _TooLarge  # the framework turns this into an error response …
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal refused
            if too_large:  # … which is replaced by the 413
                if not refused:
                    refused = True
                    await self._refuse(send)
                return
            await send(message)

        try:
            await self.app(scope, counted, guarded_send)
        except _TooLarge:
            if not refused:
                await self._refuse(send)


class _TooLarge(Exception):
    """A chunked body grew past the limit."""
