"""Cost against knowledge-base size: the same questions on the kb and on a synthetic kb N times as big.

The big kb is N copies of every article under new slugs ("derde-leerweg-k2", …). Its chunks have the
texts of the real ones, so the index build reuses the real model's vectors by content hash and
embeds nothing: the real model answers at both sizes. Only retrieval grows.
"""

from __future__ import annotations

import re
import resource
import shutil
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant.content.kb import KnowledgeBase, load_kb
from assistant.engine import Routewijzer
from assistant.quality.evaluation import EVAL_DIR, EvalQuestion, load_eval_set
from assistant.search import dense
from assistant.search.embedder import Embedder, make_embedder
from assistant.search.index import CURRENT, build_index
from assistant.settings import Settings


def scaled_kb(kb: KnowledgeBase, factor: int) -> KnowledgeBase:
    """The kb and factor-1 copies of every article with a new slug; glossary and sources unchanged."""
    copies = [replace(a, slug=f"{a.slug}-k{i}") for i in range(2, factor + 1) for a in kb.articles]
    return KnowledgeBase(articles=[*kb.articles, *copies], glossary=kb.glossary, sources=kb.sources,
                         outside=kb.outside)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _p50(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 2)


def hnsw_recall(vectors: np.ndarray, queries: np.ndarray, k: int = 128) -> float:
    """Share of the exact top-k that an HNSW index over the same vectors finds (recall@k)."""
    exact = dense.make_dense_index(vectors, hnsw_min_chunks=len(vectors) + 1)
    hnsw = dense.prepare(dense.make_dense_index(vectors, hnsw_min_chunks=1), k)
    found = 0
    for q in queries:
        want = set(dense.search(exact, q, k).tolist())
        found += len(want & set(dense.search(hnsw, q, k).tolist()))
    return round(found / (min(k, len(vectors)) * len(queries)), 4)


_COPY = re.compile(r"-k\d+(?=#|$)")


def _first_section(answer) -> str:
    """The first cited section with a copy's slug suffix taken off ("(abstained)" when none)."""
    if answer.abstained or not answer.citations:
        return "(abstained)"
    return _COPY.sub("", answer.citations[0].url)


def _original(key: str) -> str:
    return _COPY.sub("", key)


def recall(rw: Routewijzer, items: list[EvalQuestion], widen: int = 1) -> dict:
    """Team-set hit@1 of the retrieval (a copy counts as its original) and the top sections found.

    `widen` multiplies the candidates per question (FAISS's nearest chunks and BM25's best sections):
    at N× every text exists N times, so the usual candidates hold copies of fewer distinct texts.
    """
    retriever = rw.retriever
    saved = retriever.dense_k, retriever.lexical_k
    retriever.dense_k, retriever.lexical_k = saved[0] * widen, saved[1] * widen
    dense.prepare(retriever.loaded.index, retriever.dense_k)
    try:
        tops = []
        for item in items:
            hits = retriever.search(item.question).hits
            tops.append(_original(hits[0].key) if hits else "")
    finally:
        retriever.dense_k, retriever.lexical_k = saved
        dense.prepare(retriever.loaded.index, saved[0])
    hit = sum(top in item.expect for top, item in zip(tops, items, strict=True))
    return {"hit_at_1": round(hit / max(1, len(items)), 3), "tops": tops}


def copies_check(engines: dict[int, Routewijzer], factor: int, items: list[EvalQuestion]) -> dict:
    """Whether the copies explain a different first section at factor×: the team set's hit@1 at 1×, at
    factor×, and at factor× with the candidates widened factor times (each distinct text then has
    as many candidate places as at 1×)."""
    one, big = recall(engines[1], items), recall(engines[factor], items)
    wide = recall(engines[factor], items, widen=factor)
    return {"questions": len(items), "hit_at_1": {"1x": one["hit_at_1"], f"{factor}x": big["hit_at_1"],
                                                  f"{factor}x_widened": wide["hit_at_1"]},
            "same_top_section": sum(a == b for a, b in zip(one["tops"], big["tops"], strict=True)),
            "same_top_section_widened": sum(a == b for a, b in zip(one["tops"], wide["tops"], strict=True))}


def run_scale(settings: Settings, questions: list[str], factor: int = 100, embedder: Embedder | None = None) -> dict:
    """Build a 1× and a factor× index, load both, time `ask` on both question by question."""
    own = embedder is None
    embedder = embedder or make_embedder(settings)
    kb = load_kb(settings.kb_dir, settings.seeds_dir)
    rows: dict[int, dict] = {}
    engines: dict[int, Routewijzer] = {}
    tmp = Path(tempfile.mkdtemp(prefix="routewijzer-scale-"))
    try:
        for size in (1, factor):
            index_dir = tmp / f"x{size}"
            if settings.index_dir.joinpath(CURRENT).exists():  # start from the real index: its vectors are reused
                shutil.copytree(settings.index_dir, index_dir, ignore=shutil.ignore_patterns(".*"))
            fresh = settings.model_copy(update={"index_dir": index_dir})
            big = scaled_kb(kb, size)
            t0 = time.perf_counter()
            report = build_index(fresh, embedder=embedder, kb=big)
            build_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            engines[size] = Routewijzer.load(fresh, embedder=embedder, kb=big)
            load_s = time.perf_counter() - t0
            manifest = engines[size].retriever.loaded.manifest
            rows[size] = {"articles": len(big.articles), "chunks": manifest["chunks"],
                          "dense_index": manifest["dense_index"], "build_s": round(build_s, 2),
                          "embedded": manifest["embedded"], "load_s": round(load_s, 3),
                          "rss_after_load_mb": round(_rss_mb(), 1), "build_report": report}
        for q in questions[:5]:
            for rw in engines.values():
                rw.ask(q)
        embed: list[float] = []
        asks: dict[int, list[float]] = {size: [] for size in engines}
        firsts: dict[int, list[str]] = {size: [] for size in engines}
        for q in questions:  # alternate so every size sees the same machine state
            t0 = time.perf_counter()
            embedder.embed_queries([q])
            embed.append(time.perf_counter() - t0)
            for size, rw in engines.items():
                t0 = time.perf_counter()
                answer = rw.ask(q)
                asks[size].append(time.perf_counter() - t0)
                firsts[size].append(_first_section(answer))
        for size in engines:
            rows[size]["ask_p50_ms"] = _p50(asks[size])
            rows[size]["ask_beyond_embedding_p50_ms"] = round(_p50(asks[size]) - _p50(embed), 2)
        same = sum(a == b for a, b in zip(firsts[1], firsts[factor], strict=True))
        result = {"factor": factor, "questions": len(questions), "embedding_p50_ms": _p50(embed),
                  "sizes": {f"{size}x": row for size, row in rows.items()},
                  "ask_p50_ratio": round(rows[factor]["ask_p50_ms"] / rows[1]["ask_p50_ms"], 3),
                  "same_first_section": same}
        distinct = list(dict.fromkeys(questions))[:100]
        result["hnsw_recall_at_128_on_1x"] = hnsw_recall(engines[1].retriever.loaded.vectors,
                                                         embedder.embed_queries(distinct))
        result["copies"] = copies_check(engines, factor, load_eval_set(EVAL_DIR)[0])
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if own:
            embedder.close()


def format_scale(r: dict) -> str:
    """Markdown table: 1× and N× side by side."""
    sizes = list(r["sizes"].items())
    head = "| measure | " + " | ".join(name for name, _ in sizes) + " |"
    lines = [f"{r['questions']} questions, query embedding p50 {r['embedding_p50_ms']} ms", "",
             head, "|---|" + "---|" * len(sizes)]
    for label, key in (("articles", "articles"), ("chunks", "chunks"), ("dense index", "dense_index"),
                       ("index build (s)", "build_s"), ("index load (s)", "load_s"),
                       ("`ask` p50 (ms)", "ask_p50_ms"), ("`ask` beyond the embedding, p50 (ms)",
                                                          "ask_beyond_embedding_p50_ms"),
                       ("max RSS after load (MB)", "rss_after_load_mb")):
        lines.append(f"| {label} | " + " | ".join(str(row[key]) for _, row in sizes) + " |")
    lines.append("")
    lines.append(f"- `ask` p50 at {r['factor']}× / 1×: {r['ask_p50_ratio']}×")
    lines.append(f"- same first cited section at {r['factor']}× as at 1× (a copy counts as its original): "
                 f"{r['same_first_section']} of {r['questions']}")
    lines.append(f"- HNSW recall@128 against exact search, on the 1× vectors: {r['hnsw_recall_at_128_on_1x']}")
    if c := r.get("copies"):
        f, hit = r["factor"], c["hit_at_1"]
        lines.append(f"- team set ({c['questions']} questions), retrieval hit@1 (a copy counts as its original): "
                     f"1× {hit['1x']}, {f}× {hit[f'{f}x']}, {f}× with {f}× the candidates {hit[f'{f}x_widened']}; "
                     f"same top section as at 1×: {c['same_top_section']}, with {f}× the candidates "
                     f"{c['same_top_section_widened']}")
    return "\n".join(lines)
