"""CORS for the widget API paths: only the origins in ASSISTANT_WIDGET_ORIGINS are reflected.

`cors_headers()` is called by the SecurityHeaders middleware for normal responses; `preflight()`
answers the OPTIONS routes in widget_routes.py.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from starlette.types import Scope

from assistant.settings import Settings

CORS_PATHS = {"/api/ask": "POST, OPTIONS", "/api/widget/config": "GET, OPTIONS"}
CORS_ALLOW_HEADERS = "Content-Type, Accept"
CORS_MAX_AGE = "600"


def allowed_origin(settings: Settings, origin: str | None) -> str | None:
    """The origin itself when it is on the allowlist, else None (exact match, no wildcards)."""
    if origin and origin != "null" and origin.rstrip("/") in settings.widget_origins:
        return origin.rstrip("/")
    return None


def cors_headers(scope: Scope) -> list[tuple[bytes, bytes]]:
    """CORS headers for a normal (non-preflight) response on a widget API path.

    Called by SecurityHeaders for every HTTP response; only allowlisted origins are reflected.
    """
    if scope.get("path") not in CORS_PATHS or scope.get("method") == "OPTIONS":
        return []
    app = scope.get("app")
    settings = getattr(getattr(app, "state", None), "settings", None)
    raw = next((v for k, v in scope.get("headers", []) if k == b"origin"), None)
    origin = raw.decode("latin-1") if raw is not None else None
    headers = [(b"vary", b"Origin")]
    if settings is not None and (ok := allowed_origin(settings, origin)):
        headers.append((b"access-control-allow-origin", ok.encode("latin-1")))
    return headers


def preflight(request: Request, settings: Settings) -> Response:
    """Answer a CORS preflight: 204 with the reflected origin when allowed, else 403 without."""
    origin = allowed_origin(settings, request.headers.get("origin"))
    vary = {"Vary": "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"}
    if origin is None:
        return JSONResponse(
            {"detail": "Deze website mag Routewijzer niet gebruiken.", "field": None},
            status_code=403, headers=vary,
        )
    return Response(status_code=204, headers={
        **vary,
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": CORS_PATHS[request.url.path],
        "Access-Control-Allow-Headers": CORS_ALLOW_HEADERS,
        "Access-Control-Max-Age": CORS_MAX_AGE,
    })
