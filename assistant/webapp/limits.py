"""Per-client and per-widget-site rate limits (token buckets) and who the client is.

The client is the connecting address, or, when that address is a trusted proxy
(ASSISTANT_TRUSTED_PROXIES), the last address in `X-Forwarded-For` that is not one of ours. A
refused request gets 429 with `Retry-After` and a Dutch message. The client key is also put in
`CLIENT`, so the model's queue serves clients in turn (search/model_thread.py).
"""

from __future__ import annotations

import ipaddress
import math
import time
from dataclasses import dataclass, field

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.search.model_thread import CLIENT
from assistant.settings import Settings
from assistant.webapp.origin import origin_of

ASK_PATHS = {"/api/ask", "/ask", "/", "/fragments/answer"}
FEEDBACK_PATHS = {"/api/feedback", "/feedback"}
TOO_MANY = "U stuurt erg veel aanvragen kort na elkaar. Probeer het over {seconds} seconden opnieuw."
MAX_KEYS = 50_000  # buckets kept at most; full (idle) ones are forgotten first


@dataclass
class TokenBucket:
    """`rate` tokens per second up to `burst`; each request takes one."""

    rate: float
    burst: float
    buckets: dict[str, tuple[float, float]] = field(default_factory=dict)  # key -> (tokens, time)

    def take(self, key: str, now: float | None = None) -> float:
        """0 when the request may go ahead, else the seconds until a token is free."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        tokens, last = self.buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1:
            self.buckets[key] = (tokens, now)
            return (1 - tokens) / self.rate
        self.buckets[key] = (tokens - 1, now)
        if len(self.buckets) > MAX_KEYS:
            self._forget(now)
        return 0.0

    def _forget(self, now: float) -> None:
        full = [k for k, (t, last) in self.buckets.items() if t + (now - last) * self.rate >= self.burst]
        for key in full or list(self.buckets)[: len(self.buckets) // 2]:
            del self.buckets[key]


def client_address(scope: Scope, proxies: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> str:
    """The client's address; X-Forwarded-For counts only when the peer is a trusted proxy."""
    peer = (scope.get("client") or ("unknown", 0))[0]
    if not proxies or not _trusted(peer, proxies):
        return peer
    forwarded = b",".join(v for k, v in scope.get("headers", []) if k == b"x-forwarded-for")
    hops = [h.strip() for h in forwarded.decode("latin-1").split(",") if h.strip()]
    for hop in reversed(hops):  # the right-most hop not added by our own proxies is the client
        if not _trusted(hop, proxies):
            return hop
    return hops[0] if hops else peer


def _trusted(address: str, proxies: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in proxies)


class RateLimits:
    """Token buckets for questions (per client and per widget site) and feedback (per client)."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.proxies = [ipaddress.ip_network(p, strict=False) for p in settings.trusted_proxies]
        self.ask = TokenBucket(settings.rate_ask_per_minute / 60, settings.rate_ask_burst)
        self.site = TokenBucket(settings.rate_site_per_minute / 60, max(1.0, settings.rate_site_per_minute / 2))
        self.feedback = TokenBucket(settings.rate_feedback_per_minute / 60, settings.rate_feedback_burst)
        self.widget_origins = {origin_of(o) for o in settings.widget_origins}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = client_address(scope, self.proxies)
        token = CLIENT.set(client)
        try:
            wait = self._check(scope, client)
            if wait:
                from assistant.webapp.errors import on_http_error

                seconds = max(1, math.ceil(wait))
                refusal = StarletteHTTPException(429, TOO_MANY.format(seconds=seconds),
                                                 headers={"Retry-After": str(seconds)})
                response = await on_http_error(Request(scope), refusal)
                await response(scope, receive, send)
                return
            await self.app(scope, receive, send)
        finally:
            CLIENT.reset(token)

    def _check(self, scope: Scope, client: str) -> float:
        if scope.get("method") != "POST":
            return 0.0
        path = scope.get("path", "")
        if path in FEEDBACK_PATHS:
            return self.feedback.take(client)
        if path not in ASK_PATHS:
            return 0.0
        wait = self.ask.take(client)
        origin = next((v for k, v in scope.get("headers", []) if k == b"origin"), None)
        if not wait and origin is not None:
            try:
                site = origin_of(origin.decode("latin-1"))
            except ValueError:
                return 0.0  # the origin check refuses it
            if site in self.widget_origins:
                wait = self.site.take(site)
        return wait
