"""BM25 over sections (bm25s + Dutch Snowball stemmer and stopwords), with glossary expansion."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH

from assistant.content.glossary import Term
from assistant.search.chunks import SENTENCE, Chunk

_WORD = re.compile(r"[a-z0-9]+")
# Question words carry no topic; dropping them keeps BM25 and the coverage signal on content.
_EXTRA_STOP = {"wat", "hoe", "wie", "waar", "wanneer", "welke", "welk", "waarom", "kan", "kunnen", "mag",
               "mogen", "moet", "moeten", "je", "jij", "we", "wij", "u", "ons", "onze", "jullie", "mijn",
               "gaat", "graag", "eigenlijk", "nou", "even", "ook", "bv", "bijv", "s", "n", "t", "eens"}
STOPWORDS = set(STOPWORDS_DUTCH) | _EXTRA_STOP
_stemmer = Stemmer.Stemmer("dutch")


def fold(text: str) -> str:
    """Lowercase and strip accents (geïntegreerde → geintegreerde) so spelling variants meet."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# What a question asks ("tot wanneer", "wie", "hoeveel") matters when it is compared with other questions.
ASKING_WORDS = frozenset({"wat", "hoe", "wie", "waar", "wanneer", "welke", "welk", "waarom", "hoeveel", "tot",
                          "vanaf", "sinds", "mag", "mogen", "moet", "moeten", "kan", "kunnen"})


def question_tokens(text: str) -> frozenset[str]:
    """Stemmed content words plus the asking words: for comparing a question with a phrasing."""
    words = [w for w in _WORD.findall(fold(text)) if w in ASKING_WORDS or w not in STOPWORDS]
    return frozenset(_stemmer.stemWords(words))


def tokenize(text: str) -> list[str]:
    """Folded, stopword-free, stemmed tokens; compounds split on hyphens."""
    words = [w for w in _WORD.findall(fold(text)) if w not in STOPWORDS]
    return _stemmer.stemWords(words)


class Expander:
    """Maps words people use but the articles don't to the glossary term the articles do use.

    Only names unknown to the knowledge base's own vocabulary are expanded (e.g. a synonym that no
    article uses); expanding names the articles already contain measurably hurt ranking
    (docs/evaluation.md), because it adds common words like "mbo" to every question.
    """

    def __init__(self, glossary: list[Term], vocabulary: set[str] | None = None):
        self._names: list[tuple[re.Pattern, str]] = []
        vocabulary = vocabulary or set()
        for term in glossary:
            known_names = [n for n in term.names if set(tokenize(n)) <= vocabulary and tokenize(n)]
            expansion = " ".join(known_names)
            for name in term.names:
                if name in known_names or not expansion:
                    continue
                pattern = re.compile(r"(?<![a-z0-9])" + re.escape(fold(name)) + r"(?![a-z0-9])")
                self._names.append((pattern, expansion))

    def expand(self, question: str) -> str:
        """The question followed by the knowledge base's names for the terms found in it."""
        folded = fold(question)
        extra = [exp for pattern, exp in self._names if pattern.search(folded)]
        return question if not extra else question + " " + " ".join(dict.fromkeys(extra))


class LexicalIndex:
    """BM25 over one document per section (its passage plus all its question views).

    Built once by `index build` and saved beside the vectors; loading reads the saved matrix
    instead of tokenising the knowledge base again. Which section holds a word is read from the
    same matrix (its postings), so no per-section word sets are kept.
    """

    def __init__(self, keys: list[str], retriever: bm25s.BM25):
        self.keys, self.retriever = keys, retriever
        self.position = {k: i for i, k in enumerate(keys)}
        self.vocabulary: set[str] = {t for t in retriever.vocab_dict if t}  # every token of the kb
        self._indptr = np.asarray(retriever.scores["indptr"])
        self._docs = np.asarray(retriever.scores["indices"])

    @classmethod
    def build(cls, chunks: list[Chunk]) -> LexicalIndex:
        """Group chunks per section and index them."""
        texts: dict[str, list[str]] = {}
        for chunk in chunks:
            if chunk.kind != SENTENCE:  # answer units repeat the passage; counting them twice skews BM25
                texts.setdefault(chunk.key, []).append(chunk.text)
        keys = list(texts)
        retriever = bm25s.BM25()
        retriever.index([tokenize("\n".join(texts[k])) for k in keys], show_progress=False)
        return cls(keys, retriever)

    def save(self, folder: Path) -> None:
        """Write the BM25 matrix, its vocabulary and the section keys into `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        self.retriever.save(str(folder), show_progress=False)
        (folder / "keys.json").write_text(json.dumps(self.keys, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Read what `save` wrote."""
        keys = json.loads((folder / "keys.json").read_text(encoding="utf-8"))
        return cls(keys, bm25s.BM25.load(str(folder), show_progress=False, verbosity=0))

    def scores(self, tokens: list[str]) -> np.ndarray | None:
        """BM25 score of every section (in `keys` order); None when no token is known."""
        known = [t for t in tokens if t in self.vocabulary]
        if not known:
            return None
        return self.retriever.get_scores(known)  # direct numpy scoring: no per-call thread pool

    def top(self, scores: np.ndarray | None, k: int = 20) -> list[tuple[str, float]]:
        """The k best sections of `scores` as (slug#anchor, score), best first; only scores above 0."""
        if scores is None or not len(scores):
            return []
        k = min(k, len(scores))
        part = np.argpartition(-scores, k - 1)[:k]
        top = part[np.argsort(-scores[part], kind="stable")]
        return [(self.keys[i], float(scores[i])) for i in top if scores[i] > 0]

    def search(self, tokens: list[str], k: int = 20) -> list[tuple[str, float]]:
        """Top-k sections as (slug#anchor, score), best first; empty when no token is known."""
        return self.top(self.scores(tokens), k)

    def _holds(self, token: str, docs: np.ndarray) -> np.ndarray:
        tid = self.retriever.vocab_dict.get(token) if token in self.vocabulary else None
        if tid is None:
            return np.zeros(len(docs), dtype=bool)
        return np.isin(docs, self._docs[self._indptr[tid]:self._indptr[tid + 1]])

    def coverage_many(self, tokens: list[str], keys: list[str]) -> np.ndarray:
        """For each section: the share of the question's content tokens that occur in it."""
        if not tokens or not keys:
            return np.zeros(len(keys))
        docs = np.array([self.position.get(k, -1) for k in keys])
        return np.mean([self._holds(t, docs) for t in tokens], axis=0)

    def coverage(self, tokens: list[str], key: str) -> float:
        """Share of the question's content tokens that occur in this section."""
        return float(self.coverage_many(tokens, [key])[0])

    def known(self, tokens: list[str]) -> float:
        """Share of the question's content tokens that occur anywhere in the knowledge base."""
        if not tokens:
            return 0.0
        return float(np.mean([t in self.vocabulary for t in tokens]))
