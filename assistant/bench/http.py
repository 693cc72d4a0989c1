"""HTTP benchmark of `POST /api/ask` on loopback: keep-alive clients, p50/p95, requests/second."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from urllib.parse import urlsplit

import httpx

LOOPBACK = "127.0.0.1"
# The load tests come from one address: without these, the per-client limits answer them with 429.
BENCH_LIMITS = {"ASSISTANT_RATE_ASK_PER_MINUTE": "0", "ASSISTANT_QUEUE_PER_CLIENT": "64"}
AskFn = Callable[[str], object]
# A pause before each timed call in bench_paired: torch's OpenMP threads spin for a moment after a
# call, and the other process's call should not pay for that.
SETTLE_S = 0.01


def _check_loopback(base_url: str) -> str:
    parts = urlsplit(base_url)
    if parts.scheme != "http" or parts.hostname != LOOPBACK:
        raise ValueError(f"bench_http only targets http://{LOOPBACK}:<port>, not {base_url!r}")
    return base_url.rstrip("/")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def bench_http(base_url: str, questions: Sequence[str], concurrency: int = 1, n: int = 200) -> dict:
    """Send n questions (cycled) from `concurrency` keep-alive clients; report latency and rps."""
    url = _check_loopback(base_url) + "/api/ask"
    if not questions:
        raise ValueError("bench_http needs at least one question")
    concurrency = max(1, min(concurrency, n))
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(n))
    warmed = threading.Barrier(concurrency + 1)  # the clock starts when every client has warmed up

    def worker() -> None:
        nonlocal errors
        mine: list[float] = []
        failed = 0
        with httpx.Client(timeout=30, trust_env=False) as client:
            try:
                for q in questions[:2]:  # warm the connection
                    client.post(url, json={"question": q})
            finally:
                warmed.wait()
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    break
                start = time.perf_counter()
                res = client.post(url, json={"question": questions[i % len(questions)]})
                mine.append((time.perf_counter() - start) * 1000)
                failed += res.status_code != 200
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    warmed.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    return {
        "n": len(latencies),
        "concurrency": concurrency,
        "errors": errors,
        "p50_ms": round(_percentile(latencies, 0.50), 3),
        "p95_ms": round(_percentile(latencies, 0.95), 3),
        "mean_ms": round(statistics.fmean(latencies), 3) if latencies else 0.0,
        "rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
    }


def bench_paired(base_url: str, questions: Sequence[str], ask: AskFn, n: int = 200) -> dict:
    """Alternate one in-process `ask` and one `/api/ask` request for the same question.

    Both then see the same machine state (clock speed, other load), so the median of the
    per-question differences is the cost HTTP adds, not the drift between two separate runs.
    """
    url = _check_loopback(base_url) + "/api/ask"
    if not questions:
        raise ValueError("bench_paired needs at least one question")
    local: list[float] = []
    remote: list[float] = []
    errors = 0
    with httpx.Client(timeout=30, trust_env=False) as client:
        for q in questions[:5]:  # warm both paths and the connection
            ask(q)
            client.post(url, json={"question": q})
        for i in range(n):
            q = questions[i % len(questions)]
            time.sleep(SETTLE_S)
            start = time.perf_counter()
            ask(q)
            local.append((time.perf_counter() - start) * 1000)
            time.sleep(SETTLE_S)
            start = time.perf_counter()
            res = client.post(url, json={"question": q})
            remote.append((time.perf_counter() - start) * 1000)
            errors += res.status_code != 200
    added = [r - a for r, a in zip(remote, local, strict=True)]
    return {
        "n": n,
        "errors": errors,
        "ask_p50_ms": round(_percentile(local, 0.50), 3),
        "http_p50_ms": round(_percentile(remote, 0.50), 3),
        "http_p95_ms": round(_percentile(remote, 0.95), 3),
        "added_p50_ms": round(_percentile(added, 0.50), 3),
        "added_p95_ms": round(_percentile(added, 0.95), 3),
    }


def listening_socket() -> socket.socket:
    """A socket on 127.0.0.1 and a free port whose accepted connections get TCP_NODELAY (no 40 ms Nagle stall)."""
    # proto=IPPROTO_TCP: asyncio only sets TCP_NODELAY on accepted sockets whose proto says TCP.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK, 0))
    return sock


@contextmanager
def serve_on_loopback(app: object) -> Iterator[str]:
    """Run an ASGI app with uvicorn in a thread on 127.0.0.1 and a free port; yield its base URL."""
    import uvicorn

    sock = listening_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            sock.close()
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://{LOOPBACK}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def serve_env(settings: object, embedder: str) -> dict[str, str]:
    """The environment of a benchmarked `serve` or `ask` process: these settings, one engine, no limits."""
    return {**os.environ, "ASSISTANT_EMBEDDER": embedder, "ASSISTANT_INDEX_DIR": str(settings.index_dir),
            "ASSISTANT_MODEL": str(settings.model), "ASSISTANT_KB_DIR": str(settings.kb_dir),
            "ASSISTANT_INDEX_WATCH_S": "0", **BENCH_LIMITS}


@contextmanager
def serve_process(env: dict[str, str], timeout_s: float = 300) -> Iterator[tuple[str, int, float]]:
    """Run `python -m assistant serve` on 127.0.0.1 in its own process; yield (URL, pid, seconds to ready)."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        port = sock.getsockname()[1]
    base = f"http://{LOOPBACK}:{port}"
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--host", LOOPBACK, "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                if httpx.get(base + "/readyz", timeout=2, trust_env=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.perf_counter() - started > timeout_s or proc.poll() is not None:
                raise RuntimeError("the server did not become ready")
            time.sleep(0.05)
        yield base, proc.pid, time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(timeout=30)
