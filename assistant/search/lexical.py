"""BM25 over sections (bm25s + Dutch Snowball stemmer and stopwords), with glossary expansion."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


@dataclass
class LexicalIndex:
    """BM25 over one document per section (its passage plus all its question views)."""

    keys: list[str]
    retriever: bm25s.BM25
    vocab: dict[str, set[str]]
    vocabulary: set[str]  # every token of the knowledge base

    @classmethod
    def build(cls, chunks: list[Chunk]) -> LexicalIndex:
        """Group chunks per section and index them."""
        texts: dict[str, list[str]] = {}
        for chunk in chunks:
            if chunk.kind != SENTENCE:  # answer units repeat the passage; counting them twice skews BM25
                texts.setdefault(chunk.key, []).append(chunk.text)
        keys = list(texts)
        docs = [tokenize("\n".join(texts[k])) for k in keys]
        retriever = bm25s.BM25()
        retriever.index(docs, show_progress=False)
        vocab = {k: set(d) for k, d in zip(keys, docs, strict=True)}
        return cls(keys=keys, retriever=retriever, vocab=vocab, vocabulary=set().union(*vocab.values()))

    def search(self, tokens: list[str], k: int = 20) -> list[tuple[str, float]]:
        """Top-k sections as (slug#anchor, score), best first; empty when no token is known."""
        known = [t for t in tokens if t in self.retriever.vocab_dict]
        if not known:
            return []
        scores = self.retriever.get_scores(known)  # direct numpy scoring: no per-call thread pool
        top = np.argsort(-scores)[:k]
        return [(self.keys[i], float(scores[i])) for i in top if scores[i] > 0]

    def coverage(self, tokens: list[str], key: str) -> float:
        """Share of the question's content tokens that occur in this section."""
        if not tokens:
            return 0.0
        vocab = self.vocab.get(key, set())
        return float(np.mean([t in vocab for t in tokens]))

    def known(self, tokens: list[str]) -> float:
        """Share of the question's content tokens that occur anywhere in the knowledge base."""
        if not tokens:
            return 0.0
        return float(np.mean([t in self.vocabulary for t in tokens]))
