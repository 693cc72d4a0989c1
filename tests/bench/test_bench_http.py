"""bench_http: measures /api/ask over keep-alive loopback connections and never leaves 127.0.0.1."""

from __future__ import annotations

import pytest

from assistant.bench.http import bench_http, serve_on_loopback


@pytest.mark.parametrize("url", [
    "http://localhost:8000", "http://10.0.0.1:8000", "https://127.0.0.1:8000", "http://example.org",
    "http://127.0.0.1.example.org:80", "http://[::1]:8000",
])
def test_refuses_anything_but_loopback(url: str) -> None:
    with pytest.raises(ValueError, match="127.0.0.1"):
        bench_http(url, ["Wat is een DLR?"], 1, 1)


def test_bench_http_reports_latency(fake_settings, fake_routewijzer) -> None:
    from assistant.webapp.app import create_app

    questions = ["Wat is een doorlopende leerroute?", "Wat is de derde leerweg?"]
    with serve_on_loopback(create_app(fake_settings, fake_routewijzer)) as url:
        assert url.startswith("http://127.0.0.1:")
        report = bench_http(url, questions, concurrency=2, n=40)
    assert report["n"] == 40 and report["errors"] == 0 and report["concurrency"] == 2
    assert 0 < report["p50_ms"] <= report["p95_ms"]
    assert report["rps"] > 0


def test_listening_socket_says_tcp_so_connections_get_nodelay() -> None:
    """asyncio sets TCP_NODELAY only when the socket's proto is TCP; a 0 here meant ~40 ms per request."""
    import socket

    from assistant.bench.http import listening_socket

    sock = listening_socket()
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockname()[0] == "127.0.0.1"
    finally:
        sock.close()


def test_bench_paired_times_both_paths_for_every_question(fake_settings, fake_routewijzer) -> None:
    from assistant.bench.http import bench_paired
    from assistant.webapp.app import create_app

    asked: list[str] = []

    def ask(question: str) -> object:
        asked.append(question)
        return fake_routewijzer.ask(question)

    questions = ["Wat is een doorlopende leerroute?", "Wat is de derde leerweg?"]
    with serve_on_loopback(create_app(fake_settings, fake_routewijzer)) as url:
        report = bench_paired(url, questions, ask, n=10)
    assert asked[2:] == questions * 5  # after warming up on each question: one ask per request
    assert report["n"] == 10 and report["errors"] == 0
    assert report["ask_p50_ms"] > 0 and 0 < report["http_p50_ms"] <= report["http_p95_ms"]
    assert report["added_p50_ms"] <= report["added_p95_ms"]
    with pytest.raises(ValueError, match="127.0.0.1"):
        bench_paired("http://localhost:1", questions, ask, n=1)
