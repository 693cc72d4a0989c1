"""Hybrid retrieval: dense (FAISS) over passages and question views, BM25, fused linearly."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from assistant.content.glossary import Term
from assistant.search.chunks import PASSAGE
from assistant.search.embedder import Embedder
from assistant.search.index import LoadedIndex
from assistant.search.lexical import Expander, LexicalIndex, tokenize

Mode = Literal["hybrid", "dense", "bm25"]
# Score fusion weights, chosen on the development set (docs/evaluation.md): the best cosine to the
# section text plus the best cosine to one of its question views, plus a small BM25 share
# (normalised by the query's top BM25 score). Linear fusion beat reciprocal-rank fusion here.
W_PASSAGE, W_QUESTION, W_BM25 = 1.0, 1.0, 0.05


@dataclass
class Hit:
    """A candidate section with the evidence behind its rank."""

    key: str
    score: float = 0.0  # fused score used for ranking
    passage_sim: float = 0.0  # best cosine between question and the section text
    question_sim: float = 0.0  # best cosine between question and a heading/phrasing/glossary view
    bm25: float = 0.0
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


class Retriever:
    """Searches one loaded index; cheap per call apart from the single query embedding."""

    def __init__(self, loaded: LoadedIndex, embedder: Embedder, glossary: list[Term]):
        self.loaded, self.embedder = loaded, embedder
        self.lexical = LexicalIndex.build(loaded.chunks)
        self.expander = Expander(glossary, self.lexical.vocabulary)
        self._keys = np.array([c.key for c in loaded.chunks])
        self._is_passage = np.array([c.kind == PASSAGE for c in loaded.chunks])
        self._vectors = loaded.index.reconstruct_n(0, loaded.index.ntotal)

    def _dense(self, vector: np.ndarray) -> tuple[dict[str, float], dict[str, float]]:
        sims = self._vectors @ vector
        passage: dict[str, float] = {}
        question: dict[str, float] = {}
        order = np.argsort(-sims)
        for i in order:
            target = passage if self._is_passage[i] else question
            key = str(self._keys[i])
            if key not in target:
                target[key] = float(sims[i])
        return passage, question

    def search(self, question: str, mode: Mode = "hybrid", k: int = 8,
               vector: np.ndarray | None = None) -> Retrieval:
        """Rank sections for a question (`vector`: its query embedding, if already computed)."""
        tokens = tokenize(self.expander.expand(question))
        hits: dict[str, Hit] = {}
        if mode == "bm25":
            vector = None
        elif vector is None:
            vector = self.embedder.embed_queries([question])[0]
        if vector is not None:
            passage, questions = self._dense(vector)
            for key, sim in passage.items():
                hits[key] = Hit(key, passage_sim=sim, question_sim=questions.get(key, 0.0))
        if mode in ("hybrid", "bm25"):
            lexical = self.lexical.search(tokens, k=len(self.lexical.keys))
            top = lexical[0][1] if lexical else 1.0
            for key, score in lexical:
                hits.setdefault(key, Hit(key)).bm25 = score / top
        for h in hits.values():
            h.score = W_PASSAGE * h.passage_sim + W_QUESTION * h.question_sim
            h.score += (W_BM25 if mode == "hybrid" else 1.0) * h.bm25 if mode != "dense" else 0.0
        ranked = sorted(hits.values(), key=lambda h: -h.score)[:k]
        for h in ranked:
            h.coverage = self.lexical.coverage(tokens, h.key)
        return Retrieval(hits=ranked, tokens=tokens, known=self.lexical.known(tokens), query_vector=vector)
