"""Hybrid retrieval: dense (FAISS) over passages and question views, BM25, fused linearly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from threadpoolctl import threadpool_limits

from assistant.content.glossary import Term
from assistant.search.chunks import PASSAGE, QUESTION, SENTENCE
from assistant.search.embedder import Embedder
from assistant.search.index import LoadedIndex
from assistant.search.lexical import Expander, LexicalIndex, question_tokens, tokenize
from assistant.search.spelling import Speller

Mode = Literal["hybrid", "dense", "bm25"]
# Score fusion weights, chosen on the development set (docs/evaluation.md): the best cosine to the
# section text plus the best cosine to one of its question views, plus a small BM25 share
# (normalised by the query's top BM25 score). Linear fusion beat reciprocal-rank fusion here.
W_PASSAGE, W_QUESTION, W_BM25 = 1.0, 1.0, 0.05
# The best cosine to one answer unit (sentence_sim) is not in the fused score: it ranked worse on the
# blind dev half (docs/evaluation.md). It is evidence for the confidence model and picks the answer's unit.
W_VIEW = 0.05  # word overlap (Jaccard) with the closest phrasing, asking words included
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


class Retriever:
    """Searches one loaded index; cheap per call apart from the single query embedding."""

    def __init__(self, loaded: LoadedIndex, embedder: Embedder, glossary: list[Term]):
        # Scoring is one matrix-vector product per question. With its default threads, OpenBLAS keeps
        # spinning after it and takes the cores the model needs next: the next query embedding took
        # 2-3x as long (bench: 62 ms against 22 ms with one BLAS thread). One thread is plenty here.
        threadpool_limits(limits=1, user_api="blas")
        self.loaded, self.embedder = loaded, embedder
        self.lexical = LexicalIndex.build(loaded.chunks)
        self.expander = Expander(glossary, self.lexical.vocabulary)
        self.speller = Speller(c.text for c in loaded.chunks if c.kind != SENTENCE)
        self._views = [(c.key, question_tokens(c.text)) for c in loaded.chunks if c.kind == QUESTION]
        keys = sorted({c.key for c in loaded.chunks})
        self._key_names = keys
        position = {k: i for i, k in enumerate(keys)}
        self._key_of = np.array([position[c.key] for c in loaded.chunks], dtype=np.int64)
        kinds = np.array([c.kind for c in loaded.chunks])
        self._masks = {kind: kinds == kind for kind in (PASSAGE, SENTENCE)}
        self._masks["question"] = ~(self._masks[PASSAGE] | self._masks[SENTENCE])
        self._units: dict[str, list[tuple[int, str]]] = {}
        for i, c in enumerate(loaded.chunks):
            if c.kind == SENTENCE:
                self._units.setdefault(c.key, []).append((i, c.text))
        self._vectors = loaded.index.reconstruct_n(0, loaded.index.ntotal)

    def _best(self, sims: np.ndarray, kind: str) -> np.ndarray:
        """Per section key: the best cosine among its chunks of one kind (0 when it has none)."""
        out = np.full(len(self._key_names), -np.inf, dtype=np.float32)
        mask = self._masks[kind]
        np.maximum.at(out, self._key_of[mask], sims[mask])
        out[np.isinf(out)] = 0.0
        return out

    def search(self, question: str, mode: Mode = "hybrid", k: int = 8,
               vector: np.ndarray | None = None, focus: Sequence[str] = ()) -> Retrieval:
        """Rank sections for a question (`vector`: its query embedding, if already computed).

        `focus`: stemmed words of a follow-up that the previous question lacked; sections holding
        them rank higher, so "en het cross-over experiment?" moves off the previous question's topic.
        """
        tokens = tokenize(self.expander.expand(question))
        hits: dict[str, Hit] = {}
        if mode == "bm25":
            vector = None
        elif vector is None:
            vector = self.embedder.embed_queries([question])[0]
        sims = None
        if vector is not None:
            sims = self._vectors @ vector
            passage, views, sentence = (self._best(sims, kind) for kind in (PASSAGE, "question", SENTENCE))
            for i, key in enumerate(self._key_names):
                hits[key] = Hit(key, passage_sim=float(passage[i]), question_sim=float(views[i]),
                                sentence_sim=float(sentence[i]))
        if mode in ("hybrid", "bm25"):
            lexical = self.lexical.search(tokens, k=len(self.lexical.keys))
            top = lexical[0][1] if lexical else 1.0
            for key, score in lexical:
                hits.setdefault(key, Hit(key)).bm25 = score / top
        if W_VIEW and mode == "hybrid":
            asked = question_tokens(question)
            for key, words in self._views:
                if asked and key in hits:
                    overlap = len(asked & words) / len(asked | words)
                    hits[key].view_overlap = max(hits[key].view_overlap, overlap)
        for h in hits.values():
            h.score = W_PASSAGE * h.passage_sim + W_QUESTION * h.question_sim
            h.score += W_VIEW * h.view_overlap
            h.score += (W_BM25 if mode == "hybrid" else 1.0) * h.bm25 if mode != "dense" else 0.0
            if focus:
                h.score += W_FOCUS * self.lexical.coverage(list(focus), h.key)
        ranked = sorted(hits.values(), key=lambda h: -h.score)[:k]
        unit_sims: dict[str, dict[str, float]] = {}
        for h in ranked:
            h.coverage = self.lexical.coverage(tokens, h.key)
            if sims is not None:
                unit_sims[h.key] = {text: float(sims[i]) for i, text in self._units.get(h.key, ())}
        return Retrieval(hits=ranked, tokens=tokens, known=self.lexical.known(tokens), query_vector=vector,
                         unit_sims=unit_sims)
