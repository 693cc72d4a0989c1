"""Section ranking variants on the tuning data: how often the first-ranked section holds the asked facts.

    OMP_WAIT_POLICY=PASSIVE .venv/bin/python scripts/rank_variants.py

Used for issue 12 §3 (docs/evaluation.md, "Ranking on questions nobody here wrote"). For every
in-scope question and follow-up of the tuning set (`tests/eval/blind3`, all) and of the blind dev
half, the sections whose plain text states every fact are its "right" sections; a variant re-orders
the retriever's candidates and counts how often one of those comes first. The team set counts its
expected section (hit@1). The blind test half and `tests/eval/blind2` are never read.
Each variant re-orders the same evidence: no model call beyond the one query embedding per question.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from assistant.content.text import markdown_to_text  # noqa: E402
from assistant.engine import Routewijzer  # noqa: E402
from assistant.quality.blind import load_blind_set, states  # noqa: E402
from assistant.quality.evaluation import EVAL_DIR, load_eval_set  # noqa: E402
from assistant.search.lexical import question_tokens  # noqa: E402
from assistant.settings import Settings  # noqa: E402

Order = Callable[[dict], np.ndarray]  # an item's evidence → its candidates' new order (indices)


def collect(rw: Routewijzer) -> list[dict]:
    """Per question: its set, right sections and the evidence of its 60 best candidates."""
    passages = {f"{a.slug}#{s.anchor}": markdown_to_text(s.body) for a in rw.kb.articles for s in a.sections}
    items: list[tuple[str, str, list[str] | None, set[str]]] = []
    for folder, part, name in ((EVAL_DIR / "blind3", None, "blind3"), (EVAL_DIR / "blind", "dev", "dev")):
        blind = load_blind_set(folder).part(part)
        for q in blind.questions:
            items.append((name, q.q, None, {k for k, p in passages.items() if states(p, q.facts)}))
        for f in blind.followups:
            items.append((name, f.second.q, [f.first.q], {k for k, p in passages.items() if states(p, f.second.facts)}))
    team, _ = load_eval_set(EVAL_DIR)
    items += [("team", q.question, None, set(q.expect)) for q in team]
    queries = [rw._query(q, ctx)[1] if name != "team" else None for name, q, ctx, _ in items]
    texts = [query.text if query else q for (_, q, _, _), query in zip(items, queries, strict=True)]
    vectors = rw.embedder.embed_queries(texts)
    r = rw.retriever
    lexical = r.lexical
    out = []
    for (name, _, _, right), query, text, vector in zip(items, queries, texts, vectors, strict=True):
        if not right:
            continue  # no section states these facts: no ranking can help
        found = r.search(text, k=60, vector=vector, focus=query.focus if query else ())
        keys = [h.key for h in found.hits]
        docs = np.array([lexical.position.get(k, -1) for k in keys])
        held = np.array([lexical._holds(t, docs) for t in found.tokens]).reshape(len(found.tokens), len(keys))
        df = np.array([held_df(lexical, t) for t in found.tokens], dtype=float)
        hits = []
        for h in found.hits:
            rows = r._chunks_of[h.key]
            hits.append({"key": h.key, "score": h.score, "p": h.passage_sim, "q": h.question_sim,
                         "s": h.sentence_sim, "bm25": h.bm25, "view": h.view_overlap, "cov": h.coverage,
                         "rows": rows, "kinds": r._kind[rows], "sims": r._vectors[rows] @ vector})
        out.append({"set": name, "right": right, "hits": hits, "vec": vector, "text": text,
                    "held": held, "df": df, "n_docs": len(lexical.keys)})
    return out


def held_df(lexical, token: str) -> int:
    """In how many sections a token occurs."""
    tid = lexical.retriever.vocab_dict.get(token) if token in lexical.vocabulary else None
    return 0 if tid is None else int(lexical._indptr[tid + 1] - lexical._indptr[tid])


def top_mean(h: dict, kind: int, n: int) -> float:
    """Mean of the n best cosines of one chunk kind (0 passage, 1 question view, 2 answer unit)."""
    v = np.sort(h["sims"][h["kinds"] == kind])[::-1]
    return float(v[:n].mean()) if len(v) else 0.0


def add(feature: Callable[[dict, int], float], w: float, top: int = 60) -> Order:
    """Re-rank the first `top` candidates by the fused score plus w × feature."""
    def order(item: dict) -> np.ndarray:
        hits = item["hits"]
        n = min(top, len(hits))
        score = np.array([hits[i]["score"] + w * feature(item, i) for i in range(n)])
        return np.concatenate([np.argsort(-score, kind="stable"), np.arange(n, len(hits))])
    return order


def reweight(wp: float = 1.0, wq: float = 1.0, wb: float = 0.05, wv: float = 0.05) -> Order:
    """The fused score with other weights for passage, question view, BM25 and phrasing overlap."""
    def order(item: dict) -> np.ndarray:
        score = [h["score"] + (wp - 1) * h["p"] + (wq - 1) * h["q"] + (wb - 0.05) * h["bm25"]
                 + (wv - 0.05) * h["view"] for h in item["hits"]]
        return np.argsort(-np.array(score), kind="stable")
    return order


def rrf(k: int, fields: tuple[str, ...], weights: tuple[float, ...]) -> Order:
    """Reciprocal-rank fusion of some of the evidence."""
    def order(item: dict) -> np.ndarray:
        total = np.zeros(len(item["hits"]))
        for name, w in zip(fields, weights, strict=True):
            values = np.array([h[name] for h in item["hits"]])
            total += w / (k + 1 + np.argsort(np.argsort(-values, kind="stable"), kind="stable"))
        return np.argsort(-total, kind="stable")
    return order


def idf_coverage(item: dict, i: int) -> float:
    """Share of the question's words the section holds, each weighted by its BM25 idf."""
    df, n = item["df"], item["n_docs"]
    idf = np.where(df > 0, np.log((n - df + 0.5) / (df + 0.5) + 1), 0.0)
    return float((idf * item["held"][:, i]).sum() / idf.sum()) if idf.sum() else 0.0


def rare_words(item: dict, i: int, most: int = 1) -> float:
    """Share of the question's rare words (in at most `most` sections) the section holds."""
    rare = (item["df"] > 0) & (item["df"] <= most)
    return float(item["held"][rare, i].mean()) if rare.any() else 0.0


def article_prior(item: dict, i: int) -> float:
    """Mean fused score of the three best candidates from the same article."""
    slug = item["hits"][i]["key"].split("#")[0]
    return float(np.mean(sorted((h["score"] for h in item["hits"] if h["key"].startswith(slug + "#")),
                                reverse=True)[:3]))


def centroid_view(vectors: np.ndarray) -> Callable[[dict, int], float]:
    """Cosine to the mean of the section's question views, minus the best single view's."""
    def feature(item: dict, i: int) -> float:
        h = item["hits"][i]
        views = vectors[h["rows"]][h["kinds"] == 1]
        if not len(views):
            return 0.0
        c = views.mean(0)
        return float(c @ item["vec"] / np.linalg.norm(c)) - h["q"]
    return feature


def hubness(vectors: np.ndarray, kinds: np.ndarray, keys: list[str], k: int = 30) -> np.ndarray:
    """Per chunk: mean cosine to its k nearest question views of other sections (CSLS)."""
    views = np.where(kinds == 1)[0]
    sims = vectors @ vectors[views].T
    sims[np.array(keys)[:, None] == np.array(keys)[views][None, :]] = -1
    r = np.sort(sims, axis=1)[:, -k:].mean(1)
    return r - r.mean()


def corrected(r: np.ndarray, beta: float) -> Order:
    """Passage and view cosines minus beta × their hubness."""
    def order(item: dict) -> np.ndarray:
        score = []
        for h in item["hits"]:
            adj = h["sims"] - beta * r[h["rows"]] * (h["kinds"] < 2)
            best = [float(adj[h["kinds"] == k].max()) if (h["kinds"] == k).any() else 0.0 for k in (0, 1)]
            score.append(h["score"] - h["p"] - h["q"] + sum(best))
        return np.argsort(-np.array(score), kind="stable")
    return order


def phrase_match(item: dict, i: int) -> float:
    """Share of the question's adjacent word pairs that one of the section's question views holds."""
    pairs = _pairs(item["text"])
    h = item["hits"][i]
    if not pairs:
        return 0.0
    texts = [_TEXTS[row] for row, kind in zip(h["rows"], h["kinds"], strict=True) if kind == 1]
    return max((len(pairs & _pairs(t)) for t in texts), default=0) / len(pairs)


_TEXTS: list[str] = []


def _pairs(text: str) -> set[tuple[str, str]]:
    from assistant.search.lexical import tokenize
    words = tokenize(text)
    return set(zip(words, words[1:], strict=False))


def joint_view(a: float) -> Order:
    """The best view by cosine plus a × its word overlap (Jaccard), instead of the two maxima apart."""
    def order(item: dict) -> np.ndarray:
        asked = question_tokens(item["text"])
        score = []
        for h in item["hits"]:
            best = max((s + a * _jaccard(asked, question_tokens(_TEXTS[row]))
                        for row, kind, s in zip(h["rows"], h["kinds"], h["sims"], strict=True) if kind == 1),
                       default=0.0)
            score.append(h["score"] - h["q"] + best)
        return np.argsort(-np.array(score), kind="stable")
    return order


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def variants(rw: Routewijzer) -> dict[str, Order]:
    """Every variant tried, by the name docs/evaluation.md gives it."""
    r = rw.retriever
    vectors, kinds = np.asarray(r._vectors), r._kind
    hub = hubness(vectors, kinds, list(r._key_of))
    return {
        "fused score (shipped)": lambda item: np.arange(len(item["hits"])),
        "without the sibling-term rule (search/siblings.py)": add(
            lambda it, i: top_mean(it["hits"][i], 1, 1) - it["hits"][i]["q"], 1.0),
        "top 8 + 0.1 × best unit": add(lambda it, i: top_mean(it["hits"][i], 2, 1), 0.1, 8),
        "top 8 + 0.1 × mean of 2 best units": add(lambda it, i: top_mean(it["hits"][i], 2, 2), 0.1, 8),
        "top 8 + 0.25 × mean of 2 best units": add(lambda it, i: top_mean(it["hits"][i], 2, 2), 0.25, 8),
        "top 8 + 0.1 × mean of 2 best views": add(lambda it, i: top_mean(it["hits"][i], 1, 2), 0.1, 8),
        "top 3 + 0.1 × word coverage": add(lambda it, i: it["hits"][i]["cov"], 0.1, 3),
        "top 3 + 0.05 × idf-weighted coverage": add(idf_coverage, 0.05, 3),
        "+ 0.02 × rare words held (in 1 section)": add(rare_words, 0.02),
        "+ 0.5 × article prior": add(article_prior, 0.5),
        "view centroid instead of best view": add(centroid_view(vectors), 1.0),
        "+ 0.08 × phrase (word pair) match with a view": add(phrase_match, 0.08),
        "BM25 weight 0.03": reweight(wb=0.03),
        "BM25 weight 0.08": reweight(wb=0.08),
        "BM25 weight 0.15": reweight(wb=0.15),
        "phrasing overlap weight 0": reweight(wv=0.0),
        "phrasing overlap weight 0.1": reweight(wv=0.1),
        "passage weight 0.8": reweight(wp=0.8),
        "passage weight 1.2": reweight(wp=1.2),
        "RRF k=5 (passage, view, BM25)": rrf(5, ("p", "q", "bm25"), (1, 1, 1)),
        "RRF k=5 (fused score, 0.3 × BM25)": rrf(5, ("score", "bm25"), (1, 0.3)),
        "hubness-corrected cosines (CSLS, k=30, 0.25)": corrected(hub, 0.25),
        "best view by cosine + 0.02 × word overlap": joint_view(0.02),
        "best view by cosine + 0.1 × word overlap": joint_view(0.1),
    }


def score(items: list[dict], order: Order) -> dict[str, tuple[int, int]]:
    """Per set: (questions whose first section is right, questions)."""
    out: dict[str, list[int]] = {}
    for item in items:
        first = item["hits"][int(order(item)[0])]["key"] if item["hits"] else None
        tally = out.setdefault(item["set"], [0, 0])
        tally[0] += first in item["right"]
        tally[1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def main() -> None:
    """Print one markdown row per variant."""
    rw = Routewijzer.load(Settings())
    try:
        _TEXTS.extend(rw.retriever.loaded.chunks.texts)
        items = collect(rw)
        print("| variant | blind3: first section right | blind dev | team hit@1 |\n|---|---|---|---|")
        for name, order in variants(rw).items():
            s = score(items, order)
            cells = [f"{s[k][0]}/{s[k][1]} ({s[k][0] / s[k][1]:.3f})" for k in ("blind3", "dev", "team")]
            print(f"| {name} | " + " | ".join(cells) + " |")
    finally:
        rw.close()


if __name__ == "__main__":
    main()
