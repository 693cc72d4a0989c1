"""Hybrid retrieval: dense (FAISS) over passages and question views, BM25, fused linearly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import faiss
import numpy as np
from threadpoolctl import threadpool_limits

from assistant.content.glossary import Term
from assistant.search import dense
from assistant.search.chunks import PASSAGE, SENTENCE
from assistant.search.embedder import Embedder
from assistant.search.index import LoadedIndex
from assistant.search.lexical import Expander, question_tokens, tokenize
from assistant.search.siblings import Asked, Siblings

Mode = Literal["hybrid", "dense", "bm25"]
# Score fusion weights, chosen on the development set (docs/evaluation.md): the best cosine to the
# section text plus the best cosine to one of its question views, plus a small BM25 share
# (normalised by the query's top BM25 score). Linear fusion beat reciprocal-rank fusion here.
W_PASSAGE, W_QUESTION, W_BM25 = 1.0, 1.0, 0.05  # a view naming a sibling glossary term: search/siblings.py
# The best cosine to one answer unit (sentence_sim) is not in the fused score: it ranked worse on the
# blind dev half (docs/evaluation.md). It is evidence for the confidence model and picks the answer's unit.
W_VIEW = 0.05  # word overlap (Jaccard) with the closest phrasing, asking words included
# Candidates: only sections found by either half are scored, so a question's cost does not grow with the kb.
DENSE_K = 128  # nearest chunks from FAISS (a section has a passage, its answer units and its phrasings)
LEXICAL_K = 64  # best sections by BM25
W_FOCUS = 0.1  # share of a follow-up's own words ("en het cross-over experiment?") the section holds


@dataclass
class Hit:
    """A candidate section with the evidence behind its rank."""

    key: str
    score: float = 0.0  # fused score used for ranking
    passage_sim: float = 0.0  # best cosine between question and the section text
    question_sim: float = 0.0  # best cosine between question and a heading/phrasing/glossary view
    sentence_sim: float = 0.0  # best cosine between question and one answer unit (sentence or list)
    bm25: float = 0.0
    view_overlap: float = 0.0  # best word overlap with one of the section's phrasings
    coverage: float = 0.0  # share of question tokens found in this section

    @property
    def slug(self) -> str:
        return self.key.split("#", 1)[0]

    @property
    def anchor(self) -> str:
        return self.key.split("#", 1)[1]


@dataclass
class Retrieval:
    """Ranked hits for one question plus question-level signals."""

    hits: list[Hit]
    tokens: list[str]
    known: float  # share of question tokens the knowledge base knows at all
    query_vector: np.ndarray | None = field(default=None, repr=False)
    # For the ranked hits: cosine of the question to each answer unit's text, by section key.
    unit_sims: dict[str, dict[str, float]] = field(default_factory=dict, repr=False)
    # For the ranked hits: the question view (heading, phrasing, glossary entry) closest to the
    # question, with its cosine; a phrasing may name the sentence that answers it.
    best_views: dict[str, tuple[str, float]] = field(default_factory=dict, repr=False)
    # For the ranked hits: cosine of the question to the section's heading, the question its opening answers.
    heading_sims: dict[str, float] = field(default_factory=dict, repr=False)


def _sections(keys: list[str]) -> dict[str, np.ndarray]:
    """Per section key, the positions of its chunks (an index stores a section's chunks side by side)."""
    if not keys:
        return {}
    starts = [0, *(i for i in range(1, len(keys)) if keys[i] != keys[i - 1]), len(keys)]
    spans = {keys[a]: np.arange(a, b) for a, b in zip(starts, starts[1:], strict=False)}
    if len(spans) == len(starts) - 1:
        return spans
    grouped: dict[str, list[int]] = {}  # not side by side after all: group them one by one
    for i, key in enumerate(keys):
        grouped.setdefault(key, []).append(i)
    return {k: np.array(v) for k, v in grouped.items()}


class Retriever:
    """Searches one loaded index; per question it looks only at candidates, so its cost stays flat
    as the knowledge base grows: the chunks FAISS finds nearest and the sections BM25 ranks highest.
    """

    def __init__(self, loaded: LoadedIndex, embedder: Embedder, glossary: list[Term]):
        # Scoring is a few small matrix-vector products per question. With its default threads, OpenBLAS keeps
        # spinning after them and takes the cores the model needs next: the next query embedding took
        # 2-3x as long (bench: 62 ms against 22 ms with one BLAS thread). One thread is plenty here.
        threadpool_limits(limits=1, user_api="blas")
        faiss.omp_set_num_threads(1)  # one question's search is small; the model keeps the cores
        self.loaded, self.embedder = loaded, embedder
        self.dense_k, self.lexical_k = DENSE_K, LEXICAL_K  # candidates per question (bench --scale widens them)
        self.lexical = loaded.lexical
        self.expander = Expander(glossary, self.lexical.vocabulary)
        self.speller = loaded.speller
        self._views = loaded.views
        self._vectors = loaded.vectors
        table = loaded.chunks
        self._key_of = table.keys
        self._chunks_of = _sections(table.keys)
        kinds = np.array(table.kinds)
        self._kind = np.where(kinds == PASSAGE, 0, np.where(kinds == SENTENCE, 2, 1)).astype(np.int8)  # 1: a view
        self.siblings = Siblings(glossary, table.texts)

    def _candidates(self, vector: np.ndarray | None, lexical: list[tuple[str, float]]) -> list[str]:
        """Sections of the FAISS top-`dense_k` chunks, then of the BM25 top-`lexical_k`, without repeats."""
        keys: dict[str, None] = {}
        if vector is not None:
            keys.update((self._key_of[i], None) for i in dense.search(self.loaded.index, vector, self.dense_k))
        keys.update((key, None) for key, _ in lexical)
        return list(keys)

    def _dense_evidence(self, keys: list[str], vector: np.ndarray,
                        asked: Asked | None = None) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
        """Per candidate section: best cosine per chunk kind (passage, view, unit), and every chunk's cosine.

        `asked`: the grouped glossary terms the question names; a view naming a sibling term counts less.
        """
        rows = [self._chunks_of[k] for k in keys]
        idx = np.concatenate(rows)
        sims = self._vectors[idx] @ vector
        starts = np.cumsum([0] + [len(r) for r in rows[:-1]])
        kinds = self._kind[idx]
        ranked = sims.copy()
        if asked:
            views = np.flatnonzero(kinds == 1)
            ranked[views] -= self.siblings.penalties(asked, idx[views])
        best = np.stack([np.maximum.reduceat(np.where(kinds == kind, ranked, -np.inf), starts) for kind in range(3)])
        best[np.isinf(best)] = 0.0
        return best, idx, np.split(sims, starts[1:])

    def search(self, question: str, mode: Mode = "hybrid", k: int = 8,
               vector: np.ndarray | None = None, focus: Sequence[str] = ()) -> Retrieval:
        """Rank sections for a question (`vector`: its query embedding, if already computed).

        `focus`: stemmed words of a follow-up that the previous question lacked; sections holding
        them rank higher, so "en het cross-over experiment?" moves off the previous question's topic.
        """
        tokens = tokenize(self.expander.expand(question))
        if mode == "bm25":
            vector = None
        elif vector is None:
            vector = self.embedder.embed_queries([question])[0]
        bm25 = self.lexical.scores(tokens) if mode in ("hybrid", "bm25") else None
        keys = self._candidates(vector, self.lexical.top(bm25, self.lexical_k))
        hits = {key: Hit(key) for key in keys}
        chunk_sims: dict[str, np.ndarray] = {}
        if vector is not None and keys:
            best, _, per_key = self._dense_evidence(keys, vector, self.siblings.asked(question))
            for j, key in enumerate(keys):
                h = hits[key]
                h.passage_sim, h.question_sim, h.sentence_sim = (float(x) for x in best[:, j])
                chunk_sims[key] = per_key[j]
        if bm25 is not None:
            top = float(bm25.max()) or 1.0
            for key in keys:
                i = self.lexical.position.get(key)
                h = hits[key]
                h.bm25 = float(bm25[i]) / top if i is not None and bm25[i] > 0 else 0.0
        if W_VIEW and mode == "hybrid":
            asked = question_tokens(question)
            if asked:
                for key in keys:
                    views = (set(words) for words in self._views.get(key, ()))
                    hits[key].view_overlap = max((len(asked & w) / len(asked | w) for w in views), default=0.0)
        focus_cover = self.lexical.coverage_many(list(focus), keys) if focus else None
        for j, h in enumerate(hits.values()):
            h.score = W_PASSAGE * h.passage_sim + W_QUESTION * h.question_sim
            h.score += W_VIEW * h.view_overlap
            h.score += (W_BM25 if mode == "hybrid" else 1.0) * h.bm25 if mode != "dense" else 0.0
            if focus_cover is not None:
                h.score += W_FOCUS * float(focus_cover[j])
        ranked = sorted(hits.values(), key=lambda h: -h.score)[:k]
        unit_sims: dict[str, dict[str, float]] = {}
        best_views: dict[str, tuple[str, float]] = {}
        heading_sims: dict[str, float] = {}
        cover = self.lexical.coverage_many(tokens, [h.key for h in ranked])
        texts = self.loaded.chunks.texts
        for h, c in zip(ranked, cover, strict=True):
            h.coverage = float(c)
            if h.key in chunk_sims:
                rows, sims = self._chunks_of[h.key], chunk_sims[h.key]
                unit_sims[h.key] = {texts[i]: float(sim) for i, sim in zip(rows, sims, strict=True)
                                    if self._kind[i] == 2}
                views = [(float(sim), texts[i]) for i, sim in zip(rows, sims, strict=True) if self._kind[i] == 1]
                if views:  # a section's first view is its heading (search/chunks.py)
                    heading_sims[h.key] = views[0][0]
                    sim, text = max(views)
                    best_views[h.key] = (text, sim)
        return Retrieval(hits=ranked, tokens=tokens, known=self.lexical.known(tokens), query_vector=vector,
                         unit_sims=unit_sims, best_views=best_views, heading_sims=heading_sims)

    def best_units_in(self, keys: Sequence[str], vectors: np.ndarray) -> list[tuple[str, str, float]]:
        """For each query vector, the answer unit of any of the sections `keys` it fits best, as
        (section key, unit text, cosine): a further ask of a compound question may be answered by a
        close section rather than the top one."""
        rows = [(key, i) for key in keys for i in self._chunks_of.get(key, ()) if self._kind[i] == 2]
        if not rows or not len(vectors):
            return []
        sims = self._vectors[[i for _, i in rows]] @ np.asarray(vectors).T
        best = sims.argmax(axis=0)
        return [(rows[int(b)][0], self.loaded.chunks.texts[rows[int(b)][1]], float(sims[int(b), j]))
                for j, b in enumerate(best)]

    def best_units(self, key: str, vectors: np.ndarray) -> list[str]:
        """For each query vector, the answer unit of section `key` it fits best."""
        return [unit for _, unit, _ in self.best_units_in([key], vectors)]
