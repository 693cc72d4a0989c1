"""Static files with caching: versioned URLs (`?v=<content hash>`) are immutable for a year,
plain URLs are revalidated with their ETag (304 when unchanged)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

from assistant.webapp.deps import STATIC_DIR

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


@lru_cache(maxsize=256)
def _digest(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def static_url(name: str) -> str:
    """The URL of a static file with its content hash: a changed file gets a new URL."""
    path = STATIC_DIR / name
    try:
        return f"/static/{name}?v={_digest(path, path.stat().st_mtime_ns)}"
    except OSError:
        return f"/static/{name}"


class CachedStaticFiles(StaticFiles):
    """StaticFiles (which already sends ETag and Last-Modified) plus a Cache-Control header."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        """Long caching only for the versioned URL of the file's current content."""
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            query = scope.get("query_string", b"").decode("latin-1")
            current = static_url(path).partition("?")[2]
            response.headers["Cache-Control"] = IMMUTABLE if current and query == current else REVALIDATE
        return response
