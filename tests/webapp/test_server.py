"""The uvicorn server's limits: idle connections and slow heads or bodies are closed, huge headers refused, a cap."""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from assistant.settings import Settings


@contextmanager
def running(settings: Settings, engine) -> Iterator[int]:  # noqa: ANN001
    """The app served by our uvicorn configuration on 127.0.0.1; yields the port."""
    import uvicorn

    from assistant.bench.http import listening_socket
    from assistant.webapp.app import create_app
    from assistant.webapp.server import uvicorn_config

    sock = listening_socket()
    server = uvicorn.Server(uvicorn_config(create_app(settings, engine), settings, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.02)
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def limits(fake_settings: Settings) -> Settings:
    return fake_settings.model_copy(update={"header_timeout": 0.5, "body_timeout": 0.5, "keep_alive_timeout": 0.5,
                                            "max_header_bytes": 4096, "max_connections": 6})


def connect(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    return s


def read_all(s: socket.socket) -> bytes:
    """Everything until the server closes; b"RESET" when it reset the connection (bytes we sent unread)."""
    chunks = []
    try:
        while chunk := s.recv(65536):
            chunks.append(chunk)
    except ConnectionResetError:
        return b"".join(chunks) or b"RESET"
    return b"".join(chunks)


def ok(port: int) -> bool:
    return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5, trust_env=False).status_code == 200


def test_idle_and_slow_connections_are_closed(limits: Settings, fake_routewijzer) -> None:
    with running(limits, fake_routewijzer) as port:
        idle = connect(port)
        slow = connect(port)
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        start = time.monotonic()
        for _ in range(10):  # a header byte now and then, never finishing
            time.sleep(0.1)
            try:
                slow.sendall(b"X")
            except OSError:
                break
        reply = read_all(slow)
        assert b"408" in reply or reply == b"RESET"  # closed either way, never answered
        assert b"408" in read_all(idle)
        assert time.monotonic() - start < 3
        assert ok(port)


def test_a_huge_header_is_refused_and_others_are_served(limits: Settings, fake_routewijzer) -> None:
    with running(limits, fake_routewijzer) as port:
        s = connect(port)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n")
        reply = read_all(s)
        assert reply.startswith(b"HTTP/1.1 431") or reply == b"RESET"  # refused while we still sent
        assert ok(port)


def test_connections_beyond_the_cap_are_closed_at_once(limits: Settings, fake_routewijzer) -> None:
    with running(limits, fake_routewijzer) as port:
        held = [connect(port) for _ in range(6)]
        time.sleep(0.1)
        extra = connect(port)
        assert read_all(extra).startswith(b"HTTP/1.1 503")
        for s in held:
            s.close()
        time.sleep(0.2)
        assert ok(port)


def test_keep_alive_connection_is_closed_after_its_timeout(limits: Settings, fake_routewijzer) -> None:
    with running(limits, fake_routewijzer) as port:
        s = connect(port)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        start = time.monotonic()
        reply = read_all(s)  # returns when the server closes the idle connection
        assert reply.startswith(b"HTTP/1.1 200") and time.monotonic() - start < 3


QUESTION = json.dumps({"question": "Wat is de derde leerweg?"}).encode()


def ask_head(length: int) -> bytes:
    return (b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % length)


def test_a_stalled_body_gets_a_dutch_408(limits: Settings, fake_routewijzer) -> None:
    with running(limits, fake_routewijzer) as port:
        s = connect(port)
        s.settimeout(30)
        s.sendall(ask_head(len(QUESTION)) + QUESTION[:10])  # headers, then part of the body, then nothing
        reply = read_all(s)
        assert reply.startswith(b"HTTP/1.1 408")
        body = json.loads(reply.split(b"\r\n\r\n", 1)[1])
        assert body["detail"].startswith("De inhoud van de aanvraag kwam te langzaam binnen.")
        assert ok(port)


def test_a_body_sent_a_byte_at_a_time_is_cut_off(limits: Settings, fake_routewijzer) -> None:
    """Slowloris on the body: a byte now and then keeps arriving, yet the request is ended."""
    with running(limits, fake_routewijzer) as port:
        s = connect(port)
        s.sendall(ask_head(10_000))
        cut_off = False
        for _ in range(300):  # 300 bytes of 10,000: never complete; the server must end it
            try:
                s.sendall(b" ")
            except OSError:
                cut_off = True
                break
            if select.select([s], [], [], 0.1)[0]:  # the server answered or closed: stop sending
                cut_off = True
                break
        assert cut_off
        reply = read_all(s)
        assert reply.startswith(b"HTTP/1.1 408") or reply == b"RESET"
        assert ok(port)


def test_a_normal_body_in_pieces_is_answered(limits: Settings, fake_routewijzer) -> None:
    with running(limits, fake_routewijzer) as port:
        s = connect(port)
        s.sendall(ask_head(len(QUESTION)))
        for i in range(0, len(QUESTION), 16):  # in pieces, as a slow but honest network delivers it
            s.sendall(QUESTION[i:i + 16])
            time.sleep(0.01)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")  # same connection goes on
        reply = read_all(s)
        assert reply.startswith(b"HTTP/1.1 200")
        first, second = reply.split(b"HTTP/1.1 ")[1:3]
        assert b'"answer"' in first and second.startswith(b"200")
        assert b"408" not in reply
