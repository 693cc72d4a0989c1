"""The embeddable widget: /widget.js, the /embed chat page, /api/widget/config and CORS for it.

Design (see docs/widget.md): widget.js puts a launcher button and a panel in a Shadow DOM
on the host page; the panel holds an iframe of /embed, a compact chat that calls /api/ask on its
own origin. The embed page may be framed only by the origins in ASSISTANT_WIDGET_ORIGINS
(CSP frame-ancestors); every other page keeps `frame-ancestors 'none'` (security.py).
CORS on the widget API paths reflects only those origins (cors.py); the OPTIONS routes below
answer preflights.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from assistant.settings import Settings
from assistant.webapp.cors import allowed_origin, preflight
from assistant.webapp.deps import STATIC_DIR, SettingsDep, TemplatesDep
from assistant.webapp.feedback import REASONS
from assistant.webapp.pages import STARTERS
from assistant.webapp.security import CSP

router = APIRouter(include_in_schema=False)

WIDGET_JS = STATIC_DIR / "widget.js"
DEFAULT_TITLE = "Routewijzer"
DEFAULT_ACCENT = "#0b5563"  # --brand in app.css
MAX_TITLE = 60
MAX_STARTER = 120
MAX_STARTERS = 4
MAX_CONTACT = 120
MAX_URL = 300
WIDGET_CACHE = "public, max-age=3600, stale-while-revalidate=86400"

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_TAG = re.compile(r"<[^>]*>?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


# ---- neutralising per-site settings (data- attributes arrive as query parameters) ----

def clean_text(value: str | None, limit: int) -> str:
    """Plain text: no tags, no control or bidi characters, single spaces, at most `limit` chars."""
    if not value:
        return ""
    text = _CONTROL.sub(" ", _TAG.sub("", value)).replace("<", "").replace(">", "")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clean_accent(value: str | None) -> str:
    """A hex colour (#abc or #aabbcc, lower case) or the default; anything else is refused."""
    if value and _HEX.fullmatch(value.strip()):
        v = value.strip().lower()
        return "#" + "".join(c * 2 for c in v[1:]) if len(v) == 4 else v
    return DEFAULT_ACCENT


def on_accent(accent: str) -> str:
    """Black or white text, whichever contrasts more with the accent (WCAG relative luminance)."""
    channels = [int(accent[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return "#000000" if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "#ffffff"


def clean_url(value: str | None) -> str | None:
    """Only https:, http:, mailto: and tel: links survive (no javascript:, data:, relative)."""
    if not value:
        return None
    url = value.strip()
    if len(url) > MAX_URL or _CONTROL.search(url) or any(c in url for c in ' "<>\\`'):
        return None
    return url if url.lower().startswith(("https://", "http://", "mailto:", "tel:")) else None


def clean_starters(value: str | None) -> list[str]:
    """Starter questions separated by '|': at most four, each plain text."""
    if not value:
        return []
    items = (clean_text(s, MAX_STARTER) for s in value.split("|")[: MAX_STARTERS * 3])
    return [s for s in items if s][:MAX_STARTERS]


# ---- origins, CORS and framing ----

def frame_ancestors(settings: Settings) -> str:
    """The embed page's frame-ancestors: exactly the allowlist, or 'none' when it is empty."""
    return " ".join(settings.widget_origins) or "'none'"


@router.options("/api/ask")
@router.options("/api/widget/config")
def widget_preflight(request: Request, settings: SettingsDep) -> Response:
    """CORS preflight for the widget API (only allowlisted origins get CORS headers)."""
    return preflight(request, settings)


def base_url(request: Request, settings: Settings) -> str:
    """Where links in the widget point: ASSISTANT_PUBLIC_URL, else this request's host."""
    return (settings.public_url or str(request.base_url)).rstrip("/")


@router.get("/api/widget/config")
def widget_config(request: Request, settings: SettingsDep) -> JSONResponse:
    """Defaults for widget.js; readable (CORS) only from allowlisted origins."""
    origin = allowed_origin(settings, request.headers.get("origin"))
    if origin is None:
        refused = "Deze website staat niet op de lijst van websites die Routewijzer mogen tonen."
        return JSONResponse({"allowed": False, "detail": refused}, status_code=403,
                            headers={"Cache-Control": "no-store"})
    config = {
        "allowed": True, "origin": origin, "title": DEFAULT_TITLE, "accent": DEFAULT_ACCENT,
        "starters": list(STARTERS[:3]), "contact": settings.contact,
        "contact_url": settings.contact_url, "base_url": base_url(request, settings),
        "max_question_chars": settings.max_question_chars,
    }
    return JSONResponse(config, headers={"Cache-Control": "no-store"})


# ---- the script and the embed page ----

@lru_cache(maxsize=4)
def _script(mtime_ns: int) -> tuple[bytes, str]:
    body = WIDGET_JS.read_bytes()
    return body, '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


@router.get("/widget.js")
def widget_js(request: Request) -> Response:
    """The one script a host page includes; cached for an hour, revalidated with an ETag."""
    body, etag = _script(WIDGET_JS.stat().st_mtime_ns)
    headers = {
        "Cache-Control": WIDGET_CACHE,
        "ETag": etag,
        "Cross-Origin-Resource-Policy": "cross-origin",  # host pages with COEP may load it
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)


@router.get("/embed")
def embed_page(
    request: Request, templates: TemplatesDep, settings: SettingsDep,
    origin: str = "", title: str = "", accent: str = "", starters: str = "",
    contact: str = "", contact_url: str = "",
) -> Response:
    """The chat inside the widget's iframe; framable only by the allowlisted origins."""
    parent = allowed_origin(settings, origin[:MAX_URL])
    colour = clean_accent(accent[:20])
    own_contact = clean_text(contact[:1000], MAX_CONTACT)
    own_url = clean_url(contact_url)
    context = {
        "title": clean_text(title[:1000], MAX_TITLE) or DEFAULT_TITLE,
        "accent": colour,
        "on_accent": on_accent(colour),
        "starters": clean_starters(starters[:2000]) or list(STARTERS[:3]),
        "contact": own_contact or settings.contact,
        "contact_url": own_url if own_contact or own_url else settings.contact_url,
        "parent": parent,
        "base": base_url(request, settings),
        "max_chars": settings.max_question_chars,
        "reasons": REASONS,
    }
    csp = CSP.replace("frame-ancestors 'none'", f"frame-ancestors {frame_ancestors(settings)}")
    headers = {
        "Content-Security-Policy": csp,
        "X-Frame-Options": "",  # dropped by SecurityHeaders; frame-ancestors decides
        "Cache-Control": "no-cache",
    }
    return templates.TemplateResponse(
        request, "embed.html", context, status_code=200 if parent else 403, headers=headers
    )
