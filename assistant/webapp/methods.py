"""`OPTIONS` and 405 name every method a path allows (the router alone names only the first route's)."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.webapp.cors import CORS_PATHS

CANDIDATES = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(scope: Scope) -> list[str]:
    """Every method some route of the app serves at this path (empty when no route matches)."""
    routes = scope["app"].router.routes
    methods = {m for m in CANDIDATES
               if any(route.matches({**scope, "method": m})[0] == Match.FULL for route in routes)}
    if methods:
        methods.add("OPTIONS")
    return sorted(methods)


class Methods:
    """Answer OPTIONS with 204 and a full `Allow`; give a 405 the full `Allow` too."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        preflight = any(k in (b"origin", b"access-control-request-method") for k, _ in scope.get("headers", []))
        # CORS preflights are cors.py's (and refused with 405 on paths that allow no other site).
        if scope["method"] == "OPTIONS" and scope["path"] not in CORS_PATHS and not preflight:
            methods = allowed_methods(scope)
            if methods:
                await Response(status_code=204, headers={"Allow": ", ".join(methods)})(scope, receive, send)
                return

        async def full_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                methods = ", ".join(allowed_methods(scope)).encode()
                message["headers"] = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                message["headers"].append((b"allow", methods))
            await send(message)

        await self.app(scope, receive, full_allow)
