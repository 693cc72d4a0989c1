"""Benchmark: query-embedding time, in-process ask latency, index build time, memory — in one run."""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from assistant.engine import Routewijzer
from assistant.quality.evaluation import EVAL_DIR, load_eval_set
from assistant.search.index import build_index
from assistant.settings import Settings


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _ms(values: list[float]) -> dict:
    return {"p50_ms": round(_pct(values, 0.5) * 1000, 2), "p95_ms": round(_pct(values, 0.95) * 1000, 2),
            "mean_ms": round(statistics.fmean(values) * 1000, 2)}


def run_bench(settings: Settings, n: int = 200, http: bool = False) -> dict:
    """Measure everything once, on the same machine, in the same process."""
    in_scope, out_of_scope = load_eval_set(EVAL_DIR)
    questions = ([q.question for q in in_scope] + out_of_scope) * (1 + n // (len(in_scope) + len(out_of_scope)))
    questions = questions[:n]
    with tempfile.TemporaryDirectory() as tmp:
        fresh = settings.model_copy(update={"index_dir": Path(tmp)})
        t0 = time.perf_counter()
        build_index(fresh, force=True)
        build_s = time.perf_counter() - t0
    rw = Routewijzer.load(settings)
    try:
        for q in questions[:10]:  # warm-up
            rw.ask(q)
        embed, ask = [], []
        for q in questions:  # interleave so both see the same machine state
            t0 = time.perf_counter()
            rw.embedder.embed_queries([q])
            embed.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            rw.ask(q)
            ask.append(time.perf_counter() - t0)
        report = {
            "model": rw.retriever.loaded.manifest["model"], "questions": len(questions),
            "chunks": rw.retriever.loaded.manifest["chunks"],
            "query_embedding": _ms(embed), "ask_in_process": _ms(ask),
            "ask_p50_over_embedding_p50": round(_pct(ask, 0.5) / _pct(embed, 0.5), 3),
            "index_build_s": round(build_s, 2),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        if http:
            report["http"] = serve_and_bench(settings, questions, rw.ask)
    finally:
        rw.close()
    return report


def serve_and_bench(settings: Settings, questions: list[str], ask: Callable[[str], object]) -> dict:
    """Start `python -m assistant serve` on 127.0.0.1 in its own process; time /api/ask over HTTP.

    First in-process `ask` and HTTP alternate question by question (what HTTP adds), then
    keep-alive clients at concurrency 1 and 8 measure latency and throughput.
    """
    from assistant.bench.http import bench_http, bench_paired, serve_env, serve_process

    with serve_process(serve_env(settings, settings.embedder), timeout_s=120) as (base, _pid, _ready_s):
        report: dict = {"paired": bench_paired(base, questions, ask, n=len(questions))}
        for c in (1, 8):
            report[f"concurrency {c}"] = bench_http(base, questions, concurrency=c, n=len(questions))
        return report


def format_bench(r: dict) -> str:
    """Markdown for the README."""
    lines = [
        f"model `{r['model']}`, {r['chunks']} chunks, {r['questions']} questions",
        "",
        "| measure | p50 | p95 |",
        "|---|---|---|",
        f"| one query embedding | {r['query_embedding']['p50_ms']} ms | {r['query_embedding']['p95_ms']} ms |",
        f"| `ask` in-process | {r['ask_in_process']['p50_ms']} ms | {r['ask_in_process']['p95_ms']} ms |",
        "",
        f"- ask p50 / embedding p50: {r['ask_p50_over_embedding_p50']}×",
        f"- index build (all chunks embedded): {r['index_build_s']} s",
        f"- peak memory (max RSS): {r['max_rss_mb']} MB",
    ]
    http = dict(r.get("http") or {})
    if paired := http.pop("paired", None):
        lines.append(
            f"- HTTP and in-process `ask` alternating ({paired['n']} pairs): `/api/ask` p50 "
            f"{paired['http_p50_ms']} ms against `ask` p50 {paired['ask_p50_ms']} ms; HTTP adds "
            f"p50 {paired['added_p50_ms']} ms, p95 {paired['added_p95_ms']} ms"
        )
    for name, h in http.items():
        lines.append(f"- HTTP {name}: p50 {h['p50_ms']} ms, p95 {h['p95_ms']} ms, {h['rps']} req/s")
    return "\n".join(lines)


def bench_questions(n: int) -> list[str]:
    """n questions from the team-written evaluation set, in- and out-of-scope, cycled."""
    in_scope, out_of_scope = load_eval_set(EVAL_DIR)
    questions = [q.question for q in in_scope] + out_of_scope
    return (questions * (1 + n // len(questions)))[:n]


def run_bench_cli(settings: Settings, args: argparse.Namespace) -> int:
    """`python -m assistant bench [--scale N] [--engines]`: the sections asked for, in one run."""
    scale, engines = getattr(args, "scale", None), getattr(args, "engines", False)
    as_json = getattr(args, "json", False)
    report: dict = {}
    if scale:
        from assistant.bench.scale import format_scale, run_scale

        report["scale"] = run_scale(settings, bench_questions(args.n), factor=scale)
        if not as_json:
            print(f"## Cost against knowledge-base size (1× and {scale}×)\n\n{format_scale(report['scale'])}\n",
                  flush=True)
    if engines:
        from assistant.bench.engines import format_engines, run_engines

        report["engines"] = run_engines(settings, bench_questions(args.n), n=args.n)
        if not as_json:
            print(f"## Serving engines\n\n{format_engines(report['engines'])}\n", flush=True)
    if not scale and not engines:
        report = run_bench(settings, n=args.n, http=getattr(args, "http", False))
        if not as_json:
            print(format_bench(report))
    if as_json:
        print(json.dumps(report, indent=1))
    return 0
