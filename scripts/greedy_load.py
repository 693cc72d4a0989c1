"""Load test: can one greedy client starve a normal one? (docs/deployment.md has the figures.)

Starts `python -m assistant serve` (the real model unless ASSISTANT_EMBEDDER=fake) on 127.0.0.1 as
a separate process behind a pretend proxy: both clients connect from 127.0.0.1, which is a trusted
proxy, and name themselves in X-Forwarded-For. The greedy client keeps --greedy questions in flight
and retries a refused one after 0.1 s; the normal client asks one question at a time, like a person.
Each scenario runs --seconds; the normal client's latency (median, p90, max) and failures are printed.

Scenarios:
  alone     the normal client without the greedy one (the baseline)
  defaults  both, with the default rate limits and the fair queue
  fair      both, rate limits off: only the fair queue protects the normal client
  fifo      both, as before issue 18: one queue in arrival order (every client the same key, no caps)

Usage: .venv/bin/python scripts/greedy_load.py [--seconds 20] [--greedy 160] [--scenarios alone,defaults,fair,fifo]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Wat is een doorlopende leerroute?", "Wat is de derde leerweg?", "Wat is een praktijkverklaring?",
    "Hoe wordt een doorlopende leerroute bekostigd?", "Wat is het verschil tussen een DLR en een GLR?",
    "Tot wanneer kunnen we een doorlopende leerroute melden bij DUO?", "Wat is een mbo-certificaat?",
    "Wat is een samenwerkingsovereenkomst?",
]
GREEDY_IP, NORMAL_IP = "198.51.100.7", "203.0.113.5"
SCENARIOS = {
    "alone": {},
    "defaults": {},
    "fair": {"ASSISTANT_RATE_ASK_PER_MINUTE": "0"},
    "fifo": {"ASSISTANT_RATE_ASK_PER_MINUTE": "0", "ASSISTANT_TRUSTED_PROXIES": "[]",
             "ASSISTANT_QUEUE_PER_CLIENT": "100000", "ASSISTANT_QUEUE_MAX_WAITING": "128",
             "ASSISTANT_QUEUE_CLIENT_SHARE": "16",
             "ASSISTANT_QUEUE_MAX_WAIT": "1000"},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, extra: dict[str, str]) -> subprocess.Popen:
    env = {**os.environ, "ASSISTANT_TRUSTED_PROXIES": '["127.0.0.1"]', "ASSISTANT_MAX_CONNECTIONS": "1000",
           "ASSISTANT_FEEDBACK_DB": "/tmp/routewijzer-greedy-feedback.sqlite3", **extra}
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2, trust_env=False).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "server exited")
        time.sleep(0.5)
    proc.kill()
    raise RuntimeError("server did not become ready")


async def normal_client(url: str, stop: float) -> tuple[list[float], Counter]:
    latencies: list[float] = []
    codes: Counter = Counter()
    async with httpx.AsyncClient(base_url=url, timeout=60, trust_env=False,
                                 headers={"X-Forwarded-For": NORMAL_IP}) as http:
        i = 0
        while time.monotonic() < stop:
            start = time.monotonic()
            try:
                res = await http.post("/api/ask", json={"question": QUESTIONS[i % len(QUESTIONS)]})
                codes[res.status_code] += 1
                if res.status_code == 200:
                    latencies.append(time.monotonic() - start)
            except httpx.HTTPError as exc:
                codes[type(exc).__name__] += 1
            i += 1
            await asyncio.sleep(0.2)  # a person reads before asking again
    return latencies, codes


async def greedy_client(url: str, stop: float, in_flight: int) -> Counter:
    codes: Counter = Counter()
    limits = httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight)
    async with httpx.AsyncClient(base_url=url, timeout=60, trust_env=False, limits=limits,
                                 headers={"X-Forwarded-For": GREEDY_IP}) as http:

        async def worker(n: int) -> None:
            i = n
            while time.monotonic() < stop:
                try:
                    res = await http.post("/api/ask", json={"question": QUESTIONS[i % len(QUESTIONS)]})
                    codes[res.status_code] += 1
                    if res.status_code != 200:
                        await asyncio.sleep(0.1)
                except httpx.HTTPError as exc:
                    codes[type(exc).__name__] += 1
                    await asyncio.sleep(0.1)
                i += 1

        await asyncio.gather(*(worker(n) for n in range(in_flight)))
    return codes


def _greedy_process(url: str, seconds: float, in_flight: int, out: multiprocessing.Queue) -> None:
    out.put(dict(asyncio.run(greedy_client(url, time.monotonic() + seconds, in_flight))))


async def scenario(url: str, seconds: float, greedy: int) -> dict:
    # The greedy client runs in its own process, so its work does not delay the normal client's loop.
    results: multiprocessing.Queue = multiprocessing.Queue()
    other = multiprocessing.Process(target=_greedy_process, args=(url, seconds, greedy, results)) if greedy else None
    if other is not None:
        other.start()
        await asyncio.sleep(1)  # the greedy client is in full flow before the normal one starts
    latencies, normal_codes = await normal_client(url, time.monotonic() + seconds - (1 if greedy else 0))
    greedy_codes = Counter(results.get(timeout=120)) if other is not None else Counter()
    if other is not None:
        other.join(timeout=30)
    q = statistics.quantiles(latencies, n=10) if len(latencies) >= 10 else [float("nan")] * 9
    return {
        "normal_answered": len(latencies), "normal_refused": sum(v for k, v in normal_codes.items() if k != 200),
        "normal_codes": dict(normal_codes), "normal_median_s": round(statistics.median(latencies), 3) if latencies
        else None, "normal_p90_s": round(q[8], 3), "normal_max_s": round(max(latencies), 3) if latencies else None,
        "greedy_codes": dict(greedy_codes),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--greedy", type=int, default=160, help="questions the greedy client keeps in flight")
    parser.add_argument("--scenarios", default="alone,defaults,fair,fifo")
    args = parser.parse_args()
    for name in args.scenarios.split(","):
        port = free_port()
        proc = start_server(port, SCENARIOS[name])
        try:
            url = f"http://127.0.0.1:{port}"
            asyncio.run(scenario(url, 3, 0))  # warm-up
            report = asyncio.run(scenario(url, args.seconds, 0 if name == "alone" else args.greedy))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        print(json.dumps({"scenario": name, **report}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
