"""uvicorn with the limits a public server needs: header and body timeouts, header size, connection cap, keep-alive.

uvicorn alone holds a connection that never finishes its request headers forever (idle or slow
clients: 1,100 such sockets at a file limit of 1,024 block every user) and accepts any header
size. `GuardedHttp` closes a connection whose request head is not complete within
`header_timeout` seconds (408), refuses a head over `max_header_bytes` (431) and closes new
connections at once beyond `max_connections` (503), before they cost more than a moment.

A client can also send its headers quickly and then its body a byte now and then (slowloris on the
body): the handler waits for the body and holds its worker. Once a request's handler has started,
its whole body must arrive within `body_timeout` seconds, or the connection gets 408 and is closed.
A total deadline, not an idle one: a byte every few seconds would reset an idle timer forever.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from assistant.settings import Settings


def _response(status: str, message: str, retry_after: int | None = None) -> bytes:
    body = ('{"detail":"%s","field":null}' % message).encode()  # noqa: UP031 - fixed Dutch text
    head = [f"HTTP/1.1 {status}", "content-type: application/json", f"content-length: {len(body)}",
            "connection: close", "x-content-type-options: nosniff"]
    if retry_after is not None:
        head.append(f"retry-after: {retry_after}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


TIMEOUT = _response("408 Request Timeout", "De aanvraag kwam niet op tijd binnen.")
BODY_TIMEOUT = _response(
    "408 Request Timeout",
    "De inhoud van de aanvraag kwam te langzaam binnen. De verbinding is gesloten. Probeer het opnieuw.",
)
TOO_LARGE = _response("431 Request Header Fields Too Large", "De kopregels van de aanvraag zijn te groot.")
FULL = _response("503 Service Unavailable", "Routewijzer is nu erg druk. Probeer het zo opnieuw.", 5)


class GuardedHttp(HttpToolsProtocol):
    """uvicorn's httptools protocol with header and body timeouts, a header size limit and a connection cap."""

    header_timeout: float = 10.0
    body_timeout: float = 10.0
    max_header_bytes: int = 16 * 1024
    max_connections: int = 512

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None
        self._head_bytes = 0
        self._head_too_large = False
        self._refused = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self.server_state.connections) >= self.max_connections:
            self._refused = True
            transport.write(FULL)
            transport.close()
            return
        super().connection_made(transport)
        self._arm_head_timer()  # a connection that never sends anything is closed too

    def connection_lost(self, exc: Exception | None) -> None:
        if self._refused:
            return
        self._cancel_head_timer()
        self._cancel_body_timer()
        super().connection_lost(exc)

    def _arm_head_timer(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.transport.write(TIMEOUT)
            self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_bytes = 0
        self._arm_head_timer()

    def _start_asgi_task(self, cycle: Any, app: Any) -> None:
        """Start the handler; from then on the rest of its body has `body_timeout` seconds to arrive."""
        super()._start_asgi_task(cycle, app)
        if cycle is self.cycle and cycle.more_body:  # a queued (pipelined) request starts its clock when it runs
            self._cancel_body_timer()
            self._body_timer = self.loop.call_later(self.body_timeout, self._body_timed_out)

    def _cancel_body_timer(self) -> None:
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None

    def _body_timed_out(self) -> None:
        self._body_timer = None
        cycle = self.cycle
        if self.transport.is_closing() or cycle is None or not cycle.more_body:
            return
        if cycle.response_started and not cycle.response_complete:  # never cut an answer short
            self._body_timer = self.loop.call_later(self.body_timeout, self._body_timed_out)
            return
        if not cycle.response_started:  # the handler still waits for the body: tell why, then let it go
            self.transport.write(BODY_TIMEOUT)
            cycle.disconnected = True
            cycle.message_event.set()
        self.transport.close()

    def on_message_complete(self) -> None:
        self._cancel_body_timer()
        super().on_message_complete()

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def _count(self, n: int) -> None:
        self._head_bytes += n
        if self._head_bytes > self.max_header_bytes:
            self._head_too_large = True
            raise ValueError("request head too large")  # the parser stops; see send_400_response

    def on_headers_complete(self) -> None:
        self._cancel_head_timer()
        super().on_headers_complete()

    def send_400_response(self, msg: str) -> None:
        if self._head_too_large:
            self._cancel_head_timer()
            self.transport.write(TOO_LARGE)
            self.transport.close()
            return
        super().send_400_response(msg)


def guarded_protocol(settings: Settings) -> type[GuardedHttp]:
    """The protocol class with this configuration's limits."""
    return type("RoutewijzerHttp", (GuardedHttp,), {
        "header_timeout": settings.header_timeout,
        "body_timeout": settings.body_timeout,
        "max_header_bytes": settings.max_header_bytes,
        "max_connections": settings.max_connections,
    })


def uvicorn_config(app: object, settings: Settings, **kwargs: Any) -> Any:
    """uvicorn's Config with our protocol and keep-alive timeout; no access log (IP addresses, /privacy)."""
    import uvicorn

    return uvicorn.Config(app, http=guarded_protocol(settings), timeout_keep_alive=settings.keep_alive_timeout,
                          access_log=False, **kwargs)


def serve(app: object, settings: Settings, host: str, port: int) -> None:
    """Run the app until stopped (Ctrl-C or SIGTERM); metrics on their own port when configured."""
    import uvicorn

    metrics = getattr(getattr(app, "state", None), "metrics", None)
    if metrics is not None and settings.metrics_port:
        from assistant.webapp.metrics import serve_metrics

        serve_metrics(settings.metrics_port, metrics.registry)
    uvicorn.Server(uvicorn_config(app, settings, host=host, port=port, log_level="info")).run()
